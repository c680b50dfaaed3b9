"""report.md's section on the highway claim: the routes, their engineering, steep sections and passes.

The claim's tables hold numbers only; its reason is the verdict line under them. The
verdict table at the top of the report gives the one-line brief
(:func:`wakhan.report.briefs.verdict_brief`).
"""

from __future__ import annotations

from wakhan.claims.case_study import KARAKORAM_HIGHWAY, PUBLISHED_PASS_ELEVATIONS, WAKHAN_HIGHWAY
from wakhan.claims.evaluate import ClaimsResult
from wakhan.claims.highway_measures import HEADLINE_DESIGN_GRADE_PCT
from wakhan.places import whereabouts
from wakhan.report.cells import value_cell
from wakhan.report.citations import ARTICLE
from wakhan.route.bridges import CLEARANCE_M, MIN_CATCHMENT_KM2
from wakhan.route.stats import country_words

__all__ = ["highway_section"]


def highway_section(result: ClaimsResult) -> list[str]:
    """Markdown lines of the highway claim's section: heading, tables, steep sections, passes, verdict.

    Examples
    --------
    >>> from wakhan.claims.verdicts import Claim
    >>> c = Claim("highway", "s", "FALSE", None, "", "r", {})
    >>> result = type("R", (), {"claim": lambda self, k: c, "routes": {}})()
    >>> print("\\n".join(highway_section(result)))  # doctest: +ELLIPSIS
    ## 3. “...”
    <BLANKLINE>
    | route | length | ...
    |---|---:|---:|---:|---:|---:|---:|---|
    <BLANKLINE>
    **Verdict: FALSE.** r
    <BLANKLINE>
    """
    c3 = result.claim("highway")
    quotes = ARTICLE["quotes"]
    L = [
        f"## 3. \u201c{quotes['highway']}\u201d",
        "",
    ]
    L += _routes_md(c3)
    L += _engineering_md(c3, {k: r.summary.engineering for k, r in getattr(result, "routes", {}).items()})
    steep = c3.details.get("steep_km_by_design_grade_pct", {})
    if steep:
        L += [
            "",
            "Length of the Wakhan highway route steeper than a design grade over 1 km (switchbacks or tunnels needed):",
            "",
            "| design grade | length steeper |",
            "|---:|---:|",
        ]
        L += [f"| {float(g):g} % | {value_cell(v, 'km', 1)} |" for g, v in steep.items()]
    hw_eng = result.routes[WAKHAN_HIGHWAY].summary.engineering if WAKHAN_HIGHWAY in result.routes else None
    sections = (hw_eng.steep_sections if hw_eng else None) or []
    if sections:
        longest = sorted(sections, key=lambda x: -x["length_km"])[:8]
        L += [
            "",
            f"Sections of the Wakhan highway route steeper than {HEADLINE_DESIGN_GRADE_PCT:g} % over 1 km "
            f"({len(sections)} in all; the longest {len(longest)}):",
            "",
            "| from km | to km | length | steepest kilometre |",
            "|---:|---:|---:|---:|",
        ]
        L += [
            f"| {x['start_km']:,.1f} | {x['end_km']:,.1f} | {x['length_km']:,.1f} km | {x['max_grade_pct']:.1f} % |"
            for x in sorted(longest, key=lambda x: x["start_km"])
        ]
    L += _passes_md(c3.details.get("passes", []))
    L += ["", f"**Verdict: {c3.verdict}.** {c3.reason}", ""]
    return L


def _usd(cost: dict) -> str:
    """A cost range in billions of US dollars."""
    return f"US$ {cost['low'] / 1e9:,.1f}-{cost['high'] / 1e9:,.1f} bn"


