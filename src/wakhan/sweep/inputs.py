"""What every scenario shares, prepared once and scattered to the workers once.

:func:`prepare_inputs` builds the three grids the claims are judged on (the
highway DEM around Kashgar-Kabul, the walking DEM of the upper Wakhan, the
GEBCO 15" grid cropped to the corridor), reads the settlement sources, and
precomputes where the walking and area grids' cells fall on the highway grid,
so that one error field (made on the highway grid) perturbs all three
coherently: one realization of the terrain, not three independent ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from affine import Affine
from pyproj import Transformer

from wakhan.claims.case_study import DEFINITIONS, END, HIGHWAY_VARIANTS, INFILTRATION_BBOX, START
from wakhan.claims.corridor import corridor_region
from wakhan.dem import build_dem, dem_around
from wakhan.dem.error import SOURCE_ERRORS, rmse_map
from wakhan.grid import Grid
from wakhan.plan.plan import DEFAULT_BUFFER_KM, DEFAULT_NEIGHBOURS, resolve_waypoints
from wakhan.settlements import DEFAULT_SETTLEMENT_SPECS, Settlements, read_settlements
from wakhan.sources import pack

__all__ = ["SweepInputs", "prepare_inputs", "crop_to_lonlat"]


@dataclass(frozen=True, eq=False)
class SweepInputs:
    """Arrays shared by every scenario (read-only).

    ``highway_dem``, ``walk_dem`` (metric) and ``area_dem`` (GEBCO, geographic)
    as :class:`Grid`; ``rmse_m``: per-cell RMSE on the highway grid at scale 1;
    ``walk_xy`` / ``area_xy``: cell centres of the walking / area grids in the
    highway grid's CRS; ``settlements``: the sources given; ``neighbours``.
    """

    highway_dem: Grid
    walk_dem: Grid
    area_dem: Grid
    rmse_m: np.ndarray
    walk_xy: tuple
    area_xy: tuple
    settlements: tuple
    neighbours: int
    dem_source: str
    error_sources: dict

    def nbytes(self) -> int:
        return int(
            sum(g.array.nbytes for g in (self.highway_dem, self.walk_dem, self.area_dem))
            + self.rmse_m.nbytes
            + sum(a.nbytes for a in (*self.walk_xy, *self.area_xy))
        )


def crop_to_lonlat(grid: Grid, bbox, margin_cells: int = 2) -> Grid:
    """The window of a geographic ``grid`` covering ``bbox`` (west, south, east, north) plus a margin.

    Cells keep their values and order, so statistics over a region inside the
    box are the same as on the whole grid.
    """
    w, s, e, n = bbox
    inv = ~grid.transform
    ca, ra = inv @ (w, n)
    cb, rb = inv @ (e, s)
    r0 = max(int(np.floor(min(ra, rb))) - margin_cells, 0)
    r1 = min(int(np.ceil(max(ra, rb))) + margin_cells, grid.height)
    c0 = max(int(np.floor(min(ca, cb))) - margin_cells, 0)
    c1 = min(int(np.ceil(max(ca, cb))) + margin_cells, grid.width)
    arr = grid.array[r0:r1, c0:c1]
    return Grid(
        np.array(arr),
        grid.transform @ Affine.translation(c0, r0),
        grid.crs,
        nodata=grid.nodata,
        sources=grid.sources,
        notes=grid.notes,
        source_index=None if grid.source_index is None else np.array(grid.source_index[r0:r1, c0:c1]),
    )


def _centres_in(target: Grid, crs) -> tuple[np.ndarray, np.ndarray]:

    rows, cols = np.indices(target.shape)
    x, y = target.xy(rows.ravel(), cols.ravel())
    t = Transformer.from_crs(target.crs, crs, always_xy=True)
    x, y = t.transform(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))
    return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)


def highway_dem_points() -> list[tuple[float, float]]:
    """The waypoints whose box (+50 km) is the highway DEM of ``wakhan claims`` (all comparison variants)."""

    ends = resolve_waypoints([START, END])
    pts = {(p.lon, p.lat) for v in HIGHWAY_VARIANTS for p in resolve_waypoints([ends[0], *v.via, ends[1]])}
    return sorted(pts)


def prepare_inputs(settlement_specs=DEFAULT_SETTLEMENT_SPECS, *, dem="pack", neighbours=None) -> SweepInputs:
    """Build the shared grids and read the settlements, exactly as ``wakhan claims`` does."""

    if not isinstance(dem, str):
        raise TypeError("prepare_inputs takes dem='pack', 'tiles' or a raster path")
    highway = dem_around(highway_dem_points(), DEFAULT_BUFFER_KM, source=dem)
    walk = build_dem(INFILTRATION_BBOX, source=dem)
    if dem == "pack":
        area_full = pack.open_gebco()
    else:
        box = shapely.bounds(shapely.union_all([corridor_region(d) for d in DEFINITIONS]))
        area_full = build_dem(tuple(box), source=dem)
    if area_full.is_geographic:
        box = shapely.bounds(shapely.union_all([corridor_region(d) for d in DEFINITIONS]))
        area = crop_to_lonlat(area_full, tuple(float(v) for v in box))
    else:
        area = area_full
    sets = tuple(s if isinstance(s, Settlements) else read_settlements(s) for s in settlement_specs)
    source_key = dem if dem in ("pack", "tiles") else "other"
    return SweepInputs(
        highway,
        walk,
        area,
        rmse_map(highway, source=source_key),
        _centres_in(walk, highway.crs),
        _centres_in(area, highway.crs),
        sets,
        int(neighbours or DEFAULT_NEIGHBOURS),
        str(dem),
        {k: m.as_dict() for k, m in SOURCE_ERRORS.items()},
    )
