"""A route as GIS layers: a line with flat attributes, and point layers for its passes, places and tunnels.

GIS tools (QGIS, ArcGIS, GeoPandas) want one value per attribute column, not
nested lists; this module turns a route summary into

* ``route``: one LineString ``(lon, lat, elevation_m)`` through every profile
  point, with scalar attributes (:func:`flat_attributes`);
* ``passes``: the high points the route crosses (name, km, elevation, prominence);
* ``places``: gazetteer places within the summary's stated distance of the route;
* ``waypoints``: the requested waypoints, in order;
* ``tunnels``: each modelled tunnel's two portals (only when the summary has tunnels).

All coordinates are WGS84 longitude/latitude (EPSG:4326), heights in metres.
"""

from __future__ import annotations

import numpy as np

__all__ = ["flat_attributes", "point_layers", "route_line", "feature_collection", "LAYER_FIELDS"]

#: Attribute columns of each point layer, with their types (what GIS tools read back).
LAYER_FIELDS = {
    "passes": {
        "name": str,
        "km": float,
        "elevation_m": float,
        "prominence_m": float,
        "nearest_place": str,
        "nearest_place_km": float,
    },
    "places": {"name": str, "kind": str, "km": float, "offset_km": float, "elevation_m": float},
    "waypoints": {"name": str, "order": int, "km": float, "kind": str, "country": str, "elevation_m": float},
    "tunnels": {
        "tunnel": int,
        "portal": str,
        "length_km": float,
        "elevation_m": float,
        "max_cover_m": float,
        "cost_usd": float,
    },
}

_SCALARS = (
    "name",
    "length_km",
    "start_elevation_m",
    "end_elevation_m",
    "min_elevation_m",
    "mean_elevation_m",
    "median_elevation_m",
    "max_elevation_m",
    "km_above_4000m",
    "climb_m",
    "descent_m",
    "max_grade_pct",
    "max_grade_km",
    "grade_design_length_km",
    "cost",
    "cost_unit",
    "model",
    "model_max_grade_pct",
    "neighbours",
)


