"""Priority mosaic: several elevation sources onto one metric lattice, finest first.

Each source is resampled (bilinear) onto the target lattice, one band of rows
(a window) at a time so that memory beyond the result stays bounded; a cell takes the
value of the first source, in priority order, whose extent holds the cell's
centre and which has a height there. A source whose voids were *kept* as
impassable claims its void cells too, so a coarser source never papers over
them. The result records which source filled how much of the grid.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from affine import Affine

from wakhan.dem.project import footprint_on, reproject_grid, resampling_scale, warp_source
from wakhan.errors import InputError
from wakhan.grid import Grid

__all__ = ["Layer", "MosaicResult", "mosaic_priority"]


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
    >>> from wakhan.grid import Grid
    >>> g = Grid(np.array([[1.0, 2.0], [-9999.0, 4.0]], np.float32), Affine(90, 0, 500000, 0, -90, 4100000),
    ...          "EPSG:32643", nodata=-9999.0)
    >>> Layer(g, "test heights").claim_missing
    False
    """

    grid: Grid
    label: str
    claim_missing: bool = False


@dataclass(frozen=True)
class MosaicResult:
    """The mosaicked heights and how many cells each layer supplied.

    Examples
    --------
    >>> import numpy as np
    >>> MosaicResult(np.zeros((2, 2), np.float32), (3, 1)).counts
    (3, 1)
    """

    array: np.ndarray  # float32, NaN = missing
    counts: tuple[int, ...]  # cells supplied by each layer


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
        Target cells warped at a time: the lattice is built in bands of rows
        (windows), so besides the result (4 bytes a cell) only one band's
        masks and values are held, whatever the grid's size.

    Examples
    --------
    >>> import numpy as np
    >>> from affine import Affine
    >>> from wakhan.grid import Grid
    >>> t = Affine(90, 0, 500000, 0, -90, 4100000)
    >>> fine = Grid(np.array([[1.0, np.nan], [3.0, 4.0]], np.float32), t, "EPSG:32643")
    >>> coarse = Grid(np.full((2, 2), 9.0, np.float32), t, "EPSG:32643")
    >>> r = mosaic_priority([Layer(fine, "fine"), Layer(coarse, "coarse")], "EPSG:32643", t, (2, 2))
    >>> r.array.tolist(), r.counts
    ([[1.0, 9.0], [3.0, 4.0]], (3, 1))
    """
    layers = list(layers)
    if not layers:
        raise InputError("no elevation sources to mosaic: give SRTM tiles or use the region pack")
    nrows, ncols = shape
    out = np.full(shape, np.nan, dtype=np.float32)
    counts = [0] * len(layers)
    # each source once as float32 with NaN for missing (GDAL then warps windows of it, no further copy)
    sources = [warp_source(layer.grid) for layer in layers]
    scales = [resampling_scale(layer.grid, abs(float(transform.a))) for layer in layers]
    step = max(1, chunk_cells // max(ncols, 1))
    for r0 in range(0, nrows, step):
        r1 = min(nrows, r0 + step)
        sub_t = transform @ Affine.translation(0, r0)
        sub_shape = (r1 - r0, ncols)
        taken = np.zeros(sub_shape, dtype=bool)
        block = out[r0:r1]
        for i, (layer, src, scale) in enumerate(zip(layers, sources, scales)):
            inside = footprint_on(layer.grid, crs, sub_t, sub_shape)
            inside &= ~taken
            if not inside.any():
                continue
            values = reproject_grid(src, crs, sub_t, sub_shape, scale=scale)
            claim = inside if layer.claim_missing else inside & np.isfinite(values)
            block[claim] = values[claim]
            taken |= claim
            counts[i] += int(claim.sum())
    return MosaicResult(out, tuple(counts))
