"""Validate and time wakhan's remoteness surface (issue 20).

    python benchmarks/remoteness.py [--json benchmarks/results/remoteness.json] [--res 90] [--no-grass]

Validation, on the shared Swiss SRTM tile ($WAKHAN_SHARED/data/srtm/N46E008.tif) rebuilt as a metric
DEM (``--res`` m cells, default 90), with 12 "settlements" at random valley cells (below the 30th
percentile of elevation, seed 1):

A. isotropic, exact oracle: wakhan's multi-source accumulation (IsotropicModel, friction = Tobler's
   time per metre at each cell's slope, 8 neighbours) against scikit-image's ``MCP_Geometric`` from the
   same 12 starts (same graph: edge cost = length x mean of the two cells' costs), and its catchment
   (``source_index``) against the argmin of 12 single-start MCP runs;
B. the same against GRASS GIS ``r.cost`` (multi-source, ``nearest=`` for its catchment), when GRASS
   is installed (Debian ``grass-core``);
C. anisotropic: ``wakhan.remoteness`` (Tobler, reversed graph, 16 neighbours) against the isotropic
   Tobler approximation of A (what a user of MCP would compute), and against GRASS ``r.walk`` (a
   different published walking model, Aitken-Langmuir coefficients 0.72, 6.0, 1.9998, -1.9998) run on
   the negated DEM: walking from a cell to the settlement on ``z`` is walking from the settlement to
   the cell on ``-z``, so r.walk's outbound search gives the inbound time;
D. the asymmetry: reversed (cell -> settlement) over forward (settlement -> cell) walking time.

Speed, on the whole region pack (67.5-77 E, 33.5-40.5 N) at the route grid's 464 m: ``remoteness()``
end to end with every GHS settlement, then the search (accumulate + labels) with 1, 10, 100, 1,000
and all settlement cells, and 10 separate single-settlement searches for comparison.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from wakhan.cost import IsotropicModel, WalkingModel  # noqa: E402
from wakhan.dem import build_dem  # noqa: E402
from wakhan.dem.project import xy_to_lonlat  # noqa: E402
from wakhan.grid import DataSource  # noqa: E402
from wakhan.remoteness import remoteness  # noqa: E402
from wakhan.settlements import Settlements, read_settlements  # noqa: E402
from wakhan.solve import accumulate, source_index  # noqa: E402

N_SITES = 12


def agreement(ours: np.ndarray, theirs: np.ndarray, skip: np.ndarray | None = None) -> dict:
    """Median ratio, 5-95 % ratio range, Pearson and Spearman r, |relative difference| on cells both reach."""
    ok = np.isfinite(ours) & np.isfinite(theirs) & (theirs > 0) & (ours > 0)
    if skip is not None:
        ok &= ~skip
    a, b = ours[ok], theirs[ok]
    ratio = a / b
    return {
        "cells": int(ok.sum()),
        "median_ratio": round(float(np.median(ratio)), 5),
        "ratio_p5": round(float(np.percentile(ratio, 5)), 5),
        "ratio_p95": round(float(np.percentile(ratio, 95)), 5),
        "pearson_r": round(float(np.corrcoef(a, b)[0, 1]), 6),
        "spearman_r": round(float(spearmanr(a, b)[0]), 6),
        "median_abs_rel_diff": float(f"{np.median(np.abs(ratio - 1)):.3g}"),
        "max_abs_rel_diff": float(f"{np.max(np.abs(ratio - 1)):.3g}"),
    }


def tobler_s_per_m(dem) -> np.ndarray:
    """Isotropic Tobler: seconds per metre at each cell's slope magnitude (central differences)."""
    z = dem.array.astype(np.float64)
    dx, dy = dem.res
    gy, gx = np.gradient(z, dy, dx)
    slope = np.hypot(gx, gy)
    speed_ms = 6.0 * np.exp(-3.5 * np.abs(slope - 0.05)) / 3.6  # the uphill-or-downhill magnitude
    c = 1.0 / speed_ms
    c[~np.isfinite(z)] = np.nan
    return np.where(np.isfinite(c), c, np.nan)


def swiss(res_m: float):
    shared = os.environ.get("WAKHAN_SHARED", str(ROOT.parent / "shared"))
    tile = Path(shared) / "data" / "srtm" / "N46E008.tif"
    if not tile.exists():
        sys.exit(f"{tile} is missing: set WAKHAN_SHARED to the shared data folder")
    return build_dem((8.0, 46.0, 9.0, 47.0), source=tile, resolution_m=res_m), tile


def valley_sites(dem, n=N_SITES, seed=1):
    z = dem.array
    low = np.isfinite(z) & (z < np.nanpercentile(z, 30))
    low[:5], low[-5:], low[:, :5], low[:, -5:] = False, False, False, False
    cells = np.flatnonzero(low)
    pick = np.random.default_rng(seed).choice(cells, n, replace=False)
    return [tuple(map(int, divmod(int(i), dem.width))) for i in pick]


