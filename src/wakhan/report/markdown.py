"""report.md: the verdicts, the tables behind each claim, figures, method and sources, in Markdown."""

from __future__ import annotations

from wakhan.claims.case_study import ON_FOOT, WAKHAN_HIGHWAY
from wakhan.claims.evaluate import ClaimsResult
from wakhan.cost.walking import TREK_TERRAIN_FACTOR, TREK_TERRAIN_FACTOR_ALTITUDE
from wakhan.report.briefs import verdict_brief
from wakhan.report.cells import settlement_cell, value_cell
from wakhan.report.citations import ARTICLE, article_citation, cited_datasets
from wakhan.report.coarse import coarse_data_section, settlement_evidence_md
from wakhan.report.document import how_to_cite, parameters
from wakhan.report.highway_section import highway_section

__all__ = ["report_markdown", "walking_realism_markdown", "blindness_markdown"]


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
        if r.get("start_km") is None:  # every point of the route within the buffer of a settlement
            gap = f"none: every point within {r['buffer_km']:g} km of a settlement"
        else:
            gap = f"{r['length_km']:,.1f} km (km {r['start_km']:,.0f}-{r['end_km']:,.0f})"
        out.append(
            f"| {r['source']} | {r['buffer_km']:g} km | {gap} | {settlement_cell(r.get('start_neighbour'))} | "
            f"{settlement_cell(r.get('end_neighbour'))} | {'; '.join(note)} |"
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
    c1, c2 = (result.claim(k) for k in ("altitude", "depopulated"))
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
        L.append(f"| \u201c{q}\u201d | **{c.verdict}** | {value_cell(c.value, c.unit)} | {verdict_brief(c)} |")

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
            f"| {d['key']} | {_short_definition(d)} | {value_cell(a['area_km2'], 'km²')} | "
            f"{value_cell(a['mean_m'], 'm')} | {value_cell(a['median_m'], 'm')} | "
            f"{a['share_above_m']['4000'] * 100:.0f} % | {value_cell(hw, 'm')} | {value_cell(ft, 'm')} |"
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
            f"| {k} | {value_cell(v['mean_m'], 'm')} | {v['share_above_m']['4000'] * 100:.0f} % |"
            for k, v in other.items()
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
        f"the least-time route from Sarhad-e Broghil reaches the first Chinese settlement, "
        f"{settlement_cell(inf['arrival'])}:",
        "",
        "| distance | walking time | days | highest point |",
        "|---:|---:|---:|---:|",
        f"| {value_cell(inf['length_km'], 'km')} | {value_cell(inf['walking_hours'], 'h', 1)} | "
        f"{value_cell(inf['walking_days'], '', 1)} | {value_cell(inf['max_elevation_m'], 'm')} |",
        "",
    ]
    titles = {ON_FOOT: "On foot, Sarhad-e Broghil to China", WAKHAN_HIGHWAY: "Highway, Kashgar to Kabul via Wakhjir"}
    for key, rows in c2.details["gaps"].items():
        L += [f"### {titles.get(key, key)} ({value_cell(c2.details['route_lengths_km'][key], 'km')})", ""]
        L += _gap_rows_md(rows) + [""]
    L += settlement_evidence_md(c2.details)
    L += [f"**Verdict: {c2.verdict}.** {c2.reason}", ""]

    L += highway_section(result)

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
