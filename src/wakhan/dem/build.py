"""Build the metric DEM the solver sees, and look up single elevations.

``build_dem`` gathers the elevation sources for a box (SRTM tiles, a raster
file, or the bundled region pack), mosaics them finest first, and resamples
them onto a metric lattice chosen for the area. Without SRTM tiles it uses the
region pack (GEBCO_2023 15" north of 36.32N, NOAA GLOBE 30" elsewhere) and
says so in the grid's notes and in the ``wakhan.dem`` log.
"""

from __future__ import annotations

import logging
import math
import os
from pathlib import Path

import numpy as np
from rasterio.crs import CRS

from wakhan.dem.mosaic import Layer, mosaic_priority
from wakhan.dem.project import check_bbox, choose_crs, native_spacing_m, target_grid
from wakhan.errors import DataError, InputError
from wakhan.grid import DataSource, Grid
from wakhan.memory import check_raster_fits

__all__ = ["build_dem", "dem_around", "elevation_at", "read_raster", "source_layers", "PACK_NOTE"]

log = logging.getLogger("wakhan.dem")

MIN_PLAUSIBLE_M = -11000.0  # below the Challenger Deep (-10,935 m, GEBCO)
MAX_PLAUSIBLE_M = 8900.0  # above Everest (8,849 m, 2020 survey)

PACK_NOTE = (
    'no SRTM tiles given: using the bundled region pack (GEBCO_2023 15" where it covers, NOAA GLOBE 30" elsewhere)'
)
_TILE_SUFFIXES = (".hgt", ".hgt.zip", ".hgt.gz", ".zip", ".gz")


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
    if not path.is_file():
        raise InputError(f"elevation file {path} does not exist; check the path")
    low = path.name.lower()
    from wakhan.sources import srtm

    if low.endswith(_TILE_SUFFIXES):
        return srtm.read_tile(path)
    import rasterio

    try:
        with rasterio.open(path) as ds:
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
    except rasterio.errors.RasterioError as exc:
        raise DataError(f"{path} is not a raster GDAL can read ({exc}); give a GeoTIFF or an SRTM tile") from None
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
    dx = abs(transform.a)
    words = f'{dx * 3600:.1f}"' if crs.is_geographic else f"{dx:.0f} m"
    return Grid(array, transform, crs, nodata=nodata, sources=(DataSource(path.name, words, "", origin=str(path)),))


def _lonlat_bounds(grid: Grid) -> tuple[float, float, float, float]:
    if grid.is_geographic:
        return grid.bounds
    from rasterio.warp import transform_bounds

    return transform_bounds(grid.crs, "EPSG:4326", *grid.bounds, densify_pts=21)


