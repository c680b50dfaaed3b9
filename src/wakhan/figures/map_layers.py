"""Layers of the route map that keep it truthful: every route visible, every country named,
the corridor outlined and named, an elevation key.

Used by :func:`wakhan.figures.plot_map`; each function draws one layer on a
lon/lat matplotlib axes and returns what it drew.
"""

from __future__ import annotations

import numpy as np
import shapely

from wakhan.figures.layout import box_is_clear, thousands

__all__ = ["draw_routes", "label_countries", "draw_corridor", "elevation_key"]


def draw_routes(ax, routes, colours):
    """Each route as a line; earlier routes wider and beneath, so shared stretches show every route.

    Route ``i`` of ``n`` is drawn ``1.5 * (n - 1 - i)`` points wider than the last one (the widest with a
    white casing), so where routes run together they appear as nested stripes instead of hiding each other.

    Examples
    --------
    Two routes: the first drawn 1.5 points wider than the second, beneath it.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> from wakhan.route import Profile, RouteResult
    >>> d = np.linspace(0.0, 40.0, 81)
    >>> walk = RouteResult({"name": "walk", "length_km": 40.0}, Profile(d, 73.0 + d / 88.0, np.full(81, 37.0), 0 * d))
    >>> fig, ax = plt.subplots()
    >>> [(h.get_label(), h.get_linewidth()) for h in draw_routes(ax, [walk, walk], ["#111111", "#2222ff"])]
    [('walk (40 km)', 3.0), ('walk (40 km)', 1.5)]
    >>> plt.close(fig)
    """
    from matplotlib import patheffects  # lazy: matplotlib, only when drawing

    n = len(routes)
    handles = []
    for i, r in enumerate(routes):
        lw = 1.5 + 1.5 * (n - 1 - i)
        casing = [patheffects.withStroke(linewidth=lw + 1.6, foreground="white")] if i == 0 else []
        (h,) = ax.plot(
            r.profile.lon,
            r.profile.lat,
            color=colours[i % len(colours)],
            lw=lw,
            zorder=5 + 0.1 * i,
            solid_capstyle="round",
            solid_joinstyle="round",
            path_effects=casing,
            label=f"{r.name} ({thousands(r.summary.terrain.length_km)} km)",
        )
        handles.append(h)
    return handles


def _candidates(part, n: int = 14):

    w, s, e, n_ = part.bounds
    xs, ys = np.meshgrid(np.linspace(w, e, n + 2)[1:-1], np.linspace(s, n_, n + 2)[1:-1])
    pts = shapely.points(xs.ravel(), ys.ravel())
    inside = shapely.contains(part, pts)
    return pts[inside]


def label_countries(ax, countries: dict, names: dict, bbox, avoid_lonlat, fontsize: float, clear=None):
    """Name every country that shows in ``bbox``, inside its visible part, away from the routes.

    Among points inside the visible part (a grid, plus its representative point) the label goes to the
    one farthest from ``avoid_lonlat`` (route and place coordinates) and from the part's edge. With
    ``clear = (renderer, taken boxes, lines)`` it goes to the best-scoring point where its box overlaps
    no taken box (place labels, legend, keys) and covers no line (:func:`wakhan.figures.layout.box_is_clear`);
    the boxes of the names placed join ``taken``.

    Examples
    --------
    Two box-shaped countries meeting at 73.2 E, seen through a map of 72.9-73.6 E: each is named
    inside its part; a country with no name given is named by its code.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> countries = {"AF": shapely.box(72.0, 36.0, 73.2, 38.0), "TJ": shapely.box(73.2, 36.0, 75.0, 38.0)}
    >>> fig, ax = plt.subplots()
    >>> labels = label_countries(ax, countries, {"AF": "Afghanistan"}, (72.9, 36.8, 73.6, 37.2), [], 8.0)
    >>> [(t.get_text(), t.get_position()[0] < 73.2) for t in labels]
    [('AFGHANISTAN', True), ('TJ', False)]
    >>> plt.close(fig)
    """
    from matplotlib import patheffects  # lazy: matplotlib, only when drawing

    halo = [patheffects.withStroke(linewidth=2.4, foreground="white")]
    w, s, e, n = bbox
    # keep label centres far enough from the map's edges for a country name to fit
    box = shapely.box(w + 0.09 * (e - w), s + 0.04 * (n - s), e - 0.09 * (e - w), n - 0.04 * (n - s))
    avoid = shapely.multipoints(np.asarray(avoid_lonlat)) if len(avoid_lonlat) else None
    out = []
    for code, geom in sorted(countries.items()):
        part = shapely.intersection(geom, box)
        if part.is_empty or shapely.area(part) <= 0:
            continue
        cands = list(_candidates(part)) + [shapely.point_on_surface(part)]
        edge = shapely.boundary(part)

        def score(p, edge=edge):
            d_edge = shapely.distance(p, edge)
            d_avoid = shapely.distance(p, avoid) if avoid is not None else 1.0
            return min(d_edge, 0.6 * d_avoid)

        ranked = sorted(cands, key=score, reverse=True)
        size = fontsize + 0.5 if shapely.area(part) > 0.03 * (e - w) * (n - s) else fontsize - 1
        t = ax.text(
            ranked[0].x,
            ranked[0].y,
            names.get(code, code).upper(),
            fontsize=size,
            color="#4d4d4d",
            ha="center",
            va="center",
            style="italic",
            path_effects=halo,
            zorder=3,
        )
        if clear is not None:
            renderer, taken, lines = clear
            for p in ranked:
                t.set_position((p.x, p.y))
                extent = t.get_window_extent(renderer)
                if box_is_clear(extent, taken, lines):
                    taken.append(extent)
                    break
            else:
                t.set_position((ranked[0].x, ranked[0].y))  # no clear spot: the best one (still named)
        out.append(t)
    return out


