"""Metric projections for a study area and reprojection of grids onto them.

:func:`choose_crs` picks UTM where the whole box fits one 6-degree zone and an
Azimuthal Equidistant projection centred on the box otherwise (distances from
the centre are true; over a box 700 km across, scale errors stay below 0.2 %).
:func:`target_grid` lays a north-up lattice of square cells over the box in
that CRS, and :func:`reproject_grid` resamples a source grid onto it.
"""
from __future__ import annotations

import math

import numpy as np
from affine import Affine
from rasterio.crs import CRS

from wakhan.errors import InputError
from wakhan.grid import Grid
from wakhan.interrupt import run_interruptible   # GDAL warps release the GIL: Ctrl-C acts at once

__all__ = ["check_bbox", "choose_crs", "utm_zone", "native_spacing_m", "target_grid", "reproject_grid",
           "footprint_on", "lonlat_to_xy", "xy_to_lonlat", "MAX_CELLS", "check_memory",
           "available_memory_bytes", "ROUTE_BYTES_PER_CELL"]

#: Largest DEM :func:`target_grid` builds (cells): the solver's queues index cells with int32.
MAX_CELLS = 2**31 - 1
#: Memory to build a DEM and route on it, bytes per cell: the float32 DEM (4) and its
#: void-filled copy (4), valid/barrier/passable masks (3), the solver's float32 view of
#: the elevations (0-4), cost (8) and backlink (1) arrays, rasterised borders and
#: temporaries; Kashgar-Kabul at 90 m peaked at 30.4 B/cell (benchmarks/scale.py).
ROUTE_BYTES_PER_CELL = 32
_M_PER_DEG_LAT = 111_320.0


def check_bbox(bbox_lonlat) -> tuple[float, float, float, float]:
    """Validate ``(west, south, east, north)`` in degrees and return it as floats."""
    try:
        w, s, e, n = (float(v) for v in bbox_lonlat)
    except (TypeError, ValueError):
        raise InputError(f"bounding box {bbox_lonlat!r} is not four numbers: give (west, south, east, north) "
                         "in degrees") from None
    if not all(math.isfinite(v) for v in (w, s, e, n)):
        raise InputError(f"bounding box {bbox_lonlat!r} holds a non-finite number: give finite degrees")
    if not (-180 <= w < e <= 180) or not (-90 <= s < n <= 90):
        raise InputError(f"bounding box (W={w}, S={s}, E={e}, N={n}) is not a box: west < east within "
                         "-180..180 and south < north within -90..90 are needed")
    return w, s, e, n


