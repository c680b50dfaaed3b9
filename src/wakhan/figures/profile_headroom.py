"""A profile's headroom: the y axis ends just above what it must show.

The profile's labels and its legend raise the top of the y axis while they are placed (each needs room
above the curve, and the legend a corner clear of both); once every label is final, the top comes down
again to the lowest value at which every label still stands inside the axes, clear of the curve and of
every other label, with the legend in some corner or side clear of them all. A 4,859 m profile used to
run its axis to 7,700 m (the 8,800 m of the existing-road profile), half of it empty.
"""

from __future__ import annotations

import numpy as np

from wakhan.figures.layout import line_pixels, overlap_problems

__all__: list[str] = []

#: Where the legend may stand while the axis comes down, in the order tried after its own place.
_LEGEND_LOCS = (
    "upper right",
    "upper left",
    "upper center",
    "lower right",
    "lower left",
    "lower center",
    "center right",
    "center left",
    "center",
)
#: The top comes down in steps of this share of the axis range.
_STEP = 0.01
#: The least the top must come down (share of the range) for the legend to move from where it was placed.
_MOVE_GAIN = 0.05


def _layout_clear(fig, ax, d, surface, labels) -> bool:
    """True when every label stands between the axes' foot and top and no label or the legend overlaps
    another or the curve (sideways the labels do not move as the top comes down)."""
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in labels]
    for _name, b in boxes:
        if b.y1 > frame.y1 + 0.5 or b.y0 < frame.y0 - 0.5:
            return False
    legend = ax.get_legend()
    if legend is not None:
        boxes.append(("legend", legend.get_window_extent(renderer)))
    return not overlap_problems(boxes, [("profile", line_pixels(ax, d, surface), 1.0)])


def _legend_clear(fig, ax, d, surface, labels, fs: float) -> bool:
    """Try the legend where it stands, then in every place of ``_LEGEND_LOCS`` in one column and in one
    row (a row under the top takes a third of the height of a column); True (the legend left there) when
    one is clear, else the legend as it stood."""
    legend = ax.get_legend()
    if legend is None:
        return _layout_clear(fig, ax, d, surface, labels)
    if _layout_clear(fig, ax, d, surface, labels):
        return True
    handles = list(legend.legend_handles)
    texts = [t.get_text() for t in legend.get_texts()]
    own = (legend._loc, legend._ncols)
    for ncols in sorted({1, min(2, len(handles)), len(handles)}):
        for loc in _LEGEND_LOCS:
            ax.get_legend().remove()
            ax.legend(handles, texts, loc=loc, ncols=ncols, fontsize=fs - 1.5, frameon=True, framealpha=0.85)
            if _layout_clear(fig, ax, d, surface, labels):
                return True
    ax.get_legend().remove()
    ax.legend(handles, texts, loc=own[0], ncols=own[1], fontsize=fs - 1.5, frameon=True, framealpha=0.85)
    return False


def _tighten_top(fig, ax, d, surface, labels, fs: float, margin: float = 0.03) -> None:
    """Lower the y axis's top, step by step, while the layout stays clear (:func:`_layout_clear`, the legend
    free to move: :func:`_legend_clear`); it stops at ``margin`` of the range above the highest point of
    ``surface`` or at the first step that is not clear, and keeps the last clear one.

    Examples
    --------
    A 5,000 m crest under an axis running to 9,000 m, its label above it: the top comes down to just
    over the label.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> d = np.linspace(0.0, 40.0, 81)
    >>> z = 3000.0 + 2000.0 * np.sin(np.linspace(0.0, np.pi, 81))
    >>> fig, ax = plt.subplots(figsize=(6, 3), dpi=100)
    >>> _ = ax.plot(d, z); _ = ax.set_ylim(2500, 9000)
    >>> label = ax.text(20.0, 5150.0, "Col", va="bottom", ha="center")
    >>> _tighten_top(fig, ax, d, z, [label], 8.5)
    >>> bool(5150.0 < ax.get_ylim()[1] < 6000.0)
    True
    >>> plt.close(fig)
    """

    def state():
        legend = ax.get_legend()
        return (ax.get_ylim()[1], None if legend is None else (legend._loc, legend._ncols))

    bottom, top = ax.get_ylim()
    if not _legend_clear(fig, ax, d, surface, labels, fs):
        return  # not clear as it stands: leave it as placed
    best = first = state()
    floor = float(np.nanmax(surface)) + margin * (float(np.nanmax(surface)) - bottom)
    step = _STEP * (top - bottom)
    candidate = top - step
    while candidate > floor:
        ax.set_ylim(bottom, candidate)
        if not _legend_clear(fig, ax, d, surface, labels, fs):
            break
        best = state()
        candidate -= step
    if best[1] != first[1] and top - best[0] < _MOVE_GAIN * (top - bottom):
        best = first  # the legend leaves its place only for a real gain in height
    ax.set_ylim(bottom, best[0])
    legend = ax.get_legend()
    if legend is not None and best[1] is not None and (legend._loc, legend._ncols) != best[1]:
        handles, texts = list(legend.legend_handles), [t.get_text() for t in legend.get_texts()]
        legend.remove()
        ax.legend(handles, texts, loc=best[1][0], ncols=best[1][1], fontsize=fs - 1.5, frameon=True, framealpha=0.85)
