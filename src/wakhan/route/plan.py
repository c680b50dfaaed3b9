"""Plan a route by place names: waypoints -> DEM -> country barriers -> leg-by-leg solve -> summary.

:func:`plan_route` is what ``wakhan route`` runs, and what the claims and the
notebook reuse. Waypoints are hard: each leg is solved separately between
consecutive waypoints, so the route passes through every one of them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from pyproj import Transformer

from wakhan.errors import InputError, RouteError
from wakhan.grid import Grid
from wakhan.interrupt import map_interruptible
from wakhan.route.profile import profile_from_path
from wakhan.route.result import RouteResult
from wakhan.route.summary import build_summary, highway_fields, optimality_fields

__all__ = [
    "plan_route",
    "parse_countries",
    "resolve_waypoints",
    "check_neighbours",
    "DEFAULT_BUFFER_KM",
    "DEFAULT_NEIGHBOURS",
]

#: Buffer around the waypoints' box. Wide enough that the Kashgar-Kabul routes do
#: not run along the DEM's edge (a route that does gets a note), small enough to
#: solve in seconds at 464 m.
DEFAULT_BUFFER_KM = 50.0
#: 16 neighbours by default: with 8 the 45-degree move directions force zigzags up
#: narrow valleys, so a grade-limited road looks impossible where it is not
#: (Wakhjir Pass -> Ishkashim needs 12.4 % with 8 neighbours, 6.5 % with 16, on the pack).
DEFAULT_NEIGHBOURS = 16
# Grids above this many cells are routed coarse-to-fine with a certified gap (solve.refine);
# smaller ones exactly over the full grid (Kashgar-Kabul at 90 m, 60 M cells: 19 s, 1.8 GB here).
# Over mountains the certificate's straight-line floor is weak for the highway and walking
# models and the full grid gets solved anyway (see solve.refine), so the threshold is high.
REFINE_MIN_CELLS = 100_000_000
_SNAP_CELLS = 3
Progress = Callable[[str, int, int], None]


def parse_countries(codes, option: str = "--within") -> list[str] | None:
    """``"CN,AF"`` or ``["CN", "AF"]`` -> ``["CN", "AF"]`` (checked against the pack); None stays None.

    Parameters
    ----------
    codes : str, sequence of str or None
        ISO alpha-2 codes, comma-separated in a string; case and spaces are ignored.
    option : str
        The option named in the error message.

    Returns
    -------
    list of str or None
        Upper-case codes without repeats, in the order given.

    Raises
    ------
    InputError
        No codes, or a code the region pack's borders do not know.

    Examples
    --------
    >>> parse_countries(" cn, af,CN")
    ['CN', 'AF']
    >>> parse_countries(None) is None
    True
    """
    if codes is None:
        return None
    if isinstance(codes, str):
        codes = codes.split(",")
    out = [str(c).strip().upper() for c in codes if str(c).strip()]
    if not out:
        raise InputError(f"{option} got no country codes; give ISO alpha-2 codes such as CN,AF")
    from wakhan.borders import known_codes

    known = known_codes()
    unknown = [c for c in out if c not in known]
    if unknown:
        raise InputError(f"{option}: unknown country code {unknown[0]!r}; the region pack knows {', '.join(known)}")
    return list(dict.fromkeys(out))


MAX_BUFFER_KM = 2000.0  # a wider margin than this is a typo, not a route study (and no DEM fits memory)


def resolve_waypoints(waypoints: Sequence) -> list:
    """Places for names, ``"LAT,LON"`` strings or Place objects (at least two).

    Parameters
    ----------
    waypoints : sequence of str or Place

    Returns
    -------
    list of Place

    Raises
    ------
    InputError
        Fewer than two waypoints, a single string, or a name the gazetteer does not know.

    Examples
    --------
    >>> a, b = resolve_waypoints(["37.0,71.5", "37.1,71.6"])
    >>> (a.lat, a.lon), (b.lat, b.lon)
    ((37.0, 71.5), (37.1, 71.6))
    """
    from wakhan.places import resolve

    if isinstance(waypoints, (str, bytes)):
        raise InputError(
            f"waypoints must be a list of places such as ['Kashgar', 'Kabul'], not the single string {waypoints!r}"
        )
    waypoints = list(waypoints)
    if len(waypoints) < 2:
        raise InputError("a route needs at least two waypoints: give FROM and TO")
    return [w if hasattr(w, "lon") and hasattr(w, "lat") else resolve(str(w)) for w in waypoints]


def _check_countries(places, within, avoid) -> None:
    if not within and not avoid:
        return
    from wakhan.borders import country_at

    codes = country_at([p.lon for p in places], [p.lat for p in places])
    for p, code in zip(places, codes):
        where = f"in {code}" if code else "outside every country of the region pack"
        if within and code not in within:
            raise InputError(
                f"waypoint {p.name} ({p.lat:.4f},{p.lon:.4f}) lies {where}, outside --within "
                f"{','.join(within)}; add its country or choose another waypoint"
            )
        if avoid and code in avoid:
            raise InputError(
                f"waypoint {p.name} ({p.lat:.4f},{p.lon:.4f}) lies in {code}, which --avoid "
                f"excludes; drop {code} from --avoid or choose another waypoint"
            )


def _barrier(dem: Grid, within, avoid) -> np.ndarray | None:
    if not within and not avoid:
        return None
    from wakhan.borders import country_mask

    barrier = np.zeros(dem.shape, dtype=bool)
    if within:
        barrier |= ~country_mask(dem, within)
    if avoid:
        barrier |= country_mask(dem, avoid)
    return barrier


def _cell_of(dem: Grid, place, barrier, notes: list[str]) -> tuple[int, int]:
    """The DEM cell of a waypoint, moved to the nearest usable cell within a few cells if needed."""
    x, y = Transformer.from_crs("EPSG:4326", dem.crs, always_xy=True).transform(place.lon, place.lat)
    r, c = (int(v) for v in dem.rowcol(x, y))
    src = "; ".join(s.name for s in dem.sources) or "the DEM"
    if not (0 <= r < dem.height and 0 <= c < dem.width):
        raise InputError(
            f"waypoint {place.name} ({place.lat:.4f},{place.lon:.4f}) lies outside the elevation "
            f"data ({src}); choose a point inside the region or give --dem tiles/PATH covering it"
        )
    usable = dem.valid_mask()
    if barrier is not None:
        usable &= ~barrier
    if usable[r, c]:
        return r, c
    r0, r1 = max(r - _SNAP_CELLS, 0), min(r + _SNAP_CELLS + 1, dem.height)
    c0, c1 = max(c - _SNAP_CELLS, 0), min(c + _SNAP_CELLS + 1, dem.width)
    rr, cc = np.nonzero(usable[r0:r1, c0:c1])
    if rr.size == 0:
        if not dem.valid_mask()[r, c]:
            raise InputError(
                f"waypoint {place.name} ({place.lat:.4f},{place.lon:.4f}) has no elevation data in "
                f"{src}; choose a point inside the data or give --dem tiles/PATH covering it"
            )
        raise InputError(
            f"waypoint {place.name} ({place.lat:.4f},{place.lon:.4f}) lies in a country the "
            f"--within/--avoid options exclude; change the options or the waypoint"
        )
    k = int(np.argmin((rr + r0 - r) ** 2 + (cc + c0 - c) ** 2))
    nr, nc = int(rr[k] + r0), int(cc[k] + c0)
    moved = math.hypot((nr - r) * dem.res[1], (nc - c) * dem.res[0])
    notes.append(f"waypoint {place.name} moved {moved:.0f} m to the nearest cell allowed by the borders/data")
    return nr, nc


def _model(model, max_grade_pct, design_grade_pct=None):
    from wakhan.cost import get_model

    over = {} if max_grade_pct is None else {"max_grade_pct": float(max_grade_pct)}
    if design_grade_pct is not None:
        over["design_grade_pct"] = float(design_grade_pct)
    if isinstance(model, str):
        if "design_grade_pct" in over and str(model).strip().lower() != "highway":
            raise InputError(f"--design-grade applies to the highway model only, not {model!r}; drop it")
        return get_model(model, **over)
    return model.with_overrides(**over) if over else model


def _check_engineering(max_elevation_m, max_tunnel_km) -> None:
    import math as _m

    if max_tunnel_km is not None and not (
        isinstance(max_tunnel_km, (int, float)) and max_tunnel_km > 0 and _m.isfinite(max_tunnel_km)
    ):
        raise InputError(
            f"--max-tunnel-km {max_tunnel_km!r} must be a positive number of kilometres "
            "(the Gotthard road tunnel is 16.9 km); use --no-tunnels to forbid tunnels"
        )
    if max_elevation_m is not None and not (isinstance(max_elevation_m, (int, float)) and _m.isfinite(max_elevation_m)):
        raise InputError(f"--max-elevation {max_elevation_m!r} must be a height in metres, e.g. 4000")


def _ceiling(grid: Grid, places, cells, max_elevation_m) -> np.ndarray | None:
    """Cells above the ceiling (a barrier for the road, not for tunnels); checks the waypoints."""
    if max_elevation_m is None:
        return None
    z = np.asarray(grid.array, dtype=float)
    above = [(p, z[r, c]) for p, (r, c) in zip(places, cells) if z[r, c] > max_elevation_m]
    if len(above) == len(places):
        raise InputError(
            f"--max-elevation {max_elevation_m:g} m is below every waypoint (the lowest, "
            f"{min(h for _, h in above):,.0f} m); raise the ceiling"
        )
    if above:
        p, h = above[0]
        raise InputError(
            f"waypoint {p.name} lies at {h:,.0f} m, above --max-elevation {max_elevation_m:g} m; "
            "raise the ceiling or choose a lower waypoint"
        )
    return np.nan_to_num(z, nan=-1e9) > max_elevation_m


def _leg_error(exc: RouteError, dem, model, a, b, s, g, neighbours, barrier, within, avoid) -> RouteError:
    """Restate the solver's failure with place names and the options a user can change."""
    from wakhan.solve import gentlest_crossing_pct

    gentlest = gentlest_crossing_pct(dem, s, g, neighbours=neighbours, barrier=barrier)
    limit = float(model.max_grade_pct)
    leg = f"{a.name} to {b.name}"
    if math.isfinite(gentlest) and gentlest > limit:
        return RouteError(
            f"no {model.name} route from {leg} keeps within the grade limit of {limit:g} %: the gentlest "
            f"possible crossing on this DEM needs {gentlest:.1f} %, so allow at least "
            f"{math.ceil(gentlest * 10) / 10:.1f} %",
            needs_grade_pct=float(gentlest),
        )
    if not math.isfinite(gentlest) and barrier is not None:
        opts = " ".join(f"{k} {','.join(v)}" for k, v in (("--within", within), ("--avoid", avoid)) if v)
        return RouteError(
            f"no route from {leg} stays inside the countries allowed by {opts} within the DEM "
            f"around the waypoints; allow more countries, add a --via waypoint, or widen the buffer"
        )
    return RouteError(f"no route from {leg}: {exc}")


