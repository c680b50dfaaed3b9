"""Legible figure layout: legends and map labels clear of data lines and of each other, compact PNGs.

Rules (stated in the figures' captions; a profile's own labels follow :mod:`wakhan.figures.profile_labels`):

* Legends and map labels (places, country names) neither cover a data line
  (the profile, a route) nor overlap each other: each takes the first of its
  candidate positions that is clear (:func:`box_is_clear`), or is left out.
* PNGs are palette-quantised (256 colours, octree: small areas of a distinct colour such as a
  thin route keep it) so a hillshaded map stays under 1 MB.

Every figure writes its numbers one way (:func:`thousands`).
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

__all__ = [
    "add_legend_entries",
    "line_pixels",
    "box_is_clear",
    "overlap_problems",
    "save_png",
    "thousands",
]


def thousands(v: float, digits: int = 0) -> str:
    """``4863.2 -> "4,863"``: the one number format of every figure.

    Examples
    --------
    >>> thousands(4863.2), thousands(4863.25, 1), thousands(-0.4)
    ('4,863', '4,863.2', '-0')
    """
    return f"{v:,.{digits}f}"


def add_legend_entries(ax, handles, fs: float) -> None:
    """Add ``handles`` (labelled artists) to the axes' legend, after its entries, or start one with them.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from matplotlib.lines import Line2D
    >>> fig, ax = plt.subplots()
    >>> add_legend_entries(ax, [Line2D([], [], label="a")], 8)
    >>> add_legend_entries(ax, [Line2D([], [], label="b")], 8)
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['a', 'b']
    >>> plt.close(fig)
    """
    if not handles:
        return
    legend = ax.get_legend()
    old = list(getattr(legend, "legend_handles", None) or legend.legendHandles) if legend is not None else []
    names = [t.get_text() for t in legend.get_texts()] if legend is not None else []
    if legend is not None:
        legend.remove()
    ax.legend(
        handles=old + list(handles),
        labels=names + [h.get_label() for h in handles],
        loc="lower right",
        fontsize=fs - 1.5,
        frameon=True,
        framealpha=0.85,
    )


def line_pixels(ax, xs, ys, step_px: float = 2.0) -> np.ndarray:
    """Display coordinates (pixels) of the polyline ``(xs, ys)`` in ``ax``'s data, at most ``step_px`` apart.

    Parameters
    ----------
    ax : matplotlib Axes
    xs, ys : array_like
        The line in data coordinates.
    step_px : float
        Largest gap between consecutive returned points.

    Returns
    -------
    numpy.ndarray
        ``(n, 2)`` pixel coordinates.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(2, 2), dpi=100)
    >>> ax.set_xlim(0, 1); ax.set_ylim(0, 1)  # doctest: +ELLIPSIS
    (...)
    >>> pts = line_pixels(ax, [0, 1], [0.5, 0.5])
    >>> bool(np.all(np.diff(pts[:, 0]) <= 2.0)), bool(np.allclose(pts[:, 1], pts[0, 1]))
    (True, True)
    >>> plt.close(fig)
    """
    xy = ax.transData.transform(np.column_stack([np.asarray(xs, float), np.asarray(ys, float)]))
    xy = xy[np.isfinite(xy).all(axis=1)]
    if len(xy) < 2:
        return xy
    seg = np.hypot(*np.diff(xy, axis=0).T)
    n = np.maximum(1, np.ceil(seg / step_px).astype(int))
    parts = [xy[i] + (xy[i + 1] - xy[i]) * (np.arange(k) / k)[:, None] for i, k in enumerate(n)]
    return np.concatenate(parts + [xy[-1:]])


def box_is_clear(box, taken, lines) -> bool:
    """True when display box ``box`` overlaps no box in ``taken`` and covers no point of ``lines``.

    Parameters
    ----------
    box : matplotlib.transforms.Bbox
        In pixels.
    taken : iterable of Bbox
    lines : iterable of (points, half_width_px)
        A line's pixels (:func:`line_pixels`) and half its drawn width; the box
        must stay that far from every point.

    Returns
    -------
    bool

    Examples
    --------
    >>> from matplotlib.transforms import Bbox
    >>> line = (np.column_stack([np.arange(101.0), np.full(101, 50.0)]), 2.0)  # dense, as line_pixels gives
    >>> box_is_clear(Bbox([[10, 55], [30, 70]]), [], [line]), box_is_clear(Bbox([[10, 51], [30, 70]]), [], [line])
    (True, False)
    """
    for other in taken:
        if box.overlaps(other):
            return False
    for pts, half in lines:
        if (
            len(pts)
            and (
                (pts[:, 0] > box.x0 - half)
                & (pts[:, 0] < box.x1 + half)
                & (pts[:, 1] > box.y0 - half)
                & (pts[:, 1] < box.y1 + half)
            ).any()
        ):
            return False
    return True


def overlap_problems(boxes, lines) -> list[str]:
    """What is wrong with a figure's label and legend boxes: pairs that overlap, boxes over a data line.

    Parameters
    ----------
    boxes : list of (name, Bbox)
        Label and legend boxes in pixels.
    lines : list of (name, points, half_width_px)
        Data lines in pixels (:func:`line_pixels`).

    Returns
    -------
    list of str
        Empty when the layout is clean.

    Examples
    --------
    >>> from matplotlib.transforms import Bbox
    >>> line = ("route", np.column_stack([np.arange(101.0), np.full(101, 50.0)]), 2.0)
    >>> overlap_problems([("a", Bbox([[0, 0], [10, 10]])), ("b", Bbox([[5, 5], [20, 20]]))], [line])
    ["'a' and 'b' overlap"]
    >>> overlap_problems([("c", Bbox([[40, 45], [60, 55]]))], [line])
    ["'c' covers route"]
    """
    out = []
    for i, (a, ba) in enumerate(boxes):
        for b, bb in boxes[i + 1 :]:
            if ba.overlaps(bb):
                out.append(f"{a!r} and {b!r} overlap")
        for name, pts, half in lines:
            if not box_is_clear(ba, [], [(pts, half)]):
                out.append(f"{a!r} covers {name}")
    return out


def save_png(fig, path: Path, dpi: int, colours: int = 256) -> None:
    """Save ``fig`` as a palette PNG (or as the format ``path`` names, unchanged for PDF/SVG).

    Examples
    --------
    >>> import tempfile
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from PIL import Image
    >>> fig, ax = plt.subplots(figsize=(1, 1))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     save_png(fig, Path(tmp) / "figure.png", 100)
    ...     with Image.open(Path(tmp) / "figure.png") as img:
    ...         img.mode, img.size  # a palette image, 1 x 1 inch at 100 dpi
    ('P', (100, 100))
    >>> plt.close(fig)
    """
    path = Path(path)
    if path.suffix.lower() != ".png":
        fig.savefig(path, dpi=dpi)
        return
    buf = io.BytesIO()
    fig.savefig(buf, dpi=dpi, format="png")
    from PIL import Image  # lazy: Pillow, only when a figure is written

    img = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    img.quantize(colors=colours, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(
        path, format="PNG", optimize=True
    )


#: Label positions around a place's marker, nearest first: (dx, dy) in points, horizontal and vertical alignment.
_OFFSETS = (
    (3, 2, "left", "bottom"),
    (-3, 2, "right", "bottom"),
    (3, -2, "left", "top"),
    (-3, -2, "right", "top"),
    (0, 5, "center", "bottom"),
    (0, -5, "center", "top"),
    (7, 6, "left", "bottom"),
    (-7, 6, "right", "bottom"),
    (7, -6, "left", "top"),
    (-7, -6, "right", "top"),
    (0, 10, "center", "bottom"),
    (0, -10, "center", "top"),
    (12, 0, "left", "center"),
    (-12, 0, "right", "center"),
)


#: Farther positions, tried for passes and waypoints when no near one is clear (a leader line joins them to
#: their marker): the Wakhjir and Khunjerab passes, between bundled routes and other markers, went unnamed.
_FAR_OFFSETS = (
    (0, 18, "center", "bottom"),
    (0, -18, "center", "top"),
    (18, 12, "left", "bottom"),
    (-18, 12, "right", "bottom"),
    (18, -12, "left", "top"),
    (-18, -12, "right", "top"),
    (0, 30, "center", "bottom"),
    (0, -30, "center", "top"),
    (28, 20, "left", "bottom"),
    (-28, 20, "right", "bottom"),
    (28, -20, "left", "top"),
    (-28, -20, "right", "top"),
    (0, -45, "center", "top"),
    (0, 45, "center", "bottom"),
    (40, -32, "left", "top"),
    (-40, -32, "right", "top"),
    (40, 32, "left", "bottom"),
    (-40, 32, "right", "bottom"),
)
#: The farthest near offset, points (|dx| + |dy|): a label placed beyond it gets a leader line.
_NEAR_PT = max(abs(dx) + abs(dy) for dx, dy, _, _ in _OFFSETS)

#: The least gap between a place's label and other labels, boxes or routes, points.
_LABEL_GAP_PT = 1.5


def _segment_points(a, b, step_px: float = 1.0) -> np.ndarray:
    """Points of the segment ``a``-``b`` (pixels), at most ``step_px`` apart."""
    n = max(1, int(np.ceil(np.hypot(b[0] - a[0], b[1] - a[1]) / step_px)))
    return np.asarray(a, float) + (np.asarray(b, float) - np.asarray(a, float)) * (np.arange(n + 1) / n)[:, None]


def _segments_cross(p, q) -> bool:
    """True when segments ``p`` and ``q`` (each a pair of pixel points) cross or touch."""

    def side(a, b, c):
        return np.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]))

    return bool(side(p[0], p[1], q[0]) != side(p[0], p[1], q[1]) and side(q[0], q[1], p[0]) != side(q[0], q[1], p[1]))


def _leader_is_clear(box, leader, taken, leaders, gap_px: float) -> bool:
    """True when label ``box`` covers no drawn leader line of ``leaders`` and its own ``leader`` (None for a
    label beside its marker) crosses no other leader and no box of ``taken`` but one over its marker: the
    Khunjerab Pass's leader ran through the Mintaka Pass's label."""
    for other in leaders:
        if not box_is_clear(box, [], [(_segment_points(*other), gap_px)]):
            return False
        if leader is not None and _segments_cross(leader, other):
            return False
    if leader is None:
        return True
    pts = _segment_points(*leader)
    # a box over the marker itself (a block of the test's kind) cannot be kept off; every other one can
    return all(b.contains(*leader[0]) or box_is_clear(b, [], [(pts, gap_px)]) for b in taken)


def _clear_position(t, renderer, taken, lines, east: bool, frame, far: bool = False, leaders=()):
    """Move annotation ``t`` to the first offset inside ``frame`` and clear of ``taken`` boxes and route
    ``lines`` (the near ones, then, if ``far``, the farther ones, each slid back inside ``frame`` if it
    crosses an edge); its box, or None when there is none. The label's box and its leader line (a far
    one's) stay clear of the ``leaders`` already drawn (pixel segments, marker to label)."""
    offsets = sorted(
        _OFFSETS + (_FAR_OFFSETS if far else ()), key=lambda o: (abs(o[0]) + abs(o[1]), (o[0] > 0) == east)
    )
    pt = renderer.points_to_pixels(1.0)
    for dx, dy, ha, va in offsets:
        t.xyann = (dx, dy)
        t.set_horizontalalignment(ha)
        t.set_verticalalignment(va)
        box = t.get_window_extent(renderer)
        if abs(dx) + abs(dy) > _NEAR_PT and box.width <= frame.width:
            # a far spot (with a leader line) past the map's side slides back inside, sideways only (every far
            # spot is 12 pt or more above or below its marker, so it never slides onto it): the Khunjerab Pass,
            # less than a label's width from the right edge with the Karakoram Highway west of it, went unnamed
            shift_x = max(0.0, frame.x0 - box.x0) - max(0.0, box.x1 - frame.x1)
            if shift_x:
                t.xyann = (dx + shift_x / pt, dy)
                box = t.get_window_extent(renderer)
        inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
        # a gap of 1.5 pt round the box: labels that merely touch read as one name ("Qala-e PanjaSarhad-e Broghil")
        padded = box.padded(_LABEL_GAP_PT * pt)
        marker = t.axes.transData.transform(t.xy)
        leader = (marker, marker + np.asarray(t.xyann) * pt) if abs(dx) + abs(dy) > _NEAR_PT else None
        if inside and box_is_clear(padded, taken, lines) and _leader_is_clear(padded, leader, taken, leaders, pt):
            return box
    return None
