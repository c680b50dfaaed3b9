"""A buffer at which a route has no gap gives a row saying so, in the tables, the JSON and the report.

A walk with a settlement at each end has a gap at buffer ``b`` from km ``b`` to km ``L - b``, and
none once ``2 b >= L``; at the default buffers (2, 5, 10, 20 km) a 22.1 km walk has none at 20 km,
and ``route_gap_rows`` raised a TypeError (the row's ``start_km`` is None) in ``flag_coverage``.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from pyproj import Geod

from wakhan.claims.case_study import ON_FOOT
from wakhan.claims.depopulated import BUFFERS_KM, depopulated_claim, route_gap_rows
from wakhan.claims.evidence import settlement_evidence
from wakhan.grid import DataSource
from wakhan.report.coarse import settlement_evidence_md
from wakhan.report.markdown import _gap_rows_md
from wakhan.route.profile import profile_from_lonlat
from wakhan.route.result import RouteResult
from wakhan.settlements import Settlements

LON = np.linspace(72.0, 72.25, 101)


def _walk_and_towns():
    walk = RouteResult({"name": "walk"}, profile_from_lonlat(LON, np.full(101, 37.5), np.full(101, 3000.0)))
    towns = Settlements(LON[[0, -1]], [37.5, 37.5], ("West", "East"), DataSource("towns"))
    return walk, towns


def test_a_short_walk_has_a_gap_at_the_small_buffers_and_none_at_20_km():
    walk, towns = _walk_and_towns()
    rows = route_gap_rows({ON_FOOT: walk}, [towns])[ON_FOOT]
    # the walk's length along the parallel, by the WGS84 geodesic (pyproj), not the code's profile
    length_km = sum(Geod(ellps="WGS84").line_lengths(LON, np.full(101, 37.5))) / 1000.0
    assert length_km == pytest.approx(22.1, abs=0.05)
    assert [r["buffer_km"] for r in rows] == list(BUFFERS_KM) == [2.0, 5.0, 10.0, 20.0]
    for r in rows[:3]:  # 2 b < L: the stretch from km b to km L - b
        b = r["buffer_km"]
        assert r["start_km"] == pytest.approx(b, abs=0.01)
        assert r["end_km"] == pytest.approx(length_km - b, abs=0.01)
        assert r["length_km"] == pytest.approx(length_km - 2 * b, abs=0.02)
        assert (r["start_neighbour"], r["end_neighbour"]) == ("West", "East")
    none = rows[3]  # 2 x 20 km >= 22.1 km: every point is within 20 km of West or East
    assert none["length_km"] == 0.0 and none["start_km"] is None and none["end_km"] is None and none["gap"] is None
    assert none["coverage_limited"] is False and none["uncovered_countries"] == []


def test_the_rows_without_a_gap_are_null_in_json_and_said_in_words_in_the_report():
    """An 8.8 km walk (0.1 degree along 37.5 N) with both ends settled in sources A and B alike: a gap
    at 2 km (km 2 to km L - 2), none at 5, 10 and 20 km (2 b >= L), the 5 km headline included."""
    lon = np.linspace(72.0, 72.1, 41)
    walk = RouteResult({"name": "walk"}, profile_from_lonlat(lon, np.full(41, 37.5), np.full(41, 3000.0)))
    a, b = (Settlements(lon[[0, -1]], [37.5, 37.5], ("West", "East"), DataSource(n)) for n in "AB")
    rows = route_gap_rows({ON_FOOT: walk}, [a, b])
    length_km = sum(Geod(ellps="WGS84").line_lengths(lon, np.full(41, 37.5))) / 1000.0
    assert [round(r["length_km"], 2) for r in rows[ON_FOOT]] == [round(length_km - 4.0, 2), 0.0, 0.0, 0.0] * 2

    claim = depopulated_claim(rows, {ON_FOOT: length_km}, ON_FOOT, "B")
    assert claim.value == 0.0 and claim.verdict == "not supported"
    gaps = json.loads(json.dumps(claim.details))["gaps"][ON_FOOT]
    assert [(g["source"], g["buffer_km"]) for g in gaps if g["start_km"] is None] == [
        (s, bk) for s in "AB" for bk in (5.0, 10.0, 20.0)
    ]
    assert all(g["end_km"] is None for g in gaps if g["start_km"] is None)

    table = "\n".join(_gap_rows_md(rows[ON_FOOT]))
    assert "| A | 5 km | none: every point within 5 km of a settlement | - | - |" in table
    assert "| A | 2 km | 4.8 km (km 2-7) | West | East |" in table
    assert "None" not in table

    c = settlement_evidence(claim, rows, {ON_FOOT: walk}, [a, b], "B")
    assert c.details["bounding_settlements"] == []  # no headline stretch, so nothing bounds it
    assert [(s["source"], s["from_km"], s["to_km"]) for s in c.details["blind_spots"]] == [("A", None, None)]
    assert "- A: none, every point of the walk within 5 km of a settlement." in settlement_evidence_md(c.details)
