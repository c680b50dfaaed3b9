"""Write a route as GeoPackage, FlatGeobuf, KML or shapefile layers with pyogrio, and read it back.

* GeoPackage (``.gpkg``) and KML (``.kml``) hold every layer in one file
  (``route``, ``passes``, ``places``, ``waypoints``, ``tunnels`` where modelled);
  the GeoPackage also keeps the full summary as layer metadata
  (``wakhan_summary``), so reading it back loses nothing.
* FlatGeobuf (``.fgb``) and shapefile (``.shp``) hold one layer per file: the
  route goes to ``NAME.fgb``, each point layer to ``NAME_passes.fgb`` etc. A
  shapefile's columns get the explicit 10-character names of
  :mod:`wakhan.route.files.fields`, and the table of long name, short name, type and
  unit is written beside it as ``NAME_fields.csv``.

Every column has a fixed type; a missing value is a null in every format.

Writes go into a temporary folder beside the target and are moved in when all
files were written (:mod:`wakhan.fileio` rules: nothing half-written).
"""

from __future__ import annotations

import csv
import errno
import json
import os
from pathlib import Path

import numpy as np
import shapely

from wakhan.errors import DataError
from wakhan.fileio import staged_files
from wakhan.plain_json import json_safe
from wakhan.route.files.fields import field_table_rows, short_name
from wakhan.route.files.layers import LAYER_FIELDS, flat_attributes, point_layers, route_field_types, route_line
from wakhan.writable import check_writable

__all__ = [
    "OGR_DRIVERS",
    "write_ogr",
    "read_ogr",
    "route_attributes",
    "companion_paths",
    "field_table_path",
    "layer_files",
]

#: Extension -> (OGR driver, holds several layers in one file).
OGR_DRIVERS = {
    ".gpkg": ("GPKG", True),
    ".kml": ("KML", True),
    ".fgb": ("FlatGeobuf", False),
    ".shp": ("ESRI Shapefile", False),
}
_SHP_SIDECARS = (".shp", ".shx", ".dbf", ".prj", ".cpg")


def _columns(rows: list[dict], types: dict):
    """Field names, numpy arrays (object / int64 / float64) and null masks for pyogrio.

    A missing value (None) is a null in every driver: None in a text column, a
    masked entry in an integer column, NaN (written as null) in a real column.
    """
    names = list(types)
    arrays: list[np.ndarray] = []
    masks: list[np.ndarray | None] = []
    for k in names:
        vals = [r.get(k) for r in rows]
        typ = types[k]
        if typ is str:
            arrays.append(np.array([None if v is None else str(v) for v in vals], dtype=object))
            masks.append(None)
        elif typ is int:
            missing = np.array([v is None for v in vals], dtype=bool)
            arrays.append(np.array([0 if v is None else int(v) for v in vals], dtype=np.int64))
            masks.append(missing if missing.any() else None)
        else:
            arrays.append(np.array([np.nan if v is None else float(v) for v in vals], dtype=np.float64))
            masks.append(None)
    return names, arrays, masks


#: Longest text a shapefile's dBase field holds, in bytes (GDAL truncates longer values, with a warning).
DBF_TEXT_BYTES = 254


def fit_dbf_text(value: str | None, limit: int = DBF_TEXT_BYTES) -> str | None:
    """``value`` cut to ``limit`` UTF-8 bytes, ending in " ..." when it was cut (the shapefile's text limit).

    Examples
    --------
    >>> fit_dbf_text("short"), fit_dbf_text(None)
    ('short', None)
    >>> cut = fit_dbf_text("a" + "é" * 200)  # 2-byte letters: no letter is split
    >>> len(cut.encode()), cut[-6:]
    (253, 'éé ...')
    """
    if value is None or len(value.encode("utf-8")) <= limit:
        return value
    return value.encode("utf-8")[: limit - 4].decode("utf-8", errors="ignore") + " ..."


def _write_field_table(path: Path, layers: dict) -> None:
    """The shapefile's short-name table: ``layer,long_name,short_name,type,unit`` (see :mod:`wakhan.route.files.fields`)."""
    rows = field_table_rows({name: list(types.items()) for name, (_g, _r, types, _t) in layers.items()})
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def _wkb(geojson_geoms) -> np.ndarray:

    return np.array(
        [shapely.to_wkb(shapely.geometry.shape(g), include_srid=False, output_dimension=3) for g in geojson_geoms],
        dtype=object,
    )


