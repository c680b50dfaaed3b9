"""One scenario, evaluated: a pure function of (scenario, shared inputs).

:func:`evaluate_scenario` perturbs the shared grids with the scenario's DEM
realization, solves the Wakhan highway and the walk on them, and judges the
three claims with the same functions ``wakhan claims`` uses (the modules of
each claim under :mod:`wakhan.claims`). It returns plain data: the verdicts, the
headline values, every route metric, and the cells each route passes (for the
route-density map).
"""

from __future__ import annotations

import numpy as np

from wakhan.claims.altitude import altitude_claim, corridor_altitude
from wakhan.claims.case_study import DEFINITIONS, END, ON_FOOT, START, WAKHAN_HIGHWAY, existing_infrastructure, variant
from wakhan.claims.depopulated import BUFFERS_KM, HEADLINE_BUFFER_KM, depopulated_claim, route_gap_rows
from wakhan.claims.highway import highway_claim
from wakhan.claims.highway_measures import HEADLINE_DESIGN_GRADE_PCT
from wakhan.claims.scenarios import infiltration_route
from wakhan.cost import get_model
from wakhan.cost.walking import calibrated_terrain_factor
from wakhan.dem.error import error_field, perturb
from wakhan.errors import InputError, RouteError
from wakhan.grid import Grid
from wakhan.plan.compare import compare_routes
from wakhan.plan.options import PlanOptions
from wakhan.route.result import RouteResult
from wakhan.route.stats import steep_sections
from wakhan.route.summary import RouteSummary
from wakhan.settlements import combine

__all__ = ["evaluate_scenario", "realize_dems", "ROUTE_METRICS"]

#: Route-summary numbers collected per scenario.
ROUTE_METRICS = (
    "length_km",
    "max_elevation_m",
    "mean_elevation_m",
    "km_above_4000m",
    "max_grade_pct",
    "climb_m",
    "cost",
    "walking_hours",
    "walking_days",
    "walking_days_limited",
    "grade_limit_raised_pct",
)


def _walking_params(overrides) -> dict:
    """The scenario's walking parameters, at the claim's trek-calibrated speed unless it sets its own.

    The speed factor is the one fitted with (or without) the altitude term in benchmarks/walking.md,
    so a scenario's walking hours and days are those of ``wakhan claims``.
    """
    params = dict(overrides)
    if "terrain_factor" not in params:
        params["terrain_factor"] = calibrated_terrain_factor(float(params.get("altitude_loss_per_km", 0.0)))
    return params


def _sampled(field: Grid, xy, shape) -> np.ndarray:
    v = field.sample(xy[0], xy[1], method="bilinear")
    return np.where(np.isfinite(v), v, 0.0).reshape(shape)


def realize_dems(scenario, inputs) -> tuple[Grid, Grid, Grid]:
    """The highway, walking and area grids of one realization (the grids themselves at scale 0)."""

    if scenario.dem_error_scale == 0:
        return inputs.highway_dem, inputs.walk_dem, inputs.area_dem
    err = error_field(
        inputs.highway_dem,
        scenario.seed,
        rmse_m=inputs.rmse_m * scenario.dem_error_scale,
        correlation_length_m=scenario.correlation_length_m,
        slope_gain=scenario.slope_gain,
    )
    highway = perturb(inputs.highway_dem, err)
    walk = perturb(inputs.walk_dem, inputs.walk_dem.with_array(_sampled(err, inputs.walk_xy, inputs.walk_dem.shape)))
    a = inputs.area_dem.as_float()
    area = perturb(a, a.with_array(_sampled(err, inputs.area_xy, a.shape)))
    return highway, walk, area


def _metrics(summary: RouteSummary) -> dict:
    content = summary.to_dict()
    return {k: content[k] for k in ROUTE_METRICS if content.get(k) is not None}


def _cells(route) -> np.ndarray:
    """Flat indices of the DEM cells a route's paths pass through."""
    w = route.dem.width
    return np.unique(np.concatenate([np.asarray(p.rows) * w + np.asarray(p.cols) for p in route.paths])).astype(
        np.int64
    )


def _planned_dem(route: RouteResult) -> Grid:
    """The DEM ``route`` was solved on: a scenario's routes are planned here, so each has one."""
    assert route.dem is not None, "a planned route carries its DEM"
    return route.dem


