"""Metric projections for a study area and the lattice of cells laid over it.

:func:`choose_crs` picks UTM where the whole box fits one 6-degree zone and an
Azimuthal Equidistant projection centred on the box otherwise (distances from
the centre are true; over a box 700 km across, scale errors stay below 0.2 %).
:func:`target_grid` lays a north-up lattice of square cells over the box in
that CRS, after :func:`check_memory` has found room for it;
:func:`wakhan.dem.warp.reproject_grid` resamples a source grid onto it.
"""

from __future__ import annotations

import math

import numpy as np
from affine import Affine
from pyproj import Transformer
from rasterio.crs import CRS
from rasterio.warp import transform_bounds

from wakhan.errors import DataError, InputError, option
from wakhan.memory import SOLVE_BYTES_PER_CELL, available_bytes
from wakhan.sources.pack import region_bounds

__all__ = [
    "check_bbox",
    "choose_crs",
    "crs_text",
    "lattice_offset",
    "user_crs",
    "utm_zone",
    "target_grid",
    "lonlat_to_xy",
    "xy_to_lonlat",
    "MAX_CELLS",
    "check_memory",
    "ROUTE_BYTES_PER_CELL",
]

#: Largest DEM :func:`target_grid` builds (cells): the solver's queues index cells with int32.
MAX_CELLS = 2**31 - 1
#: Memory to build a DEM and route on it, bytes per cell: the float32 DEM (4, built in windows),
#: the barrier and valid masks (2) and one solve's arrays (:data:`wakhan.memory.SOLVE_BYTES_PER_CELL`:
#: cost, heap positions, backlink, masks, the coarse-to-fine band's temporaries; legs run side by
#: side only when memory allows); Kashgar-Kabul at 30 m (537 M cells) peaked at 11.0 GB, 20.5 B/cell
#: (benchmarks/scale.py).
ROUTE_BYTES_PER_CELL = 4 + 2 + SOLVE_BYTES_PER_CELL
#: Grids of more than this many cells are routed lean (wakhan.solve.refine.FLOAT32_MIN_CELLS: float32
#: costs, no stored gradient, drainage on block means): the 30 m Kashgar-Kabul route (538 M cells)
#: peaked at 6,133 MiB, 11.95 B a cell (benchmarks/README.md, "The 30 m route in under 6 GB").
LEAN_ROUTE_MIN_CELLS = 256_000_000
LEAN_ROUTE_BYTES_PER_CELL = 12


def check_bbox(bbox_lonlat) -> tuple[float, float, float, float]:
    """Validate ``(west, south, east, north)`` in degrees and return it as floats.

    Examples
    --------
    >>> check_bbox([74, 36.5, 75, 37])
    (74.0, 36.5, 75.0, 37.0)
    >>> check_bbox((75, 36, 74, 37))
    Traceback (most recent call last):
    ...
    wakhan.errors.InputError: bounding box (W=75.0, S=36.0, E=74.0, N=37.0) is not a box: west < east within -180..180 and south < north within -90..90 are needed

    Given latitude first, a box whose longitudes pass 90 is not a box, and is told so:

    >>> check_bbox((37.5, 95.0, 37.6, 95.1))
    Traceback (most recent call last):
    ...
    wakhan.errors.InputError: bounding box ... are needed, but (95, 37.5, 95.1, 37.6) is one: give the box as (west, south, east, north), longitude first
    """
    try:
        w, s, e, n = (float(v) for v in bbox_lonlat)
    except (TypeError, ValueError):
        raise InputError(
            f"bounding box {bbox_lonlat!r} is not four numbers: give (west, south, east, north) in degrees"
        ) from None
    if not all(math.isfinite(v) for v in (w, s, e, n)):
        raise InputError(f"bounding box {bbox_lonlat!r} holds a non-finite number: give finite degrees")
    if not _is_box(w, s, e, n):
        hint = f", but {lat_first_hint((w, s, e, n), 'is one')}" if _is_box(s, w, n, e) else ""
        raise InputError(
            f"bounding box (W={w}, S={s}, E={e}, N={n}) is not a box: west < east within "
            f"-180..180 and south < north within -90..90 are needed{hint}"
        )
    return w, s, e, n


def _is_box(w: float, s: float, e: float, n: float) -> bool:
    return -180 <= w < e <= 180 and -90 <= s < n <= 90


def lat_first_hint(bbox_lonlat, verdict: str) -> str:
    """The end of a message for a box that reads right as (south, west, north, east): the box swapped, then what to do.

    Parameters
    ----------
    bbox_lonlat : (west, south, east, north)
        The box as given.
    verdict : str
        What the swapped box is ("lies inside" the data, "is one" when only the swapped box is valid).

    Examples
    --------
    >>> lat_first_hint((37.5, 74.0, 37.6, 74.1), "lies inside")
    '(74, 37.5, 74.1, 37.6) lies inside: give the box as (west, south, east, north), longitude first'
    """
    w, s, e, n = bbox_lonlat
    return f"({s:g}, {w:g}, {n:g}, {e:g}) {verdict}: give the box as (west, south, east, north), longitude first"


