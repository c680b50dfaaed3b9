"""Catchments of a route's grid counted over the elevation data around it, not only inside the grid.

A river that enters a route's box from outside drains everything upstream of the box's
edge too; pyflwdir run on the box alone (every edge cell an outlet) counts it only from
the edge: within 1.5 km of Biasca the Ticino read 55 km2 on the box of the Osogna - Biasca
road (93 m grid), 724 km2 counted over the SRTM tile around it; it drains at most 1,045 km2
(gauged: 1,517 km2 at Bellinzona less the Moesa's 472 km2, which joins below Osogna). :func:`route_drainage` traces the D8 network (pyflwdir,
priority-flood filled, :func:`wakhan.dem.hydro.d8_network`) on a *context* DEM built the
way the route's grid was (:func:`wakhan.dem.build.build_dem`: the same source, CRS, cell
size and cell alignment) over the box grown by :data:`CONTEXT_MARGIN_KM` on every side,
clipped to where the source has data; inside the box the context holds the route grid's
own heights. :class:`Drainage` reads the upstream area and flow direction of the box's
cells from it, and hands the context to the floodplain's HAND (:mod:`wakhan.cost.floodplain`).

What is counted, and the limits: the area upstream of a cell within the context, so a
river whose catchment reaches beyond the source's data (an SRTM tile's edge, the region
pack's edge) or beyond the margin is still counted only from there: a lower bound, as
before, but now from the edge of the data rather than of the box. The margin shrinks so
that the context holds at most :data:`CONTEXT_MAX_CELLS` cells (pyflwdir holds about
40 B a cell); a box already that large gets no context (``None``), and its catchments are
the box's own as before. A grid given as a Grid (``plan_route(dem=grid)``) has no source
to grow from and gets none either.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from rasterio.warp import transform_bounds

from wakhan.errors import DataError, InputError
from wakhan.grid import Grid

__all__ = ["CONTEXT_MARGIN_KM", "CONTEXT_MAX_CELLS", "Drainage", "route_drainage"]

log = logging.getLogger("wakhan.dem")

#: Margin (km) by which the box is grown on every side for the context DEM (before the cap on cells).
CONTEXT_MARGIN_KM = 150.0
#: Most cells of a context DEM (about 0.7 GB in pyflwdir); the margin shrinks to fit.
CONTEXT_MAX_CELLS = 16_000_000
_CONTEXTS: dict = {}  # (source, crs, cell size, box) -> context DEM: the last two
_NETWORKS: dict = {}  # id of a context's heights -> (those heights, their network): the last two


@dataclass(frozen=True, eq=False)
class Drainage:
    """The D8 drainage of a route grid, traced on a larger ``context`` grid holding it at ``(row0, col0)``.

    Examples
    --------
    A valley draining east on 1 km cells, 20 columns long; the route's grid is its last
    8 columns. Traced on the grid alone, the floor's last cell drains 8 cells; traced on the
    whole valley it drains 20 (and the walls draining into it):

    >>> from affine import Affine
    >>> z = (2000 - 10 * np.arange(20) + 300 * np.abs(np.arange(7) - 3)[:, None]).astype(np.float32)
    >>> z[:, 0] += 1000
    >>> valley = Grid(z, Affine(1000.0, 0, 0, 0, -1000.0, 7000.0), "EPSG:32643")
    >>> d = Drainage(valley, 0, 12, (7, 8))
    >>> round(float(d.upstream_area_km2()[3, -1]))
    140
    >>> int(d.downstream_index()[3, 2]) == 3 * 8 + 3  # the floor drains east, in the route grid's flat index
    True
    """

    context: Grid
    row0: int
    col0: int
    shape: tuple[int, int]

    @cached_property
    def network(self):
        """pyflwdir's ``FlwdirRaster`` of the context (traced once per context, whatever box reads it)."""
        from wakhan.dem.hydro import d8_network

        hit = _NETWORKS.get(id(self.context.array))
        if hit is not None and hit[0] is self.context.array:
            return hit[1]
        flw = d8_network(self.context)
        if len(_NETWORKS) >= 2:
            _NETWORKS.pop(next(iter(_NETWORKS)))
        _NETWORKS[id(self.context.array)] = (self.context.array, flw)
        return flw

    def crop(self, array: np.ndarray) -> np.ndarray:
        """The route grid's window of a context-shaped array."""
        r0, c0 = self.row0, self.col0
        return array.reshape(self.context.shape)[r0 : r0 + self.shape[0], c0 : c0 + self.shape[1]]

    def upstream_area_km2(self) -> np.ndarray:
        """Upstream area (km2, float64) of each cell of the route grid, counted over the context."""
        return _cached(self, "upa", lambda: np.asarray(self.network.upstream_area("km2"), dtype=np.float64))

    def downstream_index(self) -> np.ndarray:
        """Flat index (in the route grid) of the cell each route cell drains to; itself at a pit or where the flow
        leaves the route grid (int64, the route grid's shape)."""
        return _cached(self, "down", self._down)

    def _down(self) -> np.ndarray:
        width = self.context.shape[1]
        ds = np.asarray(self.network.idxs_ds, dtype=np.int64).reshape(self.context.shape)
        r = self.crop(ds) // width - self.row0
        c = self.crop(ds) % width - self.col0
        h, w = self.shape
        own = np.arange(h * w, dtype=np.int64).reshape(self.shape)
        inside = (r >= 0) & (r < h) & (c >= 0) & (c < w)
        return np.where(inside, r * w + c, own)

    def describe(self) -> str:
        """One sentence for the route's notes: where catchments are counted."""
        b = transform_bounds(self.context.crs, "EPSG:4326", *self.context.bounds)
        return (
            f"catchments (bridges, floodplain, artefact passes) counted over {self.context.shape[0]:,} x "
            f"{self.context.shape[1]:,} cells around the grid ({b[1]:.2f}-{b[3]:.2f}N, {b[0]:.2f}-{b[2]:.2f}E, "
            "where the elevation data reach), not the grid alone"
        )


