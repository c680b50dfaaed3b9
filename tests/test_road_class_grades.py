"""The road class and design grade of each benchmark road follow the published table (issue 17).

``benchmarks/data/road_class_grades.csv`` is the pre-registered mapping of the road-class test in
``benchmarks/route_lengths.md``: every Swiss road the route-length benchmark re-routes gets a class
from one published attribute (a numbered Swiss main road or not) and the maximum grade of its
design class in the German RAL 2012 table (``benchmarks/data/road_class_grades.md``).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CLASSES = ROOT / "benchmarks" / "data" / "road_class_grades.csv"
ROADS = sorted(p.stem for p in (ROOT / "tests" / "data" / "roads").glob("*.geojson"))
SUSTEN = "wassen-innertkirchen (Susten)"
#: RAL 2012 Hoechstlaengsneigung max s per design class, as published (what-when-how.com,
#: "Strassen- und Tiefbau" table 2.8): EKL 1 4.5 %, EKL 2 5.5 %, EKL 3 6.5 %, EKL 4 8.0 %
RAL_MAX_GRADE_PCT = {"EKL 1": 4.5, "EKL 2": 5.5, "EKL 3": 6.5, "EKL 4": 8.0}
#: the two rules fixed before routing: (primary, secondary) design class by road class
RULES = {"main road": ("EKL 3", "EKL 2"), "other road": ("EKL 4", "EKL 4")}


def _rows() -> list[dict]:
    with open(CLASSES, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_every_benchmark_road_has_exactly_one_row():
    assert sorted(r["road"] for r in _rows()) == sorted(ROADS + [SUSTEN])


@pytest.mark.parametrize("row", _rows(), ids=lambda r: r["road"])
def test_each_grade_is_the_published_grade_of_the_class_the_rule_gives(row):
    primary, secondary = RULES[row["road_class"]]
    assert (row["ral_ekl"], row["alt_ral_ekl"]) == (primary, secondary)
    assert float(row["design_grade_pct"]) == RAL_MAX_GRADE_PCT[primary]
    assert float(row["design_grade_pct_alt"]) == RAL_MAX_GRADE_PCT[secondary]
    # the RIN category maps one to one onto the design class (LS III -> EKL 3, LS IV -> EKL 4)
    assert row["ral_category"] == {"EKL 3": "LS III", "EKL 4": "LS IV"}[primary]


@pytest.mark.parametrize("row", _rows(), ids=lambda r: r["road"])
def test_each_class_names_its_attribute_and_source(row):
    assert row["class_source"].startswith(("https://", "http://", "tests/data/roads/README.md"))
    if row["road_class"] == "main road":
        assert re.search(r"Hauptstrasse \d+", row["class_attribute"])
    else:
        assert "not" in row["class_attribute"]
