"""How confined the valley a route runs in is, at the scale of its grid: a regressor tried for the road-length model.

Used by ``benchmarks/route_lengths.py`` (issue 17); not part of the toolkit, because the model
with it did worse on the held-back roads (see ``benchmarks/route_lengths.md``).

A road in a gorge follows the bends of its river; where the valley floor is narrower than a
grid cell, the grid cannot show those bends and the least-cost line runs straight down the
gorge (issue 17: the worst road-length misses were long gorge roads). The grid can still see
that the valley is confined: beside the line, one cell away on *both* sides, the terrain rises.

For each interior vertex of a solver path (a cell centre), the line's direction is taken from
its two neighbours on the path, and the DEM is read (bilinearly) one grid cell to the left
and one to the right, across that direction. The vertex's *confinement* is the mean rise of
the two sides over that distance,

    ((z_left - z) + (z_right - z)) / (2 * cell_m)

(dimensionless, like a slope): about the wall slope on a V-shaped valley floor narrower
than two cells, 0 on a plain or on a planar side slope (one side rises as much as the other
falls), negative on a ridge. The route's ``valley_confinement`` is the mean over its vertices,
each weighted by half the length of the moves on either side of it.

This definition was fixed, for the road-length benchmark (``benchmarks/route_lengths.md``),
after the gorge roads' misses had been seen but before its value on any held-back road was.
"""

from __future__ import annotations

import numpy as np

__all__ = ["valley_confinement"]


def _bilinear(z: np.ndarray, r: np.ndarray, c: np.ndarray) -> np.ndarray:
    """``z`` read bilinearly at fractional (row, col) indices, clamped to the grid."""
    h, w = z.shape
    r = np.clip(r, 0.0, h - 1.0)
    c = np.clip(c, 0.0, w - 1.0)
    r0 = np.minimum(np.floor(r).astype(np.int64), max(h - 2, 0))
    c0 = np.minimum(np.floor(c).astype(np.int64), max(w - 2, 0))
    r1, c1 = np.minimum(r0 + 1, h - 1), np.minimum(c0 + 1, w - 1)
    fr, fc = r - r0, c - c0
    top = z[r0, c0] * (1.0 - fc) + z[r0, c1] * fc
    bottom = z[r1, c0] * (1.0 - fc) + z[r1, c1] * fc
    return top * (1.0 - fr) + bottom * fr


def valley_confinement(paths, dem) -> float | None:
    """Length-weighted mean rise of the terrain one cell either side of the route's line (dimensionless).

    Parameters
    ----------
    paths : sequence of Path
        The route's solver paths (``rows``, ``cols``: the cells of the line, in order).
    dem : Grid
        The metric DEM the route was solved on (``array`` in metres, square-ish cells of
        ``res`` metres; the smaller side is the distance read across the line).

    Returns
    -------
    float or None
        ``sum(w_i * k_i) / sum(w_i)`` over interior vertices, ``k_i`` the mean rise of the two
        sides per metre of the cell (see the module), ``w_i`` half the length (m) of the moves
        either side; None when no path has an interior vertex or the terrain beside it is unknown.

    Examples
    --------
    A line down the floor of a V-shaped valley (walls rising 100 m per 1 km cell): the mean rise
    is 0.1; the same line on a plane tilted across it: 0.

    >>> from types import SimpleNamespace
    >>> v = np.abs(np.arange(5.0) - 2.0)[None, :] * np.ones((5, 1)) * 100.0
    >>> path = SimpleNamespace(rows=np.arange(5), cols=np.full(5, 2))
    >>> round(valley_confinement([path], SimpleNamespace(array=v, res=(1000.0, 1000.0))), 6)
    0.1
    >>> tilt = np.arange(5.0)[None, :] * np.ones((5, 1)) * 100.0
    >>> round(valley_confinement([path], SimpleNamespace(array=tilt, res=(1000.0, 1000.0))), 6)
    0.0
    """
    z = np.array(dem.array, dtype=np.float64)
    nodata = getattr(dem, "nodata", None)
    if nodata is not None:
        z[z == nodata] = np.nan
    cell_m = min(float(v) for v in dem.res)
    num = den = 0.0
    for path in paths:
        r = np.asarray(path.rows, dtype=np.float64)
        c = np.asarray(path.cols, dtype=np.float64)
        if r.size < 3:
            continue
        dr, dc = r[2:] - r[:-2], c[2:] - c[:-2]  # the line's direction at each interior vertex, in cells
        norm = np.hypot(dr, dc)
        ok = norm > 0.0
        ur, uc = np.where(ok, dr / np.where(ok, norm, 1.0), 0.0), np.where(ok, dc / np.where(ok, norm, 1.0), 0.0)
        vr, vc = -uc, ur  # across the line, one cell long
        rm, cm = r[1:-1], c[1:-1]
        zc = _bilinear(z, rm, cm)
        rise = 0.5 * ((_bilinear(z, rm + vr, cm + vc) - zc) + (_bilinear(z, rm - vr, cm - vc) - zc)) / cell_m
        step_m = np.hypot(np.diff(r), np.diff(c)) * cell_m
        w = 0.5 * (step_m[:-1] + step_m[1:])
        good = ok & np.isfinite(rise)
        num += float((w[good] * rise[good]).sum())
        den += float(w[good].sum())
    return num / den if den > 0.0 else None
