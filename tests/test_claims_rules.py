"""Claims logic on built data with known answers: corridor area statistics, route statistics, verdict rules."""

import numpy as np
import pytest
import shapely
from affine import Affine

from wakhan.claims.altitude import altitude_claim
from wakhan.claims.corridor import CorridorDefinition, area_statistics, corridor_region, route_statistics
from wakhan.claims.depopulated import depopulated_claim
from wakhan.claims.verdicts import DEPENDS, NOT_SUPPORTED, SUPPORTED, threshold_verdict
from wakhan.errors import InputError
from wakhan.gaps import covered_countries, flag_coverage
from wakhan.grid import Grid
from wakhan.route.profile import profile_from_lonlat
from wakhan.route.summary import RouteSummary


def test_threshold_verdict():
    assert threshold_verdict([4100, 4200], 4000) == SUPPORTED
    assert threshold_verdict([3100, 3900], 4000) == NOT_SUPPORTED
    assert threshold_verdict([3900, 4100, None], 4000) == DEPENDS
    assert threshold_verdict([100, 200], 300, above=False) == SUPPORTED
    with pytest.raises(ValueError):
        threshold_verdict([None], 1)


def _projected_grid():
    # 10 x 10 cells of 1 km; west half 3000 m, east half 5000 m
    z = np.full((10, 10), 3000.0, dtype=np.float32)
    z[:, 5:] = 5000.0
    z[0, 0] = np.nan
    return Grid(z, Affine(1000, 0, 500_000, 0, -1000, 4_100_000), "EPSG:32643")


def test_area_statistics_projected_grid_known_mean():
    g = _projected_grid()
    from wakhan.dem.project import xy_to_lonlat

    # a polygon covering the whole grid (in lon/lat), so the answer is the grid's own statistics
    x0, y0, x1, y1 = g.bounds
    lon, lat = xy_to_lonlat(g.crs, [x0 - 10, x1 + 10, x1 + 10, x0 - 10], [y0 - 10, y0 - 10, y1 + 10, y1 + 10])
    region = shapely.Polygon(list(zip(lon, lat)))
    s = area_statistics(g, region)
    assert s.cells == 99  # one missing cell is not counted
    assert s.mean_m == pytest.approx((49 * 3000 + 50 * 5000) / 99)
    assert s.median_m == 5000.0
    assert s.share_above_m["4000"] == pytest.approx(50 / 99)
    assert s.area_km2 == pytest.approx(99.0)


def test_area_statistics_geographic_weights_by_latitude():
    # two rows of 30-degree cells, centres at 46N (2000 m) and 16N (1000 m): the northern cell is smaller
    z = np.array([[2000.0], [1000.0]])
    g = Grid(z, Affine(1.0, 0, 10.0, 0, -30.0, 61.0), "EPSG:4326")
    s = area_statistics(g, shapely.box(9, 0, 12, 70))
    w_n, w_s = np.cos(np.radians(46.0)), np.cos(np.radians(16.0))
    assert s.mean_m == pytest.approx((2000 * w_n + 1000 * w_s) / (w_n + w_s))
    assert s.share_above_m["3500"] == 0.0
    with pytest.raises(InputError):
        area_statistics(g, shapely.box(50, 50, 51, 51))


def test_corridor_region_clips_country_east_of_meridian_and_north_of_latitude():
    country = shapely.box(70, 35, 75, 38)
    d = CorridorDefinition("test", 72.0, "a meridian", north_of_lat=36.0, country="AF")
    r = corridor_region(d, {"AF": country})
    assert r.bounds == pytest.approx((72.0, 36.0, 75.0, 38.0))
    with pytest.raises(InputError):
        corridor_region(CorridorDefinition("x", 80.0, "east of everything"), {"AF": country})
    with pytest.raises(InputError):
        corridor_region(CorridorDefinition("x", 72.0, "m", country="CN"), {"AF": country})


def test_route_statistics_length_weighted_inside_region_only():
    # a route along 37N from 71E to 75E; elevation 2000 m west of 73E, 4000 m east of it
    lon = np.linspace(71, 75, 401)
    lat = np.full_like(lon, 37.0)
    z = np.where(lon < 73.0, 2000.0, 4000.0)
    p = profile_from_lonlat(lon, lat, z)
    region = shapely.box(72.0, 36, 76, 38)  # contains 72-75E: one third at 2000 m, two thirds at 4000 m
    s = route_statistics(p, region)
    assert s["mean_elevation_m"] == pytest.approx((1 / 3) * 2000 + (2 / 3) * 4000, rel=0.01)
    assert s["length_km"] == pytest.approx(p.distance_km[-1] * 0.75, rel=0.01)
    assert route_statistics(p, shapely.box(0, 0, 1, 1)) is None


class _Area:
    def __init__(self, mean):
        self.mean_m, self.median_m = mean, mean
        self.share_above_m = {"4000": 0.5}

    def as_dict(self):
        return {"mean_m": self.mean_m}


