"""One accumulation on two threads: the grid split in two bands of rows, one bucket search per band.

Each thread runs the bucket-queue loop of :mod:`wakhan.solve.buckets_graded` (which releases the GIL)
on its own copy of the cost and backlink arrays. A thread *owns* the cells of its band and also
writes the ``reach`` rows of the other band next to the split (its *halo*, the cells its own
cells' moves reach); every cell further away is marked blocked (NaN) in its copy, so it never
enters them. No move between two cells of a thread's band and halo passes through a cell
outside them (a move's midpoint cells lie between its end rows), so those moves are priced and
blocked exactly as in the one-thread search.

Both threads process the same window of bucket keys (``WINDOW`` buckets), then exchange: each
takes every cell of its band whose cost the other's halo copy has lowered (with that copy's
backlink) and queues it at its new cost. Then the next window. A cell improved after its bucket
was processed is queued at the current bucket and settled again (label correcting), so the
search ends when both queues are empty and an exchange brings nothing.

Why the costs equal the one-thread search's bit for bit: every label is ``cost[u] + w(u, v)``
rounded, with the same ``w`` (same loop, same arithmetic), and each is the cost of a real path.
Each move is relaxed by the owner of its first cell, with that cell's final cost, into the
owner's copy, and the exchange carries halo labels to the other band, so at the end
``cost[v] <= cost[u] + w(u, v)`` for every move: the costs are the least, over all paths, of
each path's cost summed and rounded from its source, which is also what the one-thread search
settles (rounding is monotone). Backlinks: the move ``k`` whose label set the final cost. Where
two moves give the same (rounded) cost, the one-thread search keeps the first it settled and
this search may keep the other: backlinks then differ, each a move of the same cost.
"""

from __future__ import annotations

import threading

import numpy as np
from numba import njit

from wakhan.interrupt import map_interruptible, threads_allowed
from wakhan.memory import concurrent_solves
from wakhan.solve import (
    _cache,  # noqa: F401  (keys the kernels' Numba cache on their sources)
    buckets,
    buckets_graded,
)
from wakhan.solve._intrinsics import U
from wakhan.solve.kernels import MODE_SUM, UNREACHED

__all__: list[str] = []

#: Buckets per window between two exchanges: more windows cost more waits at the barrier; longer
#: ones let more paths cross the split between two exchanges, whose cells are then settled again.
WINDOW = 32


def usable(shape, inp, cells: int) -> bool:
    """Whether :func:`accumulate_two` applies: two threads allowed, memory for two copies, a
    graded model (the general loop), a sum of costs from sources to all cells, and two bands
    each wider than the moves' reach."""
    reach = int(max(np.abs(inp.off_r).max(), np.abs(inp.off_c).max()))
    return (
        threads_allowed(2) >= 2
        and concurrent_solves(cells, 2) >= 2
        and inp.z.size > 0
        and inp.mode == MODE_SUM
        and inp.goal < 0
        and shape[0] >= 4 * reach + 2
    )


