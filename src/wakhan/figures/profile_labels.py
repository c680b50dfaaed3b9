"""A profile's labels: which features to label, and where they stand so none overlaps.

Rules (stated in the figures' captions):

* A profile labels its waypoints, the passes it crosses (a high point of the
  route; named as the route's data name it: a gazetteer pass within
  :data:`wakhan.route.naming.PASS_NAME_KM`), and gazetteer villages within
  ``LABEL_WITHIN_KM`` and towns and cities within ``TOWN_LABEL_WITHIN_KM`` of the route that lie in the
  same country as the route
  there (no Tajik village on an Afghan road). A pass flagged as a likely data
  artefact is labelled in grey, not bold.
* Labels never overlap each other nor the elevation curve: they stand upright
  above the curve, the axis gains headroom until they fit, and a label that
  would collide with a more important one is left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from wakhan.borders import country_at
from wakhan.figures.layout import thousands
from wakhan.figures.marks import merge_portals

if TYPE_CHECKING:
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox

    from wakhan.route.summary import RouteSummary

__all__ = [
    "LABEL_WITHIN_KM",
    "TOWN_LABEL_WITHIN_KM",
    "profile_labels",
    "place_upright_labels",
    "layout_problems",
]

#: Places farther than this from the route are not labelled on it (passes are named by the data's own
#: rule, :data:`wakhan.route.naming.PASS_NAME_KM`: the figure shows the name the summary gives).
LABEL_WITHIN_KM = 2.0
#: Towns and cities are labelled farther off: their gazetteer point is the centre of a built-up area a km
#: or more across (some points are approximate to a few km), and a route on a 464 m grid that runs along
#: its edge or the valley's other bank lies 2-3 km from that point: Tashkurgan 2.2 km off a route is on
#: it to a reader. 5 km is the radius within which the summary lists places along the route at all
#: (``places_along``), the map's rule for marking a village as passed.
TOWN_LABEL_WITHIN_KM = 5.0
_PRIORITY = {"waypoint": 0, "pass": 1, "artefact": 1, "city": 2, "town": 3, "village": 4, "lake": 5}
#: Label colour of each kind; those not listed are drawn in the figures' near-black.
_LABEL_COLOUR = {"artefact": "#7b7d7d"}


def _country_pairs(places: list[dict], profile) -> list[bool]:
    """For each place: True unless the bundled borders put it in another country than the route there."""
    if not places or profile is None:
        return [True] * len(places)
    try:
        lon = [p["lon"] for p in places]
        lat = [p["lat"] for p in places]
        idx = [int(np.argmin(np.abs(profile.distance_km - p["km"]))) for p in places]
        at_place = country_at(lon, lat)
        at_route = country_at(profile.lon[idx], profile.lat[idx])
    except Exception:  # outside the pack's borders: do not filter on countries
        return [True] * len(places)
    return [not (a and b and a != b) for a, b in zip(at_place, at_route)]


def profile_labels(
    summary: RouteSummary, profile=None, within_km: float = LABEL_WITHIN_KM
) -> list[tuple[float, str, str]]:
    """``(km, text, kind)`` to label on a profile, most important first, each feature once.

    A pass is labelled with the name the summary gives it (the data's rule, a gazetteer pass within
    :data:`wakhan.route.naming.PASS_NAME_KM`) and its height; kind ``"artefact"`` when the summary
    flags it as a likely data artefact. Villages are labelled within ``within_km`` of the route, towns
    and cities within :data:`TOWN_LABEL_WITHIN_KM` (or ``within_km`` if that is farther).

    Examples
    --------
    The waypoints first, then the pass with its height:

    >>> from wakhan.route import RouteSummary
    >>> s = RouteSummary.from_dict({"name": "r", "waypoints": [{"name": "Start", "km": 0.0}, {"name": "End", "km": 40.0}],
    ...     "passes": [{"name": "Col", "lat": 37.0, "lon": 73.2, "elevation_m": 4500.0, "km": 20.0}]})
    >>> profile_labels(s)
    [(0.0, 'Start', 'waypoint'), (40.0, 'End', 'waypoint'), (20.0, 'Col\\n4,500 m', 'pass')]
    """
    named_bores = {str(t["existing"]) for t in getattr(summary.engineering, "tunnels", None) or [] if t.get("existing")}
    items = merge_portals(
        [
            (float(w["km"]), str(w["name"]), "waypoint")
            for w in summary.terrain.waypoints or []
            if w.get("km") is not None
        ],
        named_bores,
    )
    for p in summary.terrain.passes or []:
        named = bool(p.get("name"))
        height = f"{thousands(p['elevation_m'])} m"
        if named and any(text == p["name"] for _, text, _ in items):  # a waypoint pass: add its height
            items = [(km, f"{text}\n{height}" if text == p["name"] else text, kind) for km, text, kind in items]
            continue
        kind = "artefact" if p.get("artefact") else "pass"
        items.append((float(p["km"]), f"{p['name']}\n{height}" if named else height, kind))
    town_km = max(within_km, TOWN_LABEL_WITHIN_KM)
    places = [
        p
        for p in summary.terrain.places_along or []
        if p.get("kind") != "pass"
        and float(p.get("offset_km", 0.0)) <= (town_km if p.get("kind") in ("town", "city") else within_km)
    ]
    for p, ok in zip(places, _country_pairs(places, profile)):
        if ok:
            items.append((float(p["km"]), str(p["name"]), str(p.get("kind", "village"))))
    items.sort(key=lambda t: (_PRIORITY.get(t[2], 9), t[0]))
    kept, names = [], set()
    for km, text, kind in items:
        key = text.split("\n")[0]
        if text not in names and key not in names:
            names.update({text, key})
            kept.append((km, text, kind))
    return kept


#: How far a label at either end of a profile stands in from the axis line, points.
_END_LABEL_GAP_PT = 2.5


def _choose_labels(boxes: list[Bbox], needs: list[float], ceiling: float) -> list[int]:
    """Which upright labels to draw (indices, most important first): no two overlap sideways, and every
    one fits under ``ceiling`` (its ``needs`` entry: the axis top it asks for).

    Labels are taken in order of importance, each unless it overlaps one already taken. While some
    taken label asks for more than ``ceiling``, the least important of those is left out for good and
    the choice is made again, so a label that gave way only to it comes back (a pass crowded out by a
    place name that then found no headroom used to stay out).
    """
    out: set[int] = set()
    while True:
        taken: list[int] = []
        for i, box in enumerate(boxes):
            if i in out or any(box.x0 < boxes[j].x1 + 1 and boxes[j].x0 < box.x1 + 1 for j in taken):
                continue
            taken.append(i)
        too_high = [i for i in taken if needs[i] > ceiling]
        if not too_high:
            return taken
        out.add(max(too_high))


def place_upright_labels(fig, ax, d, z, items, fontsize: float, max_headroom: float = 1.2, avoid=()):
    """Draw ``items`` as upright labels above the curve ``(d, z)``; returns the text artists.

    A label is dropped when it would overlap a more important one; the y-axis
    top is raised until every label clears the curve under it, but not beyond
    ``max_headroom`` times the plotted height range above the highest point
    (the least important labels give way instead, so the profile keeps its shape).
    ``avoid`` holds text artists drawn on the axes before (a tunnel's label under its bore): a label
    stands above any of them under its width as it stands above the curve, and is left out if it still
    overlaps one once the axis is final.

    Examples
    --------
    Two labels half a km apart: the less important one, which would overlap the first, is dropped.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> d = np.linspace(0.0, 40.0, 81)
    >>> z = 3000.0 + 2000.0 * np.sin(np.linspace(0.0, np.pi, 81))
    >>> fig, ax = plt.subplots(figsize=(4, 3), dpi=100)
    >>> _ = ax.plot(d, z)
    >>> _ = ax.set_ylim(2500, 6000)
    >>> texts = place_upright_labels(fig, ax, d, z, [(20.0, "Col 5,000 m", "pass"), (20.5, "Other", "place")], 8.0)
    >>> [t.get_text() for t in texts]
    ['Col 5,000 m']
    >>> plt.close(fig)
    """
    from matplotlib import patheffects  # lazy: matplotlib, only when drawing
    from matplotlib.transforms import offset_copy

    halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
    renderer = fig.canvas.get_renderer()
    candidates: list[tuple[Text, float]] = []
    x0, x1 = float(d[0]), float(d[-1])
    # a label at an end of the route stands beside the axis line, not on it (its halo cut the line)
    nudge = {
        "left": offset_copy(ax.transData, fig=fig, x=_END_LABEL_GAP_PT, units="points"),
        "right": offset_copy(ax.transData, fig=fig, x=-_END_LABEL_GAP_PT, units="points"),
        "center": ax.transData,
    }
    for km, text, kind in items:
        ha = "left" if km - x0 < 0.012 * (x1 - x0) else "right" if x1 - km < 0.012 * (x1 - x0) else "center"
        t = ax.text(
            km,
            0,
            text,
            transform=nudge[ha],
            rotation=90,
            ha=ha,
            va="bottom",
            fontsize=fontsize,
            fontweight="bold" if kind in ("waypoint", "pass") else "normal",
            color=_LABEL_COLOUR.get(kind, "#1c2833"),
            path_effects=halo,
            zorder=6,
            clip_on=False,
        )
        candidates.append((t, km))
    # Each label stands just above the highest curve point under its width. A label h px tall over
    # ground z_i fits when the axis spans S >= (z_i - bottom) / (0.99 - (pad + h) / H) (H: axes height px).
    bottom, top = ax.get_ylim()
    height_px = ax.get_window_extent(renderer).height
    pad_px = 6.0 * fig.dpi / 72  # clears a pass's triangle marker
    limit = float(np.nanmax(z)) + max_headroom * (float(np.nanmax(z)) - bottom)
    avoid_boxes = [a.get_window_extent(renderer) for a in avoid]
    boxes = [t.get_window_extent(renderer) for t, _ in candidates]
    needs = []
    for (_t, km), box in zip(candidates, boxes):
        xa, xb = sorted(ax.transData.inverted().transform([(box.x0, 0), (box.x1, 0)])[:, 0])
        under = (d >= xa) & (d <= xb)
        z_i = float(np.nanmax(z[under])) if under.any() else float(np.interp(km, d, z))
        for b in avoid_boxes:  # an earlier label under this one's width: stand on it as on the curve
            if b.x0 < box.x1 + 1 and box.x0 < b.x1 + 1:
                z_i = max(z_i, float(ax.transData.inverted().transform((0, b.y1))[1]))
        room = 0.99 - (pad_px + box.height) / height_px
        needs.append((z_i, bottom + (z_i - bottom) / room if room > 0.05 else np.inf))
    kept = _choose_labels(boxes, [n for _, n in needs], max(limit, top))
    for i, (t, _km) in enumerate(candidates):
        if i not in kept:
            t.remove()
    texts = [candidates[i] for i in kept]
    need = [needs[i] for i in kept]
    top = max([top] + [n for _, n in need])
    ax.set_ylim(bottom, top)
    span = top - bottom
    for (t, _km), (z_i, _) in zip(texts, need):
        t.set_y(z_i + pad_px / height_px * span)
    for k in reversed(range(len(texts))):  # the axis grew: an earlier label anchored in points may have moved
        box = texts[k][0].get_window_extent(renderer)
        if any(box.overlaps(a.get_window_extent(renderer)) for a in avoid):
            texts.pop(k)[0].remove()
    for t, km in texts:
        ax.plot([km, km], [float(np.interp(km, d, z)), t.get_position()[1]], color="#aab7b8", lw=0.5, ls=":", zorder=2)
    return [t for t, _ in texts]


def layout_problems(fig, ax, texts, d, z) -> list[str]:
    """What is wrong with a profile's labels: pairs that overlap, labels over the curve or off the figure.

    Examples
    --------
    The labels :func:`place_upright_labels` placed have none; one written on the curve has two:

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> d = np.linspace(0.0, 40.0, 81)
    >>> z = 3000.0 + 2000.0 * np.sin(np.linspace(0.0, np.pi, 81))
    >>> fig, ax = plt.subplots(figsize=(4, 3), dpi=100)
    >>> _ = ax.plot(d, z)
    >>> _ = ax.set_ylim(2500, 6000)
    >>> texts = place_upright_labels(fig, ax, d, z, [(20.0, "Col 5,000 m", "pass")], 8.0)
    >>> layout_problems(fig, ax, texts, d, z)
    []
    >>> layout_problems(fig, ax, texts + [ax.text(20.0, 5000.0, "on the curve")], d, z)
    ["labels 'Col 5,000 m' and 'on the curve' overlap", "label 'on the curve' covers the curve"]
    >>> plt.close(fig)
    """
    renderer = fig.canvas.get_renderer()
    fig.canvas.draw()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    out = []
    for i, (a, ba) in enumerate(boxes):
        for b, bb in boxes[i + 1 :]:
            if ba.overlaps(bb):
                out.append(f"labels {a!r} and {b!r} overlap")
    pts = ax.transData.transform(np.column_stack([d, z]))
    for name, box in boxes:
        inside = (pts[:, 0] > box.x0) & (pts[:, 0] < box.x1) & (pts[:, 1] > box.y0) & (pts[:, 1] < box.y1)
        if inside.any():
            out.append(f"label {name!r} covers the curve")
        fb = fig.bbox
        if box.x0 < fb.x0 - 1 or box.x1 > fb.x1 + 1 or box.y0 < fb.y0 - 1 or box.y1 > fb.y1 + 1:
            out.append(f"label {name!r} runs off the figure")
    return out
