"""What a remoteness surface says in numbers: its most remote cell, and the share of the area beyond thresholds.

The most remote cell of a region is the one whose walk to its nearest settlement
takes longest; its path is traced back through the reverse search's backlinks, so
its length in km (geodesic, along the path) is that of the least-*time* walk, not
a straight line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from wakhan.dem.project import crs_text, xy_to_lonlat
from wakhan.errors import InputError
from wakhan.remoteness.edge import edge_bounded, edge_hours
from wakhan.remoteness.surface import CatchmentEntry, Remoteness
from wakhan.route.days import HOURS_PER_DAY
from wakhan.route.profile import geodesic_distance_km, profile_from_path
from wakhan.solve import Path, trace

__all__ = ["DEFAULT_THRESHOLDS_H", "MostRemote", "most_remote", "share_beyond", "summarize"]

#: Thresholds (hours) of the area shares: a working day's walk, a day and night, two days.
DEFAULT_THRESHOLDS_H = (8.0, 24.0, 48.0)


@dataclass(frozen=True)
class MostRemote:
    """The cell of a region farthest in walking time from any settlement.

    ``days`` are walking days of ``hours_per_day``; ``path_km`` is the length of
    its least-time walk to ``nearest`` (geodesic, along the path), ``straight_km``
    the great-circle distance to that settlement.
    """

    lon: float
    lat: float
    row: int
    col: int
    hours: float
    days: float
    hours_per_day: float
    path_km: float
    straight_km: float
    elevation_m: float
    nearest: CatchmentEntry
    path: Path

    def as_dict(self) -> dict:
        return {
            "lat": round(self.lat, 5),
            "lon": round(self.lon, 5),
            "hours": round(self.hours, 2),
            "walking_days": round(self.days, 2),
            "hours_per_day": self.hours_per_day,
            "path_km": round(self.path_km, 1),
            "straight_km": round(self.straight_km, 1),
            "elevation_m": round(self.elevation_m),
            "nearest_settlement": self.nearest.as_dict(),
        }


def _region(r: Remoteness, region) -> np.ndarray:
    if region is None:
        return r.area
    region = np.asarray(region, dtype=bool)
    if region.shape != r.area.shape:
        raise InputError(f"the region mask's shape {region.shape} differs from the grid's {r.area.shape}")
    return region & r.area


def most_remote(r: Remoteness, region=None, *, hours_per_day: float = HOURS_PER_DAY) -> MostRemote:
    """The most remote reachable cell of ``region`` (bool mask on the grid; default the whole area)."""
    mask = _region(r, region)
    h = np.where(mask, r.hours.array, np.nan)
    if not np.isfinite(h).any():
        raise InputError("no cell of the region reaches a settlement; widen the area or add settlements")
    i = int(np.nanargmax(h))
    row, col = divmod(i, r.hours.width)
    r0, c0 = r.offset  # the search's grid reaches beyond the box
    path = trace(r.accumulation, (row + r0, col + c0))
    dem = r.dem
    profile = profile_from_path([path], dem)
    x, y = dem.xy(np.array([row + r0]), np.array([col + c0]))
    lon, lat = (float(v[0]) for v in xy_to_lonlat(dem.crs, x, y))
    nearest = r.entry(int(r.catchment.array[row, col]))
    straight = float(geodesic_distance_km([lon, nearest.lon], [lat, nearest.lat])[-1])
    hours = float(h[row, col])
    return MostRemote(
        lon,
        lat,
        row,
        col,
        hours,
        hours / hours_per_day,
        hours_per_day,
        float(profile.distance_km[-1]),
        straight,
        float(dem.array[row + r0, col + c0]),
        nearest,
        path,
    )


def share_beyond(r: Remoteness, thresholds_h=DEFAULT_THRESHOLDS_H, region=None) -> dict:
    """Share (0-1) of the region's area more than each threshold's hours from a settlement.

    Cells no settlement can be reached from (cliffs beyond the walking model's
    grade limit, enclaves) count as beyond every threshold; their own share is
    returned under ``"unreachable"``. Cells are equal-area on the metric grid.
    """
    mask = _region(r, region)
    n = int(mask.sum())
    if n == 0:
        raise InputError("the region holds no cell of the grid; check its outline against the box")
    h = r.hours.array[mask]
    reach = np.isfinite(h)
    out = {f"{t:g}": float(((h > t) & reach).sum() + (~reach).sum()) / n for t in thresholds_h}
    out["unreachable"] = float((~reach).sum()) / n
    return out


def summarize(r: Remoteness, thresholds_h=DEFAULT_THRESHOLDS_H, region=None) -> dict:
    """The JSON summary of ``wakhan remoteness --json``: most remote cell, area shares, sources.

    ``most_remote.upper_bound`` says whether the edge of the searched grid is nearer (in walking time) than
    that cell's settlement, so that a settlement beyond the edge could be nearer
    (:mod:`wakhan.remoteness.edge`); then ``most_remote_exact`` is the most remote cell whose value the edge
    cannot have lengthened. ``edge.upper_bound_share`` is the share of the reachable area whose values are
    such upper bounds.
    """
    mask = _region(r, region)
    top = most_remote(r, mask)
    to_edge = edge_hours(r)
    bound = edge_bounded(r, to_edge) & mask
    reachable = mask & np.isfinite(r.hours.array)
    top_dict = {
        **top.as_dict(),
        "upper_bound": bool(bound[top.row, top.col]),
        "edge_hours": round(float(to_edge[top.row, top.col]), 2),
    }
    exact = reachable & ~bound
    dx, dy = r.hours.res
    area_km2 = float(mask.sum()) * dx * dy / 1e6
    edge = {
        "upper_bound_share": round(float(bound.sum()) / max(int(reachable.sum()), 1), 4),
        "method": (
            "a second reverse search gives each cell's walking time to the edge of the searched grid; where "
            "that is shorter than the time to its settlement, a settlement beyond the edge (not in the data) "
            "could be nearer, and the cell's hours are an upper bound"
        ),
    }
    if top_dict["upper_bound"] and exact.any():
        edge["most_remote_exact"] = most_remote(r, exact).as_dict()
    return {
        "most_remote": top_dict,
        "edge": edge,
        "share_beyond_hours": share_beyond(r, thresholds_h, mask),
        "thresholds_h": [float(t) for t in thresholds_h],
        "area_km2": round(area_km2, 1),
        "settlements": {
            "source": r.settlements.name,
            "used": len(r.settlements),
            "cells": len(r.table),
            "dropped_outside_area": r.dropped,
        },
        "within": list(r.within) or None,
        "model": r.model.describe(),
        "neighbours": r.neighbours,
        "resolution": r.hours.describe_resolution(),
        "crs": crs_text(r.hours.crs),
        "data_sources": [s.as_dict() for s in r.hours.sources],
        "method": (
            "one multi-source least-time search (Dijkstra, exact bucket queue) on the reversed graph: "
            "time walking from each cell to the nearest settlement"
        ),
    }


def hours_to_days(hours: float, hours_per_day: float = HOURS_PER_DAY) -> float:
    """Walking days of ``hours_per_day`` (default 8)."""
    return hours / hours_per_day if math.isfinite(hours) else math.inf