def _tunnel_cell(tunnels) -> str:
    """The tunnels of a route for the engineering table: new bores and existing tunnels apart.

    An existing tunnel (the Salang) is passed through and rehabilitated, not built, so it is not
    counted with the new bores that the verdict quotes (as ``wakhan compare`` splits them too).

    >>> _tunnel_cell([{"length_km": 2.67, "existing": "Salang Tunnel"}, {"length_km": 175.8}, {"length_km": 7.0}])
    '2 new, 182.8 km; existing Salang Tunnel 2.7 km'
    >>> _tunnel_cell([{"length_km": 2.67, "existing": "Salang Tunnel"}]), _tunnel_cell([])
    ('existing Salang Tunnel 2.7 km', 'none')
    """
    new = [t for t in tunnels if not t.get("existing")]
    cells = [f"{len(new)} new, {sum(t['length_km'] for t in new):,.1f} km"] if new else []
    cells += [f"existing {t['existing']} {t['length_km']:,.1f} km" for t in tunnels if t.get("existing")]
    return "; ".join(cells) or "none"


def _closure_words(c: dict) -> str:
    """A crossing's winter in the report: the closure rule's months, or the road kept open all year.

    >>> _closure_words({"closed_months": 4.9}), _closure_words({})
    ('; shut about 4.9 months a year', '')
    >>> _closure_words({"closed_months": 0.0, "rule_closed_months": 4.1, "closure_reason": "kept open all year: G314 A - B (s)"})
    '; kept open all year: G314 A - B, where the closure rule alone gives 4.1 months'
    """
    if c.get("closure_reason"):
        rule = (
            f", where the closure rule alone gives {c['rule_closed_months']:.1f} months"
            if "rule_closed_months" in c
            else ""
        )
        return f"; {c['closure_reason'].split(' (')[0]}{rule}"
    return f"; shut about {c['closed_months']:.1f} months a year" if "closed_months" in c else ""


