"""Routes compared on one DEM: variants of one journey (via points, country constraints), in one table.

The variants of the Wakhan case study are in :mod:`wakhan.claims.case_study`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import cast

import numpy as np
from pyproj import Transformer

from wakhan.cost import MAX_GRADE_LIMIT_PCT
from wakhan.dem import dem_around
from wakhan.errors import RouteError, option
from wakhan.grid import Grid
from wakhan.plan.legs import max_grade_hint
from wakhan.plan.options import PlanOptions
from wakhan.plan.plan import plan_route, resolve_waypoints
from wakhan.route.absent import or_none, present
from wakhan.route.costing import route_cost, split_tunnels
from wakhan.route.engineering import engineering_summary
from wakhan.route.result import RouteResult
from wakhan.route.summary import Costs, Engineering

__all__ = ["Variant", "compare_routes", "comparison_rows"]


@dataclass(frozen=True)
class Variant:
    """One way of getting from start to end: via points and country constraints.

    ``key`` names the variant in JSON and file names. ``existing_from``: the waypoint
    from which the variant follows an existing road, so that its highway cost is also
    given as an upgrade of that road (``cost_usd_as_upgrade``).

    Examples
    --------
    >>> Variant("Wakhan", via=("Wakhjir Pass",), within=("CN", "AF"), key="wakhan-highway").within
    ('CN', 'AF')
    """

    name: str
    via: tuple = ()  # names, "LAT,LON" strings or Places
    within: tuple[str, ...] | None = None
    avoid: tuple[str, ...] | None = None
    key: str = ""
    existing_from: str | None = None


def compare_routes(
    start,
    end,
    variants: Sequence[Variant],
    options: PlanOptions | None = None,
    *,
    places="auto",
    progress=None,
    relax_grade: bool = True,
    **option_values,
) -> list[RouteResult]:
    """Plan every variant from ``start`` to ``end`` on one shared DEM (so the numbers compare).

    The DEM covers all variants' waypoints plus ``buffer_km``; the unconstrained
    optimum is the best route inside that box, which the summary's notes state.
    With ``relax_grade`` (default), a variant that no route can take within the
    grade limit is solved with the smallest limit it needs, recorded in its
    summary as ``grade_limit_raised_pct`` and explained in its notes.

    Parameters
    ----------
    start, end : str or Place
        Names, ``"LAT,LON"`` strings or Places.
    variants : sequence of Variant
    options : PlanOptions, optional
        As for :func:`wakhan.plan.plan.plan_route` (``options.dem`` is built once for all
        variants; each variant's ``within`` and ``avoid`` replace the options').
    places, progress
        As for :func:`wakhan.plan.plan.plan_route`.
    relax_grade : bool
        Solve a variant over the grade limit with the limit it needs instead of failing.
    **option_values
        Fields of :class:`PlanOptions` by keyword, replacing those of ``options``.

    Returns
    -------
    list of RouteResult
        One per variant, in order.

    Examples
    --------
    Flat ground of 200 m cells (UTM 43N): the direct route runs 35 cells along a row,
    7,000 m of grid, 7.003 km on the ellipsoid (UTM scale 0.9996); a via point off
    the row makes the second variant longer.

    >>> import numpy as np
    >>> from affine import Affine
    >>> from wakhan.grid import Grid
    >>> dem = Grid(np.full((40, 40), 2000.0, np.float32), Affine(200.0, 0, 500_000, 0, -200.0, 4_100_000),
    ...            "EPSG:32643")
    >>> direct, via = compare_routes("37.00926,75.00562", "37.00923,75.08430",
    ...                              [Variant("direct"), Variant("via", via=("37.0235,75.0450",))], dem=dem, places=None)
    >>> direct.summary.terrain.length_km, via.summary.terrain.length_km > direct.summary.terrain.length_km
    (7.003, True)
    >>> direct.summary.provenance.notes[-1]
    'unconstrained within the DEM box 75.00-75.09E, 36.97-37.05N'
    """

    options = PlanOptions.of(options, **option_values)
    ends = resolve_waypoints([start, end])
    vias = {v.name: resolve_waypoints([ends[0], *v.via, ends[1]]) for v in variants}
    pts = {(p.lon, p.lat) for wps in vias.values() for p in wps}
    tell = progress or (lambda *_: None)
    tell("building the shared DEM", 0, len(variants) + 1)
    dem = options.dem
    grid = (
        dem
        if not isinstance(dem, (str, bytes)) and hasattr(dem, "array")
        else dem_around(sorted(pts), options.buffer_km, source=dem, resolution_m=options.resolution_m)
    )
    layer_cells = None
    if options.roads is not None:
        from wakhan.plan.roads import read_road_layers, road_mask  # the same reader plan_route uses

        layer_cells = road_mask(read_road_layers(options.roads, options.roads_left_out), grid)
    out = []
    for i, v in enumerate(variants):
        tell(f"route {i + 1}/{len(variants)}: {v.name}", i + 1, len(variants) + 1)
        variant_options = replace(
            options,
            within=list(v.within) if v.within else None,
            avoid=list(v.avoid) if v.avoid else None,
            dem=grid,
            catchment_source=options.catchment_source if grid is dem else dem,
        )
        try:
            r = plan_route(vias[v.name], variant_options, name=v.name, places=places)
        except RouteError as exc:
            if exc.needs_grade_pct is None or not relax_grade:
                raise
            # Report the variant anyway, with the smallest grade limit it needs on this grid, and say so:
            # a comparison that silently drops the existing road would mislead.
            raised = math.ceil(exc.needs_grade_pct * 10) / 10
            max_grade_pct = options.max_grade_pct
            typed = (
                option(f"--max-grade {max_grade_pct:g} %", f"max_grade_pct={max_grade_pct:g}", subject=True)
                if max_grade_pct is not None
                else "the model's grade limit"
            )
            if raised > MAX_GRADE_LIMIT_PCT:  # no limit may be raised that far: its sentence says so
                raise RouteError(f"{v.name}: {exc}", needs_grade_pct=exc.needs_grade_pct) from None
            try:
                r = plan_route(vias[v.name], replace(variant_options, max_grade_pct=raised), name=v.name, places=places)
            except RouteError as again:
                raise RouteError(
                    f"{v.name}: no route within {typed}, nor with the limit raised to {raised:.1f} % "
                    f"(what its first failing leg needs): {_unhinted(again)}",
                    needs_grade_pct=again.needs_grade_pct,
                ) from None
            note = (
                f"no route within {typed} on this grid: {_unhinted(exc)} - solved with the limit raised "
                f"to {raised:.1f} %; a {grid.describe_resolution()} grid does not resolve narrow gorges, so "
                "grid-scale grades overstate the road's"
            )
            r = replace(r, summary=r.summary.with_fields(grade_limit_raised_pct=raised, notes=(*_notes(r), note)))
        if v.existing_from and r.summary.engineering and r.summary.engineering.built_km_by_class:
            r = _upgrade_cost(r, v.existing_from, layer_cells)
        if not v.within and not v.avoid:
            w, s, e, n = _lonlat_box(grid)
            note = f"unconstrained within the DEM box {w:.2f}-{e:.2f}E, {s:.2f}-{n:.2f}N"
            r = replace(r, summary=r.summary.with_fields(notes=(*_notes(r), note)))
        out.append(r)
    return out


def _notes(route: RouteResult) -> tuple[str, ...]:
    notes = route.summary.provenance.notes
    return notes if isinstance(notes, tuple) else ()


def _unhinted(exc: RouteError) -> str:
    """``exc``'s sentence without the ``--max-grade`` it suggests: compare raises the limit itself."""
    text = str(exc)
    return text if exc.needs_grade_pct is None else text.removesuffix(max_grade_hint(exc.needs_grade_pct))