def _cached(d: Drainage, what: str, compute) -> np.ndarray:
    """The route window of a per-cell context array (computed once per Drainage)."""
    key = f"_{what}"
    if key not in d.__dict__:
        full = compute()
        d.__dict__[key] = np.ascontiguousarray(d.crop(full) if full.size == d.context.array.size else full)
    return d.__dict__[key]


def _margin_cells(shape: tuple[int, int], margin_km: float, res_m: float, max_cells: int) -> int:
    """Cells to grow a grid of ``shape`` by on every side: ``margin_km``, fewer where the total would pass ``max_cells``.

    Examples
    --------
    >>> _margin_cells((100, 100), 10.0, 1000.0, 10**6), _margin_cells((100, 100), 10.0, 1000.0, 120 * 120)
    (10, 10)
    >>> _margin_cells((100, 100), 10.0, 1000.0, 110 * 110), _margin_cells((100, 100), 10.0, 1000.0, 100 * 100)
    (5, 0)
    """
    h, w = shape
    want = max(0, int(math.ceil(margin_km * 1000.0 / res_m)))
    if h * w >= max_cells:
        return 0
    # (h + 2m)(w + 2m) <= max_cells: the larger root of 4m^2 + 2(h + w)m + hw - max_cells
    fit = int((-(h + w) + math.sqrt((h + w) ** 2 - 4 * (h * w - max_cells))) / 4)
    return min(want, max(fit, 0))


def _source_key(source, tiles_dir) -> tuple | None:
    """A hashable name of a DEM source (``"pack"``, ``"tiles"``, a path); None for one that is not a name."""
    import os

    if isinstance(source, (str, os.PathLike)):
        return (os.fspath(source), None if tiles_dir is None else os.fspath(tiles_dir))
    return None


