"""Figures for an article: a route's elevation profile and a hillshaded map of routes.

Both draw from :class:`wakhan.route.RouteResult` objects (planned, or read back
from a route file), name their data and resolution in a caption, use font sizes
that stay legible at a column's width (3.5-7 in), and write atomically.
"""

from __future__ import annotations

import json
import math
import os
import textwrap
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from wakhan.errors import InputError
from wakhan.figure_layout import LABEL_WITHIN_KM, place_upright_labels, profile_labels, save_png, thousands
from wakhan.figure_marks import mark_engineering_on_profile, mark_tunnels_on_map
from wakhan.fileio import atomic_path, check_writable

__all__ = ["plot_profile", "draw_profile", "plot_map", "data_caption"]

ROUTE_COLOURS = ("#c0392b", "#1f5fa8", "#e67e22", "#6c3483", "#117a65")


def _pyplot():
    import matplotlib

    if matplotlib.get_backend().lower() not in (
        "agg",
        "pdf",
        "svg",
        "ps",
        "cairo",
        "module://matplotlib_inline.backend_inline",
    ):
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _as_route(route):
    if isinstance(route, (str, os.PathLike)):
        from wakhan.route import read_route

        return read_route(route)
    return route


def _check_png(out_png) -> Path:
    path = check_writable(out_png)
    if path.suffix.lower() not in (".png", ".pdf", ".svg"):
        raise InputError(f"cannot tell the figure format of {path}: use a .png, .pdf or .svg file name")
    return path


def data_caption(summary: dict, extra: str = "") -> str:
    """One paragraph naming the elevation data, the grid and how distance was measured."""
    dem_sources = [s for s in summary.get("data_sources", []) if "countries" not in s.get("name", "").lower()]
    names = "; ".join(f"{s['name']} {s.get('resolution', '')}".strip() for s in dem_sources) or "unknown source"
    grid = summary.get("grid") or {}
    text = f"Elevation: {names}"
    if grid.get("resolution"):
        text += f", on a {grid['resolution']} grid"
    text += ". Distance measured along the WGS84 ellipsoid."
    if summary.get("model"):
        lim = summary.get("model_max_grade_pct")
        text += f" Least-cost {summary['model']} route"
        if summary.get("design_grade_pct") is not None:
            text += (
                f" (design grade {summary['design_grade_pct']:g} %, lower above 3,000 m, switchbacks on "
                f"terrain up to {lim:g} %"
            )
        elif lim is not None:
            text += f" (grade limit {lim:g} %"
            text += f", {summary['neighbours']}-neighbour moves)" if summary.get("neighbours") else ")"
        if summary.get("within"):
            text += f", confined to {'+'.join(summary['within'])}"
        text += "."
    return (text + " " + extra).strip()


def _wrap(text: str, width_in: float, fontsize: float) -> str:
    chars = max(40, int((width_in - 0.2) * 72 / (fontsize * 0.56)))
    return "\n".join(textwrap.wrap(text, chars))


def plot_profile(
    route,
    out_png,
    *,
    shade: Sequence[tuple[float, float, str]] = (),
    title: str | None = None,
    width_in: float = 7.0,
    height_in: float | None = None,
    dpi: int = 200,
    threshold_m: float = 4000.0,
    caption: str | None = None,
) -> Path:
    """Elevation against distance, with the 4,000 m line, passes and places, and a data caption.

    Parameters
    ----------
    route : RouteResult or path of a route file
    out_png : path
        Written atomically; .png, .pdf or .svg.
    shade : sequence of (start_km, end_km, label)
        Stretches to shade, e.g. depopulated gaps.
    width_in, height_in : float
        Figure size in inches (a column is 3.5, a page 7); height defaults to 0.5 x width + caption.
    threshold_m : float
        Height of the reference line (default 4,000 m).
    caption : str, optional
        Extra caption text appended to the data caption.
    """
    out = _check_png(out_png)
    fig, _ax, _labels = draw_profile(
        route,
        shade=shade,
        title=title,
        width_in=width_in,
        height_in=height_in,
        dpi=dpi,
        threshold_m=threshold_m,
        caption=caption,
    )
    with atomic_path(out) as tmp:
        save_png(fig, tmp, dpi)
    _pyplot().close(fig)
    return out


