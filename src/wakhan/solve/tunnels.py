"""Road tunnels: a straight bore between two portal cells where it is cheaper than the road over the top.

A tunnel joins portal cells ``a`` and ``b`` in a straight line whose elevation
runs linearly from ``z[a]`` to ``z[b]``. It is allowed when

* its length is at most ``max_length_m`` (``--max-tunnel-km``, default
  :data:`DEFAULT_MAX_TUNNEL_KM`) and at least :data:`MIN_TUNNEL_M`;
* its grade ``|z[b] - z[a]| / length`` is at most :data:`TUNNEL_MAX_GRADE_PCT`;
* the terrain stays at least :data:`TUNNEL_MIN_COVER_M` above the line everywhere
  farther than :data:`PORTAL_ZONE_CELLS` cells from either portal (the cut-and-cover
  approach and portal structure), sampled every half cell; no sample has nodata or
  lies on the ``blocked`` mask (e.g. outside the allowed countries).

Its cost is ``length * model.tunnel_cost_factor`` in the highway model's unit
(equivalent flat metres of new road).

Search (not all pairs over the grid): for one leg ``start -> goal``, the forward
accumulation from the start and the backward accumulation to the goal are
computed on a window around the leg. Portal pairs are drawn from the cells within
``max_length_m / 2 + 2`` km of each *crossing* - each pass of the surface route
(a local high point at least :data:`CROSSING_PROMINENCE_M` prominent along it),
or, when no surface route exists (a ``--max-elevation`` ceiling), the point where
``cost_from_start + tunnel_cost_factor * gap + cost_to_goal`` is least over the
gap between the two reachable regions - subsampled to at most
:data:`MAX_CANDIDATES` per side, and priced as ``cost_from_start[a] + tunnel +
cost_to_goal[b]``. The best pair is used when it beats the surface route; the legs
before and after it are searched again (at most ``max_tunnels`` per leg).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

from wakhan.errors import RouteError
from wakhan.solve.api import accumulate, trace
from wakhan.solve.crossings import find_passes
from wakhan.solve.results import Path

__all__ = [
    "Tunnel",
    "TUNNEL_MAX_GRADE_PCT",
    "TUNNEL_MIN_COVER_M",
    "DEFAULT_MAX_TUNNEL_KM",
    "tunnel_leg",
    "MIN_TUNNEL_M",
]

#: EU Directive 2004/54/EC (minimum safety requirements for tunnels in the trans-European road
#: network), Annex I 2.2: longitudinal gradients above 5 % are not permitted in new tunnels.
TUNNEL_MAX_GRADE_PCT = 5.0
#: Rock cover over the crown outside the portal zones (about three bore diameters of a
#: two-lane tunnel, ~10 m each); an assumption stated here, not a norm.
TUNNEL_MIN_COVER_M = 30.0
#: Longest tunnel allowed by default: the Gotthard road tunnel is 16.9 km, the Laerdal 24.5 km.
DEFAULT_MAX_TUNNEL_KM = 25.0
#: Shorter bores are bridges, cuts or galleries at grid scale, not tunnels.
MIN_TUNNEL_M = 1000.0
#: Cells from each portal where cover is not required (approach cut, portal structure).
PORTAL_ZONE_CELLS = 1.0
#: Prominence along the route (m) of a high point searched for a tunnel under it.
CROSSING_PROMINENCE_M = 300.0
#: Portal candidates per side and crossing (subsampled on a regular lattice beyond this).
MAX_CANDIDATES = 1500


@dataclass(frozen=True)
class Tunnel:
    """A straight tunnel between portal cells ``a_rc`` and ``b_rc`` (in travel order).

    Examples
    --------
    >>> t = Tunnel(a_rc=(0, 0), b_rc=(0, 10), length_m=1000.0, max_cover_m=300.0, cost=5000.0,
    ...            za_m=3000.0, zb_m=3020.0)
    >>> t.grade_pct
    2.0
    """

    a_rc: tuple
    b_rc: tuple
    length_m: float
    max_cover_m: float
    cost: float
    za_m: float
    zb_m: float

    @property
    def grade_pct(self) -> float:
        return 100.0 * abs(self.zb_m - self.za_m) / self.length_m


@njit(cache=True)
def _best_pair(
    z, blocked, ncols, dx, dy, a_cells, fa, b_cells, fb, factor, max_len, min_len, max_grade, min_cover, portal_m, best
):
    """Cheapest allowed pair ``(i, j)`` of ``a_cells[i] -> b_cells[j]`` costing less than ``best``."""
    bi = -1
    bj = -1
    bcover = 0.0
    step = 0.5 * min(dx, dy)
    for i in range(a_cells.size):
        a = a_cells[i]
        ar = a // ncols
        ac = a - ar * ncols
        za = z[a]
        for j in range(b_cells.size):
            b = b_cells[j]
            br = b // ncols
            bc = b - br * ncols
            length = math.sqrt(((br - ar) * dy) ** 2 + ((bc - ac) * dx) ** 2)
            if length > max_len or length < min_len:
                continue
            total = fa[i] + fb[j] + factor * length
            if total >= best:
                continue
            zb = z[b]
            if 100.0 * abs(zb - za) / length > max_grade:
                continue
            n = int(length / step) + 1
            ok = True
            checked = 0
            top = 0.0
            for s in range(1, n):
                t = s / n
                k = int(ar + t * (br - ar) + 0.5) * ncols + int(ac + t * (bc - ac) + 0.5)
                zt = z[k]
                if blocked[k] or zt != zt:
                    ok = False
                    break
                cover = zt - (za + t * (zb - za))
                if cover > top:
                    top = cover
                if t * length >= portal_m and (1.0 - t) * length >= portal_m:
                    checked += 1
                    if cover < min_cover:
                        ok = False
                        break
            if ok and checked > 0:
                best = total
                bi = i
                bj = j
                bcover = top
    return bi, bj, best, bcover


def _disk(shape, center, radius_cells, mask):
    r0, c0 = center
    nr, nc = shape
    lo_r, hi_r = max(0, int(r0 - radius_cells)), min(nr, int(r0 + radius_cells) + 1)
    lo_c, hi_c = max(0, int(c0 - radius_cells)), min(nc, int(c0 + radius_cells) + 1)
    rr, cc = np.mgrid[lo_r:hi_r, lo_c:hi_c]
    inside = ((rr - r0) ** 2 + (cc - c0) ** 2 <= radius_cells**2) & mask[lo_r:hi_r, lo_c:hi_c]
    rr, cc = rr[inside], cc[inside]
    if rr.size > MAX_CANDIDATES:
        stride = int(math.ceil(math.sqrt(rr.size / MAX_CANDIDATES)))
        keep = (rr % stride == r0 % stride) & (cc % stride == c0 % stride)
        rr, cc = rr[keep], cc[keep]
    return (rr * shape[1] + cc).astype(np.int64)


def _crossings(z, rows, cols, dx, dy):
    """Cells of the path's high points at least CROSSING_PROMINENCE_M prominent along it."""
    if rows.size < 3:
        return []
    d = np.concatenate([[0.0], np.cumsum(np.hypot(np.diff(rows) * dy, np.diff(cols) * dx))]) / 1000.0
    zz = z[rows, cols]
    return [(int(rows[i]), int(cols[i])) for i, _ in find_passes(d, zz, CROSSING_PROMINENCE_M)]


