"""The solver against textbook oracles on random small grids.

The oracle graph is built here, edge by edge, from the documented formulae in
``wakhan.cost`` (not from the kernels): every move of the neighbourhood, its
metric length, ``grade_pct = 100 * dz / length`` for moves of the
8-neighbourhood, and for longer moves two halves through the midpoint, whose
elevation is interpolated bilinearly here (with numpy's ``interp`` on each axis);
the grade limit per piece, the cells a long move's segment passes through
(found with shapely), friction means. networkx's Dijkstra on that graph is the
reference.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wakhan.cost import HighwayModel, IsotropicModel, WalkingModel
from wakhan.errors import RouteError
from wakhan.solve import accumulate, api, corridor, gentlest_crossing_pct, least_cost_path, search

MOVES = {
    8: [(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)],
}
MOVES[16] = MOVES[8] + [(a * s, b * t) for a, b in [(1, 2), (2, 1)] for s in (-1, 1) for t in (-1, 1)]
MOVES[32] = MOVES[16] + [(a * s, b * t) for a, b in [(1, 3), (3, 1), (2, 3), (3, 2)] for s in (-1, 1) for t in (-1, 1)]


def crossed_cells(dr, dc):
    """Cells (other than the ends) whose open square the centre-to-centre segment crosses."""
    seg = shapely.LineString([(0, 0), (dc, dr)])
    out = []
    for r in range(min(0, dr), max(0, dr) + 1):
        for c in range(min(0, dc), max(0, dc) + 1):
            if (r, c) in ((0, 0), (dr, dc)):
                continue
            if seg.intersection(shapely.box(c - 0.5, r - 0.5, c + 0.5, r + 0.5)).length > 1e-9:
                out.append((r, c))
    return out


def midpoint_elevation(z, r, c, dr, dc):
    """Bilinear interpolation of ``z`` at the fractional cell ``(r + dr/2, c + dc/2)``.

    Written independently of the solver: interpolate along the columns of the
    two bracketing rows, then between the rows. NaN when a cell used is NaN.
    """
    rm, cm = r + dr / 2, c + dc / 2
    r0, c0 = math.floor(rm), math.floor(cm)
    rows = [r0] if rm == r0 else [r0, r0 + 1]
    cols = [c0] if cm == c0 else [c0, c0 + 1]
    along = [np.interp(cm, cols, [z[rr, cc] for cc in cols]) if len(cols) == 2 else z[rr, c0] for rr in rows]
    return float(np.interp(rm, rows, along)) if len(rows) == 2 else float(along[0])


def pieces(z, r, c, dr, dc, dx, dy):
    """The graded pieces of a move: [(length, z_from, z_to)]; halves for long moves."""
    length = math.sqrt((dr * dy) ** 2 + (dc * dx) ** 2)
    za, zb = float(z[r, c]), float(z[r + dr, c + dc])
    if max(abs(dr), abs(dc)) == 1:
        return [(length, za, zb)]
    zm = midpoint_elevation(z, r, c, dr, dc)
    return [(length / 2, za, zm), (length / 2, zm, zb)]


def _slope_along(values, h):
    """dz/ds along one row or column: central differences inside, one-sided at the two ends."""
    n = len(values)
    out = []
    for i in range(n):
        if i == 0:
            out.append((values[1] - values[0]) / h)
        elif i == n - 1:
            out.append((values[-1] - values[-2]) / h)
        else:
            out.append((values[i + 1] - values[i - 1]) / (2 * h))
    return [0.0 if math.isnan(v) else v for v in out]  # beside a void: no slope known, none priced


def terrain_gradient(z, dx, dy):
    """(east, north) slope of every cell, m/m, written out loop by loop."""
    nrows, ncols = z.shape
    east = np.zeros(z.shape)
    north = np.zeros(z.shape)
    for r in range(nrows):
        east[r, :] = _slope_along([float(v) for v in z[r, :]], dx)
    for c in range(ncols):
        north[:, c] = [-v for v in _slope_along([float(v) for v in z[:, c]], dy)]  # rows run south
    # the solver keeps the gradient in float32 (documented in SearchInput): round as it does
    return east.astype(np.float32).astype(float), north.astype(np.float32).astype(float)


def earthworks_cost(model, gradient, r, c, dr, dc, dx, dy):
    """The highway's earthworks over a move: full-bench cut W^2/2 s c/(c - s) across the move (HighwayModel)."""
    if not isinstance(model, HighwayModel) or model.earthworks_weight == 0:
        return 0.0
    east, north = gradient
    length = math.hypot(dc * dx, dr * dy)
    nx_, ny_ = (dr * dy) / length, (dc * dx) / length  # normal (-north, east) of the direction (dc dx, -dr dy)
    side = [abs(east[a, b] * nx_ + north[a, b] * ny_) for a, b in ((r, c), (r + dr, c + dc))]
    s = min(sum(side) / 2, 0.8 * model.cut_slope)
    cut_m3 = model.formation_width_m**2 / 2 * s * model.cut_slope / (model.cut_slope - s)
    return length * model.earthworks_weight * model.earthworks_cost_m_per_m3 * cut_m3


