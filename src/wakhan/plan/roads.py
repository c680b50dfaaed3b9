"""Existing roads: a line layer rasterised onto the DEM so that the solver prices an upgrade there.

``--roads FILE`` takes any line layer pyogrio reads (an OpenStreetMap extract,
GeoJSON, GeoPackage, shapefile). Every DEM cell a line touches is *on a road*;
a move between two such cells costs :data:`UPGRADE_COST_FACTOR` times a new
build (the solver's friction raster, mean of the two ends), which is the ratio of
the mid unit costs of ``upgrade_road`` and ``mountain_road`` in
``data/unit_costs.csv``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from rasterio.features import rasterize

from wakhan.errors import InputError, library_reason, option
from wakhan.plan.geopackage import check_geopackage

__all__ = ["read_roads", "read_road_table", "read_road_layers", "road_mask", "road_friction", "UPGRADE_COST_FACTOR"]

#: Upgrade of an existing road / new mountain road, per km: (0.6 + 1.5) / (2 + 7) ~ 0.23.
UPGRADE_COST_FACTOR = 0.25


def read_roads(path):
    """The line geometries of a vector file (in its own CRS): :func:`read_road_table`'s geometry.

    Parameters
    ----------
    path : str or os.PathLike
        Any vector file GDAL reads (GeoJSON, GeoPackage, shapefile...); a file
        without a CRS is taken as longitude/latitude (EPSG:4326).

    Returns
    -------
    geopandas.GeoSeries
        The LineString and MultiLineString geometries.

    Raises
    ------
    InputError
        When the file is missing, unreadable, empty or holds no lines.

    Examples
    --------
    >>> import json, tempfile
    >>> line = {"type": "Feature", "properties": {}, "geometry": {"type": "LineString",
    ...                                                           "coordinates": [[75.0, 37.0], [75.1, 37.0]]}}
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     f = Path(folder) / "roads.geojson"
    ...     _ = f.write_text(json.dumps({"type": "FeatureCollection", "features": [line]}))
    ...     roads = read_roads(f)
    >>> len(roads), roads.crs.to_epsg()
    (1, 4326)
    """
    return read_road_table(path).geometry


def read_road_table(path):
    """The line features of a vector file with their properties (an ``id`` column where the file has one).

    Parameters
    ----------
    path : str or os.PathLike
        As for :func:`read_roads`, which checks it the same way.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per LineString or MultiLineString feature, in the file's CRS (EPSG:4326 when it names none).

    Examples
    --------
    >>> import json, tempfile
    >>> line = {"type": "Feature", "properties": {"id": "wakhan-road"}, "geometry": {"type": "LineString",
    ...                                                                    "coordinates": [[75.0, 37.0], [75.1, 37.0]]}}
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     f = Path(folder) / "roads.geojson"
    ...     _ = f.write_text(json.dumps({"type": "FeatureCollection", "features": [line]}))
    ...     table = read_road_table(f)
    >>> table["id"].tolist(), table.geometry.geom_type.tolist()
    (['wakhan-road'], ['LineString'])
    """
    p = Path(path)
    label = option(f"--roads {p}", f"roads={str(p)!r}", subject=True)
    if not p.exists():
        raise InputError(
            f"{option(f'--roads {p}', f'roads={str(p)!r}')}: no such file; give a line layer (GeoJSON, GeoPackage, shapefile, OpenStreetMap extract)"
        )
    if p.is_file() and p.stat().st_size == 0:
        raise InputError(f"{label} is an empty file (0 bytes); give a line layer (GeoJSON, GeoPackage, shapefile)")
    check_geopackage(p, label)  # before GDAL, which would print its own warning first
    try:
        import pyogrio  # lazy: pyogrio (GDAL vector drivers), only for these formats

        frame = pyogrio.read_dataframe(p)
    except Exception as exc:  # pyogrio raises several error types for unreadable files
        raise InputError(
            f"{label} could not be read as a vector layer ({library_reason(exc)}); give a GeoJSON, "
            "GeoPackage, shapefile or other file GDAL reads"
        ) from None
    if "geometry" not in frame:
        raise InputError(
            f"{label} has no geometries (a table, such as a CSV, with no geometry column); "
            "give a line layer: GeoJSON, GeoPackage, shapefile"
        )
    if frame.crs is None:
        frame = frame.set_crs("EPSG:4326")
    if frame.crs.is_geographic and len(frame) and frame.geometry.notna().any():
        w, s, e, n = (float(v) for v in frame.total_bounds)
        if not (-180.0 <= w <= e <= 180.0 and -90.0 <= s <= n <= 90.0):
            raise InputError(
                f"{label} names no CRS (or longitude/latitude) but its coordinates run to "
                f"{w:,.0f}..{e:,.0f}, {s:,.0f}..{n:,.0f}, outside longitude/latitude: probably metres; "
                "give the file its CRS (e.g. ogr2ogr -a_srs EPSG:32643 out.gpkg in.geojson)"
            )
    geom = frame.geometry
    lines = frame[geom.notna() & geom.geom_type.isin(["LineString", "MultiLineString"])]
    if lines.empty:
        kinds = ", ".join(sorted(set(geom.dropna().geom_type))) or "no geometries"
        raise InputError(f"{label} holds no lines ({kinds}); give a layer of road centre lines")
    return lines


def read_road_layers(roads, left_out=()):
    """The road lines of one file or of several (a list or tuple of paths), as the route planner reads them.

    Each file is read once while it is unchanged (the claims read one layer about ten times).

    Parameters
    ----------
    roads : path or sequence of paths
        Line layers (:func:`read_road_table`).
    left_out : collection of str
        ``id`` properties of features to leave out (e.g. a track that is no road to upgrade).

    Returns
    -------
    geopandas.GeoSeries
        The lines; those of several files in EPSG:4326.

    Examples
    --------
    >>> import json, tempfile
    >>> def line(lat, name):
    ...     return {"type": "Feature", "properties": {"id": name},
    ...             "geometry": {"type": "LineString", "coordinates": [[75.0, lat], [75.1, lat]]}}
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     f = Path(folder) / "roads.geojson"
    ...     _ = f.write_text(json.dumps({"type": "FeatureCollection",
    ...                                  "features": [line(37.0, "track"), line(37.1, "highway")]}))
    ...     every, kept = read_road_layers([f]), read_road_layers([f], left_out=("track",))
    >>> len(every), [g.coords[0][1] for g in kept]
    (2, [37.1])
    """
    import pandas  # type: ignore[import-untyped]  # lazy: comes with geopandas

    several = isinstance(roads, (list, tuple))
    tables = [_read_cached(r) for r in (roads if several else [roads])]
    if left_out:
        off = {str(i) for i in left_out}
        tables = [t[~t["id"].astype(str).isin(off)] if "id" in t else t for t in tables]
    if not several:
        return tables[0].geometry
    return pandas.concat([t.geometry.to_crs("EPSG:4326") for t in tables], ignore_index=True)


_ROADS_CACHE: dict = {}


def _read_cached(path):
    """:func:`read_road_table` of ``path``, read again only when the file changes."""
    import os

    try:
        st = os.stat(path)
        key = (os.fspath(path), st.st_mtime_ns, st.st_size)
    except (OSError, TypeError):
        return read_road_table(path)  # a missing file: the reader's own message
    if key not in _ROADS_CACHE:
        if len(_ROADS_CACHE) > 8:
            _ROADS_CACHE.clear()
        _ROADS_CACHE[key] = read_road_table(path)
    return _ROADS_CACHE[key].copy()


def road_mask(lines, dem) -> np.ndarray:
    """True on every DEM cell a road line touches.

    Parameters
    ----------
    lines : geopandas.GeoSeries
        Road lines with a CRS (:func:`read_roads`).
    dem : Grid
        The grid to mark.

    Returns
    -------
    numpy.ndarray of bool

    Examples
    --------
    A line along the middle row of a 3 x 3 grid of 1,000 m cells (UTM 43N):

    >>> import geopandas, shapely
    >>> from affine import Affine
    >>> from wakhan.grid import Grid
    >>> dem = Grid(np.zeros((3, 3), np.float32), Affine(1000.0, 0, 500_000, 0, -1000.0, 4_100_000), "EPSG:32643")
    >>> lines = geopandas.GeoSeries([shapely.LineString([(500_100, 4_098_500), (502_900, 4_098_500)])], crs="EPSG:32643")
    >>> road_mask(lines, dem).astype(int).tolist()
    [[0, 0, 0], [1, 1, 1], [0, 0, 0]]
    """

    projected = lines.to_crs(dem.crs)
    return rasterize(
        ((g, 1) for g in projected),
        out_shape=dem.shape,
        transform=dem.transform,
        all_touched=True,
        fill=0,
        dtype="uint8",
    ).astype(bool)


def road_friction(mask: np.ndarray, factor: float = UPGRADE_COST_FACTOR) -> np.ndarray:
    """Friction raster: ``factor`` on road cells, 1 elsewhere.

    Parameters
    ----------
    mask : numpy.ndarray of bool
        True on road cells (:func:`road_mask`).
    factor : float
        Cost multiplier of a road cell (default :data:`UPGRADE_COST_FACTOR`).

    Returns
    -------
    numpy.ndarray of float

    Examples
    --------
    >>> road_friction(np.array([[True, False]]), 0.25).tolist()
    [[0.25, 1.0]]
    """
    return np.where(mask, float(factor), 1.0)
