"""Write a route as GeoJSON, GPX or CSV (chosen by extension) and read it back.

* ``.geojson`` / ``.json``: one Feature, a LineString ``[lon, lat, elevation_m]``
  (simplified), every summary number as a property, and the full profile arrays
  (``profile.distance_km``, ``lon``, ``lat``, ``elevation_m``) so that figures can
  be redrawn without the DEM.
* ``.gpx``: GPX 1.1 track with ``<ele>`` per point; the summary travels as JSON in
  the track's ``<extensions>``.
* ``.csv``: one row per profile point: ``distance_km,lat,lon,elevation_m``. It holds
  only the profile; reading it back recomputes the summary from it.

All writes are atomic (:mod:`wakhan.fileio`).
"""
from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from xml.etree import ElementTree as ET

import numpy as np

from wakhan.errors import DataError, InputError
from wakhan.fileio import atomic_path, json_safe
from wakhan.route.profile import Profile, profile_from_lonlat
from wakhan.route.result import RouteResult

__all__ = ["write_route", "read_route", "route_feature", "FORMATS"]

FORMATS = {".geojson": "geojson", ".json": "geojson", ".gpx": "gpx", ".csv": "csv"}
_GPX_NS = "http://www.topografix.com/GPX/1/1"
_WAKHAN_NS = "https://github.com/wakhan/wakhan"


def _format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"cannot tell the format of {path}: use a .geojson, .gpx or .csv file name")
    return fmt


def _profile_arrays(profile: Profile) -> dict:
    z = [None if not np.isfinite(v) else round(float(v), 1) for v in profile.elevation_m]
    return {"distance_km": [round(float(v), 4) for v in profile.distance_km],
            "lon": [round(float(v), 6) for v in profile.lon],
            "lat": [round(float(v), 6) for v in profile.lat],
            "elevation_m": z}


def route_feature(route: RouteResult) -> dict:
    """The GeoJSON Feature written for ``route`` (summary as properties, profile arrays included)."""
    props = {k: v for k, v in route.summary.items() if k != "geometry"}
    props["profile"] = _profile_arrays(route.profile)
    return json_safe({"type": "Feature", "geometry": route.summary["geometry"], "properties": props})


def _write_gpx(fh, route: RouteResult) -> None:
    ET.register_namespace("", _GPX_NS)
    ET.register_namespace("wakhan", _WAKHAN_NS)
    g = lambda tag: f"{{{_GPX_NS}}}{tag}"  # noqa: E731
    root = ET.Element(g("gpx"), {"version": "1.1", "creator": "wakhan"})
    meta = ET.SubElement(root, g("metadata"))
    ET.SubElement(meta, g("name")).text = route.name
    trk = ET.SubElement(root, g("trk"))
    ET.SubElement(trk, g("name")).text = route.name
    s = route.summary
    ET.SubElement(trk, g("desc")).text = (
        f"{s['length_km']:.1f} km, highest {s['max_elevation_m']:.0f} m, "
        f"{s['km_above_4000m']:.1f} km above 4000 m, climb {s['climb_m']:.0f} m")
    ext = ET.SubElement(trk, g("extensions"))
    summary = {k: v for k, v in route.summary.items() if k != "geometry"}
    ET.SubElement(ext, f"{{{_WAKHAN_NS}}}summary").text = json.dumps(json_safe(summary), allow_nan=False)
    seg = ET.SubElement(trk, g("trkseg"))
    p = route.profile
    for lon, lat, z in zip(p.lon, p.lat, p.elevation_m):
        pt = ET.SubElement(seg, g("trkpt"), {"lat": f"{lat:.6f}", "lon": f"{lon:.6f}"})
        if np.isfinite(z):
            ET.SubElement(pt, g("ele")).text = f"{z:.1f}"
    ET.indent(root)
    fh.write(ET.tostring(root, encoding="unicode", xml_declaration=True))
    fh.write("\n")


def write_route(path: str | os.PathLike, route: RouteResult) -> Path:
    """Write ``route`` to ``path`` in the format its extension names; returns the path."""
    path = Path(path)
    fmt = _format(path)
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="" if fmt == "csv" else None) as fh:
        if fmt == "geojson":
            json.dump(route_feature(route), fh, allow_nan=False, separators=(",", ":"))
            fh.write("\n")
        elif fmt == "gpx":
            _write_gpx(fh, route)
        else:
            w = csv.writer(fh)
            w.writerow(["distance_km", "lat", "lon", "elevation_m"])
            p = route.profile
            for d, lat, lon, z in zip(p.distance_km, p.lat, p.lon, p.elevation_m):
                w.writerow([f"{d:.4f}", f"{lat:.6f}", f"{lon:.6f}", f"{z:.1f}" if np.isfinite(z) else ""])
    return path


