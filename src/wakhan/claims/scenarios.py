"""The routes the claims are tested on.

* :func:`highway_routes`: the least-cost highway from Kashgar to Kabul confined
  to China and Afghanistan via the Wakhjir Pass (the article's proposal), the
  Karakoram Highway direction via the Khunjerab Pass and Pakistan, and the
  unconstrained optimum.
* :func:`infiltration_route`: the walking model's least-time route from the
  Afghan end of the corridor (Sarhad-e Broghil, the last village on the road)
  to the first Chinese settlement it can reach, the article's infiltration
  scenario.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wakhan.errors import RouteError
from wakhan.route.plan import DEFAULT_NEIGHBOURS, plan_route
from wakhan.route.profile import profile_from_path
from wakhan.route.result import RouteResult
from wakhan.route.stats import summarize

__all__ = ["HIGHWAY_SCENARIOS", "highway_routes", "infiltration_route", "WALKING_HOURS_PER_DAY",
           "INFILTRATION_BBOX", "chinese_settlement_targets"]

#: Route key -> (title, waypoints, within, avoid).
HIGHWAY_SCENARIOS = {
    "wakhan-highway": ("Kashgar - Wakhjir Pass - Kabul, within China and Afghanistan",
                       ["Kashgar", "Wakhjir Pass", "Kabul"], ["CN", "AF"], None),
    # The existing road: Karakoram Highway to Abbottabad, N-35/N-5 to Peshawar, Khyber Pass to Kabul.
    "karakoram-highway": ("Kashgar - Khunjerab Pass - Gilgit - Peshawar - Kabul (Karakoram Highway alignment)",
                          ["Kashgar", "Tashkurgan", "Khunjerab Pass", "Sost", "Gilgit", "Chilas", "Dasu",
                           "Thakot", "Abbottabad", "Peshawar", "Torkham", "Jalalabad", "Kabul"],
                          ["CN", "PK", "AF"], None),
    "unconstrained": ("Kashgar - Kabul, least cost with no border constraint",
                      ["Kashgar", "Kabul"], None, None),
}
#: Hours of walking a day used to turn walking time into days.
WALKING_HOURS_PER_DAY = 8.0
#: (west, south, east, north) of the walking DEM: the upper Wakhan, the
#: Little Pamir and the Tashkurgan valley, with room for detours.
INFILTRATION_BBOX = (72.9, 36.55, 75.9, 38.2)
INFILTRATION_START = "Sarhad-e Broghil"


def highway_routes(*, dem="pack", neighbours: int = DEFAULT_NEIGHBOURS, progress=None) -> dict[str, RouteResult]:
    """Plan the three highway scenarios of :data:`HIGHWAY_SCENARIOS` (highway cost model)."""
    out = {}
    for key, (title, waypoints, within, avoid) in HIGHWAY_SCENARIOS.items():
        if progress:
            progress(f"highway route: {title}")
        out[key] = plan_route(waypoints, model="highway", within=within, avoid=avoid, dem=dem,
                              neighbours=neighbours, name=title)
    return out


def chinese_settlement_targets(settlement_sets, dem, places=None) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Cells of ``dem`` holding a settlement in China, from every set and the gazetteer.

    Returns ``(rows, cols, names)``. The gazetteer's Chinese cities, towns and
    villages are always included, so a settlement source without Chinese places
    (Who's On First) still gives the walker somewhere to arrive.
    """
    from wakhan.borders import country_at
    from wakhan.dem.project import lonlat_to_xy
    from wakhan.places import load_places

    lon, lat, names = [], [], []
    for s in settlement_sets:
        lon.append(np.asarray(s.lon, float))
        lat.append(np.asarray(s.lat, float))
        names.extend(str(n) for n in s.names)
    gaz = [p for p in (places if places is not None else load_places())
           if p.country == "CN" and p.kind in ("city", "town", "village")]
    lon.append(np.array([p.lon for p in gaz], float))
    lat.append(np.array([p.lat for p in gaz], float))
    names.extend(p.name for p in gaz)
    lon, lat = np.concatenate(lon), np.concatenate(lat)
    w, s, e, n = INFILTRATION_BBOX
    near = (lon >= w) & (lon <= e) & (lat >= s) & (lat <= n)
    idx = np.flatnonzero(near)
    idx = idx[np.asarray(country_at(lon[idx], lat[idx])) == "CN"]
    x, y = lonlat_to_xy(dem.crs, lon[idx], lat[idx])
    rows, cols = dem.rowcol(x, y)
    ok = (rows >= 0) & (rows < dem.height) & (cols >= 0) & (cols < dem.width)
    ok[ok] &= np.isfinite(dem.array[rows[ok], cols[ok]])
    return rows[ok], cols[ok], [names[i] for i in idx[ok]]


