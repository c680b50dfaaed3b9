"""Voids in elevation grids: count them, fill them by interpolation, or keep them impassable.

SRTM has voids (radar shadow on steep slopes, water), marked -32768 in ``.hgt``
tiles or by the file's nodata value. Routing across the Pamir cannot simply
skip them, so by default they are filled by inverse-distance interpolation
from the surrounding heights (GDAL FillNodata, via :func:`rasterio.fill.fillnodata`).
With ``keep=True`` they stay missing (NaN), which the cost stage treats as
impassable. Either way the count and share of void cells are reported and
written into the grid's notes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rasterio.fill import fillnodata

from wakhan.errors import InputError
from wakhan.grid import Grid

__all__ = ["VoidReport", "count_voids", "fill_voids"]


@dataclass(frozen=True)
class VoidReport:
    """What happened to the void cells of a grid.

    Attributes
    ----------
    count : int
        Void (missing) cells in the input.
    share : float
        ``count`` as a fraction (0..1) of all cells.
    filled : int
        Void cells given an interpolated height.
    remaining : int
        Void cells still missing (NaN) afterwards: all of them with
        ``keep=True``, those farther than the search distance from any data
        otherwise.
    method : str
        How they were treated, in words.

    Examples
    --------
    >>> VoidReport(count=2, share=0.5, filled=0, remaining=2, method="kept as missing").describe()
    '2 void cells (50.00 %): kept as missing'
    """

    count: int
    share: float
    filled: int
    remaining: int = 0
    method: str = ""

    def describe(self) -> str:
        """One line for notes, logs and reports."""
        text = f"{self.count:,} void cells ({self.share * 100:.2f} %)"
        if self.count == 0:
            return "no void cells"
        if self.filled:
            text += f": {self.filled:,} filled by {self.method}"
            if self.remaining:
                text += f", {self.remaining:,} left missing (too far from data)"
        else:
            text += f": {self.method}"
        return text


def count_voids(grid: Grid) -> tuple[int, float]:
    """Number and share (0..1) of missing cells (nodata or NaN) in ``grid``.

    Examples
    --------
    >>> import numpy as np
    >>> from affine import Affine
    >>> from wakhan.grid import Grid
    >>> g = Grid(np.array([[1.0, 2.0], [-9999.0, 4.0]], np.float32), Affine(90, 0, 500000, 0, -90, 4100000),
    ...          "EPSG:32643", nodata=-9999.0)
    >>> count_voids(g)
    (1, 0.25)
    """
    n_void = int((~grid.valid_mask()).sum())
    return n_void, (n_void / grid.array.size if grid.array.size else 0.0)


def fill_voids(
    grid: Grid, max_search_distance_cells: float = 100.0, keep: bool = False, smoothing_iterations: int = 0
) -> tuple[Grid, VoidReport]:
    """Fill void cells by interpolation (default) or keep them as NaN.

    Parameters
    ----------
    grid : Grid
        Elevations; void cells are those equal to ``grid.nodata`` or NaN.
    max_search_distance_cells : float
        How far, in cells, to look for data around a void (GDAL FillNodata's
        ``max_search_distance``). Voids farther than this from any data stay NaN.
    keep : bool
        Keep voids as NaN (impassable to the router) instead of filling them.
    smoothing_iterations : int
        3x3 smoothing passes over the filled cells (GDAL's option; 0 = none).

    Returns
    -------
    (Grid, VoidReport)
        A float32 grid with ``nodata=None`` and NaN for cells still missing, the
        same transform, CRS and sources, and a note saying how many voids there
        were and what was done; and the report itself.

    Examples
    --------
    >>> import numpy as np
    >>> from affine import Affine
    >>> from wakhan.grid import Grid
    >>> g = Grid(np.array([[1.0, 2.0], [-9999.0, 4.0]], np.float32), Affine(90, 0, 500000, 0, -90, 4100000),
    ...          "EPSG:32643", nodata=-9999.0)
    >>> filled, report = fill_voids(g)
    >>> report.filled, bool(np.isfinite(filled.array).all()), filled.nodata
    (1, True, None)
    >>> kept, report = fill_voids(g, keep=True)
    >>> report.remaining, bool(np.isnan(kept.array[1, 0]))
    (1, True)
    """
    if max_search_distance_cells <= 0:
        raise InputError(
            f"max_search_distance_cells={max_search_distance_cells} must be positive: "
            "give the search radius in cells, e.g. 100"
        )
    valid = grid.valid_mask()
    n_void = int((~valid).sum())
    share = n_void / valid.size if valid.size else 0.0
    heights = grid.array.astype(np.float32, copy=True)
    heights[~valid] = np.nan
    if n_void == 0:
        report = VoidReport(0, 0.0, 0, 0, "none")
        return grid.with_array(heights, nodata=None).with_note(report.describe()), report
    if keep:
        report = VoidReport(n_void, share, 0, n_void, "kept as missing (impassable)")
        return grid.with_array(heights, nodata=None).with_note(report.describe()), report
    if n_void == valid.size:
        report = VoidReport(n_void, share, 0, n_void, "nothing (the grid holds no data)")
        return grid.with_array(heights, nodata=None).with_note(report.describe()), report

    filled = fillnodata(
        heights,
        mask=valid.astype(np.uint8),
        max_search_distance=float(max_search_distance_cells),
        smoothing_iterations=int(smoothing_iterations),
    )
    filled = np.asarray(filled, dtype=np.float32)
    filled[valid] = heights[valid]  # data cells are never altered
    remaining = int(np.isnan(filled).sum())
    method = f"inverse-distance interpolation (GDAL FillNodata, search radius {max_search_distance_cells:g} cells)"
    report = VoidReport(n_void, share, n_void - remaining, remaining, method)
    return grid.with_array(filled, nodata=None).with_note(report.describe()), report
