"""The groups of fields a route summary is assembled from (:func:`wakhan.route.summary.build_summary`).

Each function measures or looks up one group: the cost model, the passes, the
waypoints, the grid and its data sources, the borders' citation, the optimality
gap, and a planned highway's engineering and cost. They return plain JSON-like
values; :mod:`wakhan.route.summary` decides what goes into the frozen record.
"""

from __future__ import annotations

import numpy as np

from wakhan.route.costing import route_cost
from wakhan.route.engineering import engineering_summary
from wakhan.route.naming import name_point
from wakhan.solve.crossings import find_passes
from wakhan.sources import pack

__all__ = [
    "model_fields",
    "pass_fields",
    "waypoint_fields",
    "grid_fields",
    "borders_source",
    "optimality_fields",
    "highway_fields",
]


def model_fields(model) -> dict:
    if model is None:
        return {}
    if isinstance(model, str):
        return {"model": model}
    out = {"model": getattr(model, "name", str(model))}
    if hasattr(model, "describe"):
        out["model_description"] = model.describe()
    if getattr(model, "max_grade_pct", None) is not None:
        out["model_max_grade_pct"] = float(model.max_grade_pct)
    return out


def pass_fields(profile, d_raw, z_raw, d_s, z_s, places, smoothing_km, step_km, pass_prominence_m, pass_name_km):
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
    if dem is None:
        return [dict(s) for s in (sources or ())], None
    dx, dy = dem.res
    epsg = dem.crs.to_epsg()
    grid = {
        "crs": f"EPSG:{epsg}" if epsg else dem.crs.to_proj4(),
        "resolution": dem.describe_resolution(),
        "cell_size": [round(float(dx), 3), round(float(dy), 3)],
        "notes": list(dem.notes),
    }
    return [s.as_dict() for s in dem.sources], grid


def borders_source() -> dict:
    """The region pack's country borders as a data source (cited when a route's km by country were measured)."""
    return pack.source_of("countries.geojson").as_dict()


def optimality_fields(certs, paths, grid) -> dict:
    """``optimality_gap_pct`` of the whole route and how it was bounded (legs' bounds add up).

    ``certs`` holds each leg's :class:`wakhan.solve.refine.Certificate`, or None for
    a leg solved exactly over the full grid.
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


def highway_fields(
    paths, grid, cost_model, profile, tunnel_dicts, on_road, tunnels: bool, max_elevation_m, roads
) -> dict:
    """Engineering, tunnels and cost range of a highway route: the summary fields of a planned highway.

    ``tunnel_dicts`` are the route's tunnels as summary dicts, ``on_road`` the
    existing-road cells (or None), ``tunnels`` whether tunnels were allowed,
    ``roads`` the road file given (or None).
    """
    out = engineering_summary(paths, grid, cost_model, profile, tunnel_dicts, on_road)
    out["tunnels"] = tunnel_dicts
    out["cost_usd"] = route_cost(out["built_km_by_class"])
    if out["road_length_factor"] != 1.0:
        out["cost_usd"]["basis"] += (
            f"; surface km are built km x {out['road_length_factor']:g}, the bias "
            "of grid routes against published road distances "
            "(benchmarks/route_lengths.md)"
        )
    out["tunnels_allowed"] = bool(tunnels)
    out["max_elevation_ceiling_m"] = max_elevation_m
    if roads is not None:
        out["roads_file"] = str(roads)
        out["on_existing_road_km"] = out["built_km_by_class"]["upgrade"]["km"]
    return out
