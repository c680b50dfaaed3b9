"""Road-engineering marks on the figures: switchback sections and tunnels on profiles, tunnels on maps.

Called from :func:`wakhan.figures.plot_profile` and :func:`wakhan.figures.plot_map`; they
read the highway summary's engineering section (``switchback_sections``, ``tunnels`` (absent for walking
routes, which get no marks).
"""

from __future__ import annotations

import re

import numpy as np

from wakhan.route.summary import Engineering, RouteSummary

__all__ = ["mark_engineering_on_profile", "label_tunnels_on_profile", "mark_tunnels_on_map", "merge_portals"]


def _ground_over_tunnels(route) -> np.ndarray | None:
    """The ground above each tunnel's bore along the route (m; NaN outside the bores), sampled from the
    route's DEM; None when the route has no tunnel or no DEM (a route read back from a file).

    Inside a tunnel the profile is the bore, a straight line between the portals; the mountain the road
    runs under is the DEM's surface along the same points.
    """
    eng = route.summary.engineering or Engineering()
    dem, p = getattr(route, "dem", None), route.profile
    if not eng.tunnels or dem is None:
        return None
    ground = np.full(len(p.distance_km), np.nan)
    for t in eng.tunnels:
        on = (p.distance_km >= t["start_km"]) & (p.distance_km <= t["end_km"])
        if not on.any():
            continue
        if dem.is_geographic:
            x, y = p.lon[on], p.lat[on]
        else:
            from pyproj import Transformer  # lazy: pyproj, only for a projected DEM

            x, y = Transformer.from_crs("EPSG:4326", dem.crs, always_xy=True).transform(p.lon[on], p.lat[on])
        ground[on] = np.fmax(np.asarray(dem.sample(np.asarray(x), np.asarray(y)), float), p.elevation_m[on])
    return ground if np.isfinite(ground).any() else None


def mark_engineering_on_profile(ax, summary: RouteSummary, d, z, fs: float, ground=None) -> None:
    """Switchback sections (thick orange) and tunnels (dashed bore) on a highway profile, with their legend;
    :func:`label_tunnels_on_profile` writes the tunnels' lengths once the axes are laid out. With
    ``ground`` (m along ``d``, NaN outside tunnels) the mountain above each bore is drawn as terrain,
    its surface line above the bore, so the road is seen to run under it.

    Examples
    --------
    A 40 km road over a 5,000 m crest, with 5 km of switchbacks and a 12 km tunnel under the crest:

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> from wakhan.route import RouteSummary
    >>> d = np.linspace(0.0, 40.0, 81)
    >>> z = 3000.0 + 2000.0 * np.sin(np.linspace(0.0, np.pi, 81))
    >>> lon = 73.0 + d / 88.0
    >>> bore = {"start_km": 14.0, "end_km": 26.0, "length_km": 12.0,
    ...         "portal_a": {"lon": lon[28], "lat": 37.0, "elevation_m": z[28]},
    ...         "portal_b": {"lon": lon[52], "lat": 37.0, "elevation_m": z[52]}}
    >>> summary = RouteSummary.from_dict({"name": "road", "length_km": 40.0, "tunnels": [bore], "hairpins": 12,
    ...     "switchback_sections": [{"start_km": 5.0, "end_km": 10.0}], "switchback_km": 5.0})
    >>> fig, ax = plt.subplots()
    >>> mark_engineering_on_profile(ax, summary, d, z, 9.0)
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['switchbacks (5 km of route, ~12 hairpins)', 'tunnel (bore between portals)']
    >>> plt.close(fig)
    """
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
        if ground is not None and np.isfinite(ground[on]).any():
            g = np.where(np.isfinite(ground[on]), ground[on], z[on])
            ax.fill_between(d[on], z[on], g, color="#d9c8a9", lw=0, zorder=1)  # the terrain's fill and line
            ax.plot(d[on], g, color="#4a3b28", lw=1.0, zorder=3)
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


