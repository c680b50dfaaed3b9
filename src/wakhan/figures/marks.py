"""Road-engineering marks on the figures: switchback sections and tunnels on profiles, tunnels on maps.

Called from :func:`wakhan.figures.plot_profile` and :func:`wakhan.figures.plot_map`; they
read the highway summary's engineering section (``switchback_sections``, ``tunnels`` (absent for walking
routes, which get no marks).
"""

from __future__ import annotations

from wakhan.route.summary import Engineering, RouteSummary

__all__ = ["mark_engineering_on_profile", "mark_tunnels_on_map"]


def mark_engineering_on_profile(ax, summary: RouteSummary, d, z, fs: float) -> None:
    """Switchback sections (thick orange) and tunnels (dashed bore, labelled) on a highway profile."""
    from matplotlib.lines import Line2D  # lazy: matplotlib, only when drawing

    handles = []
    eng = summary.engineering or Engineering()  # none on a walk: nothing to mark
    for sec in eng.switchback_sections or []:
        on = (d >= sec["start_km"]) & (d <= sec["end_km"])
        ax.plot(d[on], z[on], color="#d35400", lw=2.6, solid_capstyle="butt", zorder=4)
    if eng.switchback_sections:
        handles.append(
            Line2D(
                [],
                [],
                color="#d35400",
                lw=2.6,
                label=f"switchbacks ({eng.switchback_km or 0:,.0f} km of route, ~{eng.hairpins or 0:,} hairpins)",
            )
        )
    for t in eng.tunnels or []:
        on = (d >= t["start_km"]) & (d <= t["end_km"])
        ax.plot(d[on], z[on], color="#1b2631", lw=2.2, ls=(0, (3, 1.5)), zorder=4.5)
        ax.plot(
            [t["start_km"], t["end_km"]],
            [t["portal_a"]["elevation_m"], t["portal_b"]["elevation_m"]],
            ls="none",
            marker="s",
            ms=3.5,
            color="#1b2631",
            zorder=5,
        )
        ax.annotate(
            f"tunnel {t['length_km']:,.1f} km",
            (0.5 * (t["start_km"] + t["end_km"]), 0.5 * (t["portal_a"]["elevation_m"] + t["portal_b"]["elevation_m"])),
            xytext=(0, -10),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=fs - 1.5,
            color="#1b2631",
            zorder=6,
        )
    if eng.tunnels:
        handles.append(
            Line2D(
                [],
                [],
                color="#1b2631",
                lw=2.2,
                ls=(0, (3, 1.5)),
                marker="s",
                ms=3.5,
                label="tunnel (bore between portals)",
            )
        )
    if handles:
        ax.legend(handles=handles, loc="lower right", fontsize=fs - 1.5, frameon=True, framealpha=0.85)


#: Tunnels shorter than this are drawn on the map but not labelled: at the scale of a region map
#: their label (the Salang's "2.7 km") would sit on the routes; the report lists every tunnel.
MAP_TUNNEL_LABEL_MIN_KM = 10.0


def mark_tunnels_on_map(ax, routes, fs: float) -> list:
    """Each route's tunnels as a dashed black line between its portals (those of
    :data:`MAP_TUNNEL_LABEL_MIN_KM` or more labelled with their length); a legend handle when any."""
    from matplotlib import patheffects  # lazy: matplotlib, only when drawing
    from matplotlib.lines import Line2D

    drawn = False
    for r in routes:
        for t in (r.summary.engineering or Engineering()).tunnels or []:
            a, b = t["portal_a"], t["portal_b"]
            ax.plot(
                [a["lon"], b["lon"]],
                [a["lat"], b["lat"]],
                color="#1b2631",
                lw=2.4,
                ls=(0, (2, 1)),
                marker="s",
                ms=3,
                zorder=6,
                path_effects=[patheffects.withStroke(linewidth=4.0, foreground="white")],
            )
            drawn = True
            if t["length_km"] < MAP_TUNNEL_LABEL_MIN_KM:
                continue
            ax.annotate(
                f"{t['length_km']:,.1f} km",
                (0.5 * (a["lon"] + b["lon"]), 0.5 * (a["lat"] + b["lat"])),
                xytext=(4, 0),
                textcoords="offset points",
                fontsize=fs - 1.5,
                color="#1b2631",
                zorder=7,
                path_effects=[patheffects.withStroke(linewidth=2.0, foreground="white")],
            )
    return [Line2D([], [], color="#1b2631", lw=2.4, ls=(0, (2, 1)), marker="s", ms=3, label="tunnel")] if drawn else []
