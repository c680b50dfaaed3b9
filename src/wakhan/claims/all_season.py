"""The all-season variant of a highway route: every crossing that would close in winter tunnelled.

:func:`all_season_route` takes the same corridor and replaces every crossing that would close
longer than ``closure_months`` (the closure rule fitted to dated pass closures,
:func:`wakhan.claims.closure.closure_rule`) by a straight tunnel between the points where the
road crosses :data:`ALL_SEASON_ELEVATION_M` on either side of it, so that no open road is left
above that height; its tunnels (portals, length, cost), highest point and cost. Crossings on a
road kept open all year, and crests flagged as likely data artefacts, are not tunnelled
(:mod:`wakhan.claims.kept_open`); the variant lists them, with the reason. The winter verdict
that reads it is :mod:`wakhan.claims.winter`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
from pyproj import Transformer

from wakhan.claims.closure import closure_rule
from wakhan.claims.kept_open import bundled_open_sections, exemption
from wakhan.claims.verdicts import count_noun
from wakhan.route.costing import load_unit_costs
from wakhan.route.profile import Profile
from wakhan.route.result import RouteResult
from wakhan.route.stats import THRESHOLDS_M, km_above

__all__ = [
    "ALL_SEASON_ELEVATION_M",
    "ALL_SEASON_SUFFIX",
    "DEFAULT_CLOSURE_MONTHS",
    "LONGEST_ROAD_TUNNEL_KM",
    "all_season_route",
    "inside_tunnels",
]

#: Crossings predicted to close longer than this many months are tunnelled in the all-season variant.
DEFAULT_CLOSURE_MONTHS = 1.0
#: No open road above this height in the all-season variant: the Salang tunnel, about 3,400 m, is the
#: highest road tunnel in the region kept open all year (data/infrastructure/existing_structures.geojson);
#: the closure rule itself says nothing below 3,118 m, the lowest pass it was fitted on.
ALL_SEASON_ELEVATION_M = 3400.0
#: The longest road tunnel built, Laerdal (Norway), 24.5 km.
LONGEST_ROAD_TUNNEL_KM = 24.5
ALL_SEASON_SUFFIX = "-all-season"


def inside_tunnels(distance_km, tunnels) -> np.ndarray:
    """True at the points of ``distance_km`` strictly inside one of ``tunnels`` (``start_km``, ``end_km``).

    Examples
    --------
    >>> inside_tunnels(np.arange(6.0), [{"start_km": 1.0, "end_km": 3.0}, {"start_km": 4.5, "end_km": 9.0}])
    array([False, False,  True, False, False,  True])
    >>> inside_tunnels(np.arange(3.0), None)
    array([False, False, False])
    """
    inside = np.zeros(np.asarray(distance_km).size, dtype=bool)
    for t in tunnels or []:
        inside |= (distance_km > t["start_km"]) & (distance_km < t["end_km"])
    return inside


def _runs_above(z, limit_m, centres):
    """Index ranges ``(i0, i1)``: the points at or below ``limit_m`` around each run above it holding a centre."""
    above = np.asarray(z) > limit_m
    spans = []
    for k in centres:
        if not above[k]:
            continue
        i0 = k
        while i0 > 0 and above[i0]:
            i0 -= 1
        i1 = k
        while i1 < above.size - 1 and above[i1]:
            i1 += 1
        if spans and i0 <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], i1))
        else:
            spans.append((i0, i1))
    return spans


def all_season_route(
    route: RouteResult,
    key: str,
    *,
    closure_months: float = DEFAULT_CLOSURE_MONTHS,
    elevation_m: float = ALL_SEASON_ELEVATION_M,
    rule=None,
    crossing_min_m: float | None = None,
    open_sections=None,
) -> RouteResult:
    """The all-season variant of a highway ``route``: crossings closing longer than ``closure_months`` tunnelled.

    Each such crossing (a pass of the route above ``crossing_min_m``, by default ``elevation_m``:
    no pass above the open road's height is left in the open, the Salang Pass at 3,878 m
    included, whose closures are why its tunnel was built) is replaced by a
    straight level-or-graded bore between the last point at or below ``elevation_m``
    before it and the first one after it (crossings whose runs overlap share one
    bore). The road left in the open stays at or below ``elevation_m`` wherever it
    crossed a closing pass. Not tunnelled, and listed under ``extra["all_season"]["not_tunnelled"]``
    with the reason: a crossing on a section of ``open_sections`` (default: the bundled roads'
    sections kept open all year, :func:`~wakhan.plan.open_sections.read_open_sections`), and a crest
    flagged ``artefact`` (not a real crossing; next to an existing tunnel, that tunnel is the
    real one). Cost: the seasonal route's, less the open road replaced
    (its km at the mountain-road unit cost, low and high ends apart, the altitude factor
    above 4,000 m), plus each bore at the tunnel unit cost. Bores longer than
    :data:`LONGEST_ROAD_TUNNEL_KM` are flagged: no road tunnel that long exists.

    Examples
    --------
    A 60 km road over a 4,600 m col, below 3,400 m for its first and last 20 km: the
    bore joins km 20 and km 40 (20 km of tunnel, within the longest built).

    >>> from wakhan.claims.closure import ClosureRule
    >>> from wakhan.route.summary import RouteSummary
    >>> d = np.linspace(0.0, 60.0, 61)
    >>> z = np.where(np.abs(d - 30.0) < 10.0, 4600.0 - 60.0 * np.abs(d - 30.0), 3000.0)
    >>> p = Profile(d, 75.0 + d / 90.0, np.full(61, 37.0), z, 500_000.0 + 1000.0 * d, np.full(61, 4_100_000.0))
    >>> s = RouteSummary.of(name="r", length_km=60.0, max_elevation_m=4600.0, tunnels=[],
    ...                     passes=[{"name": "col", "lat": 37.0, "lon": 75.33, "elevation_m": 4600.0, "km": 30.0}],
    ...                     cost_usd={"low": 100e6, "high": 300e6, "currency": "USD", "breakdown": [], "basis": "x"})
    >>> from wakhan.grid import Grid
    >>> from affine import Affine
    >>> dem = Grid(np.zeros((2, 2), np.float32), Affine(1000.0, 0, 500_000, 0, -1000.0, 4_100_500), "EPSG:32643")
    >>> r = all_season_route(RouteResult(s, p, dem), "r", rule=ClosureRule(4.0, 1.0, 0.0, (), (), 0.0, 0.0, 0.0))
    >>> t = r.summary.engineering.tunnels[0]
    >>> t["length_km"], r.summary.terrain.max_elevation_m, t["longer_than_any_road_tunnel"]
    (20.0, 3000.0, False)
    """
    rule = rule or closure_rule()
    crossing_min_m = elevation_m if crossing_min_m is None else crossing_min_m
    s, p = route.summary, route.profile
    if route.dem is None or p.x is None or p.y is None:
        raise ValueError("all_season_route needs a planned route: its DEM and projected profile x, y")
    px, py = p.x, p.y
    d, z = np.asarray(p.distance_km, float), np.asarray(p.elevation_m, float)
    sections = bundled_open_sections() if open_sections is None else open_sections
    old_tunnels = list((s.engineering.tunnels if s.engineering else None) or [])
    closing = [
        c | {"closed_months": float(rule.months(c["elevation_m"], c["lat"]))}
        for c in (s.terrain.passes or [])
        if c["elevation_m"] > crossing_min_m
    ]
    closing = [c | {"why": exemption(c, sections, [t for t in old_tunnels if t.get("existing")])} for c in closing]
    closing = [c for c in closing if c["closed_months"] > closure_months]
    exempt = [
        {k: c.get(k) for k in ("name", "lat", "lon", "elevation_m", "km")}
        | {"rule_closed_months": round(c["closed_months"], 1), "reason": c["why"]}
        for c in closing
        if c["why"]
    ]
    closing = [c for c in closing if not c["why"]]
    centres = sorted(int(np.argmin(np.abs(d - c["km"]))) for c in closing if c.get("km") is not None)
    spans = _runs_above(z, elevation_m, centres)
    costs = load_unit_costs()
    alt = costs["altitude_factor"]
    to_ll = Transformer.from_crs(route.dem.crs, "EPSG:4326", always_xy=True)
    z_new = z.copy()
    bores: list[dict[str, Any]] = []
    saved, added = {"low": 0.0, "high": 0.0}, {"low": 0.0, "high": 0.0}
    for i0, i1 in spans:
        k0, k1 = float(d[i0]), float(d[i1])
        length_km = float(np.hypot(px[i1] - px[i0], py[i1] - py[i0])) / 1000.0
        inside = (d > k0) & (d < k1)
        z_new[inside] = np.interp(d[inside], [k0, k1], [z[i0], z[i1]])
        seg = np.diff(d[i0 : i1 + 1])
        high_km = float(np.sum(seg * (0.5 * (z[i0:i1] + z[i0 + 1 : i1 + 1]) > 4000.0)))
        replaced = [t for t in old_tunnels if t["start_km"] >= k0 and t["end_km"] <= k1]
        old_tunnels = [t for t in old_tunnels if t not in replaced]
        for end in ("low", "high"):
            rate = costs["mountain_road"][end]
            saved[end] += (k1 - k0) * rate + high_km * rate * (alt[end] - 1.0)
            saved[end] += sum(t["cost_usd"][end] for t in replaced)
            added[end] += length_km * costs["tunnel"][end]
        portals = []
        for i in (i0, i1):
            lon, lat = to_ll.transform(px[i], py[i])
            portals.append({"lat": round(float(lat), 5), "lon": round(float(lon), 5), "elevation_m": round(z[i], 1)})
        bores.append(
            {
                "length_km": round(length_km, 3),
                "portal_a": portals[0],
                "portal_b": portals[1],
                "grade_pct": round(100.0 * abs(z[i1] - z[i0]) / (1000.0 * length_km), 2) if length_km else 0.0,
                "start_km": round(k0, 3),
                "end_km": round(k1, 3),
                "replaces": [c["name"] or "an unnamed col" for c in closing if k0 <= c["km"] <= k1],
                "cost_usd": {e: round(length_km * costs["tunnel"][e], -5) for e in ("low", "high")},
                "all_season": True,
                "longer_than_any_road_tunnel": bool(length_km > LONGEST_ROAD_TUNNEL_KM),
            }
        )
    profile = Profile(p.distance_km, p.lon, p.lat, z_new, p.x, p.y)
    cost = dict((s.costs.cost_usd if s.costs else None) or {})
    if cost:
        cost = cost | {e: round(max(0.0, cost[e] - saved[e]) + added[e], -6) for e in ("low", "high")}
        replaced_km = round(sum(b["end_km"] - b["start_km"] for b in bores), 1)
        rows = [
            {
                "item": "tunnel (all-season)",
                "km": round(sum(b["length_km"] for b in bores), 1),
                "low": round(added["low"], -5),
                "high": round(added["high"], -5),
            },
            {
                "item": "road replaced by the all-season tunnels (credit)",
                "km": -replaced_km,
                "low": -round(saved["low"], -5),
                "high": -round(saved["high"], -5),
            },
        ]
        cost["breakdown"] = [*cost.get("breakdown", []), *(rows if bores else [])]
        cost["basis"] = cost.get("basis", "") + (
            "; all-season: the open road over each closing crossing replaced by a bore at the tunnel unit cost, "
            "the road it replaces credited at the mountain-road unit cost (altitude factor above 4,000 m)"
        )
    inside_any = inside_tunnels(d, bores)
    seg = np.diff(d)
    summary = s.with_fields(
        name=f"{s.name} (all-season: crossings closing > {count_noun(closure_months, 'month')} tunnelled)",
        tunnels=[*old_tunnels, *bores],
        cost_usd=cost,
        max_elevation_m=round(float(np.nanmax(z_new)), 1),
        mean_elevation_m=round(float(np.nansum(seg * 0.5 * (z_new[:-1] + z_new[1:])) / max(d[-1], 1e-9)), 1),
        # On the road as built: through a bore the road runs at the portals' height, not over the terrain.
        km_above_4000m=round(km_above(d, z_new, 4000.0), 3),
        km_above_m={str(t): round(km_above(d, z_new, float(t)), 3) for t in THRESHOLDS_M},
        passes=[
            q for q in (s.terrain.passes or []) if not inside_any[int(np.argmin(np.abs(d - (q.get("km") or 0.0))))]
        ],
        extra={
            **s.extra,
            "all_season": {
                "closure_months_limit": closure_months,
                "open_road_max_elevation_m": elevation_m,
                "tunnel_km": round(sum(b["length_km"] for b in bores), 3),
                "seasonal_route": key,
                "not_tunnelled": exempt,
                "rule": (
                    f"crossings above {crossing_min_m:,.0f} m predicted to close more than "
                    f"{count_noun(closure_months, 'month')} are replaced by a straight bore between the points where the road is at "
                    f"{elevation_m:,.0f} m on either side (the Salang tunnel's height, the highest road tunnel "
                    f"in the region kept open all year); not tunnelled: crossings on a section of existing road "
                    f"a public source says is kept open all year, and crests flagged as likely data artefacts"
                ),
            },
        },
    )
    return replace(route, summary=summary, profile=profile)