def companion_paths(path: Path, layers) -> dict[str, Path]:
    """Layer -> file for one-layer formats (``NAME.fgb``, ``NAME_passes.fgb``, ...).

    Parameters
    ----------
    path : pathlib.Path
        The route layer's file.
    layers : iterable of str

    Returns
    -------
    dict

    Examples
    --------
    >>> {k: v.name for k, v in companion_paths(Path("r.fgb"), ["route", "passes"]).items()}
    {'route': 'r.fgb', 'passes': 'r_passes.fgb'}
    """
    return {
        layer: path if layer == "route" else path.with_name(f"{path.stem}_{layer}{path.suffix}") for layer in layers
    }


def field_table_path(path: Path) -> Path:
    """The short-name table written beside a shapefile: ``NAME_fields.csv``.

    Examples
    --------
    >>> field_table_path(Path("out/r.shp")).as_posix()
    'out/r_fields.csv'
    """
    return path.with_name(f"{path.stem}_fields.csv")


def layer_files(path: str | os.PathLike, route) -> list[Path]:
    """The files a user opens after :func:`write_ogr` writes ``route`` to ``path``: one per layer, and a
    shapefile's ``NAME_fields.csv`` (not the .dbf/.shx/.prj/.cpg parts of each shapefile).

    Parameters
    ----------
    path : str or os.PathLike
        ``.gpkg``, ``.kml`` (one file), ``.fgb`` or ``.shp`` (a file per layer that has features).
    route : RouteResult

    Returns
    -------
    list of pathlib.Path

    Examples
    --------
    >>> from wakhan.route import RouteResult, build_summary, profile_from_lonlat
    >>> p = profile_from_lonlat([71.0, 71.05, 71.1], [37.0, 37.0, 37.0], [3000.0, 3400.0, 3100.0])
    >>> route = RouteResult(build_summary(p, "example", places=None, country_at=None), p)
    >>> [f.name for f in layer_files("r.shp", route)], [f.name for f in layer_files("r.gpkg", route)]
    (['r.shp', 'r_fields.csv'], ['r.gpkg'])
    """
    path = Path(path)
    if OGR_DRIVERS[path.suffix.lower()][1]:  # all layers in one file
        return [path]
    layers = ["route", *(name for name, feats in point_layers(route.summary.to_dict()).items() if feats)]
    files = list(companion_paths(path, layers).values())
    return files + ([field_table_path(path)] if path.suffix.lower() == ".shp" else [])


def write_ogr(path: str | os.PathLike, route) -> list[Path]:
    """Write ``route`` as OGR layers in the format of ``path``'s extension; returns the files written.

    Parameters
    ----------
    path : str or os.PathLike
        ``.gpkg`` or ``.kml`` (all layers in one file), ``.fgb`` or ``.shp`` (a
        file per layer, see :func:`companion_paths`).
    route : RouteResult

    Returns
    -------
    list of pathlib.Path

    Examples
    --------
    A GeoPackage keeps the whole summary in the route layer's metadata:

    >>> import tempfile
    >>> from wakhan.route import RouteResult, build_summary, profile_from_lonlat
    >>> p = profile_from_lonlat([71.0, 71.05, 71.1], [37.0, 37.0, 37.0], [3000.0, 3400.0, 3100.0])
    >>> route = RouteResult(build_summary(p, "example", places=None, country_at=None), p)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     files = write_ogr(Path(folder) / "r.gpkg", route)
    ...     lon, lat, z, summary, name = read_ogr(files[0])
    >>> [f.name for f in files], z.tolist(), summary["length_km"], name
    (['r.gpkg'], [3000.0, 3400.0, 3100.0], 8.901, 'example')
    """
    path = check_writable(path)
    driver, multi = OGR_DRIVERS[path.suffix.lower()]
    summary = route.summary.to_dict()
    layers = {
        "route": ([route_line(route.profile)], [flat_attributes(summary)], route_field_types(summary), "LineString Z")
    }
    for name, feats in point_layers(summary).items():
        if feats:
            layers[name] = (
                [f["geometry"] for f in feats],
                [f["properties"] for f in feats],
                LAYER_FIELDS[name],
                "Point Z",
            )
    targets = {name: path for name in layers} if multi else companion_paths(path, layers)
    meta = json.dumps(json_safe({k: v for k, v in summary.items() if k != "geometry"}), allow_nan=False)
    with staged_files(path) as tmp:
        for i, (name, (geoms, rows, types, gtype)) in enumerate(layers.items()):
            fields, data, masks = _columns(rows, types)
            if driver == "ESRI Shapefile":  # explicit 10-character names (NAME_fields.csv), not GDAL's truncation
                fields = [short_name(f) for f in fields]
                # and text cut to the dBase limit here, visibly, not by GDAL with a warning on stderr
                data = [np.array([fit_dbf_text(v) for v in a], dtype=object) if a.dtype == object else a for a in data]
            kw = {}
            if driver == "GPKG" and name == "route":
                kw["layer_metadata"] = {"wakhan_summary": meta}
            from pyogrio.raw import write  # lazy: pyogrio (GDAL vector drivers), only for these formats

            write(
                str(tmp / targets[name].name),
                _wkb(geoms),
                data,
                fields,
                field_mask=masks,
                layer=name,
                driver=driver,
                geometry_type=gtype,
                crs="EPSG:4326",
                append=multi and i > 0,
                encoding="UTF-8",
                **kw,
            )
        _check_written(tmp, targets, {name: len(layer[1]) for name, layer in layers.items()}, multi)
        if driver == "ESRI Shapefile":
            _write_field_table(tmp / field_table_path(path).name, layers)
        names = sorted(f.name for f in tmp.iterdir())
    return [path.parent / n for n in names]


