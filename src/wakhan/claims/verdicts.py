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

__all__ = ["Claim", "SUPPORTED", "NOT_SUPPORTED", "DEPENDS", "threshold_verdict"]

SUPPORTED = "supported"
NOT_SUPPORTED = "not supported"
DEPENDS = "depends"


@dataclass
class Claim:
    """One claim with its verdict, headline value and the evidence behind it."""

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