def utm_zone(lon: float) -> int:
    """UTM zone number (1-60) of a longitude (no Norway/Svalbard exceptions)."""
    return min(int((lon + 180.0) // 6.0) + 1, 60)


def choose_crs(bbox_lonlat) -> CRS:
    """A metric CRS for the box: UTM if one zone holds it, else Azimuthal Equidistant on its centre.

    Parameters
    ----------
    bbox_lonlat : (west, south, east, north)
        Degrees WGS84.

    Returns
    -------
    rasterio.crs.CRS
        ``EPSG:326zz``/``327zz`` (UTM north/south) or ``+proj=aeqd`` centred on
        the box centre rounded to 0.01 degree, WGS84 datum, metres.
    """
    w, s, e, n = check_bbox(bbox_lonlat)
    if utm_zone(w) == utm_zone(e - 1e-9) and n - s <= 20:
        zone = utm_zone(w)
        centre_lat = (s + n) / 2
        return CRS.from_epsg((32600 if centre_lat >= 0 else 32700) + zone)
    lat0 = round((s + n) / 2, 2)
    lon0 = round((w + e) / 2, 2)
    return CRS.from_proj4(f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs")


def native_spacing_m(grid: Grid) -> float:
    """A grid's cell size in metres (north-south spacing for a lon/lat grid, rounded to 1 m)."""
    dx, dy = grid.res
    if grid.is_geographic:
        return float(round(dy * _M_PER_DEG_LAT))
    return float(max(dx, dy))


def lonlat_to_xy(crs, lon, lat):
    """Project lon/lat degrees to map ``x, y`` in ``crs`` (arrays in, arrays out)."""
    from pyproj import Transformer
    t = Transformer.from_crs("EPSG:4326", CRS.from_user_input(crs).to_wkt(), always_xy=True)
    x, y = t.transform(np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64))
    return np.asarray(x), np.asarray(y)


def xy_to_lonlat(crs, x, y):
    """Inverse of :func:`lonlat_to_xy`."""
    from pyproj import Transformer
    t = Transformer.from_crs(CRS.from_user_input(crs).to_wkt(), "EPSG:4326", always_xy=True)
    lon, lat = t.transform(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))
    return np.asarray(lon), np.asarray(lat)


def target_grid(bbox_lonlat, crs, resolution_m: float) -> tuple[Affine, tuple[int, int]]:
    """North-up lattice of ``resolution_m`` square cells covering the box in ``crs``.

    The box's outline (densified) is projected and its envelope snapped outward
    to whole multiples of the resolution, so the same box and resolution
    always give the same lattice.

    Returns
    -------
    (transform, (height, width))
    """
    from rasterio.warp import transform_bounds
    w, s, e, n = check_bbox(bbox_lonlat)
    if not (resolution_m and math.isfinite(resolution_m) and resolution_m > 0):
        raise InputError(f"resolution {resolution_m!r} m is not a positive number of metres")
    crs = CRS.from_user_input(crs)
    if crs.is_geographic:
        raise InputError(f"CRS {crs} is geographic; give a projected CRS in metres (or none to choose one)")
    left, bottom, right, top = transform_bounds("EPSG:4326", crs, w, s, e, n, densify_pts=101)
    res = float(resolution_m)
    left = math.floor(left / res) * res
    bottom = math.floor(bottom / res) * res
    right = math.ceil(right / res) * res
    top = math.ceil(top / res) * res
    width = int(round((right - left) / res))
    height = int(round((top - bottom) / res))
    check_memory(width, height, res)
    return Affine(res, 0.0, left, 0.0, -res, top), (height, width)


def available_memory_bytes() -> int:
    """Memory this process may still use: ``WAKHAN_MEMORY_GB`` if set, else the kernel's MemAvailable."""
    import os
    env = os.environ.get("WAKHAN_MEMORY_GB")
    if env:
        try:
            return int(float(env) * 2**30)
        except ValueError:
            raise InputError(f"WAKHAN_MEMORY_GB={env!r} is not a number of gigabytes") from None
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_AVPHYS_PAGES"))


def check_memory(width: int, height: int, res_m: float) -> None:
    """Refuse, in one sentence, a ``width x height`` grid that cannot be built and routed on in memory.

    Checked before anything of that size is allocated, so the user gets the size
    needed and what to do instead of a MemoryError half-way.
    """
    cells = width * height
    need = cells * ROUTE_BYTES_PER_CELL
    have = available_memory_bytes()
    if cells > MAX_CELLS or need > have:
        fit = res_m * math.sqrt(max(need / max(have, 1), cells / MAX_CELLS)) * 1.05
        fit = math.ceil(fit / 10) * 10 if fit > 10 else math.ceil(fit)
        raise InputError(f"a {res_m:g} m grid over this box has {width:,} x {height:,} = {cells:,} cells and needs "
                         f"about {need / 2**30:.1f} GB of memory to build and route on, but "
                         f"{have / 2**30:.1f} GB is available; use --resolution {fit:g} or coarser, "
                         "a smaller area (--buffer-km, fewer or closer waypoints) or a machine with more memory")


def reproject_grid(grid: Grid, crs, transform: Affine, shape: tuple[int, int],
                   resampling: str = "bilinear") -> np.ndarray:
    """Resample ``grid`` onto a target lattice; float32 array with NaN where it has no data."""
    from rasterio.warp import Resampling, reproject
    src = grid.array.astype(np.float32, copy=True)
    src[~grid.valid_mask()] = np.nan
    out = np.full(shape, np.nan, dtype=np.float32)
    run_interruptible(reproject, source=src, destination=out, src_transform=grid.transform, src_crs=grid.crs,
                      src_nodata=np.nan, dst_transform=transform, dst_crs=CRS.from_user_input(crs),
                      dst_nodata=np.nan, resampling=getattr(Resampling, resampling))
    return out


def footprint_on(grid: Grid, crs, transform: Affine, shape: tuple[int, int]) -> np.ndarray:
    """Boolean array: target cells whose centre falls inside ``grid``'s extent (data or not)."""
    from rasterio.warp import Resampling, reproject
    ones = np.ones(grid.shape, dtype=np.uint8)
    out = np.zeros(shape, dtype=np.uint8)
    run_interruptible(reproject, source=ones, destination=out, src_transform=grid.transform, src_crs=grid.crs,
                      src_nodata=0, dst_transform=transform, dst_crs=CRS.from_user_input(crs), dst_nodata=0,
                      resampling=Resampling.nearest)
    return out.astype(bool)