def label_tunnels_on_profile(fig, ax, summary: RouteSummary, d, z, fs: float, taken=(), leaders: bool = True) -> list:
    """Write "tunnel 7.0 km" (an existing one by its name: "Salang Tunnel 2.7 km") under each tunnel's bore where it covers neither the curve nor a box of ``taken``.

    The label hangs from a height in data units (so a taller axis later keeps it inside the
    mountain, which widens downwards), a dotted leader from the bore down to it; it steps down
    8 points at a time until label and leader are clear and above the axis' foot, and is left out
    when they never are (the tunnel is still drawn and in the legend). Tunnels closer together
    than a label's width share one label ("tunnels 2.7 + 7.0 km"). Returns the label artists, for
    later labels to avoid; ``leaders=False`` drafts them without their leaders (to be removed and
    written again).

    Examples
    --------
    The road of :func:`mark_engineering_on_profile`'s example:

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> from wakhan.route import RouteSummary
    >>> d = np.linspace(0.0, 40.0, 81)
    >>> z = 3000.0 + 2000.0 * np.sin(np.linspace(0.0, np.pi, 81))
    >>> lon = 73.0 + d / 88.0
    >>> bore = {"start_km": 14.0, "end_km": 26.0, "length_km": 12.0,
    ...         "portal_a": {"lon": lon[28], "lat": 37.0, "elevation_m": z[28]},
    ...         "portal_b": {"lon": lon[52], "lat": 37.0, "elevation_m": z[52]}}
    >>> summary = RouteSummary.from_dict({"name": "road", "length_km": 40.0, "tunnels": [bore], "hairpins": 12,
    ...     "switchback_sections": [{"start_km": 5.0, "end_km": 10.0}], "switchback_km": 5.0})
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot(d, z)
    >>> [t.get_text() for t in label_tunnels_on_profile(fig, ax, summary, d, z, 9.0)]
    ['tunnel 12.0 km']
    >>> plt.close(fig)
    """
    from wakhan.figures.layout import line_pixels  # lazy: sibling module, drawing only

    renderer = fig.canvas.get_renderer()
    boxes = list(taken)
    lines = [(line_pixels(ax, d, z), 1.5)]
    foot_px = ax.get_window_extent(renderer).y0
    inv = ax.transData.inverted()
    km_per_px = abs(inv.transform((1, 0))[0] - inv.transform((0, 0))[0])
    step = abs(float(inv.transform((0, 0))[1] - inv.transform((0, 8 * fig.dpi / 72))[1]))

    def half_km(t) -> float:  # half the width of a tunnel's own label, in km along the axis
        probe = ax.text(0, 0, f"{t.get('existing') or 'tunnel'} {t['length_km']:,.1f} km", fontsize=fs - 1.5)
        width_px = probe.get_window_extent(renderer).width
        probe.remove()
        return 0.5 * width_px * km_per_px

    groups: list[list[dict]] = []
    for t in sorted((summary.engineering or Engineering()).tunnels or [], key=lambda t: t["start_km"]):
        mid = 0.5 * (t["start_km"] + t["end_km"])
        last = groups[-1][-1] if groups else None
        if (
            last is not None
            and mid - 0.5 * (last["start_km"] + last["end_km"]) < half_km(t) + half_km(last) + 2 * km_per_px
        ):
            groups[-1].append(t)  # their own labels would touch: one label for both
        else:
            groups.append([t])
    out = []
    for group in groups:
        x = float(np.mean([0.5 * (t["start_km"] + t["end_km"]) for t in group]))
        y_bore = min(0.5 * (t["portal_a"]["elevation_m"] + t["portal_b"]["elevation_m"]) for t in group)
        lengths = " + ".join(f"{t['length_km']:,.1f}" for t in group)
        names = {t.get("existing") for t in group}
        name = next(iter(names)) if len(names) == 1 and None not in names else None  # "Salang Tunnel 2.7 km"
        generic = f"tunnel{'s' if len(group) > 1 else ''} {lengths} km"
        # the tunnel's name where it fits, else the shorter generic words (the legend and report name it)
        for text in ([f"{name} {lengths} km"] if name else []) + [generic]:
            label = _hang_label(ax, renderer, x, y_bore, text, fs, step, foot_px, boxes, lines, leaders)
            if label is not None:
                out.append(label)
                break
    return out


def _hang_label(ax, renderer, x, y_bore, text, fs, step, foot_px, boxes, lines, leaders):
    """``text`` hung under a bore at height ``y_bore``, stepping down until clear (appended to ``boxes`` and
    ``lines``), or None when it never is."""
    from wakhan.figures.layout import box_is_clear, line_pixels  # lazy: sibling module, drawing only

    for k in range(1, int((y_bore - ax.get_ylim()[0]) / step) + 1):  # down to the axis' foot
        y = y_bore - k * step
        label = ax.text(x, y, text, ha="center", va="top", fontsize=fs - 1.5, color="#1b2631", zorder=6)
        box = _inside_axes(ax, renderer, label)
        leader = line_pixels(ax, [x, x], [y, y_bore])
        if box.y0 > foot_px + 1 and box_is_clear(box, boxes, lines) and _clear_of(leader, boxes):
            if leaders:
                ax.plot([x, x], [y, y_bore], color="#1b2631", lw=0.5, ls=":", zorder=4.4)
            boxes.append(box)
            lines.append((leader, 1.0))
            return label
        label.remove()
    return None


#: How far a tunnel's label stands in from the axes' left or right edge, points.
_EDGE_GAP_PT = 2.0


def _inside_axes(ax, renderer, label):
    """Keep a centred ``label`` within the axes sideways; returns its box.

    A tunnel near an end of the profile (the Salang, 2.7 km from the Kabul end of a 1,300 km road) had
    its centred label run past the axes' right edge: there it is anchored by its right (left) end, just
    inside the edge, still under the bore (its leader stays inside the label's width).
    """
    box = label.get_window_extent(renderer)
    axes = ax.get_window_extent(renderer)
    gap = _EDGE_GAP_PT * ax.figure.dpi / 72
    inv = ax.transData.inverted()
    if box.x1 > axes.x1 - gap:
        label.set_horizontalalignment("right")
        label.set_x(float(inv.transform((axes.x1 - gap, 0))[0]))
    elif box.x0 < axes.x0 + gap:
        label.set_horizontalalignment("left")
        label.set_x(float(inv.transform((axes.x0 + gap, 0))[0]))
    else:
        return box
    return label.get_window_extent(renderer)


