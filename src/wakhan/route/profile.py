"""From solver paths on a metric DEM to an elevation profile with geodesic distances.

The solver returns cell-centre polylines in the DEM's projected CRS. A
:class:`Profile` densifies them to about the DEM's cell size, samples the DEM
bilinearly at every point, converts the points to longitude/latitude and
measures distance along the WGS84 ellipsoid (``pyproj.Geod``), so that lengths
do not carry the scale error of the map projection.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from pyproj import Geod, Transformer

from wakhan.errors import InputError, RouteError, option
from wakhan.grid import Grid

__all__ = ["Profile", "profile_from_path", "profile_from_lonlat", "geodesic_distance_km"]

_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True, eq=False)
class Profile:
    """Points along a route, in order, with distance and elevation.

    Parameters
    ----------
    distance_km : numpy.ndarray
        Cumulative geodesic distance from the first point, km (non-decreasing).
    lon, lat : numpy.ndarray
        Point positions, degrees WGS84.
    elevation_m : numpy.ndarray
        Elevation at each point, metres (NaN where the DEM has no data).
    x, y : numpy.ndarray or None
        Point positions in the DEM's projected CRS (``None`` for a profile read
        back from a file, which carries only longitude and latitude).

    Examples
    --------
    >>> p = Profile([0.0, 1.0, 2.5], [71.0, 71.01, 71.02], [37.0, 37.0, 37.0], [3000.0, 3100.0, float("nan")])
    >>> len(p), p.elevation_m.dtype.name, p.x is None
    (3, 'float64', True)
    """

    distance_km: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    elevation_m: np.ndarray
    x: np.ndarray | None = None
    y: np.ndarray | None = None

    def __post_init__(self):
        names = ("distance_km", "lon", "lat", "elevation_m", "x", "y")
        n = None
        for name in names:
            value = getattr(self, name)
            if value is None:
                continue
            arr = np.asarray(value, dtype=np.float64).reshape(-1)
            if n is None:
                n = arr.size
            elif arr.size != n:
                raise InputError(f"Profile.{name} has {arr.size} points, distance_km has {n}")
            object.__setattr__(self, name, arr)
        if (self.x is None) != (self.y is None):
            given, missing = ("x", "y") if self.y is None else ("y", "x")
            raise InputError(f"Profile.{given} is given without Profile.{missing}; give both or neither")
        if n is None or n < 2:
            raise InputError("a Profile needs at least two points")
        if np.any(np.diff(self.distance_km) < 0):
            raise InputError("Profile.distance_km must be non-decreasing")

    def __len__(self) -> int:
        return self.distance_km.size

    @property
    def length_km(self) -> float:
        return float(self.distance_km[-1] - self.distance_km[0])

    def at_km(self, km: float) -> tuple[float, float, float]:
        """``(lon, lat, elevation_m)`` interpolated at distance ``km`` along the profile."""
        d = self.distance_km
        return (
            float(np.interp(km, d, self.lon)),
            float(np.interp(km, d, self.lat)),
            float(np.interp(km, d, self.elevation_m)),
        )


def geodesic_distance_km(lon, lat) -> np.ndarray:
    """Cumulative WGS84 geodesic distance (km) along points ``lon, lat`` (degrees).

    Parameters
    ----------
    lon, lat : array_like
        Points in order, degrees WGS84.

    Returns
    -------
    numpy.ndarray
        Distance from the first point, km (0 first).

    Raises
    ------
    InputError
        A :class:`ValueError`, when ``lon`` and ``lat`` differ in length.

    Examples
    --------
    One degree of latitude from the equator is 110.574 km on the WGS84 ellipsoid:

    >>> geodesic_distance_km([0.0, 0.0], [0.0, 1.0]).round(3).tolist()
    [0.0, 110.574]
    """
    lon = np.asarray(lon, dtype=np.float64).reshape(-1)
    lat = np.asarray(lat, dtype=np.float64).reshape(-1)
    if lon.size != lat.size:
        raise InputError(f"lon has {lon.size} points, lat {lat.size}; give one latitude per longitude")
    out = np.zeros(lon.size)
    if lon.size > 1:
        _, _, step_m = _GEOD.inv(lon[:-1], lat[:-1], lon[1:], lat[1:])
        out[1:] = np.cumsum(np.asarray(step_m)) / 1000.0
    return out


def _densify(x: np.ndarray, y: np.ndarray, step: float) -> tuple[np.ndarray, np.ndarray]:
    """Insert points so that no segment of the polyline is longer than ``step``."""
    if x.size < 2:
        return x.copy(), y.copy()
    seg = np.hypot(np.diff(x), np.diff(y))
    parts = np.maximum(1, np.ceil(seg / step - 1e-9).astype(np.int64))
    # positions: for segment i, fractions 0, 1/k, ..., (k-1)/k; then the last point.
    seg_idx = np.repeat(np.arange(seg.size), parts)
    offsets = np.arange(seg_idx.size) - np.repeat(np.cumsum(parts) - parts, parts)
    frac = offsets / np.repeat(parts, parts)
    xd = np.append(x[seg_idx] + frac * (x[seg_idx + 1] - x[seg_idx]), x[-1])
    yd = np.append(y[seg_idx] + frac * (y[seg_idx + 1] - y[seg_idx]), y[-1])
    return xd, yd


def _sample_elevation(dem: Grid, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Bilinear DEM elevation, falling back to the containing cell beside missing cells."""
    z = dem.sample(x, y, method="bilinear")
    gaps = np.isnan(z)
    if gaps.any():
        z[gaps] = dem.sample(x[gaps], y[gaps], method="nearest")
    return z


