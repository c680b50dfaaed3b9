"""The user's own settlement points: CSV, GeoJSON, or any OGR vector file -> :class:`~wakhan.settlements.Settlements`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import shapely
from pyproj import CRS, Transformer

from wakhan.errors import DataError
from wakhan.grid import USER_FILE_LICENCE, DataSource
from wakhan.settlements._common import _check_file, _coord, _float, _keep_valid
from wakhan.settlements.model import Settlements

__all__ = ["read_points"]

_LAT_NAMES = ("lat", "latitude", "y")
_LON_NAMES = ("lon", "lng", "long", "longitude", "x")
_NAME_NAMES = ("name", "title", "label", "place", "asciiname")


def _pick(fields, candidates):
    lower = {f.strip().lower(): f for f in fields}
    for c in candidates:
        if c in lower:
            return lower[c]
    return None


def _read_points_csv(path: Path):
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            sample = fh.read(8192)
            fh.seek(0)
            try:
                dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
            except csv.Error:
                dialect = csv.excel
            reader = csv.DictReader(fh, dialect=dialect)
            fields = reader.fieldnames or []
            lat_f, lon_f = _pick(fields, _LAT_NAMES), _pick(fields, _LON_NAMES)
            if lat_f is None or lon_f is None:
                raise DataError(
                    f"settlement file {path} has no latitude/longitude columns (found "
                    f"{', '.join(fields) or 'none'}); name them lat and lon"
                )
            name_f = _pick(fields, _NAME_NAMES)
            lon, lat, names = [], [], []
            for row in reader:
                lon.append(_coord(row.get(lon_f), path, reader.line_num, lon_f))
                lat.append(_coord(row.get(lat_f), path, reader.line_num, lat_f))
                names.append((row.get(name_f) or "").strip() if name_f else "")
    except (UnicodeDecodeError, csv.Error) as exc:
        raise DataError(f"settlement file {path} cannot be read as CSV ({exc}); save it as UTF-8 CSV") from None
    return lon, lat, names


def _read_points_geojson(path: Path):
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise DataError(f"settlement file {path} is not valid GeoJSON ({exc}); check the file") from None
    if isinstance(doc, dict) and doc.get("type") == "FeatureCollection":
        features = doc.get("features") or []
    elif isinstance(doc, dict) and doc.get("type") == "Feature":
        features = [doc]
    else:
        raise DataError(f"settlement file {path} is not a GeoJSON FeatureCollection; give point features")
    lon, lat, names = [], [], []
    if not isinstance(features, list):
        raise DataError(f"settlement file {path}: 'features' is not a list; give a GeoJSON FeatureCollection")
    if not features:
        raise DataError(
            f"settlement file {path} is valid GeoJSON but holds no points (it has no features); add the "
            "settlements as Point features"
        )
    for i, feat in enumerate(features):
        if not isinstance(feat, dict):
            raise DataError(
                f"settlement file {path}: feature {i} is {json.dumps(feat)[:40]}, not a GeoJSON "
                "Feature object; fix or remove it"
            )
        geom = feat.get("geometry") or {}
        props = feat.get("properties") or {}
        if not isinstance(geom, dict) or not isinstance(props, dict):
            raise DataError(
                f"settlement file {path}: feature {i} has a malformed geometry or properties; fix or remove it"
            )
        name = next((str(props[k]) for k in props if k.lower() in _NAME_NAMES and props[k] is not None), "")
        coords = geom.get("coordinates")
        if geom.get("type") == "Point" and coords:
            coords = [coords]
        elif geom.get("type") != "MultiPoint" or not coords:
            continue
        for c in coords:
            if isinstance(c, (list, tuple)) and len(c) >= 2:
                lon.append(_float(c[0]))
                lat.append(_float(c[1]))
                names.append(name)
    return lon, lat, names


def _read_points_ogr(path: Path):
    try:
        import pyogrio.raw  # lazy: pyogrio (GDAL vector drivers), only for these formats

        meta, _fids, wkb, field_data = pyogrio.raw.read(path)
    except Exception as exc:  # pyogrio raises several error types for unreadable files
        raise DataError(
            f"settlement file {path} cannot be read as a vector file ({exc}); "
            "give a CSV, GeoJSON or GeoPackage of points"
        ) from None
    geoms = shapely.from_wkb(wkb)
    fields = [str(f) for f in meta["fields"]]
    name_f = _pick(fields, _NAME_NAMES)
    name_vals = field_data[fields.index(name_f)] if name_f else None
    lon, lat, names = [], [], []
    crs = meta.get("crs")
    for i, g in enumerate(geoms):
        if g is None or shapely.get_type_id(g) not in (0, 4):
            continue
        for p in shapely.get_parts(g):
            lon.append(float(shapely.get_x(p)))
            lat.append(float(shapely.get_y(p)))
            names.append("" if name_vals is None or name_vals[i] is None else str(name_vals[i]))
    if crs and lon:
        if not CRS.from_user_input(crs).equals(CRS.from_epsg(4326), ignore_axis_order=True):
            tr = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
            lon, lat = (list(v) for v in tr.transform(np.asarray(lon), np.asarray(lat)))
    return lon, lat, names


def read_points(path, name: str | None = None) -> Settlements:
    """Read the user's own settlement points.

    A CSV needs latitude and longitude columns (``lat``/``latitude``/``y`` and
    ``lon``/``lng``/``long``/``longitude``/``x``, any case; ``,``, ``;`` or tab
    separated) and may have a ``name`` column. GeoJSON (``.geojson``/``.json``)
    Point or MultiPoint features in WGS84; other vector formats (GeoPackage,
    shapefile) via pyogrio, reprojected to WGS84. Rows without valid coordinates
    are dropped and counted in ``notes``.
    """
    path = _check_file(path)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        lon, lat, names = _read_points_csv(path)
    elif suffix in (".geojson", ".json"):
        lon, lat, names = _read_points_geojson(path)
    else:
        lon, lat, names = _read_points_ogr(path)
    if not lon:
        raise DataError(f"settlement file {path} holds no points; give point features or lat/lon rows")
    lon_a, lat_a, (names,), bad = _keep_valid(path, lon, lat, names)
    notes = [f"read {len(lon)} points, kept {len(lon_a)}"]
    if bad:
        notes.append(f"dropped {bad} without valid coordinates")
    src = DataSource(
        name=name or f"user points {path.name}", resolution="points", licence=USER_FILE_LICENCE, origin=str(path)
    )
    coverage = (
        f"the user's points within {lat_a.min():.1f}-{lat_a.max():.1f}N, "
        f"{lon_a.min():.1f}-{lon_a.max():.1f}E; what it misses is the user's to say"
    )
    return Settlements(lon_a, lat_a, names, src, coverage, tuple(notes))
