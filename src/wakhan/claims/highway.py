"""The highway claim: rules, crossings, roadless stretches, design-grade sensitivity, verdict.

:func:`highway_claim` judges "China could build a highway from Kashgar to Kabul through the
corridor" by the rules in :data:`HIGHWAY_RULES`, from the route summaries of
:func:`wakhan.claims.scenarios.highway_routes` (design grade, switchbacks, tunnels, cost).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from wakhan.borders import country_at
from wakhan.claims.case_study import (
    END,
    EXISTING_ROAD,
    HIGHWAY_VARIANTS,
    KARAKORAM_HIGHWAY,
    ON_FOOT,
    START,
    UNCONSTRAINED,
    WAKHAN_HIGHWAY,
)
from wakhan.claims.verdicts import DEPENDS, NOT_SUPPORTED, SUPPORTED, Claim, a_number
from wakhan.claims.winter import (
    ALL_SEASON_SUFFIX,
    DEFAULT_CLOSURE_MONTHS,
    all_season_route,
    crossing_closures,
    route_avalanche,
    winter_rule_text,
    winter_verdict,
)
from wakhan.cost.highway import DEFAULT_DESIGN_GRADE_PCT
from wakhan.errors import RouteError
from wakhan.plan.compare import compare_routes
from wakhan.route.absent import present
from wakhan.route.stats import steep_sections
from wakhan.route.summary import Costs, Engineering, RouteSummary

__all__ = [
    "highway_claim",
    "crossings",
    "roadless_stretches",
    "design_grade_sensitivity",
    "evaluate_highway",
    "HIGHWAY_RULES",
    "STATEMENT",
    "COST_RATIO_LIMIT",
    "HEIGHT_MARGIN_M",
    "CROSSING_MIN_M",
    "SENSITIVITY_DESIGN_GRADES_PCT",
    "DESIGN_GRADES_PCT",
    "HEADLINE_DESIGN_GRADE_PCT",
]

#: The article's words.
STATEMENT = "China could use the corridor to build a highway from Kashgar to Kabul."
#: The design grade whose steep sections are listed in the report: the highway model's own (7 %,
#: JTG D20-2017 for a 40 km/h mountain highway), the grade the verdict's routes are built to.
HEADLINE_DESIGN_GRADE_PCT = DEFAULT_DESIGN_GRADE_PCT
#: Design grades (percent) at which the km of the Wakhan route steeper than the grade are reported.
DESIGN_GRADES_PCT = (6.0, HEADLINE_DESIGN_GRADE_PCT, 8.0, 10.0)

#: Design grades (percent, below 3,000 m) at which the Wakhan and Karakoram Highway routes are
#: solved again to show how the answer moves (the headline is the model's default, 7 %).
SENSITIVITY_DESIGN_GRADES_PCT = (6.0, 8.0)
#: The Wakhan highway is "supported" when it costs at most this many times the Karakoram
#: Highway per km, both modelled the same way (design grade, switchbacks, tunnels, unit costs).
COST_RATIO_LIMIT = 1.5
#: ... and its highest point is at most this much above the Karakoram Highway's (Khunjerab).
HEIGHT_MARGIN_M = 500.0
#: Crossings named in the verdict: passes (prominence >= 300 m along the route) above this height.
CROSSING_MIN_M = 4000.0
HIGHWAY_RULES = (
    (
        f"not supported: no route within China and Afghanistan at the design grade, even with switchbacks and "
        f"tunnels; supported: such a route exists, its mid-range construction cost per km is at most "
        f"{COST_RATIO_LIMIT:g} times the Karakoram Highway's modelled the same way (same DEM, design grade, "
        f"switchbacks, tunnels and unit costs), and its highest point is at most {HEIGHT_MARGIN_M:,.0f} m above "
        f"the Karakoram Highway's; depends: otherwise (on the money, or on a higher road than the existing one)"
    )
    + "; "
    + winter_rule_text()
)


def _mid_per_km(s: RouteSummary) -> float | None:
    c = s.costs.cost_usd if s.costs else None
    length_km = s.terrain.length_km
    if not c or not length_km:
        return None
    return 0.5 * (c["low"] + c["high"]) / length_km


def crossings(summary: RouteSummary, min_m: float = CROSSING_MIN_M, open_sections=None) -> list[dict]:
    """``[{name, lat, lon, elevation_m, km, closed_months}]``: the route's passes above ``min_m`` (tunnelled ones
    excluded), each with its winter closure from the rule fitted to dated pass closures (:mod:`wakhan.claims.winter`);
    ``open_sections``: the roads' sections kept open all year (default: the bundled roads')."""
    return crossing_closures(
        [
            {
                "name": p.get("name"),
                "lat": p["lat"],
                "lon": p["lon"],
                "elevation_m": p["elevation_m"],
                "km": p.get("km"),
            }
            for p in summary.terrain.passes or []
            if p["elevation_m"] > min_m
        ],
        open_sections=open_sections,
    )


def _tunnel_km(s: RouteSummary) -> float:
    return float(sum(t["length_km"] for t in (s.engineering.tunnels if s.engineering else None) or []))


def _top_m(s: RouteSummary) -> float:
    return present(s.terrain.max_elevation_m, "max_elevation_m")


def _json_fields(s: RouteSummary, keys) -> dict:
    """``keys`` of the summary's JSON content, None for those it does not have (the claims.json tables)."""
    content = s.to_dict()
    return {k: content.get(k) for k in keys}


