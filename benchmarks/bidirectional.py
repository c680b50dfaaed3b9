"""One point-to-point highway leg searched one way (A*) and from both ends at once (two threads).

    WAKHAN_SHARED=/work/shared python benchmarks/bidirectional.py [--repeat 7] [--json benchmarks/results/bidirectional.json]

Real terrain: the SRTM 3" tile N46E008 (Swiss Alps, 1201 x 1201 cells, voids
left as nodata) from ``$WAKHAN_SHARED/data/srtm`` (GitHub
``nicholas-fong/SRTM-GeoTIFF``, Apache-2.0), on a plain array with the tile's
metric cell size at its mid-latitude (3" = 92.6 m north-south, 63.7 m east-west
at 46.5 N). Model: ``highway`` (grades, hairpins, earthworks: uphill and
downhill priced apart), 16 neighbours. Three legs across the tile.

Each leg runs ``least_cost_path(..., bidirectional=False)`` (one-way A*, one
thread) and ``bidirectional=True`` (two threads) alternately, ``--repeat`` times
each, after a warm-up; the table gives the median wall time and the median CPU
time of the process (both threads), the cells settled, and the two totals, which
must agree to rounding. The machine is shared: wall times depend on whether the
second core is free, so the load average is recorded before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from wakhan.cost import get_model
from wakhan.dem.layers import read_raster
from wakhan.solve import bidirectional, least_cost_path
from wakhan.solve.graph import _as_graph
from wakhan.solve.search import _run

CELL_M = (92.6 * np.cos(np.radians(46.5)), 92.6)  # 3" at the tile's mid-latitude (m): (dx, dy)
LEGS = {
    "NW-SE diagonal": ((150, 150), (1050, 1000)),
    "west-east": ((600, 100), (600, 1100)),
    "north-south": ((100, 600), (1100, 600)),
}


def swiss_tile() -> np.ndarray:
    shared = os.environ.get("WAKHAN_SHARED")
    if not shared:
        sys.exit("set WAKHAN_SHARED to the shared data folder (it holds data/srtm/N46E008.tif)")
    z = read_raster(Path(shared) / "data" / "srtm" / "N46E008.tif").array.astype(float)
    z[z < -1000] = np.nan  # SRTM voids
    return z


def timed(fn):
    t0, c0 = time.perf_counter(), time.process_time()
    value = fn()
    return value, time.perf_counter() - t0, time.process_time() - c0


def bench_leg(z, model, start, goal, repeat):
    kw = dict(neighbours=16, cell_size_m=CELL_M)
    runs = {False: [], True: []}
    totals = {}
    for both in (False, True):  # warm-up (JIT cache, page faults)
        least_cost_path(z, model, start, goal, bidirectional=both, **kw)
    for _ in range(repeat):
        for both in (False, True):
            path, wall, cpu = timed(lambda b=both: least_cost_path(z, model, start, goal, bidirectional=b, **kw))
            runs[both].append((wall, cpu))
            totals[both] = path.total_cost
    g = _as_graph(z, 16, None, None, CELL_M, True)
    s, t = start[0] * z.shape[1] + start[1], goal[0] * z.shape[1] + goal[1]
    settled_one = _run(g, model, np.array([s]), goal=t, astar=True)[2]
    settled_both = bidirectional.search_pair(g, model, s, t)[-1]
    out = {}
    for both, name in ((False, "one-way A*"), (True, "both ends, 2 threads")):
        out[name] = {
            "wall_s_median": statistics.median(w for w, _ in runs[both]),
            "cpu_s_median": statistics.median(c for _, c in runs[both]),
            "wall_s_runs": [w for w, _ in runs[both]],
            "cpu_s_runs": [c for _, c in runs[both]],
            "total_cost": totals[both],
        }
    out["one-way A*"]["settled"] = int(settled_one)
    out["both ends, 2 threads"]["settled"] = int(settled_both)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    z = swiss_tile()
    model = get_model("highway")
    load_before = os.getloadavg()
    results = {}
    print("| leg | search | wall s (median) | CPU s (median) | cells settled | total cost |")
    print("|---|---|---|---|---|---|")
    for leg, (start, goal) in LEGS.items():
        res = bench_leg(z, model, start, goal, args.repeat)
        results[leg] = {"start_rc": start, "goal_rc": goal, **res}
        for name, r in res.items():
            print(
                f"| {leg} | {name} | {r['wall_s_median']:.3f} | {r['cpu_s_median']:.3f} | "
                f"{r['settled']:,} | {r['total_cost']:.6f} |"
            )
        one, both = res["one-way A*"], res["both ends, 2 threads"]
        print(
            f"| {leg} | ratio one-way / both | {one['wall_s_median'] / both['wall_s_median']:.2f}x | "
            f"{one['cpu_s_median'] / both['cpu_s_median']:.2f}x | "
            f"{one['settled'] / both['settled']:.2f}x | rel. diff {abs(one['total_cost'] / both['total_cost'] - 1):.1e} |"
        )
    load_after = os.getloadavg()
    print(f"load average (1 min) before {load_before[0]:.2f}, after {load_after[0]:.2f}; {os.cpu_count()} CPUs")
    if args.json:
        record = {
            "dem": 'SRTM 3" N46E008 (Swiss Alps), 1201 x 1201, voids as nodata',
            "cell_size_m": list(CELL_M),
            "model": "highway (defaults), 16 neighbours",
            "repeat": args.repeat,
            "cpus": os.cpu_count(),
            "load_average_before": load_before,
            "load_average_after": load_after,
            "legs": results,
        }
        args.json.write_text(json.dumps(record, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
