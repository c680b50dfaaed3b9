"""Map of a remoteness surface: walking hours to the nearest settlement, settlements, outlines, marked points."""

from __future__ import annotations

import numpy as np

from wakhan.cost.walking import WalkingModel, walking_speed
from wakhan.dem.project import lonlat_to_xy
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
    if levels:
        cs = ax.contour(xs, ys, h, levels=levels, colors="#00b4d8", linewidths=0.7)
        ax.clabel(cs, fmt=lambda v: f"{v:g} h", fontsize=6)
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
    for label, lon, lat in points:
        x, y = lonlat_to_xy(grid.crs, [lon], [lat])
        px, py = float(np.asarray(x)[0]) / 1000.0, float(np.asarray(y)[0]) / 1000.0
        ax.plot(px, py, marker="*", ms=11, color="#e63946", mec="white", mew=0.8)
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
    ax.set_xlabel("easting, km", fontsize=8)
    ax.set_ylabel("northing, km", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.set_title(title, fontsize=10)
    ax.legend(loc="lower left", fontsize=6, markerscale=4, framealpha=0.8)
    names = "; ".join(f"{src.name} {src.resolution}".strip() for src in grid.sources)
    caption = (
        f"Data: {names}. Grid {grid.describe_resolution()}, {grid.crs.to_dict().get('proj', 'projected')} "
        f"projection. {_speed(surface.model)}, time from each cell to its nearest "
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


def _speed(model) -> str:
    """The caption's words for the speed the hours are walked at (the calibrated factor, not bare Tobler)."""
    if isinstance(model, WalkingModel):
        text = walking_speed(model)["description"]
        return text[0].upper() + text[1:]
    return f"{model.name.capitalize()} model"
