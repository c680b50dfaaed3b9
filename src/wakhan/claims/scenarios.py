"""The routes the claims are tested on.

* :func:`highway_routes`: the least-cost highway from Kashgar to Kabul confined
  to China and Afghanistan via the Wakhjir Pass (the article's proposal), the
  existing Karakoram Highway alignment via the Khunjerab Pass and Pakistan, and
  the unconstrained optimum, all on one DEM.
* :func:`infiltration_route`: the walking model's least-time route from the
  Afghan end of the corridor (Sarhad-e Broghil, where the Wakhan road ends)
  to the first Chinese settlement it can reach, staying in Afghanistan and
  China: the article's infiltration scenario.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wakhan.borders import country_at, country_mask
from wakhan.claims.case_study import (
    END,
    HIGHWAY_VARIANTS,
    INFILTRATION_BBOX,
    INFILTRATION_COUNTRIES,
    INFILTRATION_START,
    START,
    WALKING_HOURS_PER_DAY,
    existing_infrastructure,
)
from wakhan.cost import get_model
from wakhan.cost.walking import TREK_TERRAIN_FACTOR
from wakhan.dem import build_dem
from wakhan.dem.project import lonlat_to_xy
from wakhan.dem.water import water_mask
from wakhan.errors import RouteError
from wakhan.places import load_places, nearest_place, resolve
from wakhan.plan.compare import compare_routes
from wakhan.plan.plan import DEFAULT_NEIGHBOURS
from wakhan.route.days import walking_days
from wakhan.route.profile import profile_from_path
from wakhan.route.result import RouteResult
from wakhan.route.summary_fields import build_summary
from wakhan.solve import accumulate, trace

__all__ = [
    "highway_routes",
    "infiltration_route",
    "WALKING_HOURS_PER_DAY",
    "INFILTRATION_BBOX",
    "chinese_settlement_targets",
]


def highway_routes(
    *, dem="pack", neighbours: int = DEFAULT_NEIGHBOURS, progress=None, roads=None, existing: bool = True
) -> dict[str, RouteResult]:
    """The highway scenarios of :data:`wakhan.claims.case_study.HIGHWAY_VARIANTS`, Kashgar to Kabul, on one DEM.

    Keys: ``wakhan-highway`` (CN+AF via the Wakhjir Pass), ``existing-road`` (the same
    into Afghanistan, then the existing road via Faizabad, Kunduz and the Salang),
    ``karakoram-highway`` (the existing road through Pakistan), ``unconstrained``.
    All at the highway model's design grade with switchbacks, tunnels allowed. With
    ``existing`` (default) the bundled existing highways are priced as upgrades and the
    Salang tunnel is a fixed edge (:mod:`wakhan.plan.existing`); ``roads``: the user's own
    road layer(s), added to them.

    Examples
    --------
    On a gentle plane of 20 km cells over 67.5-77.5 E all four routes exist, and none has a
    tunnel: a plane gives a bore between any two portals no rock cover at all.

    >>> from affine import Affine
    >>> from pyproj import Transformer
    >>> from wakhan.grid import Grid
    >>> x0, y0 = Transformer.from_crs("EPSG:4326", "EPSG:32643", always_xy=True).transform(67.5, 40.5)
    >>> rows, cols = np.mgrid[0:45, 0:50]
    >>> dem = Grid((1500.0 + 4.0 * cols + 6.0 * rows).astype(np.float32), Affine(20_000.0, 0, x0, 0, -20_000.0, y0), "EPSG:32643")
    >>> routes = highway_routes(dem=dem, neighbours=8)
    >>> sorted(routes), [routes[k].summary.engineering.tunnels for k in sorted(routes)]
    (['existing-road', 'karakoram-highway', 'unconstrained', 'wakhan-highway'], [[], [], [], []])
    """

    tell = (lambda description, *_: progress(description)) if progress else None
    infrastructure = existing_infrastructure(roads) if existing else {"roads": roads}
    routes = compare_routes(
        START,
        END,
        HIGHWAY_VARIANTS,
        model="highway",
        neighbours=neighbours,
        dem=dem,
        progress=tell,
        tunnels=True,
        **infrastructure,
    )
    return {v.key: r for v, r in zip(HIGHWAY_VARIANTS, routes)}


def chinese_settlement_targets(settlement_sets, dem, places=None) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Cells of ``dem`` holding a settlement in China, from every set and the gazetteer.

    Returns ``(rows, cols, names)``. The gazetteer's Chinese cities, towns and
    villages are always included, so a settlement source without Chinese places
    (Who's On First) still gives the walker somewhere to arrive.

    Examples
    --------
    Of Tashkurgan (China) and Sarhad-e Broghil (Afghanistan), only Tashkurgan is a target, in its
    cell of a 0.1-degree grid:

    >>> from affine import Affine
    >>> from wakhan.grid import DataSource, Grid
    >>> from wakhan.settlements import Settlements
    >>> dem = Grid(np.full((40, 80), 3000.0, np.float32), Affine(0.1, 0, 70.0, 0, -0.1, 39.0), "EPSG:4326")
    >>> towns = Settlements([75.23, 73.47], [37.77, 36.98], ("Tashkurgan", "Sarhad"), DataSource("built"))
    >>> rows, cols, names = chinese_settlement_targets([towns], dem, places=[])
    >>> rows.tolist(), cols.tolist(), names
    ([12], [52], ['Tashkurgan'])
    """

    lon_parts: list[np.ndarray] = []
    lat_parts: list[np.ndarray] = []
    names: list[str] = []
    for s in settlement_sets:
        lon_parts.append(np.asarray(s.lon, float))
        lat_parts.append(np.asarray(s.lat, float))
        names.extend(str(n) for n in s.names)
    gaz = [
        p
        for p in (places if places is not None else load_places())
        if p.country == "CN" and p.kind in ("city", "town", "village")
    ]
    lon_parts.append(np.array([p.lon for p in gaz], float))
    lat_parts.append(np.array([p.lat for p in gaz], float))
    names.extend(p.name for p in gaz)
    lon, lat = np.concatenate(lon_parts), np.concatenate(lat_parts)
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