def _intersects(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _fmt_bounds(b) -> str:
    w, s, e, n = b
    return f"{s:.2f}-{n:.2f}N, {w:.2f}-{e:.2f}E"


def _pack_layers() -> list[Layer]:
    from wakhan.sources import pack

    return [Layer(pack.open_gebco(), 'GEBCO_2023 15"'), Layer(pack.open_globe(), 'NOAA GLOBE 30"')]


def _tile_paths(bbox, tiles_dir, offline: bool) -> list[Path]:
    """SRTM tile files for ``bbox``: through the downloader's cache when it exists, else a folder scan."""
    try:
        from wakhan.sources.download import find_tiles
    except ImportError:  # downloader not installed: scan the folder for tile files
        find_tiles = None
    if find_tiles is not None:
        found = find_tiles(bbox, tiles_dir, offline=offline)
        if isinstance(found, dict):
            found = [p for p in found.values() if p]
        return [Path(p) for p in found if p]
    from wakhan.sources import srtm

    if tiles_dir is None:
        raise InputError("no SRTM tile folder given: pass tiles_dir (or --tiles-dir) or use the region pack")
    folder = Path(tiles_dir)
    paths = []
    for name in srtm.tiles_for_bbox(*bbox):
        for suffix in (".hgt", ".hgt.gz", ".hgt.zip", ".tif", ".SRTMGL1.hgt.zip"):
            if (folder / f"{name}{suffix}").is_file():
                paths.append(folder / f"{name}{suffix}")
                break
    if not paths:
        raise DataError(
            f"no SRTM tiles for {_fmt_bounds(bbox)} in {folder}; fetch them with "
            f"`wakhan tiles fetch --bbox {bbox[0]} {bbox[1]} {bbox[2]} {bbox[3]}`"
        )
    return paths


def _void_layer(grid: Grid, label: str, fill: bool) -> Layer:
    from wakhan.dem.voids import fill_voids as _fill

    filled, _report = _fill(grid, keep=not fill)
    return Layer(filled, label, claim_missing=not fill)


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
    from wakhan.gridio import as_grid

    source = as_grid(source)  # an xarray DataArray is accepted like a Grid
    if isinstance(source, Grid):
        label = source.sources[0].name if source.sources else "given grid"
        return [_void_layer(source, label, fill_voids)], notes
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
        from wakhan.sources import srtm

        grids = [srtm.read_tile(p) for p in _tile_paths(bbox, folder, offline)]
        if not grids:
            note = "no SRTM tiles exist for this box (the source has none): " + PACK_NOTE.split(": ", 1)[1]
            try:
                from wakhan.sources.download import missing_tiles

                said = {k: v for k, v in missing_tiles(folder).items() if k in srtm.tiles_for_bbox(*bbox)}
            except (ImportError, OSError):
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
            _void_layer(srtm.mosaic_tiles(gs), f'SRTM {res:g}"', fill_voids) for res, gs in sorted(by_res.items())
        ]
        notes.append(f"SRTM tiles: {len(grids)} file(s); region pack used where the tiles have no data")
        try:
            layers += _pack_layers()
        except DataError:
            notes.append("region pack unavailable: cells outside the tiles stay missing")
        return layers, notes
    if isinstance(source, (str, os.PathLike)):
        grid = read_raster(source)
        return [_void_layer(grid, Path(source).name, fill_voids)], notes
    shown = repr(source) if isinstance(source, (str, os.PathLike)) else f"a {type(source).__name__}"
    if hasattr(source, "shape"):
        shown += f" of shape {tuple(source.shape)}"
    raise InputError(
        f"DEM source {shown[:120]} is not 'pack', 'tiles', a file path or a wakhan.grid.Grid; "
        "wrap an array in a Grid with its transform and CRS"
    )


