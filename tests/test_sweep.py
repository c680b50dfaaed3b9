"""Scenario sweeps: dask equals serial, zero error equals the deterministic claims, failures are named.

The cluster tests run on a real dask.distributed LocalCluster with 2 workers
on 127.0.0.1 started here (threads in this process, to keep start-up fast;
the command-line default is one process per core).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from wakhan.errors import InputError
from wakhan.sweep.run import run_scenarios
from wakhan.sweep.scenario import Scenario, monte_carlo, read_sweep_file, scenario_seeds
from wakhan.sweep.summary import interval, summarize_run


def _plain(result: dict) -> str:
    """A result without its cell arrays, as canonical JSON."""
    return json.dumps({k: v for k, v in result.items() if k != "cells"}, sort_keys=True, default=str)


@pytest.fixture(scope="module")
def inputs():
    from wakhan.claims.evidence import DEFAULT_SETTLEMENT_SPECS
    from wakhan.sweep.inputs import prepare_inputs

    return prepare_inputs(DEFAULT_SETTLEMENT_SPECS)  # `wakhan claims`' own default sources (issue 18)


@pytest.fixture(scope="module")
def cluster():
    from dask.distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, host="127.0.0.1", protocol="tcp", dashboard_address=None
    ) as c:
        yield c


# -- cheap checks ---------------------------------------------------------------------------------
def test_realization_seeds_do_not_depend_on_how_many_are_drawn():
    assert scenario_seeds(1, 5)[:3] == scenario_seeds(1, 3)
    assert scenario_seeds(1, 3) != scenario_seeds(2, 3)
    assert [s.seed for s in monte_carlo(4, 9)] == [s.seed for s in monte_carlo(4, 9)]
    with pytest.raises(InputError):
        monte_carlo(0)


def test_interval_is_the_5_95_percentile_range():
    iv = interval(list(range(1, 22)) + [None], "km")  # 21 values: 5 % at rank 1 -> 2, 95 % at rank 19 -> 20
    assert (iv["low"], iv["median"], iv["high"], iv["n"]) == (2.0, 11.0, 20.0, 21)


def test_sweep_file_crosses_parameters(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text(
        "realizations = 2\nseed = 4\ndem_error_scale = [0, 1]\nbuffer_km = [2, 5, 10]\n"
        "[walking]\naltitude_loss_per_km = [0, 0.076]\n"
    )
    sc = read_sweep_file(f)
    assert len(sc) == 2 * 3 * 2 * 2
    assert {s.seed for s in sc} == set(scenario_seeds(4, 2))
    assert {dict(s.walking)["altitude_loss_per_km"] for s in sc} == {0.0, 0.076}
    f.write_text("realisations = 2\n")
    with pytest.raises(InputError, match="realisations"):
        read_sweep_file(f)
    f.write_text("buffer_km = [2, 'x']\n")
    with pytest.raises(InputError, match="buffer_km"):
        read_sweep_file(f)


# -- real scenarios -------------------------------------------------------------------------------
@pytest.mark.slow
def test_cluster_equals_serial_and_a_failing_task_is_named(inputs, cluster, tmp_path):
    good = monte_carlo(2, seed=5)
    bad = Scenario(2, 77, walking=(("base_speed_kmh", -1.0),), label="bad walker")
    serial = run_scenarios(good, inputs, serial=True, progress=False)
    dist = run_scenarios([*good, bad], inputs, scheduler=cluster.scheduler_address, retries=2, progress=False)
    assert dist.workers == 2
    assert [r["index"] for r in dist.results] == [0, 1]
    for a, b in zip(serial.results, dist.results):
        assert _plain(a) == _plain(b)
        for key in a["cells"]:
            assert np.array_equal(a["cells"][key], b["cells"][key])
    # the two realizations differ from each other (the error field is not zero)
    assert _plain(serial.results[0]) != _plain(serial.results[1])
    (failed,) = dist.failed
    # a bad model parameter fails the same way every time: named after one attempt, not retried (issue 21)
    assert failed["index"] == 2 and failed["seed"] == 77 and failed["attempts"] == 1
    assert "base_speed_kmh" in failed["error"]

    # the summary counts only finished scenarios and names the failed one
    unc = summarize_run(dist, [*good, bad], inputs)
    assert unc["scenarios"] == {"requested": 3, "finished": 2, "failed": dist.failed}
    for cid in ("altitude", "depopulated", "highway"):
        p = unc["claims"][cid]["probability"]
        assert p["n"] == 2 and p["count"] == sum(r["claims"][cid]["verdict"] == "supported" for r in dist.results)
    # every walk starts at Sarhad-e Broghil: its cell is on the route in every scenario
    from wakhan.dem.project import lonlat_to_xy
    from wakhan.places import resolve

    sarhad = resolve("Sarhad-e Broghil")
    g = unc["density"]["infiltration"]
    r, c = (int(v[0]) for v in g.rowcol(*lonlat_to_xy(g.crs, [sarhad.lon], [sarhad.lat])))
    assert g.array[r, c] == 1.0 and 0 < g.array.mean() < 0.1

    import rasterio

    from wakhan.sweep.outputs import uncertainty_markdown, write_uncertainty_files

    unc["settings"] = {"seed": 5, "correlation_length_m": 2000.0, "error_models": {}}
    files = write_uncertainty_files(unc, tmp_path)
    with rasterio.open(tmp_path / "route_density_on_foot.tif") as src:
        assert src.read(1)[r, c] == 1.0 and src.crs == g.crs
    assert (tmp_path / "route_density.png").stat().st_size > 0
    assert "#2 seed 77" in uncertainty_markdown(unc, files)


def _threads_used(scenario, inputs):
    """A task that, like a route's legs, asks for two threads; how many it got."""
    import threading
    import time

    from wakhan.interrupt import map_interruptible

    def item(_):
        time.sleep(0.2)  # long enough that a second thread, if any, takes the next item
        return threading.get_ident()

    names = map_interruptible(item, range(4))
    return {"index": scenario.index, "threads": len({n for n, _ in names})}


