"""Report section: the corridor's most remote point, the route-independent answer to "300 km depopulated"."""

from __future__ import annotations

from wakhan.report.cells import settlement_cell

__all__ = ["remoteness_markdown"]


def remoteness_markdown(details: dict | None) -> str:
    """Markdown of :meth:`wakhan.claims.corridor_remoteness.CorridorRemoteness.details` ("" when absent)."""
    if not details:
        return ""
    hpd = details["hours_per_day"]
    lines = [
        "",
        "## Remoteness: the corridor's most remote point, whatever the route",
        "",
        "The gap tables measure emptiness along chosen routes. The remoteness surface measures it everywhere: "
        "for every cell, the walking time to the nearest settlement (the accessibility surfaces of Weiss et "
        "al. 2018 and 2020), from "
        f"{details['method']}. Settlements: {details['settlement_source']} ({details['settlement_cells']:,} "
        f"cells). Grid {details['resolution']}; box {', '.join(f'{v:g}' for v in details['box'])} (W, S, E, N). "
        "No point of any path through the corridor is farther from its nearest settlement than the most remote "
        "point is. This bounds the distance to a settlement, not the length of a stretch with no settlement "
        "within a few km: that is the longest gap of the gap tables, the measure for the 300 km claim.",
        "",
        f"| corridor reading | most remote point | walking hours | days of {hpd:g} h | km along its path "
        "| km straight | elevation m | nearest settlement | area beyond 8 h / 24 h / 48 h |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for key, p in details["definitions"].items():
        share = p["share_beyond_hours"]
        where = f" ({p['whereabouts']})" if p.get("whereabouts") else ""
        shares = " / ".join(f"{share.get(k, 0) * 100:.0f} %" for k in ("8", "24", "48"))
        lines.append(
            f"| {key} | {p['lat']:.3f}\u00b0N {p['lon']:.3f}\u00b0E{where} | {p['hours']:.1f} | {p['walking_days']:.1f} | "
            f"{p['path_km']:.0f} | {p['straight_km']:.0f} | {p['elevation_m']:,.0f} | "
            f"{settlement_cell(p['nearest_settlement']['name'])} | {shares} |"
        )
    lines += ["", f"Walking model: {details['model']}."]
    return "\n".join(lines) + "\n"