# -- building ------------------------------------------------------------------
def build_dem(
    bbox_lonlat,
    source="pack",
    *,
    resolution_m: float | None = None,
    crs=None,
    fill_voids: bool = True,
    tiles_dir=None,
    offline: bool = True,
) -> Grid:
    """Build a metric DEM over a box from the best available sources.

    Parameters
    ----------
    bbox_lonlat : (west, south, east, north)
        Degrees WGS84.
    source : {"pack", "tiles"}, path, Grid or rioxarray DataArray
        ``"pack"``: the bundled region pack (GEBCO 15" + GLOBE 30");
        ``"tiles"``: SRTM tiles from ``tiles_dir`` / the tile cache, pack where
        they have no data; a file path: that raster alone; a folder: tiles in it.
    resolution_m : float, optional
        Cell size in metres; default the finest contributing source's native
        spacing (463 m for GEBCO 15", 926 m for GLOBE 30", ~31 m for SRTM 1").
    crs : CRS-like, optional
        Projected target CRS; default :func:`~wakhan.dem.project.choose_crs`.
    fill_voids : bool
        Fill SRTM voids by interpolation (default) or keep them missing (NaN,
        impassable). The pack has no voids.
    tiles_dir : path, optional
        Folder / cache of SRTM tiles for ``source="tiles"``.
    offline : bool
        Do not download missing tiles.

    Returns
    -------
    Grid
        float32 heights in metres, NaN = missing, ``nodata=None``, projected
        CRS, ``sources`` = every contributing dataset, ``notes`` saying which
        source covers which part.

    Raises
    ------
    InputError
        A malformed box, or a box outside every source (the message names the covered extent).

    Examples
    --------
    >>> import numpy as np
    >>> from affine import Affine
    >>> from wakhan.grid import Grid
    >>> geo = Grid(np.full((10, 10), 3000.0, np.float32), Affine(0.1, 0, 74.0, 0, -0.1, 38.0), "EPSG:4326")
    >>> dem = build_dem((74.2, 37.2, 74.5, 37.5), geo, resolution_m=5000)
    >>> dem.crs.to_epsg(), dem.res, float(dem.array.min()), float(dem.array.max())
    (32643, (5000.0, 5000.0), 3000.0, 3000.0)
    """
    bbox = check_bbox(bbox_lonlat)
    crs = choose_crs(bbox) if crs is None else CRS.from_user_input(crs)
    if resolution_m is not None:  # refuse, in one sentence, a grid that cannot fit before any tile is read
        transform, shape = target_grid(bbox, crs, resolution_m)
    layers, notes = source_layers(bbox, source, fill_voids=fill_voids, tiles_dir=tiles_dir, offline=offline)
    extents = [_lonlat_bounds(layer.grid) for layer in layers]
    useful = [(layer, ext) for layer, ext in zip(layers, extents) if _intersects(bbox, ext)]
    if not useful:
        covered = "; ".join(f"{layer.label}: {_fmt_bounds(ext)}" for layer, ext in zip(layers, extents))
        raise InputError(
            f"bounding box {_fmt_bounds(bbox)} lies outside every elevation source ({covered}); "
            "give SRTM tiles for it (--dem tiles or a file) or a box inside that extent"
        )
    layers = [layer for layer, _ in useful]
    if resolution_m is None:
        resolution_m = native_spacing_m(layers[0].grid)
        notes.append(f"resolution {resolution_m:g} m = native spacing of {layers[0].label}")
        transform, shape = target_grid(bbox, crs, resolution_m)  # refuses, in one sentence, a grid that cannot fit
    result = mosaic_priority(layers, crs, transform, shape)
    sources: list[DataSource] = []
    for i, (layer, count) in enumerate(zip(layers, result.counts)):
        if count == 0:
            continue
        share = count / result.array.size
        where = ""
        if i > 0:
            finer = "; ".join(f"{lyr.label} {_fmt_bounds(_lonlat_bounds(lyr.grid))}" for lyr in layers[:i])
            where = f", where no finer source has data (finer: {finer})"
        notes.append(f"{layer.label} supplies {share * 100:.1f} % of cells{where}")
        notes.extend(n for n in layer.grid.notes if n not in notes and not n.startswith("read from"))
        sources.extend(s for s in layer.grid.sources if s not in sources)
    if len(layers) > 1 and layers[0].label.startswith("GEBCO") and result.counts[1:] and any(result.counts[1:]):
        south = _lonlat_bounds(layers[0].grid)[1]
        notes.append(f'GLOBE 30" used south of {south:.2f}N (GEBCO_2023 in the pack stops there)')
    missing = int(np.isnan(result.array).sum())
    if missing:
        notes.append(
            f"{missing:,} cells ({missing / result.array.size * 100:.2f} %) have no height "
            f"(outside the sources or voids kept)"
        )
    return Grid(result.array, transform, crs, nodata=None, sources=tuple(sources), notes=tuple(notes))


