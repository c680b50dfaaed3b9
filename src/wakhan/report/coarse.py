"""report.md's paragraph on coarse elevation data: what was breached, which passes are artefacts.

South of 36.32N the region pack has only NOAA GLOBE 30" (~925 m): its dams across gorges are
breached and its large streams burnt into the grid (:mod:`wakhan.dem.hydro`), and any pass
whose saddle still sits on a large stream is flagged (:mod:`wakhan.route.artefacts`). The
before/after comparison on the Karakoram Highway variant is in ``benchmarks/conditioning.md``.
"""

from __future__ import annotations

import numpy as np

from wakhan.claims.case_study import KARAKORAM_HIGHWAY
from wakhan.claims.depopulated import HEADLINE_BUFFER_KM
from wakhan.places import resolve
from wakhan.report.cells import settlement_cell

__all__ = ["coarse_data_section", "settlement_evidence_md", "INDUS_TOWNS_M"]

#: Published heights of the towns on the Indus gorge (Wikipedia / Pakistan Meteorological Department).
INDUS_TOWNS_M = {"Gilgit": 1500, "Chilas": 1219, "Dasu": 800, "Thakot": 829}


def coarse_data_section(routes) -> list[str]:
    """Markdown lines: the coarse-data conditioning of each route's grid, flagged passes, the Indus gorge.

    Examples
    --------
    >>> coarse_data_section({})
    []
    """
    lines: list[str] = []
    notes = sorted(
        {n for r in routes.values() for n in (r.summary.provenance.grid or {}).get("notes", []) if "breached" in n}
    )
    flagged = [
        (r.summary.name, p)
        for r in routes.values()
        for p in (r.summary.terrain.passes or [])
        if isinstance(p, dict) and p.get("artefact")
    ]
    if not notes and not flagged and KARAKORAM_HIGHWAY not in routes:
        return lines
    lines += ["### Coarse elevation data", ""]
    lines += [f"- {n}." for n in notes]
    if flagged:
        lines += [
            f"- Likely data artefact on {name}: {p.get('name') or 'unnamed'} {p['elevation_m']:,.0f} m "
            f"(km {p['km']:,.0f}): {p['artefact_reason']}."
            for name, p in flagged
        ]
    else:
        lines.append("- No pass of any route has its saddle on a stream draining 1,000 km2 or more.")
    kkh = routes.get(KARAKORAM_HIGHWAY)
    if kkh is not None and getattr(kkh, "profile", None) is not None:
        prof = kkh.profile
        lines += [
            "",
            'The Karakoram Highway variant down the Indus gorge (GLOBE 30"), against published heights '
            "(before conditioning it climbed a false 2,578 m pass at Dasu: `benchmarks/conditioning.md`):",
            "",
            "| town | published | on the route | km |",
            "|---|---:|---:|---:|",
        ]
        for town, published in INDUS_TOWNS_M.items():
            t = resolve(town)
            k = int(np.argmin((prof.lon - t.lon) ** 2 + (prof.lat - t.lat) ** 2))
            lines.append(
                f"| {town} | {published:,} m | {float(prof.elevation_m[k]):,.0f} m | {prof.distance_km[k]:,.0f} |"
            )
    lines.append("")
    return lines


def settlement_evidence_md(details: dict) -> list[str]:
    """Markdown lines: who bounds the headline stretch, and each source's longest stretch alone (its blind spots).

    Settlements are named as the gazetteer names them (GeoNames' "Sarhad" is "Sarhad-e Broghil").

    Examples
    --------
    >>> settlement_evidence_md({})
    []
    >>> settlement_evidence_md({"bounding_settlements": [{"end": "start", "km": 0.0, "name": "Sarhad",
    ...     "source": "GeoNames", "distance_from_route_km": 0.4}]})[4]
    '| start | km 0 | Sarhad-e Broghil | GeoNames | 0.4 km |'
    """
    lines: list[str] = []
    bounds = details.get("bounding_settlements") or []
    if bounds:
        lines += ["The headline stretch on foot (all sources together) is bounded by:", ""]
        lines += [
            f"| {b['end']} | km {b['km']:,.0f} | {settlement_cell(b['name'])} | {b['source']} | {b['distance_from_route_km']:g} km |"
            for b in bounds
        ]
        lines.insert(2, "|---|---:|---|---|---:|")
        lines.insert(2, "| end | at | settlement | source | from the route |")
        lines.append("")
    blind = details.get("blind_spots") or []
    if blind:
        lines += ["Each source alone on the walk (its blind spots):", ""]
        for b in blind:
            if b.get("from_km") is None:  # no gap: every point of the walk near one of the source's settlements
                lines.append(
                    f"- {b['source']}: none, every point of the walk within {HEADLINE_BUFFER_KM:g} km of a settlement."
                )
                continue
            where = f" (km {b['from_km']:,.0f}-{b['to_km']:,.0f})"
            why = (
                ""
                if b["counted"]
                else f", through {', '.join(b['uncovered_countries']) or 'a country'} it does not cover: not counted"
            )
            lines.append(f"- {b['source']}: longest stretch {b['longest_gap_km']:,.0f} km{where}{why}.")
        lines.append("")
    return lines
