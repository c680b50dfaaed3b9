"""What a figure editor and a geographer asked of the published figures (claims report, 2026-12).

* the Mintaka Pass, a historic crossing on the China-Pakistan border beside the Khunjerab (in the
  bundled gazetteer, data/places.csv), is named on the claims map, not left a bare triangle;
* the remoteness map labels each contour level once, clear of every other label;
* a profile's y axis ends just above its labels (and the legend where that stands at the top);
* a tunnelled profile shows the mountain above the bore, not only the bore;
* a town a couple of km off the route (its gazetteer point is its centre) is labelled on the profile.

Expectations are geometry (boxes inside the axes, boxes apart) or hand-built numbers, never pixels.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from affine import Affine  # noqa: E402

from wakhan.dem.project import xy_to_lonlat  # noqa: E402
from wakhan.grid import DataSource, Grid  # noqa: E402
from wakhan.route import Profile, RouteResult, RouteSummary, build_summary, geodesic_distance_km  # noqa: E402


def _inside(box, frame) -> bool:
    return frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1


# -- the Mintaka Pass on the claims map ---------------------------------------------------------
def test_the_mintaka_pass_is_named_on_the_claims_map(claims_session):
    from wakhan.claims.case_study import DEFAULT_DEFINITION
    from wakhan.claims.corridor import corridor_region
    from wakhan.figures.layout import line_pixels, overlap_problems
    from wakhan.figures.map import draw_map
    from wakhan.places import load_places
    from wakhan.report.write import map_routes

    (mintaka,) = [p for p in load_places() if p.name == "Mintaka Pass"]
    assert mintaka.kind == "pass"
    routes = map_routes(claims_session["result"].routes)
    fig, ax, layout = draw_map(
        routes, title="Routes tested", corridor=("corridor", corridor_region(DEFAULT_DEFINITION))
    )
    try:
        (w, e), (s, n) = ax.get_xlim(), ax.get_ylim()
        assert w < mintaka.lon < e and s < mintaka.lat < n  # in the map's extent: it must be named
        assert "place Mintaka Pass" in layout["boxes"]
        renderer = fig.canvas.get_renderer()
        label = layout["boxes"]["place Mintaka Pass"]
        assert _inside(label.get_window_extent(renderer), ax.get_window_extent(renderer))
        boxes = [(name, a.get_window_extent(renderer)) for name, a in layout["boxes"].items()]
        lines = [(name, line_pixels(ax, *h.get_data()), half) for name, (h, half) in layout["routes"].items()]
        assert overlap_problems(boxes, lines) == []
        # its neighbours on the border keep their names
        assert {"place Khunjerab Pass", "place Kilik Pass"} <= set(layout["boxes"])
    finally:
        plt.close(fig)


# -- contour labels on the remoteness map --------------------------------------------------------
def _settled_grid():
    """A flat 60 x 60 km square with 25 settlements 12.5 km apart: every contour level is a ring round
    each settlement (or a star between four), dozens of closed loops per level."""
    from wakhan.cost import WalkingModel
    from wakhan.remoteness import remoteness
    from wakhan.settlements import Settlements

    grid = Grid(
        np.full((120, 120), 1000.0, np.float32),
        Affine(500.0, 0, 500_000.0, 0, -500.0, 4_100_000.0),
        "EPSG:32643",
        sources=(DataSource("hand-built", resolution="500 m"),),
    )
    r, c = np.meshgrid(np.arange(10, 120, 25), np.arange(10, 120, 25))
    x, y = grid.xy(r.ravel(), c.ravel())
    lon, lat = xy_to_lonlat(grid.crs, x, y)
    towns = Settlements(lon, lat, tuple(f"s{i}" for i in range(len(lon))), DataSource("a grid of settlements"))
    return remoteness(towns, dem=grid, model=WalkingModel(), neighbours=8)


def test_each_contour_level_is_labelled_once_clear_of_every_other_label(tmp_path, monkeypatch):
    from wakhan.figures import remoteness as module

    surface = _settled_grid()
    levels = (0.5, 1.0, 1.5)  # all below the surface's ~1.7 h maximum
    assert np.nanmax(surface.hours.array) > max(levels)
    x, y = surface.hours.xy(np.array([60]), np.array([60]))
    lon, lat = xy_to_lonlat(surface.hours.crs, x, y)
    drawn = {}
    monkeypatch.setattr(plt, "close", lambda fig: drawn.setdefault("fig", fig))
    # the contour labels as clabel returns them (a ContourSet is in ax.collections from matplotlib 3.8 only)
    from matplotlib.axes import Axes

    clabel, contour_labels = Axes.clabel, []

    def recorded_clabel(self, *args, **kwargs):
        texts = clabel(self, *args, **kwargs)
        contour_labels.extend(texts)
        return texts

    monkeypatch.setattr(Axes, "clabel", recorded_clabel)
    module.plot_remoteness(
        surface, tmp_path / "r.png", contours_h=levels, points=[("most remote: 1.7 h", float(lon[0]), float(lat[0]))]
    )
    fig = drawn["fig"]
    ax = fig.axes[0]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    assert sorted(t.get_text() for t in contour_labels) == ["0.5 h", "1 h", "1.5 h"]  # one per level
    frame = ax.get_window_extent(renderer)
    others = [t for t in ax.texts if t not in contour_labels and _inside(t.get_window_extent(renderer), frame)]
    assert [t.get_text() for t in others] == ["most remote: 1.7 h"]  # the caption stands below the map
    others_boxes = [t.get_window_extent(renderer) for t in others] + [ax.get_legend().get_window_extent(renderer)]
    boxes = [t.get_window_extent(renderer) for t in contour_labels]
    for i, b in enumerate(boxes):
        assert _inside(b, frame)
        assert not any(b.overlaps(o) for o in others_boxes)
        assert not any(b.overlaps(o) for o in boxes[i + 1 :])
    plt.close(fig)


# -- headroom above a profile's labels -------------------------------------------------------------
def test_claims_profiles_end_just_above_their_labels(claims_session):
    """Something stops each profile's axis from coming lower: the highest label (or peak) stands within
    2.5 % of the axes' height of the top, or the legend, standing at the top, comes within 2.5 % of a label
    or of the curve beneath it. The existing-road profile (at 100 dpi) ran its axis to 8,681 m, 10 %
    of the height empty above its highest label and the legend 4.3 % above the Salang label under it:
    the legend had raised the axis in steps of 15 %."""
    from wakhan.figures import draw_profile

    for route in claims_session["result"].routes.values():
        fig, ax, labels = draw_profile(route, dpi=100)
        try:
            fig.canvas.draw()
            renderer = fig.canvas.get_renderer()
            frame = ax.get_window_extent(renderer)
            boxes = [t.get_window_extent(renderer) for t in labels]
            curve = ax.transData.transform(np.column_stack([route.profile.distance_km, route.profile.elevation_m]))
            assert all(b.y1 <= frame.y1 + 0.5 for b in boxes), route.name  # every label inside the axes
            gaps = [frame.y1 - max([b.y1 for b in boxes] + [float(curve[:, 1].max())])]
            legend = ax.get_legend()
            if legend is not None:
                lb = legend.get_window_extent(renderer)
                if lb.y1 > frame.y1 - 0.1 * frame.height:  # the legend stands at the top
                    under = [b.y1 for b in boxes if b.x0 < lb.x1 and lb.x0 < b.x1]
                    under += list(curve[(curve[:, 0] > lb.x0) & (curve[:, 0] < lb.x1), 1])
                    gaps.append(lb.y0 - max(under))
            assert min(gaps) <= 0.025 * frame.height, (route.name, gaps, frame.height)
        finally:
            plt.close(fig)


# -- the mountain above a tunnel --------------------------------------------------------------------
def _tunnelled_route():
    """A 44 km road at 3,000 m, through a 12 km level bore under a ridge whose crest is 5,000 m at
    73.25 E (the DEM: 3,000 m away from the ridge, rising linearly to 5,000 m over 6 km either side)."""
    lon = np.linspace(73.0, 73.5, 201)
    lat = np.full(201, 37.0)
    d = geodesic_distance_km(lon, lat)
    z = np.full(201, 3000.0)
    cols = np.arange(300)
    lons = 72.9 + 0.0025 * (cols + 0.5)
    km_from_crest = np.abs(lons - 73.25) * 111.32 * np.cos(np.radians(37.0))
    row = 3000.0 + np.clip(2000.0 * (1.0 - km_from_crest / 6.0), 0.0, None)
    dem = Grid(np.tile(row, (40, 1)).astype(np.float32), Affine(0.0025, 0, 72.9, 0, -0.0025, 37.05), "EPSG:4326")
    crest_km = float(np.interp(73.25, lon, d))
    a, b = crest_km - 6.0, crest_km + 6.0
    ia, ib = int(np.searchsorted(d, a)), int(np.searchsorted(d, b))
    bore = {
        "start_km": a,
        "end_km": b,
        "length_km": 12.0,
        "portal_a": {"lon": lon[ia], "lat": 37.0, "elevation_m": 3000.0},
        "portal_b": {"lon": lon[ib], "lat": 37.0, "elevation_m": 3000.0},
    }
    profile = Profile(d, lon, lat, z)
    summary = RouteSummary.from_dict(
        {**build_summary(profile, "road", places=[], country_at=None).to_dict(), "tunnels": [bore]}
    )
    return RouteResult(summary, profile, dem=dem), crest_km


def test_a_tunnelled_profile_draws_the_ground_above_the_bore():
    from wakhan.figures import draw_profile

    route, crest_km = _tunnelled_route()
    fig, ax, _labels = draw_profile(route, dpi=100)
    try:
        above = []
        for line in ax.get_lines():
            x, y = (np.asarray(v, float) for v in line.get_data())
            if len(x) > 5 and np.nanmax(y) > 4500.0:
                above.append((x, y))
        assert len(above) == 1  # one ground line over the bore
        x, y = above[0]
        # the crest, by hand: 5,000 m at 73.25 E; the grid's bilinear sampling holds it within a cell's rise
        assert abs(float(np.interp(crest_km, x, y)) - 5000.0) < 60.0
        # the ground line spans the bore and stands above it; the bore line stays at the portals' 3,000 m
        assert x.min() >= crest_km - 6.01 and x.max() <= crest_km + 6.01 and (y >= 3000.0 - 1e-6).all()
        bore_lines = [ln for ln in ax.get_lines() if ln.get_color() == "#1b2631" and len(ln.get_xdata()) > 2]
        assert bore_lines and all(np.allclose(ln.get_ydata(), 3000.0) for ln in bore_lines)
        assert ax.get_ylim()[1] > 5000.0  # the mountain is not cut off
    finally:
        plt.close(fig)


# -- a town beside the route ----------------------------------------------------------------------
def test_a_town_two_km_off_the_route_is_labelled_a_village_is_not():
    from wakhan.figures.profile_labels import LABEL_WITHIN_KM, profile_labels

    # Tashkurgan's gazetteer point (37.775 N 75.227 E, the town's centre) 2.21 km off a Chinese road;
    # a village 2.5 km off is still not labelled (a village is small: 2 km off is beside it, not in it)
    summary = {
        "waypoints": [{"name": "Start", "km": 0.0}, {"name": "End", "km": 60.0}],
        "places_along": [
            {"name": "Tashkurgan", "kind": "town", "km": 20.0, "offset_km": 2.21, "lon": 75.227, "lat": 37.775},
            {
                "name": "Hamlet",
                "kind": "village",
                "km": 40.0,
                "offset_km": LABEL_WITHIN_KM + 0.5,
                "lon": 75.2,
                "lat": 37.6,
            },
        ],
    }
    profile = type(
        "P",
        (),
        {"distance_km": np.array([0.0, 60.0]), "lon": np.array([75.25, 75.2]), "lat": np.array([37.9, 37.4])},
    )()
    texts = [t for _, t, _ in profile_labels(RouteSummary.from_dict(summary), profile)]
    assert texts == ["Start", "End", "Tashkurgan"]