def profile_from_path(paths, dem: Grid, *, step_m: float | None = None) -> Profile:
    """Profile along one solver path or several consecutive legs.

    Parameters
    ----------
    paths : wakhan.solve.Path or sequence of them
        Legs in order; each has map coordinates ``x, y`` of cell centres in
        ``dem``'s CRS. The first point of a leg that repeats the last point of the
        previous leg is dropped.
    dem : Grid
        The metric DEM the paths were solved on (projected CRS, metres).
    step_m : float, optional
        Densification step along the path; default the DEM's smaller cell size.

    Returns
    -------
    Profile
        Points every ``step_m`` or less, elevation sampled bilinearly from
        ``dem``, distance measured geodesically on WGS84.

    Examples
    --------
    Along a row of a plane rising 100 m per 1,000 m cell (UTM 43N): points every
    cell, elevations 0, 100, 200 m; 2,000 m of grid are 2.001 km on the ellipsoid
    (UTM scale 0.9996 on the central meridian).

    >>> from types import SimpleNamespace
    >>> from affine import Affine
    >>> from wakhan.grid import Grid
    >>> dem = Grid(np.tile(np.array([0.0, 100.0, 200.0], np.float32), (3, 1)),
    ...            Affine(1000.0, 0, 500_000, 0, -1000.0, 4_100_000), "EPSG:32643")
    >>> leg = SimpleNamespace(x=np.array([500_500.0, 502_500.0]), y=np.array([4_098_500.0, 4_098_500.0]))
    >>> p = profile_from_path(leg, dem)
    >>> p.elevation_m.round(1).tolist(), round(float(p.distance_km[-1]), 3)
    ([0.0, 100.0, 200.0], 2.001)
    """
    if hasattr(paths, "x") and hasattr(paths, "y"):
        paths = [paths]
    if dem.is_geographic:
        raise ValueError("profile_from_path needs the projected (metric) DEM the paths were solved on")
    step = float(step_m) if step_m else float(min(dem.res))
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    for leg in paths:
        lx = np.asarray(leg.x, dtype=np.float64)
        ly = np.asarray(leg.y, dtype=np.float64)
        if lx.size == 0:
            continue
        if xs and xs[-1].size and np.hypot(lx[0] - xs[-1][-1], ly[0] - ys[-1][-1]) < 1e-6:
            lx, ly = lx[1:], ly[1:]
        xs.append(lx)
        ys.append(ly)
    x = np.concatenate(xs) if xs else np.empty(0)
    y = np.concatenate(ys) if ys else np.empty(0)
    if x.size < 2:
        raise RouteError(
            "the route has fewer than two points: its start and end fall in the same DEM cell; "
            f"choose waypoints further apart or a finer {option('--resolution', 'resolution_m')}"
        )
    x, y = _densify(x, y, step)
    to_lonlat = Transformer.from_crs(dem.crs, "EPSG:4326", always_xy=True)
    lon, lat = to_lonlat.transform(x, y)
    lon, lat = np.asarray(lon), np.asarray(lat)
    z = _sample_elevation(dem, x, y)
    return Profile(geodesic_distance_km(lon, lat), lon, lat, z, x, y)


def profile_from_lonlat(lon: ArrayLike, lat: ArrayLike, elevation_m: ArrayLike) -> Profile:
    """Profile of given points (e.g. read back from GPX or CSV), distance measured geodesically.

    Parameters
    ----------
    lon, lat : array_like of float
        Points in order, degrees WGS84.
    elevation_m : array_like of float
        Elevation of each point, metres (NaN where unknown).

    Returns
    -------
    Profile
        Without projected ``x, y``.

    Raises
    ------
    InputError
        A :class:`ValueError`, naming the three lengths, when they differ.

    Examples
    --------
    >>> p = profile_from_lonlat([0.0, 0.0, 0.0], [0.0, 0.5, 1.0], [10.0, 20.0, 30.0])
    >>> p.distance_km.round(3).tolist(), p.x is None
    ([0.0, 55.287, 110.574], True)
    """
    lon = np.asarray(lon, dtype=np.float64).reshape(-1)
    lat = np.asarray(lat, dtype=np.float64).reshape(-1)
    z = np.asarray(elevation_m, dtype=np.float64).reshape(-1)
    if not lon.size == lat.size == z.size:
        raise InputError(f"lon has {lon.size} points, lat {lat.size}, elevation_m {z.size}; give one of each per point")
    return Profile(geodesic_distance_km(lon, lat), lon, lat, z)
