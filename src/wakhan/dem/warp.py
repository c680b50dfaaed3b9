"""Source grids onto a metric lattice: their cell size in metres and the warps (GDAL) that resample them.

:func:`resampling_scale` fixes the bilinear kernel's size from the two resolutions, so that
no height depends on the box or on how the lattice is cut into windows;
:func:`reproject_grid` resamples a source grid onto a lattice of
:func:`wakhan.dem.project.target_grid`, and :func:`footprint_on` marks the cells a source covers.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from affine import Affine
from rasterio.crs import CRS
from rasterio.errors import NotGeoreferencedWarning
from rasterio.warp import Resampling, reproject

from wakhan.grid import Grid
from wakhan.interrupt import run_interruptible  # GDAL warps release the GIL: Ctrl-C acts at once

__all__ = ["native_spacing_m", "resampling_scale", "warp_source", "reproject_grid", "footprint_on"]

# rasterio's warp of in-memory arrays, given both transforms, now and then warns that a dataset has
# none when warps run on two threads at once (rasterio and odc-geo issues: spurious, the output is
# unchanged; the mosaic's tiles give the same heights on one thread or two, tests/test_mosaic_threads.py)
warnings.filterwarnings("ignore", message="Dataset has no geotransform", category=NotGeoreferencedWarning,
                        module=r"rasterio\.warp")  # fmt: skip

_M_PER_DEG_LAT = 111_320.0


def native_spacing_m(grid: Grid) -> float:
    """A grid's cell size in metres (north-south spacing for a lon/lat grid, rounded to 1 m).

    Examples
    --------
    >>> import numpy as np
    >>> from affine import Affine
    >>> from wakhan.grid import Grid
    >>> geo = Grid(np.full((10, 10), 3000.0, np.float32), Affine(0.1, 0, 74.0, 0, -0.1, 38.0), "EPSG:4326")
    >>> native_spacing_m(geo)  # 0.1 degree of latitude
    11132.0
    """
    dx, dy = grid.res
    if grid.is_geographic:
        return float(round(dy * _M_PER_DEG_LAT))
    return float(max(dx, dy))


def resampling_scale(grid: Grid, resolution_m: float) -> tuple[float, float]:
    """Target cells per source cell along x and y (at most 1) onto a ``resolution_m`` lattice.

    GDAL widens a bilinear kernel by ``1 / scale`` when it downsamples, and
    otherwise estimates the scale from each window it warps, so a height could
    depend on the box and on how the lattice is cut into windows. The scale is
    fixed from the two resolutions instead (a lon/lat source's east-west spacing
    taken at its own central latitude), so neither can change a height.

    Examples
    --------
    GEBCO's 15" cells (463 m north-south, 367 m east-west at 37.5 N) onto a 926 m lattice:

    >>> import numpy as np
    >>> from affine import Affine
    >>> from wakhan.grid import Grid
    >>> g = Grid(np.zeros((240, 240), np.float32), Affine(1 / 240, 0, 74, 0, -1 / 240, 38), "EPSG:4326")
    >>> xs, ys = resampling_scale(g, 926.0)
    >>> round(xs, 3), round(ys, 3)
    (0.397, 0.501)
    """
    dx, dy = (abs(float(v)) for v in grid.res)
    if grid.is_geographic:
        west, south, east, north = grid.bounds
        dx *= _M_PER_DEG_LAT * math.cos(math.radians((south + north) / 2))
        dy *= _M_PER_DEG_LAT
    return min(1.0, dx / resolution_m), min(1.0, dy / resolution_m)


def warp_source(grid: Grid) -> Grid:
    """``grid`` as float32 with NaN for missing cells, the form GDAL warps without a further copy.

    Returned as it is when it already has that form.

    Examples
    --------
    >>> import numpy as np
    >>> from affine import Affine
    >>> g = Grid(np.array([[1, -32768]], np.int16), Affine(90, 0, 500000, 0, -90, 4100000), "EPSG:32643", nodata=-32768)
    >>> warp_source(g).array.tolist()
    [[1.0, nan]]
    """
    if grid.array.dtype == np.float32 and grid.nodata is None:
        return grid
    array = grid.array.astype(np.float32, copy=True)
    array[~grid.valid_mask()] = np.nan
    return Grid(array, grid.transform, grid.crs, nodata=None)


def reproject_grid(
    grid: Grid,
    crs,
    transform: Affine,
    shape: tuple[int, int],
    resampling: str = "bilinear",
    scale: tuple[float, float] | None = None,
) -> np.ndarray:
    """Resample ``grid`` onto a target lattice; float32 array with NaN where it has no data.

    ``scale``: target cells per source cell (x, y) the kernel is sized for
    (default :func:`resampling_scale` for this lattice's cell size).

    Examples
    --------
    >>> import numpy as np
    >>> from affine import Affine
    >>> from wakhan.grid import Grid
    >>> g = Grid(np.full((4, 4), 100.0, np.float32), Affine(90, 0, 500000, 0, -90, 4100000), "EPSG:32643")
    >>> reproject_grid(g, "EPSG:32643", Affine(180, 0, 500000, 0, -180, 4100000), (2, 2)).tolist()
    [[100.0, 100.0], [100.0, 100.0]]
    """
    xscale, yscale = resampling_scale(grid, abs(float(transform.a))) if scale is None else scale
    src = warp_source(grid).array
    out = np.full(shape, np.nan, dtype=np.float32)
    run_interruptible(
        reproject,
        source=src,
        destination=out,
        src_transform=grid.transform,
        src_crs=grid.crs,
        src_nodata=np.nan,
        dst_transform=transform,
        dst_crs=CRS.from_user_input(crs),
        dst_nodata=np.nan,
        resampling=getattr(Resampling, resampling),
        XSCALE=repr(xscale),
        YSCALE=repr(yscale),
    )
    return out


def footprint_on(grid: Grid, crs, transform: Affine, shape: tuple[int, int]) -> np.ndarray:
    """Boolean array: target cells whose centre falls inside ``grid``'s extent (data or not).

    Examples
    --------
    >>> import numpy as np
    >>> from affine import Affine
    >>> from wakhan.grid import Grid
    >>> g = Grid(np.zeros((2, 2), np.float32), Affine(90, 0, 500000, 0, -90, 4100000), "EPSG:32643")
    >>> footprint_on(g, "EPSG:32643", Affine(90, 0, 500090, 0, -90, 4100000), (2, 2)).astype(int).tolist()
    [[1, 0], [1, 0]]
    """
    # only the extent matters: a proxy of at most 512 x 512 cells over the same bounds answers the same
    height, width = grid.shape
    ph, pw = min(height, 512), min(width, 512)
    ones = np.ones((ph, pw), dtype=np.uint8)
    out = np.zeros(shape, dtype=np.uint8)
    run_interruptible(
        reproject,
        source=ones,
        destination=out,
        src_transform=grid.transform @ Affine.scale(width / pw, height / ph),
        src_crs=grid.crs,
        src_nodata=0,
        dst_transform=transform,
        dst_crs=CRS.from_user_input(crs),
        dst_nodata=0,
        resampling=Resampling.nearest,
    )
    return out.astype(bool)
