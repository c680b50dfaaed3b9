"""The tables `wakhan route` and `wakhan compare` print on a terminal (rich), from the routes' summaries."""

from __future__ import annotations

import re
import sys

import typer
from rich.console import Console
from rich.table import Table

from wakhan.plan.compare import comparison_rows
from wakhan.route.absent import ABSENT, or_none, present
from wakhan.route.stats import country_words
from wakhan.route.summary import Costs, Engineering, RouteSummary, Search

__all__ = ["print_summary", "print_comparison"]

#: What the solver's total means in each cost unit (the table prints money separately, in US$).
_COST_UNIT_WORDS = {"m": "equivalent metres, not money", "s": "seconds of travel"}


def _km_above_rows(km: dict, max_elevation_m: float) -> list[tuple[str, str]]:
    """The "km above" row, with the heights the route reaches only (none on a route that stays below
    3,500 m: "0.0 / 0.0 / 0.0 km" says nothing of an Alpine road; the claims' 4,000 m is theirs).

    Examples
    --------
    >>> _km_above_rows({"3500": 12.0, "4000": 2.5, "4500": 0.0}, 4210.0)
    [('km above 3,500 / 4,000 m', '12.0 / 2.5 km')]
    >>> _km_above_rows({"3500": 0.0, "4000": 0.0, "4500": 0.0}, 2110.0)
    []
    """
    reached = [level for level in km if float(level) <= max_elevation_m]
    if not reached:
        return []
    return [
        (
            f"km above {' / '.join(f'{float(level):,.0f}' for level in reached)} m",
            f"{' / '.join(f'{km[level]:,.1f}' for level in reached)} km",
        )
    ]


def _bridge_cell(b: dict) -> str:
    """One bridge: length, place, catchment and cost."""
    return (
        f"{b['length_m']:,.0f} m at {b['lat']:.4f}, {b['lon']:.4f} ({b['catchment_km2']:,.0f} km2 upstream), "
        f"US$ {b['cost_usd'] / 1e6:,.1f} M"
    )


def _bridge_rows(bridges: list[dict], every: bool = False) -> list[tuple[str, str]]:
    """The route's bridges: one summary row (count, total length and cost, the largest), or with ``every``
    one row per bridge. A Kashgar-Kabul road via the Wakhjir crosses some 65 rivers: a row each buried the
    route's other numbers.

    Examples
    --------
    >>> b = [{"length_m": 40.0, "lat": 37.0, "lon": 73.0, "catchment_km2": 120.0, "cost_usd": 2.0e6},
    ...      {"length_m": 260.0, "lat": 36.5, "lon": 71.25, "catchment_km2": 9800.0, "cost_usd": 14.5e6}]
    >>> _bridge_rows(b)
    [('bridges', '2 bridges, 300 m in all, US$ 16.5 M; largest 260 m at 36.5000, 71.2500 (9,800 km2 upstream); --bridges lists each')]
    >>> [name for name, _ in _bridge_rows(b, every=True)]
    ['bridge', 'bridge']
    >>> _bridge_rows([])
    []
    """
    if not bridges:
        return []
    if every:
        return [("bridge", _bridge_cell(b)) for b in bridges]
    big = max(bridges, key=lambda b: b["length_m"])
    total_m = sum(b["length_m"] for b in bridges)
    usd = sum(b["cost_usd"] for b in bridges)
    return [
        (
            "bridges",
            f"{len(bridges):,} bridge{'s' if len(bridges) != 1 else ''}, {total_m:,.0f} m in all, "
            f"US$ {usd / 1e6:,.1f} M; largest {big['length_m']:,.0f} m at {big['lat']:.4f}, {big['lon']:.4f} "
            f"({big['catchment_km2']:,.0f} km2 upstream); --bridges lists each",
        )
    ]


