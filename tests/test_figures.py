"""Profile and map figures are drawn, legible in size, and written atomically."""

import numpy as np
import pytest
from affine import Affine
from pyproj import Transformer

from wakhan.errors import InputError
from wakhan.figures import data_caption, plot_map, plot_profile
from wakhan.grid import DataSource, Grid
from wakhan.route import Profile, RouteResult, RouteSummary, build_summary, geodesic_distance_km

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def route():
    t = np.linspace(0, 1, 400)
    lon, lat = 73.0 + 1.5 * t, 37.0 + 0.2 * np.sin(3 * t)
    d = geodesic_distance_km(lon, lat)
    z = 3000 + 1900 * np.exp(-(((d - d[-1] / 2) / 20) ** 2))
    prof = Profile(d, lon, lat, z)
    places = [
        type("P", (), dict(name="Test Pass", lon=lon[200], lat=lat[200], kind="pass"))(),
        type("P", (), dict(name="Startville", lon=lon[0], lat=lat[0], kind="town"))(),
    ]
    s = build_summary(
        prof,
        "Built route",
        places=places,
        country_at=None,
        sources=[DataSource("built", '15" (~460 m)').as_dict()],
        waypoints=[
            {"name": "Startville", "lon": lon[0], "lat": lat[0]},
            {"name": "End", "lon": lon[-1], "lat": lat[-1]},
        ],
    )
    return RouteResult(summary=s, profile=prof)


def hex_rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)


def png_rgb(path) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(path).convert("RGB")).astype(float)


def near(rgb: np.ndarray, colour, tol: float = 40) -> np.ndarray:
    """Pixels within ``tol`` (sum of absolute channel differences) of ``colour`` (hex or RGB)."""
    target = hex_rgb(colour) if isinstance(colour, str) else np.asarray(colour, dtype=float)
    return np.abs(rgb - target).sum(axis=2) < tol


def small_dem():
    crs = "EPSG:32643"
    x0, y0 = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(72.5, 38.0)
    n, res = 300, 1000.0
    yy, xx = np.mgrid[0:n, 0:n]
    arr = (3000 + 1500 * np.sin(xx / 20.0) * np.cos(yy / 25.0)).astype(np.float32)
    return Grid(arr, Affine(res, 0, x0, 0, -res, y0), crs, sources=(DataSource("built hills", "1 km"),))


@pytest.mark.parametrize("width", [3.5, 7.0])
def test_profile_png(tmp_path, route, width):
    out = plot_profile(route, tmp_path / "p.png", width_in=width, shade=[(10, 40, "gap")], dpi=100)
    assert out.read_bytes()[:8] == PNG
    assert [p.name for p in tmp_path.iterdir()] == ["p.png"]
    rgb = png_rgb(out)
    h, w = rgb.shape[:2]
    assert w == pytest.approx(width * 100, abs=2)
    # the terrain is drawn: the profile's fill and its outline are there in their colours
    fill = near(rgb, "#d9c8a9")
    assert fill.sum() > 0.03 * h * w
    assert near(rgb, "#4a3b28").sum() > 0.5 * w  # the curve runs across the plot
    # and drawn where the route is high: the built terrain peaks (4,900 m) halfway along the route, so the
    # fill's highest pixel lies in the middle of its horizontal extent, and it rises above the 4,000 m line
    cols = np.flatnonzero(fill.any(axis=0))
    tops = np.array([np.flatnonzero(fill[:, c])[0] for c in cols])
    peak_col = cols[np.argmin(tops)]
    assert abs(peak_col - (cols[0] + cols[-1]) / 2) < 0.06 * (cols[-1] - cols[0])
    assert near(rgb, "#b03a2e", tol=60).sum() > 0.2 * w  # the dashed 4,000 m line
    assert tops.min() < np.median(np.flatnonzero(near(rgb, "#b03a2e", tol=60).any(axis=1)))
    # the shaded 10-40 km band: #7fb3d5 at 35 % over white
    band = np.round(0.35 * hex_rgb("#7fb3d5") + 0.65 * 255)
    assert near(rgb, band, tol=20).sum() > 200