def infiltration_route(
    settlement_sets, *, dem="pack", neighbours: int = DEFAULT_NEIGHBOURS, model=None
) -> InfiltrationResult:
    """Least walking time from Sarhad-e Broghil to the nearest (in time) Chinese settlement.

    One Dijkstra accumulation from Sarhad over the DEM of
    :data:`INFILTRATION_BBOX`, confined to Afghanistan and China
    (:data:`INFILTRATION_COUNTRIES`): the walker enters China from the corridor
    itself. The arrival is the Chinese settlement cell with the least
    accumulated time, and the path is traced back from it. The default model is
    Tobler's function with :data:`wakhan.cost.walking.TREK_TERRAIN_FACTOR`, the speed
    factor calibrated against published trek times (``benchmarks/walking.md``).

    Examples
    --------
    On a gentle ramp of 4 km cells over :data:`INFILTRATION_BBOX`, with Tashkurgan as the only
    settlement given (the gazetteer's Chinese villages count too), the walk arrives at Dafdar, a
    village on the way:

    >>> from affine import Affine
    >>> from pyproj import Transformer
    >>> from wakhan.grid import DataSource, Grid
    >>> from wakhan.settlements import Settlements
    >>> x0, y0 = Transformer.from_crs("EPSG:4326", "EPSG:32643", always_xy=True).transform(72.9, 38.2)
    >>> rows, cols = np.mgrid[0:45, 0:70]
    >>> dem = Grid((3500.0 + 8.0 * cols + 5.0 * rows).astype(np.float32), Affine(4000.0, 0, x0, 0, -4000.0, y0), "EPSG:32643")
    >>> towns = Settlements([75.23], [37.77], ("Tashkurgan",), DataSource("built"))
    >>> walk = infiltration_route([towns], dem=dem, neighbours=8)
    >>> walk.arrival, walk.route.summary.terrain.waypoints[0]["name"], walk.walking_days > walk.walking_hours / 24.0
    ('Dafdar', 'Sarhad-e Broghil', True)
    """

    # Tobler's function with the speed factor calibrated on published treks (benchmarks/walking.md)
    model = model or get_model("walking", terrain_factor=TREK_TERRAIN_FACTOR)
    grid = dem if not isinstance(dem, str) else build_dem(INFILTRATION_BBOX, source=dem)
    start = resolve(INFILTRATION_START)
    sx, sy = lonlat_to_xy(grid.crs, [start.lon], [start.lat])
    srow, scol = (int(v[0]) for v in grid.rowcol(sx, sy))
    rows, cols, names = chinese_settlement_targets(settlement_sets, grid)
    if rows.size == 0:
        raise RouteError(
            "no Chinese settlement lies in the walking DEM "
            f"{INFILTRATION_BBOX}; add a settlement source that covers China (e.g. --settlements ghs)"
        )

    water = water_mask(grid)  # lakes (Zorkul, Chaqmaqtin) are gone round, not walked across
    barrier = ~country_mask(grid, list(INFILTRATION_COUNTRIES)) | water.mask
    acc = accumulate(grid, model, [(srow, scol)], neighbours=neighbours, barrier=barrier)
    times = acc.cost[rows, cols]
    if not np.isfinite(times).any():
        raise RouteError(
            f"no Chinese settlement can be reached on foot from {INFILTRATION_START} "
            f"within {'/'.join(INFILTRATION_COUNTRIES)} and the walking model's {model.max_grade_pct:g} % "
            "grade limit, lakes gone round; use a DEM source that covers the whole corridor (--dem)"
        )
    best = int(np.nanargmin(np.where(np.isfinite(times), times, np.nan)))
    path = trace(acc, (int(rows[best]), int(cols[best])))
    profile = profile_from_path([path], grid)
    alon, alat = float(profile.lon[-1]), float(profile.lat[-1])
    arrival = names[best]
    near = nearest_place(alon, alat, 30.0, kinds=("city", "town", "village"))
    if near and near[0].name != arrival:
        arrival = f"{arrival}, {near[1]:.0f} km from {near[0].name}"
    title = f"On foot: {INFILTRATION_START} to the first Chinese settlement"
    wps = [
        {"name": start.name, "lat": start.lat, "lon": start.lon, "km": 0.0},
        {
            "name": "first Chinese settlement",
            "lat": round(alat, 6),
            "lon": round(alon, 6),
            "km": float(profile.distance_km[-1]),
        },
    ]
    hours = float(path.total_cost) / 3600.0

    z_path = np.asarray(grid.array, dtype=np.float64)[path.rows, path.cols]
    limited = walking_days(path.step_cost, z_path)
    summary = build_summary(
        profile,
        title,
        grid,
        waypoints=wps,
        cost=float(path.total_cost),
        cost_unit=path.cost_unit,
        model=model,
        notes=[
            (
                f"Dijkstra accumulation from {start.name}, {neighbours}-neighbour moves, "
                f"confined to {'+'.join(INFILTRATION_COUNTRIES)} (Natural Earth borders "
                "rasterised on the DEM); arrival = the Chinese settlement reached first"
            ),
            water.describe(grid),
        ],
        cite_borders=True,
        neighbours=neighbours,
        within=tuple(INFILTRATION_COUNTRIES),
        walking_hours=round(hours, 2),
        walking_days=round(hours / WALKING_HOURS_PER_DAY, 2),
        walking_hours_per_day=WALKING_HOURS_PER_DAY,
        # days under daily limits (hours, climb, sleeping elevation; see wakhan.route.days)
        walking_days_limited=round(float(limited["days"]), 2),
        daily_limits={
            k: limited[k] for k in ("hours_per_day", "climb_per_day_m", "sleep_rule", "rest_days", "camps_m")
        },
        arrival=arrival,
    )
    route = RouteResult(summary=summary, profile=profile, dem=grid, paths=(path,), waypoints=(start,), model=model)
    return InfiltrationResult(route, hours, hours / WALKING_HOURS_PER_DAY, arrival, (alon, alat))
