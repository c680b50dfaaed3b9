"""Plan a route by place names: waypoints -> DEM -> country barriers -> leg-by-leg solve -> summary.

:func:`plan_route` is what ``wakhan route`` runs, and what the claims and the
notebook reuse. Waypoints are hard: each leg is solved separately between
consecutive waypoints, so the route passes through every one of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from wakhan.cost import HighwayModel, WalkingModel
from wakhan.cost.floodplain import floodplain_friction, floodplain_mask, floodplain_note
from wakhan.cost.walking import walking_speed
from wakhan.dem.drainage import route_drainage
from wakhan.errors import InputError, option
from wakhan.plan.barriers import ceiling_barrier
from wakhan.plan.existing import fixed_tunnels, read_structures
from wakhan.plan.legs import edge_note, joints_km, solve_legs
from wakhan.plan.options import DEFAULT_BUFFER_KM, DEFAULT_NEIGHBOURS, PlanOptions
from wakhan.plan.roads import read_road_layers, road_friction, road_mask
from wakhan.plan.tunnelled import profile_with_tunnels, tunnel_segments
from wakhan.plan.waypoints import (
    check_neighbours,
    parse_countries,
    resolve_waypoints,
    set_up,
)
from wakhan.route.days import HOURS_PER_DAY, walking_days
from wakhan.route.highway_fields import highway_fields
from wakhan.route.profile import profile_from_path
from wakhan.route.result import RouteResult
from wakhan.route.summary_fields import build_summary, optimality_fields

__all__ = [
    "plan_route",
    "PlanOptions",
    "parse_countries",
    "resolve_waypoints",
    "check_neighbours",
    "DEFAULT_BUFFER_KM",
    "DEFAULT_NEIGHBOURS",
]

# Grids above this many cells are routed coarse-to-fine with a certified gap (solve.refine);
# smaller ones exactly over the full grid (Kashgar-Kabul at 90 m, 60 M cells: 19 s, 1.8 GB here).
# Over mountains the certificate's straight-line floor is weak for the highway and walking
# models and the full grid gets solved anyway (see solve.refine), so the threshold is high.
REFINE_MIN_CELLS = 100_000_000
Progress = Callable[[str, int, int], None]


def _walking_fields(paths, grid, model) -> dict:
    """A walking route's hours, 8-hour days and days under the claim's daily limits (:mod:`wakhan.route.days`).

    ``walking_speed`` says which speed factor the hours come from and where it was calibrated.
    """
    steps = np.concatenate([np.asarray(p.step_cost, dtype=np.float64) for p in paths])
    z = np.asarray(grid.array)
    per_leg = [z[p.rows, p.cols].astype(np.float64) for p in paths]
    heights = np.concatenate([per_leg[0], *(h[1:] for h in per_leg[1:])])
    hours = float(steps.sum()) / 3600.0
    limited = walking_days(steps, heights)
    return {
        "walking_hours": round(hours, 2),
        "walking_days": round(hours / HOURS_PER_DAY, 2),
        "walking_hours_per_day": HOURS_PER_DAY,
        "walking_days_limited": round(float(limited["days"]), 2),
        "daily_limits": {
            k: limited[k] for k in ("hours_per_day", "climb_per_day_m", "sleep_rule", "rest_days", "camps_m")
        },
        **({"walking_speed": walking_speed(model)} if isinstance(model, WalkingModel) else {}),
    }


def plan_route(
    waypoints: Sequence,
    options: PlanOptions | None = None,
    *,
    name: str | None = None,
    places="auto",
    progress: Progress | None = None,
    **option_values: Any,
) -> RouteResult:
    """The least-cost route through ``waypoints``, with its profile and summary.

    Parameters
    ----------
    waypoints : sequence of str, (lat, lon) or Place
        Names or aliases from the gazetteer, ``"LAT,LON"`` strings or (lat, lon) pairs in
        degrees (latitude first, as ``wakhan route`` takes them), or Places;
        FROM, any via points, TO. Every waypoint is a hard waypoint: legs are
        solved one by one between consecutive waypoints.
    options : PlanOptions, optional
        Cost model, grades, move set, countries, DEM, engineering (:class:`PlanOptions`);
        default ``PlanOptions()``.
    name : str, optional
        Route name; default the waypoint names joined by " - ".
    places : sequence of Place, "auto" or None
        Gazetteer for naming passes and places along the route.
    progress : callable(description, step, total), optional
        Told as each step starts (for a progress bar).
    **option_values
        Fields of :class:`PlanOptions` by keyword (``model="walking"``, ``within="CN,AF"``,
        ``tunnels=True`` ...), replacing those of ``options``.

    A grid of more than ``REFINE_MIN_CELLS`` (100 M) cells is solved coarse-to-fine
    (:func:`wakhan.solve.refine.certified_path`) within ``options.gap_pct``; a smaller
    one exactly (gap 0). The summary states ``optimality_gap_pct`` and how it was bounded.
    Waypoints of kind ``pass`` may be tunnelled under with ``tunnels``; a leg between two
    consecutive waypoints that are one existing tunnel's portals (``structures``) is that
    tunnel, a fixed edge.

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

    >>> import numpy as np
    >>> from affine import Affine
    >>> from wakhan.grid import Grid
    >>> z = np.tile(np.arange(40, dtype=np.float32) * 10.0 + 2000.0, (40, 1))
    >>> dem = Grid(z, Affine(200.0, 0, 500_000, 0, -200.0, 4_100_000), "EPSG:32643")
    >>> r = plan_route(["37.00926,75.00562", "37.00923,75.08430"], dem=dem, places=None)
    >>> t = r.summary.terrain
    >>> t.length_km, t.climb_m, t.max_grade_pct, r.summary.engineering.switchback_km
    (7.003, 350.0, 5.0, 0.0)
    >>> r.summary.search.optimality_gap_pct, t.countries_km
    (0.0, {'CN': 7.003})
    """
    options = PlanOptions.of(options, **option_values)
    places_in = resolve_waypoints(waypoints)
    model = options.cost_model()
    highway = isinstance(model, HighwayModel)
    neighbours, tunnels, roads = options.neighbours, options.tunnels, options.roads
    max_elevation_m, gap_pct = options.max_elevation_m, options.gap_pct
    within = list(options.within) if options.within else None
    avoid = list(options.avoid) if options.avoid else None
    road_lines = None if roads is None else read_road_layers(roads, options.roads_left_out)
    structures = options.structures
    if isinstance(structures, (str, bytes)) or hasattr(structures, "__fspath__"):
        structures = read_structures(structures)
    n_legs = len(places_in) - 1
    total = n_legs + 2
    tell = progress or (lambda *_: None)

    tell("building the DEM", 0, total)
    problem = set_up(places_in, options)
    grid, barrier, cells, notes = problem.grid, problem.barrier, problem.cells, problem.notes
    # catchments (floodplain, bridges, artefact passes) over the source's data around the grid, not the grid alone
    source = options.dem if options.catchment_source is None else options.catchment_source
    drainage = route_drainage(grid, source, tiles_dir=options.tiles_dir)
    if drainage is not None:
        notes.append(drainage.describe())

    ceiling = ceiling_barrier(grid, places_in, cells, max_elevation_m)
    surface_barrier = barrier if ceiling is None else (ceiling if barrier is None else barrier | ceiling)
    on_road = friction = None
    if road_lines is not None:
        on_road = road_mask(road_lines, grid)
        friction = road_friction(on_road)
    if options.floodplain_weight:  # optional; the two surcharges multiply where both apply
        flood = floodplain_mask(grid, drainage=drainage)
        flood_friction = floodplain_friction(flood, options.floodplain_weight)
        friction = flood_friction if friction is None else friction * flood_friction
        notes.append(floodplain_note(flood, options.floodplain_weight, grid.res[0] * grid.res[1] / 1e6))

    if structures and highway:
        places_in, cells = _merge_portals_in_one_cell(places_in, cells, grid, model, structures, notes)
        n_legs = len(places_in) - 1
    for i in range(n_legs):
        if cells[i] == cells[i + 1]:
            raise InputError(
                f"waypoints {places_in[i].name} and {places_in[i + 1].name} fall in the same "
                f"{grid.describe_resolution()} DEM cell; drop one or use a finer "
                f"{option('--resolution', 'resolution_m')}"
            )
    # legs are independent solves and the kernels release the GIL: two at a time use both cores
    tell(
        f"{n_legs} leg(s): " + "; ".join(f"{places_in[i].name} to {places_in[i + 1].name}" for i in range(n_legs)),
        1,
        total,
    )
    solved = solve_legs(
        grid,
        model,
        places_in,
        cells,
        neighbours=neighbours,
        barrier=surface_barrier,
        friction=friction,
        refine=grid.array.size > REFINE_MIN_CELLS,
        gap_pct=gap_pct,
        tunnels=tunnels,
        within=within,
        avoid=avoid,
        max_elevation_m=max_elevation_m,
        parts=problem.parts.with_parts(ceiling=None if ceiling is None else lambda: ceiling),
    )
    legs = [p for p, _ in solved]
    fixed = fixed_tunnels(places_in, cells, grid, model, structures) if highway else {}
    segments = [fixed.get(i, leg) for i, leg in enumerate(legs)]
    if tunnels:
        tell("tunnels", n_legs, total)
        segments = tunnel_segments(
            grid,
            model,
            places_in,
            cells,
            legs,
            neighbours=neighbours,
            barrier=surface_barrier,
            friction=friction,
            tunnel_blocked=barrier,
            max_tunnel_km=options.max_tunnel_km,
            fixed=fixed,
        )
    paths = [seg for seg in segments if not hasattr(seg, "a_rc")]
    tunnel_list = [seg for seg in segments if hasattr(seg, "a_rc")]

    tell("profile and summary", total - 1, total)
    if tunnel_list:
        profile, tunnel_dicts = profile_with_tunnels(segments, grid)
    else:
        profile, tunnel_dicts = profile_from_path(paths, grid), []
    joints = joints_km(profile, grid, cells)
    edge = edge_note(paths, grid, profile)
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
        for p, km in zip(places_in, joints)
    ]
    route_name = name or " - ".join(p.name for p in places_in)
    total_cost = float(sum(p.total_cost for p in paths) + sum(t.cost for t in tunnel_list))
    more: dict = {
        "legs": [
            {
                "from": places_in[i].name,
                "to": places_in[i + 1].name,
                "length_km": round(joints[i + 1] - joints[i], 3),
                "cost": round(float(legs[i].total_cost), 3)
                if legs[i] is not None and not tunnel_list and i not in fixed
                else None,
            }
            for i in range(n_legs)
        ]
    }
    if highway:
        more.update(
            highway_fields(
                paths, grid, model, profile, tunnel_dicts, on_road, tunnels, max_elevation_m, roads, drainage
            )
        )
        if more.get("road_length_factor", 1.0) != 1.0:
            low, high = more["estimated_road_km_range"]
            notes.append(
                f"estimated road length {more['estimated_road_km']:,.0f} km (range {low:,.0f}-{high:,.0f} km) "
                f"= built length x {more['road_length_factor']:g}, the {more['road_length_basis']}"
            )
    if paths[0].cost_unit == "s" and not tunnel_list:
        more.update(_walking_fields(paths, grid, model))
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
        model=model,
        notes=notes,
        cite_borders=True if (within or avoid) else "auto",
        drainage=drainage,
        **more,
    )
    return RouteResult(
        summary=summary, profile=profile, dem=grid, paths=tuple(paths), waypoints=tuple(places_in), model=model
    )


def _merge_portals_in_one_cell(places, cells, grid, model, structures, notes):
    """Waypoints and cells with an existing tunnel's two portals made one where they share a DEM cell.

    On a grid coarser than the tunnel (the Salang's 2.7 km in a 3 km cell) its portals fall in
    one cell: the route passes through that cell, and the tunnel is not modelled (a note says so)
    rather than the plan being refused as two waypoints in one cell.
    """
    keep_p, keep_c = [places[0]], [cells[0]]
    for place, cell in zip(places[1:], cells[1:]):
        if cell == keep_c[-1] and fixed_tunnels([keep_p[-1], place], [keep_c[-1], cell], grid, model, structures):
            notes.append(
                f"{keep_p[-1].name} and {place.name}, the portals of an existing tunnel, fall in one "
                f"{grid.describe_resolution()} cell: the tunnel is shorter than a cell here and is not modelled"
            )
            continue
        keep_p.append(place)
        keep_c.append(cell)
    return keep_p, keep_c