def test_map_png_with_given_dem(tmp_path, route):
    from wakhan.figures import ROUTE_COLOURS

    out = plot_map(route, tmp_path / "m.png", dem=small_dem(), places=None, dpi=80, width_in=5)
    assert out.read_bytes()[:8] == PNG
    rgb = png_rgb(out)
    assert rgb.shape[1] == pytest.approx(5 * 80, abs=2)
    assert near(rgb, ROUTE_COLOURS[0]).sum() > 100  # the route, in the first route colour
    # the hillshaded built hills: many grey levels, not a flat background
    grey = rgb.mean(axis=2)
    assert len(np.unique(grey.round())) > 50 and grey.std() > 10


def test_caption_names_data_and_grid(route):
    s = route.summary.with_fields(
        grid={"resolution": "464 m x 464 m"},
        model="highway",
        model_max_grade_pct=12,
        neighbours=16,
        within=("CN", "AF"),
    )
    text = data_caption(s)
    assert 'built 15" (~460 m)' in text and "464 m x 464 m" in text and "CN+AF" in text and "12 %" in text


def test_bad_figure_paths(tmp_path, route):
    with pytest.raises(InputError, match="format"):
        plot_profile(route, tmp_path / "p.jpg")
    with pytest.raises(InputError, match="does not exist"):
        plot_map(route, tmp_path / "no" / "m.png", dem=small_dem(), places=None)
    assert list(tmp_path.iterdir()) == []


# -- truthful labels ----------------------------------------------------------------------------
def test_profile_labels_only_what_the_route_crosses_or_passes_near():
    from wakhan.figures.profile_labels import LABEL_WITHIN_KM, profile_labels

    summary = {
        "waypoints": [{"name": "Ishkashim", "km": 0.0}, {"name": "End", "km": 50.0}],
        "passes": [
            # the data left it unnamed (its gazetteer pass lies beyond wakhan.route.naming.PASS_NAME_KM)
            {"name": None, "km": 20.0, "elevation_m": 4345.9, "nearest_place": "Kilik Pass", "nearest_place_km": 6.2},
            {"name": "Near Pass", "km": 30.0, "elevation_m": 4861.8, "nearest_place_km": 0.6},
        ],
        "places_along": [
            {"name": "Kilik Pass", "kind": "pass", "km": 20.0, "offset_km": 6.2, "lon": 74.66, "lat": 37.09},
            {
                "name": "Far Village",
                "kind": "village",
                "km": 40.0,
                "offset_km": LABEL_WITHIN_KM + 0.5,
                "lon": 71.6,
                "lat": 36.7,
            },
            # Tajik Ishkoshim across the Panj from Afghan Ishkashim: not a place on an Afghan road
            {"name": "Ishkoshim", "kind": "town", "km": 0.5, "offset_km": 1.0, "lon": 71.61331, "lat": 36.72484},
        ],
    }
    profile = type(
        "P",
        (),
        {"distance_km": np.array([0.0, 50.0]), "lon": np.array([71.57291, 71.9]), "lat": np.array([36.70812, 36.8])},
    )()
    texts = [t for _, t, _ in profile_labels(RouteSummary.from_dict(summary), profile)]
    assert texts == ["Ishkashim", "End", "4,346 m", "Near Pass\n4,862 m"]


@pytest.mark.parametrize("width", [3.5, 7.0])
def test_profile_labels_never_overlap_or_cover_the_curve(width):
    from wakhan.figures import draw_profile
    from wakhan.figures.profile_labels import layout_problems

    t = np.linspace(0, 1, 800)
    lon, lat = 71.0 + 3.0 * t, np.full(t.size, 36.0)
    d = geodesic_distance_km(lon, lat)
    z = 2500 + 2200 * np.exp(-(((d - 100) / 15) ** 2)) + 1800 * np.exp(-(((d - 190) / 10) ** 2))
    prof = Profile(d, lon, lat, z)
    # a crowd of places, some a few km apart, around both peaks
    places = [
        type("P", (), dict(name=f"Place {i}", lon=float(lon[k]), lat=36.001, kind="village"))()
        for i, k in enumerate(range(150, 700, 23))
    ]
    s = build_summary(
        prof,
        "Crowded route",
        places=places,
        country_at=None,
        waypoints=[
            {"name": "Start of a long name", "lon": lon[0], "lat": lat[0]},
            {"name": "End", "lon": lon[-1], "lat": lat[-1]},
        ],
    )
    fig, ax, labels = draw_profile(
        RouteResult(summary=s, profile=prof), width_in=width, dpi=100, shade=[(10, 60, "no settlement within 5 km")]
    )
    try:
        assert len(labels) >= 4
        assert layout_problems(fig, ax, labels, d, z) == []
        assert ax.get_ylim()[1] <= z.max() + 1.25 * (z.max() - ax.get_ylim()[0])  # the profile keeps its shape
    finally:
        import matplotlib.pyplot as plt

        plt.close(fig)