def _clear_of(points, boxes) -> bool:
    """True when no pixel of ``points`` lies inside a box of ``boxes`` (a leader crossing no label)."""
    return not any(
        ((points[:, 0] > b.x0) & (points[:, 0] < b.x1) & (points[:, 1] > b.y0) & (points[:, 1] < b.y1)).any()
        for b in boxes
    )


#: Tunnels shorter than this are drawn on the map but not labelled: at the scale of a region map
#: their label (the Salang's "2.7 km") would sit on the routes; the report lists every tunnel.
MAP_TUNNEL_LABEL_MIN_KM = 10.0


def mark_tunnels_on_map(ax, routes, fs: float) -> list:
    """Each route's tunnels as a dashed black line between its portals (those of
    :data:`MAP_TUNNEL_LABEL_MIN_KM` or more labelled with their length); a legend handle when any.

    Examples
    --------
    The road of :func:`mark_engineering_on_profile`'s example: its 12 km tunnel is drawn and labelled.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> from wakhan.route import RouteSummary
    >>> d = np.linspace(0.0, 40.0, 81)
    >>> z = 3000.0 + 2000.0 * np.sin(np.linspace(0.0, np.pi, 81))
    >>> lon = 73.0 + d / 88.0
    >>> bore = {"start_km": 14.0, "end_km": 26.0, "length_km": 12.0,
    ...         "portal_a": {"lon": lon[28], "lat": 37.0, "elevation_m": z[28]},
    ...         "portal_b": {"lon": lon[52], "lat": 37.0, "elevation_m": z[52]}}
    >>> summary = RouteSummary.from_dict({"name": "road", "length_km": 40.0, "tunnels": [bore], "hairpins": 12,
    ...     "switchback_sections": [{"start_km": 5.0, "end_km": 10.0}], "switchback_km": 5.0})
    >>> from wakhan.route import Profile, RouteResult
    >>> route = RouteResult(summary, Profile(d, lon, np.full(81, 37.0), z))
    >>> fig, ax = plt.subplots()
    >>> [h.get_label() for h in mark_tunnels_on_map(ax, [route], 9.0)], [t.get_text() for t in ax.texts]
    (['tunnel'], ['12.0 km'])
    >>> plt.close(fig)
    """
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


#: A waypoint named "<tunnel> <side> portal" ("Salang Tunnel north portal") is one portal of that tunnel.
_PORTAL = re.compile(r"^(?P<tunnel>.+?)\s+(?:north|south|east|west|[ns][ew]|upper|lower|[ab])\s+portal$", re.I)
#: Portals of one tunnel this close along the route (km) share one label; farther apart each keeps its own.
_PORTAL_PAIR_KM = 30.0


def merge_portals(items: list[tuple[float, str, str]], named_bores=frozenset()) -> list[tuple[float, str, str]]:
    """The two portal waypoints of one tunnel become one label "<tunnel> portals" midway between them,
    or none when the tunnel is a drawn bore of ``named_bores`` (its label under the bore names it).

    Two names of about 26 characters each, a few km apart, overlap sideways on any profile of
    hundreds of km, so one gave way and the other found no headroom; one shorter label fits.

    Parameters
    ----------
    items : list of (km, text, kind)
        Profile labels (:func:`wakhan.figures.profile_labels.profile_labels`' waypoints).
    named_bores : set of str
        Names of existing tunnels drawn on the profile (``tunnels[].existing``).

    Returns
    -------
    list of (km, text, kind)
        ``items`` with each pair of portals, no more than ``_PORTAL_PAIR_KM`` apart, merged or left out.

    Examples
    --------
    >>> wps = [(1232.1, "Salang Tunnel north portal", "waypoint"), (1235.1, "Salang Tunnel south portal", "waypoint")]
    >>> [(round(km, 1), text) for km, text, _ in merge_portals(wps)]
    [(1233.6, 'Salang Tunnel portals')]
    >>> merge_portals(wps, {"Salang Tunnel"})
    []
    """
    groups: dict[str, list[int]] = {}
    for i, (_, text, _) in enumerate(items):
        m = _PORTAL.match(text)
        if m:
            groups.setdefault(m["tunnel"], []).append(i)
    merged, drop = [], set()
    for tunnel, idx in groups.items():
        kms = [items[i][0] for i in idx]
        if len(idx) >= 2 and max(kms) - min(kms) <= _PORTAL_PAIR_KM:
            drop.update(idx)
            if tunnel not in named_bores:
                merged.append((0.5 * (min(kms) + max(kms)), f"{tunnel} portals", "waypoint"))
    return [t for i, t in enumerate(items) if i not in drop] + merged
