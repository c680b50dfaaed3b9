"""What a profile marks: tunnels' labels clear of every other label, likely artefacts drawn apart from
passes, passes named by the data's own rule, the 4,000 m statistic only where it means something."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from wakhan.figures import draw_profile  # noqa: E402
from wakhan.figures.profile_labels import layout_problems  # noqa: E402
from wakhan.places import Place  # noqa: E402
from wakhan.route import Profile, RouteResult, build_summary, geodesic_distance_km  # noqa: E402

#: One degree of latitude on the mean-radius sphere (R = 6371.0088 km) that wakhan.places.haversine_km uses.
KM_PER_DEG_LAT = 6371.0088 * np.pi / 180


def _ridge_route(peak_m=3900.0, n=800, places=None, waypoints=None):
    """A 100 km route along 36 N with one ridge in the middle, climbing from 1,500 m."""
    lon = np.linspace(69.0, 69.0 + 100 / 90.0, n)  # ~90 km per degree of longitude at 36 N
    lat = np.full(n, 36.0)
    d = geodesic_distance_km(lon, lat)
    z = 1500 + (peak_m - 1500) * np.exp(-(((d - d[-1] / 2) / 12) ** 2))
    prof = Profile(d, lon, lat, z)
    s = build_summary(prof, "ridge", places=places or [], country_at=None, waypoints=waypoints)
    return prof, s


def _boxes(fig, labels):
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    return [(t.get_text(), t.get_window_extent(renderer)) for t in labels]


def test_a_tunnel_label_and_a_place_label_never_overlap():
    """The claims' existing-road profile wrote "tunnel 2.7 km" and then "Charikar" over it: a waypoint
    a few km past a short tunnel under a ridge. Every label (tunnel's included) must stand clear."""
    prof, s = _ridge_route()
    d = prof.distance_km
    mid = float(d[-1] / 2)
    lon = np.interp(mid + 14, d, prof.lon)
    s = build_summary(
        prof,
        "ridge with a tunnel",
        places=[],
        country_at=None,
        waypoints=[
            {"name": "Start", "lon": prof.lon[0], "lat": 36.0},
            {"name": "Charikar", "lon": float(lon), "lat": 36.0},
            {"name": "End", "lon": prof.lon[-1], "lat": 36.0},
        ],
    )
    tunnel = {
        "length_km": 2.67,
        "start_km": mid - 1.3,
        "end_km": mid + 1.37,
        "portal_a": {"lat": 36.0, "lon": 69.5, "elevation_m": 3400.0},
        "portal_b": {"lat": 36.0, "lon": 69.53, "elevation_m": 3400.0},
    }
    s = s.with_fields(tunnels=[tunnel])
    for width in (3.5, 7.0):
        fig, ax, labels = draw_profile(RouteResult(summary=s, profile=prof), width_in=width, dpi=100)
        try:
            texts = [t for t, _ in _boxes(fig, labels)]
            assert "tunnel 2.7 km" in texts and "Charikar" in texts, texts
            assert layout_problems(fig, ax, labels, prof.distance_km, prof.elevation_m) == []
        finally:
            plt.close(fig)


def test_claims_highway_profiles_labels_do_not_overlap(claims_session):
    """Every label of every highway profile of the claims (the figures the report publishes) stands
    clear of the others and of the curve; the existing road's Salang tunnel (2.67 km between its
    portals, 2.6-2.7 km as published) is labelled."""
    drawn = 0
    for key, route in claims_session["result"].routes.items():
        if route.summary.provenance.model != "highway":
            continue
        fig, ax, labels = draw_profile(route, km_above=True)
        try:
            problems = layout_problems(fig, ax, labels, route.profile.distance_km, route.profile.elevation_m)
            assert problems == [], (key, problems)
            texts = [t.get_text() for t in labels]
            if any(t.get("existing") == "Salang Tunnel" for t in route.summary.engineering.tunnels or []):
                # alone ("tunnel 2.7 km") or sharing a label with a new bore beside it ("tunnels 2.7 + 7.0 km")
                # (an existing tunnel by its name, "Salang Tunnel 2.7 km", which also stands for its two portals)
                assert any(("tunnel" in t.lower()) and " 2.7 " in t for t in texts), (key, texts)
                assert not any("portal" in t for t in texts), (key, texts)
            drawn += 1
        finally:
            plt.close(fig)
    assert drawn >= 3


def test_a_likely_artefact_is_drawn_hollow_and_grey_with_its_legend_entry():
    prof, s = _ridge_route()
    (real,) = s.terrain.passes
    fake = dict(real, km=20.0, elevation_m=float(np.interp(20.0, prof.distance_km, prof.elevation_m)))
    fake.update(name="Dam Pass", artefact=True, artefact_reason="the saddle lies on a stream")
    s = s.with_fields(passes=[dict(real, artefact=False), fake])
    fig, ax, _labels = draw_profile(RouteResult(summary=s, profile=prof), dpi=100)
    try:
        marks = {float(line.get_xdata()[0]): line for line in ax.lines if line.get_marker() == "v"}
        hollow, solid = marks[20.0], marks[float(real["km"])]
        assert matplotlib.colors.to_hex(hollow.get_markerfacecolor()) == "#ffffff"
        assert matplotlib.colors.to_hex(hollow.get_markeredgecolor()) == "#7b7d7d"
        assert matplotlib.colors.to_hex(solid.get_markerfacecolor()) == "#1c2833"
        assert "likely data artefact" in [t.get_text() for t in ax.get_legend().get_texts()]
    finally:
        plt.close(fig)


def test_the_figure_names_passes_by_the_datas_own_rule():
    """A gazetteer pass 4 km from the route's high point: the summary names it (within 5 km); the
    figure must show that name too (it used 2 km). One 6 km off is named by neither."""
    from wakhan.route.naming import PASS_NAME_KM

    assert PASS_NAME_KM == 5.0
    for off_km, named in ((4.0, True), (6.0, False)):
        prof0, _ = _ridge_route()
        k = int(np.argmax(prof0.elevation_m))
        gaz = [Place("Test Pass", (), 36.0 + off_km / KM_PER_DEG_LAT, float(prof0.lon[k]), "pass", "AF", "test")]
        prof, s = _ridge_route(places=gaz)
        (p,) = s.terrain.passes
        assert (p["name"] == "Test Pass") is named
        fig, ax, labels = draw_profile(RouteResult(summary=s, profile=prof), dpi=100)
        try:
            texts = [t.get_text() for t in labels]
            assert any(t.startswith("Test Pass\n") for t in texts) is named, texts
            caption = " ".join(t.get_text() for t in fig.texts).replace("\n", " ").replace("\u00a0", " ")
            assert "gazetteer pass lies within 5 km" in caption
        finally:
            plt.close(fig)


@pytest.mark.parametrize("peak_m, asked, shown", [(2100.0, None, False), (4300.0, None, True), (2100.0, True, True)])
def test_km_above_4000_only_where_the_route_reaches_it_or_asked(peak_m, asked, shown):
    prof, s = _ridge_route(peak_m=peak_m)
    fig, ax, _labels = draw_profile(RouteResult(summary=s, profile=prof), dpi=100, km_above=asked)
    try:
        text = " ".join(t.get_text() for t in ax.texts).replace("\u00a0", " ")
        assert ("km above 4,000 m" in text) is shown
        dashed = [line for line in ax.lines if line.get_linestyle() == "--" and set(line.get_ydata()) == {4000.0}]
        assert bool(dashed) is shown
    finally:
        plt.close(fig)
