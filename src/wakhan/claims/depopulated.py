"""The depopulated-distance claim: "a depopulated distance of 300 kilometers".

:func:`route_gap_rows` measures the longest stretch without a settlement along
the routes (gap tables of :mod:`wakhan.gaps`, with the gaps that run through a
country a source does not cover flagged); :func:`depopulated_claim` turns those
tables into a verdict.
"""

from __future__ import annotations

from wakhan.claims.case_study import ON_FOOT, WAKHAN_HIGHWAY
from wakhan.claims.corridor_remoteness import remoteness_sentence
from wakhan.claims.verdicts import DEPENDS, NOT_SUPPORTED, Claim, threshold_verdict
from wakhan.gaps import covered_countries, flag_coverage, gap_table

__all__ = [
    "BUFFERS_KM",
    "DEPOPULATED_KM",
    "GAP_ROUTES",
    "HEADLINE_BUFFER_KM",
    "STATEMENT",
    "depopulated_claim",
    "describe_depopulated",
    "route_gap_rows",
]

#: The article's words.
STATEMENT = (
    "Transit would require specially trained armed personnel ... to cover a depopulated distance of 300 kilometers."
)
#: The claim's threshold.
DEPOPULATED_KM = 300.0
#: Buffers (km): a stretch is depopulated when no settlement lies within the buffer of any point of it.
BUFFERS_KM = (2.0, 5.0, 10.0, 20.0)
#: The buffer of the claim's headline value.
HEADLINE_BUFFER_KM = 5.0
#: The routes whose gaps are measured, the headline route first.
GAP_ROUTES = (ON_FOOT, WAKHAN_HIGHWAY)


def describe_depopulated(buffers_km=BUFFERS_KM, headline_buffer_km: float = HEADLINE_BUFFER_KM) -> str:
    """The definition of a depopulated stretch in words, with the buffers used.

    Examples
    --------
    >>> describe_depopulated((5.0, 10.0), 5.0)
    'a stretch of route with no settlement within the buffer distance (5, 10 km; headline 5 km)'
    """
    return (
        f"a stretch of route with no settlement within the buffer distance "
        f"({', '.join(f'{b:g}' for b in buffers_km)} km; headline {headline_buffer_km:g} km)"
    )


def route_gap_rows(routes: dict, gap_sets, buffers_km=BUFFERS_KM) -> dict:
    """Gap tables of the routes in :data:`GAP_ROUTES`, coverage-flagged.

    ``routes``: route id -> RouteResult; ``gap_sets``: Settlements sets.
    Returns route id -> rows of :func:`wakhan.gaps.gap_table`, each row also
    carrying ``coverage_limited`` and ``uncovered_countries``
    (:func:`wakhan.gaps.flag_coverage`).

    Examples
    --------
    A 22.1 km walk east along 37.5 N with a settlement at each end: one gap, the 12.1 km more than
    5 km from both (22.1 less 5 at each end).

    >>> import numpy as np
    >>> from wakhan.claims.case_study import ON_FOOT
    >>> from wakhan.grid import DataSource
    >>> from wakhan.route.profile import profile_from_lonlat
    >>> from wakhan.route.result import RouteResult
    >>> from wakhan.settlements import Settlements
    >>> lon = np.linspace(72.0, 72.25, 101)
    >>> walk = RouteResult({"name": "walk"}, profile_from_lonlat(lon, np.full(101, 37.5), np.full(101, 3000.0)))
    >>> towns = Settlements(lon[[0, -1]], [37.5, 37.5], ("West", "East"), DataSource("towns"))
    >>> rows = route_gap_rows({ON_FOOT: walk}, [towns], buffers_km=(5.0,))
    >>> round(float(walk.profile.distance_km[-1]), 1), [(r["source"], round(r["length_km"], 1)) for r in rows[ON_FOOT]]
    (22.1, [('towns', 12.1)])
    """
    covered = {s.name: covered_countries(s.lon, s.lat) for s in gap_sets}
    gap_rows = {}
    for key in GAP_ROUTES:
        if key in routes:
            p = routes[key].profile
            gap_rows[key] = flag_coverage(gap_table(p.distance_km, p.lon, p.lat, gap_sets, buffers_km), p, covered)
    return gap_rows


