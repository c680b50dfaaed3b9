"""The claims map read in print: its legend never covers the caption that names the data and borders.

The expectation is geometric and independent of the code: the legend's lowest pixel lies above the
caption's highest one (with a small gap), whatever the number of legend rows.
"""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest
import shapely
from affine import Affine

from wakhan.figures.map import draw_map
from wakhan.grid import Grid
from wakhan.route import Profile, RouteResult, RouteSummary, geodesic_distance_km

matplotlib.use("Agg")


def _road(name: str, k: int, tunnel: bool, lat_span: float = 5.9) -> RouteResult:
    """A road across the claims map's box (68-76 E, 33.8-39.7 N), with a bore in its middle if ``tunnel``
    (``lat_span``: degrees north it climbs; a small one gives a wide, short map)."""
    t = np.linspace(0.0, 1.0, 201)
    lon, lat = 68.0 + 8.0 * t + 0.02 * k, 33.8 + lat_span * t
    d = geodesic_distance_km(lon, lat)
    z = 3000.0 + 1000.0 * np.sin(np.pi * t)

    def portal(i):
        return {"lon": float(lon[i]), "lat": float(lat[i]), "elevation_m": float(z[i])}

    bores = [
        {
            "start_km": d[80],
            "end_km": d[120],
            "length_km": d[120] - d[80],
            "portal_a": portal(80),
            "portal_b": portal(120),
        }
    ]
    summary = RouteSummary.from_dict({"name": name, "length_km": float(d[-1]), "tunnels": bores if tunnel else []})
    return RouteResult(summary, Profile(d, lon, lat, z))


@pytest.mark.parametrize("n_routes", [1, 3])
def test_the_legend_under_the_map_stands_clear_of_the_data_caption(n_routes):
    """On the claims map the legend's last row ('tunnel', which the figure's height did not count) lay over
    the caption's 'Terrain: GEBCO_2023 (SRTM15+ v2.5.5) ...' line."""
    import matplotlib.pyplot as plt

    dem = Grid(
        np.tile(3000.0 + 10.0 * np.arange(150, dtype=np.float32), (150, 1)),
        Affine(0.07, 0, 67.5, 0, -0.07, 40.3),
        "EPSG:4326",
    )
    routes = [_road(f"route {i}", i, i == 0) for i in range(n_routes)]
    corridor = ("corridor", shapely.box(70.0, 36.0, 72.0, 37.0))
    fig, _ax, layout = draw_map(routes, dem=dem, places=None, pad_km=10.0, title="t", corridor=corridor)
    try:
        renderer = fig.canvas.get_renderer()
        legend = layout["boxes"]["legend"]
        assert [t.get_text() for t in legend.get_texts()][-1] == "tunnel"
        caption = next(t for t in fig.texts if t.get_text().startswith("Terrain:"))
        assert legend.get_window_extent(renderer).y0 > caption.get_window_extent(renderer).y1
    finally:
        plt.close(fig)


def test_a_pass_the_routes_cross_is_named_farther_out_when_its_near_spots_are_taken():
    """The claims map left the Wakhjir Pass, the crossing every claim turns on, unnamed: bundled routes and
    other markers filled every spot within 12 points of its marker. A pass or waypoint now tries farther
    spots (joined by a leader line) before it goes unnamed; other places still do not."""
    import matplotlib.pyplot as plt
    from matplotlib.transforms import Bbox

    from wakhan.figures.layout import _clear_position

    fig, ax = plt.subplots(figsize=(4, 4), dpi=100)
    try:
        ax.set_xlim(0, 10)
        ax.set_ylim(0, 10)
        renderer = fig.canvas.get_renderer()
        frame = ax.get_window_extent(renderer)
        t = ax.annotate("Wakhjir Pass", (5, 5), xytext=(0, 0), textcoords="offset points", fontsize=7)
        mx, my = ax.transData.transform((5, 5))
        ring = 15 * fig.dpi / 72 + t.get_window_extent(renderer).width  # every near spot's box overlaps this
        block = Bbox([[mx - ring, my - 12 * fig.dpi / 72], [mx + ring, my + 12 * fig.dpi / 72]])
        assert _clear_position(t, renderer, [block], [], False, frame) is None
        box = _clear_position(t, renderer, [block], [], False, frame, far=True)
        assert box is not None and not box.overlaps(block)
        assert abs(t.xyann[0]) + abs(t.xyann[1]) > 14  # beyond the near ring: drawn with a leader line
    finally:
        plt.close(fig)


