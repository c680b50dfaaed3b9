"""The highway claim: its words, rules, crossings and verdict.

:func:`highway_claim` judges "China could build a highway from Kashgar to Kabul through the
corridor" by the rules in :data:`HIGHWAY_RULES`, from the route summaries of
:func:`wakhan.claims.scenarios.highway_routes` (design grade, switchbacks, tunnels, cost) and the
measurements of :func:`wakhan.claims.highway_measures.evaluate_highway` (steep sections, roadless
stretches, design-grade sensitivity, winter).
"""

from __future__ import annotations

from wakhan.claims.case_study import EXISTING_ROAD, KARAKORAM_HIGHWAY, UNCONSTRAINED, WAKHAN_HIGHWAY
from wakhan.claims.track_cost import track_words
from wakhan.claims.verdicts import DEPENDS, NOT_SUPPORTED, SUPPORTED, Claim, a_number, count_noun, usd_range_bn
from wakhan.claims.winter import CROSSING_MIN_M, crossing_closures, winter_rule_text, winter_verdict
from wakhan.route.absent import present
from wakhan.route.summary import Costs, Engineering, RouteSummary

__all__ = [
    "highway_claim",
    "crossings",
    "HIGHWAY_RULES",
    "STATEMENT",
    "COST_RATIO_LIMIT",
    "HEIGHT_MARGIN_M",
    "CROSSING_MIN_M",
]

#: The article's words.
STATEMENT = "China could use the corridor to build a highway from Kashgar to Kabul."
#: The Wakhan highway is "supported" when it costs at most this many times the Karakoram
#: Highway per km, both modelled the same way (design grade, switchbacks, tunnels, unit costs).
COST_RATIO_LIMIT = 1.5
#: ... and its highest point is at most this much above the Karakoram Highway's (Khunjerab).
HEIGHT_MARGIN_M = 500.0
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
    ``open_sections``: the roads' sections kept open all year (default: the bundled roads').

    Examples
    --------
    Of two passes only the one above 4,000 m is a crossing; it gains its closure estimate:

    >>> s = RouteSummary.from_dict({"name": "r", "length_km": 100.0, "passes": [
    ...     {"name": "Wakhjir Pass", "lat": 37.08, "lon": 74.47, "elevation_m": 4900.0, "km": 40.0},
    ...     {"name": "low col", "lat": 37.0, "lon": 73.0, "elevation_m": 3500.0, "km": 70.0}]})
    >>> [(c["name"], c["elevation_m"], "closed_months" in c) for c in crossings(s)]
    [('Wakhjir Pass', 4900.0, True)]
    """
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


def _tunnel_words(tunnels) -> str:
    """A route's tunnels in the verdict: the new bores it needs, apart from the existing tunnels it passes
    through (rehabilitated, not built), and "no new tunnel" rather than "0.0 km of tunnel".

    Examples
    --------
    >>> _tunnel_words([]), _tunnel_words([{"length_km": 2.67, "existing": "Salang Tunnel"}])
    ('no new tunnel', 'no new tunnel (the existing Salang Tunnel, 2.7 km)')
    >>> _tunnel_words([{"length_km": 175.8}, {"length_km": 7.0}])
    '2 new tunnels, 182.8 km'
    """
    new = [t for t in tunnels or [] if not t.get("existing")]
    words = (
        f"{count_noun(len(new), 'new tunnel')}, {sum(t['length_km'] for t in new):,.1f} km" if new else "no new tunnel"
    )
    old = [f"the existing {t['existing']}, {t['length_km']:,.1f} km" for t in tunnels or [] if t.get("existing")]
    return words + (f" ({'; '.join(old)})" if old else "")


def _engineering(s: RouteSummary) -> str:
    t, eng = s.terrain, s.engineering or Engineering()
    return (
        f"{t.length_km:,.0f} km ({eng.built_length_km or t.length_km:,.0f} km built), "
        f"{eng.switchback_km or 0:,.0f} km in switchbacks (~{eng.hairpins or 0:,} hairpins), "
        f"{_tunnel_words(eng.tunnels)}, highest point {t.max_elevation_m:,.0f} m, "
        f"{usd_range_bn((s.costs.cost_usd if s.costs else None) or None)}"
    )


def highway_claim(
    summaries: dict[str, RouteSummary],
    steep_by_grade: dict,
    error: str | None = None,
    roadless: list | None = None,
    sensitivity: dict | None = None,
    winter: dict | None = None,
    open_sections=None,
    track: dict | None = None,
) -> Claim:
    """Verdict on the Kashgar-Kabul highway through the corridor (rules: :data:`HIGHWAY_RULES`).

    ``summaries``: route key -> :class:`~wakhan.route.summary.RouteSummary` (``wakhan-highway`` may be absent
    when no route exists, then ``error`` says why); ``steep_by_grade``: design
    grade -> km of the Wakhan route steeper than it over 1 km of the smoothed
    profile; ``roadless``: stretches of the Wakhan route in Afghanistan away from
    the existing road (see :func:`~wakhan.claims.highway_measures.roadless_stretches`); ``track``: the
    Wakhan route priced with the Wakhan track as a new road (:func:`~wakhan.claims.track_cost.track_sensitivity`),
    reported beside the verdict, which it does not change.

    Examples
    --------
    With no Wakhan route, the claim is not supported, and the reason says why:

    >>> c = highway_claim({}, {}, error="no path through the Wakhjir Pass")
    >>> c.verdict, c.reason.split(": ")[-1]
    ('not supported', 'no path through the Wakhjir Pass')
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
                + f", or {usd_range_bn(road_costs.cost_usd_as_upgrade)} upgrading the existing road from "
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
        ) + track_words(track, COST_RATIO_LIMIT)
        if ratio > COST_RATIO_LIMIT or _top_m(w) > _top_m(kkh) + HEIGHT_MARGIN_M:
            verdict = DEPENDS
    for g, row in (sensitivity or {}).items():
        if "error" in row:
            reason += f"; at {a_number(float(g))} % design grade: {row['error']}"
        else:
            ww = row[WAKHAN_HIGHWAY]
            reason += (
                f"; at {a_number(float(g))} % design grade the Wakhan route is {ww['length_km']:,.0f} km with "
                f"{ww['switchback_km']:,.0f} km of switchbacks and "
                + (f"{ww['tunnel_km']:,.1f} km of tunnel, " if ww["tunnel_km"] else "no tunnel, ")
                + f"{usd_range_bn(ww['cost_usd'])}, {row['cost_per_km_ratio']:.2f} times the Karakoram Highway per km"
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
            **({"track_as_new_build": track} if track else {}),
        },
    )