def _edge_note(paths, dem: Grid, profile, joints_km) -> str | None:
    """A note when the route runs along the DEM's edge (a wider buffer might find a better route)."""
    for path in paths:
        rows, cols = np.asarray(path.rows), np.asarray(path.cols)
        edge = (rows <= 1) | (cols <= 1) | (rows >= dem.height - 2) | (cols >= dem.width - 2)
        edge[[0, -1]] = False
        if edge.any():
            x, y = dem.xy(rows[edge][0], cols[edge][0])
            k = int(np.argmin(np.hypot(profile.x - x, profile.y - y)))
            return (
                f"the route touches the edge of the DEM near km {profile.distance_km[k]:.0f}; "
                "a larger buffer_km might find a cheaper route"
            )
    return None


def check_neighbours(neighbours: int) -> None:
    """Raise :class:`InputError` unless ``neighbours`` is a move set the solver has (8, 16 or 32).

    Examples
    --------
    >>> check_neighbours(16)
    """
    if neighbours not in (8, 16, 32):
        raise InputError(f"--neighbours {neighbours} is not supported; use 8, 16 or 32")


def plan_route(
    waypoints: Sequence,
    *,
    model="highway",
    max_grade_pct: float | None = None,
    neighbours: int = DEFAULT_NEIGHBOURS,
    within=None,
    avoid=None,
    dem="pack",
    resolution_m: float | None = None,
    buffer_km: float = DEFAULT_BUFFER_KM,
    name: str | None = None,
    places="auto",
    tiles_dir=None,
    progress: Progress | None = None,
    design_grade_pct: float | None = None,
    max_elevation_m: float | None = None,
    tunnels: bool = False,
    max_tunnel_km: float | None = None,
    roads=None,
    gap_pct: float = 1.0,
) -> RouteResult:
    """The least-cost route through ``waypoints``, with its profile and summary.

    Parameters
    ----------
    waypoints : sequence of str or Place
        Names or aliases from the gazetteer, ``"LAT,LON"`` strings, or Places;
        FROM, any via points, TO. Every waypoint is a hard waypoint: legs are
        solved one by one between consecutive waypoints.
    model : {"highway", "walking"} or cost model
    max_grade_pct : float, optional
        Override of the model's grade limit (percent).
    neighbours : {8, 16, 32}
        Move set of the solver (default 16, see ``DEFAULT_NEIGHBOURS``).
    within, avoid : "CN,AF" or list of ISO alpha-2 codes, optional
        Confine the route to these countries / keep it out of them (Natural Earth
        polygons of the region pack, rasterised on the DEM, cell-centre rule).
    dem : "pack", "tiles", a raster path, or a metric Grid or rioxarray DataArray
        Elevation source for :func:`wakhan.dem.dem_around` (or the DEM itself,
        for several routes on one grid).
    resolution_m : float, optional
        DEM cell size; default the finest source's native spacing (464 m on the pack).
    buffer_km : float
        Margin around the waypoints' bounding box (default 50 km).
    name : str, optional
        Route name; default the waypoint names joined by " - ".
    places : sequence of Place, "auto" or None
        Gazetteer for naming passes and places along the route.
    progress : callable(description, step, total), optional
        Told as each step starts (for a progress bar).
    design_grade_pct : float, optional
        Highway design grade below 3,000 m (see :class:`wakhan.cost.HighwayModel`);
        steeper terrain is climbed by switchbacks.
    max_elevation_m : float, optional
        Ceiling: no road cell above it (tunnels may pass beneath).
    tunnels : bool
        Let the highway replace climbs by straight tunnels where cheaper
        (:mod:`wakhan.solve.tunnels`); pass waypoints (kind ``pass``) may then be
        tunnelled under.
    max_tunnel_km : float, optional
        Longest tunnel (default :data:`wakhan.solve.tunnels.DEFAULT_MAX_TUNNEL_KM`).
    roads : path, optional
        Line layer of existing roads: cells on them cost an upgrade (:mod:`wakhan.route.roads`).
    gap_pct : float
        Certified optimality-gap tolerance, percent (> 0, default 1). A grid of
        more than ``REFINE_MIN_CELLS`` (100 M) cells is solved coarse-to-fine
        (:func:`wakhan.solve.refine.certified_path`); a smaller one exactly (gap 0).
        The summary states ``optimality_gap_pct`` and how it was bounded.

    Returns
    -------
    RouteResult

    Raises
    ------
    InputError
        Unknown place, point outside the data, waypoint in an excluded country.
    RouteError
        No route meets the grade limit (the message gives the gentlest possible
        crossing) or the allowed countries do not connect the waypoints.

    Examples
    --------
    A made-up 40 x 40 DEM of 200 m cells (UTM 43N, at 37 N 75 E) rising 10 m a
    cell to the east: the route along a row climbs 35 cells x 10 m = 350 m at
    5 %, below the highway's design grade, so it is built as it lies. Its
    7,000 m of grid length are 7.003 km on the ellipsoid (UTM scale 0.9996).

    >>> from affine import Affine
    >>> from wakhan.grid import Grid
    >>> z = np.tile(np.arange(40, dtype=np.float32) * 10.0 + 2000.0, (40, 1))
    >>> dem = Grid(z, Affine(200.0, 0, 500_000, 0, -200.0, 4_100_000), "EPSG:32643")
    >>> r = plan_route(["37.00926,75.00562", "37.00923,75.08430"], dem=dem, places=None)
    >>> r.summary.length_km, r.summary.climb_m, r.summary.max_grade_pct, r.summary.switchback_km
    (7.003, 350.0, 5.0, 0.0)
    >>> r.summary.optimality_gap_pct, r.summary.countries_km
    (0.0, {'CN': 7.003})
    """
    from wakhan.solve import least_cost_path
    from wakhan.solve.refine import certified_path

    if not (isinstance(gap_pct, (int, float)) and math.isfinite(gap_pct) and gap_pct > 0):
        raise InputError(
            f"--gap-pct {gap_pct!r} must be a positive percentage (e.g. 1); a certified gap "
            "of zero needs the full grid, which a grid this size is solved on anyway"
        )
    places_in = resolve_waypoints(waypoints)
    within = parse_countries(within, "--within")
    avoid = parse_countries(avoid, "--avoid")
    if within and avoid and set(within) & set(avoid):
        raise InputError(
            f"{', '.join(sorted(set(within) & set(avoid)))} is both in --within and in --avoid; "
            "name each country in one of them only"
        )
    check_neighbours(neighbours)
    cost_model = _model(model, max_grade_pct, design_grade_pct)
    _check_engineering(max_elevation_m, max_tunnel_km)
    highway = hasattr(cost_model, "design_grade_at")
    if tunnels and not highway:
        raise InputError(f"--tunnels applies to the highway model only, not {cost_model.name}; use --no-tunnels")
    road_lines = None
    if roads is not None:
        from wakhan.route.roads import read_roads

        road_lines = read_roads(roads)
    _check_countries(places_in, within, avoid)
    n_legs = len(places_in) - 1
    total = n_legs + 2
    tell = progress or (lambda *_: None)

    if isinstance(dem, str) and dem == "pack":
        from wakhan.sources.pack import region_bounds

        w, so, e, n = region_bounds()
        for p in places_in:
            if not (w <= p.lon <= e and so <= p.lat <= n):
                raise InputError(
                    f"waypoint {p.name} ({p.lat:.4f},{p.lon:.4f}) lies outside the region pack's "
                    f"elevation data ({so:g}-{n:g}N, {w:g}-{e:g}E); choose a point inside it "
                    "or give --dem tiles/PATH covering it"
                )
    tell("building the DEM", 0, total)
    from wakhan.gridio import as_grid

    dem = as_grid(dem)  # an xarray DataArray DEM is accepted like a Grid
    if isinstance(dem, Grid):
        grid = dem
    else:
        from wakhan.dem import dem_around

        if not (isinstance(buffer_km, (int, float)) and 0 <= buffer_km <= MAX_BUFFER_KM):
            raise InputError(
                f"--buffer-km {buffer_km!r} must be a margin of 0 to {MAX_BUFFER_KM:g} km around the "
                "waypoints; give a smaller margin"
            )
        grid = dem_around(
            [(p.lon, p.lat) for p in places_in],
            float(buffer_km),
            source=dem,
            resolution_m=resolution_m,
            tiles_dir=tiles_dir,
        )
    if grid.is_geographic:
        raise InputError("the DEM is in geographic degrees; give a metric (projected) Grid or let plan_route build it")
    barrier = _barrier(grid, within, avoid)
    notes: list[str] = []
    cells = [_cell_of(grid, p, barrier, notes) for p in places_in]

    ceiling = _ceiling(grid, places_in, cells, max_elevation_m)
    surface_barrier = barrier if ceiling is None else (ceiling if barrier is None else barrier | ceiling)
    on_road = friction = None
    if road_lines is not None:
        from wakhan.route.roads import road_friction, road_mask

        on_road = road_mask(road_lines, grid)
        friction = road_friction(on_road)

    for i in range(n_legs):
        if cells[i] == cells[i + 1]:
            raise InputError(
                f"waypoints {places_in[i].name} and {places_in[i + 1].name} fall in the same "
                f"{grid.describe_resolution()} DEM cell; drop one or use a finer --resolution"
            )
    refine = grid.array.size > REFINE_MIN_CELLS

    def solve_leg(i):
        if refine:
            return certified_path(
                grid,
                cost_model,
                cells[i],
                cells[i + 1],
                neighbours=neighbours,
                barrier=surface_barrier,
                friction=friction,
                gap_pct=gap_pct,
            )
        path = least_cost_path(
            grid, cost_model, cells[i], cells[i + 1], neighbours=neighbours, barrier=surface_barrier, friction=friction
        )
        return path, None

    # legs are independent solves and the kernels release the GIL: two at a time use both cores
    tell(
        f"{n_legs} leg(s): " + "; ".join(f"{places_in[i].name} to {places_in[i + 1].name}" for i in range(n_legs)),
        1,
        total,
    )
    solved = []
    for i, (value, exc) in enumerate(map_interruptible(solve_leg, range(n_legs), workers=2)):
        if isinstance(exc, RouteError) and tunnels:
            value = (None, None)  # a climb no road can make: the tunnel search below may cross it
        elif isinstance(exc, RouteError):
            raise _leg_error(
                exc,
                grid,
                cost_model,
                places_in[i],
                places_in[i + 1],
                cells[i],
                cells[i + 1],
                neighbours,
                surface_barrier,
                within,
                avoid,
            ) from None
        elif exc is not None:
            raise exc
        solved.append(value)
    legs = [p for p, _ in solved]
    segments = legs
    if tunnels:
        from wakhan.route.tunnelled import tunnel_segments

        tell("tunnels", n_legs, total)
        segments = tunnel_segments(
            grid,
            cost_model,
            places_in,
            cells,
            legs,
            neighbours=neighbours,
            barrier=surface_barrier,
            tunnel_blocked=barrier,
            max_tunnel_km=max_tunnel_km,
        )
    paths = [seg for seg in segments if not hasattr(seg, "a_rc")]
    tunnel_list = [seg for seg in segments if hasattr(seg, "a_rc")]

    tell("profile and summary", total - 1, total)
    if tunnel_list:
        from wakhan.route.tunnelled import profile_with_tunnels

        profile, tunnel_dicts = profile_with_tunnels(segments, grid)
    else:
        profile, tunnel_dicts = profile_from_path(paths, grid), []
    joints_km, start = [0.0], 0
    for r, c in cells[1:]:
        ex, ey = grid.xy(r, c)
        k = start + int(np.argmin(np.hypot(profile.x[start:] - ex, profile.y[start:] - ey)))
        joints_km.append(float(profile.distance_km[k]))
        start = k
    edge = _edge_note(paths, grid, profile, joints_km)
    if edge:
        notes.append(edge)
    if within:
        notes.append(f"confined to {','.join(within)} (Natural Earth borders rasterised on the DEM)")
    if avoid:
        notes.append(f"avoiding {','.join(avoid)} (Natural Earth borders rasterised on the DEM)")
    notes.append(f"solved leg by leg through {n_legs + 1} waypoints, {neighbours}-neighbour moves")
    wps = [
        {
            "name": p.name,
            "lat": round(float(p.lat), 6),
            "lon": round(float(p.lon), 6),
            "km": km,
            "kind": getattr(p, "kind", None),
            "country": getattr(p, "country", None),
        }
        for p, km in zip(places_in, joints_km)
    ]
    route_name = name or " - ".join(p.name for p in places_in)
    total_cost = float(sum(p.total_cost for p in paths) + sum(t.cost for t in tunnel_list))
    more: dict = {
        "legs": [
            {
                "from": places_in[i].name,
                "to": places_in[i + 1].name,
                "length_km": round(joints_km[i + 1] - joints_km[i], 3),
                "cost": round(float(legs[i].total_cost), 3) if legs[i] is not None and not tunnel_list else None,
            }
            for i in range(n_legs)
        ]
    }
    if highway:
        more.update(
            highway_fields(paths, grid, cost_model, profile, tunnel_dicts, on_road, tunnels, max_elevation_m, roads)
        )
        if more.get("road_length_factor", 1.0) != 1.0:
            notes.append(
                f"grid routes on a {grid.describe_resolution()} grid came out about 11 % shorter than "
                f"published road distances (benchmarks/route_lengths.md): estimated road length "
                f"{more['estimated_road_km']:,.0f} km = built length x {more['road_length_factor']:g}"
            )
    more.update(within=within, avoid=avoid, neighbours=neighbours)
    if tunnel_list:
        more.update(
            optimality_gap_pct=None,
            optimality_bound="not certified: tunnels are chosen among candidate portal pairs around "
            "each crossing, not by an exhaustive search",
        )
    else:
        more.update(optimality_fields([c for _, c in solved], paths, grid))
    summary = build_summary(
        profile,
        route_name,
        grid,
        places=places,
        waypoints=wps,
        cost=total_cost,
        cost_unit=paths[0].cost_unit,
        model=cost_model,
        notes=notes,
        cite_borders=True if (within or avoid) else "auto",
        **more,
    )
    return RouteResult(
        summary=summary, profile=profile, dem=grid, paths=tuple(paths), waypoints=tuple(places_in), model=cost_model
    )
