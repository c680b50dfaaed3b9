"""Numba kernel: the bucket-queue search loop for grade-blind models.

:func:`wakhan.solve.buckets.search_buckets` runs this loop instead of
:func:`wakhan.solve.buckets._loop` when the model ignores grades (``inp.z``
empty, e.g. the isotropic model): each move's cost before friction is then a
constant (``off_len * params[ISO_COST_PER_M]``), so no edge is priced through
:func:`~wakhan.solve.kernels.edge_cost` and the loop is small enough for the
compiler to keep more of its state in registers. Same queue, same state, same
results as the general loop.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from wakhan.solve import _cache  # noqa: F401  (keys the kernels' Numba cache on their sources)
from wakhan.solve._intrinsics import U, prefetch

#: The search loops hand back to their Python driver after settling this many cells (status 2), so that
#: the count in ``st[4]`` is current for a progress display (:mod:`wakhan.solve.progress`) without a
#: store or a call per cell in the loop; the driver resumes them at once.
PUBLISH_EVERY = 1 << 20

__all__: list[str] = []


@njit(cache=True, nogil=True, inline="always")
def meeting_stops(shared, side, top, mu):
    """The stopping rule of a bidirectional pair, tested by each search when its lowest bucket empties.

    Every cell of this search (``side`` 0 or 1) nearer than ``top`` is settled: publish ``top`` in
    ``shared[side]`` (the pair's ``[top_0, top_1, mu_0, mu_1]``, see :func:`wakhan.solve.buckets._loop`)
    and return whether ``top_0 + top_1 >= min(mu_0, mu_1)``, i.e. no start-goal path cheaper than the
    best seen (``mu``, this side's own, or the other's) is left to find. A stale read of the other
    side only delays the stop.

    Examples
    --------
    >>> shared = np.array([0.0, 40.0, np.inf, 100.0])  # the other side has settled up to 40, seen a path of 100
    >>> bool(meeting_stops(shared, 0, 50.0, np.inf)), float(shared[0])
    (False, 50.0)
    >>> bool(meeting_stops(shared, 0, 60.0, 120.0))
    True
    """
    shared[side] = top
    return top + shared[1 - side] >= min(mu, shared[3 - side])


@njit(cache=True, nogil=True)
def _loop_flat(inp, moves, queue, consts, st, cost, back, meet):
    """:func:`_loop` for a grade-blind model (``inp.z`` empty): ``moves[1]`` holds each move's cost
    ``off_len * params[ISO_COST_PER_M]`` instead of ``wfloor``. Without the grade pricing the loop is small
    enough for the compiler to keep more of its state in registers (about 10 % faster)."""
    friction, nrows, ncols, off_r, off_c, mid_ptr = (
        inp.friction,
        inp.nrows,
        inp.ncols,
        inp.off_r,
        inp.off_c,
        inp.mid_ptr,
    )
    goal, hfactor, dx, dy = inp.goal, inp.hfactor, inp.dx, inp.dy
    step, wlen, reach, mid_step = moves
    head, fill, pool, poolc, bnext, free = queue
    gr, gc, inv, bmask, bsize = consts
    use_f = friction.size > 0
    noff = off_r.size
    astar = hfactor > 0.0 and goal >= 0
    kcur, count, nfree, nused, settled = st[0], st[1], st[2], st[3], st[4]
    capacity = bnext.size
    inv_ncols = 1.0 / ncols
    has_mid = mid_step.size > 0
    other, shared, side = meet  # the opposite search of a bidirectional pair (other empty: none)
    bidir = other.size > 0
    mu = shared[2 + side] if bidir else math.inf
    top_slack = (1.0 - 1e-9) / inv  # a key under kcur * top_slack lies in a bucket below kcur
    status = 0
    stop = settled + PUBLISH_EVERY
    while count > 0:
        if nfree + capacity - nused <= noff:
            status = 1
            break
        if settled >= stop:
            status = 2  # back to the driver, which shows st[4] to a progress display, then resumes
            break
        b = kcur & bmask
        blk = head[U(b)]
        if blk < 0:
            kcur += 1
            if bidir and meeting_stops(shared, side, kcur * top_slack, mu):
                status = 3
                break
            continue
        f = fill[U(b)] - 1
        u = np.int64(pool[U(blk * bsize + f)])
        pushed = poolc[U(blk * bsize + f)]
        count -= 1
        if f == 0:
            head[b] = bnext[blk]
            fill[b] = bsize
            free[nfree] = blk
            nfree += 1
        else:
            fill[U(b)] = f
        if f > 0:  # the next entry of this bucket: start loading its neighbourhood now
            nxt = np.int64(pool[U(blk * bsize + f - 1)])
            for pr in range(-reach, reach + 1):
                prefetch(cost, nxt + pr * ncols)
                if use_f:
                    prefetch(friction, nxt + pr * ncols)
        du = cost[U(u)]
        if du != pushed:
            continue  # a stale entry: u's cost improved after this push (and it was settled then)
        settled += 1
        if u == goal:
            count = 0
            break
        ur = np.int64(u * inv_ncols)  # u // ncols without an integer division
        if ur * ncols > u:
            ur -= 1
        elif (ur + 1) * ncols <= u:
            ur += 1
        uc = u - ur * ncols
        fu = friction[U(u)] if use_f else 1.0
        interior = ur >= reach and ur < nrows - reach and uc >= reach and uc < ncols - reach
        for k in range(noff):
            if not interior:
                vr = ur + off_r[k]
                vc = uc + off_c[k]
                if vr < 0 or vr >= nrows or vc < 0 or vc >= ncols:
                    continue
            v = u + step[k]
            cv = cost[U(v)]
            w = wlen[k]
            if use_f:
                w *= 0.5 * (fu + friction[U(v)])
            nd = du + w
            if not nd < cv:
                continue  # settled, blocked (NaN), or no improvement
            if has_mid:
                blocked = False
                for m in range(mid_ptr[k], mid_ptr[k + 1]):
                    if math.isnan(cost[u + mid_step[m]]):
                        blocked = True
                        break
                if blocked:
                    continue
            cost[U(v)] = nd
            nd = cost[U(v)]  # as stored: rounded when the costs are float32 (a no-op for float64)
            if not nd < cv:
                continue  # float32 rounding left v's cost as it was
            back[U(v)] = k
            if bidir:  # a path through v: this search's cost to v plus the other's from v
                through = nd + other[U(v)]
                if through < mu:
                    mu = through
                    shared[2 + side] = mu
            key = nd
            if astar:
                key += hfactor * math.sqrt(((ur + off_r[k] - gr) * dy) ** 2 + ((uc + off_c[k] - gc) * dx) ** 2)
            kb = np.int64(key * inv)
            if kb < kcur:
                kb = kcur
            b = kb & bmask
            blk = head[U(b)]
            fb = fill[U(b)]  # in a local: pool and fill may alias for the compiler
            if blk < 0 or fb == bsize:
                if nfree > 0:
                    nfree -= 1
                    nb = free[nfree]
                else:
                    nb = nused
                    nused += 1
                bnext[nb] = blk
                head[b] = nb
                fb = 0
                blk = nb
            pool[U(blk * bsize + fb)] = v
            poolc[U(blk * bsize + fb)] = nd
            fill[U(b)] = fb + 1
            count += 1
    st[0], st[1], st[2], st[3], st[4] = kcur, count, nfree, nused, settled
    return status
