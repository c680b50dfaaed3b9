"""A route's GeoJSON line: lon/lat with elevation, simplified without losing its shape."""

from __future__ import annotations

import numpy as np

__all__ = ["simplify_indices", "simplified_linestring"]

_M_PER_DEG = 111_320.0


def _local_metres(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Equirectangular metres about the mean latitude (for simplification tolerances only)."""
    k = np.cos(np.radians(np.nanmean(lat)))
    return (lon - lon[0]) * _M_PER_DEG * k, (lat - lat[0]) * _M_PER_DEG


def simplify_indices(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Indices kept by Douglas-Peucker simplification of ``points`` (n x k) at ``tolerance``.

    Parameters
    ----------
    points : numpy.ndarray
        ``n x k`` coordinates (any units, the same in every column).
    tolerance : float
        Largest distance, in those units, of a dropped point from the kept line.

    Returns
    -------
    numpy.ndarray
        Indices of the kept points, ascending; the ends are always kept.

    Examples
    --------
    The peak (3, 5) is kept, then (2, 0) at 1.7 from the line to the peak; (1, 0.1)
    lies 0.1 from the line (0, 0)-(2, 0) and is dropped:

    >>> pts = np.array([[0, 0], [1, 0.1], [2, 0], [3, 5], [4, 0]], dtype=float)
    >>> simplify_indices(pts, 1.0).tolist()
    [0, 2, 3, 4]
    """
    n = points.shape[0]
    if n <= 2:
        return np.arange(n)
    keep = np.zeros(n, dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        i, j = stack.pop()
        if j - i < 2:
            continue
        a, b = points[i], points[j]
        seg = b - a
        inner = points[i + 1 : j] - a
        seg2 = float(seg @ seg)
        if seg2 == 0.0:
            dist = np.sqrt(np.sum(inner**2, axis=1))
        else:
            t = np.clip(inner @ seg / seg2, 0.0, 1.0)
            dist = np.sqrt(np.sum((inner - t[:, None] * seg) ** 2, axis=1))
        k = int(np.argmax(dist))
        if dist[k] > tolerance:
            m = i + 1 + k
            keep[m] = True
            stack.append((i, m))
            stack.append((m, j))
    return np.flatnonzero(keep)


def simplified_linestring(profile, tolerance_m: float = 20.0) -> dict:
    """GeoJSON LineString ``[lon, lat, elevation_m]`` kept within ``tolerance_m`` (3-D) of the profile.

    Parameters
    ----------
    profile : Profile
    tolerance_m : float
        Largest 3-D distance (metres, equirectangular about the mean latitude) of
        a dropped profile point from the line.

    Returns
    -------
    dict
        GeoJSON LineString; a missing elevation is ``None``.

    Examples
    --------
    Three points on one straight, evenly rising line: the middle one goes.

    >>> from wakhan.route.profile import profile_from_lonlat
    >>> p = profile_from_lonlat([71.0, 71.01, 71.02], [37.0, 37.0, 37.0], [3000.0, 3010.0, 3020.0])
    >>> simplified_linestring(p)["coordinates"]
    [[71.0, 37.0, 3000.0], [71.02, 37.0, 3020.0]]
    """
    x, y = _local_metres(profile.lon, profile.lat)
    z = np.nan_to_num(profile.elevation_m, nan=0.0)
    idx = simplify_indices(np.column_stack([x, y, z]), tolerance_m)
    coords = [
        [
            round(float(profile.lon[i]), 6),
            round(float(profile.lat[i]), 6),
            round(float(profile.elevation_m[i]), 1) if np.isfinite(profile.elevation_m[i]) else None,
        ]
        for i in idx
    ]
    return {"type": "LineString", "coordinates": coords}
