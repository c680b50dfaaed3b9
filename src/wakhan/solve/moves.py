"""The neighbourhood's geometry: moves, the cells each crosses, and long moves' midpoints.

A move of the 8-neighbourhood is graded end to end; a longer one (16 or 32 neighbours) is graded as
two halves through its midpoint, the bilinear interpolation of the cells around it. These are plain
Python (at most 32 moves); :mod:`wakhan.solve.graph` turns them into the flat arrays the kernels read.
"""

from __future__ import annotations

import numpy as np

from wakhan.errors import InputError

__all__ = ["neighbour_offsets", "midpoint_cells", "midpoint_slots"]


_EXTRA_MOVES = {8: [], 16: [(1, 2), (2, 1)], 32: [(1, 2), (2, 1), (1, 3), (3, 1), (2, 3), (3, 2)]}


def neighbour_offsets(neighbours: int):
    """Moves ``(dr, dc)`` of a neighbourhood, and the cells each move's segment crosses.

    Returns
    -------
    moves : list of (int, int)
    crossed : list of list of (int, int)
        For each move, the cells other than its two ends whose interior the
        straight segment between the cell centres passes through.

    Examples
    --------
    >>> moves, crossed = neighbour_offsets(16)
    >>> len(moves), moves[8], crossed[8]
    (16, (-1, -2), [(-1, -1), (0, -1)])
    """
    if neighbours not in _EXTRA_MOVES:
        raise InputError(f"neighbours={neighbours!r} is not supported; use 8, 16 or 32")
    base = [(dr, dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1) if (dr, dc) != (0, 0)]
    moves = list(base)
    for a, b in _EXTRA_MOVES[neighbours]:
        moves += [(sa * a, sb * b) for sa in (-1, 1) for sb in (-1, 1)]
    crossed = []
    steps = 1000  # even, so no sample lands on the half-integer boundaries of these moves
    t = (np.arange(steps) + 0.5) / steps
    for dr, dc in moves:
        rr = np.rint(t * dr).astype(int)
        cc = np.rint(t * dc).astype(int)
        cells = sorted({(int(r), int(c)) for r, c in zip(rr, cc)} - {(0, 0), (dr, dc)})
        crossed.append(cells)
    return moves, crossed


def midpoint_cells(dr: int, dc: int):
    """The cells around the midpoint of move ``(dr, dc)`` and their bilinear weights.

    Returns
    -------
    list of ((int, int), float)
        Offsets from the move's start cell with weights summing to 1; empty
        for a move of the 8-neighbourhood (graded end to end, no midpoint).

    Examples
    --------
    >>> midpoint_cells(1, 2)
    [((0, 1), 0.5), ((1, 1), 0.5)]
    >>> midpoint_cells(1, 1)
    []
    """
    if max(abs(dr), abs(dc)) <= 1:
        return []
    out = []
    for r, wr in _axis_weights(dr):
        for c, wc in _axis_weights(dc):
            out.append(((r, c), wr * wc))
    return out


def _axis_weights(d: int):
    """Linear interpolation weights at ``d / 2`` along one axis: [(cell, weight)]."""
    if d % 2 == 0:
        return [(d // 2, 1.0)]
    lo = (d - 1) // 2
    return [(lo, 0.5), (lo + 1, 0.5)]


def midpoint_slots(ncols: int, hm_ptr, hm_r, hm_c, hm_w):
    """Each move's midpoint cells as 4 fixed slots: flat offsets ``(noff, 4)`` and weights.

    A midpoint between 2 cells repeats them in slots 2-3 with weight 0 (adding
    ``0 * z`` leaves the sum exactly unchanged), so :func:`~wakhan.solve.edges.midpoint_z` runs a
    fixed, unrolled 4-term sum instead of a variable-length loop. Built once
    per search by :func:`~wakhan.solve.graph.search_input` (plain Python: at most 32 moves).

    Examples
    --------
    The knight's move (1, 2) on a 10-column grid: its midpoint is the mean of the cells
    at flat offsets 1 and 11 (slots 2-3 repeat them with weight 0):

    >>> step4, w4 = midpoint_slots(10, np.array([0, 2]), np.array([0, 1]), np.array([1, 1]), np.array([0.5, 0.5]))
    >>> step4.tolist(), w4.tolist()
    ([[1, 11, 1, 11]], [[0.5, 0.5, 0.0, 0.0]])
    """
    noff = hm_ptr.size - 1
    step4 = np.zeros((noff, 4), dtype=np.int64)
    w4 = np.zeros((noff, 4), dtype=np.float64)
    for k in range(noff):
        n = int(hm_ptr[k + 1] - hm_ptr[k])
        for j in range(4):
            if n == 0:
                break
            i = hm_ptr[k] + j % n
            step4[k, j] = hm_r[i] * ncols + hm_c[i]
            w4[k, j] = hm_w[i] if j < n else 0.0
    return step4, w4