@pytest.mark.parametrize("width", [3.5, 7.0, 10.0])
def test_profile_title_and_numbers_line_never_overlap(width):
    """The numbers line under the title may wrap (a long 'steepest terrain' line on a narrow figure);
    the title must then stand above all of it, never drawn over it (as on the 10-inch claims profile)."""

    from wakhan.figures import draw_profile

    t = np.linspace(0, 1, 400)
    lon, lat = 73.0 + 8.0 * t, np.full(t.size, 37.0)
    d = geodesic_distance_km(lon, lat)
    prof = Profile(d, lon, lat, 3000 + 1900 * np.exp(-(((d - d[-1] / 2) / 40) ** 2)))
    s = build_summary(prof, "A route with a long name to title the figure", places=[], country_at=None)
    # the numbers of the Wakhan highway's profile in the claims report, whose line wrapped under its title
    s = s.with_fields(switchback_km=76.5, length_km=1082.3, km_above_4000m=97.0, max_grade_pct=14.8)
    fig, ax, _labels = draw_profile(RouteResult(summary=s, profile=prof), width_in=width, dpi=100)
    try:
        renderer = fig.canvas.get_renderer()
        # a number and its unit are joined by a no-break space (so "1,082 km" never wraps apart)
        numbers = [
            t for t in ax.texts if t.get_text().replace("\u00a0", " ").startswith(f"{s.terrain.length_km:,.0f} km,")
        ]
        assert len(numbers) == 1
        import matplotlib.text

        heading = ax.get_title(loc="left")
        (title,) = [c for c in ax.get_children() if isinstance(c, matplotlib.text.Text) and c.get_text() == heading]
        title_box = title.get_window_extent(renderer)
        numbers_box = numbers[0].get_window_extent(renderer)
        assert title_box.y0 >= numbers_box.y1 - 0.5, (title_box, numbers_box)
        assert numbers_box.y0 >= ax.get_window_extent(renderer).y1 - 0.5  # and the numbers sit above the axes
    finally:
        import matplotlib.pyplot as plt

        plt.close(fig)


def test_map_shows_every_route_even_on_a_shared_path_and_stays_small(tmp_path, route):
    """Two routes along the very same line: both colours must show; the PNG stays under 1 MB."""
    from PIL import Image

    from wakhan.figures import ROUTE_COLOURS

    twin = RouteResult(summary=route.summary.with_fields(name="Twin"), profile=route.profile)
    out = plot_map([route, twin], tmp_path / "m.png", dem=small_dem(), places=None, dpi=150, width_in=7)
    assert out.stat().st_size < 1_000_000
    pixels = np.asarray(Image.open(out).convert("RGB")).reshape(-1, 3).astype(int)
    for colour in ROUTE_COLOURS[:2]:
        rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
        assert (np.abs(pixels - rgb).sum(axis=1) < 40).sum() > 200, colour


def test_every_country_in_view_is_named():
    import matplotlib.pyplot as plt

    from wakhan.borders import load_countries
    from wakhan.figures.map_layers import label_countries

    fig, ax = plt.subplots()
    try:
        bbox = (72.0, 36.0, 76.5, 39.0)  # Wakhan, Pamirs, Karakoram: AF, CN, PK, TJ (and a corner of KG)
        texts = label_countries(
            ax,
            load_countries(),
            {"AF": "Afghanistan", "CN": "China", "PK": "Pakistan", "TJ": "Tajikistan"},
            bbox,
            np.empty((0, 2)),
            8,
        )
        names = {t.get_text() for t in texts}
        assert {"AFGHANISTAN", "CHINA", "PAKISTAN", "TAJIKISTAN"} <= names
        import shapely

        countries = load_countries()
        for t in texts:  # each name sits inside its own country
            code = (
                next(
                    c
                    for c, n in {"AF": "AFGHANISTAN", "CN": "CHINA", "PK": "PAKISTAN", "TJ": "TAJIKISTAN"}.items()
                    if n == t.get_text()
                )
                if t.get_text() in ("AFGHANISTAN", "CHINA", "PAKISTAN", "TAJIKISTAN")
                else None
            )
            if code:
                assert shapely.contains(countries[code], shapely.Point(*t.get_position()))
    finally:
        plt.close(fig)