def _usd(c: dict | None) -> str:
    return f"US$ {c['low'] / 1e9:,.1f}-{c['high'] / 1e9:,.1f} bn" if c else "no cost estimate"


def _engineering(s: RouteSummary) -> str:
    t, eng = s.terrain, s.engineering or Engineering()
    return (
        f"{t.length_km:,.0f} km ({eng.built_length_km or t.length_km:,.0f} km built), "
        f"{eng.switchback_km or 0:,.0f} km in switchbacks (~{eng.hairpins or 0:,} hairpins), "
        f"{_tunnel_km(s):,.1f} km of tunnel, highest point {t.max_elevation_m:,.0f} m, "
        f"{_usd((s.costs.cost_usd if s.costs else None) or None)}"
    )


def design_grade_sensitivity(
    dem, neighbours, grades=SENSITIVITY_DESIGN_GRADES_PCT, progress=None, infrastructure=None
) -> dict:
    """``grade -> {wakhan-highway: {...}, karakoram-highway: {...}, cost_per_km_ratio}`` re-solved on ``dem``.

    ``infrastructure``: ``roads``/``structures`` as the headline routes had them
    (:func:`wakhan.claims.case_study.existing_infrastructure`)."""

    pair = [v for v in HIGHWAY_VARIANTS if v.key in (WAKHAN_HIGHWAY, KARAKORAM_HIGHWAY)]
    out: dict[str, dict[str, Any]] = {}
    for g in grades:
        if progress:
            progress(f"highway routes at {a_number(g)} % design grade")
        try:
            rs = compare_routes(
                START,
                END,
                pair,
                dem=dem,
                neighbours=neighbours,
                tunnels=True,
                design_grade_pct=g,
                **(infrastructure or {}),
            )
        except RouteError as exc:
            out[f"{g:g}"] = {"error": str(exc)}
            continue
        row: dict[str, Any] = {
            v.key: _json_fields(
                r.summary, ("length_km", "built_length_km", "switchback_km", "hairpins", "max_elevation_m", "cost_usd")
            )
            | {"tunnel_km": round(_tunnel_km(r.summary), 3)}
            for v, r in zip(pair, rs)
        }
        a, b = (_mid_per_km(r.summary) for r in rs)
        row["cost_per_km_ratio"] = round(a / b, 3) if a and b else None
        out[f"{g:g}"] = row
    return out


