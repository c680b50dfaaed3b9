"""A route as GIS layers: a line with flat attributes, and point layers for its passes, places and tunnels.

GIS tools (QGIS, ArcGIS, GeoPandas) want one value per attribute column, not
nested lists; this module turns a route summary into

* ``route``: one LineString ``(lon, lat, elevation_m)`` through every profile
  point, with flat, typed attributes (:func:`flat_attributes`, the table of
  :mod:`wakhan.route.files.fields`; missing values are nulls);
* ``passes``: the high points the route crosses (name, km, elevation, prominence);
* ``places``: gazetteer places within the summary's stated distance of the route;
* ``waypoints``: the requested waypoints, in order;
* ``tunnels``: each modelled tunnel's two portals (only when the summary has tunnels).

All coordinates are WGS84 longitude/latitude (EPSG:4326), heights in metres.
"""

from __future__ import annotations

import numpy as np

from wakhan.route.files.fields import ROUTE_FIELDS

__all__ = ["flat_attributes", "route_field_types", "point_layers", "route_line", "feature_collection", "LAYER_FIELDS"]

#: Attribute columns of each point layer, with their types (what GIS tools read back).
LAYER_FIELDS = {
    "passes": {
        "name": str,
        "km": float,
        "elevation_m": float,
        "prominence_m": float,
        "nearest_place": str,
        "nearest_place_km": float,
        "artefact_reason": str,  # set where the saddle sits on a large stream: a data artefact (issue 18)
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


def _value(v, typ):
    """``v`` as ``typ`` (None when missing or not finite)."""
    if v is None:
        return None
    if typ is str:
        return str(v)
    v = _num(v)
    if v is None or isinstance(v, str):
        return None
    return int(v) if typ is int else float(v)


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


def route_field_types(summary: dict) -> dict[str, type]:
    """Column name -> type of the route layer of ``summary``: :data:`ROUTE_FIELDS`, then per-route columns.

    The per-route columns are ``km_above_<H>m`` for heights of ``km_above_m``
    beyond the standard three and ``km_in_XX`` for each country crossed.

    Parameters
    ----------
    summary : dict
        A route summary's JSON content.

    Returns
    -------
    dict

    Examples
    --------
    >>> types = route_field_types({"km_above_m": {"5000": 1.0}, "countries_km": {"AF": 3.0}})
    >>> list(types)[-2:], types["hairpins"]
    (['km_above_5000m', 'km_in_AF'], <class 'int'>)
    """
    types = {f.name: f.type for f in ROUTE_FIELDS}
    for level in summary.get("km_above_m") or {}:
        types.setdefault(f"km_above_{level}m", float)
    for c in summary.get("countries_km") or {}:
        types[f"km_in_{c}"] = float
    return types


def flat_attributes(summary: dict) -> dict:
    """The route's numbers as flat, typed attributes: every column of :func:`route_field_types`.

    Every column is present; a value the route does not have is ``None`` (a null
    in every format), never 0 or "". Nested values are flattened by the table
    :data:`wakhan.route.files.fields.ROUTE_FIELDS` (``cost_usd_low``/``high``,
    ``n_tunnels``/``tunnel_km``, ``n_passes``, ``countries``...); ``km_in_XX``
    gives the km in each country crossed.

    Parameters
    ----------
    summary : dict
        A route summary's JSON content (:meth:`wakhan.route.RouteSummary.to_dict`).

    Returns
    -------
    dict
        Column -> str, int, float or None.

    Examples
    --------
    >>> flat = flat_attributes({"name": "r", "length_km": 12.5, "km_above_m": {"4000": 2.0}, "passes": [],
    ...                         "countries_km": {"AF": 10.0, "CN": 2.5}, "within": ["CN", "AF"],
    ...                         "cost_usd": {"low": 1e8, "high": 3e8}})
    >>> flat["countries"], flat["km_in_CN"], flat["within"], flat["n_passes"], flat["cost_usd_high"]
    ('AF 10.0 km; CN 2.5 km', 2.5, 'CN,AF', 0, 300000000.0)
    >>> flat["hairpins"], flat["highest_pass"], flat["km_above_4000m"]
    (None, None, 2.0)
    """
    getters = {f.name: f.get for f in ROUTE_FIELDS}
    out: dict = {}
    for name, typ in route_field_types(summary).items():
        if name in getters:
            raw = getters[name](summary)
            if name == "km_above_4000m" and raw is None:
                raw = (summary.get("km_above_m") or {}).get("4000")
        elif name.startswith("km_in_"):
            raw = (summary.get("countries_km") or {}).get(name[6:])
        else:
            raw = (summary.get("km_above_m") or {}).get(name[9:-1])
        out[name] = _value(raw, typ)
    return out


def _point(lon, lat, z, props) -> dict:
    coords = [round(float(lon), 6), round(float(lat), 6)]
    if z is not None and np.isfinite(z):
        coords.append(round(float(z), 1))
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": coords}, "properties": props}


def _pick(d: dict, fields: dict) -> dict:
    return {k: _value(d.get(k), typ) for k, typ in fields.items()}


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
