"""Cold against warm start of ``wakhan claims --json``: wall and CPU seconds, side by side in one run.

    python benchmarks/cold_start.py [--pairs 2] [--src SRC[::VAR=VALUE,...] ...] [--json benchmarks/results/cold_start.json]

Cold = Numba's on-disk cache empty (the first run after ``pip install``); warm = the cache that
run filled. Each source tree (``--src``, default this checkout's ``src``) gets a private, emptied
``NUMBA_CACHE_DIR`` per pair (pyflwdir's kernels cache there too), so no other cache is touched;
the runs alternate cold, warm, cold, warm, ... and the trees alternate within a pair, so a change of
load hits every variant alike. CPU = user + sys of the child process (``resource.getrusage``),
which a busy machine disturbs less than wall time. The JSON output of every run is compared with
the first one's (results must be byte-identical). A tree may carry environment variables for its
runs, e.g. ``--src src src::WAKHAN_WARMUP=0`` compares the claims with and without the background
compile of :mod:`wakhan.solve.warmup`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_once(variant: str, cache_dir: str) -> dict:
    """One ``wakhan claims --json`` with ``variant``'s tree on ``PYTHONPATH`` and ``cache_dir`` as Numba's cache."""
    src, _, extra = variant.partition("::")
    env = dict(os.environ, PYTHONPATH=src, NUMBA_CACHE_DIR=cache_dir)
    env.update(kv.split("=", 1) for kv in extra.split(",") if kv)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", "from wakhan.cli import main; main()", "claims", "--json"],
        env=env,
        capture_output=True,
        check=False,
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"wakhan claims failed ({proc.returncode}): {proc.stderr.decode()[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "stdout": proc.stdout}


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=2, help="cold + warm pairs per source tree")
    ap.add_argument("--src", nargs="+", default=[str(ROOT / "src")], help="source trees to compare")
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    top = Path(tempfile.mkdtemp(prefix="wakhan-cold-"))
    reference = None
    runs = []
    try:
        for pair in range(args.pairs):
            for src in args.src:
                cache = top / f"{len(runs)}"
                shutil.rmtree(cache, ignore_errors=True)
                for state in ("cold", "warm"):
                    load = _load()
                    r = run_once(src, str(cache))
                    out = r.pop("stdout")
                    reference = out if reference is None else reference
                    r.update(src=src, pair=pair, state=state, load_before=load, identical=out == reference)
                    runs.append(r)
                    print(json.dumps(r), flush=True)
    finally:
        shutil.rmtree(top, ignore_errors=True)
    summary = []
    for src in args.src:
        row: dict = {"src": src}
        for state in ("cold", "warm"):
            mine = [r for r in runs if r["src"] == src and r["state"] == state]
            for key in ("wall_s", "cpu_s"):
                row[f"{state}_{key}"] = [r[key] for r in mine]
        for key in ("wall_s", "cpu_s"):
            ratios = [c / w for c, w in zip(row[f"cold_{key}"], row[f"warm_{key}"])]
            row[f"cold_over_warm_{key.split('_')[0]}"] = [round(x, 2) for x in ratios]
        summary.append(row)
        print(json.dumps(row))
    if args.json:
        doc = {
            "command": "wakhan claims --json",
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
            "identical_outputs": all(r["identical"] for r in runs),
            "runs": runs,
            "summary": summary,
        }
        Path(args.json).write_text(json.dumps(doc, indent=1) + "\n")


if __name__ == "__main__":
    main()