def route_drainage(
    grid: Grid,
    source,
    *,
    tiles_dir=None,
    margin_km: float = CONTEXT_MARGIN_KM,
    max_cells: int = CONTEXT_MAX_CELLS,
) -> Drainage | None:
    """The drainage of ``grid`` traced over ``source``'s data up to ``margin_km`` around it; None when none is added.

    Parameters
    ----------
    grid : Grid
        The route's metric DEM, built from ``source`` by :func:`wakhan.dem.build.build_dem`.
    source : "pack", "tiles" or a raster path
        The source it was built from (a Grid, or anything else that is not a name: None).
    tiles_dir : path, optional
        The tile cache of ``source="tiles"`` (read offline: only cached tiles count).
    margin_km : float
        Growth of the box on every side, before the cap on cells.
    max_cells : int
        Most cells of the context DEM (the margin shrinks to fit; none left: None).

    Returns
    -------
    Drainage or None
        None where the context would add nothing: no margin fits, the source is no name, or the
        source has no data beyond the grid (said in the ``wakhan.dem`` log).

    Examples
    --------
    A grid given as it is has no source to grow from:

    >>> from affine import Affine
    >>> g = Grid(np.zeros((3, 3), np.float32), Affine(100.0, 0, 500_000, 0, -100.0, 4_100_000), "EPSG:32643")
    >>> route_drainage(g, g) is None
    True
    """
    name = _source_key(source, tiles_dir)
    res = float(grid.res[0])
    m = _margin_cells(grid.shape, margin_km, res, max_cells)
    if name is None or m == 0 or grid.is_geographic:
        return None
    from wakhan.dem.build import build_dem
    from wakhan.dem.layers import lonlat_bounds, source_layers
    from wakhan.dem.project import lattice_offset

    t = grid.transform
    left, top = t.c - m * res, t.f + m * res
    right, bottom = t.c + (grid.width + m) * res, t.f - (grid.height + m) * res
    w, s, e, n = transform_bounds(grid.crs, "EPSG:4326", left, bottom, right, top, densify_pts=21)
    try:
        layers, _notes = source_layers((w, s, e, n), source, tiles_dir=tiles_dir, offline=True)
        ext = [lonlat_bounds(layer.grid) for layer in layers]  # clipped to the data, but never inside the grid
        gw, gs, ge, gn = transform_bounds(grid.crs, "EPSG:4326", *grid.bounds, densify_pts=21)
        w, s = max(w, min(gw, *(x[0] for x in ext))), max(s, min(gs, *(x[1] for x in ext)))
        e, n = min(e, max(ge, *(x[2] for x in ext))), min(n, max(gn, *(x[3] for x in ext)))
        key = (name, grid.crs.to_wkt(), res, round(w, 6), round(s, 6), round(e, 6), round(n, 6))
        hit = _CONTEXTS.get(key)
        if hit is None:
            hit = build_dem((w, s, e, n), source, resolution_m=res, crs=grid.crs, tiles_dir=tiles_dir, offline=True)
            if len(_CONTEXTS) >= 2:
                _CONTEXTS.pop(next(iter(_CONTEXTS)))
            _CONTEXTS[key] = hit
    except (DataError, InputError) as exc:  # tiles beyond the box not cached, or a context too large here
        log.info("catchments counted within the grid only: no context DEM around it (%s)", exc)
        return None
    context: Grid = hit
    offset = lattice_offset(grid, context)
    if offset is None or context.shape == grid.shape:
        log.info("catchments counted within the grid only: the context DEM adds no cells around it")
        return None
    row0, col0 = offset
    window = context.array[row0 : row0 + grid.height, col0 : col0 + grid.width]
    if not np.array_equal(window, np.asarray(grid.array, dtype=np.float32), equal_nan=True):
        # the route grid's own heights inside the box (a grid built with other options): a context of its own
        heights = np.array(context.array, dtype=np.float32)
        heights[row0 : row0 + grid.height, col0 : col0 + grid.width] = grid.as_float().array
        context = Grid(heights, context.transform, context.crs, sources=context.sources)
    return Drainage(context, row0, col0, (grid.height, grid.width))
