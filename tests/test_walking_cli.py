"""The walking model's options on the command line (issue 18): `--altitude-term`, and every walking
output naming its speed factor and where it was calibrated.

Expectations are hand computations of Tobler's hiking function on a flat grid at a known height
(the altitude term's published loss per 1,000 m, Fulco et al. 1998 / Buskirk et al. 1967), not the
code's own earlier output.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import rasterio
from affine import Affine

from wakhan.cli import run
from wakhan.cost.walking import (
    ALTITUDE_LOSS_PER_KM,
    TREK_TERRAIN_FACTOR,
    TREK_TERRAIN_FACTOR_ALTITUDE,
    WalkingModel,
    walking_speed,
)
from wakhan.grid import Grid

HEIGHT_M = 2000.0
ENDS = ["37.00926,75.00562", "37.00923,75.08430"]  # 35 cells of 200 m along a row of the flat grid


@pytest.fixture(scope="module")
def flat_dem(tmp_path_factory):
    path = tmp_path_factory.mktemp("dem") / "flat.tif"
    grid = Grid(np.full((40, 40), HEIGHT_M, np.float32), Affine(200.0, 0, 500_000, 0, -200.0, 4_100_000), "EPSG:32643")
    grid.to_geotiff(path, description="elevation", units="m")
    return str(path)


def _flat_hours(factor: float, altitude_term: bool = False) -> float:
    """Hours for the 7.0 km of flat grid: Tobler's 6 exp(-3.5 x 0.05) km/h x factor (x the altitude term)."""
    speed = 6.0 * math.exp(-3.5 * 0.05) * factor
    if altitude_term:  # 7.6 % per 1,000 m above 580 m: at 2,000 m, 1 - 0.076 x 1.42
        speed *= 1.0 - 0.076 * (HEIGHT_M - 580.0) / 1000.0
    return 7.0 / speed