def _upgrade_cost(route: RouteResult, from_name: str, layer_cells=None) -> RouteResult:
    """``route`` with ``cost_usd_as_upgrade``: the legs from waypoint ``from_name`` on priced as an upgrade."""

    names = [p.name for p in route.waypoints]
    tunnels = route.summary.engineering.tunnels if route.summary.engineering else []
    tunnels = tunnels if isinstance(tunnels, list) else []
    new_tunnels, existing_tunnels = split_tunnels(tunnels)
    n_existing = len(tunnels) - len(new_tunnels)
    if from_name not in names or len(route.paths) + n_existing != len(names) - 1:
        return route  # tunnels merged legs: no leg-by-leg split to price
    on_road = np.zeros(cast(Grid, route.dem).shape, dtype=bool) if layer_cells is None else layer_cells.copy()
    for path in route.paths[names.index(from_name) :]:
        on_road[path.rows, path.cols] = True
    classes = engineering_summary(route.paths, route.dem, route.model, route.profile, new_tunnels, on_road)
    classes["built_km_by_class"]["existing_tunnel"] = existing_tunnels
    cost = route_cost(classes["built_km_by_class"])
    cost["basis"] += f"; the road from {from_name} on priced as an upgrade of the existing road"
    return replace(route, summary=route.summary.with_fields(cost_usd_as_upgrade=cost, existing_road_from=from_name))