def highway_claim(
    summaries: dict[str, RouteSummary],
    steep_by_grade: dict,
    error: str | None = None,
    roadless: list | None = None,
    sensitivity: dict | None = None,
    winter: dict | None = None,
    open_sections=None,
) -> Claim:
    """Verdict on the Kashgar-Kabul highway through the corridor (rules: :data:`HIGHWAY_RULES`).

    ``summaries``: route key -> :class:`~wakhan.route.summary.RouteSummary` (``wakhan-highway`` may be absent
    when no route exists, then ``error`` says why); ``steep_by_grade``: design
    grade -> km of the Wakhan route steeper than it over 1 km of the smoothed
    profile; ``roadless``: stretches of the Wakhan route in Afghanistan away from
    the existing road (see :func:`roadless_stretches`).
    """
    if WAKHAN_HIGHWAY not in summaries:
        return Claim(
            "highway",
            STATEMENT,
            NOT_SUPPORTED,
            None,
            "km",
            f"No highway route within China and Afghanistan can be built at the design grade, even with "
            f"switchbacks and tunnels: {error}",
            {"rules": HIGHWAY_RULES},
        )
    w = summaries[WAKHAN_HIGHWAY]
    kkh = summaries.get(KARAKORAM_HIGHWAY)
    road = summaries.get(EXISTING_ROAD)
    free = summaries.get(UNCONSTRAINED)
    cross = crossings(w, open_sections=open_sections)
    w_eng = w.engineering or Engineering()
    design = w_eng.design_grade_pct or None
    if design is not None:
        by_altitude = w_eng.design_grade_pct_by_altitude or {}
        reason = (
            f"At {a_number(design)} % design grade ({by_altitude['above_5000m']:g} % above "
            f"5,000 m, China's JTG D20 plateau rule) with switchbacks up to {w_eng.hairpin_limit_pct:g} % "
            f"terrain and tunnels where cheaper, a highway within China and Afghanistan can be built: "
            f"{_engineering(w)}"
        )
    else:
        reason = (
            f"A highway route within China and Afghanistan exists under "
            f"{a_number(w.provenance.model_max_grade_pct or 12)} % grade limit: {w.terrain.length_km:,.0f} km, highest point "
            f"{w.terrain.max_elevation_m:,.0f} m"
        )
    if design is not None and not w_eng.tunnels and w_eng.tunnel_cost_factor:
        reason += (
            "; no tunnel pays off against the switchback road over any crossing, since at the regional unit "
            f"costs a km of tunnel costs about as much as {w_eng.tunnel_cost_factor:g} km of new road on easy ground"
        )
    if cross:
        reason += (
            "; it crosses "
            + ", ".join(f"{c['name'] or 'an unnamed col'} ({c['elevation_m']:,.0f} m)" for c in cross)
            + " above 4,000 m"
        )
    if roadless:
        reason += (
            f"; {sum(r['length_km'] for r in roadless):,.0f} km of it in Afghanistan run more than "
            f"{roadless[0]['away_km']:g} km from the existing road ("
            + ", ".join(f"km {r['start_km']:,.0f}-{r['end_km']:,.0f}" for r in roadless[:4])
            + f"): a new alignment across the Hindu Kush, up to {max(r['max_elevation_m'] for r in roadless):,.0f} m, "
            "where it follows no existing road (a new build; no real alignment there to measure it against)"
        )
    if road:
        reason += (
            f"; following the existing Afghan road via Faizabad, Kunduz and the Salang instead: {_engineering(road)}"
        )
        road_costs, road_eng = road.costs or Costs(), road.engineering or Engineering()
        if road_costs.cost_usd_as_upgrade:
            reason += (
                (" with the existing highways priced as upgrades" if road_eng.roads_file else " as a new build")
                + f", or {_usd(road_costs.cost_usd_as_upgrade)} upgrading the existing road from "
                f"{road_costs.existing_road_from or None} on"
            )
    if kkh:
        reason += f"; the Karakoram Highway alignment through Pakistan, modelled the same way: {_engineering(kkh)}"
        kkh_eng = kkh.engineering or Engineering()
        if kkh_eng.grade_limit_raised_pct:
            reason += (
                f" (on this grid it needs a {kkh_eng.grade_limit_raised_pct:g} % limit in the Indus gorge that "
                "the real road climbs far more gently: grid-scale grades overstate a road's)"
            )
    if free:
        reason += f"; the unconstrained optimum is {free.terrain.length_km:,.0f} km"
    verdict = SUPPORTED
    ratio = None
    w_km, k_km = _mid_per_km(w), (_mid_per_km(kkh) if kkh else None)
    if kkh and w_km and k_km:
        ratio = w_km / k_km
        reason += (
            f". Per km it costs {ratio:.2f} times the Karakoram Highway "
            f"(limit {COST_RATIO_LIMIT:g}); its highest point is {_top_m(w) - _top_m(kkh):+,.0f} m "
            f"against the Karakoram Highway's"
        )
        if ratio > COST_RATIO_LIMIT or _top_m(w) > _top_m(kkh) + HEIGHT_MARGIN_M:
            verdict = DEPENDS
    for g, row in (sensitivity or {}).items():
        if "error" in row:
            reason += f"; at {a_number(float(g))} % design grade: {row['error']}"
        else:
            ww = row[WAKHAN_HIGHWAY]
            reason += (
                f"; at {a_number(float(g))} % design grade the Wakhan route is {ww['length_km']:,.0f} km with "
                f"{ww['switchback_km']:,.0f} km of switchbacks and {ww['tunnel_km']:,.1f} km of tunnel, "
                f"{_usd(ww['cost_usd'])}, {row['cost_per_km_ratio']:.2f} times the Karakoram Highway per km"
            )
    if winter:
        text, winter_depends = winter_verdict(
            winter, cross, crossings(kkh, open_sections=open_sections) if kkh else [], w, summaries
        )
        reason += "; " + text
        if winter_depends and verdict == SUPPORTED:
            verdict = DEPENDS
    reason += "."
    if w_eng.grade_limit_raised_pct:
        verdict = DEPENDS
        reason = (
            f"No route within China and Afghanistan meets the highway model's grade limit on this grid; it "
            f"needs {w_eng.grade_limit_raised_pct:g} %, so the verdict depends on the grade a road may take "
            f"and on finer elevation data. " + reason
        )
    keys = (
        "name",
        "length_km",
        "built_length_km",
        "switchback_km",
        "development_km",
        "hairpins",
        "tunnels",
        "cost_usd",
        "cost_usd_as_upgrade",
        "design_grade_pct",
        "max_elevation_m",
        "mean_elevation_m",
        "km_above_4000m",
        "max_grade_pct",
        "max_built_grade_pct",
        "climb_m",
        "descent_m",
        "countries_km",
        "cost",
        "cost_unit",
        "model_max_grade_pct",
        "grade_limit_raised_pct",
        "avalanche_exposed_km",
        "all_season",
    )
    return Claim(
        "highway",
        STATEMENT,
        verdict,
        present(w.terrain.length_km, "length_km"),
        "km",
        reason,
        {
            "rules": HIGHWAY_RULES,
            "design_grade_pct": design,
            "crossings": cross,
            "cost_usd": (w.costs.cost_usd if w.costs else None) or None,
            "cost_per_km_ratio_to_karakoram_highway": None if ratio is None else round(ratio, 3),
            "roadless_in_afghanistan": roadless or [],
            "design_grade_sensitivity": sensitivity or {},
            "routes": {k: _json_fields(s, keys) for k, s in summaries.items()},
            "steep_km_by_design_grade_pct": steep_by_grade,
            "passes": w.terrain.passes or [],
            "winter": winter or {},
        },
    )