def draw_profile(
    route,
    *,
    shade: Sequence[tuple[float, float, str]] = (),
    title: str | None = None,
    width_in: float = 7.0,
    height_in: float | None = None,
    dpi: int = 200,
    threshold_m: float = 4000.0,
    caption: str | None = None,
):
    """The profile figure of :func:`plot_profile`, unsaved: ``(figure, axes, label artists)``."""
    route = _as_route(route)
    plt = _pyplot()
    from matplotlib.ticker import FuncFormatter

    s, p = route.summary, route.profile
    small = width_in < 5
    fs = 7.5 if small else 8.5
    s_ = route.summary
    legend = (
        (
            "Black triangles: passes (high points standing at least 300 m above the route on both sides), "
            f"named when a gazetteer pass lies within {LABEL_WITHIN_KM:g} km. "
        )
        if s_.get("passes")
        else ""
    )
    legend += (
        f"Places labelled: waypoints and gazetteer places within {LABEL_WITHIN_KM:g} km of the route, "
        "in the country the route is in there."
    )
    cap = _wrap(data_caption(s_, f"{legend} {caption or ''}"), width_in, fs - 1.5)
    cap_in = (cap.count("\n") + 1) * (fs - 1.5) * 1.3 / 72 + 0.12
    head_lines = 2 if small else 1  # the numbers line wraps at a column's width
    height_in = height_in or width_in * (0.62 if small else 0.45) + cap_in + 0.18 * head_lines
    fig, ax = plt.subplots(figsize=(width_in, height_in), dpi=dpi)
    d, z = p.distance_km, p.elevation_m
    zmin, zmax = float(np.nanmin(z)), float(np.nanmax(z))
    span = max(zmax - zmin, 500.0)
    bottom = max(0.0, math.floor((zmin - 0.05 * span) / 500) * 500)
    top = zmax + 0.12 * span  # labels add the headroom they need
    ax.fill_between(d, bottom, z, color="#d9c8a9", lw=0, zorder=1)
    ax.plot(d, z, color="#4a3b28", lw=1.0, zorder=3)
    for a, b, _label in shade:
        ax.axvspan(a, b, color="#7fb3d5", alpha=0.35, lw=0, zorder=0.5)
    if bottom < threshold_m < top:
        ax.axhline(threshold_m, color="#b03a2e", lw=0.9, ls="--", zorder=2)
    for p_ in s.get("passes", []):
        ax.plot([p_["km"]], [p_["elevation_m"]], marker="v", ms=4.5, color="#1c2833", zorder=5)
    mark_engineering_on_profile(ax, s, d, z, fs)
    ax.set_xlim(d[0], d[-1])
    ax.set_ylim(bottom, top)
    ax.set_xlabel("Distance along route (km)", fontsize=fs)
    ax.set_ylabel("Elevation (m)", fontsize=fs)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: thousands(v)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: thousands(v)))
    ax.tick_params(labelsize=fs - 0.5)
    ax.grid(axis="y", color="#e5e7e9", lw=0.6, zorder=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    head = title or s.get("name", "route")
    numbers = (
        f"{s['length_km']:,.0f} km, highest {s['max_elevation_m']:,.0f} m, mean "
        f"{s['mean_elevation_m']:,.0f} m, {s['km_above_4000m']:,.0f} km above 4,000 m, "
        f"{'steepest terrain' if s.get('switchback_km') else 'max grade'} {s['max_grade_pct']:.1f} % "
        f"over {s.get('grade_design_length_km', 1):g} km"
    )
    ax.set_title(
        _wrap(head, width_in * 0.85, fs + 1.5),
        fontsize=fs + 1.5,
        loc="left",
        fontweight="bold",
        pad=16 if not small else 26,
    )
    ax.text(
        0,
        1.012,
        _wrap(numbers, width_in - 0.6, fs),
        transform=ax.transAxes,
        fontsize=fs - 0.5,
        va="bottom",
        ha="left",
        color="#34495e",
    )
    fig.text(0.01, 0.01, cap, fontsize=fs - 1.5, color="#5d6d7e", va="bottom", ha="left")
    fig.tight_layout(rect=(0, cap_in / height_in + 0.01, 1, 1))
    items = [it for it in profile_labels(s, p) if not (small and it[2] == "village")]
    labels = place_upright_labels(fig, ax, d, z, items, fs - 1)
    _threshold_label(fig, ax, d, z, labels, threshold_m, fs)
    for a, b, label in shade:
        _span_label(fig, ax, d, z, labels, a, b, label, fs)
    return fig, ax, labels


def _span_label(fig, ax, d, z, labels, a: float, b: float, text: str, fs: float) -> None:
    """Write a shaded stretch's label at its foot when it fits inside the stretch, under the curve."""
    if not text:
        return
    renderer = fig.canvas.get_renderer()
    bottom, top = ax.get_ylim()
    t = ax.text(
        0.5 * (a + b),
        bottom + 0.02 * (top - bottom),
        text,
        ha="center",
        va="bottom",
        fontsize=fs - 1,
        color="#1b4f72",
        zorder=6,
    )
    box = t.get_window_extent(renderer)
    pts = ax.transData.transform(np.column_stack([d, z]))
    (xa, _), (xb, _) = ax.transData.transform([(a, bottom), (b, bottom)])
    over = ((pts[:, 0] > box.x0) & (pts[:, 0] < box.x1) & (pts[:, 1] < box.y1 + 2)).any()
    if over or box.x0 < xa or box.x1 > xb or any(box.overlaps(o.get_window_extent(renderer)) for o in labels):
        t.remove()  # the caption names the shading
        return
    labels.append(t)


def _threshold_label(fig, ax, d, z, labels, threshold_m: float, fs: float) -> None:
    """Write "4,000 m" on the reference line where it touches neither a label nor the curve."""
    bottom, top = ax.get_ylim()
    if not bottom < threshold_m < top:
        return
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in labels]
    for frac in (0.99, 0.01, 0.5, 0.25, 0.75, 0.9, 0.1):
        x = d[0] + frac * (d[-1] - d[0])
        t = ax.text(
            x,
            threshold_m,
            f"{thousands(threshold_m)} m",
            ha="right" if frac > 0.5 else "left",
            va="bottom",
            fontsize=fs - 0.5,
            color="#b03a2e",
            zorder=6,
        )
        box = t.get_window_extent(renderer)
        pts = ax.transData.transform(np.column_stack([d, z]))
        hit = ((pts[:, 0] > box.x0) & (pts[:, 0] < box.x1) & (pts[:, 1] > box.y0) & (pts[:, 1] < box.y1)).any()
        if not hit and not any(box.overlaps(b) for b in boxes):
            labels.append(t)
            return
        t.remove()


