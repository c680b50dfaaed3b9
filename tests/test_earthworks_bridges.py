"""Earthworks across the side slope and river crossings priced as bridges (issue 17).

Expectations are hand-computed from the bench cross-section (W**2 / 2 * s * c / (c - s)), from
terrain built so that the answer is known (a tilted plane, a V-shaped valley), or state which
route a road builder would take.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from affine import Affine

from wakhan.cli import run
from wakhan.cost import HighwayModel, IsotropicModel, WalkingModel
from wakhan.cost.highway import earthworks_m3_per_m
from wakhan.grid import Grid
from wakhan.route.bridges import route_bridges
from wakhan.route.earthworks import route_earthworks_m3
from wakhan.route.files.layers import flat_attributes
from wakhan.solve import accumulate, least_cost_path
from wakhan.solve.graph import _as_graph, search_input


def _grid(z, cell=100.0):
    return Grid(np.asarray(z, np.float32), Affine(cell, 0, 500_000, 0, -cell, 4_100_000), "EPSG:32643")


def test_bench_cross_section_by_hand():
    # W = 10 m, vertical cut: the triangle 1/2 x 10 x (10 x 0.5) = 25 m2
    assert earthworks_m3_per_m(0.5, 10.0, 1e12) == pytest.approx(25.0)
    # W = 8.5 m, cut 3/4:1 (c = 4/3), ground 30 %: the cut face meets the ground at x = c W / (c - s)
    w, c, s = 8.5, 4 / 3, 0.3
    x = c * w / (c - s)
    assert earthworks_m3_per_m(s, w, c) == pytest.approx(0.5 * w * s * x)
    assert earthworks_m3_per_m(0.0) == 0.0
    # beyond 0.8 c the section is priced as at 0.8 c (walls)
    assert earthworks_m3_per_m(5.0, w, c) == pytest.approx(earthworks_m3_per_m(0.8 * c, w, c))


def test_only_the_highway_with_a_weight_carries_side_slopes():
    g = _as_graph(np.arange(12.0).reshape(3, 4), 16, None, None, (90.0, 90.0), True)
    for model in (IsotropicModel(), WalkingModel(), HighwayModel(earthworks_weight=0.0)):
        assert search_input(g, model, np.array([0])).side_px.size == 0  # empty: no earthworks term
    inp = search_input(g, HighwayModel(earthworks_weight=1.0), np.array([0]))
    assert inp.side_px.size == 16 and inp.side_py.size == 16 and inp.side_g.size == 2 * 12  # a small grid stores it


def test_a_huge_grid_computes_the_gradient_where_a_move_is_priced_with_the_same_costs(monkeypatch):
    # over GRADIENT_ON_THE_FLY_MIN_CELLS no gradient is stored (8 B a cell: 4.3 GB at 30 m); the kernels
    # compute it from z as numpy.gradient does, rounded to float32 as the stored one: the same costs, bit for bit
    import wakhan.solve.graph as graph_module

    rng = np.random.default_rng(3)
    z = np.cumsum(rng.normal(0, 8, (40, 50)), axis=0) + np.cumsum(rng.normal(0, 8, (40, 50)), axis=1)
    z[5, 7] = np.nan  # a void: a difference touching it counts as 0
    model = HighwayModel(earthworks_weight=3.0)
    stored = accumulate(z, model, (20, 25), neighbours=16, cell_size_m=(90.0, 90.0))
    g = _as_graph(z, 16, None, None, (90.0, 90.0), True)
    monkeypatch.setattr(graph_module, "GRADIENT_ON_THE_FLY_MIN_CELLS", 100)
    inp = search_input(g, model, np.array([0]))
    assert inp.side_g.size == 0 and inp.side_px.size == 16
    # nothing per cell beside the DEM and the passable mask
    assert [a.size for a in inp if isinstance(a, np.ndarray) and a.size == z.size] == [z.size, z.size]
    on_the_fly = accumulate(z, model, (20, 25), neighbours=16, cell_size_m=(90.0, 90.0))
    np.testing.assert_array_equal(on_the_fly.cost, stored.cost)
    # and the gradient itself is numpy's, rounded to float32
    gy, gx = np.gradient(np.where(np.isfinite(z), z, 0.0), 90.0, 90.0)
    gxy32 = np.empty(2 * z.size, np.float32)  # east and north interleaved
    from wakhan.solve.earthworks import terrain_gradient

    terrain_gradient(np.where(np.isfinite(z), z, 0.0).ravel(), 40, 50, 90.0, 90.0, gxy32)
    gx32, gy32 = gxy32[0::2], gxy32[1::2]
    np.testing.assert_array_equal(gx32, gx.astype(np.float32).ravel())
    np.testing.assert_array_equal(gy32, (-gy).astype(np.float32).ravel())  # rows run south: north is -d/drow


def test_earthworks_make_a_road_leave_a_side_slope_for_a_flat_bench():
    # Rows 0-5 are a slope rising 40 % northwards; rows 6-9 a flat terrace at the foot (z = 0). From
    # (3, 0) to (3, 20) the straight line runs along the slope's contour: no grade, all side slope.
    rows = np.arange(10)
    z = np.where(rows[:, None] < 6, (6 - rows[:, None]) * 40.0, 0.0) * np.ones((1, 21))
    dem = _grid(z)
    plain = least_cost_path(dem, HighwayModel(earthworks_weight=0.0), (3, 0), (3, 20), neighbours=8)
    heavy = least_cost_path(dem, HighwayModel(earthworks_weight=200.0), (3, 0), (3, 20), neighbours=8)
    assert set(plain.rows.tolist()) == {3}  # grade only: the contour line is free
    assert heavy.rows.max() >= 6  # priced earthworks: down onto the flat terrace and back
    assert route_earthworks_m3([heavy], dem, HighwayModel()) < route_earthworks_m3([plain], dem, HighwayModel())


def test_route_earthworks_along_a_contour_by_hand():
    z = np.repeat((np.arange(6)[::-1] * 25.0)[:, None], 15, axis=1)  # 25 % rising north, 100 m cells
    path = SimpleNamespace(rows=np.full(11, 3), cols=np.arange(11))  # 1 km due east
    m = HighwayModel()
    expected = 1000.0 * (8.5**2 / 2) * 0.25 * (4 / 3) / (4 / 3 - 0.25)
    assert route_earthworks_m3([path], _grid(z), m) == pytest.approx(expected, rel=1e-6)


def _valley(side=500 / 3, nrows=200, ncols=21, fall=10.0):
    """A straight valley draining south, 500 m cells; the banks rise ``side`` m per cell."""
    rows, cols = np.mgrid[0:nrows, 0:ncols]
    return _grid(100.0 + fall * (nrows - 1 - rows) + side * np.abs(cols - ncols // 2), cell=500.0)


ACROSS = SimpleNamespace(rows=np.full(21, 150), cols=np.arange(21))


def test_a_road_across_a_valley_bridges_it_once_and_one_along_it_never():
    dem = _valley()
    along = SimpleNamespace(rows=np.arange(20, 180), cols=np.full(160, 10))
    (bridge,) = route_bridges([ACROSS], dem, usd_per_m=50_000.0)
    # deck 10 m above the bed; the banks rise 1 m in 3 m, so 30 m each side
    assert bridge["length_m"] == pytest.approx(60.0, abs=1)
    # the valley above row 150 drains through it: 151 rows x 21 cells x 0.25 km2, less the few cells
    # at the grid's top that pyflwdir lets drain out of the grid (outlets at the edge)
    assert 0.9 * 151 * 21 * 0.25 < bridge["catchment_km2"] <= 151 * 21 * 0.25
    assert bridge["cost_usd"] == pytest.approx(60 * 50_000.0, rel=0.05)
    assert route_bridges([along], dem, usd_per_m=50_000.0) == []
    # a threshold above that catchment: no bridge
    assert route_bridges([ACROSS], dem, min_catchment_km2=1000.0, usd_per_m=50_000.0) == []


def test_a_wider_valley_needs_a_longer_bridge_up_to_the_flood_channel():
    gorge = route_bridges([ACROSS], _valley(side=250.0))[0]  # 10 m reached at 20 m: a 40 m span
    wide = route_bridges([ACROSS], _valley(side=500 / 3))[0]  # at 30 m: 60 m
    flat = route_bridges([ACROSS], _valley(side=20.0))[0]  # 250 m each side: capped at the flood channel
    assert gorge["length_m"] == pytest.approx(40.0, abs=1)
    assert wide["length_m"] == pytest.approx(60.0, abs=1)
    # capped at the flood channel, 3 sqrt(A) m (about 84 m), the rest embankment
    assert flat["length_m"] == pytest.approx(3 * flat["catchment_km2"] ** 0.5, abs=1)
    assert flat["cost_usd"] > 0  # priced from data/unit_costs.csv


def test_new_fields_are_flat_gis_attributes():
    flat = flat_attributes(
        {
            "name": "r",
            "earthworks_m3": 1.2e6,
            "bridges": [{"lat": 1, "lon": 2, "length_m": 120.0, "catchment_km2": 30.0, "cost_usd": 6e6}],
            "cost_usd": {"breakdown": [{"item": "earthworks", "low": 3e6, "high": 1.4e7}]},
        }
    )
    assert flat["earthworks_m3"] == 1.2e6 and flat["earthworks_usd_low"] == 3e6
    assert flat["n_bridges"] == 1 and flat["bridge_m"] == 120.0 and flat["bridges_cost_usd"] == 6e6


@pytest.mark.parametrize(
    "value, message", [("-1", "--earthworks -1"), ("lots", "--earthworks"), ("inf", "--earthworks")]
)
def test_bad_earthworks_weight_exits_2_at_parse_time(capsys, value, message):
    assert run(["route", "kashgar", "tashkurgan", "--earthworks", value]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_earthworks_on_a_walking_route_is_refused(capsys):
    assert run(["route", "kashgar", "tashkurgan", "--model", "walking", "--earthworks", "1"]) == 2
    assert "highway model only" in capsys.readouterr().err


def _valley_dem():
    """The valley of ``route_bridges``' example: draining south, crossed west to east on row 150."""
    from affine import Affine

    from wakhan.grid import Grid

    rows, cols = np.mgrid[0:200, 0:21]
    z = (100.0 + 10 * (199 - rows) + 500 / 3 * np.abs(cols - 10)).astype(np.float32)
    return Grid(z, Affine(500.0, 0, 500_000, 0, -500.0, 4_100_000), "EPSG:32643")


