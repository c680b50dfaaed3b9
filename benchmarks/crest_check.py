"""Does the heavy earthworks weight send Sarnen - Glaubenberg onto a crest? (issue 17; a check, no refit)

``benchmarks/road_realism.md`` saw the 93 m route from Sarnen to the Glaubenberg leave the road at
the fitted earthworks weight (30; at 10 it follows the road) and climb onto the slope north of it,
and offered an untested cause: the earthworks term prices the terrain's side slope across the
line, which is small on a crest and large along a hillside, so a heavy weight pays the route to
climb onto the crest. This script measures, with one method for every line:

* ``side slope``: the terrain gradient (central differences on the route's DEM, as the solver's
  earthworks term uses) read bilinearly every 20 m along the line and projected on the line's
  normal (direction over +-50 m), absolute value (m/m);
* ``earthworks m3/m``: that side slope through the model's full-bench section
  (:func:`wakhan.cost.highway.earthworks_m3_per_m`);
* ``rise beside``: the mean rise of the terrain one grid cell left and right of the line, per metre
  (as ``valley_confinement.py``): negative on a crest, positive in a valley, 0 on a plane; and the
  share of the line where it is negative (the ground falls away on both sides: crest or spur);

each as a mean over the whole line and over the longest stretch where the weight-30 route runs more
than 0.5 km from the road (and, for the road and the weight-10 route, over their points between
those nearest that stretch's ends). No parameter is fitted.

    WAKHAN_SHARED=/work/shared python benchmarks/crest_check.py
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
ROAD = HERE.parent / "tests" / "data" / "roads" / "sarnen-glaubenberg.geojson"
STEP_M = 20.0


def _resample(x: np.ndarray, y: np.ndarray, step_m: float = STEP_M):
    """Points every ``step_m`` along a polyline, with the distance along it."""
    d = np.concatenate([[0.0], np.cumsum(np.hypot(np.diff(x), np.diff(y)))])
    s = np.arange(0.0, d[-1], step_m)
    return np.interp(s, d, x), np.interp(s, d, y), s


def profile(x: np.ndarray, y: np.ndarray, dem) -> dict[str, np.ndarray]:
    """Side slope, earthworks per metre and rise beside at points every 20 m along a line in the DEM's map CRS."""
    from valley_confinement import _bilinear

    from wakhan.cost.highway import earthworks_m3_per_m

    z = dem.as_float().array
    dx, dy = (float(v) for v in dem.res)
    gy_rows, gx = np.gradient(z, dy, dx)  # per metre; rows run south, so north = -d/drow
    gn = -gy_rows
    px, py, s = _resample(x, y)
    inv = ~dem.transform
    col = inv.a * px + inv.b * py + inv.c - 0.5
    row = inv.d * px + inv.e * py + inv.f - 0.5
    k = max(1, int(round(50.0 / STEP_M)))
    ux = np.gradient(px, k)  # direction over +-50 m, east and north
    uy = np.gradient(py, k)
    norm = np.hypot(ux, uy)
    ux, uy = ux / norm, uy / norm
    nx, ny = -uy, ux  # unit normal (east, north)
    e = _bilinear(gx, row, col)
    n = _bilinear(gn, row, col)
    side = np.abs(e * nx + n * ny)
    zc = _bilinear(z, row, col)
    # one cell across: east is +col, north is -row
    cr, cc = -ny, nx
    rise = 0.5 * ((_bilinear(z, row + cr, col + cc) - zc) + (_bilinear(z, row - cr, col - cc) - zc)) / min(dx, dy)
    return {"x": px, "y": py, "s": s, "z": zc, "side": side, "earthworks": earthworks_m3_per_m(side), "rise": rise}


def _nearest_m(ax, ay, bx, by) -> tuple[np.ndarray, np.ndarray]:
    """For each point of line a: distance (m) to the nearest point of line b and that point's index."""
    d = np.hypot(ax[:, None] - bx[None, :], ay[:, None] - by[None, :])
    i = d.argmin(axis=1)
    return d[np.arange(len(ax)), i], i