def draw_corridor(ax, label: str, geometry, fontsize: float, short: str = "Wakhan Corridor"):
    """Outline the corridor a claim was measured on; name it on the map (``short``) and in the legend (``label``).

    Returns the legend handle.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> fig, ax = plt.subplots()
    >>> handle = draw_corridor(ax, "Wakhan Corridor (east of 71.65 E)", shapely.box(73.0, 36.9, 73.5, 37.1), 8.0)
    >>> handle.get_label(), [t.get_text() for t in ax.texts]
    ('Wakhan Corridor (east of 71.65 E)', ['Wakhan Corridor'])
    >>> plt.close(fig)
    """
    from matplotlib import patheffects  # lazy: matplotlib, only when drawing

    halo = [patheffects.withStroke(linewidth=2.4, foreground="white")]
    handle = None
    for poly in shapely.get_parts(geometry):
        xs, ys = np.asarray(poly.exterior.coords).T[:2]
        (line,) = ax.plot(xs, ys, color="#111111", lw=1.2, ls=(0, (3, 1.5)), zorder=4.5, label=label)
        handle = handle or line
    coords = shapely.get_coordinates(geometry)
    top = coords[np.argmax(coords[:, 1])]
    ax.annotate(
        short,
        (top[0], top[1]),
        xytext=(0, 4),
        textcoords="offset points",
        fontsize=fontsize,
        color="#111111",
        ha="center",
        va="bottom",
        fontweight="bold",
        style="italic",
        path_effects=halo,
        zorder=7,
    )
    return handle


def _emptiest_corner(ax, routes) -> tuple[float, float]:
    """Lower-left axes fraction of the corner box (upper left, upper right, lower left) crossed least by routes."""
    (w, e), (s, n) = ax.get_xlim(), ax.get_ylim()
    lon = np.concatenate([r.profile.lon for r in routes])
    lat = np.concatenate([r.profile.lat for r in routes])
    fx, fy = (lon - w) / (e - w), (lat - s) / (n - s)
    corners = [(0.012, 0.873), (0.658, 0.873), (0.012, 0.012)]
    return min(corners, key=lambda c: int(((fx > c[0]) & (fx < c[0] + 0.33) & (fy > c[1]) & (fy < c[1] + 0.115)).sum()))


def elevation_key(fig, ax, cmap, vmin: float, vmax: float, fontsize: float, routes=()):
    """A horizontal colour bar for the terrain tints, in metres, in the map corner the routes cross least.

    Returns the colour bar; its ``background`` is the white box it stands in.

    Examples
    --------
    With no routes to avoid, the key stands in the lower left corner:

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> fig, ax = plt.subplots()
    >>> bar = elevation_key(fig, ax, "terrain", 3000.0, 5000.0, 8.0)
    >>> bar.ax.get_title(), bar.background.get_xy()
    ('Elevation (m), hillshaded', (0.012, 0.012))
    >>> plt.close(fig)
    """
    from matplotlib.cm import ScalarMappable  # lazy: matplotlib, only when drawing
    from matplotlib.colors import Normalize
    from matplotlib.patches import Rectangle
    from matplotlib.ticker import FuncFormatter

    x, y = _emptiest_corner(ax, routes) if len(routes) else (0.012, 0.012)
    back = Rectangle((x, y), 0.33, 0.115, transform=ax.transAxes, facecolor="white", alpha=0.8, lw=0, zorder=7.5)
    ax.add_patch(back)
    cax = ax.inset_axes([x + 0.018, y + 0.063, 0.29, 0.022])
    cax.set_zorder(8)
    bar = fig.colorbar(ScalarMappable(norm=Normalize(vmin, vmax), cmap=cmap), cax=cax, orientation="horizontal")
    bar.ax.tick_params(labelsize=fontsize - 1.5, length=2, pad=1)
    bar.ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: thousands(v)))
    bar.ax.set_title("Elevation (m), hillshaded", fontsize=fontsize - 1.5, pad=2)
    bar.background = back  # the box the key stands in, for layout checks
    return bar
