"""One-line reasons for the verdict tables: why each claim got its verdict, short enough for a table cell.

The full reason of a claim (:attr:`wakhan.claims.Claim.reason`) is a paragraph
printed once under the claim; a verdict table gives every row, whatever its
verdict, the one line behind it, read from the claim's value and details.
"""

from __future__ import annotations

from wakhan.claims.verdicts import a_number

__all__ = ["verdict_brief"]

_MAX_CHARS = 150


def _clip(text: str) -> str:
    """``text`` cut at a word boundary to fit a table cell."""
    if len(text) <= _MAX_CHARS:
        return text
    cut = text[: _MAX_CHARS - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "\u2026"


def _altitude(c) -> str:
    readings = c.details.get("readings") or {}
    means = [
        s["mean_elevation_m"]
        for routes in (c.details.get("routes") or {}).values()
        for s in (routes or {}).values()
        if s and s.get("mean_elevation_m") is not None
    ]
    text = f"mean over the corridor's area {c.value:,.0f} m ({readings.get('area_mean', c.verdict)})"
    if means:
        text += (
            f"; along the routes people travel {min(means):,.0f}-{max(means):,.0f} m "
            f"({readings.get('route_mean') or c.verdict})"
        )
    return text


def _depopulated(c) -> str:
    rows = [r for rows in (c.details.get("gaps") or {}).values() for r in rows]
    counted = [r for r in rows if not r.get("coverage_limited")] or rows
    # the verdict is judged on all sources together: a sparse source's longer gaps are its blind spots
    judged = (c.details.get("longest_counted_gap") or {}).get("source")
    counted = [r for r in counted if r.get("source") == judged] or counted
    lengths = [r["length_km"] for r in counted if r.get("length_km") is not None]
    walk = (c.details.get("route_lengths_km") or {}).get((c.details.get("headline") or {}).get("route"))
    text = f"{c.value:,.0f} km with no settlement nearby"
    if lengths:
        sources = ", all sources together" if judged and " + " in judged else ""
        text += f" ({min(lengths):,.0f}-{max(lengths):,.0f} km on any route and buffer{sources})"
    if walk:
        text += f", on a {walk:,.0f} km walk to the first Chinese settlement"
    return text


def _usd_bn(cost: dict | None) -> str:
    if not cost or cost.get("low") is None:
        return ""
    return f", US$ {cost['low'] / 1e9:,.1f}-{cost['high'] / 1e9:,.1f} bn"


def _highway(c) -> str:
    """The highway verdict's line: the route, its design grade and cost, and the season it is open."""
    if c.value is None:
        return "no route within China and Afghanistan at the design grade, even with switchbacks and tunnels"
    d = c.details
    grade = d.get("design_grade_pct")
    text = f"a CN+AF route of {c.value:,.0f} km"
    text += f" at {a_number(grade)} % design grade" if grade else ""
    text += _season(d.get("crossings"))  # before the money: a clipped line keeps what the verdict assumes
    text += _usd_bn(d.get("cost_usd"))
    ratio = d.get("cost_per_km_ratio_to_karakoram_highway")
    if ratio is not None:
        text += f", {ratio:.2f} x the Karakoram Highway's cost per km"
    return text


def _season(crossings) -> str:
    """What a route's verdict assumes about winter: a seasonal road, shut while its longest-closing
    crossing is (the closure rule's months), or nothing when no crossing closes.

    >>> _season([{"name": None, "closed_months": 0.0}, {"name": "Wakhjir Pass", "closed_months": 4.9}])
    ', seasonal (Wakhjir Pass shut ~4.9 months)'
    >>> _season([{"name": None, "closed_months": 0.0}]), _season(None)
    ('', '')
    """
    shut = [c for c in crossings or [] if (c.get("closed_months") or 0.0) > 0.0]
    if not shut:
        return ""
    worst = max(shut, key=lambda c: c["closed_months"])
    return f", seasonal ({worst.get('name') or 'a col'} shut ~{worst['closed_months']:.1f} months)"


_BRIEFS = {"altitude": _altitude, "depopulated": _depopulated, "highway": _highway}


def verdict_brief(claim) -> str:
    """The one-line reason for ``claim``'s verdict (at most 150 characters).

    Parameters
    ----------
    claim : wakhan.claims.Claim

    Returns
    -------
    str

    Examples
    --------
    >>> from wakhan.claims.verdicts import Claim
    >>> c = Claim("altitude", "s", "depends", 4522.0, "m", "...", {
    ...     "readings": {"area_mean": "supported", "route_mean": "depends"},
    ...     "routes": {"wakhan": {"a": {"mean_elevation_m": 3245.0}, "b": {"mean_elevation_m": 4000.0}}}})
    >>> verdict_brief(c)
    "mean over the corridor's area 4,522 m (supported); along the routes people travel 3,245-4,000 m (depends)"
    >>> verdict_brief(Claim("other", "s", "supported", 1.0, "m", "First sentence. Second."))
    'First sentence.'
    """
    brief = _BRIEFS.get(claim.id)
    if brief is not None:
        try:
            return _clip(brief(claim))
        except (KeyError, TypeError, ValueError):  # details of another shape (an older claims file): the reason
            pass
    first = claim.reason.split(". ")[0].rstrip(".") + "."
    return _clip(first)