def roadless_stretches(route, road_route, away_km: float = 5.0, country: str = "AF") -> list[dict]:
    """Stretches of ``route`` in ``country`` more than ``away_km`` from ``road_route`` (same DEM CRS).

    Returns ``[{start_km, end_km, length_km, away_km, max_elevation_m}]`` (at least 2 km long).
    """
    from scipy.spatial import cKDTree  # lazy: scipy, only for this step

    p, q = route.profile, road_route.profile
    dist, _ = cKDTree(np.column_stack([q.x, q.y])).query(np.column_stack([p.x, p.y]))
    off = (dist > away_km * 1000.0) & (np.asarray(country_at(p.lon, p.lat)) == country)
    out, i, n = [], 0, off.size
    while i < n:
        if not off[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and off[j + 1]:
            j += 1
        a, b = float(p.distance_km[i]), float(p.distance_km[j])
        if b - a >= 2.0:
            out.append(
                {
                    "start_km": round(a, 1),
                    "end_km": round(b, 1),
                    "length_km": round(b - a, 1),
                    "away_km": away_km,
                    "max_elevation_m": round(float(np.nanmax(p.elevation_m[i : j + 1])), 0),
                }
            )
        i = j + 1
    return out


def evaluate_highway(
    routes: dict,
    error: str | None,
    neighbours: int,
    progress=None,
    *,
    infrastructure: dict | None = None,
    closure_months: float = DEFAULT_CLOSURE_MONTHS,
    avalanche_alpha_deg: float | None = None,
    open_sections=None,
) -> Claim:
    """The highway claim from the routes of :func:`wakhan.claims.scenarios.highway_routes`.

    Measures the Wakhan route's steep sections at :data:`DESIGN_GRADES_PCT`
    (and stores those at :data:`HEADLINE_DESIGN_GRADE_PCT` in its summary as
    ``steep_sections``), its roadless stretches and the design-grade
    sensitivity, then judges with :func:`highway_claim`. ``error``: why no
    highway route was found, when none was. ``open_sections``: the sections kept open all year of the
    roads the run uses (:func:`wakhan.claims.kept_open.open_sections_of`; default: the bundled roads').
    """

    steep = {}
    hw = routes.get(WAKHAN_HIGHWAY)
    if hw is not None:
        # on the profile the route's max_grade_pct was measured on, so the two tables agree
        t = hw.summary.terrain
        sections = {
            g: steep_sections(hw.profile, g, t.grade_design_length_km or 1.0, smoothing_km=t.smoothing_km or None)
            for g in sorted({*DESIGN_GRADES_PCT, HEADLINE_DESIGN_GRADE_PCT})
        }
        steep = {str(g): round(sum(x["length_km"] for x in sections[g]), 1) for g in DESIGN_GRADES_PCT}
        # the summary is frozen: the route with its steep sections replaces the one in ``routes``
        hw = replace(hw, summary=hw.summary.with_fields(steep_sections=sections[HEADLINE_DESIGN_GRADE_PCT]))
        routes[WAKHAN_HIGHWAY] = hw
    roadless = roadless_stretches(hw, routes[EXISTING_ROAD]) if hw is not None and EXISTING_ROAD in routes else None
    sensitivity = (
        design_grade_sensitivity(hw.dem, neighbours, progress=progress, infrastructure=infrastructure)
        if hw is not None
        else None
    )
    winter = None
    if hw is not None:
        if progress:
            progress("winter closure, avalanche exposure and the all-season variant")
        key = WAKHAN_HIGHWAY + ALL_SEASON_SUFFIX
        # kept open all year the road would use the Salang tunnel, which the existing-road variant goes through
        base = EXISTING_ROAD if EXISTING_ROAD in routes else WAKHAN_HIGHWAY
        routes[key] = all_season_route(routes[base], base, closure_months=closure_months, open_sections=open_sections)
        winter = {"closure_months_limit": closure_months, "all_season_route": key}
        alpha = {} if avalanche_alpha_deg is None else {"alpha_deg": avalanche_alpha_deg}
        for k in [k for k in routes if k != ON_FOOT]:
            av = route_avalanche(routes[k], **alpha)
            extra = {**routes[k].summary.extra, "avalanche_exposed_km": av["avalanche_exposed_km"], "avalanche": av}
            routes[k] = replace(routes[k], summary=routes[k].summary.with_fields(extra=extra))
    return highway_claim(
        {k: r.summary for k, r in routes.items() if k != ON_FOOT},
        steep,
        error,
        roadless,
        sensitivity,
        winter,
        open_sections=open_sections,
    )
