"""Depopulated stretches along a route: where no settlement lies within a buffer.

Given a densely sampled route (cumulative ``distance_km`` and ``lon``/``lat`` of
each sample, e.g. a :class:`wakhan.route.Profile`) and a
:class:`~wakhan.settlements.Settlements` set, :func:`gaps` returns every stretch
of the route whose points are all farther than ``buffer_km`` from any settlement,
and :func:`longest_gap` the longest of them.

Method
------
* Distance to the nearest settlement at every sample: both sets are projected to
  an azimuthal equidistant projection centred on the route, the nearest
  settlement is found with a shapely STRtree, and its distance is then measured
  geodesically on the WGS84 ellipsoid (pyproj ``Geod``). Settlements farther
  than ``search_km`` beyond the route's extent are left out of the tree; a sample
  whose nearest kept settlement is farther than ``search_km`` is searched again
  against all settlements (haversine shortlist, then geodesic), so the answer is
  exact in either case up
  to the projection's scale error when picking among near-equidistant candidates
  (< 0.5 % within 1,000 km of the centre).
* A gap's ends are interpolated linearly between the last sample within the
  buffer and the first sample beyond it, where the distance crosses
  ``buffer_km``, so lengths depend little on the sampling step.
* A gap that begins at the first sample or ends at the last is *open*
  (``open_start``/``open_end``): it may run on beyond the route's ends.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from wakhan.borders import country_at
from wakhan.errors import InputError
from wakhan.places import haversine_km
from wakhan.settlements import Settlements

__all__ = [
    "Gap",
    "distance_to_nearest_km",
    "gaps",
    "longest_gap",
    "gap_table",
    "blindness",
    "COVERAGE_MIN_SHARE",
    "covered_countries",
    "flag_coverage",
]


@dataclass(frozen=True)
class Gap:
    """A stretch of route with no settlement within ``buffer_km`` of any point of it.

    Attributes
    ----------
    start_km, end_km, length_km : float
        Position along the route (interpolated) and length.
    start_lon, start_lat, end_lon, end_lat : float
        The ends in WGS84 degrees.
    start_neighbour, end_neighbour : str or None
        Name of the settlement nearest to each end (None without settlements).
    start_neighbour_km, end_neighbour_km : float or None
        Their distances from the ends.
    max_distance_km : float
        The farthest any sample of the gap lies from a settlement.
    buffer_km : float
        The buffer used.
    source : str
        Name of the settlement source.
    open_start, open_end : bool
        The gap begins at the route's first sample / ends at its last, so it may
        continue beyond the route.
    """

    start_km: float
    end_km: float
    length_km: float
    start_lon: float
    start_lat: float
    end_lon: float
    end_lat: float
    start_neighbour: str | None
    start_neighbour_km: float | None
    end_neighbour: str | None
    end_neighbour_km: float | None
    max_distance_km: float
    buffer_km: float
    source: str
    open_start: bool = False
    open_end: bool = False

    @property
    def neighbours(self) -> tuple[str | None, str | None]:
        """Names of the settlements nearest to the start and the end."""
        return (self.start_neighbour, self.end_neighbour)

    def as_dict(self) -> dict:
        return asdict(self)


# -- distances ---------------------------------------------------------------------
def _brute_nearest(lon, lat, slon, slat, chunk=256):
    """Geodesically nearest settlement for each point, by exhaustive search in chunks.

    Haversine (spherical) distances shortlist every settlement within 0.6 % of a
    point's spherical minimum (more than the sphere-ellipsoid difference); the
    shortlisted pairs are then measured on the WGS84 ellipsoid.
    """
    from pyproj import Geod

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
    import shapely
    from pyproj import Geod, Transformer

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


# -- gaps ----------------------------------------------------------------------------
def _check_route(distance_km, lon, lat):
    s = np.atleast_1d(np.asarray(distance_km, dtype=np.float64)).ravel()
    lon, lat = _as_points(lon, lat)
    if not (len(s) == len(lon)):
        raise InputError(f"route distance_km has {len(s)} values for {len(lon)} points; pass one per point")
    if len(s) < 2:
        raise InputError("a route needs at least two points to look for gaps along it")
    if not np.isfinite(s).all() or (np.diff(s) < 0).any():
        raise InputError("route distance_km must be finite and non-decreasing along the route")
    return s, lon, lat


def _check_buffer(buffer_km) -> float:
    b = float(buffer_km)
    if not np.isfinite(b) or b < 0:
        raise InputError(f"buffer {buffer_km!r} km is not a non-negative number; give kilometres, e.g. 5")
    return b


def _crossing(s, lon, lat, d, i, j, b):
    """Interpolated position where the distance crosses ``b`` between samples i (inside) and j (free)."""
    di, dj = d[i], d[j]
    t = 0.0 if not np.isfinite(dj) or dj == di else float(np.clip((b - di) / (dj - di), 0.0, 1.0))
    return (s[i] + t * (s[j] - s[i]), lon[i] + t * (lon[j] - lon[i]), lat[i] + t * (lat[j] - lat[i]))


def _gaps_from_distance(s, lon, lat, d, settlements: Settlements, buffer_km: float, min_length_km: float = 0.0):
    b = buffer_km
    free = d > b
    if not free.any():
        return []
    edges = np.diff(np.concatenate([[0], free.astype(np.int8), [0]]))
    starts = np.nonzero(edges == 1)[0]
    ends = np.nonzero(edges == -1)[0] - 1  # inclusive index of the last free sample
    raw = []
    for a, z in zip(starts, ends):
        open_start, open_end = a == 0, z == len(s) - 1
        s0, x0, y0 = (s[a], lon[a], lat[a]) if open_start else _crossing(s, lon, lat, d, a - 1, a, b)
        s1, x1, y1 = (s[z], lon[z], lat[z]) if open_end else _crossing(s, lon, lat, d, z + 1, z, b)
        if s1 - s0 >= min_length_km:
            raw.append((s0, s1, x0, y0, x1, y1, float(d[a : z + 1].max()), bool(open_start), bool(open_end)))
    if not raw:
        return []
    ends_lon = np.array([[r[2], r[4]] for r in raw]).ravel()
    ends_lat = np.array([[r[3], r[5]] for r in raw]).ravel()
    nd, ni = distance_to_nearest_km(ends_lon, ends_lat, settlements)
    out = []
    for k, (s0, s1, x0, y0, x1, y1, dmax, o0, o1) in enumerate(raw):
        names = []
        for m in (2 * k, 2 * k + 1):
            names.append((settlements.names[ni[m]] or "unnamed", float(nd[m])) if ni[m] >= 0 else (None, None))
        out.append(
            Gap(
                float(s0),
                float(s1),
                float(s1 - s0),
                float(x0),
                float(y0),
                float(x1),
                float(y1),
                names[0][0],
                names[0][1],
                names[1][0],
                names[1][1],
                dmax,
                b,
                settlements.source.name,
                o0,
                o1,
            )
        )
    return out


def gaps(distance_km, lon, lat, settlements: Settlements, buffer_km: float, *, min_length_km: float = 0.0) -> list[Gap]:
    """Every stretch of the route with no settlement within ``buffer_km``, in route order.

    Parameters
    ----------
    distance_km : array_like
        Cumulative distance of each sample along the route (non-decreasing).
    lon, lat : array_like
        The samples in WGS84 degrees; sample densely (a few hundred metres).
    settlements : Settlements
    buffer_km : float
        A point is "populated" when a settlement lies within this distance.
    min_length_km : float
        Leave out shorter stretches.
    """
    s, lon, lat = _check_route(distance_km, lon, lat)
    b = _check_buffer(buffer_km)
    d, _ = distance_to_nearest_km(lon, lat, settlements)
    return _gaps_from_distance(s, lon, lat, d, settlements, b, float(min_length_km))


def longest_gap(distance_km, lon, lat, settlements: Settlements, buffer_km: float) -> Gap | None:
    """The longest stretch with no settlement within ``buffer_km``; None when every sample has one.

    Without any settlement the whole route is one gap, open at both ends.
    """
    found = gaps(distance_km, lon, lat, settlements, buffer_km)
    return max(found, key=lambda g: g.length_km) if found else None


def gap_table(distance_km, lon, lat, settlements_list, buffers_km=(2, 5, 10, 20)) -> list[dict]:
    """Longest gap for every settlement source and buffer: the sensitivity of the answer.

    Returns
    -------
    list of dict
        One row per (source, buffer) with keys ``source``, ``coverage``,
        ``buffer_km``, ``length_km`` (0.0 when there is no gap), ``start_km``,
        ``end_km``, ``open_start``, ``open_end``, ``start_neighbour``,
        ``end_neighbour``, ``gap`` (the :class:`Gap` or None).
    """
    s, lon, lat = _check_route(distance_km, lon, lat)
    if isinstance(settlements_list, Settlements):
        settlements_list = [settlements_list]
    rows = []
    for st in settlements_list:
        d, _ = distance_to_nearest_km(lon, lat, st)
        for buffer_km in buffers_km:
            b = _check_buffer(buffer_km)
            found = _gaps_from_distance(s, lon, lat, d, st, b)
            g = max(found, key=lambda x: x.length_km) if found else None
            rows.append(
                {
                    "source": st.source.name,
                    "coverage": st.coverage,
                    "buffer_km": b,
                    "length_km": g.length_km if g else 0.0,
                    "start_km": g.start_km if g else None,
                    "end_km": g.end_km if g else None,
                    "open_start": g.open_start if g else False,
                    "open_end": g.open_end if g else False,
                    "start_neighbour": g.start_neighbour if g else None,
                    "end_neighbour": g.end_neighbour if g else None,
                    "gap": g,
                }
            )
    return rows


# --- how blind a settlement source is along a route -------------------------
# A long "depopulated" stretch may be a fact about the land or about the data.


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
        from wakhan.places import haversine_km

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


# --- which countries a settlement source covers -------------------------------
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
    the row gets ``coverage_limited`` and ``uncovered_countries``.
    """
    countries = np.asarray(country_at(profile.lon, profile.lat))
    d = np.asarray(profile.distance_km)
    for row in rows:
        inside = (d >= row["start_km"]) & (d <= row["end_km"])
        passed = {c for c in countries[inside] if c}
        missing = sorted(passed - covered.get(row["source"], passed))
        row["coverage_limited"] = bool(missing and row["length_km"] > 0)
        row["uncovered_countries"] = missing
    return rows
