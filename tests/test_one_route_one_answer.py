"""One route, one answer: `wakhan route` and `wakhan claims` solve the same route on the same cells.

Issue 18: `wakhan route kashgar kabul --via "wakhjir pass" --within CN,AF` gave 4,873 m, 142
hairpins and 12.2 %, the same route in `wakhan claims` 4,879 m, 128 hairpins and 14.8 %: each
built its grid around its own box (another projection centre, other cell centres and, through
GDAL's transform approximation, other heights). With one grid rule (one CRS for every box in the
region pack, cells on the CRS's lattice, heights warped in tiles fixed on it) the two agree.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from wakhan.claims.all_season import all_season_route
from wakhan.claims.case_study import (
    END,
    EXISTING_ROAD,
    HIGHWAY_VARIANTS,
    START,
    WAKHAN_HIGHWAY,
    existing_infrastructure,
    variant,
)
from wakhan.claims.winter import winter_verdict
from wakhan.cli.route_tables import _engineering_cells, print_comparison
from wakhan.dem import dem_around
from wakhan.plan import plan_route
from wakhan.plan.compare import compare_routes, comparison_rows
from wakhan.plan.plan import DEFAULT_BUFFER_KM
from wakhan.plan.waypoints import resolve_waypoints
from wakhan.report.highway_section import _tunnel_cell

pytestmark = pytest.mark.slow


def _claims_grid():
    """The grid `wakhan claims` and `wakhan compare` build: around every variant's waypoints."""
    ends = resolve_waypoints([START, END])
    pts = {(p.lon, p.lat) for v in HIGHWAY_VARIANTS for p in resolve_waypoints([ends[0], *v.via, ends[1]])}
    return dem_around(sorted(pts), DEFAULT_BUFFER_KM)


def test_route_and_claims_agree_to_the_metre():
    alone = plan_route(["Kashgar", "Wakhjir Pass", "Kabul"], within="CN,AF", tunnels=True, places=None)
    grid = _claims_grid()
    (shared,) = compare_routes(START, END, [variant(WAKHAN_HIGHWAY)], dem=grid, tunnels=True, places=None)
    # two different boxes: the claims' one holds the Karakoram Highway's waypoints too
    assert grid.shape != alone.dem.shape
    assert grid.crs == alone.dem.crs
    # the same cell centres: the origins differ by whole cells
    offsets = np.array([alone.dem.transform.c - grid.transform.c, grid.transform.f - alone.dem.transform.f])
    assert np.all(np.mod(offsets, grid.res[0]) == 0)
    a, b = alone.summary, shared.summary
    assert a.terrain.max_elevation_m == b.terrain.max_elevation_m
    assert a.terrain.length_km == b.terrain.length_km
    assert a.engineering.hairpins == b.engineering.hairpins
    assert a.terrain.max_grade_pct == b.terrain.max_grade_pct
    assert a.engineering.built_length_km == b.engineering.built_length_km
    # the same costs item by item, but for the bridges: a stream's catchment is measured on the DEM
    # around the route (pyflwdir), and a river that rises outside the smaller box drains less there;
    # every bridge sits on the same stream crossing, its size may differ a little
    items = {r["item"]: r for r in a.costs.cost_usd["breakdown"]}
    other = {r["item"]: r for r in b.costs.cost_usd["breakdown"]}
    assert items.keys() == other.keys()
    for item in items.keys() - {"bridges"}:
        assert items[item] == other[item], item
    assert items["bridges"]["length_m"] == pytest.approx(other["bridges"]["length_m"], rel=0.05)
    # the same cells; sampled between them from two origins, heights agree to float rounding
    np.testing.assert_allclose(alone.profile.elevation_m, shared.profile.elevation_m, rtol=0, atol=0.01)


def test_compare_and_claims_count_the_all_season_tunnels_alike(capsys):
    """The QA pass read 239.8 km of tunnel for the all-season road in `wakhan compare` and 237 km in
    `wakhan claims`: one route (the same cells, the same bores), two definitions. compare's column summed
    every tunnel on it, the existing Salang tunnel included (2.67 km in
    data/infrastructure/existing_structures.geojson, rehabilitated, not built); the claims count the new
    bores. compare now gives both apart, and its new km is the claims' figure."""
    grid = _claims_grid()
    (seasonal,) = compare_routes(
        START, END, [variant(EXISTING_ROAD)], dem=grid, tunnels=True, **existing_infrastructure(None)
    )
    year_round = all_season_route(seasonal, EXISTING_ROAD)  # as `wakhan compare` and the claims build it
    (row,) = comparison_rows([year_round])
    # the claims' words: "... needs 1 tunnel, 176 km in all (176 km under the Wakhjir Pass ..." (3 tunnels,
    # 237 km before the G314 col and the Salang artefact were left open)
    text, _ = winter_verdict(
        {"all_season_route": "a", "closure_months_limit": 1.0}, [], [], seasonal.summary, {"a": year_round.summary}
    )
    found = re.search(r"needs (\d+) tunnels?, ([\d,]+) km in all", text)
    assert found, text
    assert round(row["new_tunnel_km"]) == int(found[2].replace(",", ""))
    assert row["new_tunnel_km"] == year_round.summary.extra["all_season"]["tunnel_km"]  # claims.json's figure
    assert row["existing_tunnel_km"] == pytest.approx(2.67, abs=0.005)
    assert row["tunnel_km"] == pytest.approx(row["new_tunnel_km"] + row["existing_tunnel_km"], abs=0.002)
    assert row["new_tunnel_km"] > 100  # a crossing of the Wakhjir's closing months is tunnelled, not nothing
    # a road engineer's reading: the col on the G314 (Kashgar - Tashkurgan, kept open all year by the sources in
    # data/infrastructure/SOURCES.md) and the crest past the Salang tunnel's south portal (a data artefact)
    # are not bored; the Wakhjir is, alone
    bores = [t for t in year_round.summary.engineering.tunnels if t.get("all_season")]
    assert [name for t in bores for name in t["replaces"]] == ["Wakhjir Pass"]
    reasons = {c["name"]: c["reason"] for c in year_round.summary.extra["all_season"]["not_tunnelled"]}
    assert reasons[None].startswith("kept open all year: G314 Kashgar - Tashkurgan")
    assert reasons["Salang Pass"].endswith("the existing Salang Tunnel is the real crossing")
    # the verdict names the existing tunnel it leaves out of its km, and the report's engineering table
    # splits the two as compare does (it read "4, 239.8 km" beside the verdict's "3 tunnel(s), 237 km")
    assert "besides the existing Salang Tunnel (2.7 km, rehabilitated)" in text
    cell = _tunnel_cell(year_round.summary.engineering.tunnels)
    assert cell == f"{found[1]} new, {row['new_tunnel_km']:,.1f} km; existing Salang Tunnel 2.7 km"
    # the terminal table says which is which, in the cell of the "tunnel km" column
    assert _engineering_cells(row)[2] == f"{row['new_tunnel_km']:,.1f} new + 2.7 existing"
    print_comparison([seasonal, year_round])
    out = capsys.readouterr().out
    # the wide table's cell, or on a narrow terminal (as under pytest) a row each for new and existing km
    existing_row = re.search(r"existing tunnel km\W+([\d.,]+)\W+([\d.,]+)", out)
    assert "2.7 existing" in out or (existing_row and existing_row[2] == "2.7"), out