def cost_per_m(model, grade_pct, zmean):
    """The documented formulae of wakhan.cost, written out independently."""
    if isinstance(model, HighwayModel):
        w = model.uphill_weight if grade_pct > 0 else model.downhill_weight
        surcharge = (1 + model.altitude_surcharge) if zmean > model.altitude_threshold_m else 1
        # design grade: JTG plateau reduction, one step per started 1,000 m above 3,000 m, at most 3
        steps = 0 if zmean < 3000 else 1 if zmean < 4000 else 2 if zmean < 5000 else 3
        design = max(
            model.design_grade_pct - steps * model.altitude_grade_reduction_pct,
            min(model.design_grade_pct, model.design_grade_floor_pct),
        )
        if abs(grade_pct) <= design:
            return (1 + w * (grade_pct / model.grade_scale_pct) ** 2) * surcharge
        # switchbacks: the road is built at the design grade, so it is |grade| / design times as long,
        # with one hairpin per hairpin_spacing_m of the extra length
        built_per_m = abs(grade_pct) / design
        road = built_per_m * (1 + w * (design / model.grade_scale_pct) ** 2)
        hairpins = (built_per_m - 1) / model.hairpin_spacing_m * model.hairpin_cost_m
        return (road + hairpins) * surcharge
    if isinstance(model, WalkingModel):
        speed = (
            model.base_speed_kmh
            * model.terrain_factor
            * math.exp(-model.slope_coefficient * abs(grade_pct / 100 + model.slope_offset))
        )
        if model.altitude_loss_per_km > 0 and zmean > model.altitude_onset_m:
            speed *= max(1 - model.altitude_loss_per_km * (zmean - model.altitude_onset_m) / 1000, model.altitude_floor)
        return 3.6 / speed
    return model.cost_per_m


def oracle_graph(z, dx, dy, model, neighbours, barrier=None, friction=None, grade_limit=True):
    """networkx DiGraph of the grid: node (r, c), edge attrs weight and grade."""
    nrows, ncols = z.shape
    ok = ~np.isnan(z)
    if barrier is not None:
        ok &= ~barrier
    graph = nx.DiGraph()
    graph.add_nodes_from((r, c) for r in range(nrows) for c in range(ncols) if ok[r, c])
    gradient = terrain_gradient(z, dx, dy)
    for r in range(nrows):
        for c in range(ncols):
            if not ok[r, c]:
                continue
            for dr, dc in MOVES[neighbours]:
                r2, c2 = r + dr, c + dc
                if not (0 <= r2 < nrows and 0 <= c2 < ncols) or not ok[r2, c2]:
                    continue
                if not all(ok[r + a, c + b] for a, b in crossed_cells(dr, dc)):
                    continue
                parts = pieces(z, r, c, dr, dc, dx, dy)
                grades = [100.0 * (zb - za) / length for length, za, zb in parts]
                if any(math.isnan(g) for g in grades):
                    continue  # no data around the midpoint of a long move
                if grade_limit and max(abs(g) for g in grades) > model.max_grade_pct:
                    continue
                w = sum(length * cost_per_m(model, g, (za + zb) / 2) for (length, za, zb), g in zip(parts, grades))
                w += earthworks_cost(model, gradient, r, c, dr, dc, dx, dy)
                if friction is not None:
                    w *= (friction[r, c] + friction[r2, c2]) / 2
                graph.add_edge((r, c), (r2, c2), weight=w, grade=max(abs(g) for g in grades))
    return graph


