"""Scenario-sweep throughput on dask.distributed: scenarios per minute with 1 and 2 workers.

    python benchmarks/sweep.py [--scenarios 8] [--workers 1 2] [--by-hand] [--json benchmarks/results/sweep.json]
    python benchmarks/sweep.py --whole-command [--scenarios 8] [--workers 1 2] [--baseline-src PATH] [--json ...]

The scenarios are DEM-error realizations of ``wakhan claims --monte-carlo`` (seed 1) on the region
pack. For each worker count a LocalCluster of single-threaded worker processes is started on
127.0.0.1, the shared inputs are scattered, one warm-up scenario per worker loads the Numba
kernels, then the timed batch runs. Scaling efficiency = rate(k workers) / (k x rate(1 worker)).
Cluster start-up and warm-up are reported apart, since the command line pays them once per run.
``--by-hand`` adds a row for a cluster started as a user with several machines would: ``dask
scheduler`` and ``dask worker --nworkers 2 --nthreads 1`` on 127.0.0.1, as separate processes.

``--whole-command`` times the whole ``wakhan claims --monte-carlo N --seed 1 --workers W --json``
instead (the deterministic claims, the scenarios, cluster start and warm-up, as a user runs it),
for each W one after the other in this run, and checks that every run printed the same JSON (less
``generated.date``, the only field that changes from run to run). ``--baseline-src PATH`` times the
same commands with another source tree first (e.g. ``/work/main/src``: the code before a change,
side by side in one run); its JSON must be the same too.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_CLI = "import sys; from wakhan.cli import main; sys.argv[0] = 'wakhan'; main()"


def _claims_json(text: str) -> str:
    """The ``claims --json`` document less ``generated.date`` (the only field that changes run to run)."""
    doc = json.loads(text)
    doc["generated"].pop("date", None)
    return json.dumps(doc, sort_keys=True)


def whole_command(n: int, workers: list[int], baseline_src: str | None, keep: str | None = None) -> dict:
    """Wall time of ``wakhan claims --monte-carlo n --seed 1 --workers W --json`` per code and W."""
    codes = ([("before", baseline_src)] if baseline_src else []) + [("this", None)]
    rows, docs = [], set()
    for label, src in codes:
        env = dict(os.environ)
        if src:
            env["PYTHONPATH"] = src
        for k in workers:
            cmd = [sys.executable, "-c", _CLI, "claims", "--monte-carlo", str(n), "--seed", "1", "--workers", str(k)]
            load = os.getloadavg()[0]
            t0 = time.perf_counter()
            p = subprocess.run([*cmd, "--json"], env=env, capture_output=True, text=True)
            seconds = time.perf_counter() - t0
            if p.returncode != 0:
                raise SystemExit(f"{label} code, {k} worker(s) failed (exit {p.returncode}): {p.stderr[-2000:]}")
            docs.add(_claims_json(p.stdout))
            if keep:
                Path(keep).mkdir(parents=True, exist_ok=True)
                (Path(keep) / f"claims_{label}_w{k}.json").write_text(p.stdout, encoding="utf-8")
            row = {"code": label, "workers": k, "scenarios": n, "seconds": round(seconds, 1)}
            row["load_average_1min_before"] = round(load, 2)
            row["load_average_1min_after"] = round(os.getloadavg()[0], 2)
            rows.append(row)
            print(f"{label} code, {k} worker(s): {seconds:.1f} s (load average {load:.2f} before)", flush=True)
    for r in rows:
        one = next(x for x in rows if x["code"] == r["code"] and x["workers"] == workers[0])
        r["speedup"] = round(one["seconds"] / r["seconds"], 3)
        print(f"{r['code']} code, {r['workers']} worker(s): {r['speedup']:.2f}x {workers[0]} worker(s)")
    print(f"identical JSON in every run: {len(docs) == 1}")
    return {
        "mode": "whole-command",
        "command": "wakhan claims --monte-carlo N --seed 1 --workers W --json",
        "identical_json": len(docs) == 1,
        "rows": rows,
    }


def _by_hand_cluster(n_workers: int):
    """``dask scheduler`` and ``dask worker`` started as separate processes on 127.0.0.1: (address, processes)."""
    folder = Path(tempfile.mkdtemp(prefix="wakhan-dask-"))
    sched_file = folder / "scheduler.json"
    dask = [sys.executable, "-m", "distributed.cli.dask_scheduler"]
    scheduler = subprocess.Popen(
        [*dask, "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file", str(sched_file)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        if sched_file.exists() and sched_file.stat().st_size:
            break
        time.sleep(0.1)
    address = json.loads(sched_file.read_text())["address"]
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "distributed.cli.dask_worker",
            address,
            "--nworkers",
            str(n_workers),
            "--nthreads",
            "1",
            "--no-dashboard",
            "--host",
            "127.0.0.1",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return address, [worker, scheduler]


def _sweep_row(label, k, address, scenarios, inputs, start_s) -> dict:
    from wakhan.sweep.run import run_scenarios
    from wakhan.sweep.scenario import Scenario

    warm = [Scenario(1000 + i, i, dem_error_scale=0.0) for i in range(k)]
    t1 = time.perf_counter()
    run_scenarios(warm, inputs, scheduler=address, progress=False)
    warm_s = time.perf_counter() - t1
    run = run_scenarios(scenarios, inputs, scheduler=address, progress=False)
    rate = len(run.results) / run.seconds * 60.0
    print(
        f"{label}, {k} worker(s): {len(run.results)} scenarios in {run.seconds:.1f} s = {rate:.1f}/min "
        f"(cluster start {start_s:.1f} s, warm-up {warm_s:.1f} s)",
        flush=True,
    )
    return {
        "cluster": label,
        "workers": k,
        "scenarios": len(run.results),
        "failed": len(run.failed),
        "seconds": round(run.seconds, 1),
        "scenarios_per_min": round(rate, 2),
        "cluster_start_s": round(start_s, 1),
        "warmup_s": round(warm_s, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", type=int, default=8)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--by-hand", action="store_true", help="also a dask scheduler + 2 workers started by hand")
    ap.add_argument("--whole-command", action="store_true", help="time the whole claims --monte-carlo command")
    ap.add_argument("--baseline-src", default=None, help="with --whole-command: also time this source tree")
    ap.add_argument("--keep", default=None, help="with --whole-command: keep each run's JSON in this folder")
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "error")
    doc = {"machine": f"{platform.machine()}, {os.cpu_count()} cores (shared VM)", "python": platform.python_version()}
    if args.whole_command:
        doc.update(whole_command(args.scenarios, args.workers, args.baseline_src, args.keep))
    else:
        doc["rows"] = sweep_rows(args)
    doc["load_average_at_end"] = os.getloadavg()
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=2)


def sweep_rows(args) -> list:
    from dask.distributed import LocalCluster

    from wakhan.sweep.inputs import prepare_inputs
    from wakhan.sweep.scenario import monte_carlo

    inputs = prepare_inputs(("ghs",))
    scenarios = monte_carlo(args.scenarios, seed=1)
    rows = []
    for k in args.workers:
        t0 = time.perf_counter()
        with LocalCluster(
            n_workers=k, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
        ) as cluster:
            rows.append(
                _sweep_row("LocalCluster", k, cluster.scheduler_address, scenarios, inputs, time.perf_counter() - t0)
            )
    if args.by_hand:
        t0 = time.perf_counter()
        address, procs = _by_hand_cluster(2)
        try:
            from wakhan.sweep.cluster import connect

            client = connect(address, workers_timeout_s=60.0)
            client.wait_for_workers(2, timeout=120)
            client.close()
            rows.append(_sweep_row("by hand", 2, address, scenarios, inputs, time.perf_counter() - t0))
        finally:
            for p in procs:
                p.terminate()
                p.wait(30)
    base = rows[0]["scenarios_per_min"] / rows[0]["workers"]
    for r in rows:
        r["efficiency"] = round(r["scenarios_per_min"] / (r["workers"] * base), 3)
        print(f"{r['cluster']}, {r['workers']} worker(s): efficiency {r['efficiency']:.2f}")
    return rows


if __name__ == "__main__":
    main()
