"""Numba kernel: the bucket-queue search loop for grade-blind models.

:func:`wakhan.solve.buckets.search_buckets` runs this loop instead of
:func:`wakhan.solve.buckets_graded._loop` when the model ignores grades (``inp.z``
empty, e.g. the isotropic model): each move's cost before friction is then a
constant (``off_len * params[ISO_COST_PER_M]``), so no edge is priced through
:func:`~wakhan.solve.edges.edge_cost` and the loop is small enough for the
compiler to keep more of its state in registers. Same queue, same state, same
results as the general loop.

It also holds the two kernels of a bidirectional pair (:mod:`wakhan.solve.bidirectional`) that both
loops share or that read both searches' results: the stopping rule :func:`meeting_stops` and the
seam scan :func:`_seam_levels`, which picks the meeting move independently of the threads' timing.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from wakhan.solve import _cache  # noqa: F401  (keys the kernels' Numba cache on their sources)
from wakhan.solve._intrinsics import U, fixed_tuple, prefetch
from wakhan.solve.earthworks import cell_gradient, with_earthworks
from wakhan.solve.edges import edge_cost
from wakhan.solve.kernels import N_PARAMS

#: The search loops hand back to their Python driver after settling this many cells (status 2), so that
#: the count in ``st[4]`` is current for a progress display (:mod:`wakhan.solve.progress`) without a
#: store or a call per cell in the loop; the driver resumes them at once.
PUBLISH_EVERY = 1 << 20

__all__: list[str] = []


@njit(cache=True, nogil=True, inline="always")
def meeting_stops(shared, side, top, mu):
    """The stopping rule of a bidirectional pair, tested by each search when its lowest bucket empties.

    Every cell of this search (``side`` 0 or 1) nearer than ``top`` is settled: publish ``top`` in
    ``shared[side]`` (the pair's ``[top_0, top_1, mu_0, mu_1, margin]``, see
    :func:`wakhan.solve.buckets_graded._loop`) and return whether this side may stop. With ``mu`` the cheapest
    start-goal path seen (this side's own, or the other's), it stops once ``top >= mu / 2 + margin``
    (``mu`` given a relative 1e-9 for rounding): each side then settles at least every cell nearer
    than half the least cost ``d <= mu`` plus the margin, whatever the other thread's speed, which is
    what :func:`_seam_levels` needs to pick the meeting move independently of the timing; and
    ``top_0 + top_1 > mu``, the standard rule, holds once both have stopped. While no path is seen, it
    stops only when the other side has run out of cells (``top = inf``): the two are not connected.
    A stale read of the other side only delays the stop.

    Examples
    --------
    >>> shared = np.array([0.0, 40.0, np.inf, 100.0, 2.0])  # the other side has seen a path of 100
    >>> bool(meeting_stops(shared, 0, 50.0, np.inf)), float(shared[0])  # 50 < 100 / 2 + 2
    (False, 50.0)
    >>> bool(meeting_stops(shared, 0, 53.0, 120.0)), bool(meeting_stops(shared, 0, 51.0, 90.0))
    (True, True)
    >>> bool(meeting_stops(np.array([0.0, np.inf, np.inf, np.inf, 2.0]), 0, 5.0, np.inf))  # the other ran out
    True
    """
    shared[side] = top
    best = min(mu, shared[3 - side])
    if best == math.inf:
        return top + shared[1 - side] >= best
    return top >= 0.5 * best * (1.0 + 1e-9) + shared[4]


@njit(cache=True, nogil=True)
def _seam_levels(inp, moves, cost_f, cost_b, h, best_v, best_x, best_k):
    """The cheapest start-goal path through each move ``x -> y`` of the seam of a bidirectional pair, by level.

    Every move ``x -> y`` (``moves`` = ``(step, mid_step)``, the flat offsets of ``inp``'s moves and of
    the cells they pass through) with ``x`` labelled by the forward search (``cost_f``) and ``y`` by the
    backward one (``cost_b``) is priced as the forward search prices it (:func:`edge_cost`, the grade
    limit, earthworks and friction; a move through a blocked cell is skipped) and gives the path
    ``cost_f[x] + w + cost_b[y]``. Its level is ``floor(max(cost_f[x], cost_b[y]) / h) + 1``: the
    smallest ``k`` for which both labels are under ``k * h``. For each level ``k`` below
    ``best_v.size``, ``best_v[k]`` (``inf`` on entry) receives the cheapest such path and
    ``best_x[k]``, ``best_k[k]`` its ``x`` and move; among equal costs the lowest ``x``, then the lowest
    move, is kept. Only labels under ``(best_v.size - 1) * h`` are read: the caller has made both
    searches settle every cell below that, so those labels, and the result, do not depend on how far
    past it either search ran. Moves through which a path costs ``2 (best_v.size - 1) h`` or more are
    left out.
    """
    friction, nrows, ncols, off_r, off_c, off_len = (
        inp.friction,
        inp.nrows,
        inp.ncols,
        inp.off_r,
        inp.off_c,
        inp.off_len,
    )
    passable, mid_ptr, hm_ptr, hm_step4, hm_w4 = inp.passable, inp.mid_ptr, inp.hm_ptr, inp.hm_step4, inp.hm_w4
    side_g, side_px, side_py = inp.side_g, inp.side_px, inp.side_py
    params = fixed_tuple(inp.params, N_PARAMS)
    step, mid_step = moves
    use_f = friction.size > 0
    use_ew = side_px.size > 0
    stored = side_g.size > 0
    check_mid = passable.size > 0
    kmax = best_v.size - 1
    # A move x -> y of the seam costs at least cost_f[x] + cost_b[x]: the backward search, settling y,
    # labelled x through it. Moves of paths over 2 kmax h cannot certify a level (see the caller), so x
    # is priced only where that sum is under it (1e-9: the two searches round the move's price apart).
    bound = 2.0 * kmax * h * (1.0 + 1e-9)
    for x in range(cost_f.size):
        cf = cost_f[x]
        if not cf + cost_b[x] < bound or np.int64(cf / h) + 1 > kmax:
            continue
        xr = x // ncols
        xc = x - xr * ncols
        for k in range(off_r.size):
            yr = xr + off_r[k]
            yc = xc + off_c[k]
            if yr < 0 or yr >= nrows or yc < 0 or yc >= ncols:
                continue
            y = x + step[k]
            cb = cost_b[y]
            if not cb < math.inf:
                continue
            lv = np.int64(max(cf, cb) / h) + 1
            if lv > kmax:
                continue
            blocked = False
            if check_mid:
                for m in range(mid_ptr[k], mid_ptr[k + 1]):
                    if not passable[x + mid_step[m]]:
                        blocked = True
                        break
            if blocked:
                continue
            w = edge_cost(inp.z, x, y, k, off_len, hm_ptr, hm_step4, hm_w4, inp.kind, params, inp.max_grade_pct, False)
            if use_ew:  # as the searches add it
                if stored:
                    gxu, gyu = np.float64(side_g[2 * x]), np.float64(side_g[2 * x + 1])
                    gxv, gyv = np.float64(side_g[2 * y]), np.float64(side_g[2 * y + 1])
                else:
                    gxu, gyu = cell_gradient(inp.z, xr, xc, nrows, ncols, inp.dx, inp.dy)
                    gxv, gyv = cell_gradient(inp.z, yr, yc, nrows, ncols, inp.dx, inp.dy)
                w = with_earthworks(w, off_len[k], params, gxu, gyu, gxv, gyv, side_px[k], side_py[k])
            if use_f:
                w *= 0.5 * (friction[x] + friction[y])
            if not w >= 0.0:
                continue  # impassable (grade limit, nodata midpoint)
            through = cf + w + cb
            if through < best_v[lv]:
                best_v[lv] = through
                best_x[lv] = x
                best_k[lv] = k


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