@st.composite
def terrains(draw, max_side=7):
    nrows = draw(st.integers(2, max_side))
    ncols = draw(st.integers(2, max_side))
    seed = draw(st.integers(0, 2**31))
    rng = np.random.default_rng(seed)
    z = (
        rng.uniform(3800, 4200, (nrows, ncols))
        if draw(st.booleans())
        else rng.integers(0, 40, (nrows, ncols)).astype(float) * 10
    )
    dx = draw(st.sampled_from([30.0, 90.0, 92.6, 250.0]))
    dy = draw(st.sampled_from([30.0, 90.0, 61.3]))
    holes = rng.random((nrows, ncols)) < draw(st.sampled_from([0.0, 0.1, 0.25]))
    z[holes] = np.nan
    barrier = rng.random((nrows, ncols)) < draw(st.sampled_from([0.0, 0.15])) if draw(st.booleans()) else None
    friction = rng.uniform(0.5, 3.0, (nrows, ncols)) if draw(st.booleans()) else None
    return z, dx, dy, barrier, friction, rng


models = st.one_of(
    st.builds(
        HighwayModel,
        max_grade_pct=st.sampled_from([8.0, 12.0, 30.0, 200.0]),
        uphill_weight=st.sampled_from([1.0, 2.0]),
        downhill_weight=st.sampled_from([0.0, 0.5]),
        altitude_threshold_m=st.sampled_from([4000.0, 1e9]),
        design_grade_pct=st.sampled_from([None, 3.0, 8.0]),
        hairpin_cost_m=st.sampled_from([0.0, 100.0]),
        earthworks_weight=st.sampled_from([0.0, 1.0, 40.0]),
    ),
    st.builds(
        WalkingModel,
        max_grade_pct=st.sampled_from([40.0, 100.0, math.inf]),
        altitude_loss_per_km=st.sampled_from([0.0, 0.076, 3.0]),
        altitude_onset_m=st.sampled_from([580.0, 100.0]),
    ),
    st.builds(IsotropicModel, cost_per_m=st.sampled_from([1.0, 2.5]), max_grade_pct=st.sampled_from([math.inf, 20.0])),
)

