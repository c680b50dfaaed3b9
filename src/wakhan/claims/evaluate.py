"""Evaluate the article's claims: routes, numbers, verdicts, sensitivity.

:func:`run_claims` is what ``wakhan claims`` runs and the notebook follows
step by step. It returns a :class:`ClaimsResult` holding every claim with its
verdict, the routes it was judged on, the definitions used, and the data
sources; :mod:`wakhan.report` writes it out.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from wakhan.claims.corridor import (DEFAULT_DEFINITION, DEFINITIONS, area_statistics, corridor_region,
                                    route_statistics)
from wakhan.claims.scenarios import highway_routes, infiltration_route
from wakhan.claims.verdicts import (DEPENDS, NOT_SUPPORTED, STATEMENTS, SUPPORTED, Claim,
                                    threshold_verdict)
from wakhan.errors import RouteError

__all__ = ["ClaimsResult", "run_claims", "BUFFERS_KM", "DESIGN_GRADES_PCT", "ALTITUDE_M", "DEPOPULATED_KM",
           "altitude_claim", "depopulated_claim", "highway_claim", "roadless_stretches", "crossings",
           "HIGHWAY_RULES"]

BUFFERS_KM = (2.0, 5.0, 10.0, 20.0)
HEADLINE_BUFFER_KM = 5.0
DESIGN_GRADES_PCT = (6.0, 8.0, 10.0)
HEADLINE_DESIGN_GRADE_PCT = 8.0
#: Design grades (percent, below 3,000 m) at which the Wakhan and Karakoram Highway routes are
#: solved again to show how the answer moves (the headline is the model's default, 7 %).
SENSITIVITY_DESIGN_GRADES_PCT = (6.0, 8.0)
ALTITUDE_M = 4000.0
DEPOPULATED_KM = 300.0


@dataclass
class ClaimsResult:
    """Everything ``wakhan claims`` found."""

    claims: list
    routes: dict                      # key -> RouteResult
    definitions: dict
    data_sources: list
    settlements: list                 # [{name, coverage, count}]
    gaps: dict = field(default_factory=dict)    # route key -> list of gap-table rows
    infiltration: dict = field(default_factory=dict)

    def claim(self, claim_id: str) -> Claim:
        return next(c for c in self.claims if c.id == claim_id)


# -- claim 1 -----------------------------------------------------------------
def altitude_claim(area_by_def: dict, routes_by_def: dict) -> Claim:
    """Verdict on "an average altitude of more than 4,000 m" from both readings.

    ``area_by_def``: definition key -> AreaStatistics; ``routes_by_def``:
    definition key -> {route key: route_statistics dict or None}.
    """
    area_means = {k: a.mean_m for k, a in area_by_def.items()}
    route_means = {(d, r): s["mean_elevation_m"] for d, rs in routes_by_def.items()
                   for r, s in rs.items() if s}
    v_area = threshold_verdict(area_means.values(), ALTITUDE_M)
    v_route = threshold_verdict(route_means.values(), ALTITUDE_M) if route_means else None
    default = DEFAULT_DEFINITION.key
    a = area_by_def[default]
    lo_r = min(route_means.values()) if route_means else None
    hi_r = max(route_means.values()) if route_means else None
    if v_route is None or v_route == v_area:
        verdict = v_area
    else:
        verdict = DEPENDS
    reason = (f"Averaged over its area, the corridor ('{default}': {DEFAULT_DEFINITION.country} east of "
              f"{DEFAULT_DEFINITION.east_of_lon:g}\u00b0E, north of {DEFAULT_DEFINITION.north_of_lat:g}\u00b0N) "
              f"has a mean elevation of "
              f"{a.mean_m:,.0f} m (median {a.median_m:,.0f} m, {a.share_above_m['4000'] * 100:.0f} % above 4,000 m)"
              f" - {v_area} under all {len(area_means)} corridor definitions")
    if route_means:
        reason += (f"; along the routes people would travel its mean is {lo_r:,.0f}-{hi_r:,.0f} m - {v_route}, "
                   "because roads and paths follow the valleys while the area average counts every peak and glacier")
    reason += "."
    return Claim("altitude", STATEMENTS["altitude"], verdict, round(a.mean_m, 1), "m", reason, {
        "readings": {"area_mean": v_area, "route_mean": v_route},
        "area": {k: s.as_dict() for k, s in area_by_def.items()},
        "routes": {d: rs for d, rs in routes_by_def.items()},
    })


# -- claim 2 -----------------------------------------------------------------
#: A source covers a country when at least this share of its points lie in it: a
#: handful of border villages (Who's On First has 2 points in China) is no coverage.
COVERAGE_MIN_SHARE = 0.01


def covered_countries(lon, lat, country_at) -> set:
    """ISO codes of the countries holding at least :data:`COVERAGE_MIN_SHARE` of the points."""
    codes, counts = np.unique(np.asarray(country_at(lon, lat)), return_counts=True)
    total = max(int(counts.sum()), 1)
    return {str(c) for c, n in zip(codes, counts) if c and n / total >= COVERAGE_MIN_SHARE}


def flag_coverage(rows: list, profile, covered: dict) -> list:
    """Mark gap-table rows whose gap runs through a country its source has no points in.

    ``covered``: source name -> set of ISO codes the source has settlements in.
    Such a gap is as long as it is for want of data, not for want of people;
    the row gets ``coverage_limited`` and ``uncovered_countries``.
    """
    from wakhan.borders import country_at

    countries = np.asarray(country_at(profile.lon, profile.lat))
    d = np.asarray(profile.distance_km)
    for row in rows:
        inside = (d >= row["start_km"]) & (d <= row["end_km"])
        passed = {c for c in countries[inside] if c}
        missing = sorted(passed - covered.get(row["source"], passed))
        row["coverage_limited"] = bool(missing and row["length_km"] > 0)
        row["uncovered_countries"] = missing
    return rows


def depopulated_claim(gap_rows: dict, route_lengths_km: dict, headline_route: str,
                      headline_source: str) -> Claim:
    """Verdict on "a depopulated distance of 300 km" from gap tables.

    ``gap_rows``: route key -> rows of :func:`wakhan.gaps.gap_table`;
    ``route_lengths_km``: route key -> route length.
    """
    counted = [r for rows in gap_rows.values() for r in rows if not r.get("coverage_limited")]
    if not counted:
        counted = [r for rows in gap_rows.values() for r in rows]
    lengths = [r["length_km"] for r in counted]
    verdict = threshold_verdict(lengths, DEPOPULATED_KM - 1e-9)
    head = next((r for r in gap_rows[headline_route] if r["source"] == headline_source
                 and r["buffer_km"] == HEADLINE_BUFFER_KM), None)
    walk_len = route_lengths_km[headline_route]
    value = head["length_km"] if head else 0.0
    reason = (f"On foot, staying in Afghanistan and China, it is {walk_len:,.0f} km from Sarhad-e Broghil, where "
              f"the Wakhan road ends, to the first Chinese settlement; the longest stretch with no settlement within "
              f"{HEADLINE_BUFFER_KM:g} km is {value:,.0f} km ({headline_source})")
    reason += (f"; over every route, settlement source and buffer of {min(BUFFERS_KM):g}-{max(BUFFERS_KM):g} km "
               f"the longest gap is {min(lengths):,.0f}-{max(lengths):,.0f} km, "
               f"{'never' if verdict == NOT_SUPPORTED else 'sometimes' if verdict == DEPENDS else 'always'} "
               f"{DEPOPULATED_KM:,.0f} km or more")
    limited = sorted({r["source"] for rows in gap_rows.values() for r in rows if r.get("coverage_limited")})
    if limited:
        reason += (f"; gaps that run through a country a source does not cover ({'; '.join(limited)}) "
                   "are shown but not counted")
    reason += "."
    open_ended = sorted({r["source"] for rows in gap_rows.values() for r in rows if r["open_end"] or r["open_start"]})
    return Claim("depopulated", STATEMENTS["depopulated"], verdict, round(value, 1), "km", reason, {
        "headline": {"route": headline_route, "source": headline_source, "buffer_km": HEADLINE_BUFFER_KM},
        "route_lengths_km": route_lengths_km,
        "gaps": {k: [{kk: vv for kk, vv in r.items() if kk != "gap"} for r in rows] for k, rows in gap_rows.items()},
        "open_ended_sources": open_ended,
    })


# -- claim 3 -----------------------------------------------------------------
#: The Wakhan highway is "supported" when it costs at most this many times the Karakoram
#: Highway per km, both modelled the same way (design grade, switchbacks, tunnels, unit costs).
COST_RATIO_LIMIT = 1.5
#: ... and its highest point is at most this much above the Karakoram Highway's (Khunjerab).
HEIGHT_MARGIN_M = 500.0
#: Crossings named in the verdict: passes (prominence >= 300 m along the route) above this height.
CROSSING_MIN_M = 4000.0
HIGHWAY_RULES = (
    f"not supported: no route within China and Afghanistan at the design grade, even with switchbacks and "
    f"tunnels; supported: such a route exists, its mid-range construction cost per km is at most "
    f"{COST_RATIO_LIMIT:g} times the Karakoram Highway's modelled the same way (same DEM, design grade, "
    f"switchbacks, tunnels and unit costs), and its highest point is at most {HEIGHT_MARGIN_M:,.0f} m above "
    f"the Karakoram Highway's; depends: otherwise (on the money, or on a higher road than the existing one)")


def _mid_per_km(s: dict) -> float | None:
    c = s.get("cost_usd")
    if not c or not s.get("length_km"):
        return None
    return 0.5 * (c["low"] + c["high"]) / s["length_km"]


def crossings(summary: dict, min_m: float = CROSSING_MIN_M) -> list[dict]:
    """``[{name, lat, lon, elevation_m, km}]``: the route's passes above ``min_m`` (tunnelled ones excluded)."""
    return [{"name": p.get("name"), "lat": p["lat"], "lon": p["lon"], "elevation_m": p["elevation_m"],
             "km": p.get("km")} for p in summary.get("passes", []) if p["elevation_m"] > min_m]