def depopulated_claim(
    gap_rows: dict,
    route_lengths_km: dict,
    headline_route: str,
    headline_source: str,
    *,
    headline_buffer_km: float = HEADLINE_BUFFER_KM,
    remoteness: dict | None = None,
    judged_source: str | None = None,
) -> Claim:
    """Verdict on "a depopulated distance of 300 km" from gap tables.

    ``gap_rows``: route key -> rows of :func:`wakhan.gaps.gap_table`;
    ``route_lengths_km``: route key -> route length; ``headline_buffer_km``:
    the buffer of the claim's value (a scenario sweep may use another);
    ``remoteness``: :meth:`CorridorRemoteness.details` of the corridor's remoteness
    surface, which adds the route-independent sentence and ``details["remoteness"]``.
    ``judged_source``: the source whose gaps decide the verdict (the union of all sources given;
    None: every source).

    Examples
    --------
    A walk of 250 km whose longest gap is 120 km, in one source at one buffer:

    >>> rows = [{"source": "OSM", "buffer_km": 5.0, "length_km": 120.0, "open_start": False, "open_end": False}]
    >>> c = depopulated_claim({"walk": rows}, {"walk": 250.0}, "walk", "OSM")
    >>> c.verdict, c.value, c.reason[-52:]
    ('not supported', 120.0, 'the longest gap is 120-120 km, never 300 km or more.')
    """
    counted = [r for rows in gap_rows.values() for r in rows if not r.get("coverage_limited")]
    if judged_source is not None:  # all sources together decide; each alone is evidence of its blind spots
        counted = [r for r in counted if r["source"] == judged_source] or counted
    if not counted:
        counted = [r for rows in gap_rows.values() for r in rows]
    lengths = [r["length_km"] for r in counted]
    verdict = threshold_verdict(lengths, DEPOPULATED_KM - 1e-9)
    head = next(
        (
            r
            for r in gap_rows[headline_route]
            if r["source"] == headline_source and r["buffer_km"] == headline_buffer_km
        ),
        None,
    )
    walk_len = route_lengths_km[headline_route]
    value = head["length_km"] if head else 0.0
    reason = (
        f"On foot, staying in Afghanistan and China, it is {walk_len:,.0f} km from Sarhad-e Broghil, where "
        f"the Wakhan road ends, to the first Chinese settlement; the longest stretch with no settlement within "
        f"{headline_buffer_km:g} km is {value:,.0f} km ({headline_source})"
    )
    buffers = [r["buffer_km"] for rows in gap_rows.values() for r in rows] or list(BUFFERS_KM)
    reason += (
        f"; over every route, {'with all sources together,' if judged_source else 'settlement source'} "
        f"and buffer of {min(buffers):g}-{max(buffers):g} km "
        f"the longest gap is {min(lengths):,.0f}-{max(lengths):,.0f} km, "
        f"{'never' if verdict == NOT_SUPPORTED else 'sometimes' if verdict == DEPENDS else 'always'} "
        f"{DEPOPULATED_KM:,.0f} km or more"
    )
    limited = sorted({r["source"] for rows in gap_rows.values() for r in rows if r.get("coverage_limited")})
    if limited:
        reason += (
            f"; gaps that run through a country a source does not cover ({'; '.join(limited)}) "
            "are shown but not counted"
        )
    reason += "."
    if remoteness:
        reason += " " + remoteness_sentence(remoteness, DEPOPULATED_KM) + "."
    open_ended = sorted({r["source"] for rows in gap_rows.values() for r in rows if r["open_end"] or r["open_start"]})
    return Claim(
        "depopulated",
        STATEMENT,
        verdict,
        round(value, 1),
        "km",
        reason,
        {
            "headline": {"route": headline_route, "source": headline_source, "buffer_km": headline_buffer_km},
            "route_lengths_km": route_lengths_km,
            "gaps": {
                k: [{kk: vv for kk, vv in r.items() if kk != "gap"} for r in rows] for k, rows in gap_rows.items()
            },
            "open_ended_sources": open_ended,
            **({"remoteness": remoteness} if remoteness else {}),
        },
    )