# -- no overlaps on the claims figures ------------------------------------------------------------
def _claims_map(result, **kw):
    from wakhan.claims.case_study import DEFAULT_DEFINITION
    from wakhan.claims.corridor import corridor_region
    from wakhan.figures.map import draw_map
    from wakhan.report.write import map_routes

    d = DEFAULT_DEFINITION
    return draw_map(map_routes(result.routes), title="Routes tested", corridor=("corridor", corridor_region(d)), **kw)


def test_claims_map_labels_clear_routes_and_each_other(claims_session):
    """On the claims map no label or legend box overlaps another or covers a route (it once printed
    "Pul-i-Khumri" over "AFGHANISTAN" and hid the on-foot route under place names)."""
    import matplotlib.pyplot as plt

    from wakhan.figures.layout import line_pixels, overlap_problems

    fig, ax, layout = _claims_map(claims_session["result"])
    try:
        renderer = fig.canvas.get_renderer()
        boxes = [(name, a.get_window_extent(renderer)) for name, a in layout["boxes"].items()]
        lines = [(name, line_pixels(ax, *h.get_data()), half) for name, (h, half) in layout["routes"].items()]
        assert len(lines) == 5 and any(n.startswith("country AFGHANISTAN") for n, _ in boxes)
        assert sum(n.startswith("place ") for n, _ in boxes) >= 20  # the places are still named
        assert overlap_problems(boxes, lines) == []
        frame = ax.get_window_extent(renderer)
        for name, b in boxes:  # names stand inside the map, not over the axis ticks or off the figure
            if name.startswith(("place ", "country ")):
                assert frame.x0 <= b.x0 and b.x1 <= frame.x1 and frame.y0 <= b.y0 and b.y1 <= frame.y1, name
    finally:
        plt.close(fig)


def test_claims_map_shows_the_on_foot_route(claims_session, tmp_path):
    """The on-foot route (the last and thinnest, on top) shows its colour along its length in the PNG."""
    import matplotlib.pyplot as plt

    from wakhan.figures import ROUTE_COLOURS
    from wakhan.figures.layout import line_pixels

    fig, ax, layout = _claims_map(claims_session["result"], dpi=150)
    try:
        (name, (h, _half)) = list(layout["routes"].items())[-1]
        assert name.startswith("On foot")
        pts = line_pixels(ax, *h.get_data(), step_px=6.0)
        fig.savefig(tmp_path / "m.png", dpi=150)
        height = fig.bbox.height
    finally:
        plt.close(fig)
    rgb = png_rgb(tmp_path / "m.png")
    colour = near(rgb, ROUTE_COLOURS[4], tol=60)
    rows, cols = (height - pts[:, 1]).astype(int), pts[:, 0].astype(int)
    seen = [colour[max(r - 2, 0) : r + 3, max(c - 2, 0) : c + 3].any() for r, c in zip(rows, cols)]
    assert np.mean(seen) > 0.9, np.mean(seen)


def test_claims_profiles_legend_and_labels_clear_the_curve(claims_session):
    """Every claims profile: labels and the legend cover no part of the profile line and overlap nothing."""
    import matplotlib.pyplot as plt

    from wakhan.figures import draw_profile
    from wakhan.figures.layout import line_pixels, overlap_problems

    result = claims_session["result"]
    with_legend = 0
    for route in result.routes.values():
        fig, ax, labels = draw_profile(route, dpi=100)
        try:
            renderer = fig.canvas.get_renderer()
            fig.canvas.draw()
            boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in labels]
            if ax.get_legend() is not None:
                with_legend += 1
                boxes.append(("legend", ax.get_legend().get_window_extent(renderer)))
            curve = [("profile", line_pixels(ax, route.profile.distance_km, route.profile.elevation_m), 1.0)]
            assert overlap_problems(boxes, curve) == [], route.name
        finally:
            plt.close(fig)
    assert with_legend >= 2  # the highway profiles show switchbacks