@dataclass(frozen=True)
class InfiltrationResult:
    route: RouteResult
    walking_hours: float
    walking_days: float
    arrival: str
    arrival_lonlat: tuple[float, float]


def infiltration_route(settlement_sets, *, dem="pack", neighbours: int = DEFAULT_NEIGHBOURS,
                       model=None) -> InfiltrationResult:
    """Least walking time from Sarhad-e Broghil to the nearest (in time) Chinese settlement.

    One Dijkstra accumulation from Sarhad over the DEM of
    :data:`INFILTRATION_BBOX`, no border constraint (walkers do not follow
    borders); the arrival is the Chinese settlement cell with the least
    accumulated time, and the path is traced back from it.
    """
    from wakhan.cost import get_model
    from wakhan.dem import build_dem
    from wakhan.dem.project import lonlat_to_xy
    from wakhan.places import resolve
    from wakhan.solve import accumulate, trace

    model = model or get_model("walking")
    grid = dem if not isinstance(dem, str) else build_dem(INFILTRATION_BBOX, source=dem)
    start = resolve(INFILTRATION_START)
    sx, sy = lonlat_to_xy(grid.crs, [start.lon], [start.lat])
    srow, scol = (int(v[0]) for v in grid.rowcol(sx, sy))
    rows, cols, names = chinese_settlement_targets(settlement_sets, grid)
    if rows.size == 0:
        raise RouteError("no Chinese settlement lies in the walking DEM "
                         f"{INFILTRATION_BBOX}; add a settlement source that covers China (e.g. --settlements ghs)")
    acc = accumulate(grid, model, [(srow, scol)], neighbours=neighbours)
    times = acc.cost[rows, cols]
    if not np.isfinite(times).any():
        raise RouteError(f"no Chinese settlement can be reached on foot from {INFILTRATION_START} "
                         f"under the walking model's {model.max_grade_pct:g} % grade limit; relax it")
    best = int(np.nanargmin(np.where(np.isfinite(times), times, np.nan)))
    path = trace(acc, (int(rows[best]), int(cols[best])))
    profile = profile_from_path([path], grid)
    alon, alat = float(profile.lon[-1]), float(profile.lat[-1])
    title = f"On foot: {INFILTRATION_START} to the first Chinese settlement ({names[best]})"
    wps = [{"name": start.name, "lat": start.lat, "lon": start.lon, "km": 0.0},
           {"name": names[best], "lat": round(alat, 6), "lon": round(alon, 6), "km": float(profile.distance_km[-1])}]
    summary = summarize(profile, title, grid, waypoints=wps, cost=float(path.total_cost),
                        cost_unit=path.cost_unit, model=model,
                        notes=[f"Dijkstra accumulation from {start.name}, {neighbours}-neighbour moves, "
                               "no border constraint; arrival = the Chinese settlement reached first"])
    summary["neighbours"] = neighbours
    hours = float(path.total_cost) / 3600.0
    summary["walking_hours"] = round(hours, 2)
    summary["walking_days"] = round(hours / WALKING_HOURS_PER_DAY, 2)
    summary["walking_hours_per_day"] = WALKING_HOURS_PER_DAY
    route = RouteResult(summary=summary, profile=profile, dem=grid, paths=(path,), waypoints=(start,),
                        model=model)
    return InfiltrationResult(route, hours, hours / WALKING_HOURS_PER_DAY, names[best], (alon, alat))
