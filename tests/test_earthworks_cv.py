"""The leave-one-road-out choice of the earthworks weight (benchmarks/earthworks_cv.py, issue 17).

Hand-computed cases on a made-up nPDI table: three roads a little better at weight 30 than at 10
and one outlier road much worse at 30, so that the mean and the median disagree and leaving the
outlier out changes the mean's choice.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("earthworks_cv", REPO / "benchmarks" / "earthworks_cv.py")
assert _spec is not None and _spec.loader is not None
cv = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cv)

#: road -> {weight: nPDI %}
TABLE = {
    "a": {0.0: 2.0, 10.0: 1.2, 30.0: 1.0},
    "b": {0.0: 2.0, 10.0: 1.2, 30.0: 1.0},
    "c": {0.0: 2.0, 10.0: 1.2, 30.0: 1.0},
    "outlier": {0.0: 1.0, 10.0: 2.0, 30.0: 20.0},
}


def test_mean_over_the_other_roads_picks_10_unless_the_outlier_is_left_out():
    # leaving out a: means over b, c, outlier are 0: 5/3 = 1.67, 10: 4.4/3 = 1.47, 30: 22/3 = 7.33 -> 10;
    # leaving out the outlier: 0: 2.0, 10: 1.2, 30: 1.0 -> 30
    assert cv.leave_one_out(TABLE, "mean") == {"a": 10.0, "b": 10.0, "c": 10.0, "outlier": 30.0}
    # all four: 0: 7/4 = 1.75, 10: 5.6/4 = 1.4, 30: 23/4 = 5.75
    assert cv.choose_weight(TABLE, "mean") == 10.0


def test_median_over_the_other_roads_is_not_moved_by_the_outlier():
    # leaving out a: medians of (2, 2, 1) = 2, (1.2, 1.2, 2) = 1.2, (1, 1, 20) = 1 -> 30; leaving out the outlier
    # 2, 1.2, 1 -> 30
    assert cv.leave_one_out(TABLE, "median") == {"a": 30.0, "b": 30.0, "c": 30.0, "outlier": 30.0}


def test_a_tie_to_a_thousandth_of_a_percent_goes_to_the_smaller_weight():
    # as road_realism.py's fit: scores rounded to 0.001 %, then the smaller weight
    tied = {"a": {1.0: 2.0004, 3.0: 2.0}, "b": {1.0: 2.0, 3.0: 2.0}}
    assert cv.choose_weight(tied, "mean") == 1.0
    apart = {"a": {1.0: 2.002, 3.0: 2.0}, "b": {1.0: 2.0, 3.0: 2.0}}  # means 2.001 and 2.000
    assert cv.choose_weight(apart, "mean") == 3.0


def test_left_out_roads_scored_at_their_folds_weight_against_the_shipped_one():
    folds = cv.leave_one_out(TABLE, "mean")
    scores = {road: TABLE[road][w] for road, w in folds.items()}
    assert scores == {"a": 1.2, "b": 1.2, "c": 1.2, "outlier": 20.0}
    # against everything at 10: a, b, c the same, the outlier (20 against 2) higher
    assert cv.versus(scores, {road: by_w[10.0] for road, by_w in TABLE.items()}) == [0, 3, 1]


def test_targets_are_counted_inclusive_of_their_bounds():
    def row(npdi, within, ratio):
        return {"npdi_pct": npdi, "within_2km_pct": within, "estimated_ratio": ratio}

    rows = [row(3.0, 80.0, 0.92), row(3.001, 79.9, 1.081), row(1.0, 100.0, 1.08), row(5.0, 100.0, 0.919)]
    c = cv.target_counts(rows)
    assert (c["npdi_le_3"], c["within_2km_ge_80"], c["estimated_ratio_in_band"]) == (2, 3, 2)
    assert c["mean_npdi_pct"] == round((3.0 + 3.001 + 1.0 + 5.0) / 4, 3)
    assert c["median_npdi_pct"] == round((3.0 + 3.001) / 2, 3)