def test_block_drainage_of_a_large_grid_reads_as_the_cell_drainage(monkeypatch):
    """The large-grid path (drainage traced on block means, heights read as float64 where indexed): with
    1-cell blocks it gives the cell path's bridges exactly; with 2-cell blocks the same one bridge over a
    catchment within 10 % (the block grid's cells drain the same valley)."""
    from types import SimpleNamespace

    import wakhan.route.bridges as br

    path = SimpleNamespace(rows=np.full(21, 150), cols=np.arange(21))
    want = route_bridges([path], _valley_dem(), usd_per_m=50_000.0)
    assert len(want) == 1
    monkeypatch.setattr(br, "COARSE_DRAINAGE_MIN_CELLS", 0)
    monkeypatch.setattr(br, "_COARSE_TARGET_CELLS", 1e9)  # factor 1
    assert route_bridges([path], _valley_dem(), usd_per_m=50_000.0) == want
    monkeypatch.setattr(br, "_COARSE_TARGET_CELLS", 200 * 21 / 4)  # factor 2
    (got,) = route_bridges([path], _valley_dem(), usd_per_m=50_000.0)
    assert got["catchment_km2"] == pytest.approx(want[0]["catchment_km2"], rel=0.1)
    assert got["length_m"] == want[0]["length_m"]  # spanned on the full-resolution heights


