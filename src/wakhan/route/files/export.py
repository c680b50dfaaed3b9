"""Write a route in the format its file name's extension names, and read it back.

* ``.geojson`` / ``.json``: a FeatureCollection: the route as a LineString
  ``[lon, lat, elevation_m]`` through every profile point with flat attributes
  (``layer: "route"``), then point features for its passes, places along it,
  waypoints and tunnels (``layer: "passes"`` etc., see :mod:`wakhan.route.files.layers`).
  The full nested summary travels in the foreign member ``wakhan`` (RFC 7946
  section 6.1), which GIS tools ignore and :func:`read_route` uses.
* ``.gpkg``, ``.kml``, ``.fgb``, ``.shp``: the same layers through pyogrio
  (:mod:`wakhan.route.files.ogr`); one-layer formats get a file per layer.
* ``.gpx``: GPX 1.1 track with heights and named waypoints (:mod:`wakhan.route.files.gpx`).
* ``.csv``: the profile table, one row per point:
  ``distance_km,lat,lon,elevation_m`` and the point's ``data_source``, ``source_resolution`` and
  ``grid_cell_m`` (:mod:`wakhan.route.files.profile_csv`); reading it back recomputes the summary.

All writes are atomic (:mod:`wakhan.fileio`); ``-`` as the path writes
GeoJSON, GPX or CSV to standard output (:func:`route_text`).
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import numpy as np

from wakhan.errors import DataError, InputError
from wakhan.fileio import atomic_path
from wakhan.plain_json import json_safe
from wakhan.route.files.flat_provenance import flat_provenance, is_flat, rows_provenance
from wakhan.route.files.gpx import parse_gpx, route_gpx
from wakhan.route.files.layers import feature_collection, flat_attributes, route_line
from wakhan.route.files.ogr import read_ogr, route_attributes, write_ogr
from wakhan.route.files.profile_csv import profile_csv_text
from wakhan.route.geometry import simplified_linestring
from wakhan.route.profile import Profile, profile_from_lonlat
from wakhan.route.result import RouteResult
from wakhan.route.summary import RouteSummary
from wakhan.route.summary_fields import build_summary

__all__ = ["write_route", "read_route", "route_feature", "route_geojson", "route_text", "FORMATS"]

FORMATS = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpx": "gpx",
    ".csv": "csv",
    ".gpkg": "ogr",
    ".kml": "ogr",
    ".fgb": "ogr",
    ".shp": "ogr",
}
#: Formats :func:`route_text` can write to standard output.
TEXT_FORMATS = ("geojson", "gpx", "csv")


def _format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"cannot tell the format of {path}: use a file name ending in {', '.join(FORMATS)}")
    return fmt


def _profile_arrays(profile: Profile) -> dict:
    z = [None if not np.isfinite(v) else round(float(v), 1) for v in profile.elevation_m]
    return {
        "distance_km": [round(float(v), 4) for v in profile.distance_km],
        "lon": [round(float(v), 6) for v in profile.lon],
        "lat": [round(float(v), 6) for v in profile.lat],
        "elevation_m": z,
    }


def route_feature(route: RouteResult) -> dict:
    """The route alone as one GeoJSON Feature (full-profile line, flat attributes).

    Parameters
    ----------
    route : RouteResult

    Returns
    -------
    dict
        A GeoJSON Feature whose properties are :func:`wakhan.route.files.layers.flat_attributes`.

    Examples
    --------
    >>> from wakhan.route import RouteResult, build_summary, profile_from_lonlat
    >>> p = profile_from_lonlat([71.0, 71.05, 71.1], [37.0, 37.0, 37.0], [3000.0, 3400.0, 3100.0])
    >>> route = RouteResult(build_summary(p, "example", places=None, country_at=None), p)
    >>> f = route_feature(route)
    >>> f["geometry"]["type"], len(f["geometry"]["coordinates"]), f["properties"]["max_elevation_m"]
    ('LineString', 3, 3400.0)
    """

    return json_safe(
        {
            "type": "Feature",
            "geometry": route_line(route.profile),
            "properties": flat_attributes(route.summary.to_dict()),
        }
    )


def route_geojson(route: RouteResult) -> dict:
    """The GeoJSON document :func:`write_route` writes: route line, point layers, ``wakhan`` summary.

    Parameters
    ----------
    route : RouteResult

    Returns
    -------
    dict
        A FeatureCollection with the full summary (less its simplified geometry)
        in the foreign member ``wakhan``.

    Examples
    --------
    >>> from wakhan.route import RouteResult, build_summary, profile_from_lonlat
    >>> p = profile_from_lonlat([71.0, 71.05, 71.1], [37.0, 37.0, 37.0], [3000.0, 3400.0, 3100.0])
    >>> route = RouteResult(build_summary(p, "example", places=None, country_at=None), p)
    >>> doc = route_geojson(route)
    >>> doc["type"], doc["wakhan"]["summary"]["name"], "geometry" in doc["wakhan"]["summary"]
    ('FeatureCollection', 'example', False)
    """

    doc = feature_collection(route)
    doc["wakhan"] = {"summary": {k: v for k, v in route.summary.to_dict().items() if k != "geometry"}}
    return json_safe(doc)


def route_text(route: RouteResult, fmt: str) -> str:
    """The route as text in ``fmt`` ("geojson", "gpx" or "csv"), e.g. for standard output.

    Parameters
    ----------
    route : RouteResult
    fmt : {"geojson", "gpx", "csv"}

    Returns
    -------
    str

    Examples
    --------
    0.05 deg of longitude at 37 N is 4,450.6 m on the WGS84 ellipsoid (N cos(lat) x 0.05 deg):

    >>> from wakhan.route import RouteResult, build_summary, profile_from_lonlat
    >>> p = profile_from_lonlat([71.0, 71.05, 71.1], [37.0, 37.0, 37.0], [3000.0, 3400.0, 3100.0])
    >>> route = RouteResult(build_summary(p, "example", places=None, country_at=None), p)
    >>> route_text(route, "csv").splitlines()[1:3]
    ['0.0000,37.000000,71.000000,3000.0,,,', '4.4506,37.000000,71.050000,3400.0,,,']
    """
    if fmt == "geojson":
        return json.dumps(route_geojson(route), allow_nan=False, separators=(",", ":")) + "\n"
    if fmt == "gpx":
        return route_gpx(route)
    if fmt == "csv":
        return profile_csv_text(route)
    raise InputError(f"format {fmt!r} cannot be written as text; use geojson, gpx or csv")


def write_route(path: str | os.PathLike, route: RouteResult) -> Path:
    """Write ``route`` to ``path`` in the format its extension names; returns the path.

    One-layer OGR formats (``.fgb``, ``.shp``) also write ``NAME_passes.EXT`` etc.
    beside it (see :mod:`wakhan.route.files.ogr`).

    Parameters
    ----------
    path : str or os.PathLike
        Ends in one of :data:`FORMATS`; written atomically.
    route : RouteResult

    Returns
    -------
    pathlib.Path

    Examples
    --------
    A GeoJSON file carries the whole summary, which :func:`read_route` gives back:

    >>> import tempfile
    >>> from wakhan.route import RouteResult, build_summary, profile_from_lonlat
    >>> p = profile_from_lonlat([71.0, 71.05, 71.1], [37.0, 37.0, 37.0], [3000.0, 3400.0, 3100.0])
    >>> route = RouteResult(build_summary(p, "example", places=None, country_at=None), p)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     back = read_route(write_route(Path(folder) / "example.geojson", route))
    >>> back.summary == route.summary
    True
    """
    path = Path(path)
    fmt = _format(path)
    if fmt == "ogr":
        write_ogr(path, route)
        return path
    text = route_text(route, fmt)
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    return path


def _floats(values) -> np.ndarray:
    return np.array([np.nan if v is None or v == "" else float(v) for v in values], dtype=np.float64)


def _geometry_type(feature) -> str | None:
    """The geometry type of a GeoJSON Feature, or None for anything else (null, a number, a string)."""
    geometry = feature.get("geometry") if isinstance(feature, dict) else None
    return geometry.get("type") if isinstance(geometry, dict) else None


def _read_geojson(path: Path, places="auto", country_at="auto") -> RouteResult:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise DataError(
            f"{path} is not a GeoJSON object (its top level is a {type(data).__name__}, not a Feature or "
            "FeatureCollection); write a route with `wakhan route -o`"
        )
    wk = data.get("wakhan")
    stored = wk.get("summary") if isinstance(wk, dict) and isinstance(wk.get("summary"), dict) else None
    if data.get("type") == "FeatureCollection":
        features = data.get("features") or []
        if not isinstance(features, list):
            raise DataError(f"{path}: 'features' is a {type(features).__name__}, not a list of GeoJSON Features")
        feats = [f for f in features if _geometry_type(f) in ("LineString", "MultiLineString")]
        if not feats:
            raise DataError(f"{path} holds no route line; write a route with `wakhan route ... -o {path.name}`")
        data = feats[0]
    if data.get("type") != "Feature" or _geometry_type(data) != "LineString":
        raise DataError(f"{path} is not a route (a GeoJSON LineString Feature); write one with `wakhan route -o`")
    props = dict(stored) if stored else dict(data.get("properties") if isinstance(data.get("properties"), dict) else {})
    props.pop("layer", None)
    arrays = props.pop("profile", None)
    if arrays:
        profile = Profile(
            _floats(arrays["distance_km"]),
            _floats(arrays["lon"]),
            _floats(arrays["lat"]),
            _floats(arrays["elevation_m"]),
        )
    else:
        coords = np.array(
            [
                [c[0], c[1], c[2] if len(c) > 2 and c[2] is not None else np.nan]
                for c in data["geometry"]["coordinates"]
            ],
            dtype=np.float64,
        )
        profile = profile_from_lonlat(coords[:, 0], coords[:, 1], coords[:, 2])

    props["geometry"] = simplified_linestring(profile) if stored else data["geometry"]
    props.setdefault("name", path.stem)
    if not stored and is_flat(props):  # the route layer's flat attributes (a GIS tool dropped `wakhan`)
        return _summarized(profile, str(props["name"]), places, country_at, flat_provenance(props, profile.length_km))
    if "length_km" not in props:
        return _summarized(profile, props["name"])
    return RouteResult(summary=RouteSummary.from_dict(props), profile=profile)


def _summarized(profile: Profile, name: str, places="auto", country_at="auto", provenance=None) -> RouteResult:
    """The route recomputed from its profile; ``provenance``, ``(data_sources, grid)`` the file named, kept."""
    sources, grid = provenance or ([], None)
    summary = build_summary(profile, name, places=places, country_at=country_at, sources=sources)
    if grid:
        summary = summary.with_fields(grid=grid)
    return RouteResult(summary=summary, profile=profile)


def _stored(summary: dict, profile: Profile) -> RouteResult:
    """A route read back with the summary its file carries (the line simplified again from the profile)."""

    return RouteResult(
        summary=RouteSummary.from_dict({**summary, "geometry": simplified_linestring(profile)}), profile=profile
    )


def _read_gpx(path: Path, places, country_at) -> RouteResult:

    name, lon, lat, ele, summary = parse_gpx(path.read_text(encoding="utf-8"), str(path))
    profile = profile_from_lonlat(lon, lat, ele)
    if not summary:
        return _summarized(profile, name or path.stem, places, country_at)
    return _stored(summary, profile)


def _read_ogr(path: Path, places, country_at) -> RouteResult:

    lon, lat, ele, summary, name = read_ogr(path)
    profile = profile_from_lonlat(lon, lat, ele)
    if not summary:
        provenance = flat_provenance(route_attributes(path), profile.length_km)
        return _summarized(profile, name, places, country_at, provenance)
    return _stored(summary, profile)


def _read_csv(path: Path, places, country_at) -> RouteResult:
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    need = {"distance_km", "lat", "lon", "elevation_m"}
    if not rows or not need <= set(rows[0]):
        raise DataError(f"{path} is not a route profile: it needs columns distance_km,lat,lon,elevation_m")
    profile = Profile(
        _floats([r["distance_km"] for r in rows]),
        _floats([r["lon"] for r in rows]),
        _floats([r["lat"] for r in rows]),
        _floats([r["elevation_m"] for r in rows]),
    )
    return _summarized(profile, path.stem, places, country_at, rows_provenance(rows))


def read_route(path: str | os.PathLike, *, places="auto", country_at="auto") -> RouteResult:
    """Read a route written by :func:`write_route` (or any GeoJSON LineString / GPX track / profile CSV).

    GeoJSON and GPX files from wakhan carry their summary; for other files the
    summary is recomputed from the profile, naming passes with ``places`` and
    measuring countries with ``country_at`` (see :func:`wakhan.route.build_summary`).

    Parameters
    ----------
    path : str or os.PathLike
        A ``.geojson``/``.json``, ``.gpx``, ``.csv`` or OGR file (:data:`FORMATS`).
    places : sequence of Place, "auto" or None
    country_at : callable, "auto" or None

    Returns
    -------
    RouteResult
        Without DEM, paths or model.

    Raises
    ------
    InputError
        The file does not exist or its extension names no known format.
    DataError
        The file holds no route.

    Examples
    --------
    A profile CSV carries no summary: it is recomputed.

    >>> import tempfile
    >>> from wakhan.route import RouteResult, build_summary, profile_from_lonlat
    >>> p = profile_from_lonlat([71.0, 71.05, 71.1], [37.0, 37.0, 37.0], [3000.0, 3400.0, 3100.0])
    >>> route = RouteResult(build_summary(p, "example", places=None, country_at=None), p)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     back = read_route(write_route(Path(folder) / "example.csv", route), places=None, country_at=None)
    >>> back.summary.name, back.summary.terrain.length_km, back.summary.terrain.max_elevation_m
    ('example', 8.901, 3400.0)
    """
    path = Path(path)
    fmt = _format(path)
    if not path.is_file():
        raise InputError(f"route file {path} does not exist; write one with `wakhan route FROM TO -o {path.name}`")
    try:
        if fmt == "geojson":
            return _read_geojson(path, places, country_at)
        if fmt == "gpx":
            return _read_gpx(path, places, country_at)
        if fmt == "ogr":
            return _read_ogr(path, places, country_at)
        return _read_csv(path, places, country_at)
    except (KeyError, IndexError, AttributeError, ValueError, TypeError) as exc:  # a malformed file's content
        if isinstance(exc, InputError):
            raise
        raise DataError(f"{path} is not a readable route file ({exc}); write it again with `wakhan route -o`") from exc