def _routes_md(c3) -> list[str]:
    """The highway claim's routes: length, heights, the terrain's steepest kilometre, climb, countries.

    The grade column is the ground's, under the route's centre line: a highway route
    climbs it by switchbacks (or passes under it in a tunnel), so the table says so
    and gives the built road's steepest grade, which stays at the design grade.

    >>> row = {"name": "r", "length_km": 100.0, "max_elevation_m": 4859.4, "mean_elevation_m": 2000.0,
    ...        "km_above_4000m": 10.0, "max_grade_pct": 24.29, "climb_m": 3000.0, "countries_km": {"AF": 100.0},
    ...        "design_grade_pct": 7.0, "max_built_grade_pct": 7.0}
    >>> print("\\n".join(_routes_md(type("C", (), {"details": {"routes": {"r": row}}})())))
    | route | length | highest point | mean elevation | km above 4,000 m | steepest terrain along the line (1 km) | climb | countries (km) |
    |---|---:|---:|---:|---:|---:|---:|---|
    | r | 100 km | 4,859 m | 2,000 m | 10 km | 24.3 % | 3,000 m | AF 100 |
    <BLANKLINE>
    *Steepest terrain along the line*: the ground's grade over 1 km under the route's centre line, not the road's; switchbacks and tunnels hold the built road to its design grade (steepest built grade 7.0 %).
    """
    routes = c3.details.get("routes", {})
    L = [
        "| route | length | highest point | mean elevation | km above 4,000 m | steepest terrain along the line (1 km) "
        "| climb | countries (km) |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for s in routes.values():
        countries = ", ".join(f"{country_words(k)} {v:,.0f}" for k, v in (s.get("countries_km") or {}).items())
        L.append(
            f"| {s['name']} | {value_cell(s['length_km'], 'km')} | {value_cell(s['max_elevation_m'], 'm')} | "
            f"{value_cell(s['mean_elevation_m'], 'm')} | {value_cell(s['km_above_4000m'], 'km')} | "
            f"{value_cell(s['max_grade_pct'], '%', 1)} | {value_cell(s['climb_m'], 'm')} | {countries} |"
        )
    built = [s["max_built_grade_pct"] for s in routes.values() if s.get("max_built_grade_pct") is not None]
    if built:
        L += [
            "",
            "*Steepest terrain along the line*: the ground's grade over 1 km under the route's centre line, "
            "not the road's; switchbacks and tunnels hold the built road to its design grade (steepest built "
            f"grade {max(built):.1f} %).",
        ]
    return L


def _passes_md(passes: list[dict]) -> list[str]:
    """The Wakhan highway's high points: the grid's height beside the published one where there is one.

    >>> print("\\n".join(_passes_md([{"name": "Wakhjir Pass", "elevation_m": 4859.4, "km": 421.2},
    ...                              {"name": None, "elevation_m": 4066.1, "km": 197.6}])))
    <BLANKLINE>
    High points of the Wakhan highway route (elevation on the solver's grid, which lowers a narrow crest; published heights: Wikipedia 'Wakhjir Pass' (Sino-Afghan boundary treaty of 1963), 'Khunjerab Pass', 'Salang Pass'):
    <BLANKLINE>
    | pass | elevation (grid) | published | km | where |
    |---|---:|---:|---:|---|
    | Wakhjir Pass | 4,859 m | 4,923 m | 421 | - |
    | unnamed | 4,066 m | - | 198 | - |
    """
    if not passes:
        return []
    L = [
        "",
        "High points of the Wakhan highway route (elevation on the solver's grid, which lowers a narrow crest; "
        "published heights: Wikipedia 'Wakhjir Pass' (Sino-Afghan boundary treaty of 1963), 'Khunjerab Pass', "
        "'Salang Pass'):",
        "",
        "| pass | elevation (grid) | published | km | where |",
        "|---|---:|---:|---:|---|",
    ]
    for p in passes:
        published = PUBLISHED_PASS_ELEVATIONS.get(p.get("name") or "", (None, ""))[0]
        L.append(
            f"| {p.get('name') or 'unnamed'} | {value_cell(p['elevation_m'], 'm')} | {value_cell(published, 'm')} | "
            f"{p['km']:,.0f} | {_where(p)} |"
        )
    return L


def _lat_lon(p: dict) -> str:
    """A point's WGS84 position as the rest of the report writes it.

    >>> _lat_lon({"lat": 38.269731, "lon": 74.916297})
    '38.270°N 74.916°E'
    """
    return f"{p['lat']:.3f}\u00b0N {p['lon']:.3f}\u00b0E"


def _where(p: dict) -> str:
    """Where a high point lies: its coordinates and, when the gazetteer has no name for it, its distance
    and direction from the nearest named place (a reader can then find an unnamed col on a map).

    >>> _where({"name": None, "lat": 38.269731, "lon": 74.916297})
    '38.270°N 74.916°E, 61 km NW of Tashkurgan'
    >>> _where({"name": "Wakhjir Pass", "lat": 37.096054, "lon": 74.484096}), _where({"name": None})
    ('37.096°N 74.484°E', '-')
    """
    if p.get("lat") is None or p.get("lon") is None:
        return "-"
    if p.get("name"):
        return _lat_lon(p)
    return f"{_lat_lon(p)}, {whereabouts(p['lon'], p['lat'], n=1)}"


def _bridges_cell(bridges) -> str:
    """A route's bridges for the engineering table: how many and their total length.

    >>> _bridges_cell([{"length_m": 20.0}, {"length_m": 450.0}, {"length_m": 1030.0}])
    '3 (1.5 km)'
    >>> _bridges_cell([]), _bridges_cell(None)
    ('none', '-')
    """
    if bridges is None:
        return "-"
    if not bridges:
        return "none"
    return f"{len(bridges):,} ({sum(b['length_m'] for b in bridges) / 1000:,.1f} km)"


def _earthworks_cell(m3) -> str:
    """A route's bench cut for the engineering table, in million cubic metres.

    >>> _earthworks_cell(3268800.0), _earthworks_cell(None)
    ('3.3 M m³', '-')
    """
    return "-" if m3 is None else f"{m3 / 1e6:,.1f} M m\u00b3"


def _engineering_md(c3, engineering: dict | None = None) -> list[str]:
    """The highway routes as a road engineer reads them: design grade, built length, switchbacks, tunnels,
    bridges, earthworks, cost; the rules.

    ``engineering`` maps a route's key to its summary's engineering (bridges and earthworks, which the
    claim's own route rows do not carry); a route without one gets '-' there.

    >>> row = {"name": "r", "design_grade_pct": 7.0, "built_length_km": 1375.8, "switchback_km": 94.8,
    ...        "hairpins": 236, "tunnels": [], "cost_usd": {"low": 1.333e9, "high": 3.692e9}}
    >>> eng = type("E", (), {"bridges": [{"length_m": 20.0}, {"length_m": 480.0}], "earthworks_m3": 3.27e6})()
    >>> print("\\n".join(_engineering_md(type("C", (), {"details": {"routes": {"w": row}}})(), {"w": eng})[:4]))
    <BLANKLINE>
    | route | design grade | built length | switchbacks (route km) | hairpins | tunnels | bridges (total length) | earthworks (bench cut) | construction cost |
    |---|---|---|---|---|---|---|---|---|
    | r | 7 % | 1,376 km | 95 km | 236 | none | 2 (0.5 km) | 3.3 M m³ | US$ 1.3-3.7 bn |
    """
    routes = c3.details.get("routes", {})
    if not any(s.get("design_grade_pct") for s in routes.values()):
        return []
    engineering = engineering or {}
    L = [
        "",
        "| route | design grade | built length | switchbacks (route km) | hairpins | tunnels | "
        "bridges (total length) | earthworks (bench cut) | construction cost |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for key, s in routes.items():
        tunnels = s.get("tunnels") or []
        tun = _tunnel_cell(tunnels)
        cost = s.get("cost_usd")
        usd = _usd(cost) if cost else "-"
        eng = engineering.get(key)
        bridges = getattr(eng, "bridges", None)
        m3 = getattr(eng, "earthworks_m3", None)
        L.append(
            f"| {s['name']} | {value_cell(s.get('design_grade_pct'), '%', 0)} | "
            f"{value_cell(s.get('built_length_km'), 'km')} | {value_cell(s.get('switchback_km'), 'km')} | "
            f"{value_cell(s.get('hairpins'))} | {tun} | {_bridges_cell(bridges if isinstance(bridges, list) else None)} | "
            f"{_earthworks_cell(m3 if isinstance(m3, (int, float)) else None)} | {usd} |"
        )
    cross = c3.details.get("crossings", [])
    if cross:
        L += [
            "",
            "Crossings above 4,000 m on the Wakhan highway route: "
            + "; ".join(
                f"{c['name'] or 'unnamed col'} {value_cell(c['elevation_m'], 'm')} ({_where(c)}"
                + _closure_words(c)
                + ")"
                for c in cross
            )
            + ".",
        ]
    sens = {g: row for g, row in c3.details.get("design_grade_sensitivity", {}).items() if "error" not in row}
    if sens:
        L += [
            "",
            "| design grade | Wakhan route | switchbacks | tunnels | cost | Karakoram Highway cost | "
            "cost per km, Wakhan / KKH |",
            "|---|---|---|---|---|---|---|",
        ]
        for g, row in sens.items():
            w, k = row[WAKHAN_HIGHWAY], row[KARAKORAM_HIGHWAY]
            L.append(
                f"| {g} % | {value_cell(w['length_km'], 'km')} | {value_cell(w['switchback_km'], 'km')} | "
                f"{value_cell(w['tunnel_km'], 'km', 1) if w['tunnel_km'] else 'none'} | {_usd(w['cost_usd'])} | {_usd(k['cost_usd'])} | "
                f"{row['cost_per_km_ratio']:.2f} |"
            )
    roadless = c3.details.get("roadless_in_afghanistan", [])
    if roadless:
        L += [
            "",
            f"Where the least-cost line is roadless (in Afghanistan, more than {roadless[0]['away_km']:g} km "
            "from the existing road modelled through its towns): "
            + "; ".join(
                f"km {r['start_km']:,.0f}-{r['end_km']:,.0f} (up to {value_cell(r['max_elevation_m'], 'm')})"
                for r in roadless
            )
            + ".",
        ]
    L += [
        "",
        f"Bridges: one over every stream the route crosses that drains {MIN_CATCHMENT_KM2:g} km\u00b2 or more "
        f"(smaller ones: culverts, priced with the road), as long as the valley is wide {CLEARANCE_M:g} m above "
        "its bed. Earthworks: the cut of a full-bench road across the side slope, at the formation width "
        "listed under Method and definitions (formation_width_m).",
        "",
        "Costs: data/unit_costs.csv (published projects in the region; estimates marked as such), "
        "switchbacks priced per km built, tunnels per km, a factor above 4,000 m.",
        "",
        f"Verdict rules: {c3.details.get('rules', '')}.",
    ]
    return L
