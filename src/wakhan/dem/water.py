"""Lakes and reservoirs on a DEM's cells: water a walker or a road goes round, not across.

A DEM's lake is flat ground to a cost model, so a least-cost route runs straight over it.
Two sources of water, both returned as a boolean mask on a :class:`~wakhan.grid.Grid`'s cells:

* :func:`flat_water`: SRTM (and the DEMs made from it) flattens lake surfaces to one height.
  A 4-connected region of cells with exactly the same height covering at least
  :data:`FLAT_WATER_MIN_KM2` is water, with its shore ring. Bilinear resampling onto the route
  grid keeps a lake's inner cells at exactly the lake's height (a mix of equal values); the ring
  of cells sharing an edge with them mixes lake and bank and is counted as water too. Natural
  ground, even a valley floor such as the Magadino plain or the Urseren valley, varies by a metre
  or more within such an area.
* :func:`ghs_water`: the region pack's GHS-WUP DEGURBA classes (1 km), class 10 = water, in
  blocks of at least 2 x 2 cells (lakes; single cells and one-cell chains are river beds, which
  roads cross on bridges). A route-grid cell is water when more than half of it (the
  area-weighted mean of the 1 km cells under it) is such water.

:func:`water_mask` combines them for a route's DEM: GHS water wherever the pack's class raster
covers the grid, and flat surfaces on the cells that came from a source other than the pack's
coarse elevation grids (on GEBCO's ~460 m cells a flat patch of a few cells says little).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import rasterio
from affine import Affine
from rasterio.crs import CRS
from rasterio.warp import Resampling, reproject, transform_bounds
from scipy import ndimage as ndi
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from wakhan.errors import DataError
from wakhan.grid import NO_SOURCE, Grid
from wakhan.interrupt import map_interruptible
from wakhan.sources import pack

__all__ = [
    "FLAT_WATER_MIN_KM2",
    "FLAT_WATER_MAX_CELL_M",
    "SHORE_RISE_MIN_SHARE",
    "GHS_WATER_CLASS",
    "WaterMask",
    "flat_water",
    "ghs_water",
    "water_mask",
]

#: Smallest flat surface counted as water, km2. On the SRTM 3" tile N46E008 the flat regions of
#: 0.5 km2 and more are all lakes and reservoirs (Sarnersee, Lungernsee, Lago di Vogorno, ...), while
#: the largest exactly flat patch of the Magadino plain and of the Urseren valley is under a tenth
#: of that (tests/test_water.py). Smaller tarns are left as ground: at 0.5 km2 a lake is ~8 cells
#: across at 90 m, so going round it matters; a pond of a few cells does not.
FLAT_WATER_MIN_KM2 = 0.5
#: Coarsest grid (cell side, m) searched for flat lake surfaces. SRTM flattens lakes at its own 1"/3"
#: cells; on coarser grids a flat run of a few cells is as likely a channel burnt in by hydrological
#: conditioning, or an averaging artefact, as a lake (a 2 km grid has 4 km2 cells, a 0.5 km2 region
#: is one cell). Those grids take water from GHS only where the pack covers them.
FLAT_WATER_MAX_CELL_M = 150.0
#: Least share of a flat region's edges (to valid cells outside it) where the ground rises: a lake
#: lies in a basin, so its shore rises all round but for its outlet; a flat patch of a plain or a
#: fan has lower ground on its downhill side (about half its edges), a constant test DEM no edges.
#: Measured on the SRTM tile N46E008 (93 m grid): Sarnersee, Lungernsee, the Urnersee and Lago
#: Maggiore all have shares of 0.98 or more.
SHORE_RISE_MIN_SHARE = 0.75
#: GHS-WUP DEGURBA class of water cells (src/wakhan/settlements/ghs.py).
GHS_WATER_CLASS = 10

#: Rows of the route grid resampled from the GHS classes at a time (bounds the float32 temporary).
_STRIP_ROWS = 1024


@dataclass(frozen=True, eq=False)
class WaterMask:
    """Water cells of a grid and where they come from.

    Attributes
    ----------
    mask : numpy.ndarray of bool
        True on water cells (the grid's shape).
    sources : tuple of str
        The sources that contributed water cells, in words.
    """

    mask: np.ndarray
    sources: tuple[str, ...]

    @property
    def n_cells(self) -> int:
        """Number of water cells."""
        return int(np.count_nonzero(self.mask))

    def describe(self, grid: Grid) -> str:
        """One line for a route's notes: how many water cells, how much area, from which sources."""
        area_km2 = self.n_cells * abs(float(grid.res[0]) * float(grid.res[1])) / 1e6
        src = "; ".join(self.sources) if self.sources else "none found"
        return f"water masked as impassable: {self.n_cells:,} cells ({area_km2:,.1f} km2) from {src}"


def _shore_rise_share(z: np.ndarray, labels: np.ndarray, big: np.ndarray) -> np.ndarray:
    """Per region label: the share of its edges to other valid cells where the ground rises (0 where none)."""
    rise = np.zeros(big.size, dtype=np.float64)
    edges = np.zeros(big.size, dtype=np.float64)
    for a, b in (
        ((slice(None), slice(1, None)), (slice(None), slice(None, -1))),
        ((slice(None), slice(None, -1)), (slice(None), slice(1, None))),
        ((slice(1, None), slice(None)), (slice(None, -1), slice(None))),
        ((slice(None, -1), slice(None)), (slice(1, None), slice(None))),
    ):
        la, lb, za, zb = labels[a], labels[b], z[a], z[b]
        edge = big[la] & (lb != la) & np.isfinite(zb)
        edges += np.bincount(la[edge], minlength=big.size)
        rise += np.bincount(la[edge], weights=(zb[edge] > za[edge]).astype(np.float64), minlength=big.size)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(edges > 0, rise / np.maximum(edges, 1.0), 0.0)


def flat_water(
    grid: Grid, min_area_km2: float = FLAT_WATER_MIN_KM2, where: np.ndarray | None = None, *, shore: bool = True
) -> np.ndarray:
    """Cells of 4-connected regions of identical height covering at least ``min_area_km2``, and their shore.

    Only regions in a basin count: at least :data:`SHORE_RISE_MIN_SHARE` of their edges to valid
    cells outside them must rise (an edge of the grid or of the data is no edge).

    A lake resampled (bilinear) onto the route grid keeps its interior at exactly the lake's
    height; the ring of cells around it mixes lake and bank. With ``shore`` (default) that ring,
    the cells sharing an edge with the flat interior, is water too: on the SRTM tile N46E008 the
    Sarnersee then covers 7.3 km2 of a 93 m grid (published 7.5 km2), its flat interior alone 6.2.

    Parameters
    ----------
    grid : Grid
        Metric DEM (metres, NaN = no data), as :func:`wakhan.dem.build_dem` returns it.
    min_area_km2 : float
        Smallest region counted as water, km2 (cell area from the grid's cell size).
    where : numpy.ndarray of bool, optional
        Only these cells may be water (e.g. the cells from a fine source).
    shore : bool
        Add the cells sharing an edge with a flat region (default True).

    Returns
    -------
    numpy.ndarray of bool
        The grid's shape; True on water.

    Examples
    --------
    A 4 x 4 lake at 431 m in a tilted plane of 100 m cells (0.16 km2):

    >>> from affine import Affine
    >>> z = np.add.outer(np.arange(8.0), np.arange(8.0)).astype(np.float32) * 10 + 500
    >>> z[2:6, 2:6] = 431.0
    >>> g = Grid(z, Affine(100.0, 0, 0, 0, -100.0, 0), "EPSG:32632")
    >>> int(flat_water(g, 0.16, shore=False).sum()), int(flat_water(g, 0.16).sum()), int(flat_water(g, 0.17).sum())
    (16, 32, 0)
    """
    z = np.asarray(grid.array)
    h, w = z.shape
    ok = np.isfinite(z) if where is None else (np.isfinite(z) & where)
    eq_right = ok[:, 1:] & ok[:, :-1] & (z[:, 1:] == z[:, :-1])
    eq_down = ok[1:, :] & ok[:-1, :] & (z[1:, :] == z[:-1, :])
    out = np.zeros((h, w), dtype=bool)
    if not (eq_right.any() or eq_down.any()):
        return out
    idx = np.arange(h * w, dtype=np.int64).reshape(h, w)
    a = np.concatenate([idx[:, :-1][eq_right], idx[:-1, :][eq_down]])
    b = np.concatenate([idx[:, 1:][eq_right], idx[1:, :][eq_down]])
    del idx
    graph = coo_matrix((np.ones(a.size, dtype=np.int8), (a, b)), shape=(h * w, h * w))
    _, labels = connected_components(graph, directed=False)
    counts = np.bincount(labels)
    cell_km2 = abs(float(grid.res[0]) * float(grid.res[1])) / 1e6
    min_cells = max(2, int(np.ceil(min_area_km2 / cell_km2 - 1e-9)))
    big = counts >= min_cells
    big &= _shore_rise_share(z, labels.reshape(h, w), big) >= SHORE_RISE_MIN_SHARE
    core = big[labels].reshape(h, w)
    if not shore:
        return core
    # the shore ring: cells sharing an edge with the flat interior, whose heights resampling mixed
    out = core.copy()
    out[1:, :] |= core[:-1, :]
    out[:-1, :] |= core[1:, :]
    out[:, 1:] |= core[:, :-1]
    out[:, :-1] |= core[:, 1:]
    if where is not None:
        out &= where
    return out & np.isfinite(z)


def ghs_water(grid: Grid, path=None) -> np.ndarray:
    """Cells more than half covered by GHS-WUP class-10 (water) cells of the region pack, lakes only.

    Water cells that no 2 x 2 block of water cells covers (a morphological opening) are dropped:
    on the pack they are the braided beds of the Wakhan, the Panj and the Tashkurgan rivers, one
    1 km cell wide, which a road follows and bridges; the lakes (Karakul, Zorkul, Chaqmaqtin, Shiwa,
    Sarez, Tarbela, Bulunkou) are two or more cells wide.

    Parameters
    ----------
    grid : Grid
        Any grid with a CRS; cells outside the class raster are not water.
    path : path-like, optional
        A DEGURBA class GeoTIFF (default the pack's, :func:`wakhan.sources.pack.ghs_path`).

    Returns
    -------
    numpy.ndarray of bool
    """
    path = pack.ghs_path() if path is None else path
    try:
        with rasterio.open(path) as ds:
            classes = ds.read(1)
            src_transform, src_crs = ds.transform, ds.crs
    except Exception as exc:  # rasterio raises RasterioIOError and others
        raise DataError(f"water classes {path} cannot be read ({exc}); rebuild the region pack") from None
    water = classes == GHS_WATER_CLASS
    # lakes, not rivers: keep water in blocks of at least 2 x 2 cells (~2 km across); a chain of
    # single 1 km cells is a braided river bed (the Wakhan and the Panj), crossed on bridges
    water = ndi.binary_opening(water, structure=np.ones((2, 2), dtype=bool))
    share = np.where(water, 1.0, 0.0).astype(np.float32)
    share[classes == 0] = np.nan  # no data
    mask = np.zeros(grid.shape, dtype=bool)
    if not water.any():
        return mask
    # a strip of rows at a time: a float32 share over a whole 30 m grid would be 4 B a cell (2 GB)
    crs = CRS.from_user_input(grid.crs)

    def strip(top: int) -> None:
        out = np.full((min(_STRIP_ROWS, grid.height - top), grid.width), np.nan, dtype=np.float32)
        reproject(
            source=share,
            destination=out,
            src_transform=src_transform,
            src_crs=src_crs,
            src_nodata=np.nan,
            dst_transform=grid.transform * Affine.translation(0, top),
            dst_crs=crs,
            dst_nodata=np.nan,
            resampling=Resampling.average,
        )
        with np.errstate(invalid="ignore"):
            mask[top : top + out.shape[0]] = out > 0.5

    # a strip with no water cell within reach is all dry and is not warped; the others are independent
    # warps (GDAL releases the GIL), two at a time
    tops = [
        t for t in range(0, grid.height, _STRIP_ROWS) if _strip_near_water(water, src_transform, src_crs, grid, crs, t)
    ]
    for _, error in map_interruptible(strip, tops, workers=2):
        if error is not None:
            raise error
    return mask


def _strip_near_water(water: np.ndarray, src_transform: Affine, src_crs, grid: Grid, crs, top: int) -> bool:
    """Whether any water cell of the class raster lies within two cells of the strip of rows from ``top``.

    The strip's outline (densified) is mapped onto the class raster's pixels; an average over a
    route-grid cell only reads the class cells under it, so a strip with no water cell within that
    window, widened by two class cells against the warp's approximate transform, has no water.
    """
    bottom = min(grid.height, top + _STRIP_ROWS)
    t = grid.transform
    west, north = t.c + t.b * top, t.f + t.e * top
    east, south = t.c + t.a * grid.width + t.b * bottom, t.f + t.d * grid.width + t.e * bottom
    try:
        box = transform_bounds(crs, src_crs, min(west, east), min(south, north), max(west, east), max(south, north),
                               densify_pts=101)  # fmt: skip
    except Exception:  # a strip outside the classes' CRS's domain: decide by warping it
        return True
    if not all(np.isfinite(box)):
        return True
    inv = ~src_transform
    xs, ys = np.array([box[0], box[2], box[0], box[2]]), np.array([box[1], box[3], box[3], box[1]])
    cols, rows = inv.a * xs + inv.b * ys + inv.c, inv.d * xs + inv.e * ys + inv.f
    r0, r1 = int(np.floor(rows.min())) - 2, int(np.ceil(rows.max())) + 2
    c0, c1 = int(np.floor(cols.min())) - 2, int(np.ceil(cols.max())) + 2
    h, w = water.shape
    return bool(water[max(r0, 0) : max(min(r1, h), 0), max(c0, 0) : max(min(c1, w), 0)].any())


def _pack_source_names() -> set[str]:
    try:
        return {s.name for s in pack.attribution()}
    except DataError:
        return set()


def water_mask(grid: Grid, min_area_km2: float = FLAT_WATER_MIN_KM2) -> WaterMask:
    """The water cells of a route's DEM: GHS water where the pack covers it, flat lakes on fine sources.

    Parameters
    ----------
    grid : Grid
        Metric DEM. Cells whose ``source_index`` names one of the region pack's elevation
        grids (GEBCO, GLOBE) take water from GHS only; all other cells (SRTM tiles, a user's
        raster) also from :func:`flat_water`. A grid that names no source at all (an array
        built in code, such as a test's plane) gets no flat search: its flats are by design; nor
        does a grid coarser than :data:`FLAT_WATER_MAX_CELL_M`.
    min_area_km2 : float
        As for :func:`flat_water`.

    Returns
    -------
    WaterMask
    """
    pack_names = _pack_source_names()
    coarse = [i for i, s in enumerate(grid.sources) if s.name in pack_names]
    too_coarse = min(abs(float(grid.res[0])), abs(float(grid.res[1]))) > FLAT_WATER_MAX_CELL_M
    if not grid.sources or len(coarse) == len(grid.sources) or too_coarse:
        # an array without provenance (a synthetic DEM: its flats are by design), or the pack's
        # grids alone: no flat search (and no per-cell test over a grid that may be 537 M cells)
        fine = np.zeros((1, 1), dtype=bool)
    elif grid.source_index is not None:
        fine = ~np.isin(grid.source_index, [*coarse, NO_SOURCE])
    else:
        fine = np.full(grid.shape, len(coarse) < len(grid.sources), dtype=bool)
    mask = np.zeros(grid.shape, dtype=bool)
    sources: list[str] = []
    if fine.any():
        flat = flat_water(grid, min_area_km2, where=fine)
        if flat.any():
            mask |= flat
            sources.append(f"flat DEM surfaces of {min_area_km2:g} km2 or more (SRTM's flattened lakes)")
    try:
        ghs = ghs_water(grid)
    except DataError:
        ghs = None
    if ghs is not None and ghs.any():
        mask |= ghs
        sources.append(
            "GHS-WUP DEGURBA class 10 (water, 1 km cells, lakes of 2 x 2 cells or more; a cell is water when over half of it is)"
        )
    return WaterMask(mask, tuple(sources))