def split_row(shape, sources) -> int:
    """The first row of the lower band: through the sources' median row, so that both bands take
    their share of the wave from the start, kept within the middle half of the grid."""
    nrows, ncols = shape
    r = int(np.median(np.asarray(sources) // ncols)) if len(sources) else nrows // 2
    return min(max(r, nrows // 4), nrows - nrows // 4)


@njit(cache=True, nogil=True)
def _prepare(cost, back, passable, lo, hi):
    """One thread's copy before its search: ``inf`` and ``UNREACHED`` in ``[lo, hi)`` (the band
    and its halo), NaN for the blocked cells there (``passable`` False) and for every cell
    outside, which the thread never enters."""
    check = passable.size > 0
    for i in range(cost.size):
        if i < lo or i >= hi or (check and not passable[i]):
            cost[i] = np.nan
        else:
            cost[i] = np.inf
        back[i] = UNREACHED


@njit(cache=True, nogil=True)
def _import(queue, consts, st, cost, back, ocost, oback, lo, hi):
    """Take the other copy's lower costs of cells ``[lo, hi)`` (this band's cells in its halo)
    and queue them at their new cost, in the current bucket at the earliest; returns how many
    of them are queued below the current bucket (to be settled again). The caller has made room
    in the pool for ``hi - lo`` new blocks."""
    head, fill, pool, poolc, bnext, free = queue
    _, _, inv, bmask, bsize = consts
    kcur, count, nfree, nused = st[0], st[1], st[2], st[3]
    late = 0
    for i in range(lo, hi):
        oc = ocost[U(i)]
        if not oc < cost[U(i)]:  # NaN (blocked) compares False
            continue
        cost[U(i)] = oc
        back[U(i)] = oback[U(i)]
        kb = np.int64(oc * inv)
        if kb < kcur:
            kb = kcur
            late += 1
        b = kb & bmask
        blk = head[b]
        if blk < 0 or fill[b] == bsize:
            if nfree > 0:
                nfree -= 1
                nb = free[nfree]
            else:
                nb = nused
                nused += 1
            bnext[nb] = blk
            head[b] = nb
            fill[b] = 0
            blk = nb
        pool[blk * bsize + fill[b]] = i
        poolc[blk * bsize + fill[b]] = oc
        fill[b] += 1
        count += 1
    st[1], st[2], st[3] = count, nfree, nused
    return late


@njit(cache=True, nogil=True)
def _finish(dst_cost, dst_back, src_cost, src_back, lo, hi):
    """A band's results into the output, its blocked cells (NaN) ``inf`` as the one-thread search leaves them."""
    for i in range(lo, hi):
        c = src_cost[i]
        dst_cost[i] = np.inf if np.isnan(c) else c
        dst_back[i] = src_back[i]


def accumulate_two(inp, shape, delta, nbuckets, cost_floor_per_m, cost, back):
    """Sum-of-costs accumulation from ``inp.sources`` on two threads; fills ``cost``/``back``.

    Parameters
    ----------
    inp : SearchInput
        A graded model's input (``inp.z`` not empty), no goal; see :func:`usable`.
    shape : (int, int)
        The grid's rows and columns.
    delta, nbuckets, cost_floor_per_m : float, int, float
        As for :func:`wakhan.solve.buckets.search_buckets` (no A*).
    cost, back : float64[:], int8[:]
        Outputs, any values on entry (the threads fill them); on return as the one-thread search
        leaves them (costs bit-identical; backlinks may differ where two moves tie, see the module doc).

    Returns
    -------
    (int, dict)
        Cells settled by both threads (a cell settled again counts again), and counts of the
        work: ``windows``, ``late`` (cells queued below the current bucket by an exchange),
        ``imported``.
    """
    nrows, ncols = shape
    split = split_row(shape, inp.sources)
    step = inp.off_r * ncols + inp.off_c
    reach = int(max(np.abs(inp.off_r).max(), np.abs(inp.off_c).max()))
    wfloor = inp.off_len * cost_floor_per_m * (1.0 - 1e-9)
    moves = (step, wfloor, reach, inp.mid_r * ncols + inp.mid_c)
    bsize = 64 if nbuckets <= 4096 else 8
    consts = (0, 0, 1.0 / delta, int(nbuckets - 1), bsize)
    cut = split * ncols
    halo = reach * ncols
    # band 0: rows [0, split) and its halo below; band 1: rows [split, nrows) and its halo above
    bands = [(0, cut, 0, cut + halo), (cut, cost.size, cut - halo, cost.size)]  # owned, then entered
    sides = []
    for side, (lo, hi, elo, ehi) in enumerate(bands):
        # band 0 searches in the outputs; band 1 in arrays of its own (filled by its thread, in parallel)
        c = cost if side == 0 else np.empty(cost.size)
        b = back if side == 0 else np.empty(cost.size, dtype=back.dtype)
        nblk = max(1024, 2 * inp.sources.size)
        queue = (
            np.full(nbuckets, -1, dtype=np.int32),
            np.zeros(nbuckets, dtype=np.int32),
            np.empty(nblk * bsize, dtype=np.int32),
            np.empty(nblk * bsize, dtype=np.float64),
            np.empty(nblk, dtype=np.int32),
            np.empty(nblk, dtype=np.int32),
        )
        st = np.zeros(6, dtype=np.int64)  # [kcur, count, nfree, nused, settled, kstop]
        src = inp.sources[(inp.sources >= lo) & (inp.sources < hi)]
        sides.append([queue, st, c, b, (lo, hi, elo, ehi), inp._replace(sources=src)])
    active = np.ones(2, dtype=np.int64)
    stats = np.zeros((2, 3), dtype=np.int64)  # per side: windows, late, imported
    gate = threading.Barrier(2)
    no_meet = (np.empty(0), np.zeros(4), 0)

    def run(side):
        me, other = sides[side], sides[1 - side]
        st, c, b = me[1], me[2], me[3]
        # this band's cells in the other's halo: the rows next to the split
        ilo, ihi = (cut - halo, cut) if side == 0 else (cut, cut + halo)
        lo, hi, elo, ehi = me[4]
        try:
            _prepare(c, b, inp.passable, elo, ehi)
            buckets._seed(me[5], me[0], consts, st, c, b)
            st[0] = 0  # the sources' bucket (no heuristic), also for a band without any
            kstop = WINDOW
            while True:
                st[5] = kstop
                while True:
                    status = buckets_graded._loop(inp, moves, me[0], consts, st, c, b, no_meet)
                    if status == 1:
                        me[0] = me[0][:2] + buckets._grow(*me[0][2:], bsize)
                    elif status != 2:
                        break
                if st[1] == 0:
                    st[0] = kstop  # empty: the next window starts here
                gate.wait()
                while st[2] + me[0][4].size - st[3] <= halo + step.size:
                    me[0] = me[0][:2] + buckets._grow(*me[0][2:], bsize)
                before = st[1]
                stats[side, 1] += _import(me[0], consts, st, c, b, other[2], other[3], ilo, ihi)
                stats[side, 2] += st[1] - before
                stats[side, 0] += 1
                active[side] = st[1]
                gate.wait()
                if active[0] == 0 and active[1] == 0:
                    _finish(cost, back, c, b, lo, hi)
                    return int(st[4])
                kstop += WINDOW
        except BaseException:
            gate.abort()  # the other thread leaves its wait with BrokenBarrierError
            raise

    settled = 0
    errors = []
    for value, exc in map_interruptible(run, [0, 1], workers=2):
        if exc is not None:
            errors.append(exc)
        else:
            settled += value
    real = [e for e in errors if not isinstance(e, threading.BrokenBarrierError)]
    if errors:
        raise (real or errors)[0]
    work = {"windows": int(stats[0, 0]), "late": int(stats[:, 1].sum()), "imported": int(stats[:, 2].sum())}
    return settled, work