def _num(v):
    if v is None:
        return None
    if isinstance(v, (bool, np.bool_)):
        return int(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    return f if np.isfinite(f) else None


def flat_attributes(summary: dict) -> dict:
    """The route's numbers as scalar attributes (str, float or int; None when unknown).

    Nested values are flattened: ``km_above_3500m``/``4000m``/``4500m``, one
    ``km_in_XX`` column per country, ``countries`` (``"CN 155.5 km; AF 105.2 km"``),
    ``passes`` (names), ``n_passes``, ``within``/``avoid`` (codes), ``data``
    (sources and resolution) and ``grid``.

    Parameters
    ----------
    summary : dict
        A route summary's JSON content (:meth:`wakhan.route.RouteSummary.to_dict`).

    Returns
    -------
    dict

    Examples
    --------
    >>> flat = flat_attributes({"name": "r", "length_km": 12.5, "km_above_m": {"4000": 2.0},
    ...                         "countries_km": {"AF": 10.0, "CN": 2.5}, "within": ["CN", "AF"]})
    >>> flat["km_above_4000m"], flat["countries"], flat["km_in_CN"], flat["within"], flat["n_passes"]
    (2.0, 'AF 10.0 km; CN 2.5 km', 2.5, 'CN,AF', 0)
    """
    s = summary
    out: dict = {}
    for key in _SCALARS:
        if key in s:
            v = s[key]
            out[key] = v if isinstance(v, str) else _num(v)
    for level, km in (s.get("km_above_m") or {}).items():
        out[f"km_above_{level}m"] = _num(km)
    countries = s.get("countries_km") or {}
    out["countries"] = "; ".join(f"{c} {v:,.1f} km" for c, v in countries.items())
    for c, v in countries.items():
        out[f"km_in_{c}"] = _num(v)
    passes = s.get("passes") or []
    out["n_passes"] = len(passes)
    out["passes"] = "; ".join(f"{p.get('name') or 'unnamed'} {p['elevation_m']:,.0f} m" for p in passes)
    tunnels = s.get("tunnels") or []
    if tunnels:
        out["n_tunnels"] = len(tunnels)
        out["tunnel_km"] = _num(sum(float(t.get("length_km") or 0) for t in tunnels))
    for key in ("within", "avoid"):
        if s.get(key):
            out[key] = ",".join(s[key])
    _issue17_fields(s, out)
    out["data"] = "; ".join(f"{d['name']} {d.get('resolution', '')}".strip() for d in s.get("data_sources", []))
    grid = s.get("grid") or {}
    if grid:
        out["grid"] = f"{grid.get('resolution')} ({grid.get('crs')})"
    return out


def _issue17_fields(s: dict, out: dict) -> None:
    """Earthworks, bridges and the deviation from a reference road as flat fields (when present)."""
    if "earthworks_m3" in s:
        out["earthworks_m3"] = _num(s["earthworks_m3"])
    for row in (s.get("cost_usd") or {}).get("breakdown") or []:
        if isinstance(row, dict) and row.get("item") == "earthworks":
            out["earthworks_usd_low"] = _num(row.get("low"))
            out["earthworks_usd_high"] = _num(row.get("high"))
    if "bridges" in s:
        bridges = s.get("bridges") or []
        out["n_bridges"] = len(bridges)
        out["bridge_m"] = _num(sum(float(b.get("length_m") or 0) for b in bridges))
        out["bridges_cost_usd"] = _num(sum(float(b.get("cost_usd") or 0) for b in bridges))
    ref = s.get("reference")
    if ref:
        out["ref_pdi_km"] = _num(ref.get("pdi_km"))
        out["ref_npdi_pct"] = _num(ref.get("npdi_pct"))
        for d, pct in (ref.get("within_pct") or {}).items():
            out[f"ref_within_{str(d).replace('.', '_')}km_pct"] = _num(pct)
        out["ref_hausdorff_km"] = _num(ref.get("hausdorff_km"))
        out["ref_length_ratio"] = _num(ref.get("length_ratio"))
        out["ref_file"] = str(ref.get("file") or "")


def _point(lon, lat, z, props) -> dict:
    coords = [round(float(lon), 6), round(float(lat), 6)]
    if z is not None and np.isfinite(z):
        coords.append(round(float(z), 1))
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": coords}, "properties": props}


def _pick(d: dict, fields: dict) -> dict:
    out = {}
    for k, typ in fields.items():
        v = d.get(k)
        out[k] = (None if v is None else str(v)) if typ is str else _num(v)
    return out


def point_layers(summary: dict) -> dict[str, list[dict]]:
    """``{"passes": [...], "places": [...], "waypoints": [...], "tunnels": [...]}`` point Features.

    ``tunnels`` is present only when the summary lists tunnels (keys ``length_km``,
    ``portal_a``/``portal_b`` with ``lat, lon, elevation_m``, ``max_cover_m``, ``cost_usd``).

    Parameters
    ----------
    summary : dict
        A route summary's JSON content (:meth:`wakhan.route.RouteSummary.to_dict`).

    Returns
    -------
    dict
        Layer name -> list of GeoJSON Point Features with the columns of :data:`LAYER_FIELDS`.

    Examples
    --------
    >>> layers = point_layers({"passes": [{"name": "Test Pass", "lon": 71.0, "lat": 37.0, "elevation_m": 4900.0,
    ...                                    "km": 12.0, "prominence_m": 600.0}],
    ...                        "waypoints": [{"name": "A", "lon": 70.9, "lat": 37.0, "km": 0.0}]})
    >>> sorted(layers), layers["passes"][0]["geometry"]["coordinates"], layers["waypoints"][0]["properties"]["order"]
    (['passes', 'places', 'waypoints'], [71.0, 37.0, 4900.0], 0)
    """
    s = summary
    layers = {
        "passes": [
            _point(p["lon"], p["lat"], p.get("elevation_m"), _pick(p, LAYER_FIELDS["passes"]))
            for p in s.get("passes") or []
        ],
        "places": [
            _point(p["lon"], p["lat"], p.get("elevation_m"), _pick(p, LAYER_FIELDS["places"]))
            for p in s.get("places_along") or []
        ],
        "waypoints": [
            _point(w["lon"], w["lat"], w.get("elevation_m"), _pick({**w, "order": i}, LAYER_FIELDS["waypoints"]))
            for i, w in enumerate(s.get("waypoints") or [])
        ],
    }
    tunnels = []
    for i, t in enumerate(s.get("tunnels", []) or []):
        for key, label in (("portal_a", "a"), ("portal_b", "b")):
            p = t.get(key) or {}
            if "lon" in p and "lat" in p:
                props = _pick(
                    {**t, "tunnel": i + 1, "portal": label, "elevation_m": p.get("elevation_m")},
                    LAYER_FIELDS["tunnels"],
                )
                tunnels.append(_point(p["lon"], p["lat"], p.get("elevation_m"), props))
    if tunnels:
        layers["tunnels"] = tunnels
    return layers


def route_line(profile) -> dict:
    """GeoJSON LineString through every profile point, ``[lon, lat, elevation_m]`` (2-D if a height is missing).

    Parameters
    ----------
    profile : Profile

    Returns
    -------
    dict

    Examples
    --------
    >>> from wakhan.route.profile import profile_from_lonlat
    >>> route_line(profile_from_lonlat([71.0, 71.1], [37.0, 37.05], [3000.04, 3100.0]))["coordinates"]
    [[71.0, 37.0, 3000.0], [71.1, 37.05, 3100.0]]
    >>> route_line(profile_from_lonlat([71.0, 71.1], [37.0, 37.05], [3000.0, float("nan")]))["coordinates"]
    [[71.0, 37.0], [71.1, 37.05]]
    """
    lon = np.round(np.asarray(profile.lon, float), 6)
    lat = np.round(np.asarray(profile.lat, float), 6)
    z = np.asarray(profile.elevation_m, float)
    if np.isfinite(z).all():
        coords = np.column_stack([lon, lat, np.round(z, 1)]).tolist()
    else:
        coords = np.column_stack([lon, lat]).tolist()
    return {"type": "LineString", "coordinates": coords}


def feature_collection(route) -> dict:
    """The route and its point layers as one GeoJSON FeatureCollection; each feature names its ``layer``.

    Parameters
    ----------
    route : RouteResult

    Returns
    -------
    dict

    Examples
    --------
    >>> from wakhan.route import RouteResult, build_summary, profile_from_lonlat
    >>> p = profile_from_lonlat([71.0, 71.05, 71.1], [37.0, 37.0, 37.0], [3000.0, 3400.0, 3100.0])
    >>> route = RouteResult(build_summary(p, "example", places=None, country_at=None), p)
    >>> [f["properties"]["layer"] for f in feature_collection(route)["features"]]
    ['route']
    """
    feats = [
        {
            "type": "Feature",
            "geometry": route_line(route.profile),
            "properties": {"layer": "route", **flat_attributes(route.summary.to_dict())},
        }
    ]
    for layer, points in point_layers(route.summary.to_dict()).items():
        feats += [{**f, "properties": {"layer": layer, **f["properties"]}} for f in points]
    return {"type": "FeatureCollection", "features": feats}
