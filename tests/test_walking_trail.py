"""The structured walking model of benchmarks/walking_trail.py (issue 18): trail length, speed and breaks apart.

Hand-computed cases: the trail-length factor is published km / grid km per DEM, the speed factor the
geometric mean of model / published hours once the length and the break allowance (5 min per hour of
walking, on times that include stops only) are applied; a recorded moving time is compared without breaks.
"""

from __future__ import annotations

import csv
import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("walking_trail", REPO / "benchmarks" / "walking_trail.py")
assert _spec is not None and _spec.loader is not None
wt = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(wt)


def _row(id_, dem, km, hours, kind, total=""):
    return {
        "id": id_,
        "dem": dem,
        "published_km": km,
        "published_hours": hours,
        "published_days": "",
        "time_kind": kind,
        "recorded_total_hours": total,
    }


def _run(grid_km, grid_hours):
    return {"length_km": grid_km, "hours": grid_hours, "steps_s": np.array([grid_hours * 3600.0]), "z_m": np.zeros(2)}


def test_fit_by_hand():
    rows = [_row("a", "pack", "12", "4", "itinerary"), _row("b", "swiss", "13", "3", "walking")]
    runs = {"a": _run(10.0, 2.0), "b": _run(10.0, 2.0)}
    p = wt.fit(rows, runs)
    assert p["length_factor"] == pytest.approx({"pack": 1.2, "swiss": 1.3})
    # model / published: 2 x 1.2 x (1 + 5/60) / 4 = 0.65 (itinerary, breaks) and 2 x 1.3 / 3 (walking time)
    assert p["speed_factor"] == pytest.approx(math.sqrt(0.65 * 2.6 / 3))


def test_a_dem_without_a_distance_takes_the_pooled_length_factor():
    rows = [
        _row("a", "pack", "", "4", "itinerary"),
        _row("b", "swiss", "12", "3", "walking"),
        _row("c", "swiss", "15", "3", "walking"),
    ]
    runs = {k: _run(10.0, 2.0) for k in "abc"}
    assert wt.fit(rows, runs)["length_factor"]["pack"] == pytest.approx(math.sqrt(1.2 * 1.5))


def test_breaks_only_on_times_that_include_stops():
    params = {"length_factor": {"swiss": 1.25, "pack": 1.25}, "speed_factor": 0.5}
    run = _run(8.0, 2.0)  # walking time 2 x 1.25 / 0.5 = 5 h
    walking = wt.predict(_row("w", "swiss", "10", "5", "walking"), run, params)
    itinerary = wt.predict(_row("i", "pack", "", "5", "itinerary"), run, params)
    moving = wt.predict(_row("m", "swiss", "10", "4", "moving", "5"), run, params)
    assert walking["hours"] == pytest.approx(5.0) and walking["error_pct"] == pytest.approx(0.0)
    assert walking["trail_km"] == pytest.approx(10.0) and walking["km_error_pct"] == pytest.approx(0.0)
    assert itinerary["hours"] == pytest.approx(5.0 * 65 / 60, abs=0.01)
    assert moving["hours"] == pytest.approx(5.0) and moving["error_pct"] == pytest.approx(25.0)
    # the separate comparison: the recorded total time against walking time plus breaks
    assert moving["total_hours"] == pytest.approx(5.0 * 65 / 60, abs=0.01)
    assert moving["total_error_pct"] == pytest.approx(100 * (5.0 * 65 / 60 - 5.0) / 5.0, abs=0.1)


def test_the_trek_table_names_each_rows_kind_of_time():
    path = REPO / "benchmarks" / "data" / "treks.csv"
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    wt.check_rows(rows, str(path))  # raises on a malformed row
    assert {r["time_kind"] for r in rows} <= set(wt.TIME_KINDS)


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"time_kind": "fast"}, "time_kind 'fast' must be one of"),
        ({"time_kind": "days"}, "time_kind 'days' is for the rows without published_hours"),
        ({"time_kind": "moving", "recorded_total_hours": "3"}, "at least the moving time"),
        ({"recorded_total_hours": "soon"}, "must be a number of hours"),
    ],
)
def test_a_malformed_row_is_one_sentence_naming_the_file_and_line(change, says):
    rows = [_row("a", "swiss", "10", "4", "walking"), {**_row("b", "swiss", "10", "4", "walking"), **change}]
    with pytest.raises(ValueError, match=says) as err:
        wt.check_rows(rows, "treks.csv")
    assert str(err.value).startswith("treks.csv line 3: ") and "\n" not in str(err.value)


def test_the_road_length_contrast_makes_the_coarser_dem_miss_more_length():
    # 464 m GEBCO cells straighten more of a winding trail than 93 m SRTM cells (issue 17's fit on roads)
    length = wt.road_length_factors()
    assert length["pack"] > length["swiss"] > 0.5
