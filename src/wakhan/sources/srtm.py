"""SRTM tiles: names <-> bounding boxes, reading tile files, mosaicking tiles.

An SRTM tile is named after its south-west corner, ``N57E011`` covering
57-58N, 11-12E. Its cells are *centred* on the grid of whole arc-seconds, so
the first and last rows and columns lie on the whole-degree lines: a 1" tile
has 3601 x 3601 cells, a 3" tile 1201 x 1201, and neighbouring tiles share
(duplicate) their edge row or column. The :class:`~wakhan.grid.Grid` returned
here keeps that registration: the transform's upper-left corner is half a cell
west and north of the tile's north-west corner.

Formats read: raw ``.hgt`` (big-endian int16, -32768 = void, size tells the
resolution), ``.hgt.zip``, ``.hgt.gz`` and GeoTIFF (``.tif``; a pixel-is-point
GeoTIFF is placed by its cell centres, as GDAL does).
"""

from __future__ import annotations

import gzip
import math
import os
import re
import zipfile
import zlib
from pathlib import Path

import numpy as np
import rasterio
from affine import Affine
from pyproj import Geod
from rasterio.errors import RasterioIOError

from wakhan.errors import DataError, InputError, library_reason
from wakhan.grid import DataSource, Grid

__all__ = [
    "HGT_VOID",
    "HGT_SIZES",
    "SRTM_LICENCE",
    "tile_name",
    "parse_tile_name",
    "tiles_for_bbox",
    "read_tile",
    "tile_problem",
    "read_hgt_bytes",
    "hgt_side",
    "tile_transform",
    "mosaic_tiles",
    "resolution_words",
    "degree_cell_words",
    "BadTileError",
]

HGT_VOID = -32768
#: cells per side -> arc-seconds per cell
HGT_SIZES = {3601: 1, 1201: 3}
SRTM_LICENCE = "public domain"
_WORDS = {1: '1" (~30 m)', 3: '3" (~90 m)'}
_NAME_RE = re.compile(r"^([NS])(\d{1,2})([EW])(\d{1,3})(?:[._-].*)?$", re.IGNORECASE)


class BadTileError(DataError):
    """A tile file that is not a valid tile; ``reason`` says why without the fix."""

    def __init__(self, what: str, reason: str):
        self.what = what
        self.reason = reason
        super().__init__(f"{what} {reason}; delete it and fetch again")


def resolution_words(arcsec: int) -> str:
    """``'1" (~30 m)'`` or ``'3" (~90 m)'`` for an SRTM cell size in arc-seconds."""
    return _WORDS.get(arcsec, f'{arcsec}"')


def degree_cell_words(dx_deg: float, dy_deg: float, lat: float) -> str:
    """A longitude/latitude cell in words: its arc-seconds and about how many metres at latitude ``lat``.

    The metres are the cell's larger side on the WGS84 ellipsoid at ``lat`` (a file's centre
    latitude): north-south for a square cell in arc-seconds. A square cell of SRTM's own 1" or 3"
    is named as SRTM names it (:func:`resolution_words`, ``3" (~90 m)``), so the same data give the
    same words (and the same native cell to :mod:`wakhan.route.road_length`) whether they come from
    the tile cache or from a user's file.

    Parameters
    ----------
    dx_deg, dy_deg : float
        The cell's width and height in degrees.
    lat : float
        Latitude (degrees) the metres are measured at.

    Returns
    -------
    str
        ``'2.0" (~62 m)'``; ``'2.0" x 1.0" (~62 m)'`` when the sides differ in arc-seconds;
        ``'3" (~90 m)'`` for SRTM's square 3" cell.

    Examples
    --------
    A 2" cell at 46.5 N is 61.7 m north-south (30.87 m a second of latitude) and 42.5 m east-west;
    SRTM's 3" cell (92.6 m north-south) keeps SRTM's own name:

    >>> degree_cell_words(2 / 3600, 2 / 3600, 46.5)
    '2.0" (~62 m)'
    >>> degree_cell_words(3 / 3600, 3 / 3600, 46.5)
    '3" (~90 m)'
    >>> degree_cell_words(2 / 3600, 1 / 3600, 0.0)  # on the equator 2" of longitude are 61.8 m
    '2.0" x 1.0" (~62 m)'
    """
    dx_s, dy_s = abs(dx_deg) * 3600, abs(dy_deg) * 3600
    nominal = round(dx_s)
    if nominal in _WORDS and abs(dx_s - nominal) < 1e-6 and abs(dy_s - nominal) < 1e-6:
        return resolution_words(nominal)
    lat = max(-89.0, min(89.0, float(lat)))
    geod = Geod(ellps="WGS84")
    _, _, ns_m = geod.inv(0.0, lat - abs(dy_deg) / 2, 0.0, lat + abs(dy_deg) / 2)
    _, _, ew_m = geod.inv(0.0, lat, abs(dx_deg), lat)
    shown = [f"{v:.1f}" if v >= 1 else f"{v:.2g}" for v in (dx_s, dy_s)]  # 1/9" is 0.11", not 0.1"
    arcsec = f'{shown[0]}"' if shown[0] == shown[1] else f'{shown[0]}" x {shown[1]}"'
    return f"{arcsec} (~{max(ns_m, ew_m):.0f} m)"