def evaluate_scenario(scenario, inputs) -> dict:
    """Verdicts, headline values and route metrics of one scenario.

    Returns
    -------
    dict
        ``index``, ``seed``, ``label``, ``params`` (the scenario), ``claims``
        (id -> ``{verdict, value, unit}``), ``routes`` (key -> metrics),
        ``area_mean_m`` (definition -> area mean), ``gaps`` (rows of the gap
        table: route, source, buffer, length), ``cells`` (route key -> flat
        cell indices on that route's grid).
    """

    # check the scenario's parameters before any heavy work: a bad one fails at once
    hmodel = get_model("highway", **dict(scenario.highway))
    wmodel = get_model("walking", **_walking_params(scenario.walking))
    sets = list(inputs.settlements)
    if scenario.settlements is not None:
        sets = [s for s in sets if s.name == scenario.settlements or s.source.name == scenario.settlements]
        if not sets:
            raise InputError(
                f"scenario settlements {scenario.settlements!r} is not one of the sources given "
                f"({', '.join(s.name for s in inputs.settlements)})"
            )
    gap_sets = sets + ([combine(*sets)] if len(sets) > 1 else [])
    defs = [d for d in DEFINITIONS if scenario.corridor in (None, d.key)]
    if not defs:
        raise InputError(
            f"scenario corridor {scenario.corridor!r} is not one of {', '.join(d.key for d in DEFINITIONS)}"
        )
    buffers = BUFFERS_KM if scenario.buffer_km is None else (float(scenario.buffer_km),)
    headline_buffer = HEADLINE_BUFFER_KM if scenario.buffer_km is None else float(scenario.buffer_km)

    highway_dem, walk_dem, area_dem = realize_dems(scenario, inputs)
    routes, error = {}, None
    try:
        # as the headline route: existing highways priced as upgrades
        options = PlanOptions(model=hmodel, neighbours=inputs.neighbours, dem=highway_dem, **existing_infrastructure())
        (hw,) = compare_routes(START, END, [variant(WAKHAN_HIGHWAY)], options)
        routes[WAKHAN_HIGHWAY] = hw
    except RouteError as exc:
        error = str(exc)
    walk = infiltration_route(sets, dem=walk_dem, neighbours=inputs.neighbours, model=wmodel)
    routes[ON_FOOT] = walk.route

    area, along, _ = corridor_altitude(routes, area_dem, definitions=defs)
    claims = [altitude_claim(area, along, headline_definition=defs[0])]

    gap_rows = route_gap_rows(routes, gap_sets, buffers)
    claims.append(
        depopulated_claim(
            gap_rows,
            {k: routes[k].summary.terrain.length_km for k in gap_rows},
            ON_FOOT,
            gap_sets[-1].name,
            headline_buffer_km=headline_buffer,
            judged_source=gap_sets[-1].name if len(gap_sets) > 1 else None,  # all sources together, as claims
        )
    )
    steep = {}
    if WAKHAN_HIGHWAY in routes:
        g = float(scenario.design_grade_pct)
        steep = {str(g): round(sum(x["length_km"] for x in steep_sections(routes[WAKHAN_HIGHWAY].profile, g)), 1)}
    claims.append(_highway(highway_claim, routes, steep, error, g if steep else None))

    return {
        "index": scenario.index,
        "seed": scenario.seed,
        "label": scenario.label,
        "params": scenario.as_dict(),
        "claims": {c.id: {"verdict": c.verdict, "value": c.value, "unit": c.unit} for c in claims},
        "readings": {"altitude": claims[0].details.get("readings", {})},
        "routes": {k: _metrics(r.summary) for k, r in routes.items()},
        "area_mean_m": {k: a.mean_m for k, a in area.items()},
        "gaps": [
            {
                "route": k,
                "source": r["source"],
                "buffer_km": r["buffer_km"],
                "length_km": r["length_km"],
                "coverage_limited": r.get("coverage_limited", False),
            }
            for k, rows in gap_rows.items()
            for r in rows
        ],
        "steep_km": steep,
        "cells": {k: _cells(r) for k, r in routes.items()},
        "shapes": {k: _planned_dem(r).shape for k, r in routes.items()},
    }


def _highway(highway_claim, routes, steep, error, grade):
    """The highway claim with the scenario's design grade as its headline grade."""

    summaries = {k: r.summary for k, r in routes.items() if k != ON_FOOT}
    if grade is None or grade == HEADLINE_DESIGN_GRADE_PCT:
        return highway_claim(summaries, steep, error)
    # the claim's reason text names the headline design grade; its verdict does not depend on it
    return highway_claim(summaries, {str(HEADLINE_DESIGN_GRADE_PCT): steep[str(grade)], **steep}, error)