def _check_written(folder: Path, targets: dict, counts: dict, multi: bool) -> None:
    """Read every layer back: GDAL's KML writer reports no write error, so a full disk would pass silently."""
    import pyogrio  # lazy: pyogrio (GDAL vector drivers), only for these formats

    for name, target in targets.items():
        try:
            got = pyogrio.read_info(folder / target.name, layer=name if multi else None).get("features")
        except Exception as exc:  # noqa: BLE001  (any GDAL failure to read back means a bad write)
            got = f"unreadable ({' '.join(str(exc).split())[:80]})"
        if got != counts[name]:
            raise OSError(errno.EIO, f"layer {name!r} reads back with {got} of {counts[name]} features")


def read_ogr(path: Path):
    """``(lon, lat, elevation_m, summary or None, name)`` of the route line in an OGR file written by :func:`write_ogr`.

    Parameters
    ----------
    path : pathlib.Path

    Returns
    -------
    tuple
        Coordinate arrays of the first line of layer ``route`` (or the first
        layer), the summary dict a GeoPackage carries (else None), and the name.

    Raises
    ------
    DataError
        The layer has no line.

    Examples
    --------
    See :func:`write_ogr`.
    """
    import pyogrio  # lazy: pyogrio (GDAL vector drivers), only for these formats
    from pyogrio.raw import read  # lazy: pyogrio (GDAL vector drivers), only for these formats

    layers = [str(row[0]) for row in pyogrio.list_layers(path)]
    layer = "route" if "route" in layers else layers[0]
    meta, _fids, geoms, values = read(path, layer=layer)
    fields = list(meta.get("fields", []))
    key = "name" if "name" in fields else "Name" if "Name" in fields else None  # KML: the placemark name
    name = str(values[fields.index(key)][0] or "") if key and len(values[fields.index(key)]) else ""
    lines = [shapely.from_wkb(g) for g in geoms if g is not None]
    lines = [g for g in lines if g.geom_type in ("LineString", "MultiLineString")]
    if not lines:
        raise DataError(f"{path} has no line in layer {layer!r}; write a route with `wakhan route -o {path.name}`")
    line = lines[0] if lines[0].geom_type == "LineString" else shapely.line_merge(lines[0])
    coords = np.asarray(shapely.get_coordinates(line, include_z=True), dtype=np.float64)
    summary = None
    if path.suffix.lower() == ".gpkg":
        text = (pyogrio.read_info(path, layer=layer).get("layer_metadata") or {}).get("wakhan_summary")
        summary = json.loads(text) if text else None
    return coords[:, 0], coords[:, 1], coords[:, 2], summary, name or path.stem


def route_attributes(path: Path) -> dict:
    """The attributes of the first feature of layer ``route`` (or the first layer), by column name as written.

    A shapefile's columns have their short names (:func:`wakhan.route.files.fields.short_name`).

    Parameters
    ----------
    path : pathlib.Path

    Returns
    -------
    dict
        Column -> value; empty when the layer has no feature.

    Examples
    --------
    >>> import tempfile
    >>> from wakhan.route import RouteResult, build_summary, profile_from_lonlat
    >>> p = profile_from_lonlat([71.0, 71.05, 71.1], [37.0, 37.0, 37.0], [3000.0, 3400.0, 3100.0])
    >>> route = RouteResult(build_summary(p, "example", places=None, country_at=None), p)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = write_ogr(Path(folder) / "r.shp", route)
    ...     row = route_attributes(Path(folder) / "r.shp")
    >>> row["name"], float(row["max_m"])
    ('example', 3400.0)
    """
    import pyogrio  # lazy: pyogrio (GDAL vector drivers), only for these formats
    from pyogrio.raw import read  # lazy: pyogrio (GDAL vector drivers), only for these formats

    layers = [str(row[0]) for row in pyogrio.list_layers(path)]
    meta, _fids, _geoms, values = read(path, layer="route" if "route" in layers else layers[0], read_geometry=False)
    fields = [str(f) for f in meta.get("fields", [])]
    return {f: v[0] for f, v in zip(fields, values) if len(v)}