FAST = settings(
    max_examples=min(40, settings.default.max_examples),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def open_cells(z, barrier):
    ok = ~np.isnan(z)
    if barrier is not None:
        ok &= ~barrier
    return [tuple(map(int, rc)) for rc in np.argwhere(ok)]


def two_open_cells(z, barrier, rng):
    """Two distinct passable cells drawn with ``rng``, or None when fewer than two exist."""
    cells = open_cells(z, barrier)
    if len(cells) < 2:
        return None
    i, j = rng.choice(len(cells), size=2, replace=False)
    return cells[i], cells[j]


@pytest.fixture(params=["buckets", "heap"])
def queue(request, monkeypatch):
    """Run each test with the bucket queue (when the model allows it) and with the heap."""
    if request.param == "heap":
        monkeypatch.setattr(search, "_MAX_BUCKETS", 0)
    return request.param


@FAST
@given(terrains(), models, st.sampled_from([8, 16, 32]), st.data())
def test_accumulation_equals_networkx_dijkstra(queue, terrain, model, neighbours, data):
    z, dx, dy, barrier, friction, rng = terrain
    cells = open_cells(z, barrier)
    if not cells:
        return
    sources = [
        cells[i] for i in rng.choice(len(cells), size=min(len(cells), data.draw(st.integers(1, 2))), replace=False)
    ]
    acc = accumulate(z, model, sources, neighbours=neighbours, barrier=barrier, friction=friction, cell_size_m=(dx, dy))
    graph = oracle_graph(z, dx, dy, model, neighbours, barrier, friction)
    want = nx.multi_source_dijkstra_path_length(graph, set(sources))
    expected = np.full(z.shape, np.inf)
    for (r, c), d in want.items():
        expected[r, c] = d
    np.testing.assert_allclose(acc.cost, expected, rtol=1e-9, atol=0)
    assert (acc.backlink == api.UNREACHED).sum() == np.isinf(expected).sum()

    # The reverse accumulation is Dijkstra on the reversed graph (anisotropy).
    rev = accumulate(
        z, model, sources, neighbours=neighbours, barrier=barrier, friction=friction, cell_size_m=(dx, dy), reverse=True
    )
    want = nx.multi_source_dijkstra_path_length(graph.reverse(copy=False), set(sources))
    expected = np.full(z.shape, np.inf)
    for (r, c), d in want.items():
        expected[r, c] = d
    np.testing.assert_allclose(rev.cost, expected, rtol=1e-9, atol=0)


@FAST
@given(terrains(), models, st.sampled_from([8, 16, 32]))
def test_astar_path_is_optimal_and_obeys_limits(queue, terrain, model, neighbours):
    z, dx, dy, barrier, friction, rng = terrain
    ends = two_open_cells(z, barrier, rng)
    if ends is None:
        return
    start, goal = ends
    acc = accumulate(z, model, start, neighbours=neighbours, barrier=barrier, friction=friction, cell_size_m=(dx, dy))
    best = acc.cost[goal]
    if not np.isfinite(best):
        with pytest.raises(RouteError):
            least_cost_path(
                z, model, start, goal, neighbours=neighbours, barrier=barrier, friction=friction, cell_size_m=(dx, dy)
            )
        return
    path = least_cost_path(
        z, model, start, goal, neighbours=neighbours, barrier=barrier, friction=friction, cell_size_m=(dx, dy)
    )
    assert path.total_cost == pytest.approx(best, rel=1e-9)
    assert path.step_cost.sum() == pytest.approx(path.total_cost, rel=1e-9)
    assert (path.rows[0], path.cols[0]) == start and (path.rows[-1], path.cols[-1]) == goal
    assert path.cost_unit == model.cost_unit and len(path.step_cost) == len(path) - 1
    blocked = np.isnan(z) if barrier is None else (np.isnan(z) | barrier)
    for k in range(len(path) - 1):
        r, c, r2, c2 = path.rows[k], path.cols[k], path.rows[k + 1], path.cols[k + 1]
        dr, dc = r2 - r, c2 - c
        assert (dr, dc) in MOVES[neighbours]
        for length, za, zb in pieces(z, r, c, dr, dc, dx, dy):
            assert abs(100.0 * (zb - za) / length) <= model.max_grade_pct
        for a, b in [(0, 0), (dr, dc)] + crossed_cells(dr, dc):
            assert not blocked[r + a, c + b], "path enters or jumps over an impassable cell"
    # The traced accumulation gives the same total.
    traced = api.trace(acc, goal)
    assert traced.total_cost == pytest.approx(best, rel=1e-9)
    assert traced.step_cost.sum() == pytest.approx(best, rel=1e-9)


@FAST
@given(terrains(max_side=6), st.sampled_from([8, 16, 32]))
def test_gentlest_crossing_equals_brute_force_threshold(terrain, neighbours):
    z, dx, dy, barrier, _, rng = terrain
    ends = two_open_cells(z, barrier, rng)
    if ends is None:
        return
    start, goal = ends
    got = gentlest_crossing_pct(z, start, goal, neighbours=neighbours, barrier=barrier, cell_size_m=(dx, dy))
    graph = oracle_graph(z, dx, dy, IsotropicModel(), neighbours, barrier, grade_limit=False)
    # Brute force: the smallest edge grade g for which the edges with grade <= g connect the ends.
    best = math.inf
    for g in sorted({d["grade"] for _, _, d in graph.edges(data=True)} | {0.0}):
        sub = nx.DiGraph((a, b) for a, b, d in graph.edges(data=True) if d["grade"] <= g)
        sub.add_nodes_from([start, goal])
        if nx.has_path(sub, start, goal):
            best = g
            break
    assert got == pytest.approx(best, rel=1e-12) if math.isfinite(best) else math.isinf(got)
    if math.isfinite(best):
        # A highway allowed exactly that grade finds a route; a slightly stricter one does not.
        least_cost_path(
            z,
            HighwayModel(max_grade_pct=max(got, 1e-6) * (1 + 1e-9)),
            start,
            goal,
            neighbours=neighbours,
            barrier=barrier,
            cell_size_m=(dx, dy),
        )
        if got > 1e-6:
            with pytest.raises(RouteError, match="grade limit"):
                least_cost_path(
                    z,
                    HighwayModel(max_grade_pct=got * (1 - 1e-6)),
                    start,
                    goal,
                    neighbours=neighbours,
                    barrier=barrier,
                    cell_size_m=(dx, dy),
                )


@FAST
@given(terrains(), models, st.sampled_from([8, 16, 32]), st.sampled_from([0.0, 5.0, 30.0]))
def test_corridor_holds_the_optimal_path(terrain, model, neighbours, pct):
    z, dx, dy, barrier, friction, rng = terrain
    ends = two_open_cells(z, barrier, rng)
    if ends is None:
        return
    start, goal = ends
    kw = dict(neighbours=neighbours, barrier=barrier, friction=friction, cell_size_m=(dx, dy))
    best = accumulate(z, model, start, **kw).cost[goal]
    if not np.isfinite(best):
        return
    cor = corridor(z, model, start, goal, within_pct=pct, **kw)
    assert cor.optimum == pytest.approx(best, rel=1e-9)
    assert cor.mask[cor.path.rows, cor.path.cols].all()
    np.testing.assert_allclose(cor.total[cor.path.rows, cor.path.cols], best, rtol=1e-9)
    to_goal = accumulate(z, model, goal, reverse=True, **kw).cost
    np.testing.assert_allclose(cor.total, accumulate(z, model, start, **kw).cost + to_goal, rtol=1e-12)
    finite = np.isfinite(cor.total)
    assert (cor.total[cor.mask] <= best * (1 + pct / 100) * (1 + 1e-9)).all()
    assert not (cor.mask & ~finite).any()


def test_midpoint_elevation_is_bilinear():
    z = np.arange(20, dtype=float).reshape(4, 5) ** 2
    assert midpoint_elevation(z, 0, 0, 1, 2) == (z[0, 1] + z[1, 1]) / 2
    assert midpoint_elevation(z, 2, 4, -1, -2) == (z[2, 3] + z[1, 3]) / 2
    assert midpoint_elevation(z, 0, 0, 2, 1) == (z[1, 0] + z[1, 1]) / 2
    assert midpoint_elevation(z, 0, 0, 1, 3) == pytest.approx(z[0:2, 1:3].mean())
    assert midpoint_elevation(z, 3, 0, -2, 3) == (z[2, 1] + z[2, 2]) / 2
    moves, _ = api.neighbour_offsets(32)
    for dr, dc in moves:  # the solver's table of midpoint cells and weights says the same
        r, c = 1 if dr >= 0 else 3, 0 if dc >= 0 else 4
        want = midpoint_elevation(z, r, c, dr, dc) if max(abs(dr), abs(dc)) > 1 else None
        cells = api.midpoint_cells(dr, dc)
        got = sum(w * z[r + a, c + b] for (a, b), w in cells) if cells else None
        assert got == pytest.approx(want, rel=1e-12) if want is not None else got is None


def _ridge_between_level_ends():
    """A 2-row strip of flat ground at 3000 m, 100 m cells, with a 100 m high wall in column 1."""
    z = np.full((2, 4), 3000.0)
    z[:, 1] = 3100.0
    return z


@pytest.mark.parametrize("neighbours", [16, 32])
def test_knight_move_over_a_ridge_between_level_ends_is_graded_at_its_midpoint(queue, neighbours):
    # (0, 0) -> (1, 2) has level ends, but its midpoint (0.5, 1) sits on the wall: each half rises or
    # falls 100 m over hypot(100, 200) / 2 = 111.8 m, 89.4 %. Graded end to end it would be flat and
    # pass any grade limit.
    z = _ridge_between_level_ends()
    half = math.hypot(100, 200) / 2
    steep = 100 * 100 / half
    kw = dict(neighbours=neighbours, cell_size_m=(100, 100))
    with pytest.raises(RouteError, match="grade limit"):
        least_cost_path(z, HighwayModel(max_grade_pct=12), (0, 0), (1, 2), **kw)
    # The gentlest way over: diagonals onto and off the wall (100 m over 141.4 m), or with 32
    # neighbours a (1, 3) move whose midpoint is the mean of two wall and two ground cells.
    gentlest = {16: 100 * 100 / math.hypot(100, 100), 32: 100 * 50 / (math.hypot(100, 300) / 2)}
    assert gentlest_crossing_pct(z, (0, 0), (1, 2), **kw) == pytest.approx(gentlest[neighbours])
    with pytest.raises(RouteError, match="grade limit"):
        least_cost_path(z, HighwayModel(max_grade_pct=gentlest[neighbours] * 0.999), (0, 0), (1, 2), **kw)
    detour = least_cost_path(z, HighwayModel(max_grade_pct=steep * 0.999), (0, 0), (1, 2), **kw)
    assert len(detour) > 2  # the knight move itself is too steep under this limit
    # Allowed, the knight move pays for the climb and the descent of its two halves.
    model = HighwayModel(
        max_grade_pct=100,
        grade_scale_pct=100,
        altitude_surcharge=0,
        design_grade_pct=100,
        altitude_grade_reduction_pct=0,
        earthworks_weight=0,  # this case is about grading the halves; the side-slope term has its own test
    )  # no switchbacks: every grade built as it is
    up = half * (1 + model.uphill_weight * (steep / model.grade_scale_pct) ** 2)
    down = half * (1 + model.downhill_weight * (steep / model.grade_scale_pct) ** 2)
    path = least_cost_path(z, model, (0, 0), (1, 2), **kw)
    assert list(zip(path.rows.tolist(), path.cols.tolist())) == [(0, 0), (1, 2)]
    assert path.total_cost == pytest.approx(up + down) and path.step_cost[0] == pytest.approx(up + down)
    assert path.total_cost > 1.5 * 2 * half  # the flat 223.6 m it cost when graded end to end
    back = least_cost_path(z, model, (1, 2), (0, 0), **kw)
    assert back.total_cost == pytest.approx(up + down)  # the same climb and descent the other way
    # The altitude surcharge follows each half's mean elevation, (3000 + 3100) / 2 = 3050 m, not the
    # mean of the move's ends (3000 m).
    high = HighwayModel(
        max_grade_pct=100,
        grade_scale_pct=100,
        altitude_surcharge=1.0,
        design_grade_pct=100,
        altitude_grade_reduction_pct=0,
        altitude_threshold_m=3020,
        earthworks_weight=0,
    )
    assert least_cost_path(z, high, (0, 0), (1, 2), **kw).total_cost == pytest.approx(2 * (up + down))


def test_long_move_needs_data_at_every_midpoint_cell_but_only_crossed_cells_block():
    # The (1, 3) move from (0, 0) runs through the corner of cells (0, 2) and (1, 1); its midpoint is
    # the mean of (0, 1), (0, 2), (1, 1), (1, 2). Nodata at (1, 1) leaves the midpoint undefined and the
    # move impassable; a barrier there does not (the segment does not enter the cell).
    z = np.zeros((2, 4))
    kw = dict(neighbours=32, cell_size_m=(100, 100))
    direct = math.hypot(100, 300)
    assert accumulate(z, IsotropicModel(), (0, 0), **kw).cost[1, 3] == pytest.approx(direct)
    barrier = np.zeros(z.shape, bool)
    barrier[1, 1] = True
    assert accumulate(z, IsotropicModel(), (0, 0), barrier=barrier, **kw).cost[1, 3] == pytest.approx(direct)
    z[1, 1] = np.nan
    detour = 100 + math.hypot(100, 200)  # (0, 0) -> (0, 1), then the knight move to (1, 3)
    for model in (IsotropicModel(), HighwayModel(max_grade_pct=200), WalkingModel()):
        assert accumulate(z, model, (0, 0), **kw).cost[1, 3] == pytest.approx(
            detour * (accumulate(np.zeros((1, 2)), model, (0, 0), cell_size_m=100).cost[0, 1] / 100)
        )


@pytest.mark.parametrize("neighbours", [16, 32])
def test_route_on_the_pack_dem_keeps_every_half_move_under_the_grade_limit(neighbours):
    # The bundled pack (GEBCO 15", 464 m cells) around the Wakhjir Pass, west edge to east edge.
    from wakhan.dem import build_dem

    dem = build_dem((74.2, 36.85, 74.9, 37.35))
    z = np.asarray(dem.array, dtype=float)
    dx, dy = (float(v) for v in dem.res)
    nrows, ncols = z.shape
    model = HighwayModel(max_grade_pct=10)
    path = least_cost_path(dem, model, (nrows // 2, 2), (nrows // 2, ncols - 3), neighbours=neighbours)
    assert path.step_cost.sum() == pytest.approx(path.total_cost, rel=1e-9)
    steepest, long_moves = 0.0, 0
    for k in range(len(path) - 1):
        r, c = int(path.rows[k]), int(path.cols[k])
        dr, dc = int(path.rows[k + 1]) - r, int(path.cols[k + 1]) - c
        long_moves += max(abs(dr), abs(dc)) > 1
        for length, za, zb in pieces(z, r, c, dr, dc, dx, dy):
            steepest = max(steepest, abs(100.0 * (zb - za) / length))
    assert long_moves >= 10  # the route does use the long moves
    assert steepest <= model.max_grade_pct