def print_summary(summary: RouteSummary, bridges: bool = False) -> None:
    """The route's numbers as a readable table on stdout; ``bridges``: a row per bridge, not one for all."""
    s, t, prov = summary, summary.terrain, summary.provenance
    search, eng, costs = s.search or Search(), s.engineering or Engineering(), s.costs or Costs()
    console = Console(file=sys.stdout)  # the terminal's width (80 columns when not a terminal)
    km = present(t.km_above_m, "km_above_m")
    table = Table(title=present(s.name, "name"), show_header=False, title_justify="left")
    table.add_column("quantity", style="bold")
    table.add_column("value", overflow="fold")
    rows = [
        ("length", f"{t.length_km:,.1f} km (geodesic, WGS84)"),
        ("start / end elevation", f"{t.start_elevation_m:,.0f} m / {t.end_elevation_m:,.0f} m"),
        (
            "min / mean / median / max",
            f"{t.min_elevation_m:,.0f} / {t.mean_elevation_m:,.0f} / "
            f"{t.median_elevation_m:,.0f} / {t.max_elevation_m:,.0f} m "
            "(mean and median length-weighted)",
        ),
        *_km_above_rows(km, present(t.max_elevation_m, "max_elevation_m")),
        ("climb / descent", f"{t.climb_m:,.0f} m / {t.descent_m:,.0f} m"),
        (
            "max grade",
            f"{t.max_grade_pct:.1f} % over {t.grade_design_length_km:g} km, at km "
            f"{t.max_grade_km:,.0f}"
            + (
                " (terrain along the centre line; switchbacks hold the road to the design grade)"
                if eng.switchback_km
                else ""
            ),
        ),
        (
            "countries",
            ", ".join(f"{country_words(c)} {v:,.1f} km" for c, v in present(t.countries_km, "countries_km").items())
            or "-",
        ),
        (
            "search cost",
            f"{prov.cost:,.0f} {prov.cost_unit} (the solver's total: {_COST_UNIT_WORDS.get(str(prov.cost_unit), 'its cost unit')})"
            if or_none(prov.cost) is not None
            else "-",
        ),
        ("model", _given(prov.model_description, _given(prov.model, "-"))),
        (
            "optimality gap",
            f"{search.optimality_gap_pct:g} % ({_given(search.optimality_bound, '')})"
            if or_none(search.optimality_gap_pct) is not None
            else "-",
        ),
        ("smoothing", present(t.smoothing, "smoothing")),
        (
            "data",
            "; ".join(
                f"{d['name']} {d.get('resolution', '')}".strip() for d in present(prov.data_sources, "data_sources")
            )
            + (f"; grid {prov.grid['resolution']} ({prov.grid['crs']})" if prov.grid else ""),
        ),
    ]
    rows[6:6] = _engineering_rows(s)
    walk = s.walking
    if walk is not None and or_none(walk.walking_hours) is not None:
        speed = (or_none(walk.walking_speed) or {}).get("description", "")
        rows.append(
            (
                "walking time",
                f"{walk.walking_hours:,.1f} h: {walk.walking_days:,.1f} days of {walk.walking_hours_per_day:g} h, "
                f"{walk.walking_days_limited:,.1f} days under the daily limits" + (f" ({speed})" if speed else ""),
            )
        )
    earthworks_m3 = or_none(eng.earthworks_m3)
    if earthworks_m3 is not None:
        ew = next(
            (r for r in (or_none(costs.cost_usd) or {}).get("breakdown", []) if r.get("item") == "earthworks"), None
        )
        usd = f", US$ {ew['low'] / 1e6:,.1f}-{ew['high'] / 1e6:,.1f} M" if ew else ""
        rows.append(("earthworks", f"{earthworks_m3 / 1e6:,.2f} million m3 of bench cut across the side slope{usd}"))
    rows += _bridge_rows(or_none(eng.bridges) or [], every=bridges)
    ref = or_none(s.reference)
    if ref:
        w = ref["within_pct"]
        rows.append(
            (
                "vs reference road",
                f"PDI {ref['pdi_km']:,.2f} km ({ref['npdi_pct']:.1f} % of {ref['straight_km']:,.1f} km); within "
                f"0.5/1/2/5 km: {w['0.5']:.0f}/{w['1']:.0f}/{w['2']:.0f}/{w['5']:.0f} %; Hausdorff "
                f"{ref['hausdorff_km']:,.1f} km; length {ref['length_ratio']:.2f} x the road's ({ref.get('file', '')})",
            )
        )
    for name, value in rows:
        table.add_row(name, value)
    console.print(table)
    passes = present(t.passes, "passes")
    if passes:
        p = Table(title="passes crossed (high points with >= 300 m prominence along the route)", title_justify="left")
        for col in ("km", "name", "elevation", "prominence", "lat, lon", "nearest place"):
            p.add_column(col, overflow="fold")
        for x in passes:
            near = f"{x['nearest_place']} ({x['nearest_place_km']:.1f} km)" if x.get("nearest_place") else "-"
            p.add_row(
                f"{x['km']:,.0f}",
                x["name"] or "(unnamed)",
                f"{x['elevation_m']:,.0f} m",
                f"{x.get('prominence_m', 0):,.0f} m",
                f"{x['lat']:.4f}, {x['lon']:.4f}",
                near,
            )
        console.print(p)
    for note in _given(prov.notes, ()):
        console.print(f"note: {note}", highlight=False)


