"""One walk, one answer (issue 18): the planner walks at the claims' trek-calibrated speed by default.

`wakhan route --model walking`, `compare`, the raster commands and `plan_route(model="walking")`
choose their model in `PlanOptions.cost_model()`; the claims' walk from Sarhad-e Broghil chooses
its own in `wakhan.claims`. The tests route the claim's walk again through the CLI and compare the
two answers with each other (whatever the factor's value), and check the factor against
hand-computed Tobler times on a flat grid.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest
from affine import Affine

from wakhan.cli import run
from wakhan.cost import ALTITUDE_LOSS_PER_KM, WalkingModel, get_model
from wakhan.cost.walking import TREK_CALIBRATION, TREK_TERRAIN_FACTOR, calibrated_terrain_factor
from wakhan.errors import InputError
from wakhan.grid import Grid
from wakhan.plan import PlanOptions, plan_route

TREKS_CSV = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "treks.csv"
ENDS = ["37.00926,75.00562", "37.00923,75.08430"]  # 35 cells of 200 m along a row of the flat grid


def _flat_dem() -> Grid:
    return Grid(np.full((40, 40), 2000.0, np.float32), Affine(200.0, 0, 500_000, 0, -200.0, 4_100_000), "EPSG:32643")


def _tobler_flat_hours(factor: float) -> float:
    # Tobler on the flat: 6 exp(-3.5 x 0.05) km/h, times the factor; 7.0 km of grid (hand computation)
    return 7.0 / (6.0 * math.exp(-3.5 * 0.05) * factor)


@pytest.fixture(scope="module")
def claim_walk():
    """The claims' walk from Sarhad-e Broghil to the first Chinese settlement (claims' default sources)."""
    from wakhan.claims.evidence import DEFAULT_SETTLEMENT_SPECS
    from wakhan.claims.scenarios import infiltration_route
    from wakhan.settlements import read_settlements

    sets = [read_settlements(s) for s in DEFAULT_SETTLEMENT_SPECS]
    return sets, infiltration_route(sets)


def test_route_model_walking_gives_the_claims_walk(claim_walk, capsys):
    """`wakhan route A B --model walking --json` between the claim's own ends: the claim's hours and days."""
    from wakhan.claims.scenarios import INFILTRATION_COUNTRIES, INFILTRATION_START

    _, walk = claim_walk
    claim = walk.route.summary.flat()
    lon, lat = walk.arrival_lonlat
    argv = ["route", INFILTRATION_START, f"{lat},{lon}", "--model", "walking"]
    assert run([*argv, "--within", ",".join(INFILTRATION_COUNTRIES), "--json"]) == 0
    route = json.loads(capsys.readouterr().out)
    assert route["length_km"] == pytest.approx(claim["length_km"], abs=0.001)  # the same path
    for key in ("walking_hours", "walking_days", "walking_days_limited"):
        assert route[key] == pytest.approx(claim[key], abs=0.011), key
    # the same speed, and the route says which and where it was calibrated
    assert route["walking_speed"]["terrain_factor"] == walk.route.model.terrain_factor
    assert route["walking_speed"]["calibrated"] is True
    assert "benchmarks/walking.md" in route["walking_speed"]["description"]


def test_the_altitude_term_walks_as_the_claims_second_walk(claim_walk):
    """`altitude_term=True` plans with the model the claims' walk with the altitude term uses."""
    from wakhan.claims.scenarios import INFILTRATION_COUNTRIES, INFILTRATION_START, infiltration_route

    sets, walk = claim_walk
    grid = walk.route.dem
    model = get_model(
        "walking", altitude_loss_per_km=ALTITUDE_LOSS_PER_KM, terrain_factor=calibrated_terrain_factor(1.0)
    )  # as wakhan.claims.evaluate builds it
    alt = infiltration_route(sets, dem=grid, model=model)
    lon, lat = alt.arrival_lonlat
    r = plan_route(
        [INFILTRATION_START, f"{lat},{lon}"],
        model="walking",
        altitude_term=True,
        within=INFILTRATION_COUNTRIES,
        dem=grid,
        places=None,
    )
    assert r.model == model
    for key in ("length_km", "walking_hours", "walking_days", "walking_days_limited"):
        assert r.summary.flat()[key] == pytest.approx(alt.route.summary.flat()[key], abs=0.011), key
    assert "altitude term" in r.summary.walking.walking_speed["description"]


