"""Operability of the highway routes: winter closure of their crossings, avalanche exposure, the winter verdict.

* :func:`crossing_closures`: each crossing above :data:`CROSSING_MIN_M` gains
  ``closed_months`` from the closure rule fitted to dated pass closures
  (:func:`wakhan.claims.closure.closure_rule`), or 0 with ``closure_reason`` on a section of
  existing road a public source says is kept open all year (:mod:`wakhan.claims.kept_open`).
* :func:`route_avalanche`: ``avalanche_exposed_km`` of a route
  (:func:`wakhan.claims.avalanche.avalanche_exposure`), tunnels excluded.
* :func:`winter_verdict`: the highway verdict's winter sentence, which compares the crossings'
  closures and reads the all-season variant (:func:`wakhan.claims.all_season.all_season_route`:
  every crossing that would close longer than a limit tunnelled).
"""

from __future__ import annotations

from wakhan.claims.all_season import ALL_SEASON_ELEVATION_M, LONGEST_ROAD_TUNNEL_KM, inside_tunnels
from wakhan.claims.avalanche import DEFAULT_ALPHA_DEG, avalanche_exposure
from wakhan.claims.case_study import KARAKORAM_HIGHWAY, WAKHAN_HIGHWAY
from wakhan.claims.closure import closure_rule
from wakhan.claims.kept_open import bundled_open_sections, exempt_text, kept_open
from wakhan.claims.verdicts import count_noun, usd_range_bn
from wakhan.route.result import RouteResult
from wakhan.route.summary import Engineering, RouteSummary

__all__ = [
    "CROSSING_MIN_M",
    "crossing_closures",
    "route_avalanche",
    "winter_rule_text",
    "winter_verdict",
]

#: Crossings (passes of the route, prominence >= 300 m along it) above this height get a closure
#: estimate, and the highway verdict names them (:func:`wakhan.claims.highway.crossings`).
CROSSING_MIN_M = 4000.0


def crossing_closures(crossings: list[dict], rule=None, open_sections=None) -> list[dict]:
    """``crossings`` (``elevation_m``, ``lat``) with ``closed_months`` from the closure rule (one decimal).

    A crossing (with ``lon``) on a section of ``open_sections`` (default: the bundled roads'
    sections kept open all year) gets ``closed_months`` 0 and its ``closure_reason`` instead.

    Examples
    --------
    >>> from wakhan.claims.closure import ClosureRule
    >>> rule = ClosureRule(4.0, 1.0, 0.0, (), (), 0.0, 0.0, 0.0)
    >>> crossing_closures([{"name": "col", "elevation_m": 4500.0, "lat": 37.0}], rule)[0]["closed_months"]
    4.5
    >>> col = {"name": None, "elevation_m": 4066.1, "lat": 38.2697, "lon": 74.9163}  # on the G314 near Karakul
    >>> crossing_closures([col], rule)[0]["closure_reason"][:45]
    'kept open all year: G314 Kashgar - Tashkurgan'
    """
    rule = rule or closure_rule()
    sections = bundled_open_sections() if open_sections is None else open_sections
    return [
        kept_open(c | {"closed_months": round(float(rule.months(c["elevation_m"], c["lat"])), 1)}, sections)
        for c in crossings
    ]


