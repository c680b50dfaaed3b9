"""Priority mosaic: several elevation sources onto one metric lattice, finest first.

Each source is resampled (bilinear) onto the target lattice, one square tile
at a time (tiles aligned on the CRS's own lattice, so a height never depends on
the box) so that memory beyond the result stays bounded; a cell takes the
value of the first source, in priority order, whose extent holds the cell's
centre and which has a height there. A source whose voids were *kept* as
impassable claims its void cells too, so a coarser source never papers over
them. The result records which source filled how much of the grid, and which
layer supplied each cell.
"""

from __future__ import annotations

import math
import os
import threading
from dataclasses import dataclass

import numpy as np
from affine import Affine
from pyproj import Transformer
from rasterio.crs import CRS

from wakhan.dem.warp import footprint_on, reproject_grid, resampling_scale, warp_source
from wakhan.errors import InputError
from wakhan.grid import NO_SOURCE, Grid
from wakhan.interrupt import map_interruptible

__all__ = ["Layer", "MosaicResult", "mosaic_priority"]

#: Side of the warped tiles, cells (see :func:`_tiles`).
_TILE_CELLS = 512


@dataclass(frozen=True)
class Layer:
    """One source for the mosaic.

    Attributes
    ----------
    grid : Grid
        Heights (any CRS), missing cells by nodata or NaN.
    label : str
        Short name for notes, e.g. ``'GEBCO_2023 15"'``.
    claim_missing : bool
        True when missing cells inside the grid's extent are deliberate
        (voids kept as impassable): they stay missing rather than falling
        through to the next source.

    Examples
    --------
    >>> import numpy as np
    >>> from affine import Affine
    >>> from wakhan.grid import NO_SOURCE, Grid
    >>> g = Grid(np.array([[1.0, 2.0], [-9999.0, 4.0]], np.float32), Affine(90, 0, 500000, 0, -90, 4100000),
    ...          "EPSG:32643", nodata=-9999.0)
    >>> Layer(g, "test heights").claim_missing
    False
    """

    grid: Grid
    label: str
    claim_missing: bool = False
    #: Points ``(x, y, z)`` in the grid's CRS burnt into the cells this layer supplies, each cell
    #: taking the lowest height that falls in it: a coarse source's breached streams
    #: (:func:`wakhan.dem.hydro.condition_layer`), which bilinear resampling would otherwise
    #: blur into their walls.
    burn: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None


@dataclass(frozen=True)
class MosaicResult:
    """The mosaicked heights, how many cells each layer supplied, and which layer supplied each cell.

    Examples
    --------
    >>> import numpy as np
    >>> MosaicResult(np.zeros((2, 2), np.float32), (3, 1)).counts
    (3, 1)
    """

    array: np.ndarray  # float32, NaN = missing
    counts: tuple[int, ...]  # cells supplied by each layer
    #: uint8, the array's shape: the position in ``layers`` of the layer that supplied each cell
    #: (:data:`wakhan.grid.NO_SOURCE` where none did); None when not recorded
    layer: np.ndarray | None = None