def _tunnel_km(s: dict) -> float:
    return float(sum(t["length_km"] for t in s.get("tunnels") or []))


def _usd(c: dict | None) -> str:
    return f"US$ {c['low'] / 1e9:,.1f}-{c['high'] / 1e9:,.1f} bn" if c else "no cost estimate"


def _engineering(s: dict) -> str:
    return (f"{s['length_km']:,.0f} km ({s.get('built_length_km', s['length_km']):,.0f} km built), "
            f"{s.get('switchback_km', 0):,.0f} km in switchbacks (~{s.get('hairpins', 0):,} hairpins), "
            f"{_tunnel_km(s):,.1f} km of tunnel, highest point {s['max_elevation_m']:,.0f} m, "
            f"{_usd(s.get('cost_usd'))}")


def design_grade_sensitivity(dem, neighbours, grades=SENSITIVITY_DESIGN_GRADES_PCT, progress=None) -> dict:
    """``grade -> {wakhan-highway: {...}, karakoram-highway: {...}, cost_per_km_ratio}`` re-solved on ``dem``."""
    from wakhan.route.compare import DEFAULT_VARIANTS, compare_routes
    pair = [v for v in DEFAULT_VARIANTS if v.key in ("wakhan-highway", "karakoram-highway")]
    out = {}
    for g in grades:
        if progress:
            progress(f"highway routes at a {g:g} % design grade")
        try:
            rs = compare_routes("Kashgar", "Kabul", pair, dem=dem, neighbours=neighbours, tunnels=True,
                                design_grade_pct=g)
        except RouteError as exc:
            out[f"{g:g}"] = {"error": str(exc)}
            continue
        row = {v.key: {k: r.summary.get(k) for k in ("length_km", "built_length_km", "switchback_km", "hairpins",
                                                      "max_elevation_m", "cost_usd")}
               | {"tunnel_km": round(_tunnel_km(r.summary), 3)} for v, r in zip(pair, rs)}
        a, b = (_mid_per_km(r.summary) for r in rs)
        row["cost_per_km_ratio"] = round(a / b, 3) if a and b else None
        out[f"{g:g}"] = row
    return out


