"""The elevation sources for a box, as mosaic layers (finest first).

:func:`source_layers` turns a DEM source (the bundled region pack, SRTM tiles
from the cache or a folder, a raster file, or a Grid) into the
:class:`~wakhan.dem.mosaic.Layer` list that :func:`wakhan.dem.build_dem`
resamples; :func:`read_raster` reads one elevation file. Heights no place on
Earth has are treated as missing, and SRTM voids are filled (or kept).
"""

from __future__ import annotations

import logging
import os
from dataclasses import replace
from pathlib import Path

import numpy as np
import rasterio
from rasterio.warp import transform_bounds

from wakhan.dem.mosaic import Layer
from wakhan.dem.project import check_bbox
from wakhan.dem.voids import VoidReport
from wakhan.dem.voids import fill_voids as fill_voids_in
from wakhan.errors import DataError, InputError, library_reason
from wakhan.grid import USER_FILE_LICENCE, DataSource, Grid
from wakhan.gridio import RASTER_ERRORS, as_grid, source_index_of, sources_from_tags
from wakhan.memory import check_raster_fits
from wakhan.sources import pack, srtm
from wakhan.sources.download import find_tiles, missing_tiles

__all__ = [
    "source_layers",
    "read_raster",
    "sources_in_words",
    "PACK_NOTE",
]  # lonlat_bounds, intersects, fmt_bounds: for dem.build

log = logging.getLogger("wakhan.dem")

MIN_PLAUSIBLE_M = -11000.0  # below the Challenger Deep (-10,935 m, GEBCO)
MAX_PLAUSIBLE_M = 8900.0  # above Everest (8,849 m, 2020 survey)

PACK_NOTE = (
    'no SRTM tiles given: using the bundled region pack (GEBCO_2023 15" where it covers, NOAA GLOBE 30" elsewhere)'
)
_TILE_SUFFIXES = (".hgt", ".hgt.zip", ".hgt.gz", ".zip", ".gz")
#: How :func:`read_raster` appends the file a wakhan GeoTIFF's datasets were read from to their origin.
FILE_HOP = " -> file "


# -- reading sources -----------------------------------------------------------
def read_raster(path: str | os.PathLike) -> Grid:
    """Read an elevation raster file: an SRTM tile (``.hgt``/``.zip``/``.gz``) or any GDAL raster.

    Examples
    --------
    >>> read_raster("no-such-file.tif")
    Traceback (most recent call last):
    ...
    wakhan.errors.InputError: elevation file no-such-file.tif does not exist; check the path
    """
    path = Path(path)
    if path.is_dir():
        raise InputError(
            f"elevation file {path} is a folder, not a raster; give a GeoTIFF or SRTM tile in it "
            "(a folder of SRTM tiles goes to --dem)"
        )
    if not path.is_file():
        raise InputError(f"elevation file {path} does not exist; check the path")
    low = path.name.lower()
    if low.endswith(_TILE_SUFFIXES):
        return srtm.read_tile(path)
    opened = False
    try:
        with rasterio.open(path) as ds:
            opened = True
            # the array as stored plus one float32 working copy and its mask
            check_raster_fits(
                ds.height,
                ds.width,
                f"elevation file {path}",
                bytes_per_cell=np.dtype(ds.dtypes[0]).itemsize + 5,
                hint="crop it (e.g. gdal_translate -projwin) or resample it coarser first",
            )
            array = ds.read(1)
            transform, crs, nodata = ds.transform, ds.crs, ds.nodata
            # a wakhan GeoTIFF (``wakhan dem build``) names the datasets it was made of, and per cell which
            tagged = sources_from_tags(ds.tags())
            source_index = source_index_of(ds, len(tagged))
    except RASTER_ERRORS as exc:
        if opened:  # the header reads but the cells do not: a cut download or copy
            raise DataError(
                f"{path} is truncated or corrupt: GDAL opens it but cannot read its cells "
                f"({library_reason(exc)}); write or download it again"
            ) from None
        raise DataError(
            f"{path} is not a raster GDAL can read ({library_reason(exc)}); give a GeoTIFF or an SRTM tile"
        ) from None
    if crs is None:
        raise DataError(f"{path} has no coordinate reference system; give a georeferenced raster")
    if nodata is not None and float(nodata).is_integer() and np.issubdtype(array.dtype, np.integer):
        nodata = int(nodata)
    if np.issubdtype(array.dtype, np.floating):
        # heights no place on Earth has (below the Challenger Deep, -10,935 m, or above Everest, 8,849 m):
        # an undeclared fill value such as -1e30 or 3.4e38; they are missing data, not terrain
        bad = np.isfinite(array) & ((array < MIN_PLAUSIBLE_M) | (array > MAX_PLAUSIBLE_M))
        if nodata is not None:
            bad &= array != nodata
        if bad.any():
            array = array.copy()
            array[bad] = np.nan
            log.warning(
                "%s: %d cells outside %g..%g m treated as missing data",
                path,
                int(bad.sum()),
                MIN_PLAUSIBLE_M,
                MAX_PLAUSIBLE_M,
            )
    if tagged:
        sources = tuple(replace(s, origin=f"{s.origin}{FILE_HOP}{path}" if s.origin else str(path)) for s in tagged)
        if len(sources) > 1 and source_index is None:
            log.warning("%s names %d sources but carries no per-cell source index", path, len(sources))
        return Grid(array, transform, crs, nodata=nodata, sources=sources, source_index=source_index)
    dx = abs(transform.a)
    if crs.is_geographic:  # arc-seconds, and the metres a reader thinks in, at the file's centre latitude
        words = srtm.degree_cell_words(transform.a, transform.e, transform.f + transform.e * array.shape[0] / 2)
    else:
        words = f"{dx:.0f} m"
    source = DataSource(path.name, words, USER_FILE_LICENCE, origin=str(path))
    return Grid(array, transform, crs, nodata=nodata, sources=(source,))