# -- names -------------------------------------------------------------------
def tile_name(lat: float, lon: float) -> str:
    """Name of the 1-degree tile containing ``(lat, lon)``, e.g. ``"N57E011"``.

    Parameters
    ----------
    lat, lon : float
        Degrees WGS84; the tile is the one whose south-west corner is
        ``(floor(lat), floor(lon))``, so ``(-0.5, -71.2)`` is ``"S01W072"``.
    """
    lat_s = math.floor(float(lat))
    lon_w = math.floor(float(lon))
    if not (-90 <= lat_s <= 89) or not (-180 <= lon_w <= 179):
        raise InputError(
            f"no SRTM tile holds latitude {lat}, longitude {lon}: "
            "give a latitude in -90..90 and a longitude in -180..180"
        )
    ns = "N" if lat_s >= 0 else "S"
    ew = "E" if lon_w >= 0 else "W"
    return f"{ns}{abs(lat_s):02d}{ew}{abs(lon_w):03d}"


def parse_tile_name(name: str | os.PathLike) -> tuple[int, int]:
    """South-west corner ``(lat_south, lon_west)`` in whole degrees of a tile name.

    Accepts bare names and file names in any case: ``"N57E011"``,
    ``"n57e011.hgt"``, ``"N57E011.hgt.gz"``, ``"N57E011.SRTMGL1.hgt.zip"``,
    ``"/cache/S01W072.hgt"``.
    """
    base = Path(str(name)).name
    m = _NAME_RE.match(base)
    if m:
        lat = int(m.group(2)) * (1 if m.group(1).upper() == "N" else -1)
        lon = int(m.group(4)) * (1 if m.group(3).upper() == "E" else -1)
        if -90 <= lat <= 89 and -180 <= lon <= 179:
            return lat, lon
    if ".hgt" in base.lower():  # a renamed or re-downloaded tile: `my tile.hgt`, `N57E011 (1).hgt`
        raise InputError(
            f"{str(name)!r} is not an SRTM tile name, and a .hgt file holds no coordinates of its own: "
            "rename it to its tile's name, e.g. N57E011.hgt for the tile whose south-west corner is 57N 11E"
        )
    raise InputError(
        f"{str(name)!r} is not an SRTM tile name: use the form N57E011 or S01W072 "
        "(hemisphere letter, 2-digit latitude, E/W, 3-digit longitude of the south-west corner)"
    )


