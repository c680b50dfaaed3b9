"""Scale benchmark: the Kashgar-Kabul highway (CN+AF via the Wakhjir Pass) at 464, 90 and 30 m.

    python benchmarks/scale.py --json benchmarks/results/scale.json [--resolution 464 90 30]
    python benchmarks/scale.py --tiles /tmp/syn1 --resolution 30 --mode default --json ...

``--tiles DIR``: route on SYNTHETIC SRTM tiles built by ``scripts/synthetic_srtm_tiles.py DIR
--arcsec 1`` instead of the pack. DIR is served on 127.0.0.1 (a free port) for the run; the
tiles the route needs are first fetched through wakhan's downloader into a fresh cache (timed:
``fetch_seconds``), then the route runs with ``dem="tiles"`` from that cache. Synthetic tiles are
for scale and speed only: the rows say so, and no verdict is drawn from them.

Every case runs ``plan_route(["kashgar", "wakhjir pass", "kabul"], within="CN,AF",
model="highway", neighbours=16, resolution_m=R)`` on the region pack (GEBCO
15" resampled to R m: finer grids add cells, not detail) in a fresh process
and reports wall seconds, the process's peak resident set size (``VmHWM``),
the grid's cells, the route's cost and its certified ``optimality_gap_pct``
with how it was bounded. Modes:

* ``default``: what ``wakhan route`` does (exact full-grid A* up to 16 M
  cells, certified coarse-to-fine above, gap tolerance 1 %);
* ``coarse-to-fine``: certified coarse-to-fine forced at any size;
* ``full``: exact A* over the full grid at any size (where it fits);
* ``estimate``: only the memory estimate (``WAKHAN_MEMORY_GB`` set to nothing,
  so the refusal sentence states the cells and gigabytes the grid needs).

A case whose grid would not fit in memory is reported with the one-sentence
refusal the memory estimate gives (nothing is allocated).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

WAYPOINTS = ["kashgar", "wakhjir pass", "kabul"]


def _peak_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _route_bbox() -> tuple[float, float, float, float]:
    """The box ``plan_route`` builds its DEM over (the waypoints and the default buffer)."""
    from wakhan.dem.build import waypoint_bbox
    from wakhan.plan.plan import DEFAULT_BUFFER_KM, resolve_waypoints

    return waypoint_bbox([(p.lon, p.lat) for p in resolve_waypoints(WAYPOINTS)], DEFAULT_BUFFER_KM)


def child(resolution: float, mode: str) -> dict:
    import wakhan.plan.plan as plan
    from wakhan.errors import WakhanError
    from wakhan.plan import plan_route

    if mode == "estimate":
        os.environ["WAKHAN_MEMORY_GB"] = "0.001"
    if mode == "coarse-to-fine":
        plan.REFINE_MIN_CELLS = 0
    elif mode == "full":
        plan.REFINE_MIN_CELLS = float("inf")
    stages: dict[str, float] = {}
    last = ["start", time.perf_counter()]

    def tell(step: str, _i: int, _n: int) -> None:  # seconds spent in each step of plan_route
        now = time.perf_counter()
        stages[last[0]] = stages.get(last[0], 0.0) + now - last[1]
        last[:] = [step.split(":")[0], now]

    t0 = time.perf_counter()
    try:
        r = plan_route(
            WAYPOINTS,
            within="CN,AF",
            model="highway",
            neighbours=16,
            resolution_m=None if resolution == 464 else resolution,
            places=None,
            dem="tiles" if os.environ.get("WAKHAN_CACHE", "").endswith("SYNTHETIC-srtm-cache") else "pack",
            progress=tell,
        )
        tell("end", 0, 0)
    except WakhanError as exc:
        return {
            "resolution_m": resolution,
            "mode": mode,
            "refused": str(exc),
            "seconds": time.perf_counter() - t0,
            "peak_rss_mb": _peak_mb(),
        }
    s = r.summary.to_dict()  # the flat JSON fields (the summary's attributes are in sections)
    return {
        "resolution_m": resolution,
        "mode": mode,
        "seconds": time.perf_counter() - t0,
        "peak_rss_mb": _peak_mb(),
        "cells": int(r.dem.array.size),
        "grid": s["grid"]["resolution"],
        "cost": s["cost"],
        "length_km": s["length_km"],
        "optimality_gap_pct": s.get("optimality_gap_pct"),
        "optimality_bound": s.get("optimality_bound"),
        "lower_bound_cost": s.get("lower_bound_cost") or None,
        "stages_s": {k: round(v, 1) for k, v in stages.items()},
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", help="write the results to this JSON file")
    ap.add_argument("--resolution", type=float, nargs="+", default=[464, 90, 30])
    ap.add_argument("--mode", nargs="+", default=["default", "coarse-to-fine", "full"])
    ap.add_argument("--tiles", help='route on SYNTHETIC 1" tiles in this folder (served on 127.0.0.1)')
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(child(float(args.child[0]), args.child[1])))
        return 0
    rows = []
    dem_label = 'region pack (GEBCO_2023 15", GLOBE 30") resampled'
    fetch: dict = {}
    if args.tiles:
        dem_label, fetch = _serve_and_fetch(args.tiles)
        print(f"fetched {fetch}", flush=True)
    for res in args.resolution:
        for mode in args.mode:
            if mode == "default" and res == 464:
                continue  # the same as "full" at 464 m (3.8 M cells, under the coarse-to-fine threshold)
            proc = subprocess.run([sys.executable, __file__, "--child", str(res), mode], capture_output=True, text=True)
            if proc.returncode != 0:
                rows.append({"resolution_m": res, "mode": mode, "failed": proc.stderr[-1500:]})
            else:
                rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
            r = rows[-1]
            print(
                f"{res:6g} m {mode:15s} "
                + (
                    f"{r['seconds']:8.1f} s {r['peak_rss_mb']:8.0f} MB "
                    f"{r.get('cells', 0):>12,} cells  gap {r.get('optimality_gap_pct')} %"
                    f"  cost {r.get('cost')}"
                    if "seconds" in r
                    else "failed"
                )
                + (f"  refused: {r['refused']}" if "refused" in r else ""),
                flush=True,
            )
    if args.json:
        tmp = args.json + ".tmp"
        with open(tmp, "w") as f:
            json.dump(
                {
                    "route": WAYPOINTS,
                    "within": "CN,AF",
                    "model": "highway",
                    "neighbours": 16,
                    "machine": f"{os.cpu_count()} cores (shared)",
                    "dem": dem_label,
                    **({"tile_fetch": fetch} if fetch else {}),
                    "rows": rows,
                },
                f,
                indent=1,
            )
        os.replace(tmp, args.json)
    return 0


def _serve_and_fetch(folder: str) -> tuple[str, dict]:
    """Serve ``folder`` on 127.0.0.1, fetch the route's tiles into a fresh cache, point children at it."""
    import shutil
    import tempfile
    import threading
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=folder))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    port = httpd.server_address[1]
    cache = os.path.join(tempfile.gettempdir(), "wakhan-scale-SYNTHETIC-srtm-cache")
    shutil.rmtree(cache, ignore_errors=True)
    os.environ["WAKHAN_TILE_SOURCE"] = f"http://127.0.0.1:{port}/SYNTHETIC-skadi/{{lat_band}}/{{name}}.hgt.gz"
    os.environ["WAKHAN_CACHE"] = cache
    bbox = _route_bbox()
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "wakhan.cli", "tiles", "fetch", "--bbox", *map(str, bbox)],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"fetching the synthetic tiles failed: {proc.stdout[-500:]} {proc.stderr[-1500:]}")
    fetched = [line for line in proc.stdout.splitlines() if "downloaded" in line]
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(cache) for f in fs if ".hgt" in f)
    return (
        'SYNTHETIC SRTM 1" tiles (scripts/synthetic_srtm_tiles.py: region pack + fractal detail; '
        "for scale and speed only, never a verdict), fetched from 127.0.0.1 through the downloader",
        {
            "bbox": [round(v, 3) for v in bbox],
            "tiles": len(fetched),
            "mb": round(size / 2**20),
            "fetch_seconds": seconds,
        },
    )


if __name__ == "__main__":
    sys.exit(main())
