"""The typed route summary keeps the JSON of ``wakhan route --json`` unchanged.

The expected keys and value types below were recorded from the summary dicts that
``plan_route`` and ``read_route`` produced before :class:`RouteSummary` existed
(commit 35ce72b), and match the interface contract of issue 8 (design_grade_pct,
built_length_km, switchback_km, hairpins, tunnels, cost_usd, optimality_gap_pct).
They are written out here, not read from the code, so a renamed, dropped or
retyped key fails the test.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from wakhan.plan import plan_route
from wakhan.route.absent import ABSENT
from wakhan.route.files import read_route, write_route
from wakhan.route.summary import Engineering, Provenance, RouteSummary, Terrain

# key -> JSON type name, in the order today's JSON prints them
BASE = [
    ("name", "str"),
    ("length_km", "float"),
    ("start_elevation_m", "float"),
    ("end_elevation_m", "float"),
    ("min_elevation_m", "float"),
    ("mean_elevation_m", "float"),
    ("median_elevation_m", "float"),
    ("max_elevation_m", "float"),
    ("km_above_4000m", "float"),
    ("km_above_m", "dict"),
    ("climb_m", "float"),
    ("descent_m", "float"),
    ("max_grade_pct", "float"),
    ("max_grade_km", "float"),
    ("grade_design_length_km", "float"),
    ("smoothing_km", "float"),
    ("smoothing", "str"),
    ("passes", "list"),
    ("places_along", "list"),
    ("waypoints", "list"),
    ("countries_km", "dict"),
    ("cost", "float"),
    ("cost_unit", "str"),
    ("model", "str"),
    ("model_description", "str"),
    ("model_max_grade_pct", "float"),
    ("data_sources", "list"),
    ("grid", "dict"),
    ("notes", "list"),
    ("legs", "list"),
]
ENGINEERING = [
    ("design_grade_pct", "float"),
    ("design_grade_pct_by_altitude", "dict"),
    ("hairpin_limit_pct", "float"),
    ("tunnel_cost_factor", "float"),
    ("horizontal_length_km", "float"),
    ("built_length_km", "float"),
    ("road_length_factor", "float"),
    ("estimated_road_km", "float"),
    ("switchback_km", "float"),
    ("development_km", "float"),
    ("hairpins", "int"),
    ("max_built_grade_pct", "float"),
    ("switchback_sections", "list"),
    ("built_km_by_class", "dict"),
    ("tunnels", "list"),
    ("cost_usd", "dict"),
    ("tunnels_allowed", "bool"),
    ("max_elevation_ceiling_m", "NoneType"),
]
PLANNED = [
    ("within", "list"),
    ("avoid", "NoneType"),
    ("neighbours", "int"),
    ("optimality_gap_pct", "float"),
    ("optimality_bound", "str"),
]
# issue 17: the earthworks of the bench cut and the bridges over the DEM's streams (highway only)
EARTHWORKS = [("earthworks_m3", "float"), ("bridges", "list")]
# issue 17: the road-length model's range and basis (highway only)
ROAD_LENGTH = [("estimated_road_km_range", "list"), ("road_length_basis", "str")]
# issue 17: the share of the route's length on each DEM source (from the grid's per-cell source index)
SOURCE_SHARES = [("source_shares", "list")]
HIGHWAY = BASE + ENGINEERING + EARTHWORKS + PLANNED + ROAD_LENGTH + SOURCE_SHARES + [("geometry", "dict")]
# issue 18: a walking route states its hours and days (8-hour days, and under the claim's daily limits)
WALKING_TIME = [
    ("walking_hours", "float"),
    ("walking_days", "float"),
    ("walking_hours_per_day", "float"),
    ("walking_days_limited", "float"),
    ("daily_limits", "dict"),
    ("walking_speed", "dict"),  # the speed factor and where it was calibrated
]
WALKING = BASE + PLANNED + WALKING_TIME + SOURCE_SHARES + [("geometry", "dict")]


def _types(d: dict) -> list[tuple[str, str]]:
    return [(k, type(v).__name__) for k, v in d.items()]


@pytest.fixture(scope="module")
def highway():
    return plan_route(["Tashkurgan", "Wakhjir Pass"], within="CN,AF")


def test_planned_highway_json_has_todays_keys_types_and_order(highway):
    s = highway.summary
    assert isinstance(s, RouteSummary)
    assert _types(s.to_dict()) == HIGHWAY
    assert _types(json.loads(json.dumps(s.to_dict()))) == HIGHWAY  # JSON-serialisable as is
    cost = s.costs.cost_usd
    assert set(cost) == {"low", "high", "currency", "breakdown", "basis"} and cost["low"] <= cost["high"]
    assert s.search.optimality_gap_pct == 0.0 and s.search.within == ("CN", "AF") and s.search.avoid is None


def test_walking_json_has_todays_keys_and_types():
    r = plan_route(["Tashkurgan", "Wakhjir Pass"], model="walking", within="CN,AF")
    assert _types(r.summary.to_dict()) == WALKING
    assert r.summary.provenance.cost_unit == "s" and r.summary.engineering is None  # not a highway
    assert r.summary.costs is None and r.summary.walking is not None and r.summary.walking.walking_hours > 0


def test_every_summary_has_terrain_and_provenance_and_only_the_sections_it_fills():
    empty = RouteSummary()
    assert empty.terrain == Terrain() and empty.provenance == Provenance() and empty.to_dict() == {}
    assert (empty.search, empty.engineering, empty.costs, empty.walking) == (None, None, None, None)
    s = RouteSummary.of(name="r", hairpins=3, arrival=ABSENT)
    assert s.engineering == Engineering(hairpins=3) and s.walking is None  # a section of absent fields is none
    with pytest.raises(TypeError, match="no field 'lenght_km'"):
        RouteSummary.of(lenght_km=1.0)


def test_a_written_route_reads_back_with_the_same_json(highway, tmp_path):
    path = write_route(tmp_path / "r.geojson", highway)
    back = read_route(path)
    assert isinstance(back.summary, RouteSummary)
    assert back.summary.to_dict() == json.loads(json.dumps(highway.summary.to_dict()))
    assert _types(back.summary.to_dict()) == HIGHWAY


def test_summary_is_frozen_and_changes_go_through_with_fields(highway):
    s = highway.summary
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.terrain.length_km = 1.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        s["length_km"] = 1.0  # type: ignore[index]
    t = s.with_fields(steep_sections=[], grade_limit_raised_pct=9.5)
    keys = list(t.to_dict())
    # additions of compare/claims come before the geometry, which stays last (after them only the
    # fields added at the end of the record since: the road-length range and basis of issue 17, and
    # the share of the route's length on each DEM source)
    assert keys[-6:] == [
        "grade_limit_raised_pct",
        "steep_sections",
        "estimated_road_km_range",
        "road_length_basis",
        "source_shares",
        "geometry",
    ]
    assert "steep_sections" not in s.to_dict() and t.terrain.length_km == s.terrain.length_km


def test_from_dict_round_trips_and_keeps_unknown_keys():
    d = {
        "name": "r",
        "length_km": 2.5,
        "some_future_key": [1, 2],
        "notes": ["a"],
        "geometry": None,
        "walking_days": 1.5,
    }
    s = RouteSummary.from_dict(d)
    assert s.terrain.length_km == 2.5 and s.provenance.notes == ("a",) and s.walking.walking_days == 1.5
    assert s.to_dict() == d
    assert (
        s.extra == {"some_future_key": [1, 2]}
        and s.costs is None
        and s.terrain.climb_m is ABSENT
        and "cost_usd" not in s.to_dict()
    )
