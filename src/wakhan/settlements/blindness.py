"""How blind a settlement source is along a route: where it has no point near the route, by country.

A long "depopulated" stretch may be a fact about the land or about the data.
:func:`blindness` says, for one source and one route, how many of the
source's points lie near the route and how many kilometres of the route, in
each country it crosses, have none of them within the buffer.
"""
from __future__ import annotations

import numpy as np

__all__ = ["blindness"]


def blindness(settlements, distance_km, lon, lat, *, buffer_km: float = 5.0, near_km: float = 50.0) -> dict:
    """Blindness of ``settlements`` along a route profile.

    Returns
    -------
    dict
        ``source``; ``points_near_route`` (ISO code -> points within ``near_km``
        of the route); ``km_without_settlement`` (ISO code -> km of route with
        no point within ``buffer_km``, by segment midpoints); ``route_km``
        (ISO code -> km of route); ``buffer_km``.
    """
    from wakhan.borders import country_at
    from wakhan.gaps import distance_to_nearest_km

    d = np.asarray(distance_km, dtype=np.float64)
    lon = np.asarray(lon, dtype=np.float64)
    lat = np.asarray(lat, dtype=np.float64)
    dist, _ = distance_to_nearest_km(lon, lat, settlements)
    seg = np.diff(d)
    far = (0.5 * (dist[1:] + dist[:-1])) > buffer_km
    mid_lon, mid_lat = 0.5 * (lon[1:] + lon[:-1]), 0.5 * (lat[1:] + lat[:-1])
    where = np.asarray(country_at(mid_lon, mid_lat))
    km_blind, km_total = {}, {}
    for code in sorted({str(c) for c in where}):
        inside = where == code
        key = code or "outside known borders"
        km_total[key] = round(float(seg[inside].sum()), 1)
        km_blind[key] = round(float(seg[inside & far].sum()), 1)
    # points near the route: distance from each point to the nearest route vertex
    if len(settlements):
        from wakhan.places import haversine_km
        w, e = lon.min() - 1, lon.max() + 1
        s, n = lat.min() - 1, lat.max() + 1
        box = (settlements.lon >= w) & (settlements.lon <= e) & (settlements.lat >= s) & (settlements.lat <= n)
        idx = np.flatnonzero(box)
        near = [i for i in idx if float(np.min(haversine_km(settlements.lon[i], settlements.lat[i], lon, lat)))
                <= near_km]
        codes = np.asarray(country_at(settlements.lon[near], settlements.lat[near])) if near else np.array([])
        points = {str(c) or "outside known borders": int(k) for c, k in zip(*np.unique(codes, return_counts=True))}
    else:
        points = {}
    return {"source": settlements.name, "buffer_km": buffer_km, "near_km": near_km, "points_near_route": points,
            "km_without_settlement": km_blind, "route_km": km_total}
