"""The Karakoram Highway variant before and after conditioning the pack's coarse source (issue 18).

``python benchmarks/conditioning.py --write`` solves the Karakoram Highway variant of the
claims (Kashgar to Kabul through Pakistan) on the claims' own grid twice:

* before: NOAA GLOBE 30" as it is, through the old via-list (with Dasu, which GLOBE's 925 m
  cells put on the valley wall at 2,628 m);
* after: GLOBE's dams breached and its large streams burnt into the grid
  (:func:`wakhan.dem.hydro.condition_layer`), through today's via-list (Chilas, then Thakot),

and writes the profile down the Indus gorge, Gilgit to Thakot, with the headline numbers to
``benchmarks/conditioning.md`` (results in ``results/conditioning.json``). Published heights:
Gilgit 1,500 m, Chilas 1,219 m, Dasu ~800 m, Thakot 829 m.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from wakhan.claims.case_study import END, HIGHWAY_VARIANTS, KARAKORAM_HIGHWAY, START, variant
from wakhan.dem import build_dem
from wakhan.dem.build import waypoint_bbox
from wakhan.places import resolve
from wakhan.plan.compare import Variant, compare_routes
from wakhan.plan.plan import DEFAULT_BUFFER_KM
from wakhan.plan.waypoints import resolve_waypoints

HERE = Path(__file__).parent
OLD_VIA = tuple(v for v in variant(KARAKORAM_HIGHWAY).via)
OLD_VIA = OLD_VIA[: OLD_VIA.index("Chilas") + 1] + ("Dasu",) + OLD_VIA[OLD_VIA.index("Chilas") + 1 :]
TOWNS = ("Gilgit", "Chilas", "Dasu", "Thakot")
PUBLISHED_M = {"Gilgit": 1500, "Chilas": 1219, "Dasu": 800, "Thakot": 829}


def _solve(condition: bool, via) -> dict:
    ends = resolve_waypoints([START, END])
    pts = {(p.lon, p.lat) for v in HIGHWAY_VARIANTS for p in resolve_waypoints([ends[0], *v.via, ends[1]])}
    grid = build_dem(waypoint_bbox(sorted(pts), DEFAULT_BUFFER_KM), condition_coarse=condition)
    v = Variant("Karakoram Highway", via, ("CN", "PK", "AF"), key=KARAKORAM_HIGHWAY)
    (r,) = compare_routes(START, END, [v], dem=grid, tunnels=True)
    p, s = r.profile, r.summary
    near = {}
    for town in TOWNS:
        t = resolve(town)
        k = int(np.argmin((p.lon - t.lon) ** 2 + (p.lat - t.lat) ** 2))
        near[town] = {"km": round(float(p.distance_km[k]), 1), "elevation_m": round(float(p.elevation_m[k]))}
    a, b = near["Chilas"]["km"], near["Thakot"]["km"]
    gorge = (p.distance_km >= a) & (p.distance_km <= b)
    km = np.arange(near["Gilgit"]["km"], b + 1e-9, 20.0)
    return {
        "towns": near,
        "gorge_max_elevation_m": round(float(p.elevation_m[gorge].max())),
        "profile": [[round(float(k), 1), round(float(np.interp(k, p.distance_km, p.elevation_m)))] for k in km],
        "max_grade_pct": s.max_grade_pct,
        "hairpins": s.hairpins,
        "length_km": s.length_km,
        "passes": [(q["name"], q["elevation_m"], q["km"]) for q in s.to_dict()["passes"]],
        "cost_usd": [s.cost_usd["low"], s.cost_usd["high"]],
        "grid_notes": list(grid.notes),
    }


def _markdown(before: dict, after: dict) -> str:
    rows = [
        "| | before | after |",
        "|---|---|---|",
        f"| length, km | {before['length_km']:,.0f} | {after['length_km']:,.0f} |",
        f"| highest point between Chilas and Thakot, m | {before['gorge_max_elevation_m']:,} | "
        f"{after['gorge_max_elevation_m']:,} |",
        f"| maximum grade (grid, before switchbacks), % | {before['max_grade_pct']} | {after['max_grade_pct']} |",
        f"| hairpins | {before['hairpins']} | {after['hairpins']} |",
        f"| cost, US$ bn | {before['cost_usd'][0] / 1e9:.1f}-{before['cost_usd'][1] / 1e9:.1f} | "
        f"{after['cost_usd'][0] / 1e9:.1f}-{after['cost_usd'][1] / 1e9:.1f} |",
    ]
    rows += [
        f"| {t} (published {PUBLISHED_M[t]:,} m), m | {before['towns'][t]['elevation_m']:,} | "
        f"{after['towns'][t]['elevation_m']:,} |"
        for t in TOWNS
    ]
    prof = ["| km (before) | m | km (after) | m |", "|---|---|---|---|"]
    for (k0, z0), (k1, z1) in zip(before["profile"], after["profile"]):
        prof.append(f"| {k0:,.0f} | {z0:,} | {k1:,.0f} | {z1:,} |")
    passes = lambda r: "; ".join(f"{n or 'unnamed'} {z:,.0f} m (km {k:,.0f})" for n, z, k in r["passes"])  # noqa: E731
    return "\n".join(
        [
            "# Conditioning the coarse source: the Karakoram Highway down the Indus gorge",
            "",
            "`python benchmarks/conditioning.py --write` (results in `results/conditioning.json`). South of",
            '36.32N the pack has only NOAA GLOBE 30" (~925 m cells). **Before**: GLOBE as it is, via Dasu',
            "(GLOBE puts the town on the valley wall at 2,628 m; the Indus runs 780-1,150 m 3-5 km west).",
            "**After**: GLOBE's dams breached where the channel drains >= 1,000 km2 and its large streams",
            "burnt into the 464 m grid (`wakhan.dem.hydro`), via Chilas then Thakot.",
            "",
            *rows,
            "",
            f"Passes before: {passes(before)}.",
            "",
            f"Passes after: {passes(after)}.",
            "",
            "Profile from Gilgit to Thakot every 20 km:",
            "",
            *prof,
            "",
        ]
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="write conditioning.md and results/conditioning.json")
    args = ap.parse_args()
    before = _solve(False, OLD_VIA)
    after = _solve(True, variant(KARAKORAM_HIGHWAY).via)
    text = _markdown(before, after)
    print(text)
    if args.write:
        (HERE / "results").mkdir(exist_ok=True)
        (HERE / "results" / "conditioning.json").write_text(json.dumps({"before": before, "after": after}, indent=1))
        (HERE / "conditioning.md").write_text(text)


if __name__ == "__main__":
    main()