def highway_claim(summaries: dict, steep_by_grade: dict, error: str | None = None,
                  roadless: list | None = None, sensitivity: dict | None = None) -> Claim:
    """Verdict on the Kashgar-Kabul highway through the corridor (rules: :data:`HIGHWAY_RULES`).

    ``summaries``: route key -> summary dict (``wakhan-highway`` may be absent
    when no route exists, then ``error`` says why); ``steep_by_grade``: design
    grade -> km of the Wakhan route steeper than it over 1 km of the smoothed
    profile; ``roadless``: stretches of the Wakhan route in Afghanistan away from
    the existing road (see :func:`roadless_stretches`).
    """
    if "wakhan-highway" not in summaries:
        return Claim("highway", STATEMENTS["highway"], NOT_SUPPORTED, None, "km",
                     f"No highway route within China and Afghanistan can be built at the design grade, even with "
                     f"switchbacks and tunnels: {error}", {"rules": HIGHWAY_RULES})
    w = summaries["wakhan-highway"]
    kkh = summaries.get("karakoram-highway")
    road = summaries.get("existing-road")
    free = summaries.get("unconstrained")
    cross = crossings(w)
    design = w.get("design_grade_pct")
    if design is not None:
        reason = (f"At a {design:g} % design grade ({w['design_grade_pct_by_altitude']['above_5000m']:g} % above "
                  f"5,000 m, China's JTG D20 plateau rule) with switchbacks up to {w['hairpin_limit_pct']:g} % "
                  f"terrain and tunnels where cheaper, a highway within China and Afghanistan can be built: "
                  f"{_engineering(w)}")
    else:
        reason = (f"A highway route within China and Afghanistan exists under a "
                  f"{w.get('model_max_grade_pct', 12):g} % grade limit: {w['length_km']:,.0f} km, highest point "
                  f"{w['max_elevation_m']:,.0f} m")
    if design is not None and not w.get("tunnels") and w.get("tunnel_cost_factor"):
        reason += ("; no tunnel pays off against the switchback road over any crossing, since at the regional unit "
                   f"costs a km of tunnel costs about as much as {w['tunnel_cost_factor']:g} km of new road on easy ground")
    if cross:
        reason += ("; it crosses " + ", ".join(f"{c['name'] or 'an unnamed col'} ({c['elevation_m']:,.0f} m)"
                                             for c in cross) + " above 4,000 m")
    if roadless:
        reason += (f"; {sum(r['length_km'] for r in roadless):,.0f} km of it in Afghanistan run more than "
                   f"{roadless[0]['away_km']:g} km from the existing road (" +
                   ", ".join(f"km {r['start_km']:,.0f}-{r['end_km']:,.0f}" for r in roadless[:4]) + ")")
    if road:
        reason += f"; following the existing Afghan road via Faizabad, Kunduz and the Salang instead: {_engineering(road)}"
        if road.get("cost_usd_as_upgrade"):
            reason += (f" as a new build, or {_usd(road['cost_usd_as_upgrade'])} upgrading the existing road from "
                       f"{road.get('existing_road_from')} on")
    if kkh:
        reason += f"; the Karakoram Highway alignment through Pakistan, modelled the same way: {_engineering(kkh)}"
        if kkh.get("grade_limit_raised_pct"):
            reason += (f" (on this grid it needs a {kkh['grade_limit_raised_pct']:g} % limit in the Indus gorge that "
                       "the real road climbs far more gently: grid-scale grades overstate a road's)")
    if free:
        reason += f"; the unconstrained optimum is {free['length_km']:,.0f} km"
    verdict = SUPPORTED
    ratio = None
    w_km, k_km = _mid_per_km(w), (_mid_per_km(kkh) if kkh else None)
    if w_km and k_km:
        ratio = w_km / k_km
        reason += (f". Per km it costs {ratio:.2f} times the Karakoram Highway "
                   f"(limit {COST_RATIO_LIMIT:g}); its highest point is {w['max_elevation_m'] - kkh['max_elevation_m']:+,.0f} m "
                   f"against the Karakoram Highway's")
        if ratio > COST_RATIO_LIMIT or w["max_elevation_m"] > kkh["max_elevation_m"] + HEIGHT_MARGIN_M:
            verdict = DEPENDS
    for g, row in (sensitivity or {}).items():
        if "error" in row:
            reason += f"; at a {g} % design grade: {row['error']}"
        else:
            ww = row["wakhan-highway"]
            reason += (f"; at a {g} % design grade the Wakhan route is {ww['length_km']:,.0f} km with "
                       f"{ww['switchback_km']:,.0f} km of switchbacks and {ww['tunnel_km']:,.1f} km of tunnel, "
                       f"{_usd(ww['cost_usd'])}, {row['cost_per_km_ratio']:.2f} times the Karakoram Highway per km")
    reason += "."
    if w.get("grade_limit_raised_pct"):
        verdict = DEPENDS
        reason = (f"No route within China and Afghanistan meets the highway model's grade limit on this grid; it "
                  f"needs {w['grade_limit_raised_pct']:g} %, so the verdict depends on the grade a road may take "
                  f"and on finer elevation data. " + reason)
    keys = ("name", "length_km", "built_length_km", "switchback_km", "development_km", "hairpins", "tunnels",
            "cost_usd", "cost_usd_as_upgrade", "design_grade_pct", "max_elevation_m", "mean_elevation_m", "km_above_4000m", "max_grade_pct",
            "climb_m", "descent_m", "countries_km", "cost", "cost_unit", "model_max_grade_pct", "grade_limit_raised_pct")
    return Claim("highway", STATEMENTS["highway"], verdict, w["length_km"], "km", reason, {
        "rules": HIGHWAY_RULES,
        "design_grade_pct": design,
        "crossings": cross,
        "cost_usd": w.get("cost_usd"),
        "cost_per_km_ratio_to_karakoram_highway": None if ratio is None else round(ratio, 3),
        "roadless_in_afghanistan": roadless or [],
        "design_grade_sensitivity": sensitivity or {},
        "routes": {k: {kk: s.get(kk) for kk in keys} for k, s in summaries.items()},
        "steep_km_by_design_grade_pct": steep_by_grade,
        "passes": w.get("passes", []),
    })