def test_gradient_at_route_cells_is_numpys_gradient_there(monkeypatch):
    """The large-grid earthworks read the gradient at the route's cells only: numpy.gradient's values
    bit for bit (edges one-sided, NaN -> 0), so the cut is the same as from the whole grid's gradient."""
    from types import SimpleNamespace

    from affine import Affine

    import wakhan.route.earthworks as ew
    from wakhan.grid import Grid

    rng = np.random.default_rng(3)
    z = rng.uniform(2000, 3000, (9, 13)).astype(np.float32)
    z[rng.random(z.shape) < 0.1] = np.nan
    rows, cols = np.mgrid[0:9, 0:13]
    east, north = ew.gradient_at(z, rows.ravel(), cols.ravel(), 30.0, 40.0)
    d_row, d_col = np.gradient(z.astype(np.float64), 40.0, 30.0)
    np.testing.assert_array_equal(east, np.nan_to_num(d_col.ravel(), nan=0.0))
    np.testing.assert_array_equal(north, np.nan_to_num(-d_row.ravel(), nan=0.0))
    dem = Grid(np.nan_to_num(z, nan=2500.0), Affine(30.0, 0, 500_000, 0, -40.0, 4_100_000), "EPSG:32643")
    path = SimpleNamespace(rows=np.array([0, 1, 2, 3, 4, 5, 6, 7, 8]), cols=np.array([0, 1, 3, 4, 6, 8, 10, 11, 12]))
    want = ew.route_earthworks_m3([path], dem, HighwayModel())
    monkeypatch.setattr(ew, "LOCAL_GRADIENT_MIN_CELLS", 0)
    assert ew.route_earthworks_m3([path], dem, HighwayModel()) == want > 0


@pytest.mark.parametrize("special", [None, 0.0, 1e-9, np.inf])
def test_block_means_of_a_large_grid_are_numpys_block_sums_over_counts(special):
    """The drainage grid's block means equal numpy's nansum of each block over its finite cells bit for bit (NaN where a block
    has no data), whether the sums take the compiled path (every partial sum exact) or, with a zero, a
    height far finer than the others or an infinity in the grid, numpy's."""
    import wakhan.route.bridges as br

    rng = np.random.default_rng(11)
    z = (rng.uniform(300.0, 7000.0, (61, 47)) + rng.integers(0, 7, (61, 47)) / 64).astype(np.float32)
    z[rng.random(z.shape) < 0.2] = np.nan
    z[:3, :6] = np.nan  # whole blocks without data
    if special is not None:
        z[30, 20] = special
    dem = Grid(z, Affine(30.0, 0, 500_000, 0, -30.0, 4_100_000), "EPSG:32643")
    got = br._block_means(dem, 3).array
    pad = np.full((63, 48), np.nan, np.float32)
    pad[:61, :47] = np.where(np.isnan(z), np.nan, z)
    blocks = pad.reshape(21, 3, 16, 3)
    with np.errstate(invalid="ignore"):
        want = (np.nansum(blocks, axis=(1, 3), dtype=np.float64) / np.isfinite(blocks).sum(axis=(1, 3))).astype(
            np.float32
        )
    if special is np.inf:
        assert got[10, 6] == np.inf
    assert np.array_equal(got, want, equal_nan=True)
    assert got.shape == (21, 16) and np.isnan(got[0, :2]).all()
