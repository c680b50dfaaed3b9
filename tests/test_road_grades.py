"""Published maximum grades of the benchmark's Swiss roads carry their source (issue 17).

``benchmarks/data/road_grades.csv`` gives, for every road the route-length benchmark re-routes on
the Swiss tile, the road's published maximum grade with the page it was read from, or an
explicit blank (no figure, no source, a note saying why) where none was found. The benchmark
``benchmarks/design_grade.py`` re-routes each road with a figure at that design grade.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GRADES = ROOT / "benchmarks" / "data" / "road_grades.csv"
ROADS = sorted(p.stem for p in (ROOT / "tests" / "data" / "roads").glob("*.geojson"))
#: the Susten pass road end to end (Wassen - Innertkirchen), routed by benchmarks/route_lengths.py from its towns
SUSTEN = "wassen-innertkirchen (Susten)"


def _rows() -> list[dict]:
    with open(GRADES, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_every_benchmark_road_has_exactly_one_row():
    names = [r["road"] for r in _rows()]
    assert sorted(names) == sorted(ROADS + [SUSTEN])


@pytest.mark.parametrize("row", _rows(), ids=lambda r: r["road"])
def test_each_row_has_a_cited_figure_or_an_explicit_blank(row):
    grade = row["max_grade_pct"].strip()
    if grade:
        # a road grade in percent (Swiss pass roads: 8-18 % as published), read from a named page
        assert 5.0 <= float(grade) <= 25.0
        assert row["source_url"].startswith(("http://", "https://"))
        assert row["source_kind"] and row["pass"] and row["side"]
    else:
        assert not row["source_url"] and not row["source_kind"]
        assert "blank" in row["note"]


@pytest.mark.parametrize("shared", [None, "missing"])
def test_design_grade_benchmark_without_the_tile_is_one_sentence_and_exit_2(shared, tmp_path):
    """Without the shared tile the benchmark exited 1 (sys.exit with a message), unlike bad input elsewhere;
    with WAKHAN_SHARED unset it fell back to ../shared and, where that existed, ran and overwrote its results."""
    import os
    import subprocess
    import sys

    results = ROOT / "benchmarks" / "results" / "design_grade.json"
    before = results.read_bytes() if results.exists() else None
    env = {k: v for k, v in os.environ.items() if k != "WAKHAN_SHARED"}
    if shared:
        env["WAKHAN_SHARED"] = str(tmp_path / shared)
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "design_grade.py")],
        cwd=ROOT / "tests",  # ../shared from here is the repository's own folder, never the shared data
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr and "WAKHAN_SHARED" in proc.stderr
    assert proc.stdout == ""
    assert (results.read_bytes() if results.exists() else None) == before