def _floats(values) -> np.ndarray:
    return np.array([np.nan if v is None or v == "" else float(v) for v in values], dtype=np.float64)


def _read_geojson(path: Path) -> RouteResult:
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("type") == "FeatureCollection":
        feats = data.get("features") or []
        if not feats:
            raise DataError(f"{path} holds no features; write a route with `wakhan route ... -o {path.name}`")
        data = feats[0]
    if data.get("type") != "Feature" or (data.get("geometry") or {}).get("type") != "LineString":
        raise DataError(f"{path} is not a route (a GeoJSON LineString Feature); write one with `wakhan route -o`")
    props = dict(data.get("properties") or {})
    arrays = props.pop("profile", None)
    if arrays:
        profile = Profile(_floats(arrays["distance_km"]), _floats(arrays["lon"]), _floats(arrays["lat"]),
                          _floats(arrays["elevation_m"]))
    else:
        coords = np.array([[c[0], c[1], c[2] if len(c) > 2 and c[2] is not None else np.nan]
                           for c in data["geometry"]["coordinates"]], dtype=np.float64)
        profile = profile_from_lonlat(coords[:, 0], coords[:, 1], coords[:, 2])
    props["geometry"] = data["geometry"]
    props.setdefault("name", path.stem)
    if "length_km" not in props:
        return _summarized(profile, props["name"])
    return RouteResult(summary=props, profile=profile)


def _summarized(profile: Profile, name: str, places="auto", country_at="auto") -> RouteResult:
    from wakhan.route.stats import summarize
    return RouteResult(summary=summarize(profile, name, places=places, country_at=country_at), profile=profile)


def _read_gpx(path: Path, places, country_at) -> RouteResult:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise DataError(f"{path} is not readable GPX ({exc}); write it again with `wakhan route -o`") from exc
    ns = {"g": _GPX_NS, "w": _WAKHAN_NS}
    pts = root.findall(".//g:trkpt", ns)
    if len(pts) < 2:
        raise DataError(f"{path} has fewer than two track points; it holds no route")
    lat = _floats([p.get("lat") for p in pts])
    lon = _floats([p.get("lon") for p in pts])
    ele = _floats([(p.findtext("g:ele", default="", namespaces=ns) or "").strip() for p in pts])
    profile = profile_from_lonlat(lon, lat, ele)
    text = root.findtext(".//g:trk/g:extensions/w:summary", default=None, namespaces=ns)
    name = root.findtext(".//g:trk/g:name", default=path.stem, namespaces=ns)
    if not text:
        return _summarized(profile, name, places, country_at)
    summary = json.loads(text)
    from wakhan.route.geometry import simplified_linestring
    summary["geometry"] = simplified_linestring(profile)
    return RouteResult(summary=summary, profile=profile)


def _read_csv(path: Path, places, country_at) -> RouteResult:
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    need = {"distance_km", "lat", "lon", "elevation_m"}
    if not rows or not need <= set(rows[0]):
        raise DataError(f"{path} is not a route profile: it needs columns distance_km,lat,lon,elevation_m")
    profile = Profile(_floats([r["distance_km"] for r in rows]), _floats([r["lon"] for r in rows]),
                      _floats([r["lat"] for r in rows]), _floats([r["elevation_m"] for r in rows]))
    return _summarized(profile, path.stem, places, country_at)


def read_route(path: str | os.PathLike, *, places="auto", country_at="auto") -> RouteResult:
    """Read a route written by :func:`write_route` (or any GeoJSON LineString / GPX track / profile CSV).

    GeoJSON and GPX files from wakhan carry their summary; for other files the
    summary is recomputed from the profile, naming passes with ``places`` and
    measuring countries with ``country_at`` (see :func:`wakhan.route.summarize`).
    """
    path = Path(path)
    fmt = _format(path)
    if not path.is_file():
        raise InputError(f"route file {path} does not exist; write one with `wakhan route FROM TO -o {path.name}`")
    try:
        if fmt == "geojson":
            return _read_geojson(path)
        if fmt == "gpx":
            return _read_gpx(path, places, country_at)
        return _read_csv(path, places, country_at)
    except (KeyError, ValueError, TypeError) as exc:
        if isinstance(exc, InputError):
            raise
        raise DataError(f"{path} is not a readable route file ({exc}); write it again with `wakhan route -o`") from exc