def test_a_pass_near_the_maps_side_is_named_with_its_label_slid_inside():
    """The claims map left the Khunjerab Pass unnamed: its marker is less than a label's width from the
    map's right side, so every spot east of it fell outside the map, while the Karakoram Highway and other
    labels took the spots west of, above and below it. A far spot (joined by a leader line) that crosses
    the map's side now slides back inside it."""
    import matplotlib.pyplot as plt
    from matplotlib.transforms import Bbox

    from wakhan.figures.layout import _FAR_OFFSETS, _clear_position, box_is_clear, line_pixels

    fig, ax = plt.subplots(figsize=(4, 4), dpi=100)
    try:
        ax.set_xlim(0, 10)
        ax.set_ylim(0, 10)
        renderer = fig.canvas.get_renderer()
        frame = ax.get_window_extent(renderer)
        t = ax.annotate("Khunjerab Pass", (5, 5), xytext=(0, 0), textcoords="offset points", fontsize=7)
        width = t.get_window_extent(renderer).width
        x = 10 - 0.85 * width * 10 / frame.width  # the marker 0.85 label widths from the map's right side
        t.xy = (x, 5)
        mx, my = ax.transData.transform((x, 5))
        # the route comes from the north-east through the marker and runs on west-south-west
        route = [(line_pixels(ax, [10.0, x, 0.0], [7.5, 5.0, 2.6]), 3.0)]
        north = Bbox([[frame.x0, my + 10], [frame.x1, frame.y1]])  # other labels and markers
        south = Bbox([[frame.x0, frame.y0], [mx - 5, my - 30]])
        assert _clear_position(t, renderer, [north, south], route, False, frame) is None
        box = _clear_position(t, renderer, [north, south], route, False, frame, far=True)
        assert box is not None and box_is_clear(box, [north, south], route)
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
        assert tuple(t.xyann) not in {(dx, dy) for dx, dy, _, _ in _FAR_OFFSETS}  # a slid spot
        assert abs(t.xyann[0]) + abs(t.xyann[1]) > 14  # beyond the near ring: drawn with a leader line
    finally:
        plt.close(fig)


@pytest.mark.parametrize("n_routes", [1, 3])
@pytest.mark.parametrize("lat_span", [5.9, 0.8])
def test_the_legend_under_the_map_stands_clear_of_the_axis_label_and_tick_labels(n_routes, lat_span):
    """On the claims map the route legend, anchored a fixed share of the axes' height below them, lay over
    the 'Longitude (°E)' axis label: it now starts below the lowest of the x axis' label and tick labels."""
    import matplotlib.pyplot as plt

    dem = Grid(
        np.tile(3000.0 + 10.0 * np.arange(150, dtype=np.float32), (150, 1)),
        Affine(0.07, 0, 67.5, 0, -0.07, 40.3),
        "EPSG:4326",
    )
    routes = [_road(f"route {i}", i, i == 0, lat_span) for i in range(n_routes)]
    fig, ax, layout = draw_map(routes, dem=dem, places=None, pad_km=10.0, title="t")
    try:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        legend = layout["boxes"]["legend"].get_window_extent(renderer)
        xlabel = ax.xaxis.label.get_window_extent(renderer)
        assert ax.xaxis.label.get_text() == "Longitude (°E)"
        assert legend.y1 < xlabel.y0, (legend, xlabel)
        ticks = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_visible() and t.get_text()]
        assert ticks and all(not legend.overlaps(b) for b in ticks)
        ylabel = ax.yaxis.label.get_window_extent(renderer)
        assert not legend.overlaps(ylabel)
        # and the legend still lies on the figure, above the caption
        caption = next(t for t in fig.texts if t.get_text().startswith("Terrain:"))
        assert legend.y0 > caption.get_window_extent(renderer).y1
    finally:
        plt.close(fig)


