"""Summary statistics on built profiles whose answers are known exactly."""

from types import SimpleNamespace

import numpy as np
import pytest

from wakhan.route import Profile, build_summary, steep_sections
from wakhan.route.stats import climb_descent, find_passes, km_above, max_grade, smoothed


def make_profile(d_km, z_m, lon0=72.0, lat0=37.0):
    d_km = np.asarray(d_km, dtype=float)
    # points due east along a parallel; distance_km is given, positions only need to be plausible
    lon = lon0 + d_km / (111.32 * np.cos(np.radians(lat0)))
    return Profile(d_km, lon, np.full(d_km.size, lat0), np.asarray(z_m, dtype=float))


def triangle(step=0.1):
    """3000 m at 0 km, straight up to 5000 m at 20 km (10 %), straight down to 3000 m at 40 km."""
    d = np.arange(0, 40 + step / 2, step)
    z = np.where(d <= 20, 3000 + 100 * d, 5000 - 100 * (d - 20))
    return make_profile(d, z)


def plain(profile, **kw):
    return build_summary(profile, "test", places=None, country_at=None, **kw)


def test_triangle_exact_without_smoothing():
    s = plain(triangle(), smoothing_km=0)
    assert s.terrain.length_km == pytest.approx(40.0)
    assert s.terrain.climb_m == pytest.approx(2000.0)
    assert s.terrain.descent_m == pytest.approx(2000.0)
    assert s.terrain.km_above_4000m == pytest.approx(20.0)
    assert s.terrain.km_above_m == {
        "3500": pytest.approx(30.0),
        "4000": pytest.approx(20.0),
        "4500": pytest.approx(10.0),
    }
    assert s.terrain.max_grade_pct == pytest.approx(10.0)
    assert s.terrain.grade_design_length_km == 1.0
    assert s.terrain.mean_elevation_m == pytest.approx(4000.0)
    assert s.terrain.median_elevation_m == pytest.approx(4000.0, abs=10)
    assert (s.terrain.min_elevation_m, s.terrain.max_elevation_m) == (3000.0, 5000.0)
    assert (s.terrain.start_elevation_m, s.terrain.end_elevation_m) == (3000.0, 3000.0)
    assert len(s.terrain.passes) == 1
    p = s.terrain.passes[0]
    assert p["km"] == pytest.approx(20.0)
    assert p["elevation_m"] == pytest.approx(5000.0)
    assert p["prominence_m"] == pytest.approx(2000.0)
    assert p["name"] is None


def test_default_smoothing_only_rounds_the_summit():
    s = plain(triangle())
    # a centred mean of 11 samples 50 m apart lowers a 10 % apex by the mean |offset| (30/11 * 50 m)
    # times 100 m/km = 13.6 m; the ends keep their height
    assert s.terrain.smoothing_km == 0.5
    assert s.terrain.climb_m == pytest.approx(2000 - 100 * 0.05 * 30 / 11, abs=0.2)
    assert s.terrain.max_grade_pct == pytest.approx(10.0, abs=0.01)
    assert s.terrain.km_above_4000m == pytest.approx(20.0)  # measured on the raw profile
    assert s.terrain.passes[0]["elevation_m"] == pytest.approx(5000.0)  # reported from the raw profile
    assert "0.50 km" in s.terrain.smoothing


def test_smoothing_stops_dem_noise_inflating_climb():
    d = np.arange(0, 30, 0.46)  # one point per ~460 m cell
    noise = np.where(np.arange(d.size) % 2 == 0, 8.0, -8.0)
    p = make_profile(d, 3000 + 10 * d + noise)  # steady 1 % climb of 290 m plus +-8 m staircase
    raw_climb, _ = climb_descent(p.elevation_m)
    s = plain(p)
    assert s.terrain.smoothing_km == pytest.approx(0.92)  # two point spacings
    assert raw_climb > 2 * 10 * d[-1]
    assert s.terrain.climb_m == pytest.approx(10 * d[-1], rel=0.1)
    assert s.terrain.descent_m < 30