def roadless_stretches(route, road_route, away_km: float = 5.0, country: str = "AF") -> list[dict]:
    """Stretches of ``route`` in ``country`` more than ``away_km`` from ``road_route`` (same DEM CRS).

    Returns ``[{start_km, end_km, length_km, away_km, max_elevation_m}]`` (at least 2 km long).
    """
    from scipy.spatial import cKDTree

    from wakhan.borders import country_at
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
            out.append({"start_km": round(a, 1), "end_km": round(b, 1), "length_km": round(b - a, 1),
                        "away_km": away_km, "max_elevation_m": round(float(np.nanmax(p.elevation_m[i:j + 1])), 0)})
        i = j + 1
    return out


# -- orchestration -------------------------------------------------------------
def _area_dems(dem):
    """``region -> Grid`` for area statistics, and the independent check grid (or None).

    On the pack: the GEBCO grid in its native 15" cells for every region, and
    NOAA GLOBE 30" as the check, each read once. Otherwise a DEM built over
    each region's box, and no check.
    """
    if dem == "pack":
        from wakhan.sources import pack
        gebco = pack.open_gebco()
        return (lambda region: gebco), pack.open_globe()
    from wakhan.dem import build_dem
    return (lambda region: build_dem(region.bounds, source=dem)), None


def run_claims(settlement_specs=("ghs",), *, dem="pack", neighbours=None, progress=None) -> ClaimsResult:
    """Evaluate every claim.

    Parameters
    ----------
    settlement_specs : sequence of str or Settlements
        Settlement sources (see :func:`wakhan.settlements.read_settlements`);
        with more than one, their union is evaluated too.
    dem : "pack", "tiles" or a raster path
        Elevation source for the routes and the area statistics.
    neighbours : {8, 16, 32}, optional
        Solver move set (default: the route planner's).
    progress : callable(str), optional
        Told as each step starts.
    """
    from wakhan.borders import country_at
    from wakhan.gaps import gap_table
    from wakhan.route.plan import DEFAULT_NEIGHBOURS
    from wakhan.route.stats import steep_sections
    from wakhan.settlements import Settlements, combine, read_settlements
    from wakhan.sources import pack

    tell = progress or (lambda *_: None)
    neighbours = neighbours or DEFAULT_NEIGHBOURS
    tell("reading settlements")
    sets = [s if isinstance(s, Settlements) else read_settlements(s) for s in settlement_specs]
    if not sets:
        raise ValueError("give at least one settlement source")
    gap_sets = sets + ([combine(*sets)] if len(sets) > 1 else [])

    routes, errors = {}, {}
    tell("highway routes")
    try:
        routes.update(highway_routes(dem=dem, neighbours=neighbours, progress=tell))
    except RouteError as exc:
        errors["highway"] = str(exc)
    tell("walking route from Sarhad-e Broghil")
    walk = infiltration_route(sets, dem=dem, neighbours=neighbours)
    routes["infiltration"] = walk.route

    tell("corridor altitude")
    area, along, area_check = {}, {}, {}
    area_dem, check_dem = _area_dems(dem)
    for d in DEFINITIONS:
        region = corridor_region(d)
        area[d.key] = area_statistics(area_dem(region), region)
        if check_dem is not None:
            # the same area on the coarser, independent NOAA GLOBE grid: how much the DEM matters
            area_check[d.key] = area_statistics(check_dem, region)
        along[d.key] = {k: route_statistics(routes[k].profile, region)
                        for k in ("wakhan-highway", "infiltration") if k in routes}
    claims = [altitude_claim(area, along)]
    if area_check:
        claims[0].details["area_other_dem"] = {k: v.as_dict() for k, v in area_check.items()}

    tell("depopulated stretches")
    covered = {s.name: covered_countries(s.lon, s.lat, country_at) for s in gap_sets}
    gap_rows = {}
    for key in ("infiltration", "wakhan-highway"):
        if key in routes:
            p = routes[key].profile
            gap_rows[key] = flag_coverage(gap_table(p.distance_km, p.lon, p.lat, gap_sets, BUFFERS_KM), p, covered)
    claims.append(depopulated_claim(gap_rows, {k: routes[k].summary["length_km"] for k in gap_rows},
                                    "infiltration", gap_sets[-1].name))

    steep = {}
    if "wakhan-highway" in routes:
        sections = {g: steep_sections(routes["wakhan-highway"].profile, g)
                    for g in sorted({*DESIGN_GRADES_PCT, HEADLINE_DESIGN_GRADE_PCT})}
        steep = {str(g): round(sum(x["length_km"] for x in sections[g]), 1) for g in DESIGN_GRADES_PCT}
        routes["wakhan-highway"].summary["steep_sections"] = sections[HEADLINE_DESIGN_GRADE_PCT]
    roadless = (roadless_stretches(routes["wakhan-highway"], routes["existing-road"])
                if "wakhan-highway" in routes and "existing-road" in routes else None)
    sensitivity = (design_grade_sensitivity(routes["wakhan-highway"].dem, neighbours, progress=tell)
                   if "wakhan-highway" in routes else None)
    claims.append(highway_claim({k: r.summary for k, r in routes.items() if k != "infiltration"}, steep,
                                errors.get("highway"), roadless, sensitivity))

    data_sources = [s.as_dict() for s in pack.attribution()]
    for s in sets:
        # a settlement set read from the pack is already attributed under the pack file's name
        if not any(s.source.name.startswith(d["name"]) for d in data_sources):
            data_sources.append(s.source.as_dict())
    definitions = {
        "corridor": [d.as_dict() for d in DEFINITIONS],
        "corridor_default": DEFAULT_DEFINITION.key,
        "depopulated": f"a stretch of route with no settlement within the buffer distance "
                       f"({', '.join(f'{b:g}' for b in BUFFERS_KM)} km; headline {HEADLINE_BUFFER_KM:g} km)",
        "settlement_sources": [{"name": s.name, "coverage": s.coverage, "count": len(s)} for s in gap_sets],
        "walking_day_hours": walk.route.summary["walking_hours_per_day"],
        "design_grades_pct": list(DESIGN_GRADES_PCT),
        "highway_rules": HIGHWAY_RULES,
        "highway_model": (routes["wakhan-highway"].summary.get("model_description")
                          if "wakhan-highway" in routes else None),
        "walking_model": walk.route.summary.get("model_description"),
    }
    infiltration = {"arrival": walk.arrival, "arrival_lonlat": walk.arrival_lonlat,
                    "walking_hours": round(walk.walking_hours, 1), "walking_days": round(walk.walking_days, 1),
                    "length_km": walk.route.summary["length_km"],
                    "max_elevation_m": walk.route.summary["max_elevation_m"]}
    return ClaimsResult(claims, routes, definitions, data_sources,
                        definitions["settlement_sources"], gap_rows, infiltration)