def _lonlat_box(grid):

    left, bottom, right, top = grid.bounds
    t = Transformer.from_crs(grid.crs, "EPSG:4326", always_xy=True)
    lon, lat = t.transform([left, right, left, right], [bottom, bottom, top, top])
    return min(lon), min(lat), max(lon), max(lat)


def comparison_rows(routes: Sequence[RouteResult]) -> list[dict]:
    """One row of headline numbers per route, for a table or JSON.

    Examples
    --------
    >>> from wakhan.route import RouteResult, build_summary, profile_from_lonlat
    >>> p = profile_from_lonlat([71.0, 71.05, 71.1], [37.0, 37.0, 37.0], [3000.0, 3400.0, 3100.0])
    >>> (row,) = comparison_rows([RouteResult(build_summary(p, "example", places=None, country_at=None), p)])
    >>> row["name"], row["length_km"], row["max_elevation_m"], row["built_length_km"], row["tunnel_km"]
    ('example', 8.901, 3400.0, None, 0)

    ``tunnel_km`` counts every tunnel on the route; ``new_tunnel_km`` those to be built (the
    figure the claims quote for the all-season road) and ``existing_tunnel_km`` the existing
    ones it passes through (the Salang tunnel, priced as a rehabilitation).
    """
    rows = []
    for r in routes:
        s = r.summary
        t, prov, eng, costs = s.terrain, s.provenance, s.engineering or Engineering(), s.costs or Costs()
        passes = ", ".join(f"{p['name'] or 'unnamed'} {p['elevation_m']:,.0f} m" for p in present(t.passes, "passes"))
        new_tunnels, existing_tunnels = split_tunnels(eng.tunnels or [])
        rows.append(
            {
                "name": present(s.name, "name"),
                "countries_km": present(t.countries_km, "countries_km"),
                "length_km": present(t.length_km, "length_km"),
                "max_elevation_m": present(t.max_elevation_m, "max_elevation_m"),
                "mean_elevation_m": present(t.mean_elevation_m, "mean_elevation_m"),
                "km_above_4000m": present(t.km_above_4000m, "km_above_4000m"),
                "climb_m": present(t.climb_m, "climb_m"),
                "descent_m": present(t.descent_m, "descent_m"),
                "max_grade_pct": present(t.max_grade_pct, "max_grade_pct"),
                "max_built_grade_pct": or_none(eng.max_built_grade_pct),
                "passes": passes,
                "cost": present(prov.cost, "cost"),
                "cost_unit": present(prov.cost_unit, "cost_unit"),
                "design_grade_pct": or_none(eng.design_grade_pct),
                "built_length_km": or_none(eng.built_length_km),
                "switchback_km": or_none(eng.switchback_km),
                "hairpins": or_none(eng.hairpins),
                "tunnel_km": round(sum(tn["length_km"] for tn in eng.tunnels or []), 3),
                "new_tunnel_km": round(sum(tn["length_km"] for tn in new_tunnels), 3),
                "existing_tunnel_km": round(existing_tunnels["km"], 3),
                "cost_usd": or_none(costs.cost_usd),
                "reference": or_none(s.reference),
            }
        )
    return rows
