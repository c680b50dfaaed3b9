"""PlanOptions: the planning options checked once, each bad one named in one sentence (issue 22)."""

from __future__ import annotations

import numpy as np
import pytest
from affine import Affine

from wakhan.cost import HighwayModel, WalkingModel
from wakhan.errors import InputError
from wakhan.grid import Grid
from wakhan.plan import compare_routes, plan_route
from wakhan.plan.compare import Variant
from wakhan.plan.options import PlanOptions


@pytest.mark.parametrize(
    "kw,match",
    [
        # a Python caller is told the keyword it can pass beside the CLI flag
        ({"neighbours": 12}, "--neighbours 12, or neighbours=12 in Python, is not"),
        ({"gap_pct": 0}, "--gap-pct 0, or gap_pct=0 in Python, must"),
        ({"within": "CN,AF", "avoid": "af"}, "AF is both in --within and in --avoid, or within and in avoid in Python"),
        ({"within": "XX"}, "--within, or within in Python: unknown country code 'XX'"),
        ({"max_tunnel_km": -1.0}, "--max-tunnel-km -1.0, or max_tunnel_km=-1.0 in Python, must"),
        ({"max_elevation_m": float("nan")}, "--max-elevation nan, or max_elevation_m=nan in Python, must"),
        ({"model": "walking", "tunnels": True}, "--tunnels, or tunnels=True in Python, applies to the highway"),
        ({"model": "walking", "roads": "r.geojson"}, "--roads, or roads in Python, applies to the highway model only"),
        ({"model": "walking", "earthworks_weight": 1.0}, "--earthworks, or earthworks_weight in Python, applies"),
        ({"model": "walking", "design_grade_pct": 6.0}, "--design-grade, or design_grade_pct in Python, applies"),
        ({"model": "bicycle"}, "unknown cost model 'bicycle'"),
        ({"design_grade_pct": 9.0, "max_grade_pct": 8.0}, "above the hard grade limit"),
    ],
)
def test_each_bad_option_is_one_sentence_naming_it(kw, match):
    with pytest.raises(InputError, match=match):
        PlanOptions(**kw)


def test_the_cost_model_is_chosen_in_one_place():
    o = PlanOptions(max_grade_pct=10, earthworks_weight=2.0)
    m = o.cost_model()
    # a lower hard limit lowers the default 7 % design grade only when it is below it (here not)
    assert isinstance(m, HighwayModel) and (m.max_grade_pct, m.design_grade_pct, m.earthworks_weight) == (10, 7, 2)
    assert PlanOptions(max_grade_pct=5).cost_model().design_grade_pct == 5
    given = WalkingModel(terrain_factor=0.6)
    assert PlanOptions(model=given).cost_model() is given and not PlanOptions(model=given).highway
    assert PlanOptions(model=given, max_grade_pct=30).cost_model().max_grade_pct == 30


def _slope_dem():
    z = np.tile(np.arange(40, dtype=np.float32) * 10.0 + 2000.0, (40, 1))
    return Grid(z, Affine(200.0, 0, 500_000, 0, -200.0, 4_100_000), "EPSG:32643")


def test_options_object_and_keywords_plan_the_same_route():
    ends = ["37.00926,75.00562", "37.00923,75.08430"]
    dem = _slope_dem()
    a = plan_route(ends, PlanOptions(dem=dem, neighbours=8), places=None)
    b = plan_route(ends, dem=dem, neighbours=8, places=None)
    c = plan_route(ends, PlanOptions(neighbours=32), dem=dem, neighbours=8, places=None)  # keywords win
    # 35 cells east at 10 m a cell: 350 m of climb at 5 %, one row (hand-computed)
    for r in (a, b, c):
        assert (r.summary.terrain.climb_m, r.summary.terrain.max_grade_pct, r.summary.search.neighbours) == (
            350.0,
            5.0,
            8,
        )
    (d,) = compare_routes(*ends, [Variant("direct")], PlanOptions(dem=dem, neighbours=8), places=None)
    assert d.summary.terrain.length_km == a.summary.terrain.length_km == 7.003


def test_rasters_refuse_a_country_both_within_and_avoided_before_any_work():
    from wakhan.plan.rasters import accumulation_grid, corridor_grid

    with pytest.raises(InputError, match="both in --within and in --avoid"):
        accumulation_grid(["Kashgar"], within="CN", avoid="CN")
    with pytest.raises(InputError, match="both in --within and in --avoid"):
        corridor_grid("Kashgar", "Tashkurgan", within="CN", avoid="CN")
