"""Numba: the one price of an edge, shared by every search kernel and by the step costs of a path.

See :mod:`wakhan.cost` for the formulae. A move within the 8-neighbourhood ``a -> b`` is one piece;
a longer move (16/32 neighbours) is two half-moves ``a -> m -> b`` through its midpoint
``m``, whose elevation ``z[m]`` is the bilinear interpolation of the DEM at the
fractional cell ``(r + dr/2, c + dc/2)`` (the precomputed cells and weights ``hm_*``)::

    grade_pct = 100.0 * dz / piece_length      # dz = z[to] - z[from] of the piece
    impassable if abs(grade_pct) > max_grade_pct for any piece (or z[m] is NaN)
    cost = sum over pieces of piece_length * cost_per_m(kind, params, grade_pct, piece_zmean)
    cost *= (f[a] + f[b]) / 2

The highway's earthworks term is added to it by :func:`wakhan.solve.earthworks.with_earthworks`
(before friction). The search loops read the elevations themselves and call :func:`edge_cost_z`;
:func:`edge_cost` reads them from ``z`` for use elsewhere.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from wakhan.cost.kinds import (
    HW_ALTITUDE_SURCHARGE,
    HW_ALTITUDE_THRESHOLD_M,
    HW_DESIGN_GRADE_BAND0,
    HW_DESIGN_SCALE_BAND0,
    HW_DOWNHILL_WEIGHT,
    HW_GRADE_SCALE_PCT,
    HW_HAIRPIN_COST_PER_M,
    HW_UPHILL_WEIGHT,
    ISO_COST_PER_M,
    KIND_HIGHWAY,
    KIND_WALKING,
    WK_ALTITUDE_FLOOR,
    WK_ALTITUDE_LOSS_PER_M,
    WK_ALTITUDE_ONSET_M,
    WK_SLOPE_COEFFICIENT,
    WK_SLOPE_OFFSET,
    WK_SPEED_KMH,
)
from wakhan.solve import _cache  # noqa: F401  (keys the kernels' Numba cache on their sources)

__all__ = ["cost_per_m", "midpoint_z", "two_half_cost", "edge_cost", "edge_cost_z", "edge_grade"]


@njit(cache=True, nogil=True, inline="always")
def cost_per_m(kind, params, grade_pct, zmean):
    """Cost of one metre at ``grade_pct`` (kinds: the ``KIND_*`` constants of :mod:`wakhan.cost`).

    Highway: a road at the design grade ``gd(zmean)``; steeper terrain is developed
    (switchbacks, ``r = |grade| / gd`` times the length, plus hairpins), see
    :mod:`wakhan.cost`. ``params`` is the model's :meth:`kernel_params` vector, or
    the same values as a tuple (the search kernels pass a tuple: an array passed
    into an inlined function costs two atomic reference-count updates per call).

    Examples
    --------
    A highway metre at 4 % (half the 8 % grade scale) below 3,000 m costs ``1 + (4/8)**2``:

    >>> from wakhan.cost import HighwayModel, KIND_HIGHWAY
    >>> kind, p = HighwayModel().kernel_params()
    >>> kind == KIND_HIGHWAY, float(cost_per_m(kind, p, 0.0, 1000.0)), float(cost_per_m(kind, p, 4.0, 1000.0))
    (True, 1.0, 1.25)
    """
    if kind == KIND_HIGHWAY:
        # Branch-free (grade signs, switchbacks and bands are unpredictable): with r = max(|g| / gd, 1)
        # and s = min(|g|, gd) / g0 both cases are r * (1 + w s^2) + (r - 1) * hairpin, exactly. One
        # division: |g| <= gd gives r = 1 and s = |g| / g0, |g| > gd gives r = |g| / gd and s = gd / g0
        # (a parameter slot, divided once per model): the same IEEE operations on the same values.
        # The design grade of the piece's 1,000 m band above 3,000 m: selects, not a table lookup
        # (a runtime index into the parameter tuple compiles to an indirect jump).
        gd = params[HW_DESIGN_GRADE_BAND0]
        gd_scaled = params[HW_DESIGN_SCALE_BAND0]
        if zmean >= 3000.0:
            gd = params[HW_DESIGN_GRADE_BAND0 + 1]
            gd_scaled = params[HW_DESIGN_SCALE_BAND0 + 1]
        if zmean >= 4000.0:
            gd = params[HW_DESIGN_GRADE_BAND0 + 2]
            gd_scaled = params[HW_DESIGN_SCALE_BAND0 + 2]
        if zmean >= 5000.0:
            gd = params[HW_DESIGN_GRADE_BAND0 + 3]
            gd_scaled = params[HW_DESIGN_SCALE_BAND0 + 3]
        a = 1.0 + params[HW_ALTITUDE_SURCHARGE] if zmean > params[HW_ALTITUDE_THRESHOLD_M] else 1.0
        w = params[HW_UPHILL_WEIGHT] if grade_pct > 0.0 else params[HW_DOWNHILL_WEIGHT]
        g = abs(grade_pct)
        steep = g > gd
        q = g / (gd if steep else params[HW_GRADE_SCALE_PCT])
        r = q if steep else 1.0
        s = gd_scaled if steep else q
        return (r * (1.0 + w * s * s) + (r - 1.0) * params[HW_HAIRPIN_COST_PER_M]) * a
    if kind == KIND_WALKING:
        speed_kmh = params[WK_SPEED_KMH] * math.exp(
            -params[WK_SLOPE_COEFFICIENT] * abs(grade_pct / 100.0 + params[WK_SLOPE_OFFSET])
        )
        loss_per_m = params[WK_ALTITUDE_LOSS_PER_M]
        if loss_per_m > 0.0 and zmean > params[WK_ALTITUDE_ONSET_M]:
            # altitude term: speed x max(1 - loss_per_m * (zmean - onset), floor)
            speed_kmh *= max(1.0 - loss_per_m * (zmean - params[WK_ALTITUDE_ONSET_M]), params[WK_ALTITUDE_FLOOR])
        return 3.6 / speed_kmh
    return params[ISO_COST_PER_M]


@njit(cache=True, nogil=True, inline="always")
def midpoint_z(z, u, hm_step4, hm_w4, k):
    """Bilinear elevation at the midpoint of move ``k`` from flat cell ``u``.

    ``sum(hm_w4[k, j] * z[u + hm_step4[k, j]])`` over the 4 slots of
    :func:`wakhan.solve.moves.midpoint_slots` (the 2 or 4 cells around the midpoint); NaN when any
    of them is nodata. Elevations are read as float64 whatever ``z``'s dtype
    (float32 -> float64 is exact). The search loops write this sum out in place (see
    :func:`edge_cost_z`).

    Examples
    --------
    A 2 x 3 grid, flat index ``r * 3 + c``; the move (+1 row, +2 columns) from cell 0 has its
    midpoint at row 0.5, column 1, halfway between cells 1 and 4 (the two unused slots point at
    ``u`` with weight 0): ``0.5 * 200 + 0.5 * 600``.

    >>> z = np.array([100.0, 200.0, 300.0, 400.0, 600.0, 800.0], np.float32)
    >>> hm_step4, hm_w4 = np.array([[1, 4, 0, 0]]), np.array([[0.5, 0.5, 0.0, 0.0]])
    >>> float(midpoint_z(z, 0, hm_step4, hm_w4, 0))
    400.0
    """
    zm = 0.0
    for j in range(4):
        zm += hm_w4[k, j] * np.float64(z[u + hm_step4[k, j]])
    return zm


@njit(cache=True, nogil=True, inline="always")
def two_half_cost(kind, params, max_grade_pct, za, zm, zb, half):
    """Cost of the travel ``a -> m -> b`` over two pieces of length ``half``.

    Returns -1.0 when either piece is steeper than ``max_grade_pct`` or ``zm``
    is NaN.

    Examples
    --------
    Two 50 m pieces climbing 2 m each (4 %) cost what one 100 m piece at 4 % does,
    ``100 * (1 + (4/8)**2)``; over a 3 % limit, or with no midpoint elevation, the move is impassable:

    >>> from wakhan.cost import HighwayModel
    >>> kind, p = HighwayModel().kernel_params()
    >>> float(two_half_cost(kind, p, 60.0, 0.0, 2.0, 4.0, 50.0)), float(two_half_cost(kind, p, 3.0, 0.0, 2.0, 4.0, 50.0))
    (125.0, -1.0)
    >>> float(two_half_cost(kind, p, 60.0, 0.0, np.nan, 4.0, 50.0))
    -1.0
    """
    g1 = 100.0 * (zm - za) / half
    g2 = 100.0 * (zb - zm) / half
    if not (abs(g1) <= max_grade_pct and abs(g2) <= max_grade_pct):
        return -1.0
    return half * cost_per_m(kind, params, g1, 0.5 * (za + zm)) + half * cost_per_m(kind, params, g2, 0.5 * (zm + zb))


@njit(cache=True, nogil=True, inline="always")
def edge_cost_z(kind, params, max_grade_pct, length, za, zm, zb, long_move):
    """THE edge-cost formula, on the elevations of the move's ends and midpoint; -1.0 when impassable.

    ``za``, ``zb``: elevations (m) where the travel starts and ends; ``zm``: the bilinear
    midpoint (:func:`midpoint_z`), read only when ``long_move`` (a move beyond the
    8-neighbourhood, priced as two half-moves); ``length``: the move's metric length.
    Scalars only: the search loops read the elevations themselves and call this, because an
    array passed into an inlined function costs an atomic reference-count increment and
    decrement per call (per priced edge) that Numba's pruning does not remove from a loop
    this large.

    Examples
    --------
    >>> from wakhan.cost import HighwayModel
    >>> kind, p = HighwayModel().kernel_params()
    >>> float(edge_cost_z(kind, p, 60.0, 100.0, 0.0, 0.0, 4.0, False))  # 4 % up: 1 + (4/8)**2 per metre
    125.0
    """
    if long_move:
        return two_half_cost(kind, params, max_grade_pct, za, zm, zb, 0.5 * length)
    gp = 100.0 * (zb - za) / length
    if abs(gp) > max_grade_pct:
        return -1.0
    return length * cost_per_m(kind, params, gp, 0.5 * (za + zb))


@njit(cache=True, nogil=True, inline="always")
def edge_cost(z, u, v, k, off_len, hm_ptr, hm_step4, hm_w4, kind, params, max_grade_pct, reverse):
    """Cost of move ``k`` between flat cells ``u -> v`` before friction; -1.0 when impassable.

    The edge-cost formula of every kernel (:func:`edge_cost_z`, see the module doc and
    :mod:`wakhan.cost`) with the elevations read from ``z``: one piece within the
    8-neighbourhood, two half-moves through the bilinear midpoint otherwise; ``reverse``
    prices the travel ``v -> u``. ``z`` is empty for a grade-blind model (cost
    ``length * params[ISO_COST_PER_M]``). For use outside the search loops (which read
    the elevations themselves, see :func:`edge_cost_z`).

    Examples
    --------
    One 100 m move (no midpoint) climbing 4 m: 4 % up costs ``1 + (4/8)**2`` per metre,
    the reverse travel (4 % down) ``1 + 0.5 (4/8)**2``:

    >>> from wakhan.cost import HighwayModel
    >>> kind, p = HighwayModel().kernel_params()
    >>> z, off_len = np.array([0.0, 4.0]), np.array([100.0])
    >>> hm_ptr, hm_step4, hm_w4 = np.zeros(2, np.int64), np.zeros((1, 4), np.int64), np.zeros((1, 4))
    >>> float(edge_cost(z, 0, 1, 0, off_len, hm_ptr, hm_step4, hm_w4, kind, p, 60.0, False))
    125.0
    >>> float(edge_cost(z, 0, 1, 0, off_len, hm_ptr, hm_step4, hm_w4, kind, p, 60.0, True))
    112.5
    >>> float(edge_cost(z, 0, 1, 0, off_len, hm_ptr, hm_step4, hm_w4, kind, p, 3.0, False))  # over a 3 % limit
    -1.0
    """
    length = off_len[k]
    if z.size == 0:
        return length * params[ISO_COST_PER_M]
    za = np.float64(z[u])
    zb = np.float64(z[v])
    if reverse:
        za, zb = zb, za
    long_move = hm_ptr[k + 1] > hm_ptr[k]
    zm = midpoint_z(z, u, hm_step4, hm_w4, k) if long_move else 0.0
    return edge_cost_z(kind, params, max_grade_pct, length, za, zm, zb, long_move)


@njit(cache=True, nogil=True, inline="always")
def edge_grade(z, u, v, k, off_len, hm_ptr, hm_step4, hm_w4):
    """Largest ``abs(grade_pct)`` over the pieces of move ``k`` from ``u`` to ``v``; NaN on nodata.

    Examples
    --------
    >>> z, off_len = np.array([0.0, 4.0]), np.array([100.0])
    >>> hm_ptr, hm_step4, hm_w4 = np.zeros(2, np.int64), np.zeros((1, 4), np.int64), np.zeros((1, 4))
    >>> float(edge_grade(z, 1, 0, 0, off_len, hm_ptr, hm_step4, hm_w4))
    4.0
    """
    length = off_len[k]
    za = np.float64(z[u])
    zb = np.float64(z[v])
    if hm_ptr[k + 1] > hm_ptr[k]:
        zm = midpoint_z(z, u, hm_step4, hm_w4, k)
        half = 0.5 * length
        g1 = abs(100.0 * (zm - za) / half)
        g2 = abs(100.0 * (zb - zm) / half)
        return g1 if g1 > g2 else g2
    return abs(100.0 * (zb - za) / length)