@pytest.mark.parametrize("lat_span", [5.9, 1.0, 9.0])
def test_the_caption_sits_just_below_the_legend_whatever_the_maps_aspect(lat_span):
    """The claims map had an empty band (some 40 pixels at 150 dpi) between the legend hanging under the
    axis labels and the caption: the figure's height, guessed before the legend existed, was only ever
    grown. Expectation (geometry only): the caption's top lies under the legend's bottom, at most 8 points
    below it, on a square, a wide-short and a tall map."""
    import matplotlib.pyplot as plt

    dem = Grid(
        np.tile(3000.0 + 10.0 * np.arange(200, dtype=np.float32), (200, 1)),
        Affine(0.07, 0, 67.5, 0, -0.07, 44.0),
        "EPSG:4326",
    )
    routes = [_road("route 0", 0, True, lat_span=lat_span)]
    fig, _ax, layout = draw_map(routes, dem=dem, places=None, pad_km=10.0, title="t")
    try:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        legend = layout["boxes"]["legend"].get_window_extent(renderer)
        caption = next(t for t in fig.texts if t.get_text().startswith("Terrain:")).get_window_extent(renderer)
        gap_pt = (legend.y0 - caption.y1) * 72 / fig.dpi
        assert 0 < gap_pt <= 8.0, gap_pt
        assert caption.y0 >= 0  # the caption stays on the page
    finally:
        plt.close(fig)


def test_a_label_keeps_off_a_leader_line_already_drawn_and_its_own_leader_crosses_none():
    """On the claims map the Khunjerab Pass's leader line ran through the Mintaka Pass's label, the two
    labels stacked against each other. A label's box now keeps off the leader lines drawn before it, and
    its own leader (a far spot's) crosses none of them. Checked in display pixels: the leader segment
    against the returned box, and the two leaders by a segment-crossing test written here."""
    import matplotlib.pyplot as plt
    from matplotlib.transforms import Bbox

    from wakhan.figures.layout import _NEAR_PT, _clear_position

    def crosses(p, q):
        def orient(a, b, c):
            return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

        return orient(*p, q[0]) * orient(*p, q[1]) < 0 and orient(*q, p[0]) * orient(*q, p[1]) < 0

    fig, ax = plt.subplots(figsize=(4, 4), dpi=100)
    try:
        ax.set_xlim(0, 10)
        ax.set_ylim(0, 10)
        renderer = fig.canvas.get_renderer()
        frame = ax.get_window_extent(renderer)
        pt = fig.dpi / 72
        t = ax.annotate("Mintaka Pass", (5, 5), xytext=(0, 0), textcoords="offset points", fontsize=7)
        mx, my = ax.transData.transform((5, 5))
        ring = 15 * pt + t.get_window_extent(renderer).width  # every near spot's box overlaps this
        block = Bbox([[mx - ring, my - 12 * pt], [mx + ring, my + 12 * pt]])
        # another pass's leader, from a marker south-east to its label north-west, over the spots first tried
        other = (np.array([mx + 50 * pt, my - 20 * pt]), np.array([mx - 30 * pt, my + 60 * pt]))
        box = _clear_position(t, renderer, [block], [], False, frame, far=True, leaders=[other])
        assert box is not None
        assert abs(t.xyann[0]) + abs(t.xyann[1]) > _NEAR_PT  # a far spot, with a leader line
        s = np.linspace(0.0, 1.0, 400)[:, None]
        on_other = other[0] + (other[1] - other[0]) * s
        inside = (on_other[:, 0] > box.x0) & (on_other[:, 0] < box.x1) & (on_other[:, 1] > box.y0)
        assert not (inside & (on_other[:, 1] < box.y1)).any()
        own = (np.array([mx, my]), np.array([mx, my]) + np.asarray(t.xyann) * pt)
        assert not crosses(own, other)
    finally:
        plt.close(fig)
