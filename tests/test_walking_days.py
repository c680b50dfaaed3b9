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