def route_avalanche(route: RouteResult, alpha_deg: float = DEFAULT_ALPHA_DEG) -> dict:
    """Avalanche exposure of ``route`` on its own DEM, the inside of its tunnels excluded.

    Examples
    --------
    The road at the foot of a 40-degree slope of :func:`wakhan.claims.avalanche.avalanche_exposure`'s
    example is exposed for 1.9 km; in a tunnel over its first 1.05 km, only from km 1.1 on:

    >>> import math
    >>> import numpy as np
    >>> from affine import Affine
    >>> from wakhan.grid import Grid
    >>> from wakhan.route.profile import Profile
    >>> cols = np.arange(60) * 100.0
    >>> z = np.clip((1200.0 - cols) * math.tan(math.radians(40.0)), 0.0, 1000.0)
    >>> dem = Grid(np.tile(z, (40, 1)).astype(np.float32), Affine(100.0, 0, 0, 0, -100.0, 4000.0), "EPSG:32643")
    >>> y = 4000.0 - 50.0 - 100.0 * np.arange(10, 30)
    >>> p = Profile(np.abs(y - y[0]) / 1000.0, y * 0, y * 0, np.zeros(20), np.full(20, 1250.0), y)
    >>> bore = {"start_km": -1.0, "end_km": 1.05, "length_km": 2.05}
    >>> open_road, tunnelled = (RouteResult({"name": "foot", "tunnels": t}, p, dem) for t in ([], [bore]))
    >>> [(a["avalanche_exposed_km"], a["exposed_sections"]) for a in map(route_avalanche, (open_road, tunnelled))]
    [(1.9, [{'start_km': 0.0, 'end_km': 1.9}]), (0.8, [{'start_km': 1.1, 'end_km': 1.9}])]
    """
    p, dem = route.profile, route.dem
    if dem is None:
        raise ValueError("route_avalanche needs the DEM the route was planned on (RouteResult.dem)")
    eng = route.summary.engineering
    skip = inside_tunnels(p.distance_km, (eng.tunnels if eng else None) or [])
    out = avalanche_exposure(p, dem, alpha_deg=alpha_deg, skip=skip)
    out["grid"] = dem.describe_resolution()
    return out


def _bores_text(bores: list[dict]) -> str:
    """The all-season bores one by one: length and the crossing each replaces; how many are longer than
    any road tunnel built.

    Examples
    --------
    >>> bores = [{"length_km": 54.3, "replaces": ["an unnamed col"]}, {"length_km": 175.8, "replaces": ["Wakhjir Pass"]}]
    >>> _bores_text(bores)
    "54 km under an unnamed col, 176 km under the Wakhjir Pass; 2 of them are longer than any road tunnel built, Laerdal's 24.5 km"
    >>> _bores_text([{"length_km": 20.0, "replaces": ["col"]}]), _bores_text([{"length_km": 30.0}])
    ('20 km under the col', "30 km under a crest; it is longer than any road tunnel built, Laerdal's 24.5 km")
    """
    parts = []
    for b in bores:
        names = [n if n.startswith("an ") else f"the {n}" for n in b.get("replaces") or []] or ["a crest"]
        parts.append(f"{b['length_km']:,.0f} km under {' and '.join(names)}")
    text = ", ".join(parts)
    too_long = [b for b in bores if b["length_km"] > LONGEST_ROAD_TUNNEL_KM]
    if too_long:
        n = "it is" if len(bores) == 1 else f"{len(too_long)} of them {'is' if len(too_long) == 1 else 'are'}"
        text += f"; {n} longer than any road tunnel built, Laerdal's {LONGEST_ROAD_TUNNEL_KM:g} km"
    return text


def winter_rule_text() -> str:
    """The winter part of the highway claim's rules.

    Examples
    --------
    >>> winter_rule_text()[:69]
    'winter: each crossing above 4,000 m gets a closure season from a rule'
    """
    rule = closure_rule()
    return (
        "winter: each crossing above 4,000 m gets a closure season from a rule fitted to dated pass closures "
        f"({rule.describe()}); depends (on winter) when the Wakhan route's longest-closing crossing would close "
        f"longer than the Karakoram Highway's by the same rule, by more than the rule's held-back mean error "
        f"({rule.check_mae_months:.1f} months); an all-season variant replaces every crossing closing more than "
        f"the stated number of months by a tunnel, and both costs are stated"
    )


def _worst(crossings: list[dict]) -> dict | None:
    return max(crossings, key=lambda c: c["closed_months"]) if crossings else None


