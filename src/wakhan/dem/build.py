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

import numpy as np

from wakhan.dem.hydro import condition_layer
from wakhan.dem.layers import (
    PACK_NOTE,
    fmt_bounds,
    fmt_lat,
    fmt_lon,
    intersects,
    lonlat_bounds,
    read_raster,
    source_layers,
)
from wakhan.dem.mosaic import mosaic_priority
from wakhan.dem.project import (
    LEAN_ROUTE_MIN_CELLS,
    check_bbox,
    choose_crs,
    lat_first_hint,
    lonlat_to_xy,
    target_grid,
    user_crs,
)
from wakhan.dem.warp import native_spacing_m
from wakhan.errors import DataError, InputError, TilesNotCached, option
from wakhan.grid import NO_SOURCE, BlockIndex, DataSource, Grid
from wakhan.sources.download import cache_root, fetch_command

__all__ = ["build_dem", "dem_around", "waypoint_bbox", "elevation_at", "read_raster", "source_layers", "PACK_NOTE"]

log = logging.getLogger("wakhan.dem")


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
    condition_coarse: bool = True,
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
    condition_coarse : bool
        Breach coarse sources' dams and burn their large streams (default; see below).

    A coarse source (cells 1.5 times the grid's or more, or 900 m or more: GLOBE 30") has the
    dams its cells put across large rivers breached and its large streams burnt into the grid
    (:func:`wakhan.dem.hydro.condition_layer`), and the grid's notes say so.

    Returns
    -------
    Grid
        float32 heights in metres, NaN = missing, ``nodata=None``, projected
        CRS, ``sources`` = every contributing dataset, ``notes`` saying which
        source covers which part, ``source_index`` = which of ``sources`` each
        cell came from (a cell of a source without named datasets: ``NO_SOURCE``); on a grid of
        more than ``LEAN_ROUTE_MIN_CELLS`` cells a :class:`~wakhan.grid.BlockIndex` of the same values.

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

    The box is (west, south, east, north); given latitude first it is told so:

    >>> build_dem((37.2, 74.2, 37.5, 74.5), geo, resolution_m=5000)
    Traceback (most recent call last):
    ...
    wakhan.errors.InputError: bounding box ... but (74.2, 37.2, 74.5, 37.5) lies inside: give the box as (west, south, east, north), longitude first
    """
    bbox = check_bbox(bbox_lonlat)
    crs = choose_crs(bbox) if crs is None else user_crs(crs)
    if resolution_m is not None:  # refuse, in one sentence, a grid that cannot fit before any tile is read
        transform, shape = target_grid(bbox, crs, resolution_m)
    layers, notes = source_layers(bbox, source, fill_voids=fill_voids, tiles_dir=tiles_dir, offline=offline)
    extents = [lonlat_bounds(layer.grid) for layer in layers]
    useful = [(layer, ext) for layer, ext in zip(layers, extents) if intersects(bbox, ext)]
    if not useful:
        covered = "; ".join(f"{layer.label}: {fmt_bounds(ext)}" for layer, ext in zip(layers, extents))
        w, s, e, n = bbox
        if any(intersects((s, w, n, e), ext) for ext in extents):  # (south, west, north, east) fits
            raise InputError(
                f"bounding box {fmt_bounds(bbox)} lies outside every elevation source ({covered}), "
                f"but {lat_first_hint(bbox, 'lies inside')}"
            )
        raise InputError(
            f"bounding box {fmt_bounds(bbox)} lies outside every elevation source ({covered}); "
            f"give SRTM tiles for it ({_dem_tiles()}) or a box inside that extent"
        )
    layers = [layer for layer, _ in useful]
    if resolution_m is None:
        resolution_m = native_spacing_m(layers[0].grid)
        notes.append(f"resolution {resolution_m:g} m = native spacing of {layers[0].label}")
        transform, shape = target_grid(bbox, crs, resolution_m)  # refuses, in one sentence, a grid that cannot fit
    if condition_coarse:
        layers = [condition_layer(layer, resolution_m) for layer in layers]
    result = mosaic_priority(layers, crs, transform, shape)
    sources: list[DataSource] = []
    # layer -> position in `sources` of its dataset, so each cell names the source it came from
    to_source = np.full(256, NO_SOURCE, dtype=np.uint8)
    for i, (layer, count) in enumerate(zip(layers, result.counts)):
        if count == 0:
            continue
        share = count / result.array.size
        where = ""
        if i > 0:
            finer = "; ".join(f"{lyr.label} {fmt_bounds(lonlat_bounds(lyr.grid))}" for lyr in layers[:i])
            where = f", where no finer source has data (finer: {finer})"
        notes.append(f"{layer.label} supplies {share * 100:.1f} % of cells{where}")
        notes.extend(n for n in layer.grid.notes if n not in notes and not n.startswith("read from"))
        sources.extend(s for s in layer.grid.sources if s not in sources)
        if layer.grid.sources:
            to_source[i] = sources.index(layer.grid.sources[0])
    if len(layers) > 1 and layers[0].label.startswith("GEBCO") and result.counts[1:] and any(result.counts[1:]):
        south = lonlat_bounds(layers[0].grid)[1]
        notes.append(f'GLOBE 30" used south of {south:.2f}N (GEBCO_2023 in the pack stops there)')
    missing = int(np.isnan(result.array).sum())
    if missing:
        notes.append(
            f"{missing:,} cells ({missing / result.array.size * 100:.2f} %) have no height "
            f"(outside the sources or voids kept)"
        )
    source_index: np.ndarray | BlockIndex | None = None
    own_index = [
        i for i, layer in enumerate(layers) if result.counts[i] and layer.grid.source_index is not None
    ]  # layers read back from a wakhan GeoTIFF: their cells keep the source they came from
    if result.layer is not None and result.layer.size > LEAN_ROUTE_MIN_CELLS and not own_index:
        # a grid routed lean: the same index block by block (a few MB, not 1 B a cell: 513 MiB at 30 m)
        source_index = BlockIndex.from_array(result.layer, lookup=to_source)
    elif result.layer is not None:
        per_cell = to_source[result.layer]
        for i in own_index:
            own = _layer_source_index(layers[i].grid, sources, crs, transform, shape)
            mine = result.layer == i
            per_cell[mine] = own[mine]
        lean = result.layer.size > LEAN_ROUTE_MIN_CELLS
        source_index = BlockIndex.from_array(per_cell) if lean else per_cell
    return Grid(
        result.array,
        transform,
        crs,
        nodata=None,
        sources=tuple(sources),
        notes=tuple(notes),
        source_index=source_index,
    )


def _layer_source_index(grid: Grid, sources: list[DataSource], crs, transform, shape) -> np.ndarray:
    """A layer's own per-cell source index on the lattice (nearest cell), as positions in ``sources``."""
    from rasterio.warp import Resampling, reproject  # lazy: only DEM files written by wakhan carry an index

    lookup = np.full(256, NO_SOURCE, dtype=np.uint8)
    for k, dataset in enumerate(grid.sources):
        lookup[k] = sources.index(dataset)
    out = np.full(shape, NO_SOURCE, dtype=np.uint8)
    reproject(
        np.ascontiguousarray(grid.source_index),
        out,
        src_transform=grid.transform,
        src_crs=grid.crs,
        dst_transform=transform,
        dst_crs=crs,
        resampling=Resampling.nearest,
        src_nodata=NO_SOURCE,
        dst_nodata=NO_SOURCE,
    )
    return lookup[out]


def waypoint_bbox(lonlats, buffer_km: float = 50.0) -> tuple[float, float, float, float]:
    """The ``(west, south, east, north)`` box, degrees, around waypoints ``[(lon, lat), ...]`` widened by ``buffer_km``.

    Examples
    --------
    >>> [round(v, 3) for v in waypoint_bbox([(74.3, 37.3), (74.4, 37.4)], buffer_km=11.132)]
    [74.174, 37.2, 74.526, 37.5]
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
    return float(w), float(s), float(e), float(n)


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
    return build_dem(waypoint_bbox(lonlats, buffer_km), **kw)


# -- single points -------------------------------------------------------------
def _dem_tiles() -> str:
    """How a sentence asks for SRTM tiles: ``--dem tiles or a file`` (the keyword too outside the CLI)."""
    return option("--dem tiles or a file", 'dem="tiles" or a path')


def _point_boxes(lon: float, lat: float, eps: float = 1e-6) -> list[tuple[float, float, float, float]]:
    """Tiny boxes at a point whose tiles hold it, the one reaching north-east first.

    The tile whose south-west corner is ``floor(lat), floor(lon)`` holds a point; one on a whole
    degree lies on an edge that two tiles (four at a corner) share, so the boxes reaching south
    and west of it are candidates too: the tile to the south holds 47.0 N as its top row.

    Examples
    --------
    >>> from wakhan.sources.srtm import tiles_for_bbox
    >>> [tiles_for_bbox(*b) for b in _point_boxes(8.5, 46.5)]
    [['N46E008']]
    >>> [tiles_for_bbox(*b)[0] for b in _point_boxes(8.5, 47.0)]  # the north edge of N46E008
    ['N47E008', 'N46E008']
    >>> [tiles_for_bbox(*b)[0] for b in _point_boxes(9.0, 47.0)]  # its north-east corner
    ['N47E009', 'N47E008', 'N46E009', 'N46E008']
    """
    lons = [(lon, lon + eps) if lon + eps <= 180 else (lon - eps, lon)]
    if lon == math.floor(lon) and -180 < lon < 180:
        lons.append((lon - eps, lon))
    lats = [(lat, lat + eps) if lat + eps <= 90 else (lat - eps, lat)]
    if lat == math.floor(lat) and -90 < lat < 90:
        lats.append((lat - eps, lat))
    return [(w, s, e, n) for s, n in lats for w, e in lons]


def _not_cached(lon: float, lat: float, boxes, errors: list[DataError]) -> DataError:
    """The error for a point none of whose tiles is at hand: on a tile edge, one naming every candidate tile.

    A bad tile at hand (not a missing one) is the error to fix first and comes back as it is.

    Examples
    --------
    >>> from wakhan.errors import TilesNotCached
    >>> errors = [TilesNotCached("...", [t], "/c", None) for t in ("N47E008", "N46E008")]
    >>> str(_not_cached(8.5, 47.0, _point_boxes(8.5, 47.0), errors))  # doctest: +NORMALIZE_WHITESPACE
    'point 47.0000N, 8.5000E lies on the edge of SRTM tiles N47E008 and N46E008, either of which holds it, and none
    is in the tile cache /c; fetch them with: wakhan tiles fetch --bbox 8.5 46.9999 8.5001 47.0001 --tiles-dir /c'
    """
    absent = [e for e in errors if isinstance(e, TilesNotCached)]
    if len(absent) < len(errors) or len(errors) == 1:
        return next((e for e in errors if not isinstance(e, TilesNotCached)), errors[0])
    tiles = list(dict.fromkeys(t for e in absent for t in e.tiles))
    where, which = ("edge", "either") if len(tiles) == 2 else ("corner", "any")
    named = ", ".join(tiles[:-1]) + " and " + tiles[-1]
    first = absent[0]
    box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    return DataError(
        f"point {fmt_lat(lat)}, {fmt_lon(lon)} lies on the {where} of SRTM tiles {named}, {which} of which holds "
        f"it, and none is in the tile cache {cache_root(first.cache_dir)}; fetch them with: "
        f"{fetch_command(box, first.source, first.cache_dir)}"
    )


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
    boxes = _point_boxes(lon, lat)
    missing: list[DataError] = []
    for box in boxes:  # the cached tiles first: a point on a tile's edge is served by either tile holding it
        try:
            layers, _notes = source_layers(box, source, fill_voids=False, tiles_dir=tiles_dir, offline=True)
            break
        except DataError as exc:  # that box's tile is not cached
            missing.append(exc)
    else:
        if offline and missing:
            raise _not_cached(lon, lat, boxes, missing)  # names every candidate tile and the command fetching them
        box = boxes[0]
        layers, _notes = source_layers(box, source, fill_voids=False, tiles_dir=tiles_dir, offline=False)
    for layer in layers:
        g = layer.grid
        x, y = (lon, lat)
        if not g.is_geographic:
            x, y = lonlat_to_xy(g.crs, lon, lat)
        value = g.sample(x, y, method="bilinear")[0]
        if np.isfinite(value):
            # a grid given without provenance is named by its layer label rather than failing
            return float(value), (
                g.sources[0] if g.sources else DataSource(layer.label, origin="a grid passed in without sources")
            )
    inside = [layer.label for layer in layers if intersects(lonlat_bounds(layer.grid), box)]
    if inside:
        raise InputError(
            f"point {fmt_lat(lat)}, {fmt_lon(lon)} lies in a void (a cell without data) of "
            f"{', '.join(inside)}; move the point slightly or give a DEM with the void filled"
        )
    covered = "; ".join(f"{layer.label}: {fmt_bounds(lonlat_bounds(layer.grid))}" for layer in layers)
    if -90 <= lon <= 90 and any(intersects(lonlat_bounds(layer.grid), (lat, lon, lat, lon)) for layer in layers):
        raise InputError(  # the point read the other way round lies in the data: say so, not "fetch tiles"
            f"point {fmt_lat(lat)}, {fmt_lon(lon)} is outside the elevation data ({covered}), but "
            f"{fmt_lat(lon)}, {fmt_lon(lat)} lies inside: latitude and longitude look swapped; give the latitude first"
        )
    raise InputError(
        f"point {fmt_lat(lat)}, {fmt_lon(lon)} is outside the elevation data ({covered}); "
        f"give SRTM tiles covering it ({_dem_tiles()})"
    )