def tiles_for_bbox(west: float, south: float, east: float, north: float) -> list[str]:
    """Names of the tiles needed to cover a bounding box, north row first, west to east.

    A box edge on a whole degree does not pull in the tile beyond it, because
    tiles hold their edge lines (N57E011 already contains 58N and 12E). A
    degenerate box (a point or a line) gets the tile(s) holding it.
    """
    for label, v, lo, hi in (
        ("west", west, -180, 180),
        ("east", east, -180, 180),
        ("south", south, -90, 90),
        ("north", north, -90, 90),
    ):
        if not (isinstance(v, (int, float)) and math.isfinite(v) and lo <= v <= hi):
            raise InputError(
                f"bounding box {label} edge {v!r} is outside {lo}..{hi}: give --bbox WEST SOUTH EAST NORTH in degrees"
            )
    if west > east or south > north:
        raise InputError(
            f"bounding box {west} {south} {east} {north} has west > east or south > north: "
            "give --bbox WEST SOUTH EAST NORTH (boxes across the antimeridian are not supported)"
        )
    lon0 = min(math.floor(west), 179)
    lat0 = min(math.floor(south), 89)
    lon1 = max(math.ceil(east) - 1, lon0)
    lat1 = max(math.ceil(north) - 1, lat0)
    return [
        tile_name(lat, lon) for lat in range(min(lat1, 89), lat0 - 1, -1) for lon in range(lon0, min(lon1, 179) + 1)
    ]


# -- reading -----------------------------------------------------------------
def tile_transform(lat_south: int, lon_west: int, side: int) -> Affine:
    """Corner transform of a tile whose ``side`` x ``side`` cells are centred on whole arc-seconds."""
    cell = 1.0 / (side - 1)
    return Affine(cell, 0.0, lon_west - cell / 2, 0.0, -cell, lat_south + 1 + cell / 2)


def hgt_side(n_bytes: int, what: str = "tile") -> int:
    """Cells per side of a raw ``.hgt`` of ``n_bytes`` bytes; :class:`DataError` for any other size."""
    for side in HGT_SIZES:
        if n_bytes == side * side * 2:
            return side
    kind = "truncated" if n_bytes < 1201 * 1201 * 2 else "truncated or oversized"
    if n_bytes > 3601 * 3601 * 2:
        kind = "oversized"
    raise BadTileError(
        what, f"is {kind}: {n_bytes} bytes, expected {1201 * 1201 * 2} (SRTM3) or {3601 * 3601 * 2} (SRTM1)"
    )


def read_hgt_bytes(data: bytes, lat_south: int, lon_west: int, origin: str = "") -> Grid:
    """A :class:`Grid` from the bytes of a raw ``.hgt`` tile with south-west corner ``(lat, lon)``."""
    side = hgt_side(len(data), origin or "tile")
    arr = np.frombuffer(data, dtype=">i2").reshape(side, side).astype(np.int16)
    arcsec = HGT_SIZES[side]
    src = DataSource("SRTM", resolution_words(arcsec), SRTM_LICENCE, origin=origin)
    return Grid(arr, tile_transform(lat_south, lon_west, side), "EPSG:4326", nodata=HGT_VOID, sources=(src,))


def _name_of(name: str, inner: str | None = None) -> tuple[int, int]:
    try:
        return parse_tile_name(name)
    except InputError:
        if inner is None:
            raise
        return parse_tile_name(inner)


def _read_zip(path: Path, name: str) -> Grid:
    try:
        with zipfile.ZipFile(path) as zf:
            members = [m for m in zf.namelist() if m.lower().endswith(".hgt")]
            if not members:
                raise BadTileError(str(path), f"is a zip without a .hgt tile ({len(zf.namelist())} other entries)")
            data = zf.read(members[0])
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise BadTileError(str(path), f"is not a readable zip archive ({exc})") from None
    lat, lon = _name_of(name, Path(members[0]).name)
    return read_hgt_bytes(data, lat, lon, origin=str(path))


