"""The gaps along a route (stretches with no settlement within a buffer), the longest one, the gap table."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from wakhan.errors import InputError
from wakhan.gaps.nearest import _as_points, distance_to_nearest_km
from wakhan.settlements import Settlements

__all__ = ["Gap", "gaps", "longest_gap", "gap_table"]


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
