"""Settlement evidence for the depopulated claim: who bounds the longest stretch, where each source is blind.

The headline gap is measured against the union of every source given; this module says
which settlements end it (name, the source that has it, its distance from the route) and,
source by source, how long a stretch that source alone leaves empty on the same route and
buffer, and through which countries it does not see (its blind spots).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from wakhan.claims.case_study import ON_FOOT
from wakhan.claims.depopulated import HEADLINE_BUFFER_KM
from wakhan.claims.verdicts import Claim
from wakhan.gaps.nearest import distance_to_nearest_km
from wakhan.settlements import DEFAULT_SETTLEMENT_SPECS as _DEFAULT_SPECS

__all__ = ["bounding_settlements", "blind_spots", "settlement_evidence", "DEFAULT_SETTLEMENT_SPECS"]

#: The settlement sources of a default `wakhan claims` run, combined for the headline (the toolkit's
#: one default, :data:`wakhan.settlements.DEFAULT_SETTLEMENT_SPECS`).
DEFAULT_SETTLEMENT_SPECS = _DEFAULT_SPECS


def _route_distance_km(lon: float, lat: float, profile) -> float:
    """Great-circle distance (km, sphere of 6,371 km) from one point to the nearest sample of the route."""
    la1, la2 = np.radians(lat), np.radians(np.asarray(profile.lat, dtype=np.float64))
    dlat = la2 - la1
    dlon = np.radians(np.asarray(profile.lon, dtype=np.float64) - lon)
    h = np.sin(dlat / 2) ** 2 + np.cos(la1) * np.cos(la2) * np.sin(dlon / 2) ** 2
    return float(np.min(2 * 6371.0 * np.arcsin(np.sqrt(np.clip(h, 0, 1)))))


def bounding_settlements(row: dict | None, profile, sets) -> list[dict]:
    """The settlement nearest each end of a gap row, searched in every source: name, source, km from the route.

    Parameters
    ----------
    row : dict
        A row of :func:`wakhan.gaps.gap_table` (its ``gap`` holds the ends).
    profile : Profile
        The route the gap lies on.
    sets : sequence of Settlements
        The individual sources (not their union), so each settlement is named with its source.

    Returns
    -------
    list of dict
        ``{"end": "start" | "end", "km": position on the route, "name", "source",
        "distance_from_route_km"}``; an open end (the route's own end) has no settlement.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from wakhan.grid import DataSource
    >>> from wakhan.gaps import gap_table
    >>> lon = np.linspace(74.0, 75.0, 201); lat = np.full(201, 37.0)
    >>> prof = SimpleNamespace(lon=lon, lat=lat, distance_km=np.linspace(0, 88.9, 201))
    >>> from wakhan.settlements import Settlements, combine
    >>> a = Settlements(np.array([74.0]), np.array([37.01]), ("West",), DataSource("A"), "")
    >>> b = Settlements(np.array([75.0]), np.array([37.03]), ("East",), DataSource("B"), "")
    >>> (row,) = gap_table(prof.distance_km, lon, lat, [combine(a, b)], [5])
    >>> [(s["name"], s["source"], s["distance_from_route_km"]) for s in bounding_settlements(row, prof, [a, b])]
    [('West', 'A', 1.1), ('East', 'B', 3.3)]
    """
    gap = (row or {}).get("gap")
    if gap is None:
        return []
    out = []
    for end, lon, lat, km, open_ in (
        ("start", gap.start_lon, gap.start_lat, gap.start_km, gap.open_start),
        ("end", gap.end_lon, gap.end_lat, gap.end_km, gap.open_end),
    ):
        if open_:
            continue
        best = None
        for s in sets:
            if len(s) == 0:
                continue
            d, i = distance_to_nearest_km([lon], [lat], s)
            if best is None or float(d[0]) < best[0]:
                best = (float(d[0]), s, int(i[0]))
        if best is None:
            continue
        _, s, i = best
        out.append(
            {
                "end": end,
                "km": round(float(km), 3),  # as route km elsewhere: 0.1 km here, whole km in the report, rounded twice
                "name": str(s.names[i]),
                "source": s.source.name,
                "distance_from_route_km": round(_route_distance_km(float(s.lon[i]), float(s.lat[i]), profile), 1),
            }
        )
    return out


def blind_spots(gap_rows: dict, route: str, buffer_km: float, combined: str) -> list[dict]:
    """Per source (not the union), the longest stretch it alone leaves empty on ``route`` at ``buffer_km``.

    Each ``{"source", "longest_gap_km", "from_km", "to_km", "counted", "uncovered_countries"}``;
    ``counted`` is False where the gap runs through a country the source does not cover (its
    blind spot, not a depopulated stretch).

    Examples
    --------
    >>> rows = {"walk": [{"source": "A", "buffer_km": 5.0, "length_km": 120.0, "start_km": 3.0, "end_km": 123.0,
    ...                   "coverage_limited": True, "uncovered_countries": ["CN"]}]}
    >>> blind_spots(rows, "walk", 5.0, "A + B")[0]["counted"]
    False
    """
    out = []
    for r in gap_rows.get(route, []):
        if r["buffer_km"] != buffer_km or r["source"] == combined:
            continue
        out.append(
            {
                "source": r["source"],
                "longest_gap_km": round(float(r["length_km"]), 3),
                "from_km": None if r.get("start_km") is None else round(float(r["start_km"]), 3),
                "to_km": None if r.get("end_km") is None else round(float(r["end_km"]), 3),
                "counted": not r.get("coverage_limited", False),
                "uncovered_countries": list(r.get("uncovered_countries") or []),
            }
        )
    return out


def settlement_evidence(claim: Claim, gap_rows: dict, routes: dict, sets, combined: str) -> Claim:
    """``claim`` (the depopulated one) with who bounds its headline stretch and each source's blind spots.

    Adds ``details["bounding_settlements"]`` (the headline gap on foot, all sources together),
    ``details["longest_counted_gap"]`` (the longest gap the verdict counts, over every route and
    buffer with all sources together, with its bounding settlements) and ``details["blind_spots"]`` (per source, on foot,
    at the headline buffer), and one sentence naming the bounding settlements to the reason.

    Examples
    --------
    The 22.1 km walk of :func:`wakhan.claims.depopulated.route_gap_rows`'s example, a settlement at
    each end: they bound its one gap, and the reason names them.

    >>> import numpy as np
    >>> from wakhan.claims.depopulated import depopulated_claim, route_gap_rows
    >>> from wakhan.grid import DataSource
    >>> from wakhan.route.profile import profile_from_lonlat
    >>> from wakhan.route.result import RouteResult
    >>> from wakhan.settlements import Settlements
    >>> lon = np.linspace(72.0, 72.25, 101)
    >>> walk = RouteResult({"name": "walk"}, profile_from_lonlat(lon, np.full(101, 37.5), np.full(101, 3000.0)))
    >>> towns = Settlements(lon[[0, -1]], [37.5, 37.5], ("West", "East"), DataSource("towns"))
    >>> rows = route_gap_rows({ON_FOOT: walk}, [towns], buffers_km=(5.0,))
    >>> claim = depopulated_claim(rows, {ON_FOOT: 22.1}, ON_FOOT, "towns")
    >>> c = settlement_evidence(claim, rows, {ON_FOOT: walk}, [towns], "towns")
    >>> [(b["end"], b["name"]) for b in c.details["bounding_settlements"]], c.details["longest_counted_gap"]["length_km"]
    ([('start', 'West'), ('end', 'East')], 12.1)
    """
    details = dict(claim.details)
    head = next(
        (r for r in gap_rows.get(ON_FOOT, []) if r["source"] == combined and r["buffer_km"] == HEADLINE_BUFFER_KM),
        None,
    )
    bounds = bounding_settlements(head, routes[ON_FOOT].profile, sets) if head and ON_FOOT in routes else []
    details["bounding_settlements"] = bounds
    counted = [(k, r) for k, rows in gap_rows.items() for r in rows if not r.get("coverage_limited")]
    counted = [(k, r) for k, r in counted if r["source"] == combined] or counted  # what the verdict judges
    if counted:
        key, row = max(counted, key=lambda kr: kr[1]["length_km"])
        details["longest_counted_gap"] = {
            "route": key,
            "source": row["source"],
            "buffer_km": row["buffer_km"],
            "length_km": round(float(row["length_km"]), 1),
            "bounding_settlements": bounding_settlements(row, routes[key].profile, sets) if key in routes else [],
        }
    details["blind_spots"] = blind_spots(gap_rows, ON_FOOT, HEADLINE_BUFFER_KM, combined)
    reason = claim.reason
    if bounds:
        said = " and ".join(
            f"{b['name']} ({b['source']}, {b['distance_from_route_km']:g} km from the route at km {b['km']:,.1f})"
            for b in bounds
        )
        reason = reason.rstrip(".") + f"; the headline stretch on foot runs between {said}."
    return replace(claim, reason=reason, details=details)
