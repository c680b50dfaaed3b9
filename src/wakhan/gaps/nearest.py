"""Distance from each sample of a route to its nearest settlement: projected STRtree, then geodesic."""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import Geod, Transformer

from wakhan.errors import InputError
from wakhan.places import haversine_km
from wakhan.settlements import Settlements

__all__ = ["distance_to_nearest_km"]


def _brute_nearest(lon, lat, slon, slat, chunk=256):
    """Geodesically nearest settlement for each point, by exhaustive search in chunks.

    Haversine (spherical) distances shortlist every settlement within 0.6 % of a
    point's spherical minimum (more than the sphere-ellipsoid difference); the
    shortlisted pairs are then measured on the WGS84 ellipsoid.
    """
    geod = Geod(ellps="WGS84")
    dist = np.empty(len(lon))
    idx = np.empty(len(lon), dtype=np.int64)
    for i in range(0, len(lon), chunk):
        d = haversine_km(lon[i : i + chunk, None], lat[i : i + chunk, None], slon[None, :], slat[None, :])
        rows, cols = np.nonzero(d <= d.min(axis=1, keepdims=True) * 1.006 + 1e-3)
        _, _, dm = geod.inv(lon[i + rows], lat[i + rows], slon[cols], slat[cols])
        dm = np.asarray(dm) / 1000.0
        order = np.lexsort((dm, rows))  # by row, then distance
        first = order[np.r_[True, rows[order][1:] != rows[order][:-1]]]
        idx[i + rows[first]] = cols[first]
        dist[i + rows[first]] = dm[first]
    return dist, idx


def _as_points(lon, lat, what="route"):
    lon = np.atleast_1d(np.asarray(lon, dtype=np.float64)).ravel()
    lat = np.atleast_1d(np.asarray(lat, dtype=np.float64)).ravel()
    if lon.shape != lat.shape:
        raise InputError(f"{what} lon and lat differ in length ({len(lon)} vs {len(lat)}); pass one per point")
    if not (np.isfinite(lon).all() and np.isfinite(lat).all()) or (np.abs(lat) > 90).any():
        raise InputError(f"{what} has missing or out-of-range coordinates; pass finite WGS84 degrees")
    return lon, lat


def distance_to_nearest_km(lon, lat, settlements: Settlements, *, search_km: float = 200.0):
    """Geodesic distance (km) from each point to its nearest settlement, and that settlement's index.

    Parameters
    ----------
    lon, lat : array_like
        Points in WGS84 degrees.
    settlements : Settlements
    search_km : float
        Settlements farther than this beyond the points' extent are searched only
        for points with no settlement within this distance (see module notes).

    Returns
    -------
    dist_km : numpy.ndarray
        ``inf`` where there are no settlements at all.
    index : numpy.ndarray of int64
        Index into ``settlements`` (-1 without settlements).
    """
    lon, lat = _as_points(lon, lat)
    n = len(lon)
    if len(settlements) == 0 or n == 0:
        return np.full(n, np.inf), np.full(n, -1, dtype=np.int64)
    slon, slat = settlements.lon, settlements.lat
    lon0 = float((lon.min() + lon.max()) / 2)
    lat0 = float((lat.min() + lat.max()) / 2)
    reach = float(haversine_km(lon0, lat0, lon, lat).max())
    near = np.nonzero(haversine_km(lon0, lat0, slon, slat) <= reach + search_km)[0]
    idx = np.full(n, -1, dtype=np.int64)
    dist = np.full(n, np.inf)
    if len(near):
        tr = Transformer.from_crs(
            "EPSG:4326", f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +datum=WGS84 +units=m", always_xy=True
        )
        sx, sy = tr.transform(slon[near], slat[near])
        px, py = tr.transform(lon, lat)
        tree = shapely.STRtree(shapely.points(sx, sy))
        pairs = tree.query_nearest(shapely.points(px, py), all_matches=False)
        idx[pairs[0]] = near[pairs[1]]
        _, _, d_m = Geod(ellps="WGS84").inv(lon, lat, slon[idx], slat[idx])
        dist = np.asarray(d_m, dtype=np.float64) / 1000.0
    far = ~(dist <= search_km)
    if far.any():
        # a settlement left out of the tree may be nearer than anything in it
        d_far, i_far = _brute_nearest(lon[far], lat[far], slon, slat)
        better = d_far < dist[far]
        fi = np.nonzero(far)[0][better]
        idx[fi] = i_far[better]
        dist[fi] = d_far[better]
    return dist, idx