def mcp(cost, starts, res):
    from skimage.graph import MCP_Geometric

    c = np.where(np.isfinite(cost), cost, -1.0)  # negative = impassable in scikit-image
    m = MCP_Geometric(c, fully_connected=True, sampling=(res[1], res[0]))
    out, _ = m.find_costs(starts)
    return np.where(np.isfinite(out) & (out < 1e300), out, np.nan)


def grass_available() -> bool:
    return shutil.which("grass") is not None


def run_grass(dem, friction, sites, workdir: Path) -> dict:
    """r.cost (friction, 8 nb) and r.walk (negated DEM, knight's moves) from the sites; arrays back."""
    import rasterio

    from wakhan.gridio import write_geotiff

    write_geotiff(dem, workdir / "dem.tif")
    write_geotiff(dem.with_array(friction.astype(np.float32)), workdir / "fric.tif")
    xs, ys = dem.xy(np.array([r for r, _ in sites]), np.array([c for _, c in sites]))
    coords = ",".join(f"{x:.3f},{y:.3f}" for x, y in zip(np.atleast_1d(xs), np.atleast_1d(ys)))
    script = workdir / "run.sh"
    script.write_text(
        "set -e\n"
        f"r.in.gdal -o input={workdir}/dem.tif output=dem --quiet\n"
        f"r.in.gdal -o input={workdir}/fric.tif output=fric --quiet\n"
        "g.region raster=dem\n"
        "r.mapcalc 'negz = -dem' --quiet\nr.mapcalc 'zero = 0.0' --quiet\n"
        f"r.cost input=fric output=cost nearest=cnear start_coordinates={coords} memory=2000 --quiet\n"
        f"r.walk -k elevation=negz friction=zero output=walk nearest=wnear lambda=0 "
        f"start_coordinates={coords} memory=2000 --quiet\n"
        + "".join(
            f"r.out.gdal -c input={m} output={workdir}/{m}.tif format=GTiff type=Float64 --quiet --overwrite\n"
            for m in ("cost", "cnear", "walk", "wnear")
        )
    )
    loc = workdir / "db" / "loc"
    loc.parent.mkdir()
    t0 = time.perf_counter()
    subprocess.run(["grass", "-c", str(workdir / "dem.tif"), "-e", str(loc)], check=True, capture_output=True)
    subprocess.run(
        ["grass", str(loc / "PERMANENT"), "--exec", "bash", str(script)], check=True, capture_output=True, text=True
    )
    seconds = time.perf_counter() - t0
    out = {"seconds_incl_import": round(seconds, 2)}
    for m in ("cost", "cnear", "walk", "wnear"):
        with rasterio.open(workdir / f"{m}.tif") as ds:
            a = ds.read(1, masked=True).astype(np.float64)
            out[m] = a.filled(np.nan)
    return out


def catchment_agreement(ours_label, their_near, sites, skip) -> float:
    """Share of cells whose nearest site is the same (GRASS names sites by its own values: map them)."""
    mapping = {}
    for j, (r, c) in enumerate(sites):
        v = their_near[r, c]
        if np.isfinite(v):
            mapping[float(v)] = j
    theirs = np.full(their_near.shape, -1)
    for v, j in mapping.items():
        theirs[their_near == v] = j
    ok = (ours_label >= 0) & (theirs >= 0) & ~skip
    return round(float((ours_label[ok] == theirs[ok]).mean()), 5)