def sources_in_words(grid: Grid) -> str:
    """The datasets of ``grid`` for a message, with the file they were read back from, if any.

    Examples
    --------
    >>> from affine import Affine
    >>> g = Grid(np.zeros((1, 1), np.float32), Affine(1, 0, 0, 0, -1, 1), "EPSG:32643",
    ...          sources=(DataSource("GEBCO_2023", origin="pack gebco.tif -> file /tmp/dem.tif"),))  # fmt: skip
    >>> sources_in_words(g)
    'GEBCO_2023 (from /tmp/dem.tif)'
    """
    words = []
    for s in grid.sources:
        _, hop, path = s.origin.rpartition(FILE_HOP)
        words.append(f"{s.name} (from {path})" if hop else s.name)
    return "; ".join(words) or "the DEM"


def lonlat_bounds(grid: Grid) -> tuple[float, float, float, float]:
    if grid.is_geographic:
        return grid.bounds
    return transform_bounds(grid.crs, "EPSG:4326", *grid.bounds, densify_pts=21)


def intersects(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def fmt_lat(lat: float, digits: int = 4) -> str:
    """A latitude with its hemisphere letter, never a sign: ``33.5000S``.

    Examples
    --------
    >>> fmt_lat(-33.5), fmt_lat(37.775, 2), fmt_lon(-70.5, 1), fmt_lon(75.227, 3)
    ('33.5000S', '37.77N', '70.5W', '75.227E')
    """
    return f"{abs(lat):.{digits}f}{'S' if lat < 0 else 'N'}"


def fmt_lon(lon: float, digits: int = 4) -> str:
    """A longitude with its hemisphere letter, never a sign: ``70.5000W`` (see :func:`fmt_lat`).

    Examples
    --------
    >>> fmt_lon(-70.5), fmt_lon(0.0, 1)
    ('70.5000W', '0.0E')
    """
    return f"{abs(lon):.{digits}f}{'W' if lon < 0 else 'E'}"


def fmt_bounds(b) -> str:
    w, s, e, n = b
    if min(s, w) >= 0:
        return f"{s:.2f}-{n:.2f}N, {w:.2f}-{e:.2f}E"
    return f"{fmt_lat(s, 2)}-{fmt_lat(n, 2)}, {fmt_lon(w, 2)}-{fmt_lon(e, 2)}"


def _pack_layers() -> list[Layer]:
    return [Layer(pack.open_gebco(), 'GEBCO_2023 15"'), Layer(pack.open_globe(), 'NOAA GLOBE 30"')]


def _tile_paths(bbox, tiles_dir, offline: bool) -> list[Path]:
    """SRTM tile files for ``bbox`` from the tile cache or a folder of tiles (downloaded unless ``offline``)."""
    return [Path(p) for p in find_tiles(bbox, tiles_dir, offline=offline) if p]


def _box_mask(grid: Grid, bbox) -> np.ndarray:
    """Cells of ``grid`` whose centres lie in the lon/lat box (its envelope in the grid's CRS)."""
    w, s, e, n = bbox if grid.is_geographic else transform_bounds("EPSG:4326", grid.crs, *bbox)
    t = grid.transform
    x = t.c + (np.arange(grid.width) + 0.5) * t.a
    y = t.f + (np.arange(grid.height) + 0.5) * t.e
    tol_x, tol_y = abs(t.a) * 1e-6, abs(t.e) * 1e-6
    cols = (x >= w - tol_x) & (x <= e + tol_x)
    rows = (y >= s - tol_y) & (y <= n + tol_y)
    return rows[:, None] & cols[None, :]


def _void_layer(grid: Grid, label: str, fill: bool, bbox) -> Layer:
    """The layer of ``grid`` with its voids filled (or kept), its note counting the voids inside ``bbox``.

    The whole source is filled (heights near the box's edge draw on data beyond it), but the
    note counts only the voids among the cells inside the box the user asked for.
    """
    filled, report = fill_voids_in(grid, keep=not fill)
    inside = _box_mask(grid, bbox)
    void_in = ~grid.valid_mask() & inside
    count = int(void_in.sum())
    left = int((void_in & ~np.isfinite(filled.array)).sum())
    share = count / int(inside.sum()) if inside.any() else 0.0
    in_box = VoidReport(count, share, count - left, left, report.method)
    notes = grid.notes + (f"{label} in the box: {in_box.describe()}",)
    return Layer(replace(filled, notes=notes), label, claim_missing=not fill)


def source_layers(
    bbox_lonlat, source="pack", *, fill_voids: bool = True, tiles_dir=None, offline: bool = True
) -> tuple[list[Layer], list[str]]:
    """The mosaic layers (finest first) for ``source`` over the box, and notes about the choice.

    Examples
    --------
    >>> import numpy as np
    >>> from affine import Affine
    >>> from wakhan.grid import Grid
    >>> geo = Grid(np.full((10, 10), 3000.0, np.float32), Affine(0.1, 0, 74.0, 0, -0.1, 38.0), "EPSG:4326")
    >>> layers, notes = source_layers((74.2, 37.2, 74.5, 37.5), geo)
    >>> [layer.label for layer in layers], notes
    (['given grid'], [])
    """
    bbox = check_bbox(bbox_lonlat)
    notes: list[str] = []
    source = as_grid(source)  # an xarray DataArray is accepted like a Grid
    if isinstance(source, Grid):
        label = source.sources[0].name if source.sources else "given grid"
        return [_void_layer(source, label, fill_voids, bbox)], notes
    if isinstance(source, str) and source == "pack":
        log.info(PACK_NOTE)
        notes.append(PACK_NOTE)
        return _pack_layers(), notes
    if (
        isinstance(source, str)
        and source == "tiles"
        or (isinstance(source, (str, os.PathLike)) and Path(source).is_dir())
    ):
        folder = tiles_dir if source == "tiles" else source
        grids = [srtm.read_tile(p) for p in _tile_paths(bbox, folder, offline)]
        if not grids:
            note = "no SRTM tiles exist for this box (the source has none): " + PACK_NOTE.split(": ", 1)[1]
            try:
                said = {k: v for k, v in missing_tiles(folder).items() if k in srtm.tiles_for_bbox(*bbox)}
            except OSError:
                said = {}
            if said:  # name who said so: one mirror's 404 is not proof that no source has the tile
                who = "; ".join(f"{k} by {v.get('url')} (HTTP {v.get('status')})" for k, v in sorted(said.items()))
                note = (
                    f"no SRTM tiles for this box: reported missing {who}; if that source is wrong, fetch "
                    "them from another with `wakhan tiles fetch --bbox W S E N --source OTHER`; meanwhile "
                    + PACK_NOTE.split(": ", 1)[1]
                )
            log.warning(note)
            notes.append(note)
            return _pack_layers(), notes
        by_res: dict[float, list[Grid]] = {}
        for g in grids:
            by_res.setdefault(round(g.res[0] * 3600, 3), []).append(g)
        layers = [
            _void_layer(srtm.mosaic_tiles(gs), f'SRTM {res:g}"', fill_voids, bbox) for res, gs in sorted(by_res.items())
        ]
        notes.append(f"SRTM tiles: {len(grids)} file(s); region pack used where the tiles have no data")
        try:
            layers += _pack_layers()
        except DataError:
            notes.append("region pack unavailable: cells outside the tiles stay missing")
        return layers, notes
    if isinstance(source, (str, os.PathLike)):
        grid = read_raster(source)
        return [_void_layer(grid, Path(source).name, fill_voids, bbox)], notes
    shown = repr(source) if isinstance(source, (str, os.PathLike)) else f"a {type(source).__name__}"
    if hasattr(source, "shape"):
        shown += f" of shape {tuple(source.shape)}"
    raise InputError(
        f"DEM source {shown[:120]} is not 'pack', 'tiles', a file path or a wakhan.grid.Grid; "
        "wrap an array in a Grid with its transform and CRS"
    )