def test_grade_over_design_length():
    # flat 2000 m, then 300 m up over 2 km (15 %), then flat
    d = np.arange(0, 10.001, 0.05)
    z = np.interp(d, [0, 4, 6, 10], [2000, 2000, 2300, 2300])
    p = make_profile(d, z)
    dd, zz = smoothed(p, smoothing_km=0)
    assert max_grade(dd, zz, 1.0)[0] == pytest.approx(15.0)
    assert max_grade(dd, zz, 4.0)[0] == pytest.approx(7.5)  # 300 m over 4 km
    assert max_grade(dd, zz, 1.0)[1] == pytest.approx(4.0, abs=1.01)
    sections = steep_sections(p, 12.0, smoothing_km=0)
    assert len(sections) == 1
    # every 1 km window overlapping the ramp by more than 0.8 km averages over 12 %: 3.8 .. 6.2 km
    assert sections[0]["start_km"] == pytest.approx(3.8, abs=0.06)
    assert sections[0]["end_km"] == pytest.approx(6.2, abs=0.06)
    assert sections[0]["max_grade_pct"] == pytest.approx(15.0)
    assert steep_sections(p, 16.0, smoothing_km=0) == []


def test_km_above_interpolates_within_segments():
    d = np.array([0.0, 10.0])
    assert km_above(d, np.array([3000.0, 5000.0]), 4000.0) == pytest.approx(5.0)
    assert km_above(d, np.array([5000.0, 3000.0]), 4500.0) == pytest.approx(2.5)
    assert km_above(d, np.array([4000.0, 4000.0]), 4000.0) == 0.0


def test_passes_need_prominence():
    # 3000 -> 4500 (saddle 4300) -> 4800 -> 3000: the 4500 bump rises only 200 m above its saddle
    d = np.arange(0, 40.001, 0.1)
    z = np.interp(d, [0, 10, 15, 25, 40], [3000, 4500, 4300, 4800, 3000])
    found = find_passes(d, z, 300)
    assert [round(d[i]) for i, _ in found] == [25]
    assert found[0][1] == pytest.approx(1800)  # above the 3000 m end, the higher base
    both = find_passes(d, z, 100)
    assert [round(d[i]) for i, _ in both] == [10, 25]
    assert both[0][1] == pytest.approx(200)
    # a route that ends on its high point crosses no pass
    assert find_passes(d, np.linspace(3000, 5000, d.size), 100) == []


def test_passes_and_places_named_from_gazetteer():
    p = triangle()
    top_lon, top_lat, _ = p.at_km(20.0)
    places = [
        SimpleNamespace(name="Test Pass", lon=top_lon + 0.02, lat=top_lat, kind="pass"),
        SimpleNamespace(name="Far Pass", lon=top_lon + 1.0, lat=top_lat, kind="pass"),
        SimpleNamespace(name="Startville", lon=p.lon[0], lat=p.lat[0] + 0.01, kind="village"),
    ]
    s = build_summary(p, "t", places=places, country_at=None)
    assert s.terrain.passes[0]["name"] == "Test Pass"
    assert s.terrain.passes[0]["nearest_place"] == "Test Pass"
    assert [e["name"] for e in s.terrain.places_along] == ["Startville", "Test Pass"]
    assert s.terrain.places_along[0]["km"] == pytest.approx(0.0)
    assert s.terrain.places_along[0]["offset_km"] == pytest.approx(1.11, abs=0.01)
    s2 = build_summary(p, "t", places=places[1:], country_at=None)
    assert s2.terrain.passes[0]["name"] is None  # Far Pass is ~89 km away


def test_countries_and_geometry():
    p = triangle()
    border_lon = p.at_km(15.0)[0]
    s = build_summary(
        p, "t", places=None, country_at=lambda lon, lat: np.where(np.asarray(lon) < border_lon, "CN", "AF")
    )
    assert s.terrain.countries_km["CN"] == pytest.approx(15.0, abs=0.1)
    assert s.terrain.countries_km["AF"] == pytest.approx(25.0, abs=0.1)
    assert list(s.terrain.countries_km) == ["AF", "CN"]  # longest first
    geom = s.geometry
    assert geom["type"] == "LineString"
    coords = np.array(geom["coordinates"])
    assert coords.shape[1] == 3
    assert len(coords) < len(p) / 10  # straight flanks simplify away
    assert coords[0].tolist() == pytest.approx([p.lon[0], p.lat[0], 3000.0])
    assert coords[:, 2].max() == pytest.approx(5000.0)  # the summit survives simplification