def mosaic_priority(
    layers, crs, transform: Affine, shape: tuple[int, int], *, chunk_cells: int = 2**24
) -> MosaicResult:
    """Resample ``layers`` (finest first) onto the lattice and merge them by priority.

    Parameters
    ----------
    layers : sequence of Layer
        Highest priority first.
    crs, transform, shape
        The target lattice (see :func:`wakhan.dem.project.target_grid`).
    chunk_cells : int
        Largest number of target cells warped at a time: the lattice is built in
        square tiles (at most 512 x 512) aligned on the CRS's own lattice, so
        besides the result (4 bytes a cell) only one tile's masks and values are
        held, and a cell's height does not depend on the box (see :func:`_tiles`).

    Examples
    --------
    >>> import numpy as np
    >>> from affine import Affine
    >>> from wakhan.grid import NO_SOURCE, Grid
    >>> t = Affine(90, 0, 500000, 0, -90, 4100000)
    >>> fine = Grid(np.array([[1.0, np.nan], [3.0, 4.0]], np.float32), t, "EPSG:32643")
    >>> coarse = Grid(np.full((2, 2), 9.0, np.float32), t, "EPSG:32643")
    >>> r = mosaic_priority([Layer(fine, "fine"), Layer(coarse, "coarse")], "EPSG:32643", t, (2, 2))
    >>> r.array.tolist(), r.counts, r.layer.tolist()
    ([[1.0, 9.0], [3.0, 4.0]], (3, 1), [[0, 1], [0, 0]])
    """
    layers = list(layers)
    if not layers:
        raise InputError("no elevation sources to mosaic: give SRTM tiles or use the region pack")
    if len(layers) >= NO_SOURCE:
        raise InputError(f"{len(layers)} elevation sources to mosaic: at most {NO_SOURCE - 1}; merge tiles first")
    nrows, ncols = shape
    out = np.full(shape, np.nan, dtype=np.float32)
    which = np.full(shape, NO_SOURCE, dtype=np.uint8)
    # each source once as float32 with NaN for missing (GDAL then warps windows of it, no further copy)
    sources = [warp_source(layer.grid) for layer in layers]
    scales = [resampling_scale(layer.grid, abs(float(transform.a))) for layer in layers]
    burns = [_burn_cells(layer, crs, transform, shape) for layer in layers]
    to_layer = [_to_source_pixels(layer.grid, crs) for layer in layers]

    def fill(tile) -> list[int]:
        """Warp one tile's layers into ``out`` and ``which`` (tiles are disjoint); its cells per layer."""
        r0, c0, r1, c1, sub_t, sub_shape = tile
        tile_counts = [0] * len(layers)
        taken = np.zeros(sub_shape, dtype=bool)
        keep = np.s_[max(r0, 0) - r0 : min(r1, nrows) - r0, max(c0, 0) - c0 : min(c1, ncols) - c0]
        block = out[max(r0, 0) : min(r1, nrows), max(c0, 0) : min(c1, ncols)]
        which_block = which[max(r0, 0) : min(r1, nrows), max(c0, 0) : min(c1, ncols)]
        for i, (layer, src, scale) in enumerate(zip(layers, sources, scales)):
            if taken[keep].all():  # finer layers filled the tile: no cell left to this one
                break
            known = _tile_in_footprint(layer.grid, to_layer[i], sub_t, sub_shape)
            if known is False:
                continue
            inside = np.ones(sub_shape, dtype=bool) if known else footprint_on(layer.grid, crs, sub_t, sub_shape)
            inside &= ~taken
            if not inside[keep].any():
                continue
            values = reproject_grid(src, crs, sub_t, sub_shape, scale=scale)
            claim = inside if layer.claim_missing else inside & np.isfinite(values)
            if burns[i] is not None:
                _burn(values, claim, burns[i], r0, c0, r1, c1)
            block[claim[keep]] = values[keep][claim[keep]]
            which_block[claim[keep]] = i
            taken |= claim
            tile_counts[i] = int(claim[keep].sum())
        return tile_counts

    # the tiles are independent and GDAL's warps release the GIL: as many at a time as there are cores
    done = map_interruptible(fill, list(_tiles(transform, shape, chunk_cells)), workers=os.cpu_count() or 1)
    counts = [0] * len(layers)
    for tile_counts, error in done:
        if error is not None:
            raise error
        counts = [a + b for a, b in zip(counts, tile_counts)]
    return MosaicResult(out, tuple(counts), which)


def _to_source_pixels(grid: Grid, crs):
    """A function taking lattice points ``(x, y)`` in ``crs`` to fractional (column, row) of ``grid``."""
    inverse = ~grid.transform
    if CRS.from_user_input(crs) == grid.crs:
        return lambda x, y: _apply(inverse, x, y)
    local = threading.local()  # a pyproj Transformer is not to be shared between threads

    def to_pixels(x, y):
        if not hasattr(local, "to_grid"):
            local.to_grid = Transformer.from_crs(crs, grid.crs, always_xy=True)
        return _apply(inverse, *local.to_grid.transform(x, y))

    return to_pixels


