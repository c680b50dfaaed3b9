"""The `wakhan places` table against the gazetteer file, and waypoint snapping on a built DEM."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest
from affine import Affine
from pyproj import CRS, Transformer

from wakhan.cli import run
from wakhan.errors import InputError
from wakhan.grid import Grid
from wakhan.places import Place
from wakhan.plan.waypoints import waypoint_cell

PLACES_CSV = Path(__file__).resolve().parents[1] / "data" / "places.csv"


def _gazetteer_rows():
    with open(PLACES_CSV, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_places_table_lists_every_gazetteer_row(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")  # wide enough that no name wraps inside its cell
    rows = _gazetteer_rows()
    assert run(["places", "--json"]) == 0
    import json

    listed = json.loads(capsys.readouterr().out)
    assert sorted(p["name"] for p in listed) == sorted(r["name"] for r in rows)
    by_name = {p["name"]: p for p in listed}
    for r in rows:
        assert by_name[r["name"]]["lat"] == pytest.approx(float(r["lat"]))
        assert by_name[r["name"]]["lon"] == pytest.approx(float(r["lon"]))
    assert run(["places"]) == 0
    table = capsys.readouterr().out
    assert f"{len(rows)} places" in table
    for r in rows:
        assert r["name"] in table


def test_places_kind_filter_matches_the_file(capsys):
    passes = sorted(r["name"] for r in _gazetteer_rows() if r["kind"] == "pass")
    assert passes, "the gazetteer has passes"
    assert run(["places", "--kind", "PASS", "--json"]) == 0
    import json

    assert sorted(p["name"] for p in json.loads(capsys.readouterr().out)) == passes


def test_places_unknown_kind_is_one_sentence_exit_2(capsys):
    assert run(["places", "--kind", "volcano"]) == 2
    err = capsys.readouterr().err.strip()
    assert "volcano" in err and "\n" not in err


# --- waypoint snapping -------------------------------------------------------

CELL_M = 100.0
UTM43 = CRS.from_epsg(32643)  # UTM 43N covers the Wakhan
ORIGIN = (500_000.0, 4_100_000.0)  # x, y of the grid's upper-left corner


def _dem_with_hole(hole):
    z = np.full((41, 41), 3000.0, dtype=np.float32)
    r0, r1, c0, c1 = hole
    z[r0:r1, c0:c1] = np.nan
    return Grid(z, Affine(CELL_M, 0, ORIGIN[0], 0, -CELL_M, ORIGIN[1]), UTM43, None)


def _place_at_cell(row, col, name="P"):
    x = ORIGIN[0] + (col + 0.5) * CELL_M
    y = ORIGIN[1] - (row + 0.5) * CELL_M
    lon, lat = Transformer.from_crs(UTM43, "EPSG:4326", always_xy=True).transform(x, y)
    return Place(name=name, aliases=(), lat=lat, lon=lon, kind="point", country="", source="test")


def test_waypoint_on_a_valid_cell_stays_put():
    notes = []
    assert waypoint_cell(_dem_with_hole((0, 0, 0, 0)), _place_at_cell(20, 20), None, notes) == (20, 20)
    assert notes == []


def test_waypoint_in_a_void_moves_to_the_nearest_valid_cell():
    # a 5x5 hole centred on (20, 20); the nearest valid cells are 3 cells away, straight up/down/left/right
    dem = _dem_with_hole((18, 23, 18, 23))
    notes = []
    r, c = waypoint_cell(dem, _place_at_cell(20, 20, "Hole"), None, notes)
    assert math.hypot(r - 20, c - 20) == pytest.approx(3.0)
    assert np.isfinite(dem.array[r, c])
    assert len(notes) == 1 and "Hole moved 300 m" in notes[0]


def test_waypoint_in_a_barrier_moves_out_of_it():
    dem = _dem_with_hole((0, 0, 0, 0))
    barrier = np.zeros(dem.shape, dtype=bool)
    barrier[:, :22] = True  # everything west of column 22 is excluded
    notes = []
    r, c = waypoint_cell(dem, _place_at_cell(10, 20), barrier, notes)
    assert (r, c) == (10, 22) and "moved 200 m" in notes[0]


def test_waypoint_far_inside_a_void_is_refused_in_one_sentence():
    dem = _dem_with_hole((0, 41, 0, 41))
    with pytest.raises(InputError, match="no elevation data") as e:
        waypoint_cell(dem, _place_at_cell(20, 20, "Deep"), None, [])
    assert "\n" not in str(e.value)


def test_waypoint_outside_the_grid_is_refused():
    with pytest.raises(InputError, match="outside the elevation data"):
        waypoint_cell(_dem_with_hole((0, 0, 0, 0)), _place_at_cell(60, 20, "Far"), None, [])
