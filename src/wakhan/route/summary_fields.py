"""A route summary assembled (:func:`build_summary`) from the groups of fields it is made of.

Each ``*_fields`` function measures or looks up one group: the cost model, the
passes, the waypoints, the grid and its data sources, the borders' citation and the
optimality gap (a planned highway's engineering and cost:
:func:`wakhan.route.highway_fields.highway_fields`). They return plain JSON-like values;
:func:`build_summary` puts them into the frozen, sectioned
:class:`wakhan.route.summary.RouteSummary`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from wakhan.borders import country_at as auto_country_at
from wakhan.borders import layer_covers
from wakhan.cost import HighwayModel, IsotropicModel, WalkingModel
from wakhan.dem.project import crs_text
from wakhan.places import load_places
from wakhan.route.artefacts import mark_artefacts, mark_portal_crests
from wakhan.route.geometry import simplified_linestring
from wakhan.route.naming import PASS_NAME_KM, name_point, places_along
from wakhan.route.profile import Profile
from wakhan.route.source_shares import source_shares
from wakhan.route.stats import (
    OUTSIDE_LAYER,
    THRESHOLDS_M,
    climb_descent,
    countries_km,
    default_smoothing_km,
    filled_elevation,
    km_above,
    max_grade,
    smoothed,
    weighted_stats,
)
from wakhan.route.summary import RouteSummary
from wakhan.solve.crossings import find_passes
from wakhan.sources import pack

__all__ = [
    "build_summary",
    "model_fields",
    "pass_fields",
    "waypoint_fields",
    "grid_fields",
    "borders_source",
    "optimality_fields",
]


def model_fields(model: HighwayModel | WalkingModel | IsotropicModel | str | None) -> dict:
    """``model``, ``model_description`` and ``model_max_grade_pct`` of a cost model (or just its name).

    Examples
    --------
    >>> from wakhan.cost import get_model
    >>> f = model_fields(get_model("walking"))
    >>> f["model"], f["model_max_grade_pct"], model_fields("highway"), model_fields(None)
    ('walking', 100.0, {'model': 'highway'}, {})
    """
    if model is None:
        return {}
    if isinstance(model, str):
        return {"model": model}
    if not isinstance(model, (HighwayModel, WalkingModel, IsotropicModel)):
        raise TypeError(f"model_fields needs a cost model of wakhan.cost or its name, not {type(model).__name__}")
    return {
        "model": model.name,
        "model_description": model.describe(),
        "model_max_grade_pct": float(model.max_grade_pct),
    }


def pass_fields(profile, d_raw, z_raw, d_s, z_s, places, smoothing_km, step_km, pass_prominence_m, pass_name_km):
    """The passes: high points of the smoothed profile ``(d_s, z_s)`` standing ``pass_prominence_m`` above both sides.

    Each is reported at the raw high point (``d_raw``, ``z_raw``) within the smoothing
    window, and named after a gazetteer place within ``pass_name_km`` when ``places`` are given.

    Examples
    --------
    A 1,000 m bell-shaped ridge at km 10 of a 20 km route:

    >>> from types import SimpleNamespace
    >>> d = np.linspace(0, 20, 401); z = 3000 + 1000 * np.exp(-(((d - 10) / 2) ** 2))
    >>> prof = SimpleNamespace(lon=np.linspace(71.0, 71.2, 401), lat=np.full(401, 37.0))
    >>> pass_fields(prof, d, z, d, z, None, 1.0, 0.05, 300.0, 5.0)
    [{'name': None, 'lat': 37.0, 'lon': 71.1, 'elevation_m': 4000.0, 'km': 10.0, 'prominence_m': 1000.0}]
    """
    passes = []
    half = max(1, round(smoothing_km / step_km))
    for i, prominence in find_passes(d_s, z_s, pass_prominence_m):
        # report the raw high point within the smoothing window around the smoothed peak
        window = (d_raw >= d_s[max(i - half, 0)]) & (d_raw <= d_s[min(i + half, d_s.size - 1)])
        k = (
            int(np.flatnonzero(window)[np.argmax(z_raw[window])])
            if window.any()
            else int(np.argmin(np.abs(d_raw - d_s[i])))
        )
        entry = {
            "name": None,
            "lat": round(float(profile.lat[k]), 6),
            "lon": round(float(profile.lon[k]), 6),
            "elevation_m": round(float(z_raw[k]), 1),
            "km": round(float(d_raw[k]), 3),
            "prominence_m": round(prominence, 1),
        }
        if places:
            entry.update(name_point(entry["lon"], entry["lat"], places, pass_name_km))
        passes.append(entry)
    return passes


def waypoint_fields(profile, d_raw, z_raw, waypoints) -> list[dict]:
    """The waypoints as dicts with ``km`` along the route (the nearest sample when not given) and ``elevation_m``.

    Examples
    --------
    >>> from wakhan.route.profile import profile_from_lonlat
    >>> p = profile_from_lonlat([71.0, 71.05, 71.1], [37.0, 37.0, 37.0], [3000.0, 3400.0, 3100.0])
    >>> waypoint_fields(p, p.distance_km, p.elevation_m, [{"name": "mid", "lat": 37.0, "lon": 71.05}])
    [{'name': 'mid', 'lat': 37.0, 'lon': 71.05, 'km': 4.451, 'elevation_m': 3400.0}]
    """
    wps = []
    for wp in waypoints or ():
        wd = dict(wp) if isinstance(wp, dict) else {"name": wp.name, "lat": wp.lat, "lon": wp.lon}
        if wd.get("km") is None:
            k = int(np.argmin((profile.lon - wd["lon"]) ** 2 + ((profile.lat - wd["lat"]) * 1.0) ** 2))
            wd["km"] = float(d_raw[k])
        wd["km"] = round(float(wd["km"]), 3)
        wd.setdefault("elevation_m", round(float(np.interp(wd["km"], d_raw, z_raw)), 1))
        wps.append(wd)
    return wps


def grid_fields(dem, sources) -> tuple[list[dict], dict | None]:
    """``(data_sources, grid)``: the DEM's sources and its CRS, resolution, cell size and notes.

    Without a DEM, ``sources`` (e.g. read from a route file) and no grid.

    Examples
    --------
    >>> from affine import Affine
    >>> from wakhan.grid import Grid
    >>> dem = Grid(np.zeros((2, 2), np.float32), Affine(200.0, 0, 500_000, 0, -200.0, 4_100_000), "EPSG:32643")
    >>> grid_fields(dem, None)
    ([], {'crs': 'EPSG:32643', 'resolution': '200 m x 200 m', 'cell_size': [200.0, 200.0], 'notes': []})
    """
    if dem is None:
        return [dict(s) for s in (sources or ())], None
    dx, dy = dem.res
    grid = {
        "crs": crs_text(dem.crs),
        "resolution": dem.describe_resolution(),
        "cell_size": [round(float(dx), 3), round(float(dy), 3)],
        "notes": list(dem.notes),
    }
    return [s.as_dict() for s in dem.sources], grid


def borders_source() -> dict:
    """The region pack's country borders as a data source (cited when a route's km by country were measured).

    Examples
    --------
    >>> borders_source()["name"]
    'Natural Earth 10m admin-0 countries (German view)'
    """
    return pack.source_of("countries.geojson").as_dict()


def optimality_fields(certs, paths, grid) -> dict:
    """``optimality_gap_pct`` of the whole route and how it was bounded (legs' bounds add up).

    ``certs`` holds each leg's :class:`wakhan.solve.refine.Certificate`, or None for
    a leg solved exactly over the full grid.

    Examples
    --------
    Two legs, the second certified with a lower bound of 90 against its cost of 100:
    the route's gap is (300 - 290) / 300 = 3.3333 %.

    >>> from types import SimpleNamespace as NS
    >>> from affine import Affine
    >>> from wakhan.grid import Grid
    >>> dem = Grid(np.zeros((2, 2), np.float32), Affine(200.0, 0, 500_000, 0, -200.0, 4_100_000), "EPSG:32643")
    >>> paths = [NS(total_cost=200.0), NS(total_cost=100.0)]
    >>> optimality_fields([None, None], paths, dem)["optimality_gap_pct"]
    0.0
    >>> f = optimality_fields([None, NS(lower=90.0, method="coarse-to-fine")], paths, dem)
    >>> f["optimality_gap_pct"], f["lower_bound_cost"]
    (3.3333, 290.0)
    """
    upper = sum(float(p.total_cost) for p in paths)
    if all(c is None for c in certs):
        return {
            "optimality_gap_pct": 0.0,
            "optimality_bound": f"exact: every leg solved by A* over the full {grid.describe_resolution()} "
            "grid (gap 0 up to floating-point rounding)",
        }
    lower = sum(float(c.lower) if c is not None else float(p.total_cost) for c, p in zip(certs, paths))
    gap = 100.0 * (upper - lower) / upper if upper > 0 else 0.0
    return {
        "optimality_gap_pct": round(gap, 4),
        "lower_bound_cost": round(lower, 3),
        "optimality_bound": "certified per leg on the full-resolution graph: "
        + "; ".join(c.method for c in certs if c is not None),
    }


_AUTO = "auto"


def build_summary(
    profile: Profile,
    name: str = "route",
    dem=None,
    *,
    places=_AUTO,
    country_at: Callable | str | None = _AUTO,
    waypoints: Sequence | None = None,
    cost: float | None = None,
    cost_unit: str | None = None,
    model=None,
    sources: Sequence[dict] | None = None,
    grade_design_length_km: float = 1.0,
    step_km: float = 0.05,
    smoothing_km: float | None = None,
    pass_prominence_m: float = 300.0,
    pass_name_km: float = PASS_NAME_KM,
    places_within_km: float = 5.0,
    notes: Sequence[str] = (),
    cite_borders: bool | str = False,
    drainage=None,
    **more: Any,
) -> RouteSummary:
    """The summary of one route profile (the numbers of ``wakhan route --json``), built once.

    Parameters
    ----------
    profile : Profile
    name : str
        Route name shown in tables and figures.
    dem : Grid, optional
        The DEM the route was sampled from; names the data sources and grid.
    places : sequence of Place, "auto" or None
        Gazetteer used to name passes and list places along the route; "auto"
        loads ``wakhan.places.load_places()``; None names nothing.
    country_at : callable, "auto" or None
        ``country_at(lon, lat) -> ISO codes``; "auto" uses ``wakhan.borders``.
    waypoints : sequence of dict or Place, optional
        The requested waypoints; ``km`` along the route is found when missing.
    cost, cost_unit, model
        Solver total cost, its unit, and the cost model (object or name).
    sources : sequence of dict, optional
        Data sources when ``dem`` is not given (e.g. a profile read from a file).
    cite_borders : bool or "auto"
        Add the region pack's country borders to the data sources: always
        (True), never (False), or when the route's length by country was
        measured ("auto").
    drainage : wakhan.dem.drainage.Drainage, optional
        ``dem``'s drainage traced over the data around it: the catchments that mark a pass as a
        data artefact (:func:`wakhan.route.artefacts.mark_artefacts`).
    **more
        Further :class:`RouteSummary` fields (by their flat names) the caller has computed (legs,
        engineering, tunnels, cost_usd, within, optimality gap, walking days...);
        an unknown name raises ``TypeError``.

    Returns
    -------
    RouteSummary

    Examples
    --------
    >>> from wakhan.route import profile_from_lonlat
    >>> p = profile_from_lonlat([71.0, 71.05, 71.1], [37.0, 37.0, 37.0], [3000.0, 3400.0, 3100.0])
    >>> s = build_summary(p, "example", places=None, country_at=None, neighbours=8)
    >>> s.terrain.length_km, s.terrain.max_elevation_m, s.search.neighbours  # 0.1 deg of the WGS84 parallel at 37 N: 8.901 km
    (8.901, 3400.0, 8)
    """
    if smoothing_km is None:
        smoothing_km = default_smoothing_km(profile)
    d_raw = profile.distance_km
    z_raw = filled_elevation(profile)
    d_s, z_s = smoothed(profile, step_km, smoothing_km)
    mean, median = weighted_stats(d_raw, z_raw)
    climb, descent = climb_descent(z_s)
    grade, grade_km = max_grade(d_s, z_s, grade_design_length_km)
    if isinstance(places, str):
        places = list(load_places())
    covers = None
    if isinstance(country_at, str):
        country_at, covers = auto_country_at, layer_covers  # the bundled layer stops around the region
    by_country = countries_km(profile, country_at, covers) if country_at is not None else {}
    data_sources, grid = grid_fields(dem, sources)
    on_sources = source_shares(dem, profile) if dem is not None else None  # needs the grid's per-cell source index
    shares: dict[str, Any] = {} if on_sources is None else {"source_shares": on_sources}
    if cite_borders is True or (cite_borders == _AUTO and set(by_country) - {OUTSIDE_LAYER}):
        borders = borders_source()
        if borders not in data_sources:
            data_sources.append(borders)
    geometry = more.pop("geometry", simplified_linestring(profile))
    wps = waypoint_fields(profile, d_raw, z_raw, waypoints)  # listed, and read by the portal-crest check
    return RouteSummary.of(
        name=name,
        length_km=round(float(d_raw[-1] - d_raw[0]), 3),
        start_elevation_m=round(float(z_raw[0]), 1),
        end_elevation_m=round(float(z_raw[-1]), 1),
        min_elevation_m=round(float(z_raw.min()), 1),
        mean_elevation_m=round(mean, 1),
        median_elevation_m=round(median, 1),
        max_elevation_m=round(float(z_raw.max()), 1),
        km_above_4000m=round(km_above(d_raw, z_raw, 4000.0), 3),
        km_above_m={str(t): round(km_above(d_raw, z_raw, float(t)), 3) for t in THRESHOLDS_M},
        climb_m=round(climb, 1),
        descent_m=round(descent, 1),
        max_grade_pct=round(grade, 2),
        max_grade_km=round(grade_km, 3),
        grade_design_length_km=grade_design_length_km,
        smoothing_km=round(smoothing_km, 3),
        smoothing=(
            f"elevations resampled every {step_km * 1000:.0f} m and averaged over a centred "
            f"{smoothing_km:.2f} km window before climb, descent, grade and passes"
        ),
        passes=mark_portal_crests(  # a crest just past an existing tunnel's portal: the ridge it passes under
            mark_artefacts(  # a saddle on a large stream: a dam in the data (issue 18)
                pass_fields(
                    profile, d_raw, z_raw, d_s, z_s, places, smoothing_km, step_km, pass_prominence_m, pass_name_km
                ),
                dem,
                drainage=drainage,
            ),
            wps,
            dem,
        ),
        places_along=places_along(profile, places, places_within_km) if places else [],
        waypoints=wps,
        countries_km=by_country,
        cost=None if cost is None else round(float(cost), 3),
        cost_unit=cost_unit,
        **model_fields(model),
        data_sources=data_sources,
        grid=grid,
        **shares,
        notes=tuple(notes),
        geometry=geometry,
        **more,
    )
