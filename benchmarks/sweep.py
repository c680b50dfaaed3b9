"""Scenario-sweep throughput on dask.distributed: scenarios per minute with 1 and 2 workers.

    python benchmarks/sweep.py [--scenarios 8] [--workers 1 2] [--json benchmarks/results/sweep.json]

The scenarios are DEM-error realizations of ``wakhan claims --monte-carlo`` (seed 1) on the region
pack. For each worker count a LocalCluster of single-threaded worker processes is started on
127.0.0.1, the shared inputs are scattered, one warm-up scenario per worker loads the Numba
kernels, then the timed batch runs. Scaling efficiency = rate(k workers) / (k x rate(1 worker)).
Cluster start-up and warm-up are reported apart, since the command line pays them once per run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", type=int, default=8)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "error")
    from dask.distributed import LocalCluster

    from wakhan.sweep.inputs import prepare_inputs
    from wakhan.sweep.run import run_scenarios
    from wakhan.sweep.scenario import Scenario, monte_carlo

    inputs = prepare_inputs(("ghs",))
    scenarios = monte_carlo(args.scenarios, seed=1)
    rows = []
    for k in args.workers:
        t0 = time.perf_counter()
        with LocalCluster(
            n_workers=k, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
        ) as cluster:
            start_s = time.perf_counter() - t0
            warm = [Scenario(1000 + i, i, dem_error_scale=0.0) for i in range(k)]
            t1 = time.perf_counter()
            run_scenarios(warm, inputs, scheduler=cluster.scheduler_address, progress=False)
            warm_s = time.perf_counter() - t1
            run = run_scenarios(scenarios, inputs, scheduler=cluster.scheduler_address, progress=False)
        rate = len(run.results) / run.seconds * 60.0
        rows.append(
            {
                "workers": k,
                "scenarios": len(run.results),
                "failed": len(run.failed),
                "seconds": round(run.seconds, 1),
                "scenarios_per_min": round(rate, 2),
                "cluster_start_s": round(start_s, 1),
                "warmup_s": round(warm_s, 1),
            }
        )
        print(
            f"{k} worker(s): {len(run.results)} scenarios in {run.seconds:.1f} s = {rate:.1f}/min "
            f"(cluster start {start_s:.1f} s, warm-up {warm_s:.1f} s)",
            flush=True,
        )
    base = rows[0]["scenarios_per_min"] / rows[0]["workers"]
    for r in rows:
        r["efficiency"] = round(r["scenarios_per_min"] / (r["workers"] * base), 3)
        print(f"{r['workers']} worker(s): efficiency {r['efficiency']:.2f}")
    doc = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared VM)",
        "python": platform.python_version(),
        "load_average_at_end": os.getloadavg(),
        "rows": rows,
    }
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=2)


if __name__ == "__main__":
    main()