def test_waypoints_and_keys():
    p = triangle()
    s = build_summary(
        p,
        "t",
        places=None,
        country_at=None,
        cost=123.4567,
        cost_unit="m",
        waypoints=[
            {"name": "A", "lon": p.lon[0], "lat": p.lat[0]},
            SimpleNamespace(name="B", lon=p.lon[200], lat=p.lat[200]),
        ],
    )
    assert [w["km"] for w in s.terrain.waypoints] == pytest.approx([0.0, 20.0])
    assert s.terrain.waypoints[1]["elevation_m"] == pytest.approx(5000.0)
    assert s.provenance.cost == 123.457 and s.provenance.cost_unit == "m"
    for key in (
        "name",
        "length_km",
        "min_elevation_m",
        "mean_elevation_m",
        "max_elevation_m",
        "km_above_4000m",
        "climb_m",
        "descent_m",
        "max_grade_pct",
        "passes",
        "countries_km",
        "geometry",
        "data_sources",
    ):
        assert key in s.to_dict()


def test_steep_sections_whose_windows_overlap_are_one_stretch():
    # 15 % ramps at 4-5 km and 5.25-7 km: no 1 km window across the 0.25 km flat is over 12 %, but the
    # last steep window of the first ramp (ending ~5.2 km) overlaps the first of the second (~5.1 km)
    d = np.arange(0, 12.001, 0.05)
    z = np.interp(d, [0, 4, 5, 5.25, 7, 12], [2000, 2000, 2150, 2150, 2412.5, 2412.5])
    sections = steep_sections(make_profile(d, z), 12.0, smoothing_km=0)
    assert len(sections) == 1
    assert sections[0]["start_km"] == pytest.approx(3.8, abs=0.06)
    assert sections[0]["end_km"] == pytest.approx(7.2, abs=0.06)
    assert sections[0]["max_grade_pct"] == pytest.approx(15.0)
    far = np.interp(d, [0, 2, 3, 8, 10, 12], [2000, 2000, 2150, 2150, 2450, 2450])
    assert len(steep_sections(make_profile(d, far), 12.0, smoothing_km=0)) == 2


def test_countries_km_ignores_a_border_wiggle_between_two_ends_in_one_country():
    """Issue 18: a CN+AF route along the Panj (the AF-TJ border) showed 0.46 km of TJ: one segment
    between two AF cell centres had its midpoint in a loop of the border narrower than the step."""
    from wakhan.route.profile import Profile
    from wakhan.route.stats import countries_km

    p = Profile(np.array([0.0, 1.0, 2.0, 3.0]), np.array([71.0, 71.1, 71.2, 71.3]), np.full(4, 37.0), np.zeros(4))

    def wiggle(lon, lat):  # TJ only in a sliver around 71.15 E, between two profile points
        return np.where(np.abs(np.asarray(lon) - 71.15) < 0.01, "TJ", np.where(np.asarray(lon) < 71.25, "AF", "CN"))

    assert countries_km(p, wiggle) == {"AF": 2.0, "CN": 1.0}


def test_steep_sections_measure_grade_on_the_profile_the_summary_measures():
    """The report's "steepest kilometre" of a steep section and the route's max grade (1 km) are one
    quantity: both must come from the same smoothed profile. On a 0.5 km-spaced profile (a coarse DEM)
    the summary smooths over two spacings, 1 km (21 samples at 50 m: 1.05 km); a 200 m ramp over 1 km
    smoothed by a w-wide box rises at most 200 x (1 - w / 4) m over any 1 km (the box's two tails each
    push w / 8 of the rise outside the window), 147.5 m: 14.75 %, not the 17.3 % of a 0.5 km window."""
    d = np.arange(0, 10.001, 0.5)
    p = make_profile(d, np.interp(d, [0, 4, 5, 10], [2000, 2000, 2200, 2200]))
    summary_grade = plain(p).terrain.max_grade_pct
    top = max(s["max_grade_pct"] for s in steep_sections(p, 8.0))
    assert summary_grade == pytest.approx(14.75, abs=0.05)
    assert top == pytest.approx(summary_grade, abs=0.01)