def _engineering_cells(row: dict) -> list[str]:
    """Built km, switchback km, tunnel km and cost range of a comparison row ('-' for walking routes)."""
    if row.get("built_length_km") is None:
        return ["-"] * 4
    c = row.get("cost_usd") or {}
    usd = f"{c['low'] / 1e9:,.1f}-{c['high'] / 1e9:,.1f}" if c else "-"
    return [f"{row['built_length_km']:,.0f}", f"{row['switchback_km']:,.0f}", _tunnel_cell(row), usd]


def _tunnel_cell(row: dict) -> str:
    """Tunnel km of a comparison row, new and existing apart where it passes an existing tunnel.

    The claims quote the new bores only (the all-season road's 176 km); the Salang tunnel on the
    existing road is not built but rehabilitated, so the total alone read as another answer.

    Examples
    --------
    >>> _tunnel_cell({"tunnel_km": 178.453, "new_tunnel_km": 175.783, "existing_tunnel_km": 2.67})
    '175.8 new + 2.7 existing'
    >>> _tunnel_cell({"tunnel_km": 0, "new_tunnel_km": 0, "existing_tunnel_km": 0.0})
    '0.0'
    """
    if not row.get("existing_tunnel_km"):
        return f"{row['tunnel_km']:,.1f}"
    return f"{row['new_tunnel_km']:,.1f} new + {row['existing_tunnel_km']:,.1f} existing"


def _engineering_rows(s: RouteSummary) -> list[tuple[str, str]]:
    """Design grade, built length, switchbacks, tunnels and cost of a highway summary (none for walking)."""
    eng = s.engineering
    if eng is None or eng.design_grade_pct is ABSENT:
        return []
    by_altitude = present(eng.design_grade_pct_by_altitude, "design_grade_pct_by_altitude")
    rows = [
        (
            "design grade",
            f"{eng.design_grade_pct:g} % below 3,000 m, {by_altitude['above_5000m']:g} % above 5,000 m",
        ),
        (
            "built length",
            f"{eng.built_length_km:,.1f} km ({eng.switchback_km:,.1f} km of route in switchbacks, "
            f"{eng.development_km:,.1f} km developed, about {eng.hairpins:,} hairpins; steepest "
            f"built grade {eng.max_built_grade_pct:.1f} %)",
        ),
    ]
    if eng.tunnels:
        rows.append(
            (
                "tunnels",
                "; ".join(
                    f"{t['length_km']:.1f} km at km {t['start_km']:,.0f} ({t['portal_a']['elevation_m']:,.0f}-"
                    f"{t['portal_b']['elevation_m']:,.0f} m, cover up to {t['max_cover_m']:,.0f} m)"
                    for t in eng.tunnels
                ),
            )
        )
    c = or_none(s.costs.cost_usd) if s.costs else None
    if c:
        rows.append(
            (
                "construction cost",
                f"US$ {c['low'] / 1e9:,.2f}-{c['high'] / 1e9:,.2f} bn "
                "(data/unit_costs.csv: published regional projects)",
            )
        )
    return rows


def _given(value, default):
    """``value`` of a summary field, or ``default`` where the route has none (``.get(key, default)`` on its JSON)."""
    return default if value is ABSENT else value


def _reference_cell(ref) -> str:
    """PDI and share within 2 km of the reference road (issue 17), '-' without one."""
    if not ref:
        return "-"
    return f"{ref['pdi_km']:,.1f} km ({ref['npdi_pct']:.1f} %), {ref['within_pct']['2']:.0f} %"


#: Columns of the comparison that are words, not one number: on a narrow terminal they go to the second table.
_TEXT_COLUMNS = ("route", "countries (km)", "passes", "tunnel km", "vs reference: PDI km, within 2 km %")


