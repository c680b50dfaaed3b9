"""The highway claim's measuring step: steep sections, roadless stretches, design-grade sensitivity, winter.

:func:`evaluate_highway` measures, on the routes of :func:`wakhan.claims.scenarios.highway_routes`,
what the verdict of :func:`wakhan.claims.highway.highway_claim` reads: the Wakhan route's km
steeper than each of :data:`DESIGN_GRADES_PCT`, its stretches in Afghanistan away from the
existing road (:func:`roadless_stretches`), the routes re-solved at other design grades
(:func:`design_grade_sensitivity`), and the winter inputs (avalanche exposure of every route,
the all-season variant of :mod:`wakhan.claims.all_season`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from wakhan.borders import country_at
from wakhan.claims.all_season import ALL_SEASON_SUFFIX, DEFAULT_CLOSURE_MONTHS, all_season_route
from wakhan.claims.case_study import (
    END,
    EXISTING_ROAD,
    HIGHWAY_VARIANTS,
    KARAKORAM_HIGHWAY,
    ON_FOOT,
    START,
    WAKHAN_HIGHWAY,
    variant,
)
from wakhan.claims.highway import _json_fields, _mid_per_km, _tunnel_km, highway_claim
from wakhan.claims.track_cost import track_sensitivity
from wakhan.claims.track_reroute import track_rerouted
from wakhan.claims.verdicts import Claim, a_number
from wakhan.claims.winter import route_avalanche
from wakhan.cost.highway import DEFAULT_DESIGN_GRADE_PCT
from wakhan.errors import RouteError
from wakhan.plan.compare import compare_routes
from wakhan.route.runs import true_runs
from wakhan.route.stats import steep_sections

__all__ = [
    "evaluate_highway",
    "roadless_stretches",
    "design_grade_sensitivity",
    "SENSITIVITY_DESIGN_GRADES_PCT",
    "DESIGN_GRADES_PCT",
    "HEADLINE_DESIGN_GRADE_PCT",
]

#: The design grade whose steep sections are listed in the report: the highway model's own (7 %,
#: JTG D20-2017 for a 40 km/h mountain highway), the grade the verdict's routes are built to.
HEADLINE_DESIGN_GRADE_PCT = DEFAULT_DESIGN_GRADE_PCT
#: Design grades (percent) at which the km of the Wakhan route steeper than the grade are reported.
DESIGN_GRADES_PCT = (6.0, HEADLINE_DESIGN_GRADE_PCT, 8.0, 10.0)

#: Design grades (percent, below 3,000 m) at which the Wakhan and Karakoram Highway routes are
#: solved again to show how the answer moves (the headline is the model's default, 7 %).
SENSITIVITY_DESIGN_GRADES_PCT = (6.0, 8.0)


def design_grade_sensitivity(
    dem,
    neighbours,
    grades=SENSITIVITY_DESIGN_GRADES_PCT,
    progress=None,
    infrastructure=None,
    catchment_source=None,
) -> dict:
    """``grade -> {wakhan-highway: {...}, karakoram-highway: {...}, cost_per_km_ratio}`` re-solved on ``dem``.

    Every plan option but the design grade is the headline routes' (:func:`wakhan.claims.scenarios.highway_routes`):
    ``infrastructure``: ``roads``/``structures`` as the headline routes had them
    (:func:`wakhan.claims.case_study.existing_infrastructure`). ``catchment_source``: the source
    ``dem`` was built from ("pack", "tiles" or a path), over whose wider box the headline routes
    count the catchments of the streams they bridge; given, only the design grade differs from
    the headline, so at the headline's grade the routes are the headline's.

    Examples
    --------
    On a gentle ramp of 20 km cells over the region (no climb steep enough for switchbacks), both
    routes are found at 8 %; the one through Pakistan is the longer, at about the same cost per km:

    >>> from affine import Affine
    >>> from pyproj import Transformer
    >>> from wakhan.grid import Grid
    >>> x0, y0 = Transformer.from_crs("EPSG:4326", "EPSG:32643", always_xy=True).transform(67.5, 40.5)
    >>> rows, cols = np.mgrid[0:45, 0:50]
    >>> ramp = (1500.0 + 4.0 * cols + 6.0 * rows).astype(np.float32)
    >>> dem = Grid(ramp, Affine(20000.0, 0, x0, 0, -20000.0, y0), "EPSG:32643")
    >>> row = design_grade_sensitivity(dem, 8, grades=(8.0,))["8"]
    >>> wakhan, kkh = row[WAKHAN_HIGHWAY], row[KARAKORAM_HIGHWAY]
    >>> wakhan["switchback_km"], kkh["length_km"] > wakhan["length_km"], round(row["cost_per_km_ratio"], 1)
    (0.0, True, 1.0)
    """

    pair = [v for v in HIGHWAY_VARIANTS if v.key in (WAKHAN_HIGHWAY, KARAKORAM_HIGHWAY)]
    out: dict[str, dict[str, Any]] = {}
    for g in grades:
        if progress:
            progress(f"highway routes at {a_number(g)} % design grade")
        try:
            rs = compare_routes(
                START,
                END,
                pair,
                model="highway",
                dem=dem,
                neighbours=neighbours,
                tunnels=True,
                design_grade_pct=g,
                catchment_source=catchment_source,
                **(infrastructure or {}),
            )
        except RouteError as exc:
            out[f"{g:g}"] = {"error": str(exc)}
            continue
        row: dict[str, Any] = {
            v.key: _json_fields(
                r.summary, ("length_km", "built_length_km", "switchback_km", "hairpins", "max_elevation_m", "cost_usd")
            )
            | {"tunnel_km": round(_tunnel_km(r.summary), 3)}
            for v, r in zip(pair, rs)
        }
        a, b = (_mid_per_km(r.summary) for r in rs)
        row["cost_per_km_ratio"] = round(a / b, 3) if a and b else None
        out[f"{g:g}"] = row
    return out


def roadless_stretches(route, road_route, away_km: float = 5.0, country: str = "AF") -> list[dict]:
    """Stretches of ``route`` in ``country`` more than ``away_km`` from ``road_route`` (same DEM CRS).

    Returns ``[{start_km, end_km, length_km, away_km, max_elevation_m}]`` (at least 2 km long).

    Examples
    --------
    A route due east along 36 N in Afghanistan on 1 km steps, and a road that follows it but for
    x = 30-60 km, where it runs 8 km to the south: the route's points from km 35 to 55 lie more
    than 5 km from every point of the road.

    >>> from types import SimpleNamespace
    >>> from wakhan.route.profile import Profile
    >>> x = np.arange(0, 91) * 1000.0
    >>> lon, lat = 69.0 + x / 90_000.0, np.full(x.size, 36.0)
    >>> route = SimpleNamespace(profile=Profile(x / 1000.0, lon, lat, np.full(x.size, 2000.0), x, 0 * x))
    >>> road_y = np.where((x >= 30_000) & (x <= 60_000), -8000.0, 0.0)
    >>> road = SimpleNamespace(profile=Profile(x / 1000.0, lon, lat, 0 * x, x, road_y))
    >>> roadless_stretches(route, road)
    [{'start_km': 35.0, 'end_km': 55.0, 'length_km': 20.0, 'away_km': 5.0, 'max_elevation_m': 2000.0}]
    """
    from scipy.spatial import cKDTree  # lazy: scipy, only for this step

    p, q = route.profile, road_route.profile
    dist, _ = cKDTree(np.column_stack([q.x, q.y])).query(np.column_stack([p.x, p.y]))
    off = (dist > away_km * 1000.0) & (np.asarray(country_at(p.lon, p.lat)) == country)
    out = []
    for i, stop in true_runs(off):
        a, b = float(p.distance_km[i]), float(p.distance_km[stop - 1])
        if b - a >= 2.0:
            out.append(
                {
                    "start_km": round(a, 1),
                    "end_km": round(b, 1),
                    "length_km": round(b - a, 1),
                    "away_km": away_km,
                    "max_elevation_m": round(float(np.nanmax(p.elevation_m[i:stop])), 0),
                }
            )
    return out


def evaluate_highway(
    routes: dict,
    error: str | None,
    neighbours: int,
    progress=None,
    *,
    infrastructure: dict | None = None,
    closure_months: float = DEFAULT_CLOSURE_MONTHS,
    avalanche_alpha_deg: float | None = None,
    open_sections=None,
    dem_source=None,
) -> Claim:
    """The highway claim from the routes of :func:`wakhan.claims.scenarios.highway_routes`.

    Measures the Wakhan route's steep sections at :data:`DESIGN_GRADES_PCT`
    (and stores those at :data:`HEADLINE_DESIGN_GRADE_PCT` in its summary as
    ``steep_sections``), its roadless stretches and the design-grade
    sensitivity, then judges with :func:`highway_claim`. ``error``: why no
    highway route was found, when none was. ``open_sections``: the sections kept open all year of the
    roads the run uses (:func:`wakhan.claims.kept_open.open_sections_of`; default: the bundled roads').
    ``dem_source``: the source the routes' grid was built from ("pack", "tiles", a path; None: the grid was
    given), for the Wakhan route planned again without the track (:func:`~wakhan.claims.track_reroute.track_rerouted`)
    and the design-grade sensitivity, which count stream catchments over it as the headline routes did.

    Examples
    --------
    Without a Wakhan highway route there is nothing to measure; the verdict says so:

    >>> c = evaluate_highway({}, "no path through the Wakhjir Pass", 8)
    >>> c.verdict, c.reason.split(": ")[-1]
    ('not supported', 'no path through the Wakhjir Pass')
    """

    steep = {}
    hw = routes.get(WAKHAN_HIGHWAY)
    if hw is not None:
        # on the profile the route's max_grade_pct was measured on, so the two tables agree
        t = hw.summary.terrain
        sections = {
            g: steep_sections(hw.profile, g, t.grade_design_length_km or 1.0, smoothing_km=t.smoothing_km or None)
            for g in sorted({*DESIGN_GRADES_PCT, HEADLINE_DESIGN_GRADE_PCT})
        }
        steep = {str(g): round(sum(x["length_km"] for x in sections[g]), 1) for g in DESIGN_GRADES_PCT}
        # the summary is frozen: the route with its steep sections replaces the one in ``routes``
        hw = replace(hw, summary=hw.summary.with_fields(steep_sections=sections[HEADLINE_DESIGN_GRADE_PCT]))
        routes[WAKHAN_HIGHWAY] = hw
    roadless = roadless_stretches(hw, routes[EXISTING_ROAD]) if hw is not None and EXISTING_ROAD in routes else None
    sensitivity = (
        design_grade_sensitivity(
            hw.dem, neighbours, progress=progress, infrastructure=infrastructure, catchment_source=dem_source
        )
        if hw is not None
        else None
    )
    winter = None
    if hw is not None:
        if progress:
            progress("winter closure, avalanche exposure and the all-season variant")
        key = WAKHAN_HIGHWAY + ALL_SEASON_SUFFIX
        # kept open all year the road would use the Salang tunnel, which the existing-road variant goes through
        base = EXISTING_ROAD if EXISTING_ROAD in routes else WAKHAN_HIGHWAY
        routes[key] = all_season_route(routes[base], base, closure_months=closure_months, open_sections=open_sections)
        winter = {"closure_months_limit": closure_months, "all_season_route": key}
        alpha = {} if avalanche_alpha_deg is None else {"alpha_deg": avalanche_alpha_deg}
        for k in [k for k in routes if k != ON_FOOT]:
            av = route_avalanche(routes[k], **alpha)
            extra = {**routes[k].summary.extra, "avalanche_exposed_km": av["avalanche_exposed_km"], "avalanche": av}
            routes[k] = replace(routes[k], summary=routes[k].summary.with_fields(extra=extra))
    track = None
    if hw is not None and infrastructure and infrastructure.get("roads"):
        kkh = routes.get(KARAKORAM_HIGHWAY)
        kkh_usd_per_km = _mid_per_km(kkh.summary) if kkh else None
        track = track_sensitivity(hw, infrastructure["roads"], kkh_usd_per_km)
        if progress:
            progress("the Wakhan highway searched again without the Wakhan track")
        try:
            track["rerouted"] = track_rerouted(
                hw, variant(WAKHAN_HIGHWAY), infrastructure, neighbours, kkh_usd_per_km, catchment_source=dem_source
            )
        except RouteError as exc:
            track["rerouted"] = {"error": str(exc)}
        if EXISTING_ROAD in routes:  # the variant along the existing road runs the same track: its price the same way
            track["existing_road"] = track_sensitivity(routes[EXISTING_ROAD], infrastructure["roads"], kkh_usd_per_km)
    return highway_claim(
        {k: r.summary for k, r in routes.items() if k != ON_FOOT},
        steep,
        error,
        roadless,
        sensitivity,
        winter,
        open_sections=open_sections,
        track=track,
    )
