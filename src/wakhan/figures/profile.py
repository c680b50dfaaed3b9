"""The elevation profile of a route: the curve, the 4,000 m line, passes, places, engineering marks."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from wakhan.errors import InputError
from wakhan.figures.common import _as_route, _check_png, _check_size, _pyplot, _wrap, data_caption
from wakhan.figures.layout import add_legend_entries, box_is_clear, line_pixels, save_png, thousands
from wakhan.figures.marks import _ground_over_tunnels, label_tunnels_on_profile, mark_engineering_on_profile
from wakhan.figures.profile_headroom import _tighten_top
from wakhan.figures.profile_labels import (
    LABEL_WITHIN_KM,
    TOWN_LABEL_WITHIN_KM,
    place_upright_labels,
    profile_labels,
)
from wakhan.fileio import atomic_path
from wakhan.route.naming import PASS_NAME_KM
from wakhan.route.summary import Engineering

__all__ = ["plot_profile", "draw_profile"]


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
    km_above: bool | None = None,
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
    km_above : bool, optional
        Give the km above ``threshold_m`` in the numbers line and draw its reference line: True
        always (the claims ask), False never; by default only when the route reaches that height
        ("0 km above 4,000 m" says nothing of an Alpine road).

    Examples
    --------
    >>> import numpy as np
    >>> from wakhan.route import Profile, RouteResult, build_summary, geodesic_distance_km
    >>> lon, lat = np.linspace(73.0, 73.5, 51), np.full(51, 37.0)
    >>> d = geodesic_distance_km(lon, lat)
    >>> p = Profile(d, lon, lat, 3000.0 + 1500.0 * np.sin(np.linspace(0.0, np.pi, 51)))
    >>> route = RouteResult(build_summary(p, "walk", places=[], country_at=None), p)
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = plot_profile(route, Path(tmp) / "profile.png", dpi=80)
    ...     out.name, out.read_bytes()[1:4]
    ('profile.png', b'PNG')
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
        km_above=km_above,
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
    km_above: bool | None = None,
):
    """The profile figure of :func:`plot_profile`, unsaved: ``(figure, axes, label artists)``.

    The label artists are every label written on the axes: tunnels', places', passes', the
    reference line's and the shaded stretches'.

    Examples
    --------
    A 44 km route rising to 4,500 m halfway: its pass and the 4,000 m line are labelled.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> from wakhan.route import Profile, RouteResult, build_summary, geodesic_distance_km
    >>> lon, lat = np.linspace(73.0, 73.5, 51), np.full(51, 37.0)
    >>> d = geodesic_distance_km(lon, lat)
    >>> p = Profile(d, lon, lat, 3000.0 + 1500.0 * np.sin(np.linspace(0.0, np.pi, 51)))
    >>> route = RouteResult(build_summary(p, "walk", places=[], country_at=None), p)
    >>> fig, ax, labels = draw_profile(route)
    >>> sorted(t.get_text() for t in labels)
    ['4,000 m', '4,500 m']
    >>> plt.close(fig)
    """
    route = _as_route(route)
    _check_size(width_in, height_in, dpi)
    if any(len(tuple(stretch)) != 3 for stretch in shade):
        raise InputError(
            "shade takes (start_km, end_km, label) triples, e.g. [(40.0, 120.0, 'no settlement within 5 km')]"
        )
    plt = _pyplot()
    from matplotlib.ticker import FuncFormatter  # lazy: matplotlib, only when drawing

    s, p = route.summary, route.profile
    t, eng = s.terrain, s.engineering or Engineering()
    small = width_in < 5
    fs = 7.5 if small else 8.5
    artefacts = [p_ for p_ in t.passes or [] if p_.get("artefact")]
    legend = (
        (
            "Black triangles: passes (high points standing at least 300 m above the route on both sides), "
            f"named when a gazetteer pass lies within {PASS_NAME_KM:g} km. "
        )
        if t.passes
        else ""
    )
    if artefacts:
        legend += "Hollow grey triangles: high points the data flag as likely artefacts of the elevation data. "
    legend += (
        f"Places labelled: waypoints, gazetteer towns and cities within {TOWN_LABEL_WITHIN_KM:g} km and villages "
        f"within {LABEL_WITHIN_KM:g} km of the route, "
        "in the country the route is in there."
    )
    cap = _wrap(data_caption(s, f"{legend} {caption or ''}"), width_in, fs - 1.5)
    cap_in = (cap.count("\n") + 1) * (fs - 1.5) * 1.3 / 72 + 0.12
    head = title or s.name or "route"
    if km_above is None:  # a statistic of the claims: shown where the route reaches the height
        km_above = t.max_elevation_m >= threshold_m
    above = float((t.km_above_m or {}).get(f"{threshold_m:g}", t.km_above_4000m if threshold_m == 4000 else 0.0))
    numbers = (
        f"{t.length_km:,.0f} km, highest {t.max_elevation_m:,.0f} m, mean "
        f"{t.mean_elevation_m:,.0f} m, "
        + (f"{above:,.0f} km above {thousands(threshold_m)} m, " if km_above else "")
        + f"{'steepest terrain' if eng.switchback_km else 'max grade'} {t.max_grade_pct:.1f} % "
        f"over {t.grade_design_length_km or 1:g}\u00a0km"  # no break between a number and its unit
    )
    numbers_text = _wrap(numbers, width_in - 0.6, fs)
    head_lines = numbers_text.count("\n") + 1  # the numbers line wraps on a narrow figure or a long line
    height_in = height_in or width_in * (0.62 if small else 0.45) + cap_in + 0.18 * head_lines
    fig, ax = plt.subplots(figsize=(width_in, height_in), dpi=dpi)
    d, z = p.distance_km, p.elevation_m
    ground = _ground_over_tunnels(route)  # the mountain above a tunnel's bore: labels stand above it
    surface = z if ground is None else np.fmax(z, ground)
    zmin, zmax = float(np.nanmin(z)), float(np.nanmax(surface))
    span = max(zmax - zmin, 500.0)
    bottom = max(0.0, math.floor((zmin - 0.05 * span) / 500) * 500)
    top = zmax + 0.12 * span  # labels add the headroom they need
    ax.fill_between(d, bottom, z, color="#d9c8a9", lw=0, zorder=1)
    ax.plot(d, z, color="#4a3b28", lw=1.0, zorder=3)
    for a, b, _label in shade:
        ax.axvspan(a, b, color=_SHADE_COLOUR, alpha=_SHADE_ALPHA, lw=0, zorder=0.5)
    if km_above and bottom < threshold_m:  # drawn even above the top for now: labels may raise the axis to it
        ax.axhline(threshold_m, color="#b03a2e", lw=0.9, ls="--", zorder=2)
    for p_ in t.passes or []:
        if p_.get("artefact"):  # hollow and grey: not a crossing the road must climb
            ax.plot([p_["km"]], [p_["elevation_m"]], ls="none", **_ARTEFACT_MARKER, zorder=5)
        else:
            ax.plot([p_["km"]], [p_["elevation_m"]], marker="v", ms=4.5, color="#1c2833", zorder=5)
    mark_engineering_on_profile(ax, s, d, z, fs, ground=ground)
    if artefacts:
        from matplotlib.lines import Line2D  # lazy: matplotlib, only when drawing

        add_legend_entries(ax, [Line2D([], [], ls="none", label="likely data artefact", **_ARTEFACT_MARKER)], fs)
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
    ax.set_title(
        _wrap(head, width_in * 0.85, fs + 1.5),
        fontsize=fs + 1.5,
        loc="left",
        fontweight="bold",
        pad=6 + 10 * head_lines,  # room for the numbers line(s) between the title and the axes
    )
    ax.text(
        0,
        1.012,
        numbers_text,
        transform=ax.transAxes,
        fontsize=fs - 0.5,
        va="bottom",
        ha="left",
        color="#34495e",
    )
    fig.text(0.01, 0.01, cap, fontsize=fs - 1.5, color="#5d6d7e", va="bottom", ha="left")
    fig.tight_layout(rect=(0, cap_in / height_in + 0.01, 1, 1))
    items = [it for it in profile_labels(s, p) if not (small and it[2] == "village")]
    # Tunnels' labels hang under their bores: drafted first so that the upright labels stand clear of
    # them, written again once the axis is final (labels and the legend may raise its top, and a label's
    # height in points then spans more metres) where they are clear of every other label and the legend.
    drafts = label_tunnels_on_profile(fig, ax, s, d, z, fs, leaders=False)
    labels = place_upright_labels(fig, ax, d, surface, items, fs - 1, avoid=drafts)
    unnamed = [label for a, b, label in shade if not _span_label(fig, ax, d, surface, labels + drafts, a, b, label, fs)]
    _legend_shading(ax, unnamed, fs)
    _place_legend(fig, ax, d, surface, labels + drafts, fs)
    for t in drafts:
        t.remove()
    renderer = fig.canvas.get_renderer()
    legend = ax.get_legend()
    taken = [t.get_window_extent(renderer) for t in labels]
    taken += [legend.get_window_extent(renderer)] if legend is not None else []
    labels = label_tunnels_on_profile(fig, ax, s, d, z, fs, taken=taken) + labels
    if km_above:  # last: the axis no longer moves under it
        _threshold_label(fig, ax, d, surface, labels, threshold_m, fs)
    _tighten_top(fig, ax, d, surface, labels, fs)  # the headroom the labels and the legend raised, no more
    distance = "Distance (km)" if small else "Distance along route (km)"  # a column-wide figure: a short label
    ax.set_xlabel(f"{distance}; vertical exaggeration {_times(_vertical_exaggeration(ax))}", fontsize=fs)
    return fig, ax, labels


def _vertical_exaggeration(ax) -> float:
    """How many times the drawn profile steepens the ground: metres of distance per inch of the x axis
    over metres of elevation per inch of the y axis (x in km, y in m), on the axes as drawn.

    A long section of a 1,300 km road is drawn some 60 times steeper than the ground: a reader in print
    judges its slopes by that number.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig = plt.figure(figsize=(10, 5), dpi=100)
    >>> ax = fig.add_axes((0.0, 0.0, 1.0, 1.0), xlim=(0, 100), ylim=(0, 5000))  # 10 km and 1,000 m an inch
    >>> round(_vertical_exaggeration(ax), 6)
    10.0
    >>> plt.close(fig)
    """
    box = ax.get_window_extent()
    width_in, height_in = box.width / ax.figure.dpi, box.height / ax.figure.dpi
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    return float(((x1 - x0) * 1000.0 / width_in) / ((y1 - y0) / height_in))


def _times(factor: float) -> str:
    """A vertical exaggeration as a caption says it.

    >>> _times(64.6), _times(3.14), _times(0.8)
    ('x65', 'x3.1', 'none (x0.8)')
    """
    if factor < 1.0:
        return f"none (x{factor:.1f})"
    return f"x{factor:.0f}" if factor >= 10 else f"x{factor:.1f}"


_SHADE_COLOUR, _SHADE_ALPHA = "#7fb3d5", 0.35
#: A pass the data flag as a likely artefact (``passes[].artefact``): a hollow grey triangle.
_ARTEFACT_MARKER: dict[str, Any] = {
    "marker": "v",
    "ms": 5.0,
    "markerfacecolor": "white",
    "markeredgecolor": "#7b7d7d",
    "mew": 1.1,
}


def _legend_shading(ax, texts: list[str], fs: float) -> None:
    """Name in the legend each shaded stretch whose label did not fit at its foot: a PNG published on its
    own must say what its blue band is (the report's caption beside it is not part of the image)."""
    from matplotlib.patches import Patch  # lazy: matplotlib, only when drawing

    texts = list(dict.fromkeys(t for t in texts if t))  # one entry per label
    add_legend_entries(ax, [Patch(facecolor=_SHADE_COLOUR, alpha=_SHADE_ALPHA, lw=0, label=t) for t in texts], fs)


_LEGEND_LOCS = ("upper right", "upper left", "lower right", "lower left", "center right", "center left")


def _place_legend(fig, ax, d, z, labels, fs: float) -> None:
    """Move the legend (switchbacks, tunnels) to the first corner where it covers neither the curve nor a
    label; when none is clear, the axis gains headroom (up to three times) until an upper corner is."""
    legend = ax.get_legend()
    if legend is None:
        return
    handles = list(getattr(legend, "legend_handles", None) or legend.legendHandles)
    texts = [t.get_text() for t in legend.get_texts()]
    legend.remove()
    renderer = fig.canvas.get_renderer()
    for attempt in range(4):
        curve = [(line_pixels(ax, d, z), 1.5)]
        taken = [t.get_window_extent(renderer) for t in labels]
        for loc in _LEGEND_LOCS if attempt == 0 else _LEGEND_LOCS[:2]:
            legend = ax.legend(handles, texts, loc=loc, fontsize=fs - 1.5, frameon=True, framealpha=0.85)
            if box_is_clear(legend.get_window_extent(renderer), taken, curve):
                return
            legend.remove()
        bottom, top = ax.get_ylim()
        ax.set_ylim(bottom, top + 0.15 * (top - bottom))
    ax.legend(handles, texts, loc="upper right", fontsize=fs - 1.5, frameon=True, framealpha=0.85)


def _span_label(fig, ax, d, z, labels, a: float, b: float, text: str, fs: float) -> bool:
    """Write a shaded stretch's label at its foot when it fits inside the stretch, under the curve;
    False when it does not (the legend then names the shading)."""
    if not text:
        return True
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
        t.remove()
        return False
    labels.append(t)
    return True


def _threshold_label(fig, ax, d, z, labels, threshold_m: float, fs: float) -> None:
    """Write "4,000 m" on the reference line where it touches neither a label, the legend nor the curve."""
    bottom, top = ax.get_ylim()
    if not bottom < threshold_m < top:
        return
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in labels]
    legend = ax.get_legend()
    boxes += [legend.get_window_extent(renderer)] if legend is not None else []
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
