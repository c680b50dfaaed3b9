"""Named places on the route map: which places show, their markers, and labels clear of routes and of each other.

Used by :func:`wakhan.figures.plot_map`. Cities, towns and passes in view are marked; villages and lakes
only where a route passes them. Each label takes the first clear spot near its marker
(:func:`wakhan.figures.layout._clear_position`); a place whose label finds none keeps its marker only.
"""

from __future__ import annotations

__all__ = ["places_in_view", "label_places"]

#: Order in which places claim label room: waypoints first, villages and lakes last.
_RANK = {"waypoint": 0, "pass": 1, "city": 2, "town": 3, "village": 4, "lake": 5}


def places_in_view(places, bbox, on_route) -> list:
    """The places to mark on a map of ``bbox``, in the order their labels claim room: passes and the
    places the routes pass (``on_route`` names) first.

    Cities, towns and passes show wherever they are in view; villages and lakes only when a route
    passes them. Within each group places are ordered pass, city, town, village, lake.

    Examples
    --------
    >>> from types import SimpleNamespace as P
    >>> gaz = [P(name="Hamlet", lon=73.1, lat=37.1, kind="village"), P(name="Col", lon=73.2, lat=37.0, kind="pass"),
    ...        P(name="Town", lon=73.3, lat=37.0, kind="town"), P(name="Far", lon=80.0, lat=37.0, kind="city")]
    >>> [p.name for p in places_in_view(gaz, (73.0, 36.5, 74.0, 37.5), on_route={"Town"})]
    ['Col', 'Town']
    """
    w, s, e, n = bbox
    shown = [
        p
        for p in places or ()
        if w < p.lon < e and s < p.lat < n and (p.kind not in ("village", "lake") or p.name in on_route)
    ]
    # passes, the crossings the claims are about, claim room with the places the routes pass: the Mintaka
    # Pass, taken after Sost and Passu, found every spot round its marker taken and went unnamed; among the
    # passes those the routes cross first: the Mintaka Pass, named first, took the spots the Khunjerab's needed
    shown.sort(
        key=lambda p: (p.name not in on_route and p.kind != "pass", _RANK.get(p.kind, 9), p.name not in on_route)
    )
    return shown


def label_places(ax, shown, bbox, fs: float, halo, taken: list, clear_of, far_names=frozenset()) -> dict:
    """Mark every place of ``shown`` and name each where its label is clear; returns ``{"place NAME": label}``.

    Every marker is drawn first, so that no label is put over a place whose marker comes later. A label
    stands inside the axes, clear of the boxes in ``taken`` (which the labels placed join), of the other
    markers and of ``clear_of`` lines (``(pixels, half width)``). A place in ``far_names`` (a pass, an
    end of a route) may stand farther off, joined to its marker by a leader line that crosses no other
    label or leader line (and no label covers a leader line).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from types import SimpleNamespace as P
    >>> fig, ax = plt.subplots(figsize=(3, 3), dpi=100)
    >>> ax.set_xlim(73.0, 74.0); ax.set_ylim(36.5, 37.5)  # doctest: +ELLIPSIS
    (...)
    >>> labels = label_places(ax, [P(name="Col", lon=73.5, lat=37.0, kind="pass")], (73.0, 36.5, 74.0, 37.5), 8.0,
    ...                       [], [], [])
    >>> sorted(labels)
    ['place Col']
    >>> plt.close(fig)
    """
    import numpy as np
    from matplotlib.transforms import Bbox  # lazy: matplotlib, only when drawing

    from wakhan.figures.layout import _NEAR_PT, _clear_position

    w, s, e, n = bbox
    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)  # labels stay inside the map (not over the axis ticks)
    px = ax.figure.dpi / 72
    marks = []
    for p in shown:
        ms = 4.5 if p.kind != "village" else 3.5
        ax.plot(
            [p.lon],
            [p.lat],
            marker={"pass": "^", "city": "s", "town": "o"}.get(p.kind, "."),
            ms=ms,
            color="#1c2833",
            mec="white",
            mew=0.6,
            zorder=6,
            ls="none",
        )
        (mx, my), half = ax.transData.transform((p.lon, p.lat)), 0.5 * (ms + 0.6) * px
        marks.append(Bbox([[mx - half, my - half], [mx + half, my + half]]))
    boxes = {}
    leaders: list = []  # leader lines drawn (pixels, marker to label): later labels and leaders keep off them
    for i, p in enumerate(shown):
        east = p.lon > e - 0.15 * (e - w)  # near the right edge the label goes on the marker's left first
        t = ax.annotate(
            p.name,
            (p.lon, p.lat),
            xytext=(0, 0),
            textcoords="offset points",
            fontsize=fs - 1.5,
            color="#1c2833",
            path_effects=halo,
            zorder=7,
            fontweight="bold" if p.kind in ("city", "pass") else "normal",
        )
        far = p.name in far_names
        others = taken + marks[:i] + marks[i + 1 :]
        box = _clear_position(t, renderer, others, clear_of, east, frame, far=far, leaders=leaders)
        if box is not None and abs(t.xyann[0]) + abs(t.xyann[1]) > _NEAR_PT:
            marker = ax.transData.transform((p.lon, p.lat))
            leaders.append((marker, marker + np.asarray(t.xyann) * px))
            ax.annotate(
                "",
                (p.lon, p.lat),
                xytext=t.xyann,
                textcoords="offset points",
                arrowprops={"arrowstyle": "-", "lw": 0.6, "color": "#1c2833", "shrinkA": 0, "shrinkB": 2.5},
                zorder=6.5,
            )
        if box is None:
            t.remove()  # no spot clear of the routes and of more important labels; the marker stays
        else:
            taken.append(box)
            boxes[f"place {p.name}"] = t
    return boxes
