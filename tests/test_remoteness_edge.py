"""Remoteness values the edge of the data may have lengthened (``wakhan.remoteness.edge``).

A settlement beyond the searched grid is unseen, and is no nearer than the grid's edge. Expectations
are closed forms on flat hand-built planes (Tobler's 5.04 km/h on the flat; octile distances at 8
neighbours) and the region pack's published outline (67.5-77 E, 33.5-40.5 N), not the code's output.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from affine import Affine

from wakhan.cli import run
from wakhan.cost import WalkingModel
from wakhan.dem.project import xy_to_lonlat
from wakhan.grid import DataSource, Grid
from wakhan.remoteness import edge_bounded, edge_hours, remoteness, summarize
from wakhan.settlements import Settlements

CELL_M = 500.0
SPEED_MS = 6.0 * math.exp(-3.5 * 0.05) / 3.6  # Tobler (1993) on the flat
TOBLER = WalkingModel()


def _plane(shape, nan_block=None) -> Grid:
    z = np.full(shape, 1000.0, np.float32)
    if nan_block is not None:
        z[nan_block] = np.nan
    return Grid(z, Affine(CELL_M, 0, 500_000.0, 0, -CELL_M, 4_100_000.0), "EPSG:32643", sources=(DataSource("flat"),))


def _at(grid: Grid, cells) -> Settlements:
    rows, cols = np.array([c[0] for c in cells]), np.array([c[1] for c in cells])
    lon, lat = xy_to_lonlat(grid.crs, *grid.xy(rows, cols))
    return Settlements(lon, lat, tuple(f"s{i}" for i in range(len(cells))), DataSource("hand-placed"))


def _hours(cells: np.ndarray) -> np.ndarray:
    return cells * CELL_M / SPEED_MS / 3600.0


def _to_border_cells(shape) -> np.ndarray:
    rr, cc = np.mgrid[0 : shape[0], 0 : shape[1]]
    return np.minimum.reduce([rr, shape[0] - 1 - rr, cc, shape[1] - 1 - cc]).astype(float)


def test_edge_hours_and_upper_bounds_on_a_flat_plane_at_8_neighbours():
    shape, site = (9, 11), (4, 3)
    grid = _plane(shape)
    r = remoteness(_at(grid, [site]), dem=grid, neighbours=8, model=TOBLER)
    to_border = _to_border_cells(shape)
    np.testing.assert_allclose(edge_hours(r), _hours(to_border), rtol=1e-6)
    rr, cc = np.mgrid[0 : shape[0], 0 : shape[1]]
    a, b = np.abs(rr - site[0]), np.abs(cc - site[1])
    octile = np.maximum(a, b) + (math.sqrt(2) - 1) * np.minimum(a, b)
    expected = octile > to_border + 1e-6  # a tie is exact: the edge is no nearer than the settlement
    np.testing.assert_array_equal(edge_bounded(r), expected)
    assert expected.any() and (~expected).any()


def test_at_16_neighbours_a_move_leaves_the_grid_from_two_cells_in():
    shape = (9, 11)
    grid = _plane(shape)
    r = remoteness(_at(grid, [(4, 5)]), dem=grid, neighbours=16, model=TOBLER)
    np.testing.assert_allclose(edge_hours(r), _hours(np.maximum(_to_border_cells(shape) - 1, 0)), rtol=1e-6)


def test_a_hole_without_elevation_data_is_an_edge_too():
    grid = _plane((11, 11), nan_block=(slice(0, 3), slice(0, 3)))  # a corner the source does not cover
    r = remoteness(_at(grid, [(8, 8)]), dem=grid, neighbours=8, model=TOBLER)
    to_edge = edge_hours(r)
    assert to_edge[3, 1] == 0.0 and to_edge[1, 3] == 0.0 and to_edge[3, 3] == 0.0  # beside the hole
    assert to_edge[5, 5] == pytest.approx(_hours(np.array(2 * math.sqrt(2))), rel=1e-6)  # two diagonals to (3, 3)
    assert np.isnan(to_edge[0, 0])


def test_summary_gives_the_most_remote_cell_the_edge_cannot_shorten():
    shape, site = (9, 11), (4, 3)
    grid = _plane(shape)
    r = remoteness(_at(grid, [site]), dem=grid, neighbours=8, model=TOBLER)
    doc = summarize(r)
    top = doc["most_remote"]
    assert top["upper_bound"] and top["edge_hours"] == 0.0  # the far corner: on the edge itself
    rr, cc = np.mgrid[0 : shape[0], 0 : shape[1]]
    a, b = np.abs(rr - site[0]), np.abs(cc - site[1])
    octile = np.maximum(a, b) + (math.sqrt(2) - 1) * np.minimum(a, b)
    exact = octile <= _to_border_cells(shape) + 1e-6
    best = doc["edge"]["most_remote_exact"]
    assert best["hours"] == pytest.approx(float(_hours(octile[exact].max())), abs=0.006)
    assert doc["edge"]["upper_bound_share"] == pytest.approx((~exact).sum() / exact.size, abs=1e-4)


def test_settlements_all_round_the_edge_leave_no_upper_bound():
    shape = (9, 9)
    grid = _plane(shape)
    ring = [(i, j) for i in range(9) for j in range(9) if i in (0, 8) or j in (0, 8)]
    doc = summarize(remoteness(_at(grid, ring), dem=grid, neighbours=8, model=TOBLER))
    assert doc["most_remote"]["upper_bound"] is False and doc["edge"]["upper_bound_share"] == 0.0
    assert "most_remote_exact" not in doc["edge"]
    assert doc["most_remote"]["hours"] == pytest.approx(float(_hours(np.array(4.0))), abs=0.006)  # the centre


def test_the_packs_most_remote_cell_is_on_its_outline_and_flagged(capsys, tmp_path):
    """On the whole region pack the farthest cell lies on the pack's outline (a settlement beyond it, in
    Ladakh or Gilgit-Baltistan, is not in the data): the summary says so and names a cell it cannot shorten."""
    assert run(["remoteness", "-o", str(tmp_path / "h.tif"), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    top, best = doc["most_remote"], doc["edge"]["most_remote_exact"]
    west, south, east, north = 67.5, 33.5, 77.0, 40.5  # the pack's region (data/README)
    to_outline_deg = min(top["lon"] - west, east - top["lon"], top["lat"] - south, north - top["lat"])
    assert top["upper_bound"] and to_outline_deg < 0.01
    assert best["hours"] < top["hours"]
    assert min(best["lon"] - west, east - best["lon"], best["lat"] - south, north - best["lat"]) > 0.05
    assert 0 < doc["edge"]["upper_bound_share"] < 0.5
    # the pack's grid has no EPSG code: its CRS reads as a PROJ string, as in a route's JSON, not as WKT
    assert doc["crs"].startswith("+proj=aeqd") and doc["written"][0]["crs"] == doc["crs"]
