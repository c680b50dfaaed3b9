"""The altitude claim: "an average altitude of more than 4,000 m", read over the area and along the routes.

:func:`corridor_altitude` measures the corridor (every reading in
:data:`wakhan.claims.case_study.DEFINITIONS`) on a DEM and along the routes;
:func:`altitude_claim` turns those numbers into a verdict.
"""

from __future__ import annotations

from wakhan.claims.case_study import (
    DEFAULT_DEFINITION,
    DEFINITIONS,
    ON_FOOT,
    WAKHAN_HIGHWAY,
)
from wakhan.claims.corridor import area_statistics, corridor_region, route_statistics
from wakhan.claims.verdicts import DEPENDS, Claim, threshold_verdict
from wakhan.dem import build_dem
from wakhan.grid import Grid
from wakhan.sources import pack

__all__ = ["ALTITUDE_M", "ALTITUDE_ROUTES", "STATEMENT", "altitude_claim", "area_dems", "corridor_altitude"]

#: The article's words.
STATEMENT = "The region has an average altitude of more than 4,000 meters."
#: The claim's threshold.
ALTITUDE_M = 4000.0
#: The routes whose mean elevation inside the corridor is the claim's second reading.
ALTITUDE_ROUTES = (WAKHAN_HIGHWAY, ON_FOOT)


def altitude_claim(area_by_def: dict, routes_by_def: dict, *, headline_definition=None) -> Claim:
    """Verdict on "an average altitude of more than 4,000 m" from both readings.

    ``area_by_def``: definition key -> AreaStatistics; ``routes_by_def``:
    definition key -> {route key: route_statistics dict or None};
    ``headline_definition``: the CorridorDefinition whose area mean is the
    claim's value (default :data:`DEFAULT_DEFINITION`; a scenario sweep may
    judge one definition alone).

    Examples
    --------
    The corridor's area averages 4,300 m but the one route through it 3,600 m: the readings disagree.

    >>> from wakhan.claims.corridor import AreaStatistics
    >>> area = AreaStatistics(4300.0, 4400.0, {"4000": 0.7}, 1.0e4, 1000, 2500.0, 7000.0, "built")
    >>> key = DEFAULT_DEFINITION.key
    >>> c = altitude_claim({key: area}, {key: {"walk": {"mean_elevation_m": 3600.0}}})
    >>> c.verdict, c.value, c.details["readings"]
    ('depends', 4300.0, {'area_mean': 'supported', 'route_mean': 'not supported'})
    """
    head = headline_definition or DEFAULT_DEFINITION
    area_means = {k: a.mean_m for k, a in area_by_def.items()}
    route_means = {(d, r): s["mean_elevation_m"] for d, rs in routes_by_def.items() for r, s in rs.items() if s}
    v_area = threshold_verdict(area_means.values(), ALTITUDE_M)
    v_route = threshold_verdict(route_means.values(), ALTITUDE_M) if route_means else None
    default = head.key
    a = area_by_def[default]
    lo_r = min(route_means.values()) if route_means else None
    hi_r = max(route_means.values()) if route_means else None
    if v_route is None or v_route == v_area:
        verdict = v_area
    else:
        verdict = DEPENDS
    reason = (
        f"Averaged over its area, the corridor ('{default}': {head.country} east of "
        f"{head.east_of_lon:g}\u00b0E, north of {head.north_of_lat:g}\u00b0N) "
        f"has a mean elevation of "
        f"{a.mean_m:,.0f} m (median {a.median_m:,.0f} m, {a.share_above_m['4000'] * 100:.0f} % above 4,000 m)"
        f" - {v_area} under all {len(area_means)} corridor definitions"
    )
    if route_means:
        reason += (
            f"; along the routes people would travel its mean is {lo_r:,.0f}-{hi_r:,.0f} m - {v_route}, "
            "because roads and paths follow the valleys while the area average counts every peak and glacier"
        )
    reason += "."
    return Claim(
        "altitude",
        STATEMENT,
        verdict,
        round(a.mean_m, 1),
        "m",
        reason,
        {
            "readings": {"area_mean": v_area, "route_mean": v_route},
            "area": {k: s.as_dict() for k, s in area_by_def.items()},
            "routes": {d: rs for d, rs in routes_by_def.items()},
        },
    )


def area_dems(dem):
    """``region -> Grid`` for area statistics, and the independent check grid (or None).

    On the pack: the GEBCO grid in its native 15" cells for every region, and
    NOAA GLOBE 30" as the check, each read once. Otherwise a DEM built over
    each region's box, and no check.

    Examples
    --------
    Off the region pack, each region's DEM is built when asked for, and there is no check grid:

    >>> area_dem, check_dem = area_dems("srtm")
    >>> callable(area_dem), check_dem
    (True, None)
    """
    if dem == "pack":
        gebco = pack.open_gebco()
        return (lambda region: gebco), pack.open_globe()

    return (lambda region: build_dem(region.bounds, source=dem)), None


def corridor_altitude(routes: dict, area_dem, check_dem=None, definitions=DEFINITIONS):
    """Area and along-route elevation statistics of every corridor reading.

    Parameters
    ----------
    routes : dict
        Route id -> RouteResult; those in :data:`ALTITUDE_ROUTES` are measured.
    area_dem : callable(region) -> Grid, or Grid
        The DEM of the area statistics.
    check_dem : Grid, optional
        An independent DEM on which the areas are measured again.
    definitions : sequence of CorridorDefinition

    Returns
    -------
    (dict, dict, dict)
        ``area`` (definition key -> AreaStatistics), ``along`` (definition
        key -> {route id: route_statistics or None}) and ``area_check``
        (definition key -> AreaStatistics on ``check_dem``; empty without it).

    Examples
    --------
    On a flat 4,500 m grid over the region every reading of the corridor averages 4,500 m; with no
    routes there is nothing to measure along them:

    >>> import numpy as np
    >>> from affine import Affine
    >>> flat = Grid(np.full((40, 80), 4500.0, np.float32), Affine(0.1, 0, 70.0, 0, -0.1, 39.0), "EPSG:4326")
    >>> area, along, area_check = corridor_altitude({}, flat, check_dem=flat, definitions=DEFINITIONS[:1])
    >>> round(area["wakhan"].mean_m, 6), round(area_check["wakhan"].mean_m, 6), along
    (4500.0, 4500.0, {'wakhan': {}})
    """
    area, along, area_check = {}, {}, {}
    for d in definitions:
        region = corridor_region(d)
        area[d.key] = area_statistics(area_dem if isinstance(area_dem, Grid) else area_dem(region), region)
        if check_dem is not None:
            # the same area on the coarser, independent NOAA GLOBE grid: how much the DEM matters
            area_check[d.key] = area_statistics(check_dem, region)
        along[d.key] = {k: route_statistics(routes[k].profile, region) for k in ALTITUDE_ROUTES if k in routes}
    return area, along, area_check