def test_altitude_claim_depends_when_area_and_route_readings_disagree():
    from wakhan.claims.case_study import DEFAULT_DEFINITION

    key = DEFAULT_DEFINITION.key
    c = altitude_claim({key: _Area(4500.0)}, {key: {"r": {"mean_elevation_m": 3500.0}}})
    assert c.verdict == DEPENDS and c.value == 4500.0
    c = altitude_claim({key: _Area(4500.0)}, {key: {"r": {"mean_elevation_m": 4100.0}}})
    assert c.verdict == SUPPORTED
    c = altitude_claim({key: _Area(3500.0)}, {key: {"r": None}})
    assert c.verdict == NOT_SUPPORTED


def _row(source, buffer_km, length_km, limited=False):
    return {
        "source": source,
        "buffer_km": buffer_km,
        "length_km": length_km,
        "start_km": 0.0,
        "end_km": length_km,
        "open_start": False,
        "open_end": False,
        "coverage_limited": limited,
        "uncovered_countries": ["CN"] if limited else [],
    }


def test_depopulated_claim_ignores_coverage_limited_gaps():
    rows = {"walk": [_row("A", 5.0, 120.0), _row("B", 5.0, 400.0, limited=True)]}
    c = depopulated_claim(rows, {"walk": 150.0}, "walk", "A")
    assert c.verdict == NOT_SUPPORTED and c.value == 120.0
    assert "not counted" in c.reason
    rows = {"walk": [_row("A", 5.0, 120.0), _row("A", 2.0, 350.0)]}
    assert depopulated_claim(rows, {"walk": 400.0}, "walk", "A").verdict == DEPENDS


def test_flag_coverage_marks_gaps_through_uncovered_countries():
    # route from 74E (AF side, Wakhan) east to 76E (China) along 37.1N
    lon = np.linspace(73.0, 75.8, 200)
    p = profile_from_lonlat(lon, np.full_like(lon, 37.1), np.full_like(lon, 4000.0))
    from wakhan.borders import country_at

    codes = np.asarray(country_at(p.lon, p.lat))
    assert {"AF", "CN"} <= set(codes)
    rows = [_row("afghan-only", 5.0, float(p.distance_km[-1])), _row("both", 5.0, float(p.distance_km[-1]))]
    flag_coverage(rows, p, {"afghan-only": {"AF"}, "both": {"AF", "CN"}})
    assert rows[0]["coverage_limited"] and rows[0]["uncovered_countries"] == ["CN"]
    assert not rows[1]["coverage_limited"]


def test_covered_countries_needs_a_share_of_points():
    lon = np.array([70.0] * 300 + [76.0])  # 300 Afghan points, one Chinese
    lat = np.array([35.0] * 300 + [39.4])
    from wakhan.borders import country_at

    assert covered_countries(lon, lat, country_at) == {"AF"}


def _summary(**kw):
    base = {
        "name": "r",
        "length_km": 1000.0,
        "max_elevation_m": 4800.0,
        "mean_elevation_m": 3000.0,
        "km_above_4000m": 90.0,
        "max_grade_pct": 11.0,
        "climb_m": 1.0,
        "descent_m": 1.0,
        "countries_km": {},
        "model_max_grade_pct": 12.0,
        "passes": [],
    }
    base.update(kw)
    return RouteSummary.from_dict(base)


def test_highway_claim_depends_when_the_route_needed_a_raised_grade_limit():
    from wakhan.claims.highway import highway_claim

    ok = highway_claim({"wakhan-highway": _summary()}, {"8.0": 70.0})
    assert ok.verdict == SUPPORTED and ok.value == 1000.0
    raised = highway_claim({"wakhan-highway": _summary(grade_limit_raised_pct=17.2)}, {"8.0": 70.0})
    assert raised.verdict == DEPENDS and "17.2 %" in raised.reason
    none = highway_claim({}, {}, error="no route")
    assert none.verdict == NOT_SUPPORTED and none.value is None
    kkh = highway_claim(
        {"wakhan-highway": _summary(), "karakoram-highway": _summary(length_km=1460.0, grade_limit_raised_pct=17.2)}, {}
    )
    assert kkh.verdict == SUPPORTED and "Indus gorge" in kkh.reason


def _engineered(length_km, low, high, top_m, passes=()):
    return _summary(
        length_km=length_km,
        max_elevation_m=top_m,
        design_grade_pct=7.0,
        built_length_km=length_km + 20,
        switchback_km=50.0,
        hairpins=80,
        tunnels=[],
        hairpin_limit_pct=60.0,
        design_grade_pct_by_altitude={"above_5000m": 4.0},
        cost_usd={"low": low, "high": high},
        passes=list(passes),
    )