def _route_json(capsys, flat_dem, *flags) -> dict:
    assert run(["route", *ENDS, "--model", "walking", "--dem", flat_dem, *flags, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_altitude_term_flag_walks_slower_at_its_own_calibrated_factor(flat_dem, capsys):
    on = _route_json(capsys, flat_dem, "--altitude-term")
    assert on["walking_hours"] == pytest.approx(_flat_hours(0.753, altitude_term=True), abs=0.01)
    speed = on["walking_speed"]
    assert speed["terrain_factor"] == 0.753 and speed["altitude_loss_per_km"] == 0.076
    assert speed["altitude_term"] is True
    assert speed["calibrated"] is True
    assert "with the altitude term (7.6 % per 1,000 m above 580 m)" in speed["description"]
    # an explicit factor still applies with the term on; the term stays on
    set_by_hand = _route_json(capsys, flat_dem, "--altitude-term", "--terrain-factor", "1")
    assert set_by_hand["walking_hours"] == pytest.approx(_flat_hours(1.0, altitude_term=True), abs=0.01)
    assert "altitude term" in set_by_hand["walking_speed"]["description"]


def test_without_the_flag_or_with_no_altitude_term_nothing_changes(flat_dem, capsys):
    default = _route_json(capsys, flat_dem)
    off = _route_json(capsys, flat_dem, "--no-altitude-term")
    assert default == off
    assert default["walking_hours"] == pytest.approx(_flat_hours(0.616), abs=0.01)
    assert default["walking_speed"]["altitude_loss_per_km"] == 0.0
    assert default["walking_speed"]["altitude_term"] is False
    assert "altitude" not in default["walking_speed"]["description"]


def test_route_table_row_says_the_altitude_term_is_on(flat_dem, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")  # one table row on one line
    assert run(["route", *ENDS, "--model", "walking", "--dem", flat_dem, "--altitude-term"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert f"{_flat_hours(0.753, altitude_term=True):.1f} h" in text
    assert "Tobler x 0.753 with the altitude term (7.6 % per 1,000 m above 580 m)" in text


def test_every_walking_command_has_the_flag_and_its_help_states_the_numbers():
    import typer

    from wakhan.cli import app

    commands = typer.main.get_command(app).commands
    for name in ("route", "compare", "accumulate", "corridor"):
        (opt,) = [p for p in commands[name].params if "--altitude-term" in p.opts]
        assert opt.secondary_opts == ["--no-altitude-term"] and opt.default is False
        # the help states the numbers the code walks with
        assert f"{TREK_TERRAIN_FACTOR_ALTITUDE:g}" in (opt.help or "")
        assert f"{ALTITUDE_LOSS_PER_KM * 100:g} % per 1,000 m" in (opt.help or "")


@pytest.mark.parametrize(
    "argv",
    [
        ["route", "kashgar", "tashkurgan", "--altitude-term"],
        ["route", "kashgar", "tashkurgan", "--model", "isotropic", "--altitude-term", "-o", "OUT/r.geojson"],
        ["compare", "--altitude-term", "-o", "OUT/cmp"],  # compare plans the highway by default
        ["accumulate", "kashgar", "-o", "OUT/a.tif", "--altitude-term"],
        ["corridor", "kashgar", "kabul", "-o", "OUT/c.tif", "--altitude-term", "--json"],
    ],
)
def test_altitude_term_with_another_model_is_one_sentence_before_any_work(argv, capsys, tmp_path):
    argv = [a.replace("OUT", str(tmp_path)) for a in argv]
    assert run(argv) == 2
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert err.startswith("error: --altitude-term applies to the walking model only") and err.count("\n") == 0
    assert captured.out == ""
    assert not list(tmp_path.iterdir())  # nothing written


def test_accumulate_json_names_the_walking_factor_and_the_raster_walks_at_it(flat_dem, tmp_path, capsys):
    out = tmp_path / "acc.tif"
    argv = ["accumulate", ENDS[0], "-o", str(out), "--model", "walking", "--dem", flat_dem, "--json"]
    assert run(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["walking_speed"] == walking_speed(WalkingModel(terrain_factor=TREK_TERRAIN_FACTOR))
    assert "benchmarks/walking.md" in doc["walking_speed"]["description"]

    assert run([*argv, "--altitude-term"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["walking_speed"]["terrain_factor"] == 0.753 and doc["walking_speed"]["calibrated"] is True
    assert doc["walking_speed"]["altitude_term"] is True and "altitude term" in doc["walking_speed"]["description"]
    with rasterio.open(out) as ds:  # the seconds at the other end: the hand-computed walk with the term on
        lon, lat = (float(v) for v in ENDS[1].split(",")[::-1])
        from pyproj import Transformer

        x, y = Transformer.from_crs("EPSG:4326", ds.crs, always_xy=True).transform(lon, lat)
        r, c = ds.index(x, y)
        assert ds.read(1)[r, c] / 3600.0 == pytest.approx(_flat_hours(0.753, altitude_term=True), abs=0.01)


def test_corridor_json_names_the_walking_factor_and_a_highway_raster_does_not(flat_dem, tmp_path, capsys):
    base = ["corridor", *ENDS, "--dem", flat_dem, "--json"]
    assert run([*base, "-o", str(tmp_path / "w.tif"), "--model", "walking", "--terrain-factor", "1"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["walking_speed"]["terrain_factor"] == 1.0 and doc["walking_speed"]["calibrated"] is False
    assert "as published" in doc["walking_speed"]["description"]
    assert run([*base, "-o", str(tmp_path / "h.tif")]) == 0
    assert "walking_speed" not in json.loads(capsys.readouterr().out)


def test_accumulate_text_names_the_walking_factor(flat_dem, tmp_path, capsys):
    assert run(["accumulate", ENDS[0], "-o", str(tmp_path / "a.tif"), "--model", "walking", "--dem", flat_dem]) == 0
    err = capsys.readouterr().err
    assert f"walking speed: Tobler x {TREK_TERRAIN_FACTOR:g}" in err and "benchmarks/walking.md" in err


def test_remoteness_json_names_the_walking_factor(tmp_path, capsys):
    pts = tmp_path / "pts.csv"
    pts.write_text("name,lat,lon\nAlpha,37.10,74.70\nBeta,37.15,74.90\n", encoding="utf-8")
    argv = ["remoteness", "-s", str(pts), "--bbox", "74.6", "37.0", "75.0", "37.25", "-o", str(tmp_path / "h.tif")]
    assert run([*argv, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["walking_speed"] == walking_speed(WalkingModel(terrain_factor=TREK_TERRAIN_FACTOR))
    assert doc["walking_speed"]["calibrated"] is True
