"""Walking days under daily limits, against hand-counted days."""

import math

import numpy as np
import pytest

from wakhan.route.days import walking_days


def test_hours_limit_alone_is_time_over_eight_hours():
    # ten flat 1-hour steps: day 1 walks 8 of them, day 2 the last 2 (a quarter day)
    r = walking_days([3600.0] * 10, [1000.0] * 11, sleep_rule=False)
    assert r["days"] == 1.25 and r["rest_days"] == 0


def test_climb_limit_ends_the_day_early():
    # 6 half-hour steps each climbing 400 m (start 0 m): 1,000 m/day allows 2 steps a day
    r = walking_days([1800.0] * 6, np.arange(7) * 400.0, sleep_rule=False)
    # days 1 and 2 end after 2 steps each; day 3 walks the last 2 steps (1 h = 1/8 day)
    assert r["days"] == pytest.approx(2 + 1 / 8)
    assert r["camps_m"] == [800.0, 1600.0]


def test_sleeping_elevation_rule_above_3000_m():
    # start 3,000 m; 4-hour steps each climbing 300 m to 4,800 m: 8 h/day allows two steps a day
    z = 3000.0 + np.arange(7) * 300.0
    free = walking_days([4 * 3600.0] * 6, z, climb_per_day_m=math.inf, sleep_rule=False)
    assert free["days"] == 3.0 and free["camps_m"] == [3600.0, 4200.0]
    r = walking_days([4 * 3600.0] * 6, z, climb_per_day_m=math.inf)
    # each night at most 500 m above the last camp (or 3,000 m), so every day backs up one step:
    # camps 3,300 (3,600 > 3,500), 3,600 (3,900 > 3,800), 3,900, 4,200; from 4,200 m the last two
    # steps (8 h) reach the end on day 5 with no camp needed
    assert r["camps_m"] == [3300.0, 3600.0, 3900.0, 4200.0]
    assert r["walking_days"] == pytest.approx(5.0)
    # one rest day per 1,000 m of sleeping elevation gained above 3,000 m: 4,200 m -> 1
    assert r["rest_days"] == 1 and r["days"] == pytest.approx(6.0)


def test_route_json_reports_walking_hours_and_days():
    """Issue 18: `wakhan route --model walking --json` gives walking_hours and walking_days.

    Flat ground, 35 cells of 200 m along a row (7,000 m of grid, 7.003 km on the ellipsoid):
    Tobler's hiking function on the flat is 6 exp(-3.5 x 0.05) = 5.036 km/h (hand-computed),
    so 7.0 km of grid take 7.0 / 5.036 = 1.390 h, 0.174 eight-hour days, one day under the limits.
    The planner walks at the trek-calibrated speed by default; ``terrain_factor=1`` asks for
    Tobler's function as published, which is what the hand computation is.
    """
    from affine import Affine

    from wakhan.grid import Grid
    from wakhan.plan import plan_route

    dem = Grid(np.full((40, 40), 2000.0, np.float32), Affine(200.0, 0, 500_000, 0, -200.0, 4_100_000), "EPSG:32643")
    r = plan_route(["37.00926,75.00562", "37.00923,75.08430"], dem=dem, places=None, model="walking", terrain_factor=1)
    d = r.summary.to_dict()
    hours = 7.0 / (6 * math.exp(-3.5 * 0.05))
    assert d["walking_hours"] == pytest.approx(hours, abs=0.01)
    assert d["walking_days"] == pytest.approx(hours / 8, abs=0.01)
    assert d["walking_days_limited"] == pytest.approx(hours / 8, abs=0.01)  # one short day, no limit bites


@pytest.mark.parametrize(
    ("points", "published_h"),
    [
        # held back from the calibration (benchmarks/walking.md); published walking times:
        (["46.6195,8.5680", "46.5596,8.5619"], 3 + 10 / 60),  # Hospental - Gotthardpass, luzern.com
        (["46.5985,8.5035", "46.5725,8.4150", "46.5630,8.3614"], 5 + 25 / 60),  # Realp - Furka - Gletsch, belalp.ch
    ],
)
def test_calibrated_walking_matches_published_swiss_stages(points, published_h):
    """Issue 18: the calibrated walking model within 20 % of signposted times it was not fitted on."""
    import os
    from pathlib import Path

    from wakhan.cost import WalkingModel
    from wakhan.cost.walking import TREK_TERRAIN_FACTOR
    from wakhan.plan import plan_route

    shared = os.environ.get("WAKHAN_SHARED")
    if not shared:
        pytest.skip("WAKHAN_SHARED unset: the Swiss SRTM tile is not available")
    tile = Path(shared) / "data" / "srtm" / "N46E008.tif"
    model = WalkingModel(terrain_factor=TREK_TERRAIN_FACTOR)
    r = plan_route(points, model=model, dem=str(tile), places=None, buffer_km=8.0)
    hours = sum(float(p.total_cost) for p in r.paths) / 3600.0
    assert hours == pytest.approx(published_h, rel=0.20)
    # plain Tobler on the grid is far too fast on the same stage (the reason for the calibration)
    assert hours * TREK_TERRAIN_FACTOR < 0.8 * published_h
