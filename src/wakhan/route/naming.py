"""Names for points on a route: gazetteer passes near a high point, places along the way."""

from __future__ import annotations

import numpy as np

from wakhan.places import haversine_km

__all__ = ["PASS_NAME_KM", "name_point", "places_along"]

#: A high point of a route takes the name of a gazetteer pass at most this far from it (great-circle km).
#: The one rule: the summary's ``passes[].name`` and the profile figure's pass labels both follow it.
PASS_NAME_KM = 5.0


def name_point(lon: float, lat: float, places, pass_km: float = PASS_NAME_KM, near_km: float = 30.0) -> dict:
    """``{"name", "nearest_place", "nearest_place_km"}`` for a high point.

    Parameters
    ----------
    lon, lat : float
        The point, degrees WGS84.
    places : iterable of Place
        Gazetteer (:func:`wakhan.places.load_places`).
    pass_km, near_km : float
        ``name`` is the gazetteer pass within ``pass_km`` (else None);
        ``nearest_place`` is the closest entry of any kind within ``near_km``
        (else None), at great-circle distance ``nearest_place_km``.

    Returns
    -------
    dict

    Examples
    --------
    A pass 0.02 deg of latitude north (2.22 km on the mean-radius sphere) and a
    village 0.1 deg north (11.1 km):

    >>> from wakhan.places import Place
    >>> gaz = [Place("Test Pass", (), 37.02, 71.0, "pass", "AF", "example"),
    ...        Place("Test Village", (), 37.1, 71.0, "village", "AF", "example")]
    >>> name_point(71.0, 37.0, gaz)
    {'name': 'Test Pass', 'nearest_place': 'Test Pass', 'nearest_place_km': 2.22}
    >>> name_point(71.0, 37.0, gaz[1:])["name"] is None
    True
    """
    places = list(places)
    out: dict[str, str | float | None] = {"name": None, "nearest_place": None, "nearest_place_km": None}
    if not places:
        return out
    d = haversine_km(lon, lat, [p.lon for p in places], [p.lat for p in places])
    kinds = np.array([str(p.kind).lower() for p in places])
    is_pass = kinds == "pass"
    if is_pass.any():
        k = int(np.flatnonzero(is_pass)[np.argmin(d[is_pass])])
        if d[k] <= pass_km:
            out["name"] = places[k].name
    k = int(np.argmin(d))
    if d[k] <= near_km:
        out["nearest_place"] = places[k].name
        out["nearest_place_km"] = round(float(d[k]), 2)
    return out


def places_along(profile, places, within_km: float = 5.0) -> list[dict]:
    """Gazetteer places within ``within_km`` of the route, in route order.

    Parameters
    ----------
    profile : Profile
    places : iterable of Place
    within_km : float
        Largest distance of a place from the nearest profile point.

    Returns
    -------
    list of dict
        ``{name, kind, lat, lon, km, offset_km, elevation_m}`` where ``km`` is the
        distance along the route of its closest point and ``offset_km`` how far off
        the route the place lies.

    Examples
    --------
    >>> from wakhan.places import Place
    >>> from wakhan.route.profile import Profile
    >>> p = Profile([0.0, 5.0, 10.0], [71.0, 71.05, 71.1], [37.0] * 3, [3000.0, 3100.0, 3200.0])
    >>> gaz = [Place("Far", (), 38.0, 71.05, "village", "AF", "x"), Place("Near", (), 37.01, 71.05, "village", "AF", "x")]
    >>> [(e["name"], e["km"], e["offset_km"]) for e in places_along(p, gaz)]
    [('Near', 5.0, 1.11)]
    """
    out = []
    for p in places:
        d = haversine_km(p.lon, p.lat, profile.lon, profile.lat)
        k = int(np.argmin(d))
        if d[k] <= within_km:
            out.append(
                {
                    "name": p.name,
                    "kind": p.kind,
                    "lat": round(float(p.lat), 6),
                    "lon": round(float(p.lon), 6),
                    "km": round(float(profile.distance_km[k]), 3),
                    "offset_km": round(float(d[k]), 2),
                    "elevation_m": round(float(profile.elevation_m[k]), 1),
                }
            )
    out.sort(key=lambda e: e["km"])
    return out