def test_the_default_is_calibrated_and_one_means_tobler_as_published():
    dem = _flat_dem()
    calibrated = plan_route(ENDS, dem=dem, places=None, model="walking").summary.walking
    tobler = plan_route(ENDS, dem=dem, places=None, model="walking", terrain_factor=1.0).summary.walking
    set_by_hand = plan_route(ENDS, dem=dem, places=None, model="walking", terrain_factor=0.5).summary.walking
    assert tobler.walking_hours == pytest.approx(_tobler_flat_hours(1.0), abs=0.01)
    assert calibrated.walking_hours == pytest.approx(_tobler_flat_hours(TREK_TERRAIN_FACTOR), abs=0.01)
    assert set_by_hand.walking_hours == pytest.approx(_tobler_flat_hours(0.5), abs=0.01)
    assert (
        calibrated.walking_speed["description"]
        == f"walking speed: Tobler x {TREK_TERRAIN_FACTOR:g}, {TREK_CALIBRATION}"
    )
    assert tobler.walking_speed["calibrated"] is False and "as published" in tobler.walking_speed["description"]
    assert "as set" in set_by_hand.walking_speed["description"]
    # a model given as an object walks as given: the textbook model stays the textbook model
    given = plan_route(ENDS, dem=dem, places=None, model=WalkingModel()).summary.walking
    assert given.walking_hours == pytest.approx(_tobler_flat_hours(1.0), abs=0.01)


def test_route_text_says_the_walking_time_and_its_speed(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")  # one table row on one line
    dem = tmp_path / "flat.tif"
    _flat_dem().to_geotiff(dem, description="elevation", units="m")
    assert run(["route", *ENDS, "--model", "walking", "--terrain-factor", "1", "--dem", str(dem), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["walking_hours"] == pytest.approx(_tobler_flat_hours(1.0), abs=0.01)
    assert doc["walking_speed"]["terrain_factor"] == 1.0
    assert run(["route", *ENDS, "--model", "walking", "--dem", str(dem)]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert f"{_tobler_flat_hours(TREK_TERRAIN_FACTOR):.1f} h" in text
    assert f"Tobler x {TREK_TERRAIN_FACTOR:g}" in text and "benchmarks/walking.md" in text


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["route", "kashgar", "tashkurgan", "--model", "walking", "--terrain-factor", "0"], "positive"),
        (["route", "kashgar", "tashkurgan", "--model", "walking", "--terrain-factor", "-0.6"], "positive"),
        (["route", "kashgar", "tashkurgan", "--model", "walking", "--terrain-factor", "nan"], "positive"),
        (["compare", "--terrain-factor", "0.8"], "walking model only"),  # compare plans the highway
        (["route", "kashgar", "tashkurgan", "--terrain-factor", "0.8"], "walking model only"),
        (["accumulate", "kashgar", "-o", "OUT/a.tif", "--model", "walking", "--terrain-factor", "0"], "positive"),
        (["corridor", "kashgar", "kabul", "-o", "OUT/c.tif", "--terrain-factor", "0.8"], "walking model only"),
    ],
)
def test_a_bad_terrain_factor_is_one_sentence_before_any_work(argv, says, capsys, tmp_path):
    argv = [a.replace("OUT", str(tmp_path)) for a in argv]
    assert run(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: --terrain-factor") and says in err and err.count("\n") == 0
    assert not list(tmp_path.iterdir())  # nothing written


def test_plan_options_refuse_a_bad_factor():
    for bad in (0, -1.0, float("inf"), "fast", True):
        with pytest.raises(InputError, match="--terrain-factor .*, or terrain_factor=.* in Python, must be"):
            PlanOptions(model="walking", terrain_factor=bad)
    # a Python caller is told the keyword beside the flag
    with pytest.raises(InputError, match="--altitude-term, or altitude_term=True in Python, applies to the walking"):
        PlanOptions(altitude_term=True)


def test_calibration_names_the_treks_it_was_fitted_and_checked_on():
    with TREKS_CSV.open(newline="", encoding="utf-8") as f:
        treks = list(csv.DictReader(f))
    # the pre-registered split of benchmarks/walking.py: every other row with published hours and
    # not added after the fit is a fit row; all the others only check the factor
    hour_rows = [t for t in treks if t["published_hours"].strip() and not t["added_after_fit"].strip()]
    n_fit = len(hour_rows[::2])
    assert n_fit >= 4 and len(treks) - n_fit >= 8  # issue 18: at least eight treks, most held back
    assert TREK_CALIBRATION == (
        f"fitted on {n_fit} published trek stages and checked on {len(treks) - n_fit} others, benchmarks/walking.md"
    )


def test_cli_help_states_the_calibrated_default():
    import typer

    from wakhan.cli import app

    cmd = typer.main.get_command(app).commands["route"]
    (opt,) = [p for p in cmd.params if "--terrain-factor" in p.opts]
    assert f"default {TREK_TERRAIN_FACTOR:g}," in (opt.help or "")


def test_sweep_scenarios_walk_at_the_same_calibrated_factors():
    """A sweep scenario's walk takes the factor the planner would for its altitude setting, unless it sets one."""
    from wakhan.sweep.task import _walking_params

    for altitude in (0.0, ALTITUDE_LOSS_PER_KM):
        options = PlanOptions(model="walking", altitude_term=altitude > 0)
        params = _walking_params({"altitude_loss_per_km": altitude})
        assert params["terrain_factor"] == options.cost_model().terrain_factor
    assert _walking_params({"terrain_factor": 1.0})["terrain_factor"] == 1.0
