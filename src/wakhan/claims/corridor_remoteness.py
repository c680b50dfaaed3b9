"""The route-independent test of "a depopulated distance of 300 km": how far is the corridor's most remote point?

The gap tables of :mod:`wakhan.claims.depopulated` measure emptiness along
chosen routes; a reader may ask whether some other line through the corridor is
emptier. :func:`corridor_remoteness` answers for every line at once: one
remoteness surface (walking hours from every cell to its nearest settlement,
:func:`wakhan.remoteness.remoteness`) over the corridor and a margin around it,
and, for each corridor reading, its most remote point in hours, walking days and
km along its least-time path to that settlement. No point of any path through
the corridor is farther from its nearest settlement than that point is. This
bounds the distance to a settlement, not the length of a stretch with no
settlement within a few km: that is the routes' longest gap, the measure the
300 km claim is judged by.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from rasterio.features import rasterize

from wakhan.claims.case_study import DEFINITIONS, WALKING_HOURS_PER_DAY
from wakhan.claims.corridor import corridor_region
from wakhan.cost import get_model
from wakhan.cost.walking import TREK_TERRAIN_FACTOR
from wakhan.dem.project import lonlat_to_xy
from wakhan.places import gazetteer_name, whereabouts
from wakhan.remoteness import Remoteness, most_remote, remoteness, share_beyond

__all__ = ["CorridorRemoteness", "MARGIN_DEG", "THRESHOLDS_H", "corridor_remoteness", "remoteness_sentence"]

#: Margin (degrees) around the corridor's widest reading in which settlements count: about
#: 90-110 km, more than the farthest any corridor cell turns out to be from a settlement.
MARGIN_DEG = 1.0
#: Area shares are reported beyond these walking hours: a day's walk, a day and night, two days.
THRESHOLDS_H = (8.0, 24.0, 48.0)
#: The region pack's box; the surface's box is cut to it.
_PACK_BOX = (67.5, 33.5, 77.0, 40.5)


@dataclass(frozen=True)
class CorridorRemoteness:
    """The surface and, per corridor reading, its most remote point (``points``: key -> dict).

    Examples
    --------
    The surface of :func:`corridor_remoteness`'s example, and the part of it ``claims.json`` holds:

    >>> from affine import Affine
    >>> from pyproj import Transformer
    >>> from wakhan.grid import DataSource, Grid
    >>> from wakhan.settlements import Settlements
    >>> x0, y0 = Transformer.from_crs("EPSG:4326", "EPSG:32643", always_xy=True).transform(70.5, 39.5)
    >>> flat = Grid(np.full((70, 80), 3000.0, np.float32), Affine(5000.0, 0, x0, 0, -5000.0, y0), "EPSG:32643")
    >>> towns = Settlements([71.5, 74.8], [37.0, 37.2], ("Ishkashim", "Tashkurgan"), DataSource("built"))
    >>> c = corridor_remoteness(towns, dem=flat, neighbours=8, definitions=DEFINITIONS[:1])
    >>> details = c.details()
    >>> details["settlement_source"], details["hours_per_day"], sorted(details["definitions"])
    ('built', 8.0, ['wakhan'])
    """

    surface: Remoteness
    points: dict
    regions: dict  # key -> shapely polygon (lon/lat)
    box: tuple

    def details(self) -> dict:
        """The JSON-ready part for ``claims.json`` (the surface itself stays out)."""
        r = self.surface
        return {
            "method": (
                "one multi-source least-time search on the reversed graph (time walking from each cell to "
                f"the nearest settlement), {r.neighbours} neighbours, no border barrier; settlements "
                f"within {MARGIN_DEG:g} degree of the corridor count"
            ),
            "model": r.model.describe(),
            "settlement_source": r.settlements.name,
            "settlement_cells": len(r.table),
            "box": list(self.box),
            "resolution": r.hours.describe_resolution(),
            "data_sources": [s.as_dict() for s in r.hours.sources],
            "hours_per_day": WALKING_HOURS_PER_DAY,
            "definitions": self.points,
        }


def _region_mask(grid, region) -> np.ndarray:
    geom = shapely.transform(region, lambda xy: np.column_stack(lonlat_to_xy(grid.crs, xy[:, 0], xy[:, 1])))
    return rasterize([(geom, 1)], out_shape=grid.shape, transform=grid.transform, fill=0, dtype="uint8").astype(bool)


def corridor_remoteness(settlements, *, dem="pack", neighbours: int = 16, definitions=DEFINITIONS):
    """The remoteness surface over the corridor and each reading's most remote point.

    Parameters
    ----------
    settlements : Settlements
        The destinations (the claim's headline source).
    dem : "pack", "tiles" or a raster path
    neighbours : {8, 16, 32}
    definitions : sequence of CorridorDefinition

    Returns
    -------
    CorridorRemoteness

    Examples
    --------
    Flat 3,000 m ground on 5 km cells over the region, with settlements at Ishkashim and Tashkurgan
    only: the corridor's most remote point lies between them, nearer Tashkurgan, and its walk is at
    the calibrated 0.616 of Tobler's 5.04 km/h on the flat, 3.1 km/h.

    >>> from affine import Affine
    >>> from pyproj import Transformer
    >>> from wakhan.grid import DataSource, Grid
    >>> from wakhan.settlements import Settlements
    >>> x0, y0 = Transformer.from_crs("EPSG:4326", "EPSG:32643", always_xy=True).transform(70.5, 39.5)
    >>> flat = Grid(np.full((70, 80), 3000.0, np.float32), Affine(5000.0, 0, x0, 0, -5000.0, y0), "EPSG:32643")
    >>> towns = Settlements([71.5, 74.8], [37.0, 37.2], ("Ishkashim", "Tashkurgan"), DataSource("built"))
    >>> c = corridor_remoteness(towns, dem=flat, neighbours=8, definitions=DEFINITIONS[:1])
    >>> far = c.points["wakhan"]
    >>> far["nearest_settlement"]["name"], far["path_km"] >= far["straight_km"], round(far["path_km"] / far["hours"], 1)
    ('Tashkurgan', True, 3.1)
    """
    regions = {d.key: corridor_region(d) for d in definitions}
    w, s, e, n = shapely.union_all(list(regions.values())).bounds
    box = (
        max(_PACK_BOX[0], round(w - MARGIN_DEG, 2)),
        max(_PACK_BOX[1], round(s - MARGIN_DEG, 2)),
        min(_PACK_BOX[2], round(e + MARGIN_DEG, 2)),
        min(_PACK_BOX[3], round(n + MARGIN_DEG, 2)),
    )
    # the walk's speed, fitted on published trek times (benchmarks/walking.md), as the claim's walk
    model = get_model("walking", terrain_factor=TREK_TERRAIN_FACTOR)
    # the box already holds MARGIN_DEG around the corridor: no second margin
    surf = remoteness(settlements, model=model, dem=dem, bbox=box, neighbours=neighbours, margin_deg=0)
    points = {}
    for d in definitions:
        mask = _region_mask(surf.hours, regions[d.key])
        top = most_remote(surf, mask, hours_per_day=WALKING_HOURS_PER_DAY)
        shares = share_beyond(surf, THRESHOLDS_H, mask)
        point = top.as_dict()
        # open country has no name of its own: place it by the nearest gazetteer places
        point["whereabouts"] = whereabouts(point["lon"], point["lat"])
        points[d.key] = {**point, "share_beyond_hours": {k: round(v, 4) for k, v in shares.items()}}
    return CorridorRemoteness(surf, points, regions, box)


def _where(point: dict) -> str:
    return f"; {point['whereabouts']}" if point.get("whereabouts") else ""


def remoteness_sentence(details: dict, limit_km: float) -> str:
    """The verdict's sentence: is any point (and so any path) of the corridor farther than ``limit_km``?

    Examples
    --------
    >>> far = {"lat": 37.1, "lon": 73.9, "hours": 20.4, "walking_days": 2.55, "path_km": 61.0,
    ...        "nearest_settlement": {"name": "Sarhad-e Broghil"}}
    >>> details = {"hours_per_day": 8.0, "definitions": {"wakhan": far}}
    >>> remoteness_sentence(details, 300.0).split(" is ", 1)[1].split(" from a ")[0]
    '20 h of walking (2.5 days of 8 h) and 61 km along its least-time path'
    >>> remoteness_sentence(details, 300.0).split(", so ")[-1].split("; ")[0]
    'no point of any path through the corridor is 300 km or more from its nearest settlement'
    >>> remoteness_sentence(details, 50.0).split(", so ")[-1]
    'a path through the corridor can pass 50 km or more from any settlement'
    """
    pts = details["definitions"]
    key, far = max(pts.items(), key=lambda kv: kv[1]["path_km"])
    near = gazetteer_name(far["nearest_settlement"]["name"])
    beyond = [k for k, p in pts.items() if p["path_km"] > limit_km]
    head = (
        f"Off the routes too: the most remote point of the corridor ('{key}', {far['lat']:.2f}\u00b0N "
        f"{far['lon']:.2f}\u00b0E{_where(far)}) is {far['hours']:.0f} h of walking ({far['walking_days']:.1f} days of "
        f"{details['hours_per_day']:g} h) and {far['path_km']:.0f} km along its least-time path from a "
        f"settlement ({near})"
    )
    if beyond:
        return head + f", so a path through the corridor can pass {limit_km:,.0f} km or more from any settlement"
    return head + (
        f", so no point of any path through the corridor is {limit_km:,.0f} km or more from its nearest settlement; "
        "this bounds the distance to a settlement, not the length of a stretch with no settlement within a few "
        f"km, which the routes' longest gap (above) measures for the {limit_km:,.0f} km claim"
    )