@pytest.mark.parametrize("width", [3.5, 5.0, 7.0, 10.0])
def test_captions_never_break_a_number_from_its_unit(width, route):
    """A caption wraps between words, never inside "60 %" or "4,000 m" (it printed "60" and "%" on two lines)."""
    import re

    from wakhan.figures import draw_profile

    s = route.summary.with_fields(model="highway", design_grade_pct=7.0, model_max_grade_pct=60.0, within=("CN", "AF"))
    for w in np.arange(width, width + 1.0, 0.1):
        fig, _ax, _labels = draw_profile(RouteResult(summary=s, profile=route.profile), width_in=float(w), dpi=50)
        try:
            texts = [t.get_text() for t in fig.texts]
        finally:
            import matplotlib.pyplot as plt

            plt.close(fig)
        caption = next(t for t in texts if t.startswith("Elevation:"))
        assert not re.search(r"\d\s*\n\s*(%|m|km)\b", caption), caption


def test_a_shaded_stretch_too_narrow_for_its_label_is_still_named_in_the_figure(route):
    """A published profile PNG stands alone: the claims' Wakhan highway profile shaded its 184 km
    depopulated stretch (14 % of 1,329 km, too narrow for "no settlement within 5 km" at its foot) with
    no words anywhere in the image; only the HTML caption beside it said what the blue band was."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    from wakhan.figures import draw_profile

    length = float(route.profile.distance_km[-1])
    label = "no settlement within 5 km"
    narrow = (0.40 * length, 0.46 * length, label)  # 6 % of the axis: far narrower than the label
    fig, ax, labels = draw_profile(route, shade=[narrow], dpi=100)
    try:
        legend = ax.get_legend()
        named_in_legend = legend is not None and label in [t.get_text() for t in legend.get_texts()]
        written = [t for t in labels if t.get_text() == label]
        assert named_in_legend or written, "the shaded stretch is named nowhere in the figure"
        if named_in_legend:  # the legend's swatch is the band's own colour
            handles = getattr(legend, "legend_handles", None) or legend.legendHandles
            patches = [h for h in handles if isinstance(h, Patch)]
            assert patches and all(p.get_alpha() == pytest.approx(0.35) for p in patches)
    finally:
        plt.close(fig)


def test_a_map_label_keeps_a_gap_from_the_label_before_it():
    """On the claims map "Qala-e Panja" and "Sarhad-e Broghil" stood end to end, boxes touching, and read
    as one name "Qala-e PanjaSarhad-e Broghil": a label must keep a visible gap from those placed before."""
    import matplotlib.pyplot as plt
    from matplotlib.transforms import Bbox

    from wakhan.figures.layout import _clear_position

    fig, ax = plt.subplots(figsize=(4, 4), dpi=100)
    try:
        ax.set_xlim(0, 10)
        ax.set_ylim(0, 10)
        renderer = fig.canvas.get_renderer()
        frame = ax.get_window_extent(renderer)
        t = ax.annotate("Sarhad-e Broghil", (5, 5), xytext=(0, 0), textcoords="offset points", fontsize=7)
        first = _clear_position(t, renderer, [], [], False, frame)  # where it goes with nothing in the way
        # a label placed before it ends half a pixel left of that spot, level with it
        before = Bbox([[first.x0 - 60, first.y0], [first.x0 - 0.5, first.y1]])
        box = _clear_position(t, renderer, [before], [], False, frame)
        assert box is not None
        gap_px = max(box.x0 - before.x1, before.x0 - box.x1, box.y0 - before.y1, before.y0 - box.y1)
        assert gap_px >= 2.0, gap_px
    finally:
        plt.close(fig)


def test_the_end_labels_of_a_profile_stand_clear_of_the_y_axis():
    """The first waypoint's label ("Kashgar", "Sarhad-e Broghil") was drawn with its edge on the y axis,
    the axis line running through the letters; the last one touched the right edge of the plot."""
    import matplotlib.pyplot as plt

    from wakhan.figures import draw_profile

    t = np.linspace(0, 1, 300)
    lon, lat = 73.0 + 2.0 * t, np.full(t.size, 37.0)
    d = geodesic_distance_km(lon, lat)
    prof = Profile(d, lon, lat, 3000 + 1500 * np.exp(-(((d - d[-1] / 2) / 25) ** 2)))
    waypoints = [{"name": "Kashgar", "lon": lon[0], "lat": lat[0]}, {"name": "Kabul", "lon": lon[-1], "lat": lat[-1]}]
    s = build_summary(prof, "Two ends", places=[], country_at=None, waypoints=waypoints)
    fig, ax, labels = draw_profile(RouteResult(summary=s, profile=prof), dpi=100)
    try:
        renderer = fig.canvas.get_renderer()
        frame = ax.get_window_extent(renderer)
        spine_px = ax.spines["left"].get_linewidth() * fig.dpi / 72
        by_name = {t.get_text(): t.get_window_extent(renderer) for t in labels}
        assert by_name["Kashgar"].x0 >= frame.x0 + spine_px + 1.0
        assert by_name["Kabul"].x1 <= frame.x1 - 1.0
    finally:
        plt.close(fig)


def test_a_map_label_never_covers_another_places_marker(route):
    """On the claims map Keshem's marker sat on the end of the label "Taloqan" (it read "Taloqan)"):
    markers were drawn place by place, after the labels before them had taken their spots."""
    import matplotlib.pyplot as plt

    from wakhan.figures.map import draw_map

    def town(name, lon, lat):
        return type("P", (), dict(name=name, lon=lon, lat=lat, kind="town"))()

    first = town("Taloqan", 73.4, 37.42)
    fig, ax, layout = draw_map(route, dem=small_dem(), places=[first], dpi=100)
    try:  # where "Taloqan" goes with nothing else about: put a second town's marker under its end
        box = layout["boxes"]["place Taloqan"].get_window_extent(fig.canvas.get_renderer())
        lon, lat = ax.transData.inverted().transform((box.x1 - 4, 0.5 * (box.y0 + box.y1)))
    finally:
        plt.close(fig)
    fig, ax, layout = draw_map(route, dem=small_dem(), places=[first, town("Keshem", lon, lat)], dpi=100)
    try:
        renderer = fig.canvas.get_renderer()
        markers = {"Taloqan": (73.4, 37.42), "Keshem": (lon, lat)}
        for name, (mlon, mlat) in markers.items():
            mx, my = ax.transData.transform((mlon, mlat))
            for other, text in layout["boxes"].items():
                if other.startswith("place ") and other != f"place {name}":
                    assert not text.get_window_extent(renderer).padded(2).contains(mx, my), (other, name)
    finally:
        plt.close(fig)


def test_a_highway_caption_closes_its_parenthesis(route):
    """The caption under every highway profile read "Least-cost highway route (design grade 7 %, ...,
    confined to CN+AF." with the parenthesis never closed; written out by hand, it should read:"""
    s = route.summary.with_fields(
        grid={"resolution": "464 m x 464 m"},
        model="highway",
        model_max_grade_pct=60.0,
        design_grade_pct=7.0,
        within=("CN", "AF"),
    )
    text = data_caption(s)
    assert text.count("(") == text.count(")"), text
    assert text.endswith(
        "Least-cost highway route (design grade 7 %, lower above 3,000 m, "
        "switchbacks on terrain up to 60 %, confined to CN+AF)."
    ), text
    no_within = data_caption(s.with_fields(within=None))
    assert no_within.endswith("switchbacks on terrain up to 60 %)."), no_within


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda r, out: plot_profile(None, out), "RouteResult"),
        (lambda r, out: plot_profile(r.summary, out), "not its summary"),
        (lambda r, out: plot_profile(r, out, width_in=0), "width_in=0"),
        (lambda r, out: plot_profile(r, out, dpi=-5), "dpi=-5"),
        (lambda r, out: plot_profile(r, out, shade=[(10.0, 40.0)]), r"\(start_km, end_km, label\)"),
        (lambda r, out: plot_map(r, out, width_in=0, dem=small_dem(), places=None), "width_in=0"),
    ],
)
def test_a_figure_call_with_bad_arguments_says_which(tmp_path, route, call, match):
    """In a notebook these escaped as AttributeError ('NoneType' has no 'summary'), numpy's 'Singular matrix'
    (width 0) and 'not enough values to unpack' (a shaded stretch without its label); no file is written."""
    with pytest.raises(InputError, match=match):
        call(route, tmp_path / "fig.png")
    assert list(tmp_path.iterdir()) == []
