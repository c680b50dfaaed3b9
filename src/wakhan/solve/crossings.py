"""High points along a path: where a route crosses a ridge (a pass or col).

A pure function of a 1-D elevation profile, used by the tunnel search
(:mod:`wakhan.solve.tunnels`, which looks for portal pairs around each crossing)
and by route statistics (:mod:`wakhan.route.stats`, which names the passes).
"""

from __future__ import annotations

import numpy as np

__all__ = ["find_passes"]


def find_passes(distance_km: np.ndarray, elevation_m: np.ndarray, min_prominence_m: float = 300.0):
    """Indices and prominences of interior local maxima at least ``min_prominence_m`` prominent.

    Parameters
    ----------
    distance_km : ndarray
        Distance along the path (km), increasing; not used by the test itself
        but kept so that callers pass a profile, not a bare array.
    elevation_m : ndarray
        Elevation at each point (m).
    min_prominence_m : float
        How far (m) the high point must rise above the higher of the two lowest
        points that separate it from higher ground on either side.

    Returns
    -------
    list of (int, float)
        ``(index, prominence_m)`` for each crossing, in path order.

    Examples
    --------
    >>> import numpy as np
    >>> find_passes(np.arange(5.0), np.array([1000.0, 1500, 2000, 1200, 900]), 300)
    [(2, 1000.0)]
    """
    z = elevation_m
    n = z.size
    if n < 3:
        return []
    cand = np.flatnonzero((z[1:-1] >= z[:-2]) & (z[1:-1] > z[2:])) + 1
    out = []
    for i in cand:
        zi = z[i]
        if zi - min(z[:i].min(), z[i + 1 :].min()) < min_prominence_m:
            continue
        higher_left = np.flatnonzero(z[:i] > zi)
        lo = higher_left[-1] if higher_left.size else 0
        higher_right = np.flatnonzero(z[i + 1 :] > zi)
        hi = i + 1 + higher_right[0] if higher_right.size else n - 1
        base = max(z[lo:i].min(), z[i + 1 : hi + 1].min())
        prominence = zi - base
        if prominence >= min_prominence_m:
            out.append((int(i), float(prominence)))
    return out