def _means(p: dict, sel) -> dict:
    return {
        "km": round(float(sel.sum()) * STEP_M / 1000.0, 2),
        "side_slope": round(float(p["side"][sel].mean()), 3),
        "earthworks_m3_per_m": round(float(p["earthworks"][sel].mean()), 1),
        "rise_beside": round(float(p["rise"][sel].mean()), 3),
        "convex_across_pct": round(100.0 * float((p["rise"][sel] < 0.0).mean()), 0),
        "z_m": round(float(p["z"][sel].mean()), 0),
    }


def main() -> dict:
    from wakhan.cost import get_model
    from wakhan.dem.project import lonlat_to_xy
    from wakhan.plan.plan import plan_route

    tile = Path(os.environ.get("WAKHAN_SHARED", "../shared")) / "data" / "srtm" / "N46E008.tif"
    if not tile.exists():
        sys.exit("needs the Swiss SRTM tile: set WAKHAN_SHARED to the shared data folder")
    feature = json.loads(ROAD.read_text())["features"][0]
    (lon0, lat0), (lon1, lat1) = feature["properties"]["from_lonlat"], feature["properties"]["to_lonlat"]
    lines, dem = {}, None
    for w in (10.0, 30.0):
        r = plan_route(
            [f"{lat0},{lon0}", f"{lat1},{lon1}"],
            model=get_model("highway", earthworks_weight=w),
            dem=str(tile),
            buffer_km=5,
            places=None,
        )
        dem = r.dem
        xs, ys = zip(*(dem.xy(p.rows, p.cols) for p in r.paths))
        lines[f"route, weight {w:g}"] = (np.concatenate(xs), np.concatenate(ys))
    lon, lat = np.array(feature["geometry"]["coordinates"], dtype=float).T[:2]
    lines["road"] = lonlat_to_xy(dem.crs, lon, lat)
    prof = {name: profile(np.asarray(x), np.asarray(y), dem) for name, (x, y) in lines.items()}
    road, r30 = prof["road"], prof["route, weight 30"]
    off30, _ = _nearest_m(r30["x"], r30["y"], road["x"], road["y"])
    # the longest run of the weight-30 route more than 0.5 km from the road, and the other lines' points
    # between the points nearest its ends
    runs, start = [], None
    for i, far in enumerate(list(off30 > 500.0) + [False]):
        if far and start is None:
            start = i
        elif not far and start is not None:
            runs.append((start, i - 1))
            start = None
    i0, i1 = max(runs, key=lambda ab: ab[1] - ab[0])
    away = np.zeros(len(off30), bool)
    away[i0 : i1 + 1] = True
    out = {
        "stretch_route30_km": [round(r30["s"][i0] / 1000, 2), round(r30["s"][i1] / 1000, 2)],
        "stretch_off_road_km": [round(float(off30[away].min()) / 1000, 2), round(float(off30[away].max()) / 1000, 2)],
        "route30_off_road_km_total": round(float((off30 > 500.0).sum()) * STEP_M / 1000, 2),
    }
    for name, p in prof.items():
        if name == "route, weight 30":
            sel = away
        else:
            _, j = _nearest_m(r30["x"][[i0, i1]], r30["y"][[i0, i1]], p["x"], p["y"])
            sel = np.zeros(len(p["s"]), bool)
            sel[min(j) : max(j) + 1] = True
        out[name] = {"whole": _means(p, np.ones(len(p["s"]), bool)), "stretch": _means(p, sel)}
    print(json.dumps(out, indent=1))
    return out


if __name__ == "__main__":
    result = main()
    if "--write" in sys.argv:
        (HERE / "results" / "crest_check.json").write_text(json.dumps(result, indent=1) + "\n")
