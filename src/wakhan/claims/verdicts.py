"""Claims, verdicts and the rules that turn numbers into verdicts.

A verdict is one of :data:`SUPPORTED`, :data:`NOT_SUPPORTED` or
:data:`DEPENDS`, always with a one-sentence reason. The rules are plain
functions of the numbers so that tests can check them on built values, and a
reader can see exactly when a verdict would change. Each claim's words and
rules are in its own module (:mod:`wakhan.claims.altitude`,
:mod:`wakhan.claims.depopulated`, :mod:`wakhan.claims.highway`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

__all__ = [
    "Claim",
    "SUPPORTED",
    "NOT_SUPPORTED",
    "DEPENDS",
    "threshold_verdict",
    "a_number",
    "count_noun",
    "usd_range_bn",
]

SUPPORTED = "supported"
NOT_SUPPORTED = "not supported"
DEPENDS = "depends"


@dataclass
class Claim:
    """One claim with its verdict, headline value and the evidence behind it.

    Examples
    --------
    >>> c = Claim("altitude", "It is high.", SUPPORTED, 4321.0, "m", "Its mean elevation is 4,321 m.")
    >>> c.as_dict()["verdict"], c.as_dict()["details"]
    ('supported', {})
    """

    id: str
    statement: str
    verdict: str
    value: float | None
    unit: str
    reason: str
    details: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def threshold_verdict(values, threshold: float, *, above: bool = True) -> str:
    """Verdict on "the value exceeds ``threshold``" over a set of readings.

    Parameters
    ----------
    values : iterable of float
        The value under every reading (definition, data source, buffer...).
        ``None`` entries are ignored.
    threshold : float
    above : bool
        True: the claim is that values exceed the threshold; False: that they
        stay below it.

    Returns
    -------
    str
        :data:`SUPPORTED` when every reading agrees with the claim,
        :data:`NOT_SUPPORTED` when none does, :data:`DEPENDS` otherwise.

    Raises
    ------
    ValueError
        When no reading has a value.

    Examples
    --------
    >>> threshold_verdict([4100.0, 4300.0], 4000.0), threshold_verdict([3900.0, None, 4300.0], 4000.0)
    ('supported', 'depends')
    >>> threshold_verdict([3900.0], 4000.0), threshold_verdict([3900.0], 4000.0, above=False)
    ('not supported', 'supported')
    """
    vals = [float(v) for v in values if v is not None]
    if not vals:
        raise ValueError("no readings to judge the claim on")
    agree = [(v > threshold) if above else (v < threshold) for v in vals]
    if all(agree):
        return SUPPORTED
    if not any(agree):
        return NOT_SUPPORTED
    return DEPENDS


def a_number(value: float) -> str:
    """``value`` (``%g``) after its indefinite article, as the number is read aloud: "a 6", "an 8".

    The verdicts read "at a 6 % design grade" but "at an 8 % design grade" (eight,
    eleven, eighteen and eighty-something begin with a vowel sound).

    Examples
    --------
    >>> a_number(6.0), a_number(8.0), a_number(7.5), a_number(11), a_number(18.5), a_number(80), a_number(1.5)
    ('a 6', 'an 8', 'a 7.5', 'an 11', 'an 18.5', 'an 80', 'a 1.5')
    """
    text = f"{value:g}"
    whole = text.split(".")[0]
    vowel = whole.startswith("8") or whole in ("11", "18")
    return f"{'an' if vowel else 'a'} {text}"


def count_noun(value: float, noun: str, plural: str | None = None) -> str:
    """``value`` (``%g``) with ``noun`` in the number it needs: "1 month", "1.5 months", "3 tunnels".

    Examples
    --------
    >>> count_noun(1.0, "month"), count_noun(1.5, "month"), count_noun(3, "tunnel"), count_noun(0, "tunnel")
    ('1 month', '1.5 months', '3 tunnels', '0 tunnels')
    """
    return f"{value:g} {noun if value == 1 else (plural or noun + 's')}"


def usd_range_bn(cost: dict | None) -> str:
    """A ``{low, high}`` cost range (US dollars) in billions, as the verdicts write it; no range, no estimate.

    Examples
    --------
    >>> usd_range_bn({"low": 1.25e9, "high": 12345.6e9}), usd_range_bn(None), usd_range_bn({})
    ('US$ 1.2-12,345.6 bn', 'no cost estimate', 'no cost estimate')
    """
    return f"US$ {cost['low'] / 1e9:,.1f}-{cost['high'] / 1e9:,.1f} bn" if cost else "no cost estimate"