def _gap_crossing(fwd, bwd, factor, dx, dy):
    """Where a tunnel across the gap between the two reachable regions is cheapest (ignoring cover)."""
    from scipy import ndimage  # lazy: scipy is slow to import and only a leg with a gap needs it

    reach_b = np.isfinite(bwd)
    if not reach_b.any() or not np.isfinite(fwd).any():
        return None
    dist, (ir, ic) = ndimage.distance_transform_edt(~reach_b, sampling=(dy, dx), return_indices=True)
    score = np.where(np.isfinite(fwd), fwd + factor * dist + np.where(reach_b, 0, bwd[ir, ic]), np.inf)
    score = np.where(np.isfinite(score), score, np.inf)
    k = int(np.argmin(score))
    if not np.isfinite(score.ravel()[k]):
        return None
    r, c = divmod(k, fwd.shape[1])
    return (int((r + ir[r, c]) // 2), int((c + ic[r, c]) // 2))


@dataclass
class _Window:
    r0: int
    c0: int
    z: np.ndarray
    barrier: np.ndarray
    blocked: np.ndarray
    friction: np.ndarray | None


def _window(grid_z, barrier, blocked, friction, rows, cols, margin):
    """The grid cropped to the bounding box of cells ``(rows, cols)`` widened by ``margin`` cells."""
    nr, nc = grid_z.shape
    r0, r1 = max(0, int(rows.min()) - margin), min(nr, int(rows.max()) + margin + 1)
    c0, c1 = max(0, int(cols.min()) - margin), min(nc, int(cols.max()) + margin + 1)
    sl = (slice(r0, r1), slice(c0, c1))
    return _Window(r0, c0, grid_z[sl], barrier[sl], blocked[sl], None if friction is None else friction[sl])


def tunnel_leg(
    grid,
    model,
    start_rc,
    goal_rc,
    *,
    surface=None,
    neighbours=16,
    barrier=None,
    friction=None,
    tunnel_blocked=None,
    max_length_m=DEFAULT_MAX_TUNNEL_KM * 1000.0,
    max_tunnels=3,
    min_cover_m=TUNNEL_MIN_COVER_M,
    max_grade_pct=TUNNEL_MAX_GRADE_PCT,
):
    """The leg ``start -> goal`` with tunnels where they are cheaper than the surface.

    Parameters
    ----------
    grid : Grid
        The metric DEM.
    model : HighwayModel
    surface : sequence of Path, optional
        The surface route of the leg (consecutive paths), or None when none
        exists (e.g. a ceiling blocks it).
    barrier : bool array, optional
        Cells a surface road may not use (countries, the ceiling).
    friction : float array, optional
        Cost multiplier per cell for the surface road (existing roads priced as upgrades, the
        floodplain), as :func:`wakhan.solve.accumulate` takes it: the same as the tunnel-free
        search of the leg used, so a tunnel is judged against, and the road around it re-traced
        on, the surface priced as that search priced it.
    tunnel_blocked : bool array, optional
        Cells a tunnel may not pass under (outside the allowed countries).

    Returns
    -------
    list
        Consecutive :class:`wakhan.solve.Path` and :class:`Tunnel` pieces, or
        ``None`` when no tunnel beats the surface route.

    Raises
    ------
    RouteError
        When there is no surface route and no allowed tunnel connects the ends.

    Examples
    --------
    On flat ground no tunnel is cheaper than the road:

    >>> import numpy as np
    >>> from affine import Affine
    >>> from wakhan.cost import HighwayModel
    >>> from wakhan.grid import Grid
    >>> from wakhan.solve import least_cost_path
    >>> g = Grid(np.full((3, 5), 3000.0, np.float32), Affine(90, 0, 500000, 0, -90, 4100000), "EPSG:32643")
    >>> road = least_cost_path(g, HighwayModel(), (1, 0), (1, 4), neighbours=16)
    >>> tunnel_leg(g, HighwayModel(), (1, 0), (1, 4), surface=[road]) is None
    True
    """
    z = np.asarray(grid.array, dtype=np.float64)
    shape = z.shape
    barrier = np.zeros(shape, bool) if barrier is None else barrier
    blocked = np.zeros(shape, bool) if tunnel_blocked is None else tunnel_blocked
    pieces = _solve(
        grid,
        z,
        model,
        tuple(start_rc),
        tuple(goal_rc),
        surface,
        neighbours,
        barrier,
        friction,
        blocked,
        max_length_m,
        max_tunnels,
        min_cover_m,
        max_grade_pct,
    )
    if pieces is None and surface is None:
        raise RouteError(
            f"no route from cell {tuple(start_rc)} to {tuple(goal_rc)}: the surface is blocked and no "
            f"tunnel of at most {max_length_m / 1000:g} km at <= {max_grade_pct:g} % with "
            f"{min_cover_m:g} m of cover joins the two sides"
        )
    return pieces


def _solve(grid, z, model, start, goal, surface, neighbours, barrier, friction, blocked, max_len, budget, cover, grade):
    dx, dy = (float(v) for v in grid.res)
    factor = float(model.tunnel_cost_factor)
    # every vertex of the surface route, not a sample of them: with coarse cells the margin is a few
    # cells, and a vertex between samples could lie outside the window (an IndexError in _crossings)
    rows = np.concatenate([[start[0], goal[0]]] + [p.rows for p in surface or ()])
    cols = np.concatenate([[start[1], goal[1]]] + [p.cols for p in surface or ()])
    margin = int(math.ceil((max_len / 2 + 5000.0) / min(dx, dy)))
    win = _window(z, barrier, blocked, friction, rows, cols, margin)
    ls, lg = (start[0] - win.r0, start[1] - win.c0), (goal[0] - win.r0, goal[1] - win.c0)
    kw = dict(neighbours=neighbours, barrier=win.barrier, friction=win.friction, cell_size_m=(dx, dy))
    fwd = accumulate(win.z, model, ls, **kw)
    bwd = accumulate(win.z, model, lg, reverse=True, **kw)
    best = float(fwd.cost[lg])
    if surface and math.isfinite(best):
        sr = np.concatenate([p.rows for p in surface]) - win.r0
        sc = np.concatenate([p.cols for p in surface]) - win.c0
        centres = _crossings(win.z, sr, sc, dx, dy)
    else:
        centre = _gap_crossing(fwd.cost, bwd.cost, factor, dx, dy)
        centres = [centre] if centre else []
    if not centres:
        return None
    radius = (max_len / 2 + 2000.0) / min(dx, dy)
    zf = np.ascontiguousarray(win.z, dtype=np.float64).ravel()
    bl = np.ascontiguousarray(win.blocked).ravel()
    fa_all, fb_all = fwd.cost.ravel(), bwd.cost.ravel()
    found = None
    for centre in centres:
        a = _disk(win.z.shape, centre, radius, np.isfinite(fwd.cost))
        b = _disk(win.z.shape, centre, radius, np.isfinite(bwd.cost))
        if a.size == 0 or b.size == 0:
            continue
        i, j, total, top = _best_pair(
            zf,
            bl,
            win.z.shape[1],
            dx,
            dy,
            a,
            fa_all[a],
            b,
            fb_all[b],
            factor,
            max_len,
            MIN_TUNNEL_M,
            grade,
            cover,
            PORTAL_ZONE_CELLS * max(dx, dy),
            best,
        )
        if i >= 0:
            best = total
            found = (int(a[i]), int(b[j]), float(top))
    if found is None:
        return None
    ia, ib, top = found
    ncols = win.z.shape[1]
    ar, ac = divmod(ia, ncols)
    br, bc = divmod(ib, ncols)
    length = math.hypot((br - ar) * dy, (bc - ac) * dx)

    def to_grid(path):
        rows, cols = path.rows + win.r0, path.cols + win.c0
        x, y = grid.xy(rows, cols)
        return Path(
            rows, cols, path.step_cost, path.total_cost, path.cost_unit, np.asarray(x, float), np.asarray(y, float)
        )

    before = to_grid(trace(fwd, (ar, ac)))
    after = to_grid(trace(bwd, (br, bc)))
    a_rc, b_rc = (ar + win.r0, ac + win.c0), (br + win.r0, bc + win.c0)
    tunnel = Tunnel(a_rc, b_rc, length, top, length * factor, float(z[a_rc]), float(z[b_rc]))
    out = []
    for piece_start, piece_end, path in ((start, a_rc, before), (b_rc, goal, after)):
        sub = None
        if budget > 1 and len(path) > 2:
            sub = _solve(
                grid,
                z,
                model,
                piece_start,
                piece_end,
                [path],
                neighbours,
                barrier,
                friction,
                blocked,
                max_len,
                budget - 1,
                cover,
                grade,
            )
        out.append(sub if sub is not None else [path])
    return out[0] + [tunnel] + out[1]