def test_highway_claim_rules_compare_cost_per_km_and_height_with_the_karakoram_highway():
    from wakhan.claims.highway import COST_RATIO_LIMIT, HEIGHT_MARGIN_M, highway_claim

    kkh = _engineered(1500.0, 2e9, 6e9, 4700.0)  # 2.67 M USD per km (mid)
    col = {"name": None, "lat": 36.1, "lon": 71.1, "elevation_m": 4383.0, "km": 800.0}
    low_pass = {"name": "x", "lat": 36.0, "lon": 71.0, "elevation_m": 3900.0, "km": 100.0}
    # 1,000 km at 1.4x the KKH's per-km cost: supported; the col above 4,000 m is named, the 3,900 m one not
    cheap = highway_claim(
        {
            "wakhan-highway": _engineered(1000.0, 1.4 * 2e9 / 1.5, 1.4 * 6e9 / 1.5, 4880.0, [col, low_pass]),
            "karakoram-highway": kkh,
        },
        {},
    )
    assert cheap.verdict == SUPPORTED
    # each crossing also carries its winter closure (issue 19), from the rule fitted to dated pass closures
    plain = [{k: v for k, v in c.items() if k != "closed_months"} for c in cheap.details["crossings"]]
    assert plain == [col] and "an unnamed col (4,383 m)" in cheap.reason
    assert 0.0 <= cheap.details["crossings"][0]["closed_months"] <= 12.0
    assert cheap.details["cost_per_km_ratio_to_karakoram_highway"] == pytest.approx(1.4)
    assert "1.40 times" in cheap.reason and f"{COST_RATIO_LIMIT:g} times" in cheap.details["rules"]
    dear = highway_claim(
        {"wakhan-highway": _engineered(1000.0, 1.6 * 2e9 / 1.5, 1.6 * 6e9 / 1.5, 4880.0), "karakoram-highway": kkh}, {}
    )
    assert dear.verdict == DEPENDS
    high = highway_claim(
        {"wakhan-highway": _engineered(1000.0, 1e9, 3e9, 4700.0 + HEIGHT_MARGIN_M + 1), "karakoram-highway": kkh}, {}
    )
    assert high.verdict == DEPENDS


def test_roadless_stretches_are_the_afghan_km_far_from_the_road():
    from types import SimpleNamespace

    from wakhan.claims.highway_measures import roadless_stretches
    from wakhan.route.profile import Profile

    # a route due east along 36.0 N in Afghanistan (69.0-70.0 E), 1 km steps on a metric x axis; the road
    # follows it except between x = 30 and 60 km, where it runs 8 km to the south
    x = np.arange(0, 91) * 1000.0
    lon = 69.0 + x / 90_000.0
    route = SimpleNamespace(
        profile=Profile(x / 1000.0, lon, np.full(x.size, 36.0), np.full(x.size, 2000.0), x, np.zeros(x.size))
    )
    road_y = np.where((x >= 30_000) & (x <= 60_000), -8000.0, 0.0)
    road = SimpleNamespace(profile=Profile(x / 1000.0, lon, np.full(x.size, 36.0), np.zeros(x.size), x, road_y))
    got = roadless_stretches(route, road, away_km=5.0)
    # the road is on the route up to x = 29 km and again from 61 km, 8 km away in between: route points
    # from 35 to 55 km are more than 5 km from every road point (34 km is exactly 5 km from x = 29 km)
    assert [(r["start_km"], r["end_km"]) for r in got] == [(35.0, 55.0)]
    assert got[0]["max_elevation_m"] == 2000.0


def test_depopulated_verdict_judged_on_all_sources_together():
    """Issue 18: a sparse source alone (towns >= 500 people) leaves long gaps; the verdict is the union's."""
    from wakhan.claims.depopulated import depopulated_claim

    def row(source, km):
        return {"source": source, "buffer_km": 5.0, "length_km": km, "open_end": False, "open_start": False}

    rows = {"walk": [row("A", 120.0), row("sparse", 365.0), row("A + sparse", 110.0)]}
    assert depopulated_claim(rows, {"walk": 187.0}, "walk", "A + sparse").verdict == DEPENDS  # every source
    judged = depopulated_claim(rows, {"walk": 187.0}, "walk", "A + sparse", judged_source="A + sparse")
    assert judged.verdict != DEPENDS and judged.value == 110.0
    assert "with all sources together" in judged.reason


def test_depopulated_brief_gives_the_range_of_the_judged_sources_only():
    """The verdict table's one-line reason quotes the gaps the verdict was judged on (all sources together),
    not a sparse source's blind spot: a '365 km' there would read as the article's 300 km being met."""
    from wakhan.report.briefs import verdict_brief

    def row(source, km, buffer_km=5.0):
        return {"source": source, "buffer_km": buffer_km, "length_km": km, "open_end": False, "open_start": False}

    rows = {"walk": [row("A", 120.0), row("sparse", 365.0), row("A + sparse", 110.0), row("A + sparse", 142.0, 2.0)]}
    claim = depopulated_claim(rows, {"walk": 187.0}, "walk", "A + sparse", judged_source="A + sparse")
    claim.details["longest_counted_gap"] = {"source": "A + sparse", "length_km": 142.0}  # as settlement_evidence
    brief = verdict_brief(claim)
    assert "110-142 km" in brief and "all sources together" in brief
    assert "365" not in brief and "120" not in brief
