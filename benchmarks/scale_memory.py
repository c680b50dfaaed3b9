"""Where the memory of a scale-benchmark route goes: VmRSS sampled by step of ``plan_route``.

    python benchmarks/scale_memory.py 30 benchmarks/results/scale30_issue23.json

Runs the route of ``benchmarks/scale.py`` (Kashgar - Wakhjir Pass - Kabul, CN+AF, highway, 16
neighbours) at the given resolution (m) on the region pack, in this process, with a thread that
samples VmRSS every 0.2 s and wrappers that label the step running (the refine and summary
functions named in ``STEPS``). Each sample is appended to ``OUT.log`` as it is taken (so a run cut
off by a timeout still shows where it was); ``OUT`` gets the route's facts, VmHWM and the samples
(seconds, MiB, step, process CPU seconds: on a busy machine the CPU time is the steadier figure).
"""

from __future__ import annotations

import functools
import importlib
import json
import sys
import threading
import time

STEPS = [
    ("wakhan.solve.refine", "_as_graph"),
    ("wakhan.solve.refine", "_coarse_route"),
    ("wakhan.solve.refine", "_band"),
    ("wakhan.solve.refine", "_window"),
    ("wakhan.solve.refine", "_run"),
    ("wakhan.solve.band", "_exit_cells"),  # called by band._window_exits
    ("wakhan.solve.refine", "_full_grid_float32"),
    ("wakhan.solve.refine", "_make_path"),
    ("wakhan.plan.plan", "set_up"),
    ("wakhan.plan.plan", "solve_legs"),
    ("wakhan.plan.plan", "highway_fields"),
    ("wakhan.plan.plan", "profile_from_path"),
    ("wakhan.plan.plan", "build_summary"),
]


def _status(field: str) -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    return float("nan")


def main(resolution: float, out: str) -> None:
    label = ["start"]
    samples: list = []
    log = open(out + ".log", "w", buffering=1)
    t0, c0 = time.perf_counter(), time.process_time()

    def note(what: str) -> None:
        row = (round(time.perf_counter() - t0, 2), round(_status("VmRSS:")), what, round(time.process_time() - c0, 2))
        samples.append(row)
        log.write(repr(row) + "\n")

    def sampler() -> None:
        peak, last = 0.0, 0.0
        while True:
            rss, now = _status("VmRSS:"), time.perf_counter() - t0
            if rss > peak or now - last > 5:
                note("/".join(label))
                peak, last = max(peak, rss), now
            time.sleep(0.2)

    def wrap(module: str, name: str) -> None:
        mod = importlib.import_module(module)
        fn = getattr(mod, name)

        @functools.wraps(fn)
        def labelled(*args, **kwargs):
            label.append(name)
            try:
                return fn(*args, **kwargs)
            finally:
                note("/".join(label) + " END")
                label.pop()

        setattr(mod, name, labelled)

    for module, name in STEPS:
        wrap(module, name)
    threading.Thread(target=sampler, daemon=True).start()
    from wakhan.plan import plan_route

    def tell(step: str, _i: int, _n: int) -> None:
        label[:] = [step.split(":")[0][:30]]

    r = plan_route(
        ["kashgar", "wakhjir pass", "kabul"],
        within="CN,AF",
        model="highway",
        neighbours=16,
        resolution_m=None if resolution == 464 else resolution,
        places=None,
        dem="pack",
        progress=tell,
    )
    s = r.summary.to_dict()
    facts = {
        "resolution_m": resolution,
        "seconds": time.perf_counter() - t0,
        "cpu_seconds": time.process_time() - c0,
        "peak_rss_mb": _status("VmHWM:"),
        "cells": int(r.dem.array.size),
        "cost": s["cost"],
        "length_km": s["length_km"],
        "optimality_gap_pct": s.get("optimality_gap_pct"),
        "lower_bound_cost": s.get("lower_bound_cost"),
        "optimality_bound": s.get("optimality_bound"),
        "legs": s.get("legs"),
        "bridges": len(s.get("bridges") or []),
        "earthworks_m3": s.get("earthworks_m3"),
    }
    print(json.dumps(facts))
    with open(out, "w") as f:
        json.dump({"route": facts, "samples_s_mb_step": samples}, f, indent=0)


if __name__ == "__main__":
    main(float(sys.argv[1]), sys.argv[2])
