"""GPX 1.1 for GPS units and hiking apps (gpxpy): a track with heights and named waypoints.

Waypoints (``<wpt>``): the route's requested waypoints, the passes it crosses
(``type`` "pass", ``sym`` "Summit") and the gazetteer places along it; each
carries its height and the km along the route in ``<desc>``. The summary
travels as JSON in the track's ``<extensions>`` so that wakhan reads it back.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import numpy as np

from wakhan.errors import DataError
from wakhan.plain_json import json_safe

__all__ = ["route_gpx", "parse_gpx", "WAKHAN_NS"]

WAKHAN_NS = "https://github.com/wakhan/wakhan"


def _wpt(gpxpy, p: dict, kind: str, sym: str):
    z = p.get("elevation_m")
    wpt = gpxpy.gpx.GPXWaypoint(
        latitude=round(float(p["lat"]), 6),
        longitude=round(float(p["lon"]), 6),
        elevation=None if z is None or not np.isfinite(z) else round(float(z), 1),
        name=p.get("name") or f"unnamed {kind}",
        type=kind,
        symbol=sym,
    )
    km = p.get("km")
    if km is not None:
        wpt.description = f"{kind} at km {float(km):,.1f} along the route"
    return wpt


def route_gpx(route) -> str:
    """The GPX document of ``route`` as text.

    Parameters
    ----------
    route : RouteResult

    Returns
    -------
    str
        GPX 1.1: one track with heights, the summary as JSON in a ``wakhan``
        extension, and one waypoint per named waypoint, pass and place.

    Examples
    --------
    >>> from wakhan.route import RouteResult, build_summary, profile_from_lonlat
    >>> p = profile_from_lonlat([71.0, 71.05, 71.1], [37.0, 37.0, 37.0], [3000.0, 3400.0, 3100.0])
    >>> route = RouteResult(build_summary(p, "example", places=None, country_at=None), p)
    >>> name, lon, lat, z, summary = parse_gpx(route_gpx(route), "example.gpx")
    >>> name, z.tolist(), summary["length_km"]
    ('example', [3000.0, 3400.0, 3100.0], 8.901)
    """
    import gpxpy  # lazy: gpxpy, only for GPX files
    import gpxpy.gpx

    s = route.summary.to_dict()
    gpx = gpxpy.gpx.GPX()
    gpx.creator = "wakhan"
    gpx.name = route.name
    gpx.nsmap["wakhan"] = WAKHAN_NS
    seen = set()
    for kind, sym, items in (
        ("waypoint", "Flag, Blue", s.get("waypoints") or []),
        ("pass", "Summit", s.get("passes") or []),
        ("place", "City (Small)", s.get("places_along") or []),
    ):
        for p in items:
            # one waypoint per name: a pass crossed is not repeated as a place along the route
            key = p.get("name") or (round(float(p["lat"]), 4), round(float(p["lon"]), 4))
            if key in seen:
                continue
            seen.add(key)
            gpx.waypoints.append(_wpt(gpxpy, p, kind, sym))
    trk = gpxpy.gpx.GPXTrack(name=route.name)
    trk.description = (
        f"{s['length_km']:,.1f} km, highest {s['max_elevation_m']:,.0f} m, "
        + (f"{s['km_above_4000m']:,.1f} km above 4,000 m, " if s["max_elevation_m"] >= 4000 else "")
        + f"climb {s['climb_m']:,.0f} m"
    )
    ext = ET.Element(f"{{{WAKHAN_NS}}}summary")
    ext.text = json.dumps(json_safe({k: v for k, v in s.items() if k != "geometry"}), allow_nan=False)
    trk.extensions.append(ext)
    seg = gpxpy.gpx.GPXTrackSegment()
    p = route.profile
    for lon, lat, z in zip(p.lon, p.lat, p.elevation_m):
        seg.points.append(
            gpxpy.gpx.GPXTrackPoint(
                latitude=round(float(lat), 6),
                longitude=round(float(lon), 6),
                elevation=round(float(z), 1) if np.isfinite(z) else None,
            )
        )
    trk.segments.append(seg)
    gpx.tracks.append(trk)
    return gpx.to_xml(version="1.1")


def parse_gpx(text: str, where: str):
    """``(name, lon, lat, elevation_m, summary or None)`` of the first track in a GPX document.

    Parameters
    ----------
    text : str
        The GPX document.
    where : str
        The file's name, for error messages.

    Returns
    -------
    tuple
        Track name, arrays of lon, lat and elevation (NaN where missing), and the
        summary dict written by :func:`route_gpx` (None for other GPX files).

    Raises
    ------
    DataError
        Not GPX, or fewer than two track points.

    Examples
    --------
    >>> doc = ('<gpx version="1.1" creator="x" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>t</name>'
    ...        '<trkseg><trkpt lat="37" lon="71"><ele>3000</ele></trkpt><trkpt lat="37.1" lon="71"/></trkseg>'
    ...        '</trk></gpx>')
    >>> name, lon, lat, z, summary = parse_gpx(doc, "t.gpx")
    >>> name, lat.tolist(), z.tolist(), summary
    ('t', [37.0, 37.1], [3000.0, nan], None)
    """
    import gpxpy  # lazy: gpxpy, only for GPX files

    try:
        gpx = gpxpy.parse(text)
    except Exception as exc:  # gpxpy raises its own and XML errors
        raise DataError(f"{where} is not readable GPX ({exc}); write it again with `wakhan route -o`") from None
    pts = [pt for trk in gpx.tracks for seg in trk.segments for pt in seg.points]
    if len(pts) < 2:
        raise DataError(f"{where} has fewer than two track points; it holds no route")
    lon = np.array([pt.longitude for pt in pts], float)
    lat = np.array([pt.latitude for pt in pts], float)
    ele = np.array([np.nan if pt.elevation is None else pt.elevation for pt in pts], float)
    summary = None
    for e in gpx.tracks[0].extensions:
        if e.tag == f"{{{WAKHAN_NS}}}summary" and e.text:
            summary = json.loads(e.text)
    return gpx.tracks[0].name or gpx.name, lon, lat, ele, summary