def _read_gz(path: Path, name: str) -> Grid:
    lat, lon = parse_tile_name(name)
    try:
        with gzip.open(path, "rb") as fh:
            data = fh.read(3601 * 3601 * 2 + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise BadTileError(str(path), f"is not a complete gzip file ({exc})") from None
    return read_hgt_bytes(data, lat, lon, origin=str(path))


def _read_hgt(path: Path, name: str) -> Grid:
    lat, lon = parse_tile_name(name)
    size = path.stat().st_size
    hgt_side(size, str(path))
    return read_hgt_bytes(path.read_bytes(), lat, lon, origin=str(path))


def _read_geotiff(path: Path) -> Grid:

    try:
        # GTIFF_POINT_GEO_IGNORE=NO: GDAL shifts a pixel-is-point tie point by half a cell,
        # so the transform we get is a corner transform with centres on the tie grid.
        with rasterio.Env(GTIFF_POINT_GEO_IGNORE="NO"), rasterio.open(path) as ds:
            arr = ds.read(1)
            transform, crs, nodata = ds.transform, ds.crs, ds.nodata
    except RasterioIOError as exc:
        raise BadTileError(str(path), f"is not a readable GeoTIFF ({library_reason(exc)})") from None
    if crs is None:
        crs = "EPSG:4326"
    h, w = arr.shape
    arcsec = None
    if h == w and h in HGT_SIZES:
        side = h
        cell = 1.0 / (side - 1)
        lon_w = transform.c + transform.a / 2
        lat_n = transform.f + transform.e / 2
        # Snap float noise so that neighbouring tiles line up exactly in a mosaic.
        if (
            abs(transform.a - cell) < 1e-9
            and abs(transform.e + cell) < 1e-9
            and abs(lon_w - round(lon_w)) < 1e-6
            and abs(lat_n - round(lat_n)) < 1e-6
        ):
            transform = tile_transform(round(lat_n) - 1, round(lon_w), side)
            arcsec = HGT_SIZES[side]
    # a GeoTIFF that is no standard tile: its own cell, in arc-seconds and metres at its centre latitude
    centre_lat = transform.f + transform.e * h / 2
    words = resolution_words(arcsec) if arcsec else degree_cell_words(transform.a, transform.e, centre_lat)
    if nodata is not None and float(nodata).is_integer() and np.issubdtype(arr.dtype, np.integer):
        nodata = int(nodata)
    src = DataSource("SRTM", words, SRTM_LICENCE, origin=str(path))
    return Grid(arr, transform, crs, nodata=nodata, sources=(src,))


def read_tile(path: str | os.PathLike, name: str | None = None) -> Grid:
    """Read one SRTM tile file into a :class:`Grid` in EPSG:4326.

    Parameters
    ----------
    path : path-like
        ``NAME.hgt``, ``NAME.hgt.zip`` (or any zip holding a ``.hgt``),
        ``NAME.hgt.gz`` or a GeoTIFF (``.tif``/``.tiff``). Raw tiles must be
        named after their south-west corner (``N57E011...``).
    name : str, optional
        File name to use for the format and the tile name instead of
        ``path``'s own (e.g. for a download still called ``....part``).

    Returns
    -------
    Grid
        int16 heights in metres, ``nodata`` set (-32768 for ``.hgt``), cell
        centres on whole arc-seconds, ``sources`` naming SRTM and the file.

    Raises
    ------
    DataError
        Missing, truncated, oversized or malformed file.
    InputError
        A raw tile whose file name is not a tile name.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"tile file {path} does not exist; fetch it with `wakhan tiles fetch` or check the path")
    name = Path(name).name if name else path.name
    low = name.lower()
    if low.endswith(".zip"):
        return _read_zip(path, name)
    if low.endswith(".gz"):
        return _read_gz(path, name)
    if low.endswith((".tif", ".tiff")):
        return _read_geotiff(path)
    if low.endswith(".hgt"):
        return _read_hgt(path, name)
    raise InputError(f"{path} is not a tile file wakhan reads: use .hgt, .hgt.zip, .hgt.gz or .tif")


def tile_problem(path: str | os.PathLike) -> BadTileError | None:
    """Why a cached tile file would be refused by :func:`read_tile`, or None when it reads.

    The same checks the router makes: a raw ``.hgt`` by its size (a stat, as
    :func:`wakhan.sources.download.fetch_tiles` does before counting it cached); a
    compressed tile or a GeoTIFF by reading it with :func:`read_tile` (a cut GeoTIFF opens
    but fails on its cells). Other errors (a missing file, a name that is no tile name)
    are raised.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     cut = Path(folder) / "N57E011.hgt"
    ...     _ = cut.write_bytes(bytes(1000))
    ...     tile_problem(cut).reason
    'is truncated: 1000 bytes, expected 2884802 (SRTM3) or 25934402 (SRTM1)'
    """
    path = Path(path)
    try:
        if path.name.lower().endswith(".hgt"):
            hgt_side(path.stat().st_size, str(path))
        else:
            read_tile(path)
    except BadTileError as exc:
        return exc
    return None


# -- mosaic ------------------------------------------------------------------
def _merge_sources(grids) -> tuple[DataSource, ...]:
    merged: dict[tuple, list[str]] = {}
    for g in grids:
        for s in g.sources:
            merged.setdefault((s.name, s.resolution, s.licence), []).append(s.origin)
    return tuple(
        DataSource(n, r, lic, origin=", ".join(o for o in origins if o)) for (n, r, lic), origins in merged.items()
    )


def mosaic_tiles(grids) -> Grid:
    """Mosaic tiles on one lattice (same CRS and cell size) into one :class:`Grid`.

    Shared edge rows and columns are written once (they hold the same cells),
    nothing is resampled, and cells covered by no tile are nodata. Where tiles
    overlap, the first tile with a valid value wins.

    Parameters
    ----------
    grids : sequence of Grid
        North-up grids whose cell lattices coincide (e.g. SRTM tiles of one
        resolution). Their nodata may differ; the result uses the first one's
        (or -32768 for integer grids without one, NaN for float grids).
    """
    grids = list(grids)
    if not grids:
        raise InputError("no tiles to mosaic: give at least one tile")
    first = grids[0]
    dx, dy = first.res
    for g in grids[1:]:
        if g.crs != first.crs:
            raise InputError(f"tiles in different CRSs ({first.crs} and {g.crs}) cannot be mosaicked; reproject first")
        if abs(g.res[0] - dx) > 1e-9 * dx or abs(g.res[1] - dy) > 1e-9 * dy:
            raise InputError(
                f"tiles of different resolutions ({first.describe_resolution()} and "
                f"{g.describe_resolution()}) cannot be mosaicked cell for cell; resample first"
            )
    for g in grids:
        if g.transform.b != 0 or g.transform.d != 0 or g.transform.e >= 0:
            raise InputError("only north-up grids can be mosaicked")
    left = min(g.transform.c for g in grids)
    top = max(g.transform.f for g in grids)
    offsets = []
    for g in grids:
        fc, fr = (g.transform.c - left) / dx, (top - g.transform.f) / dy
        c0, r0 = round(fc), round(fr)
        if abs(fc - c0) > 1e-6 or abs(fr - r0) > 1e-6:
            raise InputError(
                "tiles are not on one cell lattice (offset by a fraction of a cell); "
                "they cannot be mosaicked without resampling"
            )
        offsets.append((r0, c0))
    height = max(r0 + g.height for g, (r0, _) in zip(grids, offsets))
    width = max(c0 + g.width for g, (_, c0) in zip(grids, offsets))
    dtype = np.result_type(*[g.array.dtype for g in grids])
    if np.issubdtype(dtype, np.floating):
        nodata = first.nodata
        fill = np.nan if nodata is None else nodata
    else:
        nodata = first.nodata if first.nodata is not None else HGT_VOID
        fill = nodata
    out = np.full((height, width), fill, dtype=dtype)
    have = np.zeros((height, width), dtype=bool)
    for g, (r0, c0) in zip(grids, offsets):
        win = (slice(r0, r0 + g.height), slice(c0, c0 + g.width))
        take = g.valid_mask() & ~have[win]
        out[win][take] = g.array[take]
        have[win] |= take
    transform = Affine(dx, 0.0, left, 0.0, -dy, top)
    notes = tuple(dict.fromkeys(n for g in grids for n in g.notes))
    return Grid(out, transform, first.crs, nodata=nodata, sources=_merge_sources(grids), notes=notes)
