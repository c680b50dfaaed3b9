"""report.md: the verdicts, the tables behind each claim, figures, method and sources, in Markdown."""

from __future__ import annotations

from wakhan.claims.case_study import KARAKORAM_HIGHWAY, ON_FOOT, PUBLISHED_PASS_ELEVATIONS, WAKHAN_HIGHWAY
from wakhan.claims.evaluate import ClaimsResult
from wakhan.claims.highway import HEADLINE_DESIGN_GRADE_PCT
from wakhan.cost.walking import TREK_TERRAIN_FACTOR, TREK_TERRAIN_FACTOR_ALTITUDE
from wakhan.places import gazetteer_name
from wakhan.report.briefs import verdict_brief
from wakhan.report.citations import ARTICLE, article_citation, cited_datasets
from wakhan.report.coarse import coarse_data_section, settlement_evidence_md
from wakhan.report.document import how_to_cite, parameters
from wakhan.route.stats import country_words

__all__ = ["report_markdown", "walking_realism_markdown", "blindness_markdown"]


def _usd(cost: dict) -> str:
    """A cost range in billions of US dollars."""
    return f"US$ {cost['low'] / 1e9:,.1f}-{cost['high'] / 1e9:,.1f} bn"


def _fmt(v, unit="", digits=0) -> str:
    if v is None:
        return "-"
    return f"{v:,.{digits}f}{(' ' + unit) if unit else ''}"


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