# -- map -----------------------------------------------------------------------
def _bbox(routes, pad_km: float):
    lon = np.concatenate([r.profile.lon for r in routes])
    lat = np.concatenate([r.profile.lat for r in routes])
    dlat = pad_km / 111.32
    dlon = pad_km / (111.32 * math.cos(math.radians(float(np.mean(lat)))))
    return (float(lon.min() - dlon), float(lat.min() - dlat), float(lon.max() + dlon), float(lat.max() + dlat))


def _lonlat_raster(dem, bbox, nx: int):
    """Sample a (metric) Grid onto a regular lon/lat raster over ``bbox`` (bilinear)."""
    from pyproj import Transformer

    w, s, e, n = bbox
    k = math.cos(math.radians(0.5 * (s + n)))
    ny = max(2, int(round(nx * (n - s) / ((e - w) * k))))
    lons = np.linspace(w, e, nx)
    lats = np.linspace(n, s, ny)
    LON, LAT = np.meshgrid(lons, lats)
    if dem.is_geographic:
        X, Y = LON, LAT
    else:
        X, Y = Transformer.from_crs("EPSG:4326", dem.crs, always_xy=True).transform(LON, LAT)
    return dem.sample(np.ravel(X), np.ravel(Y)).reshape(ny, nx), lons, lats


def _map_dem(routes, bbox, dem):
    if dem is not None:
        return dem
    for r in routes:
        if getattr(r, "dem", None) is not None:
            g = r.dem
            left, bottom, right, top = g.bounds
            return g
    from wakhan.dem import build_dem
    from wakhan.sources.pack import region_bounds

    rw, rs, re_, rn = region_bounds()
    w, s, e, n = bbox
    clipped = (max(w, rw), max(s, rs), min(e, re_), min(n, rn))
    if clipped[0] >= clipped[2] or clipped[1] >= clipped[3]:
        raise InputError(
            "the route lies outside the region pack, the only terrain `wakhan map` draws; "
            "draw it from Python with wakhan.figures.plot_map(..., dem=GRID)"
        )
    width_km = (clipped[2] - clipped[0]) * 111.32 * math.cos(math.radians(0.5 * (s + n)))
    return build_dem(clipped, source="pack", resolution_m=max(464.0, width_km * 1000 / 1600))