def utm_zone(lon: float) -> int:
    """UTM zone number (1-60) of a longitude (no Norway/Svalbard exceptions).

    Examples
    --------
    The Wakhjir Pass (74.5 E) lies in UTM zone 43 (72-78 E):

    >>> utm_zone(74.5), utm_zone(-180.0), utm_zone(180.0)
    (43, 1, 60)
    """
    return min(int((lon + 180.0) // 6.0) + 1, 60)


def user_crs(value, what: str = "--crs") -> CRS:
    """The CRS a user named (``EPSG:32643``, a PROJ string, WKT), or one :class:`InputError` sentence.

    Examples
    --------
    >>> user_crs("EPSG:32643").to_epsg()
    32643
    >>> user_crs("EPSG:99999")
    Traceback (most recent call last):
    ...
    wakhan.errors.InputError: --crs 'EPSG:99999' is not a CRS PROJ knows; give one such as EPSG:32643 (UTM 43N)
    """
    if isinstance(value, CRS):
        return value
    try:
        import pyproj  # lazy: checks the name first, quietly (GDAL would print PROJ's own error line)

        return CRS.from_user_input(pyproj.CRS.from_user_input(value).to_wkt())
    except Exception:  # noqa: BLE001 - rasterio's CRSError and friends: one sentence for the user
        raise InputError(f"{what} {value!r} is not a CRS PROJ knows; give one such as EPSG:32643 (UTM 43N)") from None


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
        the region pack's extent (a box inside it) or the box (elsewhere), the
        centre rounded to 0.01 degree, WGS84 datum, metres.

    Examples
    --------
    >>> choose_crs((72.5, 36.5, 75.0, 37.5)).to_epsg()
    32643
    >>> choose_crs((70.0, 34.0, 76.0, 39.0)).to_proj4().split()[:3]  # inside the pack (67.5-77E, 33.5-40.5N)
    ['+proj=aeqd', '+lat_0=37', '+lon_0=72.25']
    >>> choose_crs((68.5, 34.5, 76.5, 39.0)).to_proj4() == choose_crs((70.0, 34.0, 76.0, 39.0)).to_proj4()
    True
    >>> choose_crs((0.0, 40.0, 14.0, 50.0)).to_proj4().split()[:3]  # outside it: the box's own centre
    ['+proj=aeqd', '+lat_0=45', '+lon_0=7']
    """
    w, s, e, n = check_bbox(bbox_lonlat)
    if utm_zone(w) == utm_zone(e - 1e-9) and n - s <= 20:
        zone = utm_zone(w)
        centre_lat = (s + n) / 2
        return CRS.from_epsg((32600 if centre_lat >= 0 else 32700) + zone)
    region = _pack_region()
    if region is not None and region[0] <= w and region[1] <= s and e <= region[2] and n <= region[3]:
        w, s, e, n = region  # one CRS for every box inside the pack: the same lattice, whatever the box
    lat0 = round((s + n) / 2, 2)
    lon0 = round((w + e) / 2, 2)
    return CRS.from_proj4(f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs")


def _pack_region() -> tuple[float, float, float, float] | None:
    """The region pack's ``(west, south, east, north)``, or None where no pack is installed."""
    try:
        return region_bounds()
    except (OSError, ValueError, KeyError, DataError):
        return None


def crs_text(crs) -> str:
    """A CRS as every JSON output writes it: ``EPSG:code`` where it has one, else its PROJ string.

    Examples
    --------
    >>> crs_text("EPSG:32643")
    'EPSG:32643'
    >>> crs_text("+proj=aeqd +lat_0=37 +lon_0=72.25 +datum=WGS84 +units=m")
    '+proj=aeqd +lat_0=37 +lon_0=72.25 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs=True'
    """
    crs = CRS.from_user_input(crs)
    epsg = crs.to_epsg()
    return f"EPSG:{epsg}" if epsg else crs.to_proj4()


def lattice_offset(inner, outer) -> tuple[int, int] | None:
    """Row and column of ``inner``'s first cell in ``outer``, when both lie on one lattice (the same cell
    size, corners a whole number of cells apart) and ``outer`` holds all of ``inner``; None otherwise.

    Examples
    --------
    >>> import numpy as np
    >>> from affine import Affine
    >>> from wakhan.grid import Grid
    >>> big = Grid(np.zeros((10, 10), np.float32), Affine(100.0, 0, 0, 0, -100.0, 1000.0), "EPSG:32643")
    >>> box = Grid(np.zeros((3, 4), np.float32), Affine(100.0, 0, 200.0, 0, -100.0, 900.0), "EPSG:32643")
    >>> lattice_offset(box, big), lattice_offset(big, box)
    ((1, 2), None)
    """
    dx, dy = inner.res
    c0, r0 = (inner.transform.c - outer.transform.c) / dx, (outer.transform.f - inner.transform.f) / dy
    row, col = int(round(r0)), int(round(c0))
    aligned = abs(r0 - row) < 1e-6 and abs(c0 - col) < 1e-6 and outer.res == inner.res
    inside = row >= 0 and col >= 0 and row + inner.height <= outer.height and col + inner.width <= outer.width
    return (row, col) if aligned and inside else None


def lonlat_to_xy(crs, lon, lat):
    """Project lon/lat degrees to map ``x, y`` in ``crs`` (arrays in, arrays out).

    Examples
    --------
    The central meridian of UTM zone 43 (75 E) maps to the false easting, 500 km:

    >>> x, y = lonlat_to_xy("EPSG:32643", 75.0, 0.0)
    >>> round(float(x), 3), round(float(y), 3)
    (500000.0, 0.0)
    """
    t = Transformer.from_crs("EPSG:4326", CRS.from_user_input(crs).to_wkt(), always_xy=True)
    x, y = t.transform(np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64))
    return np.asarray(x), np.asarray(y)


def xy_to_lonlat(crs, x, y):
    """Inverse of :func:`lonlat_to_xy`.

    Examples
    --------
    >>> lon, lat = xy_to_lonlat("EPSG:32643", 500000.0, 0.0)
    >>> round(float(lon), 6), round(float(lat), 6)
    (75.0, 0.0)
    """
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

    Examples
    --------
    >>> transform, shape = target_grid((74.9, 0.0, 75.1, 0.01), "EPSG:32643", 1000.0)
    >>> transform.a, transform.e, shape
    (1000.0, -1000.0, (2, 24))
    """
    w, s, e, n = check_bbox(bbox_lonlat)
    if not (resolution_m and math.isfinite(resolution_m) and resolution_m > 0):
        raise InputError(
            f"{option(f'--resolution {resolution_m!r} m', f'resolution_m={resolution_m!r}', subject=True)} must be a positive "
            f"cell size in metres, e.g. {option('--resolution 90', 'resolution_m=90')}"
        )
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


def _gb(n_bytes: float) -> str:
    """Gigabytes (GiB) to one decimal, or two significant digits below 1 (``0.05``, not ``0.0``)."""
    gb = n_bytes / 2**30
    return f"{gb:.1f}" if gb >= 0.95 else f"{gb:.2g}"


def check_memory(width: int, height: int, res_m: float) -> None:
    """Refuse, in one sentence, a ``width x height`` grid that cannot be built and routed on in memory.

    Checked before anything of that size is allocated, so the user gets the size
    needed and what to do instead of a MemoryError half-way.

    Examples
    --------
    >>> import os
    >>> os.environ["WAKHAN_MEMORY_GB"] = "1"
    >>> check_memory(1000, 1000, 90.0) is None      # 22 MB
    True
    >>> check_memory(10000, 10000, 90.0)            # 2.2 GB at 22 B a cell
    Traceback (most recent call last):
    ...
    wakhan.errors.InputError: a 90 m grid over this box has 10,000 x 10,000 = 100,000,000 cells and needs about 2.0 GB of memory to build and route on, but 1.0 GB is available; use --resolution 140, or resolution_m=140 in Python, or coarser, a smaller area (--buffer-km, or buffer_km in Python, fewer or closer waypoints) or a machine with more memory
    >>> os.environ["WAKHAN_MEMORY_GB"] = "7"
    >>> check_memory(23000, 23000, 30.0) is None    # 529 M cells, routed lean: 12 B a cell, 5.9 GiB
    True
    >>> del os.environ["WAKHAN_MEMORY_GB"]
    """
    cells = width * height
    need = cells * (LEAN_ROUTE_BYTES_PER_CELL if cells > LEAN_ROUTE_MIN_CELLS else ROUTE_BYTES_PER_CELL)
    have = available_bytes()
    if cells > MAX_CELLS or need > have:
        fit = res_m * math.sqrt(max(need / max(have, 1), cells / MAX_CELLS)) * 1.05
        fit = math.ceil(fit / 10) * 10 if fit > 10 else math.ceil(fit)
        raise InputError(
            f"a {res_m:g} m grid over this box has {width:,} x {height:,} = {cells:,} cells and needs "
            f"about {_gb(need)} GB of memory to build and route on, but "
            f"{_gb(have)} GB is available; use {option(f'--resolution {fit:g}', f'resolution_m={fit:g}', subject=True)} or "
            f"coarser, a smaller area ({option('--buffer-km', 'buffer_km')}, fewer or closer waypoints) or a "
            "machine with more memory"
        )