def _narrow_tables(numbers: Table, cols, rows, table_rows) -> list[Table]:
    """The comparison on a narrow terminal (80 columns): a table of numbers, one row per quantity and one
    column per route, headed by the route's number; then a table of the routes by number, with their
    words (name, countries, passes). Route names as column headers folded into fragments ("Karakor / am /
    Highway / alignme / nt:") and the passes' names filled 30 lines.
    """
    numbers.add_column("quantity", style="bold", no_wrap=True)
    for n in range(1, len(rows) + 1):
        numbers.add_column(str(n), justify="right", no_wrap=True)
    existing = any(r.get("existing_tunnel_km") for r in table_rows)
    for i, c in enumerate(cols):
        if c == "tunnel km" and existing:  # new and existing apart, as the wide table's "175.8 new + 2.7 existing"
            for name, key in (("new tunnel km", "new_tunnel_km"), ("existing tunnel km", "existing_tunnel_km")):
                numbers.add_row(
                    name, *("-" if r.get("built_length_km") is None else f"{r.get(key) or 0:,.1f}" for r in table_rows)
                )
        elif c == "tunnel km" or c not in _TEXT_COLUMNS:
            numbers.add_row(c, *(cells[i] for cells in rows))
    words = Table(title="routes (the columns above)", title_justify="left")
    words.add_column("#", justify="right", no_wrap=True)
    text_cols = [c for c in cols if c in _TEXT_COLUMNS and c != "tunnel km"]
    # a list's items one a line, each unbroken ("Khunjerab Pass 5,014 / m", "PK / 128" split at 80 columns);
    # fold only what is wider than the whole column
    listed = {"countries (km)": r", ", "passes": r"(?<= m), "}
    for c in text_cols:
        words.add_column(c, no_wrap=c in listed, overflow="fold")
    for n, cells in enumerate(rows, start=1):
        words.add_row(
            str(n),
            *(
                "\n".join(re.split(listed[c], cells[cols.index(c)])) if c in listed else cells[cols.index(c)]
                for c in text_cols
            ),
        )
    return [numbers, words]


def print_comparison(routes) -> None:
    """The compared routes side by side; on a narrow terminal one row per quantity, one column per route."""
    t = Table(
        title=f"{routes[0].waypoints[0].name} to {routes[0].waypoints[-1].name}: routes compared "
        f"({routes[0].summary.provenance.model} model, one DEM: {routes[0].summary.provenance.grid['resolution']})",
        title_justify="left",
    )
    cols: tuple[str, ...] = (
        "route",
        "countries (km)",
        "length km",
        "max m",
        "mean m",
        "km > 4000 m",
        "climb m",
        "steepest terrain % (1 km)",
        "steepest built grade %",
        "passes",
        f"search cost ({routes[0].summary.provenance.cost_unit})",
        "built km",
        "switchback km",
        "tunnel km",
        "US$ bn",
    )
    has_ref = any(row.get("reference") for row in comparison_rows(routes))
    if has_ref:
        cols = (*cols, "vs reference: PDI km, within 2 km %")
    rows = [
        [
            row["name"],
            ", ".join(f"{country_words(c)} {v:,.0f}" for c, v in row["countries_km"].items()),
            f"{row['length_km']:,.0f}",
            f"{row['max_elevation_m']:,.0f}",
            f"{row['mean_elevation_m']:,.0f}",
            f"{row['km_above_4000m']:,.0f}",
            f"{row['climb_m']:,.0f}",
            f"{row['max_grade_pct']:.1f}",
            "-" if row.get("max_built_grade_pct") is None else f"{row['max_built_grade_pct']:.1f}",
            row["passes"] or "-",
            f"{row['cost']:,.0f}",
            *_engineering_cells(row),
            *([_reference_cell(row.get("reference"))] if has_ref else []),
        ]
        for row in comparison_rows(routes)
    ]
    console = Console(file=sys.stdout)
    if console.width >= 24 * len(cols) // 2:  # wide enough for one row per route
        for c in cols:
            t.add_column(c, overflow="fold")
        for cells in rows:
            t.add_row(*cells)
        console.print(t)
    else:
        for table in _narrow_tables(t, cols, rows, comparison_rows(routes)):
            console.print(table)
    data = "; ".join(
        f"{d['name']} {d.get('resolution', '')}".strip() for d in routes[0].summary.provenance.data_sources
    )
    typer.echo(f"data: {data}")
    if any(r.summary.engineering and or_none(r.summary.engineering.max_built_grade_pct) for r in routes):
        typer.echo(
            "note: steepest terrain is the ground's grade over 1 km under the route's centre line, not the "
            "road's; switchbacks and tunnels hold the built road to its design grade (steepest built grade)"
        )
    for r in routes:
        raised = r.summary.engineering.grade_limit_raised_pct if r.summary.engineering else None
        if raised:
            typer.echo(
                f"note: {r.summary.name}: no route within {routes[0].summary.provenance.model_max_grade_pct:g} % "
                f"on this grid; solved with the limit raised to {raised:g} % "
                "(a coarse grid does not resolve narrow gorges)"
            )