def winter_verdict(
    winter: dict, wakhan_crossings, kkh_crossings, wakhan: RouteSummary, summaries: dict[str, RouteSummary]
) -> tuple[str, bool]:
    """The verdict's winter sentence, and whether winter makes the claim depend.

    ``wakhan_crossings`` / ``kkh_crossings``: crossings with ``closed_months``;
    ``wakhan``: the seasonal Wakhan route's summary; ``summaries``: every route's,
    with the all-season route under ``winter["all_season_route"]``. The crossings the
    all-season route leaves untunnelled are named with the reason (:func:`exempt_text`).

    Examples
    --------
    A Wakhan crossing shut six months against the Karakoram Highway's one: winter makes the claim depend.

    >>> wakhan = [{"name": "Wakhjir Pass", "elevation_m": 4900.0, "closed_months": 6.0}]
    >>> kkh = [{"name": "Khunjerab Pass", "elevation_m": 4700.0, "closed_months": 1.0}]
    >>> text, depends = winter_verdict({}, wakhan, kkh, RouteSummary.from_dict({"name": "w"}), {})
    >>> depends, text.split(", so ")[-1]
    (True, 'it would close longer than the existing road')
    """
    rule = closure_rule()
    w, k = _worst(wakhan_crossings), _worst(kkh_crossings)
    parts = []
    depends = False
    if w:
        name = f"{w['name'] or 'an unnamed col'} ({w['elevation_m']:,.0f} m)"
        if w["closed_months"] == 0.0 and w.get("closure_reason"):  # every crossing on road kept open all year
            parts.append(
                f"in winter none of its crossings closes: the highest, {name}, lies on road "
                f"{w['closure_reason'].split(' (')[0]} (the closure rule fitted to dated pass closures alone "
                f"gives {w.get('rule_closed_months', 0.0):.1f} months)"
            )
        else:
            parts.append(
                f"in winter its longest-closing crossing, {name}, would be shut about {w['closed_months']:.1f} "
                f"months a year by a rule fitted to dated pass closures (error {rule.check_mae_months:.1f} months "
                f"on passes held back)"
            )
        if k:
            depends = w["closed_months"] > k["closed_months"] + rule.check_mae_months
            shorter = w["closed_months"] < k["closed_months"] - rule.check_mae_months
            parts[-1] += (
                f", against {k['closed_months']:.1f} months by the same rule for the Karakoram Highway's "
                f"{k['name'] or 'highest col'} ({k['elevation_m']:,.0f} m; the Khunjerab is shut 1 December-1 April "
                f"by treaty), so it would close "
                + (
                    "longer than the existing road"
                    if depends
                    else "for less time than the existing road"
                    if shorter
                    else "about as long as the existing road"
                )
            )
    av = {key: (s.extra or {}).get("avalanche_exposed_km") for key, s in summaries.items()}
    if av.get(WAKHAN_HIGHWAY) is not None:
        parts.append(
            f"{av[WAKHAN_HIGHWAY]:,.0f} km of it lie in the runout of avalanche release terrain "
            f"(Karakoram Highway: {av.get(KARAKORAM_HIGHWAY) or 0:,.0f} km; alpha-angle method on the 464 m grid, "
            "which smooths slopes)"
        )
    all_season_key = winter.get("all_season_route")
    a = summaries.get(all_season_key) if all_season_key else None
    if a is not None:
        bores = [t for t in (a.engineering or Engineering()).tunnels or [] if t.get("all_season")]
        km = sum(t["length_km"] for t in bores)
        text = (
            f"the seasonal road costs {usd_range_bn((wakhan.costs.cost_usd if wakhan.costs else None) or None)}; the all-season road, every crossing closing "
            f"more than {count_noun(winter['closure_months_limit'], 'month')} replaced by a tunnel with no open road "
            f"above {ALL_SEASON_ELEVATION_M:,.0f} m around it, needs {count_noun(len(bores), 'tunnel')}, "
            f"{km:,.0f} km in all"
        )
        if bores:
            text += f" ({_bores_text(bores)})"
        existing = [t for t in (a.engineering or Engineering()).tunnels or [] if t.get("existing")]
        if existing:  # passed through, not built: the report's table counts them apart too
            text += ", besides the existing " + ", ".join(
                f"{t['existing']} ({t['length_km']:,.1f} km, rehabilitated)" for t in existing
            )
        exempt = exempt_text((a.extra or {}).get("all_season", {}).get("not_tunnelled") or [])
        text += f"; {exempt};" if exempt else ","
        text += f" highest point {a.terrain.max_elevation_m:,.0f} m, and costs {usd_range_bn((a.costs.cost_usd if a.costs else None) or None)}"
        parts.append(text)
    return "; ".join(parts), depends
