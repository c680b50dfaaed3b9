"""Map of a remoteness surface: walking hours to the nearest settlement, settlements, outlines, marked points."""

from __future__ import annotations

import numpy as np

from wakhan.cost.walking import WalkingModel, walking_speed
from wakhan.dem.project import lonlat_to_xy, xy_to_lonlat
from wakhan.figures.common import _check_png, _pyplot, _wrap
from wakhan.fileio import atomic_path

__all__ = ["plot_remoteness"]


def plot_remoteness(
    surface,
    out_png,
    *,
    outlines=(),
    points=(),
    contours_h=(8.0, 24.0, 48.0),
    title: str = "Walking time to the nearest settlement",
    width_in: float = 7.0,
    dpi: int = 200,
):
    """Draw ``surface`` (a :class:`wakhan.remoteness.Remoteness`) in hours, with its settlements.

    Parameters
    ----------
    surface : Remoteness
    out_png : path (.png, .pdf, .svg), written atomically
    outlines : sequence of (label, shapely geometry in lon/lat)
        Areas to outline (the first solid, the others dashed), e.g. corridor readings.
    points : sequence of (label, lon, lat)
        Points to mark with a star and a label, e.g. the most remote points.
    contours_h : hours drawn as contour lines

    Examples
    --------
    A flat 15 x 10 km grid with a settlement in two opposite corners, the point between them starred:

    >>> import tempfile
    >>> from pathlib import Path
    >>> from affine import Affine
    >>> from wakhan.dem.project import xy_to_lonlat
    >>> from wakhan.grid import DataSource, Grid
    >>> from wakhan.remoteness import remoteness
    >>> from wakhan.settlements import Settlements
    >>> flat = Grid(np.zeros((10, 15), np.float32), Affine(1000, 0, 0, 0, -1000, 0), "EPSG:32643")
    >>> lon, lat = xy_to_lonlat(flat.crs, [500.0, 14500.0], [-500.0, -9500.0])
    >>> towns = Settlements(lon, lat, ("west", "east"), DataSource("built"))
    >>> surface = remoteness(towns, dem=flat, neighbours=8, model=WalkingModel())
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = plot_remoteness(surface, Path(tmp) / "remote.png", points=[("between", lon.mean(), lat.mean())], dpi=60)
    ...     out.name, out.read_bytes()[1:4]
    ('remote.png', b'PNG')
    """
    out = _check_png(out_png)
    plt = _pyplot()
    grid = surface.hours
    h = np.ma.masked_invalid(grid.array)
    w, s, e, n = grid.bounds
    extent = np.array([w, e, s, n]) / 1000.0
    aspect = (n - s) / max(e - w, 1.0)
    fig, ax = plt.subplots(figsize=(width_in, width_in * aspect * 0.85 + 0.6))
    finite = np.isfinite(grid.array).any()
    vmax = max(float(np.nanpercentile(grid.array, 99.5)) if finite else 1.0, 1.0)
    im = ax.imshow(h, extent=extent, origin="upper", cmap="magma_r", vmin=0, vmax=vmax)
    # the scale stops at the 99.5th percentile: an arrow says its top colour means "this or more"
    beyond = finite and float(np.nanmax(grid.array)) > vmax
    cb = fig.colorbar(im, ax=ax, shrink=0.8, pad=0.02, extend="max" if beyond else "neither")
    cb.set_label("walking hours to the nearest settlement", fontsize=8)
    cb.ax.tick_params(labelsize=7)
    xs = (np.arange(grid.width) + 0.5) * grid.res[0] / 1000.0 + extent[0]
    ys = extent[3] - (np.arange(grid.height) + 0.5) * grid.res[1] / 1000.0
    levels = [c for c in sorted(contours_h) if c < np.nanmax(grid.array)] if np.isfinite(grid.array).any() else []
    cs = ax.contour(xs, ys, h, levels=levels, colors="#00b4d8", linewidths=0.7) if levels else None
    sx, sy = lonlat_to_xy(grid.crs, surface.settlements.lon, surface.settlements.lat)
    ax.scatter(np.asarray(sx) / 1000.0, np.asarray(sy) / 1000.0, s=1.5, c="#2a9d8f", lw=0, label="settlements")
    for i, (label, geom) in enumerate(outlines):
        for poly in getattr(geom, "geoms", [geom]):
            lon, lat = np.asarray(poly.exterior.coords).T
            x, y = lonlat_to_xy(grid.crs, lon, lat)
            ax.plot(
                np.asarray(x) / 1000.0,
                np.asarray(y) / 1000.0,
                color="#0b3d91",
                lw=1.2 if i == 0 else 0.8,
                ls="-" if i == 0 else "--",
                label=label if poly is getattr(geom, "geoms", [geom])[0] else None,
            )
    stars = []
    for label, lon, lat in points:
        x, y = lonlat_to_xy(grid.crs, [lon], [lat])
        px, py = float(np.asarray(x)[0]) / 1000.0, float(np.asarray(y)[0]) / 1000.0
        stars += ax.plot(px, py, marker="*", ms=11, color="#e63946", mec="white", mew=0.8)
        right = px > (extent[0] + extent[1]) / 2
        ax.annotate(
            label,
            (px, py),
            xytext=(-8 if right else 8, 8),
            textcoords="offset points",
            ha="right" if right else "left",
            fontsize=7,
            color="#111",
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8},
        )
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    _graticule(ax, grid.crs, extent)
    ax.set_xlabel("longitude (where each meridian meets the map's foot)", fontsize=8)
    ax.set_ylabel("latitude (where each parallel meets the map's side)", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.set_title(title, fontsize=10)
    legend = ax.legend(loc="lower left", fontsize=6, markerscale=4, framealpha=0.8)
    if cs is not None:  # last: the labels stand clear of every other label, the legend and the stars
        _label_contours(fig, ax, cs, [legend, *ax.texts, *stars])
    names = "; ".join(f"{src.name} {src.resolution}".strip() for src in grid.sources)
    caption = (
        f"Data: {names}. Grid {grid.describe_resolution()}, {_projection(grid.crs)}; grey lines: a "
        f"latitude/longitude graticule. {_speed(surface.model)}, time from each cell to its nearest "
        f"settlement, one multi-source search on the reversed graph."
    )
    ax.annotate(
        _wrap(caption, width_in - 1.2, 6.5),
        (0.0, -0.12),
        xycoords="axes fraction",
        va="top",
        ha="left",
        fontsize=6.5,
    )
    with atomic_path(out) as tmp:
        fig.savefig(tmp, dpi=dpi, bbox_inches="tight", pad_inches=0.08)
    plt.close(fig)
    return out


#: Space kept round a contour label, pixels, from other labels, the legend, the stars and the map's edge.
_CONTOUR_GAP_PX = 6.0


def _label_contours(fig, ax, cs, avoid) -> None:
    """One label per contour level ("8 h"), on the line, inside the map, clear of every artist of ``avoid``
    (labels, legend, stars) and of the other levels' labels by a label's height where it can be, and
    nearest the map's centre among such spots.

    ``clabel`` alone writes a label on every closed loop of every level: on the claims map some thirty
    "8 h" labels crowded the contours, the corridor outline and one another. A level with no spot clear
    of them all goes unlabelled (its line is still drawn).
    """
    from matplotlib.transforms import Bbox  # lazy: matplotlib, only when drawing

    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    taken = [a.get_window_extent(renderer) for a in avoid]
    gap = _CONTOUR_GAP_PX * fig.dpi / 100.0
    manual, labelled = [], []
    for level, segs in zip(cs.levels, cs.allsegs):
        probe = ax.text(0, 0, _hours(level), fontsize=6)
        box = probe.get_window_extent(renderer)
        probe.remove()
        hw, hh = 0.5 * box.width + gap, 0.5 * box.height + gap
        pts = [s[:: max(1, len(s) // 200)] for s in segs if len(s) >= 8]  # a short piece: no room for a label
        if not pts:
            continue
        data = np.concatenate(pts)
        pix = ax.transData.transform(data)
        inside = (
            (pix[:, 0] - hw >= frame.x0)
            & (pix[:, 0] + hw <= frame.x1)
            & (pix[:, 1] - hh >= frame.y0)
            & (pix[:, 1] + hh <= frame.y1)
        )
        score = np.full(len(pix), np.inf)
        for b in taken:
            gx = np.maximum(0.0, np.maximum(b.x0 - (pix[:, 0] + hw), (pix[:, 0] - hw) - b.x1))
            gy = np.maximum(0.0, np.maximum(b.y0 - (pix[:, 1] + hh), (pix[:, 1] - hh) - b.y1))
            score = np.minimum(score, np.hypot(gx, gy))
        ok = inside & (score > 0)
        if not ok.any():
            continue
        # clear by a label's height or more counts as clear; among those spots, the one nearest the
        # map's centre (a label in a corner reads as a stray mark)
        clear = np.minimum(score, 2 * hh)
        centre = np.hypot(pix[:, 0] - 0.5 * (frame.x0 + frame.x1), pix[:, 1] - 0.5 * (frame.y0 + frame.y1))
        i = int(np.argmax(np.where(ok, clear * 1e6 - centre, -np.inf)))
        manual.append(tuple(data[i]))
        labelled.append(level)
        (cx, cy) = pix[i]
        taken.append(Bbox([[cx - hw, cy - hh], [cx + hw, cy + hh]]))
    if manual:
        from matplotlib import patheffects  # lazy: matplotlib, only when drawing

        for t in ax.clabel(cs, levels=labelled, manual=manual, fmt=_hours, fontsize=6, inline=True, inline_spacing=3):
            t.set_color("#005f73")  # the contours' cyan, darkened, on a white halo: legible on dark and light
            t.set_path_effects([patheffects.withStroke(linewidth=2.0, foreground="white")])


def _hours(v: float) -> str:
    """A contour's label: ``8.0 -> "8 h"``."""
    return f"{v:g} h"


def _speed(model) -> str:
    """The caption's words for the speed the hours are walked at (the calibrated factor, not bare Tobler)."""
    if isinstance(model, WalkingModel):
        text = walking_speed(model)["description"]
        return text[0].upper() + text[1:]
    return f"{model.name.capitalize()} model"


#: Graticule spacings tried, degrees: the first that draws at most 6 meridians and 6 parallels.
_STEPS_DEG = (0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0)


def _projection(crs) -> str:
    """The caption's words for the grid's projection, with its centre where it has one."""
    p = crs.to_dict()
    name = {"aeqd": "azimuthal equidistant", "utm": "UTM", "tmerc": "transverse Mercator"}.get(p.get("proj"), "")
    if p.get("proj") == "utm":
        return f"UTM zone {p.get('zone')}{'S' if p.get('south') else 'N'} projection"
    if "lat_0" in p and "lon_0" in p:
        return f"{name or p.get('proj', 'projected')} projection centred on {_deg(p['lat_0'], 'NS')} {_deg(p['lon_0'], 'EW')}"
    return f"{name or p.get('proj', 'projected')} projection"


def _deg(v: float, hemi: str) -> str:
    """``72.5, "EW" -> "72.5°E"``."""
    return f"{abs(v):g}°{hemi[0] if v >= 0 else hemi[1]}"


def _graticule(ax, crs, extent_km) -> None:
    """Draw meridians and parallels over the projected map (km) and label the axes in degrees where they
    meet its foot (longitude) and its left side (latitude); the data stay in the projection."""
    x0, x1, y0, y1 = (float(v) for v in extent_km)
    edge = np.linspace(0.0, 1.0, 101)
    ex = np.concatenate([x0 + (x1 - x0) * edge, np.full(101, x1), x1 - (x1 - x0) * edge, np.full(101, x0)])
    ey = np.concatenate([np.full(101, y0), y0 + (y1 - y0) * edge, np.full(101, y1), y1 - (y1 - y0) * edge])
    lon, lat = (np.asarray(v, float) for v in xy_to_lonlat(crs, ex * 1000.0, ey * 1000.0))
    if not (np.isfinite(lon).all() and np.isfinite(lat).all()) or np.ptp(lon) > 180:
        return  # a map across the antimeridian or beyond the projection's domain keeps projected axes
    step = next((d for d in _STEPS_DEG if max(np.ptp(lon), np.ptp(lat)) / d <= 6), _STEPS_DEG[-1])
    ticks: dict[str, tuple[list[float], list[str]]] = {"x": ([], []), "y": ([], [])}
    for axis, values, span in (("x", lon, lat), ("y", lat, lon)):
        for v in np.arange(np.ceil(values.min() / step) * step, values.max() + 1e-9, step):
            along = np.linspace(span.min(), span.max(), 200)
            lons, lats = (np.full_like(along, v), along) if axis == "x" else (along, np.full_like(along, v))
            px, py = (np.asarray(c, float) / 1000.0 for c in lonlat_to_xy(crs, lons, lats))
            ax.plot(px, py, color="#6c757d", lw=0.4, alpha=0.7, zorder=0.5)
            # where the line meets the foot (a meridian) or the left side (a parallel)
            cut, other = (py - y0, px) if axis == "x" else (px - x0, py)
            for i in np.flatnonzero(np.sign(cut[:-1]) != np.sign(cut[1:])):
                at = other[i] + (other[i + 1] - other[i]) * cut[i] / (cut[i] - cut[i + 1])
                lo, hi = (x0, x1) if axis == "x" else (y0, y1)
                if lo <= at <= hi:
                    ticks[axis][0].append(float(at))
                    ticks[axis][1].append(_deg(round(float(v), 6), "EW" if axis == "x" else "NS"))
    ax.set_xticks(*ticks["x"])
    ax.set_yticks(*ticks["y"])
