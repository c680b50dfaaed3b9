"""The hillshaded map of one or more routes: terrain, borders, routes, places, corridor, scale."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import numpy as np
import shapely
from pyproj import Transformer

from wakhan.borders import load_countries
from wakhan.dem import build_dem
from wakhan.errors import InputError
from wakhan.figures.common import ROUTE_COLOURS, _as_route, _check_png, _check_size, _pyplot, _wrap
from wakhan.figures.layout import line_pixels, save_png
from wakhan.figures.map_layers import draw_corridor, draw_routes, elevation_key, label_countries
from wakhan.figures.map_places import label_places, places_in_view
from wakhan.figures.marks import mark_tunnels_on_map
from wakhan.fileio import atomic_path
from wakhan.places import load_places
from wakhan.sources import pack
from wakhan.sources.pack import region_bounds

__all__ = ["plot_map", "draw_map"]


def _bbox(routes, pad_km: float):
    lon = np.concatenate([r.profile.lon for r in routes])
    lat = np.concatenate([r.profile.lat for r in routes])
    dlat = pad_km / 111.32
    dlon = pad_km / (111.32 * math.cos(math.radians(float(np.mean(lat)))))
    return (float(lon.min() - dlon), float(lat.min() - dlat), float(lon.max() + dlon), float(lat.max() + dlat))


def _lonlat_raster(dem, bbox, nx: int):
    """Sample a (metric) Grid onto a regular lon/lat raster over ``bbox`` (bilinear)."""
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
            return r.dem
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
    doc = json.loads(Path(pack.countries_path()).read_text(encoding="utf-8"))
    return {str(f["properties"]["iso_a2"]).upper(): f["properties"].get("name", "") for f in doc["features"]}


def draw_map(
    routes,
    *,
    dem=None,
    places="auto",
    width_in: float = 7.0,
    dpi: int = 200,
    pad_km: float = 40.0,
    title: str | None = None,
    caption: str | None = None,
    corridor: tuple | None = None,
) -> tuple:
    """The map of :func:`plot_map`, unsaved: ``(figure, axes, layout)``.

    ``layout`` holds what a layout check needs: ``boxes`` (name -> text or legend
    artist: every place and country label, the legend, the scale bar's and the
    elevation key's boxes) and ``routes`` (name -> (line artist, half its drawn
    width in pixels)).

    Parameters
    ----------
    routes : RouteResult, path, or a sequence of them
    dem : Grid, optional
        Terrain to shade; default the routes' own DEM, else rebuilt from the region pack.
    places : sequence of Place, "auto" or None
        Gazetteer entries to mark ("auto": ``wakhan.places.load_places()``).
    pad_km : float
        Margin around the routes, km: 0 or more (a negative margin would crop the routes).
    corridor : (label, shapely geometry in lon/lat), optional
        The area a claim was measured on, outlined and named (e.g. the Wakhan Corridor definition).

    Examples
    --------
    The route of :func:`wakhan.figures.profile.draw_profile`'s example on a terrain ramp, no places:

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> from wakhan.route import Profile, RouteResult, build_summary, geodesic_distance_km
    >>> lon, lat = np.linspace(73.0, 73.5, 51), np.full(51, 37.0)
    >>> d = geodesic_distance_km(lon, lat)
    >>> p = Profile(d, lon, lat, 3000.0 + 1500.0 * np.sin(np.linspace(0.0, np.pi, 51)))
    >>> route = RouteResult(build_summary(p, "walk", places=[], country_at=None), p)
    >>> from affine import Affine
    >>> from wakhan.grid import Grid
    >>> ramp = np.tile(3500.0 + 10.0 * np.arange(60, dtype=np.float32), (30, 1))
    >>> dem = Grid(ramp, Affine(0.02, 0, 72.6, 0, -0.02, 37.3), "EPSG:4326")
    >>> fig, ax, layout = draw_map(route, dem=dem, places=None, pad_km=5.0)
    >>> sorted(layout["routes"])  # the legend's words for each route line
    ['walk (45 km)']
    >>> plt.close(fig)
    """
    if not (isinstance(pad_km, (int, float)) and math.isfinite(pad_km) and pad_km >= 0):
        given = f"{pad_km:g}" if isinstance(pad_km, (int, float)) else repr(pad_km)
        raise InputError(
            f"--pad-km {given} must be a margin of 0 km or more around the routes (a negative one crops "
            "them off the map), e.g. --pad-km 40"
        )
    if isinstance(routes, (str, os.PathLike)) or hasattr(routes, "profile"):
        routes = [routes]
    routes = [_as_route(r) for r in routes]
    if not routes:
        raise InputError("plot_map needs at least one route")
    _check_size(width_in, None, dpi)
    plt = _pyplot()
    from matplotlib import patheffects  # lazy: matplotlib, only when drawing
    from matplotlib.colors import LightSource, LinearSegmentedColormap  # lazy: matplotlib, only when drawing

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
    route_lines = list(handles)
    if corridor is not None:
        handles.append(draw_corridor(ax, corridor[0], corridor[1], fs - 1))
    key = elevation_key(fig, ax, cmap, vmin, vmax, fs, routes)
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
    cap_text = fig.text(0.01, 0.01, cap, fontsize=fs - 1.5, color="#5d6d7e", va="bottom", ha="left")
    cap_in = (cap.count("\n") + 1) * (fs - 1.5) * 1.25 / 72 + 0.12
    ax.set_anchor("N")  # before the layout, which then sees the title where it will be
    fig.tight_layout(rect=(0, cap_in / height_in + 0.01, 1, 1))
    _clear_caption(fig, ax, legend, cap_text, cap_in)
    if isinstance(places, str):
        places = load_places()
    on_route = {p["name"] for r in routes for p in r.summary.terrain.places_along or []}
    waypoints = {wp["name"] for r in routes for wp in r.summary.terrain.waypoints or []}
    on_route |= waypoints
    shown = places_in_view(places, bbox, on_route)
    ax.apply_aspect()  # the axes take their final place (the image's aspect) before labels are measured
    renderer = fig.canvas.get_renderer()
    scale, scale_text = _scale_bar(ax, bbox, k, fs, halo)
    boxes: dict = {"legend": legend, "elevation key": key.background, "scale bar": scale}
    boxes.update({f"label {t.get_text()}": t for t in ax.texts if t is not scale_text})  # the corridor's name
    px = fig.dpi / 72
    lines = {
        h.get_label(): (h, 0.5 * px * (h.get_linewidth() + (1.6 if i == 0 else 0.0))) for i, h in enumerate(route_lines)
    }
    clear_of = [(line_pixels(ax, *h.get_data()), half) for h, half in lines.values()]
    taken = [a.get_window_extent(renderer) for a in boxes.values()]
    # a pass or an end of the routes may stand farther off, with a leader line: the Mintaka Pass, a
    # historic crossing between the Kilik and the Khunjerab that no route takes, had no near spot clear
    far = waypoints | {p.name for p in shown if p.kind == "pass"}
    boxes.update(label_places(ax, shown, bbox, fs, halo, taken, clear_of, far))
    route_pts = np.concatenate([np.column_stack([r.profile.lon, r.profile.lat])[::10] for r in routes])
    place_pts = np.array([(p.lon, p.lat) for p in shown]).reshape(-1, 2)
    for t in label_countries(
        ax,
        {c: g for c, g in countries.items()},
        names,
        bbox,
        np.concatenate([route_pts, place_pts]),
        fs,
        clear=(renderer, taken, clear_of),
    ):
        taken.append(t.get_window_extent(renderer))
        boxes[f"country {t.get_text()}"] = t
    return fig, ax, {"boxes": boxes, "routes": lines}


def _clear_caption(fig, ax, legend, caption, cap_in: float, gap_pt: float = 4.0) -> None:
    """Grow or cut the figure at the bottom until the caption stands ``gap_pt`` under the legend.

    The figure's height is guessed from the number of routes before the legend exists; a legend with
    more rows (a tunnel, the corridor) reached down over the caption's data-source line. The map is
    anchored to the top (``draw_map`` sets it), so the height added opens below the legend. A height
    guessed too large is cut back (:func:`_cut_band_under_legend`).
    """
    renderer = fig.canvas.get_renderer()
    for _ in range(4):
        ax.apply_aspect()
        _legend_below_axis_labels(fig, ax, legend, gap_pt)
        overlap_px = (
            caption.get_window_extent(renderer).y1 + gap_pt * fig.dpi / 72 - legend.get_window_extent(renderer).y0
        )
        if overlap_px <= 0:
            break
        height_in = fig.get_figheight() + overlap_px / fig.dpi + 0.05
        fig.set_size_inches(fig.get_figwidth(), height_in)
        fig.tight_layout(rect=(0, cap_in / height_in + 0.01, 1, 1))
    ax.apply_aspect()
    _legend_below_axis_labels(fig, ax, legend, gap_pt)
    _cut_band_under_legend(fig, ax, legend, caption, gap_pt)


def _cut_band_under_legend(fig, ax, legend, caption, gap_pt: float) -> None:
    """Cut the figure's height below the map by the empty band between the legend and the caption.

    The height is guessed (and only ever grown) before the legend exists, and a tall map's layout leaves
    room for the legend under its axes: the caption stood up to 20 points under the legend. Everything
    above the band keeps its place in inches from the top; the caption keeps its place at the bottom.
    """
    renderer = fig.canvas.get_renderer()
    band_px = legend.get_window_extent(renderer).y0 - caption.get_window_extent(renderer).y1 - gap_pt * fig.dpi / 72
    if band_px <= 1.0:
        return
    cut_in, old_in = band_px / fig.dpi, fig.get_figheight()
    new_in = old_in - cut_in
    for a in fig.axes:
        if a.get_axes_locator() is not None:
            continue  # an inset (the elevation key) follows its parent
        p = a.get_position(original=True)
        a.set_position([p.x0, (p.y0 * old_in - cut_in) / new_in, p.width, p.height * old_in / new_in], which="both")
    caption.set_y(caption.get_position()[1] * old_in / new_in)
    fig.set_size_inches(fig.get_figwidth(), new_in)
    ax.apply_aspect()


def _legend_below_axis_labels(fig, ax, legend, gap_pt: float) -> None:
    """Hang the legend under the map ``gap_pt`` below the lowest of the x axis' label and tick labels.

    It hung a fixed share (7 %) of the axes' height below them: on a wide, short map that is less than
    the tick labels and "Longitude (°E)" take, and the legend covered the axis label.
    """
    renderer = fig.canvas.get_renderer()
    labels = ax.xaxis.get_tightbbox(renderer)  # places the ticks and the axis label where a draw puts them
    axes = ax.get_window_extent(renderer)
    if labels is None or axes.height <= 0:
        return
    low_px = min(labels.y0, axes.y0) - gap_pt * fig.dpi / 72
    legend.set_bbox_to_anchor((0.5, (low_px - axes.y0) / axes.height), transform=ax.transAxes)


def _scale_bar(ax, bbox, k: float, fs: float, halo):
    """A 100 km (50 km on small maps) scale bar in the lower right; returns its box and its label."""
    from matplotlib.patches import Rectangle  # lazy: matplotlib, only when drawing

    w, s, e, n = bbox
    bar_km = 100 if (e - w) * 111.32 * k > 300 else 50
    x1, y0 = e - 0.04 * (e - w), s + 0.04 * (n - s)
    x0 = x1 - bar_km / (111.32 * k)
    back = Rectangle(
        (x0 - 0.01 * (e - w), y0 - 0.015 * (n - s)),
        (x1 - x0) + 0.02 * (e - w),
        0.06 * (n - s),
        facecolor="white",
        alpha=0.75,
        lw=0,
        zorder=7.5,
    )
    ax.add_patch(back)
    ax.plot([x0, x1], [y0, y0], color="black", lw=2.5, solid_capstyle="butt", zorder=8)
    text = ax.text(
        0.5 * (x0 + x1),
        y0 + 0.012 * (n - s),
        f"{bar_km} km",
        ha="center",
        va="bottom",
        fontsize=fs - 1,
        path_effects=halo,
        zorder=8,
    )
    return back, text


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

    Labels (places, country names) and the legend stand clear of the routes and of each other
    (:func:`draw_map`); a place whose label finds no clear spot keeps its marker only.

    Parameters
    ----------
    routes : RouteResult, path, or a sequence of them
    out_png : path
        Written atomically.
    dem, places, width_in, dpi, pad_km, title, caption, corridor
        As for :func:`draw_map`.

    Examples
    --------
    >>> import numpy as np
    >>> from wakhan.route import Profile, RouteResult, build_summary, geodesic_distance_km
    >>> lon, lat = np.linspace(73.0, 73.5, 51), np.full(51, 37.0)
    >>> d = geodesic_distance_km(lon, lat)
    >>> p = Profile(d, lon, lat, 3000.0 + 1500.0 * np.sin(np.linspace(0.0, np.pi, 51)))
    >>> route = RouteResult(build_summary(p, "walk", places=[], country_at=None), p)
    >>> from affine import Affine
    >>> from wakhan.grid import Grid
    >>> ramp = np.tile(3500.0 + 10.0 * np.arange(60, dtype=np.float32), (30, 1))
    >>> dem = Grid(ramp, Affine(0.02, 0, 72.6, 0, -0.02, 37.3), "EPSG:4326")
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = plot_map(route, Path(tmp) / "map.png", dem=dem, places=None, pad_km=5.0, dpi=80)
    ...     out.name, out.read_bytes()[1:4]
    ('map.png', b'PNG')
    """
    out = _check_png(out_png)
    fig, _ax, _layout = draw_map(
        routes,
        dem=dem,
        places=places,
        width_in=width_in,
        dpi=dpi,
        pad_km=pad_km,
        title=title,
        caption=caption,
        corridor=corridor,
    )
    with atomic_path(out) as tmp:
        save_png(fig, tmp, dpi)
    _pyplot().close(fig)
    return out