def test_a_scenario_on_a_cluster_keeps_to_its_workers_one_thread(cluster):
    # issue 23: two workers on two cores each ran a scenario on two threads (four threads on two cores)
    scenarios = [Scenario(i, i) for i in range(3)]
    alone = run_scenarios(scenarios[:1], None, serial=True, progress=False, task=_threads_used)
    assert alone.results[0]["threads"] == 2  # in-process, a route still uses both cores
    dist = run_scenarios(scenarios, None, scheduler=cluster.scheduler_address, progress=False, task=_threads_used)
    assert [r["threads"] for r in dist.results] == [1, 1, 1]


# -- command line ---------------------------------------------------------------------------------
def test_sweep_command_rejects_a_bad_file_in_one_sentence(tmp_path, capsys):
    from wakhan.cli import run

    f = tmp_path / "bad.toml"
    f.write_text("dem_error_scale = [1, \n")
    assert run(["sweep", str(f)]) == 2
    err = capsys.readouterr().err
    assert "not valid TOML" in err and err.count("\n") == 1
    assert run(["sweep", str(tmp_path / "missing.toml")]) == 2


@pytest.fixture(scope="module")
def monte_carlo_doc(cluster):
    """``wakhan claims --monte-carlo 2 --seed 1 --json`` on the test cluster, found through the environment."""
    import contextlib
    import io
    import os

    from wakhan.cli import run

    old = os.environ.get("DASK_SCHEDULER_ADDRESS")
    os.environ["DASK_SCHEDULER_ADDRESS"] = cluster.scheduler_address
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            assert run(["claims", "--monte-carlo", "2", "--seed", "1", "--json"]) == 0
    finally:
        if old is None:
            os.environ.pop("DASK_SCHEDULER_ADDRESS")
        else:
            os.environ["DASK_SCHEDULER_ADDRESS"] = old
    return json.loads(out.getvalue())


@pytest.mark.slow
def test_claims_monte_carlo_gives_every_claim_a_probability_and_interval(monte_carlo_doc):
    doc = monte_carlo_doc
    for c in doc["claims"]:
        assert c["probability"]["n"] == 2 and 0 <= c["probability"]["value"] <= 1
        assert c["interval"]["low"] <= c["interval"]["median"] <= c["interval"]["high"]
        assert c["interval"]["unit"] == c["unit"]
    assert doc["monte_carlo"]["scenarios"] == {"requested": 2, "finished": 2, "failed": []}
    assert "seconds" not in json.dumps(doc["monte_carlo"])  # nothing that changes from run to run


@pytest.mark.slow
def test_zero_error_scenario_reproduces_the_deterministic_verdicts(inputs, monte_carlo_doc):
    # the deterministic claims of the same command are the reference
    run = run_scenarios([Scenario(0, 0, dem_error_scale=0.0)], inputs, serial=True, progress=False)
    (res,) = run.results
    for c in monte_carlo_doc["claims"]:
        assert res["claims"][c["id"]] == {"verdict": c["verdict"], "value": c["value"], "unit": c["unit"]}
    routes = {r["id"]: r for r in monte_carlo_doc["routes"]}
    for key in ("infiltration", "wakhan-highway"):
        for metric in ("length_km", "max_elevation_m", "km_above_4000m", "cost"):
            assert res["routes"][key][metric] == routes[key][metric]


@pytest.mark.slow
def test_claims_as_a_cluster_task_give_the_document_of_claims_run_here(cluster, monte_carlo_doc):
    # issue 23: on the command's own cluster the claims run as a task beside the scenarios (and the
    # inputs are prepared there); the reference is the same command with the claims run in this
    # process (monte_carlo_doc: a cluster given by address), which is how they ran before
    from wakhan.claims.evidence import DEFAULT_SETTLEMENT_SPECS
    from wakhan.report import claims_json
    from wakhan.sweep.alongside import claims_with_monte_carlo

    specs = list(DEFAULT_SETTLEMENT_SPECS)
    result = claims_with_monte_carlo(
        2,
        1,
        specs,
        {"settlement_specs": specs},
        scheduler=cluster.scheduler_address,
        progress=False,
        claims_on_cluster=True,
    )
    doc = claims_json(result)
    assert result.uncertainty["run"]["workers"] == 2

    def plain(d):
        return json.dumps({k: v for k, v in d.items() if k != "generated"}, sort_keys=True)

    assert plain(doc) == plain(monte_carlo_doc)