def validate(res_m: float, use_grass: bool) -> dict:
    dem, tile = swiss(res_m)
    sites = valley_sites(dem)
    fric = tobler_s_per_m(dem)
    out: dict = {
        "dem": f'{tile.name} (SRTM 1" via the shared tile) rebuilt at {dem.describe_resolution()}, '
        f"{dem.width} x {dem.height} cells, {dem.crs.to_dict().get('proj')}",
        "sites": len(sites),
    }
    # A: isotropic exact oracle
    # cells whose slope is undefined (beside the DEM's nodata rim) are impassable for both
    blocked = ~np.isfinite(fric)
    acc = accumulate(dem, IsotropicModel(), sites, neighbours=8, friction=np.nan_to_num(fric, nan=1.0), barrier=blocked)
    ours_iso = np.where(dem.valid_mask(), acc.cost, np.nan)
    theirs = mcp(fric, sites, dem.res)
    singles = np.stack([mcp(fric, [s], dem.res) for s in sites])
    srt = np.sort(np.where(np.isfinite(singles), singles, 1e300), axis=0)
    tie = (srt[1] - srt[0]) <= 1e-9 * np.maximum(srt[0], 1)
    lab = source_index(acc)
    best = np.argmin(np.where(np.isfinite(singles), singles, np.inf), axis=0)
    ok = np.isfinite(theirs) & ~tie
    out["A_isotropic_vs_skimage_mcp"] = {
        **agreement(ours_iso, theirs),
        "catchment_agreement": round(float((lab[ok] == best[ok]).mean()), 5),
    }
    # C (skimage part) and D
    sx, sy = dem.xy(np.array([r for r, _ in sites]), np.array([c for _, c in sites]))
    lon, lat = xy_to_lonlat(dem.crs, np.atleast_1d(sx), np.atleast_1d(sy))
    pts = Settlements(
        lon, lat, tuple(f"site {i + 1}" for i in range(len(sites))), DataSource("12 valley cells, seed 1")
    )
    t0 = time.perf_counter()
    rem = remoteness(pts, dem=dem, neighbours=16, model=WalkingModel())  # Tobler as published, as C and D compare
    out["wakhan_remoteness_seconds"] = round(time.perf_counter() - t0, 2)
    walk_s = rem.hours.array.astype(np.float64) * 3600.0
    out["C_walking_reversed_vs_isotropic_tobler_mcp"] = agreement(walk_s, theirs)
    fwd = accumulate(dem, WalkingModel(), sites, neighbours=16).cost
    out["D_reversed_over_forward_walking"] = agreement(walk_s, np.where(dem.valid_mask(), fwd, np.nan))
    if use_grass and grass_available():
        with tempfile.TemporaryDirectory(prefix="wakhan-grass-") as d:
            g = run_grass(dem, fric, sites, Path(d))
        out["grass_seconds_incl_import"] = g["seconds_incl_import"]
        # r.cost's friction is a cost per cell crossed: times the (square) cell size it is per metre
        out["B_isotropic_vs_grass_r_cost"] = {
            **agreement(ours_iso, g["cost"] * dem.res[0]),
            "catchment_agreement": catchment_agreement(lab, g["cnear"], sites, tie),
        }
        out["C_walking_reversed_vs_grass_r_walk_on_negated_dem"] = {
            **agreement(walk_s, g["walk"]),
            "catchment_agreement": catchment_agreement(
                source_index(rem.accumulation), g["wnear"], sites, np.zeros_like(tie)
            ),
        }
    else:
        out["grass"] = "GRASS GIS not installed (apt-get install grass-core): B and r.walk skipped"
    return out


def scaling() -> dict:
    from wakhan.sources.pack import manifest

    box = tuple(manifest()["region_bounds"])
    ghs = read_settlements("ghs")
    t0 = time.perf_counter()
    full = remoteness(ghs)
    end_to_end = time.perf_counter() - t0
    dem = full.dem
    cells = np.array([(full.entry(i).id) for i in range(1, len(full.table) + 1)])
    src = full.accumulation.sources_rc
    rng = np.random.default_rng(2)
    rows = []
    model = WalkingModel()
    barrier = ~full.area
    for n in (1, 10, 100, 1000, len(src)):
        pick = [src[i] for i in sorted(rng.choice(len(src), n, replace=False))]
        best = math.inf
        for _ in range(2):
            t = time.perf_counter()
            acc = accumulate(dem, model, pick, neighbours=16, barrier=barrier, reverse=True)
            source_index(acc)
            best = min(best, time.perf_counter() - t)
        rows.append(
            {
                "settlement_cells": n,
                "seconds": round(best, 2),
                "max_hours": round(
                    float(np.nanmax(np.where(np.isfinite(acc.cost) & full.area, acc.cost, np.nan))) / 3600, 1
                ),
            }
        )
    t = time.perf_counter()
    for s in src[:10]:
        accumulate(dem, model, [s], neighbours=16, barrier=barrier, reverse=True)
    separate = time.perf_counter() - t
    return {
        "box": list(box),
        "grid": f"{dem.width} x {dem.height} cells, {dem.describe_resolution()}",
        "ghs_settlement_cells": int(cells.size),
        "end_to_end_seconds": round(end_to_end, 2),
        "search_by_settlements": rows,
        "ten_separate_searches_seconds": round(separate, 2),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", type=Path)
    ap.add_argument("--res", type=float, default=90.0)
    ap.add_argument("--no-grass", action="store_true")
    ap.add_argument("--skip-scaling", action="store_true")
    args = ap.parse_args(argv)
    accumulate(np.zeros((8, 8)), WalkingModel(), [(0, 0)], cell_size_m=(1, 1), reverse=True)  # JIT warm-up
    doc = {"validation": validate(args.res, not args.no_grass)}
    if not args.skip_scaling:
        doc["scaling"] = scaling()
    text = json.dumps(doc, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