def dem_around(lonlats, buffer_km: float = 50.0, **kw) -> Grid:
    """:func:`build_dem` over the box around waypoints ``[(lon, lat), ...]`` widened by ``buffer_km``.

    Examples
    --------
    >>> import numpy as np
    >>> from affine import Affine
    >>> from wakhan.grid import Grid
    >>> geo = Grid(np.full((10, 10), 3000.0, np.float32), Affine(0.1, 0, 74.0, 0, -0.1, 38.0), "EPSG:4326")
    >>> dem = dem_around([(74.3, 37.3), (74.4, 37.4)], buffer_km=5, source=geo, resolution_m=5000)
    >>> dem.crs.to_epsg(), float(dem.array.max())
    (32643, 3000.0)
    """
    pts = np.asarray(lonlats, dtype=np.float64)
    if pts.ndim != 2 or pts.shape[1] != 2 or len(pts) == 0:
        raise InputError("waypoints must be a list of (lon, lat) pairs, at least one")
    if not np.isfinite(pts).all() or (np.abs(pts[:, 0]) > 180).any() or (np.abs(pts[:, 1]) > 90).any():
        raise InputError("a waypoint is not a valid (lon, lat): longitudes -180..180, latitudes -90..90")
    if not (math.isfinite(buffer_km) and buffer_km >= 0):
        raise InputError(f"buffer_km={buffer_km} must be zero or a positive number of kilometres")
    dlat = buffer_km / 111.32
    max_lat = min(float(np.abs(pts[:, 1]).max()) + dlat, 89.0)
    dlon = buffer_km / (111.32 * math.cos(math.radians(max_lat)))
    w, e = max(pts[:, 0].min() - dlon, -180.0), min(pts[:, 0].max() + dlon, 180.0)
    s, n = max(pts[:, 1].min() - dlat, -90.0), min(pts[:, 1].max() + dlat, 90.0)
    if e - w < 1e-6 or n - s < 1e-6:
        raise InputError("the waypoints with buffer_km=0 span no area; give a positive buffer_km")
    return build_dem((w, s, e, n), **kw)


# -- single points -------------------------------------------------------------
def elevation_at(
    lon: float, lat: float, source="pack", *, tiles_dir=None, offline: bool = True
) -> tuple[float, DataSource]:
    """Height in metres at a point, from the finest source covering it, sampled on its native grid.

    Bilinear between the four surrounding cell centres. ``source`` as in
    :func:`build_dem`. Raises :class:`InputError` for a point outside the data.

    Examples
    --------
    >>> import numpy as np
    >>> from affine import Affine
    >>> from wakhan.grid import Grid
    >>> geo = Grid(np.full((10, 10), 3000.0, np.float32), Affine(0.1, 0, 74.0, 0, -0.1, 38.0), "EPSG:4326")
    >>> from wakhan.grid import DataSource
    >>> geo = Grid(geo.array, geo.transform, geo.crs, sources=(DataSource("flat test grid", "0.1 deg", "none", "doctest"),))
    >>> h, src = elevation_at(74.35, 37.35, source=geo)
    >>> h, src.name
    (3000.0, 'flat test grid')
    """
    try:
        lon, lat = float(lon), float(lat)
    except (TypeError, ValueError):
        raise InputError(f"point ({lat!r}, {lon!r}) is not numeric: give LAT LON in degrees") from None
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise InputError(f"point {lat}, {lon} is not a place on Earth: latitude -90..90, longitude -180..180")
    eps = 1e-6
    box = (max(lon - eps, -180), max(lat - eps, -90), min(lon + eps, 180), min(lat + eps, 90))
    layers, _notes = source_layers(box, source, fill_voids=False, tiles_dir=tiles_dir, offline=offline)
    for layer in layers:
        g = layer.grid
        x, y = (lon, lat)
        if not g.is_geographic:
            from wakhan.dem.project import lonlat_to_xy

            x, y = lonlat_to_xy(g.crs, lon, lat)
        value = g.sample(x, y, method="bilinear")[0]
        if np.isfinite(value):
            # a grid given without provenance is named by its layer label rather than failing
            return float(value), (
                g.sources[0] if g.sources else DataSource(layer.label, origin="a grid passed in without sources")
            )
    inside = [layer.label for layer in layers if _intersects(_lonlat_bounds(layer.grid), box)]
    if inside:
        raise InputError(
            f"point {lat:.4f}N, {lon:.4f}E lies in a void (a cell without data) of "
            f"{', '.join(inside)}; move the point slightly or give a DEM with the void filled"
        )
    covered = "; ".join(f"{layer.label}: {_fmt_bounds(_lonlat_bounds(layer.grid))}" for layer in layers)
    raise InputError(
        f"point {lat:.4f}N, {lon:.4f}E is outside the elevation data ({covered}); "
        "give SRTM tiles covering it (--dem tiles or a file)"
    )
