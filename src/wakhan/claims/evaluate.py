"""Evaluate the article's claims: routes, numbers, verdicts, sensitivity.

:func:`run_claims` is what ``wakhan claims`` runs and the notebook follows
step by step. It returns a :class:`ClaimsResult` holding every claim with its
verdict, the routes it was judged on, the definitions used, and the data
sources; :mod:`wakhan.report` writes it out.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from wakhan.claims.corridor import (DEFAULT_DEFINITION, DEFINITIONS, area_statistics, corridor_region,
                                    route_statistics)
from wakhan.claims.highway import (COST_RATIO_LIMIT, HEIGHT_MARGIN_M, HIGHWAY_RULES, SENSITIVITY_DESIGN_GRADES_PCT,
                                   crossings, design_grade_sensitivity, highway_claim, roadless_stretches)
from wakhan.claims.scenarios import highway_routes, infiltration_route
from wakhan.claims.verdicts import (DEPENDS, NOT_SUPPORTED, STATEMENTS, Claim,
                                    threshold_verdict)
from wakhan.errors import RouteError

__all__ = ["ClaimsResult", "run_claims", "BUFFERS_KM", "DESIGN_GRADES_PCT", "ALTITUDE_M", "DEPOPULATED_KM",
           "altitude_claim", "depopulated_claim", "highway_claim", "roadless_stretches", "crossings",
           "HIGHWAY_RULES", "COST_RATIO_LIMIT", "HEIGHT_MARGIN_M", "SENSITIVITY_DESIGN_GRADES_PCT",
           "design_grade_sensitivity"]

BUFFERS_KM = (2.0, 5.0, 10.0, 20.0)
HEADLINE_BUFFER_KM = 5.0
DESIGN_GRADES_PCT = (6.0, 8.0, 10.0)
HEADLINE_DESIGN_GRADE_PCT = 8.0
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
    uncertainty: dict = field(default_factory=dict)   # Monte Carlo summary (wakhan.sweep), when run

    def claim(self, claim_id: str) -> Claim:
        return next(c for c in self.claims if c.id == claim_id)


# -- claim 1 -----------------------------------------------------------------
def altitude_claim(area_by_def: dict, routes_by_def: dict, *, headline_definition=None) -> Claim:
    """Verdict on "an average altitude of more than 4,000 m" from both readings.

    ``area_by_def``: definition key -> AreaStatistics; ``routes_by_def``:
    definition key -> {route key: route_statistics dict or None};
    ``headline_definition``: the CorridorDefinition whose area mean is the
    claim's value (default :data:`DEFAULT_DEFINITION`; a scenario sweep may
    judge one definition alone).
    """
    head = headline_definition or DEFAULT_DEFINITION
    area_means = {k: a.mean_m for k, a in area_by_def.items()}
    route_means = {(d, r): s["mean_elevation_m"] for d, rs in routes_by_def.items()
                   for r, s in rs.items() if s}
    v_area = threshold_verdict(area_means.values(), ALTITUDE_M)
    v_route = threshold_verdict(route_means.values(), ALTITUDE_M) if route_means else None
    default = head.key
    a = area_by_def[default]
    lo_r = min(route_means.values()) if route_means else None
    hi_r = max(route_means.values()) if route_means else None
    if v_route is None or v_route == v_area:
        verdict = v_area
    else:
        verdict = DEPENDS
    reason = (f"Averaged over its area, the corridor ('{default}': {head.country} east of "
              f"{head.east_of_lon:g}\u00b0E, north of {head.north_of_lat:g}\u00b0N) "
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
                      headline_source: str, *, headline_buffer_km: float = HEADLINE_BUFFER_KM) -> Claim:
    """Verdict on "a depopulated distance of 300 km" from gap tables.

    ``gap_rows``: route key -> rows of :func:`wakhan.gaps.gap_table`;
    ``route_lengths_km``: route key -> route length; ``headline_buffer_km``:
    the buffer of the claim's value (a scenario sweep may use another).
    """
    counted = [r for rows in gap_rows.values() for r in rows if not r.get("coverage_limited")]
    if not counted:
        counted = [r for rows in gap_rows.values() for r in rows]
    lengths = [r["length_km"] for r in counted]
    verdict = threshold_verdict(lengths, DEPOPULATED_KM - 1e-9)
    head = next((r for r in gap_rows[headline_route] if r["source"] == headline_source
                 and r["buffer_km"] == headline_buffer_km), None)
    walk_len = route_lengths_km[headline_route]
    value = head["length_km"] if head else 0.0
    reason = (f"On foot, staying in Afghanistan and China, it is {walk_len:,.0f} km from Sarhad-e Broghil, where "
              f"the Wakhan road ends, to the first Chinese settlement; the longest stretch with no settlement within "
              f"{headline_buffer_km:g} km is {value:,.0f} km ({headline_source})")
    buffers = [r["buffer_km"] for rows in gap_rows.values() for r in rows] or list(BUFFERS_KM)
    reason += (f"; over every route, settlement source and buffer of {min(buffers):g}-{max(buffers):g} km "
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
        "headline": {"route": headline_route, "source": headline_source, "buffer_km": headline_buffer_km},
        "route_lengths_km": route_lengths_km,
        "gaps": {k: [{kk: vv for kk, vv in r.items() if kk != "gap"} for r in rows] for k, rows in gap_rows.items()},
        "open_ended_sources": open_ended,
    })


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


def run_claims(settlement_specs=("ghs",), *, dem="pack", neighbours=None, progress=None,
               walk_with_altitude: bool = True) -> ClaimsResult:
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
    walk_with_altitude : bool
        Also solve the walk with the walking model's altitude term and report
        it beside the plain Tobler walk (``infiltration["with_altitude"]``).
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
    walk_alt = None
    if walk_with_altitude:
        from wakhan.cost import ALTITUDE_LOSS_PER_KM, get_model
        tell("walking route with the altitude term")
        walk_alt = infiltration_route(sets, dem=walk.route.dem, neighbours=neighbours,
                                      model=get_model("walking", altitude_loss_per_km=ALTITUDE_LOSS_PER_KM))

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
        hw = routes["wakhan-highway"]
        routes["wakhan-highway"] = replace(hw, summary=replace(hw.summary,
                                                               steep_sections=sections[HEADLINE_DESIGN_GRADE_PCT]))
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
    from wakhan.gaps import blindness
    wp = walk.route.profile
    for entry, st in zip(definitions["settlement_sources"], gap_sets):
        # how blind each source is along the walk, by country (a gap may be a gap in the data)
        entry["blindness_on_foot"] = blindness(st, wp.distance_km, wp.lon, wp.lat, buffer_km=HEADLINE_BUFFER_KM)
    infiltration = {"arrival": walk.arrival, "arrival_lonlat": walk.arrival_lonlat,
                    "walking_hours": round(walk.walking_hours, 1), "walking_days": round(walk.walking_days, 1),
                    "length_km": walk.route.summary["length_km"],
                    "max_elevation_m": walk.route.summary["max_elevation_m"],
                    "walking_days_limited": walk.route.summary.get("walking_days_limited")}
    if walk_alt is not None:
        s_alt = walk_alt.route.summary
        infiltration["with_altitude"] = {
            "model": s_alt.get("model_description"), "arrival": walk_alt.arrival,
            "length_km": s_alt["length_km"], "walking_hours": round(walk_alt.walking_hours, 1),
            "walking_days": round(walk_alt.walking_days, 1), "walking_days_limited": s_alt.get("walking_days_limited"),
            "max_elevation_m": s_alt["max_elevation_m"],
            "source": "speed x (1 - 0.076 per 1,000 m above 580 m): Fulco et al. 1998; Buskirk et al. 1967"}
    return ClaimsResult(claims, routes, definitions, data_sources,
                        definitions["settlement_sources"], gap_rows, infiltration)
