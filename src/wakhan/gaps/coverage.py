"""How blind a settlement source is along a route, and which countries it covers.

A long "depopulated" stretch may be a fact about the land or about the data:
:func:`blindness` measures the km of route without a point of the source, by
country; :func:`flag_coverage` marks gap-table rows that run through a country
the source has (almost) no points in.
"""

from __future__ import annotations

import numpy as np

from wakhan.borders import country_at
from wakhan.gaps.nearest import distance_to_nearest_km
from wakhan.places import haversine_km

__all__ = ["blindness", "COVERAGE_MIN_SHARE", "covered_countries", "flag_coverage"]


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
        w, e = lon.min() - 1, lon.max() + 1
        s, n = lat.min() - 1, lat.max() + 1
        box = (settlements.lon >= w) & (settlements.lon <= e) & (settlements.lat >= s) & (settlements.lat <= n)
        idx = np.flatnonzero(box)
        near = [
            i for i in idx if float(np.min(haversine_km(settlements.lon[i], settlements.lat[i], lon, lat))) <= near_km
        ]
        codes = np.asarray(country_at(settlements.lon[near], settlements.lat[near])) if near else np.array([])
        points = {str(c) or "outside known borders": int(k) for c, k in zip(*np.unique(codes, return_counts=True))}
    else:
        points = {}
    return {
        "source": settlements.name,
        "buffer_km": buffer_km,
        "near_km": near_km,
        "points_near_route": points,
        "km_without_settlement": km_blind,
        "route_km": km_total,
    }


#: A source covers a country when at least this share of its points lie in it: a
#: handful of border villages (Who's On First has 2 points in China) is no coverage.
COVERAGE_MIN_SHARE = 0.01


def covered_countries(lon, lat, country_at=country_at) -> set:
    """ISO codes of the countries holding at least :data:`COVERAGE_MIN_SHARE` of the points.

    ``country_at``: ``(lon, lat) -> ISO codes`` (default :func:`wakhan.borders.country_at`).
    """
    codes, counts = np.unique(np.asarray(country_at(lon, lat)), return_counts=True)
    total = max(int(counts.sum()), 1)
    return {str(c) for c, n in zip(codes, counts) if c and n / total >= COVERAGE_MIN_SHARE}


def flag_coverage(rows: list, profile, covered: dict) -> list:
    """Mark gap-table rows whose gap runs through a country its source has no points in.

    ``covered``: source name -> set of ISO codes the source has settlements in.
    Such a gap is as long as it is for want of data, not for want of people;
    the row gets ``coverage_limited`` and ``uncovered_countries``. A row without a gap (every
    point of the route within the buffer of a settlement: ``start_km`` is None) runs through
    no country, so it is not limited.
    """
    countries = np.asarray(country_at(profile.lon, profile.lat))
    d = np.asarray(profile.distance_km)
    for row in rows:
        if row["start_km"] is None:
            row["coverage_limited"], row["uncovered_countries"] = False, []
            continue
        inside = (d >= row["start_km"]) & (d <= row["end_km"])
        passed = {c for c in countries[inside] if c}
        missing = sorted(passed - covered.get(row["source"], passed))
        row["coverage_limited"] = bool(missing and row["length_km"] > 0)
        row["uncovered_countries"] = missing
    return rows
