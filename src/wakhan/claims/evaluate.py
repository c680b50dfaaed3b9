"""Evaluate the article's claims: routes, numbers, verdicts, sensitivity.

:func:`run_claims` is what ``wakhan claims`` runs and the notebook follows
step by step. It returns a :class:`ClaimsResult` holding every claim with its
verdict, the routes it was judged on, the definitions used, and the data
sources; :mod:`wakhan.report` writes it out. It only orchestrates: each
claim's rules and words are in its own module (:mod:`wakhan.claims.altitude`,
:mod:`wakhan.claims.depopulated`, :mod:`wakhan.claims.highway`), the routes in
:mod:`wakhan.claims.scenarios`, the case study's constants in
:mod:`wakhan.claims.case_study`, settlement coverage in :mod:`wakhan.gaps`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wakhan.claims.all_season import DEFAULT_CLOSURE_MONTHS
from wakhan.claims.altitude import altitude_claim, area_dems, corridor_altitude
from wakhan.claims.avalanche import DEFAULT_ALPHA_DEG, check_alpha
from wakhan.claims.case_study import DEFAULT_DEFINITION, DEFINITIONS, ON_FOOT, WAKHAN_HIGHWAY, existing_infrastructure
from wakhan.claims.closure import check_closure_months
from wakhan.claims.corridor_remoteness import corridor_remoteness
from wakhan.claims.depopulated import (
    HEADLINE_BUFFER_KM,
    depopulated_claim,
    describe_depopulated,
    route_gap_rows,
)
from wakhan.claims.evidence import DEFAULT_SETTLEMENT_SPECS, settlement_evidence
from wakhan.claims.highway import HIGHWAY_RULES
from wakhan.claims.highway_measures import DESIGN_GRADES_PCT, evaluate_highway
from wakhan.claims.kept_open import open_sections_of
from wakhan.claims.scenarios import highway_routes, infiltration_route
from wakhan.claims.verdicts import Claim
from wakhan.cost import ALTITUDE_LOSS_PER_KM, get_model
from wakhan.cost.walking import TREK_TERRAIN_FACTOR_ALTITUDE
from wakhan.errors import RouteError
from wakhan.gaps import blindness
from wakhan.plan.plan import DEFAULT_NEIGHBOURS
from wakhan.route.summary import RouteSummary, Walking
from wakhan.settlements import Settlements, combine, read_settlements
from wakhan.sources import pack

__all__ = ["ClaimsResult", "run_claims"]

#: The source of the altitude term of the walking model, as the report cites it.
_ALTITUDE_TERM_SOURCE = "speed x (1 - 0.076 per 1,000 m above 580 m): Fulco et al. 1998; Buskirk et al. 1967"


@dataclass
class ClaimsResult:
    """Everything ``wakhan claims`` found.

    Examples
    --------
    >>> from wakhan.claims.verdicts import SUPPORTED
    >>> result = ClaimsResult([Claim("altitude", "It is high.", SUPPORTED, 4300.0, "m", "It is.")], {}, {}, [], [])
    >>> result.claim("altitude").value, result.gaps, result.remoteness
    (4300.0, {}, None)
    """

    claims: list
    routes: dict  # key -> RouteResult
    definitions: dict
    data_sources: list
    settlements: list  # [{name, coverage, count}]
    gaps: dict = field(default_factory=dict)  # route key -> list of gap-table rows
    infiltration: dict = field(default_factory=dict)
    uncertainty: dict = field(default_factory=dict)  # Monte Carlo summary (wakhan.sweep), when run
    remoteness: object = None  # CorridorRemoteness: walking hours to the nearest settlement (the report's figure)

    def claim(self, claim_id: str) -> Claim:
        return next(c for c in self.claims if c.id == claim_id)


def run_claims(
    settlement_specs=DEFAULT_SETTLEMENT_SPECS,
    *,
    dem="pack",
    neighbours=None,
    progress=None,
    walk_with_altitude: bool = True,
    roads=None,
    closure_months: float = DEFAULT_CLOSURE_MONTHS,
    avalanche_alpha_deg: float = DEFAULT_ALPHA_DEG,
) -> ClaimsResult:
    """Evaluate every claim.

    Parameters
    ----------
    settlement_specs : sequence of str or Settlements
        Settlement sources (see :func:`wakhan.settlements.read_settlements`); default the
        pack's GHS classes and the shipped GeoNames cities500 extract. With more than one,
        their union is evaluated too and gives the headline.
    dem : "pack", "tiles" or a raster path
        Elevation source for the routes and the area statistics.
    neighbours : {8, 16, 32}, optional
        Solver move set (default: the route planner's).
    progress : callable(str), optional
        Told as each step starts.
    walk_with_altitude : bool
        Also solve the walk with the walking model's altitude term and report
        it beside the plain Tobler walk (``infiltration["with_altitude"]``).
    roads : path or list of paths, optional
        The user's road layer(s), added to the bundled existing highways (priced as upgrades); their
        ``open_all_year`` sections (GeoJSON) count beside the bundled ones.
    closure_months : float
        The all-season variant tunnels every crossing predicted to close longer (0-12 months).
    avalanche_alpha_deg : float
        Alpha angle of the avalanche runout (degrees, > 0).
    """
    closure_months = check_closure_months(closure_months)
    avalanche_alpha_deg = check_alpha(avalanche_alpha_deg)
    infrastructure = existing_infrastructure(roads)
    # the roads' sections kept open all year, from the layers the routes use: a bad one refused before any work
    open_sections = open_sections_of(infrastructure["roads"])

    tell = progress or (lambda *_: None)
    neighbours = neighbours or DEFAULT_NEIGHBOURS
    tell("reading settlements")
    sets = [s if isinstance(s, Settlements) else read_settlements(s) for s in settlement_specs]
    if not sets:
        raise ValueError("give at least one settlement source")
    gap_sets = sets + ([combine(*sets)] if len(sets) > 1 else [])

    routes, error = {}, None
    tell("highway routes")
    try:
        routes.update(highway_routes(dem=dem, neighbours=neighbours, progress=tell, roads=roads))
    except RouteError as exc:
        error = str(exc)
    tell("walking route from Sarhad-e Broghil")
    walk = infiltration_route(sets, dem=dem, neighbours=neighbours)
    routes[ON_FOOT] = walk.route
    walk_alt = None
    if walk_with_altitude:
        tell("walking route with the altitude term")
        walk_alt = infiltration_route(
            sets,
            dem=walk.route.dem,
            neighbours=neighbours,
            # calibrated with the altitude term on (benchmarks/walking.md)
            model=get_model(
                "walking",
                altitude_loss_per_km=ALTITUDE_LOSS_PER_KM,
                terrain_factor=TREK_TERRAIN_FACTOR_ALTITUDE,
            ),
        )

    tell("corridor altitude")
    area, along, area_check = corridor_altitude(routes, *area_dems(dem))
    claims = [altitude_claim(area, along)]
    if area_check:
        claims[0].details["area_other_dem"] = {k: v.as_dict() for k, v in area_check.items()}

    tell("depopulated stretches")
    gap_rows = route_gap_rows(routes, gap_sets)
    tell("remoteness of the corridor")
    remote = corridor_remoteness(gap_sets[-1], dem=dem, neighbours=neighbours)
    depop = depopulated_claim(
        gap_rows,
        {k: routes[k].summary.terrain.length_km for k in gap_rows},
        ON_FOOT,
        gap_sets[-1].name,
        remoteness=remote.details(),
        judged_source=gap_sets[-1].name if len(sets) > 1 else None,
    )
    claims.append(settlement_evidence(depop, gap_rows, routes, sets, gap_sets[-1].name))
    claims.append(
        evaluate_highway(
            routes,
            error,
            neighbours,
            progress=tell,
            infrastructure=infrastructure,
            closure_months=closure_months,
            avalanche_alpha_deg=avalanche_alpha_deg,
            open_sections=open_sections,
            # as compare_routes had it: catchments over the source a grid was built from, none for a grid given
            dem_source=None if not isinstance(dem, (str, bytes)) and hasattr(dem, "array") else dem,
        )
    )

    definitions = _definitions(routes, walk, gap_sets)
    return ClaimsResult(
        claims,
        routes,
        definitions,
        _data_sources(sets, routes),
        definitions["settlement_sources"],
        gap_rows,
        _infiltration(walk, walk_alt),
        remoteness=remote,
    )


def _data_sources(sets, routes: dict | None = None) -> list[dict]:
    """The pack's attribution, each DEM the routes were solved on, and each settlement source not read from the pack.

    The corridor's area statistics always read the pack's GEBCO and GLOBE grids, so the pack is
    always cited; with ``dem=PATH`` or ``dem="tiles"`` the routes' own elevation data are cited too.
    """

    data_sources = [s.as_dict() for s in pack.attribution()]
    for r in (routes or {}).values():
        for d in r.summary.provenance.data_sources or []:
            if not any(d["name"] == x["name"] for x in data_sources):
                data_sources.append(d)
    for s in sets:
        # a settlement set read from the pack is already attributed under the pack file's name
        if not any(s.source.name.startswith(d["name"]) for d in data_sources):
            data_sources.append(s.source.as_dict())
    return data_sources


def _definitions(routes: dict, walk, gap_sets) -> dict:
    """The definitions the claims were judged by: corridor readings, buffers, sources, models."""

    hw = routes.get(WAKHAN_HIGHWAY)
    definitions: dict[str, Any] = {
        "corridor": [d.as_dict() for d in DEFINITIONS],
        "corridor_default": DEFAULT_DEFINITION.key,
        "depopulated": describe_depopulated(),
        "settlement_sources": [{"name": s.name, "coverage": s.coverage, "count": len(s)} for s in gap_sets],
        "walking_day_hours": _walking(walk.route.summary).walking_hours_per_day,
        "design_grades_pct": list(DESIGN_GRADES_PCT),
        "highway_rules": HIGHWAY_RULES,
        "highway_model": (hw.summary.provenance.model_description or None) if hw is not None else None,
        "walking_model": walk.route.summary.provenance.model_description or None,
    }
    wp = walk.route.profile
    for entry, st in zip(definitions["settlement_sources"], gap_sets):
        # how blind each source is along the walk, by country (a gap may be a gap in the data)
        entry["blindness_on_foot"] = blindness(st, wp.distance_km, wp.lon, wp.lat, buffer_km=HEADLINE_BUFFER_KM)
    return definitions


def _walking(summary: RouteSummary) -> Walking:
    """The walk's times (an empty section where the summary has none)."""
    return summary.walking or Walking()


def _infiltration(walk, walk_alt) -> dict:
    """The walk's headline numbers, and those of the walk with the altitude term when it was solved."""
    s = walk.route.summary
    infiltration = {
        "arrival": walk.arrival,
        "arrival_lonlat": walk.arrival_lonlat,
        "walking_hours": round(walk.walking_hours, 1),
        "walking_days": round(walk.walking_days, 1),
        "length_km": s.terrain.length_km,
        "max_elevation_m": s.terrain.max_elevation_m,
        "walking_days_limited": (_walking(s).walking_days_limited or None),
    }
    if walk_alt is not None:
        s_alt = walk_alt.route.summary
        infiltration["with_altitude"] = {
            "model": (s_alt.provenance.model_description or None),
            "arrival": walk_alt.arrival,
            "length_km": s_alt.terrain.length_km,
            "walking_hours": round(walk_alt.walking_hours, 1),
            "walking_days": round(walk_alt.walking_days, 1),
            "walking_days_limited": (_walking(s_alt).walking_days_limited or None),
            "max_elevation_m": s_alt.terrain.max_elevation_m,
            "source": _ALTITUDE_TERM_SOURCE,
        }
    return infiltration
