"""Benchmark wakhan's least-cost solver against its peers on one fractal DEM.

    python benchmarks/solver.py --size 4000 [--json benchmarks/results/solver_4000.json] [--baseline-src /main/src]

The DEM is an N x N fractal surface (spectral synthesis, power-law spectrum,
seed 1). Every contender solves the same problem: 8 neighbours, isotropic cell
costs ``c = 1 + 9 * (z - zmin) / (zmax - zmin)`` (1..10), square 1 m cells, edge
cost ``length * (c[a] + c[b]) / 2`` (scikit-image's MCP_Geometric), source at
the north-west corner; the A* / route contenders go corner to corner.

Each contender runs in its own subprocess: it loads the DEM from a temporary
.npy file, warms up (JIT compile on a 64 x 64 grid), resets the kernel's record
of its peak resident set size (``/proc/self/clear_refs``; the ``ru_maxrss`` of a
child starts at its parent's peak, which made earlier peaks wrong from N = 8000),
runs under the timer, and reports ``peak_mb`` = its peak resident size
(``VmHWM``) over the resident size just before the timed calls, i.e. the working
memory above the loaded inputs. Each also reports the accumulated cost at the
far corner, so that the table shows the contenders agree.

Besides that common problem, three rows time the workloads routes use on the
same fractal (relief scaled to 500 m, 90 m cells, source at the centre, the
whole grid accumulated: 99 % of it is reachable at N = 4000): ``wakhan highway 16 nb``, ``wakhan highway
32 nb`` and ``wakhan walking 16 nb``; their ``x wakhan`` is their time over the
isotropic accumulation's, the price per cell of grades and midpoints.
``dijkstra3d distance_field`` (C++) solves a node-weighted variant (edge cost =
the weight of the cell entered, no edge lengths), so its corner cost differs.
``--baseline-src`` runs every wakhan contender a second time on other sources (the
code before a change), just before it, as ``<name> (before)``: before and after in one run (the
2-thread row too, so the sources before must know ``accumulate(..., threads=2)``).
``wakhan highway 16 nb, 2 threads`` is the same accumulation with ``threads=2``
(:mod:`wakhan.solve.parallel`): its CPU time is both threads' together, so compare its wall
time (``seconds``, ``wall ns/cell``) with the others' too. ``--rounds R`` runs the whole list R
times in turn (A/B alternation on a shared machine); the JSON records the 1-minute load average
before the first and after every contender.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

CONTENDERS = [
    "wakhan accumulate",
    "wakhan A*",
    "wakhan highway 16 nb",
    "wakhan highway 16 nb, 2 threads",
    "wakhan highway 32 nb",
    "wakhan walking 16 nb",
    "skimage MCP_Geometric.find_costs",
    "skimage route_through_array",
    "xarray-spatial cost_distance",
    "dijkstra3d distance_field",
    "scipy csgraph dijkstra",
    "networkx dijkstra",
]
ANISOTROPIC = {
    "wakhan highway 16 nb": ("highway", 16, 1),
    "wakhan highway 16 nb, 2 threads": ("highway", 16, 2),
    "wakhan highway 32 nb": ("highway", 32, 1),
    "wakhan walking 16 nb": ("walking", 16, 1),
}
MAX_CELLS = {"scipy csgraph dijkstra": 4_200_000, "networkx dijkstra": 250_000}


def fractal_dem(n: int, seed: int = 1, beta: float = 2.4) -> np.ndarray:
    """An ``n x n`` float32 fractal surface scaled to 1000..6000 m."""
    rng = np.random.default_rng(seed)
    ky = np.fft.fftfreq(n)[:, None]
    kx = np.fft.rfftfreq(n)[None, :]
    k = np.hypot(kx, ky)
    k[0, 0] = 1.0
    spec = (rng.standard_normal((n, kx.size)) + 1j * rng.standard_normal((n, kx.size))) * k ** (-beta / 2)
    spec[0, 0] = 0
    z = np.fft.irfft2(spec, s=(n, n))
    z = (z - z.min()) / (z.max() - z.min())
    return (1000 + 5000 * z).astype(np.float32)


def costs_from(z: np.ndarray) -> np.ndarray:
    zmin, zmax = float(z.min()), float(z.max())
    return 1.0 + 9.0 * (z.astype(np.float64) - zmin) / (zmax - zmin)


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _reset_peak() -> bool:
    """Reset this process's peak resident size (VmHWM); False where the kernel does not allow it."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _peak_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _grid_edges(n):
    """Edges (i, j, length) of the 8-neighbour grid graph, both directions."""
    idx = np.arange(n * n).reshape(n, n)
    out = []
    for dr, dc in [(0, 1), (1, 0), (1, 1), (1, -1)]:
        r0, r1 = max(0, -dr), n - max(0, dr)
        c0, c1 = max(0, -dc), n - max(0, dc)
        a = idx[r0:r1, c0:c1].ravel()
        b = idx[r0 + dr : r1 + dr, c0 + dc : c1 + dc].ravel()
        out.append((a, b, np.hypot(dr, dc)))
    return out


