"""Numba kernel: the bucket-queue search loop for models that grade their edges.

:func:`wakhan.solve.buckets.search_buckets` runs this loop (:mod:`wakhan.solve.parallel` runs it
on two threads) whenever the model reads elevations (``inp.z`` not empty); a grade-blind model
gets the smaller loop of :mod:`wakhan.solve.buckets_flat`. For each settled cell it prices the
candidate moves with :func:`~wakhan.solve.edges.edge_cost_z` (the elevations and midpoints read
here), the earthworks term (:mod:`wakhan.solve.earthworks`) and friction, then relaxes them into
the bucket queue described in :mod:`wakhan.solve.buckets`.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from wakhan.solve import _cache  # noqa: F401  (keys the kernels' Numba cache on their sources)
from wakhan.solve._intrinsics import U, fixed_tuple, lowest_bit, prefetch
from wakhan.solve.buckets_flat import PUBLISH_EVERY, meeting_stops
from wakhan.solve.earthworks import cell_gradient, with_earthworks
from wakhan.solve.edges import edge_cost_z
from wakhan.solve.kernels import N_PARAMS

__all__: list[str] = []


@njit(cache=True, nogil=True, error_model="numpy")
def _loop(inp, moves, queue, consts, st, cost, back, meet):
    """The search proper; returns 1 when the block pool must grow first, 2 after settling
    :data:`~wakhan.solve.buckets_flat.PUBLISH_EVERY` cells (to show progress), 3 when the
    stopping rule of a bidirectional pair holds, 4 when the lowest non-empty bucket reaches
    ``st[5]`` (only where ``st`` has that sixth field: a window of keys of
    :mod:`wakhan.solve.parallel`), 0 when done.

    ``inp`` is the :class:`~wakhan.solve.kernels.SearchInput`; ``moves`` the
    per-move values ``(step, wfloor, reach, mid_step)``;
    ``queue`` the bucket queue ``(head, fill, pool, poolc, bnext, free)``;
    ``consts`` ``(gr, gc, inv, bmask, bsize)``. ``st`` holds the loop state
    ``[kcur, count, nfree, nused, settled]`` so that the loop can stop for the
    (rare) pool growth and resume. Keeping array reassignment out of this loop
    keeps Numba's generated code fast; the fields are read into locals once.

    ``meet`` is ``(other, shared, side)``: for one search of a bidirectional pair
    (:mod:`wakhan.solve.bidirectional`), ``other`` is the opposite search's cost
    array, read as it runs on another thread, ``shared`` the pair's float64
    ``[top_0, top_1, mu_0, mu_1, margin]`` (each side writes only its own ``top``,
    the key below which all its cells are settled, and ``mu``, the cheapest
    start-goal path it has seen through a cell both searches labelled) and
    ``side`` 0 or 1. The loop stops by :func:`wakhan.solve.buckets_flat.meeting_stops`
    (this side past half the best path seen plus ``margin``). A stale read of the
    other side only delays that stop; the pair's driver picks the meeting move
    after both threads have joined, from labels the timing cannot change
    (:func:`wakhan.solve.buckets_flat._seam_levels`). ``other`` empty: one search.
    """
    z, friction, nrows, ncols, off_r, off_c, off_len = (
        inp.z,
        inp.friction,
        inp.nrows,
        inp.ncols,
        inp.off_r,
        inp.off_c,
        inp.off_len,
    )
    mid_ptr, hm_ptr, kind, max_grade_pct = inp.mid_ptr, inp.hm_ptr, inp.kind, inp.max_grade_pct
    params = fixed_tuple(inp.params, N_PARAMS)  # a tuple: no reference counting in the loop
    goal, hfactor, dx, dy, reverse = inp.goal, inp.hfactor, inp.dx, inp.dy, inp.reverse
    step, wfloor, reach, mid_step = moves
    hm_step4, hm_w4 = inp.hm_step4, inp.hm_w4
    sg, spx, spy = inp.side_g, inp.side_px, inp.side_py  # earthworks (empty: none; sg interleaved east, north)
    use_ew = spx.size > 0
    stored = sg.size > 0  # else the gradient is computed from z (a grid too large to store it)
    # cells around each move's midpoint: 0 (a move of the 8-neighbourhood), 2 or 4 (the slots of midpoint_z;
    # a 2-cell midpoint's slots 2-3 add 0 * z, exactly nothing, so they are not read)
    hm_n = hm_ptr[1:] - hm_ptr[:-1]
    long_mask = np.int64(0)  # the moves with a midpoint, as bits
    for k in range(hm_n.size):
        if hm_n[k] > 0:
            long_mask |= np.int64(1) << k
    wbuf = np.empty(off_len.size)  # each candidate move's price, for the cell being settled
    head, fill, pool, poolc, bnext, free = queue
    gr, gc, inv, bmask, bsize = consts
    use_f = friction.size > 0
    noff = off_r.size
    astar = hfactor > 0.0 and goal >= 0
    kcur, count, nfree, nused, settled = st[0], st[1], st[2], st[3], st[4]
    kstop = st[5] if st.size > 5 else np.int64(1) << 62  # the end of a window of keys (parallel.py)
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
            if kcur >= kstop:
                status = 4
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
        if f > 1:  # the entry after next: start loading its cost, for its stale test below
            prefetch(cost, np.int64(pool[U(blk * bsize + f - 2)]))
        # the next entry of this bucket, unless stale (its cost line was prefetched one pop ago): start
        # loading its neighbourhood now (1.5 of every 2.5 pops are stale: their neighbourhoods are not read)
        nxt = np.int64(pool[U(blk * bsize + f - 1)]) if f > 0 else np.int64(0)
        if f > 0 and cost[U(nxt)] == poolc[U(blk * bsize + f - 1)]:
            for pr in range(-reach, reach + 1):
                prefetch(cost, nxt + pr * ncols)
                prefetch(z, nxt + pr * ncols)
                if use_f:
                    prefetch(friction, nxt + pr * ncols)
                if stored:  # the earthworks' gradients (both in one line)
                    prefetch(sg, 2 * (nxt + pr * ncols))
        du = cost[U(u)]
        if du != pushed:
            continue  # a stale entry: u's cost improved after this push (and it was settled then)
        settled += 1
        if u == goal:
            count = 0
            break
        # row = u // ncols without an integer division (slow, and in the hot loop)
        ur = np.int64(u * inv_ncols)
        if ur * ncols > u:
            ur -= 1
        elif (ur + 1) * ncols <= u:
            ur += 1
        uc = u - ur * ncols
        fu = friction[U(u)] if use_f else 1.0
        interior = ur >= reach and ur < nrows - reach and uc >= reach and uc < ncols - reach
        # The moves worth pricing, as a bit mask built without a branch per neighbour: a neighbour
        # whose cost is within wfloor[k] of u's is settled, blocked (NaN) or cannot improve (no edge
        # k costs under wfloor[k]). Then the set bits in increasing k, as a plain loop over k would.
        cand = np.int64(0)
        if interior:
            for k in range(noff):
                cand |= np.int64(cost[U(u + step[k])] > du + wfloor[k]) << k
        else:
            for k in range(noff):
                vr = ur + off_r[k]
                vc = uc + off_c[k]
                if vr >= 0 and vr < nrows and vc >= 0 and vc < ncols:
                    cand |= np.int64(cost[U(u + step[k])] > du + wfloor[k]) << k
        gxu = gyu = 0.0
        if use_ew and cand != 0:  # the earthworks' terrain gradient at u, once for all its moves
            if stored:
                gxu, gyu = np.float64(sg[U(2 * u)]), np.float64(sg[U(2 * u + 1)])
            else:
                gxu, gyu = cell_gradient(z, ur, uc, nrows, ncols, dx, dy)
        # First price every candidate move into wbuf (no branch on the search's state between the
        # divisions, so the CPU overlaps them), the 8-neighbourhood's moves and the long ones apart (no
        # branch per move on its kind); then relax in increasing k, as one loop over both did.
        zu = np.float64(z[U(u)])
        imp = np.int64(0)  # the candidate moves that improve their neighbour's cost, as bits
        for ph in range(2):
            todo = cand & long_mask if ph else cand & ~long_mask
            long_move = ph == 1
            while todo != 0:
                k = lowest_bit(todo)
                todo &= todo - 1
                v = u + step[k]
                # the edge's price (edges.edge_cost, with the elevations read here: see edge_cost_z)
                length = off_len[k]
                za = zu
                zb = np.float64(z[U(v)])
                if reverse:
                    za, zb = zb, za
                zm = 0.0
                if long_move:  # edges.midpoint_z
                    zm = hm_w4[k, 0] * np.float64(z[U(u + hm_step4[k, 0])]) + hm_w4[k, 1] * np.float64(
                        z[U(u + hm_step4[k, 1])]
                    )
                    if hm_n[k] > 2:
                        zm = zm + hm_w4[k, 2] * np.float64(z[U(u + hm_step4[k, 2])])
                        zm = zm + hm_w4[k, 3] * np.float64(z[U(u + hm_step4[k, 3])])
                w = edge_cost_z(kind, params, max_grade_pct, length, za, zm, zb, long_move)
                if use_ew:
                    if stored:
                        gxv, gyv = np.float64(sg[U(2 * v)]), np.float64(sg[U(2 * v + 1)])
                    else:
                        gxv, gyv = cell_gradient(z, ur + off_r[k], uc + off_c[k], nrows, ncols, dx, dy)
                    w = with_earthworks(w, length, params, gxu, gyu, gxv, gyv, spx[k], spy[k])
                if use_f:
                    w *= 0.5 * (fu + friction[U(v)])
                nd = du + w
                # improves v (never a settled or blocked (NaN) neighbour; w < 0 or NaN: impassable)
                imp |= np.int64((w >= 0.0) & (nd < cost[U(v)])) << k
                wbuf[k] = nd
        while imp != 0:
            k = lowest_bit(imp)
            imp &= imp - 1
            v = u + step[k]
            cv = cost[U(v)]
            nd = wbuf[k]
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
                vr = ur + off_r[k]
                vc = uc + off_c[k]
                key += hfactor * math.sqrt(((vr - gr) * dy) ** 2 + ((vc - gc) * dx) ** 2)
            kb = np.int64(key * inv)
            if kb < kcur:
                kb = kcur
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
            pool[blk * bsize + fill[b]] = v
            poolc[blk * bsize + fill[b]] = nd
            fill[b] += 1
            count += 1
    st[0], st[1], st[2], st[3], st[4] = kcur, count, nfree, nused, settled
    return status