def _apply(t: Affine, x, y) -> tuple[np.ndarray, np.ndarray]:
    """The affine ``t`` applied to arrays of points ``x, y``."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    return t.a * x + t.b * y + t.c, t.d * x + t.e * y + t.f


def _tile_in_footprint(grid: Grid, to_pixels, transform: Affine, shape: tuple[int, int]) -> bool | None:
    """True when every cell centre of the tile lies inside ``grid``'s extent, False when none does, else None.

    Decided from the tile's edge cells, mapped onto the grid's pixels: the tile's interior lies within
    their outline. Only with a margin of two cells of the proxy :func:`footprint_on` warps (which
    GDAL's approximate transform cannot cross) is the answer given; a tile nearer the extent's
    edge (None) is warped by :func:`footprint_on` as before, so the footprint is the same either way
    and the mosaic warps most tiles, those well inside or outside a source, without it.
    """
    h, w = shape
    along_w, along_h = np.arange(w) + 0.5, np.arange(h) + 0.5
    cols = np.concatenate([along_w, along_w, np.full(h, 0.5), np.full(h, w - 0.5)])
    rows = np.concatenate([np.full(w, 0.5), np.full(w, h - 0.5), along_h, along_h])
    with np.errstate(invalid="ignore"):
        sc, sr = to_pixels(*_apply(transform, cols, rows))
    if not (np.isfinite(sc).all() and np.isfinite(sr).all()):
        return None
    height, width = grid.shape
    mx, my = 2.0 * width / min(width, 512), 2.0 * height / min(height, 512)
    if sc.min() >= mx and sc.max() <= width - mx and sr.min() >= my and sr.max() <= height - my:
        return True
    if sc.max() < -mx or sc.min() > width + mx or sr.max() < -my or sr.min() > height + my:
        return False
    return None


def _burn_cells(layer: Layer, crs, transform: Affine, shape: tuple[int, int]):
    """A layer's burn points as ``(rows, cols, z)`` on the lattice (those inside it), or None."""
    if layer.burn is None:
        return None
    x, y, z = layer.burn
    if layer.grid.crs != crs:
        x, y = Transformer.from_crs(layer.grid.crs, crs, always_xy=True).transform(x, y)
    col = (np.asarray(x) - transform.c) / transform.a  # north-up lattice
    row = (np.asarray(y) - transform.f) / transform.e
    rows, cols = np.floor(row).astype(np.int64), np.floor(col).astype(np.int64)
    inside = (rows >= 0) & (rows < shape[0]) & (cols >= 0) & (cols < shape[1]) & np.isfinite(z)
    return rows[inside], cols[inside], np.asarray(z, dtype=np.float32)[inside]


def _burn(values: np.ndarray, claim: np.ndarray, cells, r0: int, c0: int, r1: int, c1: int) -> None:
    """Lower the tile's ``values`` to the burn heights falling in its claimed cells (in place)."""
    rows, cols, z = cells
    sel = (rows >= r0) & (rows < r1) & (cols >= c0) & (cols < c1)
    if not sel.any():
        return
    rr, cc, zz = rows[sel] - r0, cols[sel] - c0, z[sel]
    ok = claim[rr, cc]
    np.minimum.at(values, (rr[ok], cc[ok]), zz[ok])


def _tiles(transform: Affine, shape: tuple[int, int], chunk_cells: int):
    """Square tiles of the lattice, aligned on whole multiples of the tile size in map units.

    GDAL approximates the warp transform linearly along each row of the area it warps
    (within 1/8 of a source cell), so a height depends on where that area starts and
    ends. Tiles placed on a fixed lattice of the CRS, whatever the box (``x = k * side *
    res``), make every cell's height independent of the box it is built in: two boxes
    sharing cells give those cells the same heights, so the same route is solved on both.
    Yields ``(row0, col0, row1, col1, tile transform, tile shape)``; the edge tiles reach
    beyond the lattice and are cropped by the caller.
    """
    nrows, ncols = shape
    side = int(max(64, min(_TILE_CELLS, math.isqrt(max(chunk_cells, 1)))))
    res_x, res_y = float(transform.a), float(-transform.e)
    gc0 = round(transform.c / res_x)  # global column / row index of the lattice's first cell
    gr0 = round(-transform.f / res_y)
    first_r = math.floor(gr0 / side) * side - gr0
    first_c = math.floor(gc0 / side) * side - gc0
    for r0 in range(first_r, nrows, side):
        for c0 in range(first_c, ncols, side):
            yield r0, c0, r0 + side, c0 + side, transform @ Affine.translation(c0, r0), (side, side)