def _country_names() -> dict[str, str]:
    from wakhan.sources import pack

    doc = json.loads(Path(pack.countries_path()).read_text(encoding="utf-8"))
    return {str(f["properties"]["iso_a2"]).upper(): f["properties"].get("name", "") for f in doc["features"]}


def plot_map(
    routes,
    out_png,
    *,
    dem=None,
    places="auto",
    width_in: float = 7.0,
    dpi: int = 200,
    pad_km: float = 40.0,
    title: str | None = None,
    caption: str | None = None,
    corridor: tuple | None = None,
) -> Path:
    """Hillshaded terrain around one or more routes, with borders and named places.

    Parameters
    ----------
    routes : RouteResult, path, or a sequence of them
    out_png : path
        Written atomically.
    dem : Grid, optional
        Terrain to shade; default the routes' own DEM, else rebuilt from the region pack.
    places : sequence of Place, "auto" or None
        Gazetteer entries to mark ("auto": ``wakhan.places.load_places()``).
    pad_km : float
        Margin around the routes.
    corridor : (label, shapely geometry in lon/lat), optional
        The area a claim was measured on, outlined and named (e.g. the Wakhan Corridor definition).
    """
    from wakhan.map_layers import draw_corridor, draw_routes, elevation_key, label_countries

    out = _check_png(out_png)
    if isinstance(routes, (str, os.PathLike)) or hasattr(routes, "profile"):
        routes = [routes]
    routes = [_as_route(r) for r in routes]
    if not routes:
        raise InputError("plot_map needs at least one route")
    plt = _pyplot()
    import shapely
    from matplotlib import patheffects
    from matplotlib.colors import LightSource, LinearSegmentedColormap
    from matplotlib.patches import Rectangle

    bbox = _bbox(routes, pad_km)
    w, s, e, n = bbox
    grid = _map_dem(routes, bbox, dem)
    Z, lons, lats = _lonlat_raster(grid, bbox, 1400)
    mid_lat = 0.5 * (s + n)
    k = math.cos(math.radians(mid_lat))
    aspect = 1 / k
    height_in = min(
        (width_in - 0.6) * (n - s) / ((e - w) * k) + 1.1 + 0.2 * (len(routes) + (corridor is not None)), width_in * 1.5
    )
    fig, ax = plt.subplots(figsize=(width_in, height_in), dpi=dpi)
    cmap = LinearSegmentedColormap.from_list(
        "wakhan_terrain", [(0.0, "#a9c8a0"), (0.25, "#e8e1b5"), (0.5, "#c9a97a"), (0.75, "#a68b6d"), (1.0, "#f4f4f4")]
    )
    zf = np.where(np.isnan(Z), np.nanmin(Z), Z)
    dx = (lons[1] - lons[0]) * 111_320 * k
    dy = (lats[0] - lats[1]) * 111_320
    ls = LightSource(azdeg=315, altdeg=40)
    vmin, vmax = max(0.0, float(np.nanmin(Z))), min(7000.0, float(np.nanmax(Z)))
    rgb = ls.shade(zf, cmap=cmap, blend_mode="soft", vert_exag=1.5, dx=dx, dy=dy, vmin=vmin, vmax=vmax)
    rgb[np.isnan(Z)] = 1.0
    ax.imshow(rgb, extent=(w, e, s, n), origin="upper", aspect=aspect, interpolation="bilinear", zorder=0)

    fs = 7.5 if width_in < 5 else 8.5
    halo = [patheffects.withStroke(linewidth=2.4, foreground="white")]
    from wakhan.borders import load_countries

    box = shapely.box(w, s, e, n)
    names = _country_names()
    countries = load_countries()
    for geom in countries.values():
        if shapely.intersection(geom, box).is_empty:
            continue
        for line in shapely.get_parts(shapely.intersection(shapely.boundary(geom), box)):
            xs, ys = np.asarray(line.coords).T[:2]
            ax.plot(xs, ys, color="#4d4d4d", lw=0.9, ls=(0, (5, 2, 1, 2)), zorder=2)
    handles = draw_routes(ax, routes, ROUTE_COLOURS)
    if corridor is not None:
        handles.append(draw_corridor(ax, corridor[0], corridor[1], fs - 1))
    elevation_key(fig, ax, cmap, vmin, vmax, fs, routes)
    handles += mark_tunnels_on_map(ax, routes, fs)

    ax.set_xlim(w, e)
    ax.set_ylim(s, n)
    ax.set_xlabel("Longitude (°E)", fontsize=fs)
    ax.set_ylabel("Latitude (°N)", fontsize=fs)
    ax.tick_params(labelsize=fs - 0.5)
    legend = ax.legend(
        handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.07), fontsize=fs - 1, frameon=False, ncol=1
    )
    if title:
        ax.set_title(title, fontsize=fs + 1.5, loc="left", fontweight="bold")
    src = "; ".join(f"{x.name} {x.resolution}".strip() for x in grid.sources) or "unknown"
    cap = (
        f"Terrain: {src}, hillshaded from a {grid.describe_resolution()} grid. Borders: Natural Earth 10m "
        f"admin-0 (German point of view), as drawn there, not an endorsement. Routes are drawn cased, earlier "
        f"ones wider and beneath, so stretches they share show every route. {caption or ''}"
    )
    cap = _wrap(cap.strip(), width_in, fs - 1.5)
    fig.text(0.01, 0.01, cap, fontsize=fs - 1.5, color="#5d6d7e", va="bottom", ha="left")
    cap_in = (cap.count("\n") + 1) * (fs - 1.5) * 1.25 / 72 + 0.12
    fig.tight_layout(rect=(0, cap_in / height_in + 0.01, 1, 1))
    if isinstance(places, str):
        from wakhan.places import load_places

        places = load_places()
    on_route = {p["name"] for r in routes for p in r.summary.get("places_along", [])}
    on_route |= {wp["name"] for r in routes for wp in r.summary.get("waypoints", [])}
    rank = {"waypoint": 0, "pass": 1, "city": 2, "town": 3, "village": 4, "lake": 5}
    shown = [
        p
        for p in places or ()
        if w < p.lon < e and s < p.lat < n and (p.kind not in ("village", "lake") or p.name in on_route)
    ]
    shown.sort(key=lambda p: (p.name not in on_route, rank.get(p.kind, 9)))
    renderer = fig.canvas.get_renderer()
    taken = [legend.get_window_extent(renderer)]
    for p in shown:
        marker = {"pass": "^", "city": "s", "town": "o"}.get(p.kind, ".")
        ax.plot(
            [p.lon],
            [p.lat],
            marker=marker,
            ms=4.5 if p.kind != "village" else 3.5,
            color="#1c2833",
            mec="white",
            mew=0.6,
            zorder=6,
            ls="none",
        )
        east = p.lon > e - 0.15 * (e - w)  # near the right edge the label goes on the marker's left
        t = ax.annotate(
            p.name,
            (p.lon, p.lat),
            xytext=(-3 if east else 3, 2),
            textcoords="offset points",
            ha="right" if east else "left",
            fontsize=fs - 1.5,
            color="#1c2833",
            path_effects=halo,
            zorder=7,
            fontweight="bold" if p.kind in ("city", "pass") else "normal",
        )
        box = t.get_window_extent(renderer)
        if any(box.overlaps(b) for b in taken):
            t.remove()  # a more important label is there already; the marker stays
        else:
            taken.append(box)
    route_pts = np.concatenate([np.column_stack([r.profile.lon, r.profile.lat])[::10] for r in routes])
    place_pts = np.array([(p.lon, p.lat) for p in shown]).reshape(-1, 2)
    label_countries(ax, {c: g for c, g in countries.items()}, names, bbox, np.concatenate([route_pts, place_pts]), fs)

    # scale bar: 100 km along the bottom-left
    bar_km = 100 if (e - w) * 111.32 * k > 300 else 50
    x1, y0 = e - 0.04 * (e - w), s + 0.04 * (n - s)
    x0 = x1 - bar_km / (111.32 * k)
    ax.add_patch(
        Rectangle(
            (x0 - 0.01 * (e - w), y0 - 0.015 * (n - s)),
            (x1 - x0) + 0.02 * (e - w),
            0.06 * (n - s),
            facecolor="white",
            alpha=0.75,
            lw=0,
            zorder=7.5,
        )
    )
    ax.plot([x0, x1], [y0, y0], color="black", lw=2.5, solid_capstyle="butt", zorder=8)
    ax.text(
        0.5 * (x0 + x1),
        y0 + 0.012 * (n - s),
        f"{bar_km} km",
        ha="center",
        va="bottom",
        fontsize=fs - 1,
        path_effects=halo,
        zorder=8,
    )
    with atomic_path(out) as tmp:
        save_png(fig, tmp, dpi)
    plt.close(fig)
    return out