def _make(name, z, c):
    """A zero-argument callable running contender ``name``, and how to read its corner value."""
    n = z.shape[0]
    goal = (n - 1, n - 1)
    if name == "wakhan accumulate":
        from wakhan.cost import IsotropicModel
        from wakhan.solve import accumulate

        return lambda: accumulate(z, IsotropicModel(), (0, 0), friction=c, cell_size_m=(1, 1)).cost[goal]
    if name == "wakhan A*":
        from wakhan.cost import IsotropicModel
        from wakhan.solve import least_cost_path

        return lambda: least_cost_path(z, IsotropicModel(), (0, 0), goal, friction=c, cell_size_m=(1, 1)).total_cost
    if name in ANISOTROPIC:
        from wakhan.cost import get_model
        from wakhan.solve import accumulate

        kind, nb, threads = ANISOTROPIC[name]
        zr = (1000.0 + (z - 1000.0) * 0.1).astype(np.float32)  # 500 m relief over 90 m cells
        centre = (n // 2, n // 2)  # from the north-west corner a steep pocket can trap the highway
        kw = {"threads": threads} if threads > 1 else {}  # (the code before may not know the argument)
        return lambda: accumulate(zr, get_model(kind), centre, neighbours=nb, cell_size_m=(90, 90), **kw).cost[goal]
    if name == "dijkstra3d distance_field":
        import dijkstra3d

        cw = np.ascontiguousarray(c, dtype=np.float32)
        return lambda: float(dijkstra3d.distance_field(cw, (0, 0), connectivity=26)[goal])
    if name == "skimage MCP_Geometric.find_costs":
        from skimage.graph import MCP_Geometric

        return lambda: MCP_Geometric(c, fully_connected=True).find_costs([(0, 0)])[0][goal]
    if name == "skimage route_through_array":
        from skimage.graph import route_through_array

        return lambda: route_through_array(c, (0, 0), goal, fully_connected=True, geometric=True)[1]
    if name == "xarray-spatial cost_distance":
        import xarray as xr
        from xrspatial import cost_distance

        coords = {"y": np.arange(n, dtype=float)[::-1], "x": np.arange(n, dtype=float)}
        src = np.zeros((n, n))
        src[0, 0] = 1
        raster = xr.DataArray(src, dims=("y", "x"), coords=coords)
        fr = xr.DataArray(c, dims=("y", "x"), coords=coords)
        return lambda: float(cost_distance(raster, fr).values[goal])
    if name == "scipy csgraph dijkstra":
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import dijkstra

        flat = c.ravel()

        def run():
            rows, cols, vals = [], [], []
            for a, b, length in _grid_edges(n):
                w = length * 0.5 * (flat[a] + flat[b])
                rows += [a, b]
                cols += [b, a]
                vals += [w, w]
            m = coo_matrix(
                (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n * n, n * n)
            ).tocsr()
            del rows, cols, vals
            return dijkstra(m, indices=0)[n * n - 1]

        return run
    if name == "networkx dijkstra":
        import networkx as nx

        flat = c.ravel()

        def run():
            graph = nx.Graph()
            for a, b, length in _grid_edges(n):
                w = length * 0.5 * (flat[a] + flat[b])
                graph.add_weighted_edges_from(zip(a.tolist(), b.tolist(), w.tolist()))
            return nx.single_source_dijkstra_path_length(graph, 0)[n * n - 1]

        return run
    raise SystemExit(f"unknown contender {name!r}")


def child(name: str, dem_path: str, repeat: int = 1) -> None:
    warm = fractal_dem(64)
    _make(name, warm, costs_from(warm))()
    z = np.load(dem_path)
    c = costs_from(z)
    run = _make(name, z, c)
    exact_peak = _reset_peak()
    before = _rss_mb()
    times, cpu = [], []
    for _ in range(max(1, repeat)):
        t0, c0 = time.perf_counter(), time.process_time()
        value = run()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    peak = _peak_mb()
    # the fastest of the repeats: the least disturbed by other work on a shared machine
    print(
        json.dumps(
            {
                "name": name,
                "seconds": min(times),
                "runs_s": times,
                "cpu_s": min(cpu),
                "cpu_runs_s": cpu,
                "peak_mb": max(0.0, peak - before),
                "peak_measure": "VmHWM after clear_refs" if exact_peak else "ru_maxrss (may include the parent's)",
                "ns_per_cell": min(times) / z.size * 1e9,
                "cpu_ns_per_cell": min(cpu) / z.size * 1e9,
                "corner_cost": float(value),
            }
        )
    )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, required=True, help="grid side N (N x N cells)")
    ap.add_argument("--json", help="write the results to this JSON file")
    ap.add_argument("--only", action="append", help="run only these contenders")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per contender; the fastest counts (default 3)")
    ap.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="run the list of contenders this many times in turn (A/B alternation on a shared machine); "
        "per contender the fastest wall and the fastest CPU time count (default 1)",
    )
    ap.add_argument(
        "--baseline-src",
        help="also run each wakhan contender on the code under this src folder (e.g. main's), as '<name> (before)'",
    )
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--dem", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args.child, args.dem, args.repeat)
        return 0
    n = args.size
    cells = n * n
    names = args.only or CONTENDERS
    results: list[dict] = []
    load = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory() as tmp:
        dem_path = os.path.join(tmp, "dem.npy")
        np.save(dem_path, fractal_dem(n))
        runs = []
        for name in names:
            if args.baseline_src and name.startswith("wakhan"):  # (the 2-thread row needs sources that have threads=)
                runs.append((name, f"{name} (before)", args.baseline_src))
            runs.append((name, name, None))
        for name, label, src in runs * max(1, args.rounds):
            if cells > MAX_CELLS.get(name, cells):
                print(f"# {name}: skipped above {MAX_CELLS[name]:,} cells (memory/time)", file=sys.stderr)
                continue
            env = None
            if src:  # the code before: its sources first on the child's path
                env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH")) if p))
            proc = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--size",
                    str(n),
                    "--child",
                    name,
                    "--dem",
                    dem_path,
                    "--repeat",
                    str(args.repeat),
                ],
                capture_output=True,
                text=True,
                env=env,
            )
            if proc.returncode != 0:
                print(f"# {label}: failed\n{proc.stderr[-2000:]}", file=sys.stderr)
                continue
            new = json.loads(proc.stdout.strip().splitlines()[-1]) | {"name": label}
            if src:
                new["src"] = src
            load.append(os.getloadavg()[0])
            print(f"# {label}: {new['seconds']:.2f} s, {new['cpu_s']:.2f} s CPU", file=sys.stderr, flush=True)
            old = next((r for r in results if r["name"] == label), None)
            if old is None:
                results.append(new)
                continue
            # another round: the fastest wall and the fastest CPU time (each the least disturbed), all runs kept
            old["runs_s"] += new["runs_s"]
            old["cpu_runs_s"] += new["cpu_runs_s"]
            old["seconds"], old["cpu_s"] = min(old["runs_s"]), min(old["cpu_runs_s"])
            old["ns_per_cell"], old["cpu_ns_per_cell"] = old["seconds"] / cells * 1e9, old["cpu_s"] / cells * 1e9
            old["peak_mb"] = max(old["peak_mb"], new["peak_mb"])
    print(
        f"\nsize {n} x {n} = {cells:,} cells, 8 neighbours, isotropic costs 1..10, "
        f"peak_mb = peak RSS growth during the timed call; load average {min(load):.2f}-{max(load):.2f}"
    )
    cpu_base = {r["name"]: r.get("cpu_s") for r in results}
    print(
        "seconds: wall, fastest run; cpu s: CPU time of the process, fastest run (steadier on a shared "
        "machine; a multithreaded peer's CPU time exceeds its wall time); x wakhan from CPU time"
    )
    print(
        f"{'contender':36s} {'seconds':>9s} {'wall ns/cell':>12s} {'cpu s':>8s} {'cpu ns/cell':>11s} {'x wakhan':>9s} "
        f"{'peak MB':>9s} "
        f"{'B/cell':>7s} {'corner cost':>14s}"
    )
    for r in results:
        key = "wakhan A*" if ("A*" in r["name"] or "route" in r["name"]) else "wakhan accumulate"
        if r["name"].endswith(" (before)"):
            key += " (before)"
        ref = cpu_base.get(key)
        ratio = r["cpu_s"] / ref if ref else float("nan")
        print(
            f"{r['name']:36s} {r['seconds']:9.3f} {r['seconds'] / cells * 1e9:12.1f} {r['cpu_s']:8.3f} "
            f"{r['cpu_s'] / cells * 1e9:11.1f} {ratio:9.2f} "
            f"{r['peak_mb']:9.1f} {r['peak_mb'] * 2**20 / cells:7.1f} {r['corner_cost']:14.3f}"
        )
    if args.json:
        with open(args.json + ".tmp", "w") as f:
            json.dump(
                {
                    "size": n,
                    "cells": cells,
                    "repeat": args.repeat,
                    "rounds": args.rounds,
                    "load_average_1min": load,
                    "baseline_src": args.baseline_src,
                    "results": results,
                },
                f,
                indent=1,
            )
        os.replace(args.json + ".tmp", args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
