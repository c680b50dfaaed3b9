"""Points given in degrees: ``LAT,LON`` text as users type it, and great-circle distances.

The gazetteer (:mod:`wakhan.places`) matches names; this module reads coordinates, which need no
gazetteer. Both :func:`parse_latlon` and :func:`haversine_km` are re-exported by :mod:`wakhan.places`.
"""

from __future__ import annotations

import re

import numpy as np

from wakhan.errors import InputError

__all__ = ["parse_latlon", "haversine_km"]

_EARTH_RADIUS_KM = 6371.0088
_LATLON = re.compile(r"^\s*([+-]?\d+(?:\.\d*)?|[+-]?\.\d+)\s*(?:,|\s)\s*([+-]?\d+(?:\.\d*)?|[+-]?\.\d+)\s*$")

#: One coordinate with its hemisphere letter, as wakhan prints points ("37.22N", "37.39°N") or as a
#: map site gives them in degrees, minutes and seconds ("37°05′46″N").
_HEMI_COORD = (
    r"(\d+(?:\.\d*)?|\.\d+)\s*°?\s*(?:(\d+(?:\.\d*)?)\s*['′]\s*(?:(\d+(?:\.\d*)?)\s*(?:\"|″|''|′′)\s*)?)?([NSEWnsew])"
)
_HEMI_PAIR = re.compile(rf"^\s*{_HEMI_COORD}\s*,?\s*{_HEMI_COORD}\s*$")


def parse_latlon(text: str) -> tuple[float, float] | None:
    """``(lat, lon)`` in degrees from ``"LAT,LON"``, or from two coordinates with hemisphere letters.

    Decimal degrees, latitude first (``"37.096,74.487"``, ``"37.096 74.487"``), or each coordinate
    followed by N/S/E/W in any order, as wakhan prints points (``"37.22N 75.39E"``,
    ``"37.39°N 74.35°E"``) or in degrees, minutes and seconds (``"37°05′46″N 74°29′13″E"``); S and W
    are negative. Degree ranges are not checked here; minutes or seconds of 60 or more are refused.

    Parameters
    ----------
    text : str

    Returns
    -------
    (float, float) or None
        None when ``text`` is not coordinates (a place name, or two latitudes).

    Examples
    --------
    >>> parse_latlon("37.096,74.487"), parse_latlon("37.77500N, 75.22700E"), parse_latlon("74.35°E 37.39°N")
    ((37.096, 74.487), (37.775, 75.227), (37.39, 74.35))
    >>> lat, lon = parse_latlon("37°05′46″N 74°29′13″E")
    >>> round(lat, 4), round(lon, 4)
    (37.0961, 74.4869)
    >>> parse_latlon("33.9S, 18.4W"), parse_latlon("37.1N 38.2N"), parse_latlon("Kabul")
    ((-33.9, -18.4), None, None)
    >>> parse_latlon("37°65′46″N 74°29′13″E")
    Traceback (most recent call last):
    ...
    wakhan.errors.InputError: point '37°65′46″N 74°29′13″E' has 65 minutes, which must be below 60; give degrees, minutes and seconds as in 37°05′46″N 74°29′13″E
    """
    m = _LATLON.match(text)
    if m:
        return float(m.group(1)), float(m.group(2))
    m = _HEMI_PAIR.match(text)
    if not m:
        return None
    values: dict[str, float] = {}
    for deg, minutes, seconds, letter in (m.groups()[:4], m.groups()[4:]):
        for amount, unit in ((minutes, "minutes"), (seconds, "seconds")):
            if amount is not None and float(amount) >= 60:
                raise InputError(
                    f"point {text.strip()!r} has {amount} {unit}, which must be below 60; "
                    "give degrees, minutes and seconds as in 37°05′46″N 74°29′13″E"
                )
        value = float(deg) + float(minutes or 0) / 60 + float(seconds or 0) / 3600
        axis = "lat" if letter.upper() in "NS" else "lon"
        if axis in values:
            return None  # two latitudes or two longitudes: not a point
        values[axis] = -value if letter.upper() in "SW" else value
    return values["lat"], values["lon"]


def haversine_km(lon1, lat1, lon2, lat2):
    """Great-circle distance in km (spherical Earth, mean radius) between points in degrees.

    Parameters
    ----------
    lon1, lat1, lon2, lat2 : float or array-like
        WGS84 degrees; arrays broadcast.

    Returns
    -------
    float or ndarray
        Kilometres.

    Examples
    --------
    >>> round(float(haversine_km(0, 0, 0, 1)), 3)  # one degree of a meridian: 6371.0088 * pi / 180
    111.195
    """

    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(v, dtype=float)) for v in (lon1, lat1, lon2, lat2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
