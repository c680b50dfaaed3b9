"""The claims' kernel warm-up (issue 23, item 5): what it compiles, that it can be turned off, Ctrl-C on a cold cache."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest
from clirun import argv, env
from numba import config

from wakhan.solve import warmup


def test_turned_off_by_the_environment(monkeypatch):
    monkeypatch.setenv("WAKHAN_WARMUP", "0")
    assert warmup.start_claims_warmup() is None


_COUNT_SIGNATURES = """
import json
from wakhan.solve.warmup import warm_claims_kernels
from wakhan.solve import buckets, buckets_graded, path_costs
from wakhan.dem import hydro
import pyflwdir.dem
done = warm_claims_kernels()
sigs = {name: [str(s) for s in d.signatures] for name, d in [
    ("_loop", buckets_graded._loop), ("_seed", buckets._seed), ("_path_step_costs", path_costs._path_step_costs),
    ("_breach", hydro._breach), ("fill_depressions", pyflwdir.dem.fill_depressions)]}
print(json.dumps({"done": done, "sigs": sigs}))
"""


@pytest.mark.slow
@pytest.mark.skipif(config.DISABLE_JIT, reason="NUMBA_DISABLE_JIT: nothing is compiled")
def test_compiles_what_a_claims_run_needs_on_an_empty_cache(tmp_path):
    # a claims run searches with the highway model (earthworks arrays) and the walking model (empty
    # ones): the earthworks arrays are always arrays, so one specialisation of each search kernel
    # and of the step costs serves both
    out = subprocess.run(
        [sys.executable, "-c", _COUNT_SIGNATURES],
        env=env(NUMBA_CACHE_DIR=tmp_path),
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["done"] == len(warmup.STEPS)
    loops = got["sigs"]["_loop"]
    assert len(loops) == 1 and "none" not in loops[0] and "float32" in loops[0]
    assert len(got["sigs"]["_seed"]) == 1
    assert len(got["sigs"]["_path_step_costs"]) == 1
    assert len(got["sigs"]["_breach"]) == 1 and len(got["sigs"]["fill_depressions"]) == 1
    assert any(p.suffix == ".nbi" for p in tmp_path.rglob("*"))  # written to the cache the run reads


@pytest.mark.slow
@pytest.mark.skipif(config.DISABLE_JIT, reason="NUMBA_DISABLE_JIT: nothing is compiled")
def test_ctrl_c_while_the_warmup_compiles_on_a_cold_cache_exits_130_at_once(tmp_path):
    out = tmp_path / "rep"
    cache = tmp_path / "numba"
    proc = subprocess.Popen(
        argv("claims", "-o", out),
        env=env(NUMBA_CACHE_DIR=cache),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(4.0)  # an empty cache: the warm-up thread (and the run) are compiling
    assert proc.poll() is None
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    try:
        err = proc.communicate(timeout=30)[1]
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert time.monotonic() - sent < 2.0
    assert "interrupted" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["numba"]  # no report folder


@pytest.mark.slow
@pytest.mark.skipif(config.DISABLE_JIT, reason="NUMBA_DISABLE_JIT: nothing is compiled")
def test_the_child_process_fills_the_cache_the_run_reads(tmp_path):
    cold = [sys.executable, "-c", "from wakhan.solve.warmup import solver_cache_is_cold as c; print(c())"]
    e = env(NUMBA_CACHE_DIR=tmp_path)
    assert subprocess.run(cold, env=e, capture_output=True, text=True, check=True).stdout.strip() == "True"
    child = subprocess.run(
        [sys.executable, "-m", "wakhan.solve.warmup"], env=e, capture_output=True, text=True, timeout=600
    )
    assert child.returncode == 0 and child.stderr == "", child.stderr
    assert subprocess.run(cold, env=e, capture_output=True, text=True, check=True).stdout.strip() == "False"


def test_a_noted_signal_stops_the_warm_up_thread_quietly(monkeypatch):
    """Ctrl-C noted while the warm-up thread runs its solver steps: the steps re-raise it in that
    thread (the solver checks for noted signals); it must end there, not print "Exception in
    thread" beside the one-line message of the main thread (seen once in CI, timing-dependent)."""
    import threading

    from wakhan import interrupt

    escaped = []
    monkeypatch.setattr(threading, "excepthook", lambda args: escaped.append(args.exc_type))
    monkeypatch.setattr(warmup, "_stop", threading.Event())
    steps = []

    def step():
        steps.append(1)
        interrupt.raise_noted_signal()  # what the solver does at the start of map_interruptible

    monkeypatch.setattr(warmup, "STEPS", (step, step))
    monkeypatch.setattr(warmup.warm_claims_kernels, "__defaults__", ((step, step),))
    interrupt.note_signal(KeyboardInterrupt)
    try:
        t = threading.Thread(target=warmup._warm_in_background, args=(None,))
        t.start()
        t.join(10)
    finally:
        interrupt.clear_noted_signal()
    assert steps == [1]  # the first step raised; nothing after it ran
    assert escaped == []  # and nothing escaped the thread
    assert warmup._stop.is_set()