def _gap_rows_md(rows) -> list[str]:
    out = [
        "| source | buffer | longest gap | from (nearest settlement) | to (nearest settlement) | note |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        note = []
        if r.get("coverage_limited"):
            note.append(
                f"runs through {', '.join(r['uncovered_countries'])}, which this source does not cover: not counted"
            )
        if r.get("open_start"):
            note.append("open at the route's start")
        if r.get("open_end"):
            note.append("runs on to the route's end")
        out.append(
            f"| {r['source']} | {r['buffer_km']:g} km | {r['length_km']:,.1f} km "
            f"(km {r['start_km']:,.0f}-{r['end_km']:,.0f}) | {gazetteer_name(r.get('start_neighbour'))} | "
            f"{gazetteer_name(r.get('end_neighbour'))} | {'; '.join(note)} |"
        )
    return out


def _short_definition(d: dict) -> str:
    return f"{d['country']} east of {d['east_of_lon']:.2f}°E, north of {d['north_of_lat']:.2f}°N"


def report_markdown(result: ClaimsResult, figures: dict, command: str = "wakhan claims") -> str:
    """The report as Markdown; ``figures`` maps a caption to a file name beside the report.

    Each verdict's reason appears once, under its claim (the verdict table gives its one-line
    brief, :func:`wakhan.report.briefs.verdict_brief`); other tables hold numbers only;
    the article and every dataset are cited; no local path is printed.
    """
    c1, c2, c3 = (result.claim(k) for k in ("altitude", "depopulated", "highway"))
    quotes = ARTICLE["quotes"]
    L = [
        "# The Wakhan Corridor claims, tested with data",
        "",
        f"This report tests three statements about the Wakhan Corridor in {article_citation()} "
        "It uses public elevation, border and settlement data and a least-cost route solver; the data "
        "sources are cited at the end, and re-running the command below with other data checks every number.",
        "",
        f"**How to cite this report:** {how_to_cite(result, command)}",
        "",
        "## Verdicts",
        "",
        "| claim (quoted from the article) | verdict | measured value | why, in one line |",
        "|---|---|---|---|",
    ]
    for c in result.claims:
        q = quotes.get(c.id, c.statement)
        L.append(f"| \u201c{q}\u201d | **{c.verdict}** | {_fmt(c.value, c.unit)} | {verdict_brief(c)} |")

    L += [
        "",
        f"## 1. \u201c{quotes['altitude']}\u201d",
        "",
        "Two readings: the area average (every square kilometre counts, peaks and glaciers included) and the "
        "length-weighted average along the routes people would actually travel. The corridor definitions:",
        "",
    ]
    for d in result.definitions["corridor"]:
        L.append(f"- **{d['key']}**: {d['definition']}.")
    L += [
        "",
        "| corridor | definition | area | mean | median | above 4,000 m | highway route mean | on-foot route mean |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for d in result.definitions["corridor"]:
        a = c1.details["area"][d["key"]]
        rs = c1.details["routes"].get(d["key"], {})
        hw = (rs.get(WAKHAN_HIGHWAY) or {}).get("mean_elevation_m")
        ft = (rs.get(ON_FOOT) or {}).get("mean_elevation_m")
        L.append(
            f"| {d['key']} | {_short_definition(d)} | {_fmt(a['area_km2'], 'km²')} | {_fmt(a['mean_m'], 'm')} | "
            f"{_fmt(a['median_m'], 'm')} | {a['share_above_m']['4000'] * 100:.0f} % | {_fmt(hw, 'm')} | "
            f"{_fmt(ft, 'm')} |"
        )
    other = c1.details.get("area_other_dem")
    if other:
        L += [
            "",
            "The same areas on an independent, coarser grid (" + next(iter(other.values()))["data"] + "):",
            "",
            "| corridor | mean | above 4,000 m |",
            "|---|---:|---:|",
        ]
        L += [
            f"| {k} | {_fmt(v['mean_m'], 'm')} | {v['share_above_m']['4000'] * 100:.0f} % |" for k, v in other.items()
        ]
    L += ["", f"**Verdict: {c1.verdict}.** {c1.reason}", ""]

    L += [
        f"## 2. \u201c{quotes['depopulated']}\u201d",
        "",
        f"A depopulated stretch is {result.definitions['depopulated']}. Settlement sources:",
        "",
    ]
    for s in result.settlements:
        L.append(f"- **{s['name']}** ({s['count']:,} points): {s['coverage']}")
    inf = result.infiltration
    L += [
        "",
        f"On foot (Tobler's hiking function at {TREK_TERRAIN_FACTOR:g} of its speed, calibrated on published "
        f"treks in benchmarks/walking.md; {result.definitions['walking_day_hours']:g} h of walking a day), "
        f"the least-time route from Sarhad-e Broghil reaches the first Chinese settlement ({inf['arrival']}):",
        "",
        "| distance | walking time | days | highest point |",
        "|---:|---:|---:|---:|",
        f"| {_fmt(inf['length_km'], 'km')} | {_fmt(inf['walking_hours'], 'h', 1)} | "
        f"{_fmt(inf['walking_days'], '', 1)} | {_fmt(inf['max_elevation_m'], 'm')} |",
        "",
    ]
    titles = {ON_FOOT: "On foot, Sarhad-e Broghil to China", WAKHAN_HIGHWAY: "Highway, Kashgar to Kabul via Wakhjir"}
    for key, rows in c2.details["gaps"].items():
        L += [f"### {titles.get(key, key)} ({_fmt(c2.details['route_lengths_km'][key], 'km')})", ""]
        L += _gap_rows_md(rows) + [""]
    L += settlement_evidence_md(c2.details)
    L += [f"**Verdict: {c2.verdict}.** {c2.reason}", ""]

    L += [
        f"## 3. \u201c{quotes['highway']}\u201d",
        "",
    ]
    L += _routes_md(c3)
    L += _engineering_md(c3)
    steep = c3.details.get("steep_km_by_design_grade_pct", {})
    if steep:
        L += [
            "",
            "Length of the Wakhan highway route steeper than a design grade over 1 km (switchbacks or tunnels needed):",
            "",
            "| design grade | length steeper |",
            "|---:|---:|",
        ]
        L += [f"| {float(g):g} % | {_fmt(v, 'km', 1)} |" for g, v in steep.items()]
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

    if figures:
        L += ["## Figures", ""]
        for caption, name in figures.items():
            L += [f"![{caption}]({name})", "", f"*{caption}*", ""]

    L += ["## Method and definitions", "", "| parameter | value |", "|---|---|"]
    L += [f"| {k} | {v} |" for k, v in parameters(result)]
    L.append("")
    for key in ("highway_model", "walking_model"):  # long parameter lists: prose, not table cells
        if result.definitions.get(key):
            L.append(f"- **{key.replace('_', ' ').capitalize()}**: {result.definitions[key]}.")
    L.append("")
    for r in result.routes.values():
        grid = r.summary.provenance.grid or {}
        notes = list(r.summary.provenance.notes or [])
        if grid:
            notes.append(f"grid {grid.get('resolution')} in {grid.get('crs')}")
        if notes:
            L.append(f"- **{r.summary.name}**: " + "; ".join(notes) + ".")
    L += ["", *coarse_data_section(result.routes)]
    L += [
        "",
        "## Sources",
        "",
        f"- Article: {article_citation()}"
        + (
            ""
            if ARTICLE.get("outlet")
            else " (The outlet that published it is not named here: it could not be "
            "established from the sources this report was built with.)"
        ),
    ]
    for ds in cited_datasets(result.data_sources):
        L.append(f"- Data: {ds.citation()}")
    used = "; ".join(f"{d['name']} ({d.get('resolution') or '-'})" for d in result.data_sources)
    L += [
        "",
        f"Datasets as used, with their resolution: {used}. Bundled copies and their checksums: `wakhan pack info`.",
        "",
    ]
    return "\n".join(L)


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
            f"| {s['name']} | {_fmt(s['length_km'], 'km')} | {_fmt(s['max_elevation_m'], 'm')} | "
            f"{_fmt(s['mean_elevation_m'], 'm')} | {_fmt(s['km_above_4000m'], 'km')} | "
            f"{_fmt(s['max_grade_pct'], '%', 1)} | {_fmt(s['climb_m'], 'm')} | {countries} |"
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
    | pass | elevation (grid) | published | km |
    |---|---:|---:|---:|
    | Wakhjir Pass | 4,859 m | 4,923 m | 421 |
    | unnamed | 4,066 m | - | 198 |
    """
    if not passes:
        return []
    L = [
        "",
        "High points of the Wakhan highway route (elevation on the solver's grid, which lowers a narrow crest; "
        "published heights: Wikipedia 'Wakhjir Pass' (Sino-Afghan boundary treaty of 1963), 'Khunjerab Pass', "
        "'Salang Pass'):",
        "",
        "| pass | elevation (grid) | published | km |",
        "|---|---:|---:|---:|",
    ]
    for p in passes:
        published = PUBLISHED_PASS_ELEVATIONS.get(p.get("name") or "", (None, ""))[0]
        L.append(
            f"| {p.get('name') or 'unnamed'} | {_fmt(p['elevation_m'], 'm')} | {_fmt(published, 'm')} | "
            f"{p['km']:,.0f} |"
        )
    return L


def _engineering_md(c3) -> list[str]:
    """The highway routes as a road engineer reads them: design grade, switchbacks, tunnels, cost; the rules."""
    routes = c3.details.get("routes", {})
    if not any(s.get("design_grade_pct") for s in routes.values()):
        return []
    L = [
        "",
        "| route | design grade | built length | switchbacks (route km) | hairpins | tunnels | construction cost |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in routes.values():
        tunnels = s.get("tunnels") or []
        tun = _tunnel_cell(tunnels)
        cost = s.get("cost_usd")
        usd = _usd(cost) if cost else "-"
        L.append(
            f"| {s['name']} | {_fmt(s.get('design_grade_pct'), '%', 0)} | {_fmt(s.get('built_length_km'), 'km')} | "
            f"{_fmt(s.get('switchback_km'), 'km')} | {_fmt(s.get('hairpins'))} | {tun} | {usd} |"
        )
    cross = c3.details.get("crossings", [])
    if cross:
        L += [
            "",
            "Crossings above 4,000 m on the Wakhan highway route: "
            + "; ".join(
                f"{c['name'] or 'unnamed col'} {_fmt(c['elevation_m'], 'm')} ({c['lat']:.3f} N, {c['lon']:.3f} E"
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
                f"| {g} % | {_fmt(w['length_km'], 'km')} | {_fmt(w['switchback_km'], 'km')} | "
                f"{_fmt(w['tunnel_km'], 'km', 1)} | {_usd(w['cost_usd'])} | {_usd(k['cost_usd'])} | "
                f"{row['cost_per_km_ratio']:.2f} |"
            )
    roadless = c3.details.get("roadless_in_afghanistan", [])
    if roadless:
        L += [
            "",
            f"Where the least-cost line is roadless (in Afghanistan, more than {roadless[0]['away_km']:g} km "
            "from the existing road modelled through its towns): "
            + "; ".join(
                f"km {r['start_km']:,.0f}-{r['end_km']:,.0f} (up to {_fmt(r['max_elevation_m'], 'm')})"
                for r in roadless
            )
            + ".",
        ]
    L += [
        "",
        "Costs: data/unit_costs.csv (published projects in the region; estimates marked as such), "
        "switchbacks priced per km built, tunnels per km, a factor above 4,000 m.",
        "",
        f"Verdict rules: {c3.details.get('rules', '')}.",
    ]
    return L


def walking_realism_markdown(inf: dict) -> str:
    """Report section: the walk with Tobler's function alone and with the altitude term and daily limits."""
    alt = inf.get("with_altitude")
    if not alt or inf.get("walking_days_limited") is None:
        return ""
    rows = [("Tobler's hiking function", inf), ("with the altitude term", alt)]
    lines = [
        "",
        "## Walking days: altitude and daily limits",
        "",
        f"Both rows walk at a speed factor fitted on published trek times ({TREK_TERRAIN_FACTOR:g} without the "
        f"altitude term, {TREK_TERRAIN_FACTOR_ALTITUDE:g} with it; benchmarks/walking.md). "
        "Tobler's function ignores altitude. With the altitude term the walking speed falls 7.6 % per 1,000 m "
        "above 580 m (aerobic power falls from about 580 m, Fulco et al. 1998, by 26 % at 4,000 m, Buskirk "
        "et al. 1967). 'Days with limits' ends a day at 8 h of walking or 1,000 m of climbing, keeps each "
        "night's camp within 500 m above the last above 3,000 m and adds a rest day per 1,000 m of sleeping "
        "elevation gained (Wilderness Medical Society, Luks et al. 2019).",
        "",
        "| walking model | km | walking hours | days of 8 h | days with limits |",
        "|---|---|---|---|---|",
    ]
    for name, w in rows:
        lines.append(
            f"| {name} | {w['length_km']:,.0f} | {w['walking_hours']:,.1f} | {w['walking_days']:,.1f} | "
            f"{w['walking_days_limited']:,.1f} |"
        )
    return "\n".join(lines) + "\n"


def blindness_markdown(sources: list) -> str:
    """Report section: how blind each settlement source is along the walk, by country."""
    rows = [s for s in sources if s.get("blindness_on_foot")]
    if not rows:
        return ""
    lines = [
        "",
        "## How blind each settlement source is (along the walk)",
        "",
        "Kilometres of the walk with no point of the source within "
        f"{rows[0]['blindness_on_foot']['buffer_km']:g} km, by country, and the source's points within "
        f"{rows[0]['blindness_on_foot']['near_km']:g} km of the walk. A long gap where a source has no points "
        "measures the data, not the land.",
        "",
        "| source | km without a settlement (of the walk's km) | points near the walk |",
        "|---|---|---|",
    ]
    for s in rows:
        b = s["blindness_on_foot"]
        km = "; ".join(f"{c}: {b['km_without_settlement'][c]:,.0f} of {b['route_km'][c]:,.0f}" for c in b["route_km"])
        pts = "; ".join(f"{c}: {n}" for c, n in b["points_near_route"].items()) or "none"
        lines.append(f"| {s['name']} | {km} | {pts} |")
    return "\n".join(lines) + "\n"
