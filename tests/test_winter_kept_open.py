"""The all-season variant tunnels real closing crossings only.

A road engineer's reading of the all-season road: it bored 54 km under a 4,066 m col on the existing G314
(Kashgar - Tashkurgan, a national highway kept open through winter; only the Khunjerab border crossing
beyond Tashkurgan closes) and 7 km past a crest south of the Salang tunnel that the route itself flags
as a data artefact (the road passes through the existing tunnel). Neither is tunnelled now: a crossing
on a section of existing road a public source says is kept open all year closes 0 months, with that
reason, and an artefact is not priced. The fitted closure rule is unchanged.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from affine import Affine

from wakhan.claims.all_season import all_season_route
from wakhan.claims.closure import ClosureRule
from wakhan.claims.kept_open import kept_open
from wakhan.claims.winter import crossing_closures, winter_verdict
from wakhan.errors import InputError
from wakhan.grid import Grid
from wakhan.places import resolve
from wakhan.plan.open_sections import OPEN_SECTION_MATCH_KM, OpenSection, read_open_sections
from wakhan.route.costing import load_unit_costs
from wakhan.route.profile import Profile
from wakhan.route.result import RouteResult
from wakhan.route.summary import RouteSummary

#: Every crossing closes 4 months by this rule, whatever its height: over the 1-month limit.
FOUR_MONTHS = ClosureRule(4.0, 0.0, 0.0, (), (), 0.0, 0.0, 0.0)
#: A north-south road section kept open all year, along 75.0 E from 37.5 to 38.5 N.
SECTION = OpenSection("G314 A - B", "a road authority's winter bulletin", ((75.0, 37.5), (75.0, 38.5)))
KM_PER_DEG_LON_AT_38 = 111.32 * np.cos(np.radians(38.0))  # 87.7 km


def _road_over_three_crossings():
    """A 300 km road at 3,000 m with three crossings above 3,400 m (hand-built, 1 km steps):

    * km 50: a 4,500 m col on the open section (0.44 km from its line), above 3,400 m from km 39 to 61;
    * km 150: a 3,800 m crest flagged as a data artefact, 4 km past the portal of an existing tunnel
      (km 143-146), above 3,400 m from km 146 to 154;
    * km 250: a real 4,800 m col far from any open section, above 3,400 m from km 243 to 257.
    """
    d = np.linspace(0.0, 300.0, 301)
    z = np.full(d.size, 3000.0)
    z = np.maximum(z, 4500.0 - 100.0 * np.abs(d - 50.0))
    z = np.maximum(z, 3800.0 - 100.0 * np.abs(d - 150.0))
    z = np.maximum(z, 4800.0 - 200.0 * np.abs(d - 250.0))
    p = Profile(d, 75.0 + d / 90.0, np.full(d.size, 37.0), z, 500_000.0 + 1000.0 * d, np.full(d.size, 4_100_000.0))
    passes = [
        {"name": None, "lat": 38.0, "lon": 75.005, "elevation_m": 4500.0, "km": 50.0},
        {"name": "Salang Pass", "lat": 35.3, "lon": 69.0, "elevation_m": 3800.0, "km": 150.0, "artefact": True},
        {"name": "Wakhjir Pass", "lat": 37.1, "lon": 74.48, "elevation_m": 4800.0, "km": 250.0},
    ]
    existing = {
        "existing": "Test Tunnel",
        "length_km": 3.0,
        "start_km": 143.0,
        "end_km": 146.0,
        "cost_usd": {"low": 10e6, "high": 50e6},
    }
    cost = {"low": 1_000e6, "high": 3_000e6, "currency": "USD", "breakdown": [], "basis": "x"}
    s = RouteSummary.of(
        name="r", length_km=300.0, max_elevation_m=4800.0, tunnels=[existing], passes=passes, cost_usd=cost
    )
    dem = Grid(np.zeros((2, 2), np.float32), Affine(1000.0, 0, 500_000, 0, -1000.0, 4_100_500), "EPSG:32643")
    return RouteResult(s, p, dem)


def test_only_the_real_col_is_tunnelled_the_others_are_listed_with_their_reason():
    seasonal = _road_over_three_crossings()
    year_round = all_season_route(seasonal, "r", rule=FOUR_MONTHS, open_sections=[SECTION])
    tunnels = year_round.summary.engineering.tunnels
    bores = [t for t in tunnels if t.get("all_season")]
    assert [(b["start_km"], b["end_km"], b["length_km"]) for b in bores] == [(243.0, 257.0, 14.0)]
    assert bores[0]["replaces"] == ["Wakhjir Pass"]
    assert [t.get("existing") for t in tunnels if not t.get("all_season")] == ["Test Tunnel"]  # kept, not replaced
    info = year_round.summary.extra["all_season"]
    assert info["tunnel_km"] == 14.0
    (col, crest) = info["not_tunnelled"]
    assert (col["km"], col["rule_closed_months"]) == (50.0, 4.0)  # the rule's figure is kept beside the reason
    assert col["reason"] == "kept open all year: G314 A - B (a road authority's winter bulletin)"
    assert crest["km"] == 150.0
    assert crest["reason"] == "not priced, being a likely data artefact: the existing Test Tunnel is the real crossing"
    # the open col stays in the profile: the highest point is its 4,500 m, the 4,800 m col is under the bore
    assert year_round.summary.terrain.max_elevation_m == 4500.0
    # cost, by hand: the seasonal cost less the 14 km of road replaced (mountain-road rate, the altitude
    # factor on the 2 * 4 km above 4,000 m: 4,800 m - 200 m/km * 4 km), plus 14 km of tunnel
    u = load_unit_costs()
    for end in ("low", "high"):
        rate = u["mountain_road"][end]
        saved = 14.0 * rate + 8.0 * rate * (u["altitude_factor"][end] - 1.0)
        expected = round(seasonal.summary.costs.cost_usd[end] - saved + 14.0 * u["tunnel"][end], -6)
        assert year_round.summary.costs.cost_usd[end] == pytest.approx(expected, abs=1e6)


def test_heights_are_those_of_the_road_as_built_not_the_terrain_over_its_bore():
    """Every km-above figure of the all-season road counts the road through the bore at the portals' height.

    By hand on the hand-built road: only the open col (4,500 m - 100 m/km) stays above 4,000 m, for 10 km;
    above 3,500 m the col's 20 km and the artefact crest's 6 km (3,800 m - 100 m/km); nothing above 4,500 m.
    The 4,800 m col under the bore counted 2 x 4 km above 4,000 m on the terrain (the seasonal road's figure).
    """
    seasonal = _road_over_three_crossings()
    s = all_season_route(seasonal, "r", rule=FOUR_MONTHS, open_sections=[SECTION]).summary
    assert s.terrain.km_above_m == {
        "3500": pytest.approx(26.0),
        "4000": pytest.approx(10.0),
        "4500": pytest.approx(0.0),
    }
    assert s.terrain.km_above_4000m == pytest.approx(10.0)


def test_the_verdict_says_what_was_not_tunnelled_and_why():
    seasonal = _road_over_three_crossings()
    year_round = all_season_route(seasonal, "r", rule=FOUR_MONTHS, open_sections=[SECTION])
    text, _ = winter_verdict(
        {"all_season_route": "a", "closure_months_limit": 1.0}, [], [], seasonal.summary, {"a": year_round.summary}
    )
    assert "needs 1 tunnel, 14 km in all (14 km under the Wakhjir Pass)" in text
    assert "besides the existing Test Tunnel (3.0 km, rehabilitated)" in text
    assert (
        "not tunnelled: an unnamed col (4,500 m), on the G314 A - B, kept open all year, and the Salang Pass " in text
    )
    assert "(3,800 m), not priced, being a likely data artefact: the existing Test Tunnel is the real crossing" in text
    assert "highest point 4,500 m" in text


def test_a_route_whose_every_crossing_is_kept_open_is_not_said_to_shut_0_months():
    """With a user's roads file every crossing may lie on road kept open all year: the verdict says none
    closes (not "shut about 0.0 months") and that the road closes for less time than the Karakoram Highway,
    whose 4,700 m col the rule shuts 4.5 months (more than the rule's held-back error apart)."""
    kept = {
        "name": None,
        "elevation_m": 4500.0,
        "closed_months": 0.0,
        "rule_closed_months": 4.0,
        "closure_reason": "kept open all year: G314 A - B (a road authority's winter bulletin)",
    }
    kkh = {"name": "Khunjerab Pass", "elevation_m": 4700.0, "closed_months": 4.5}
    seasonal = _road_over_three_crossings()
    text, depends = winter_verdict({}, [kept], [kkh], seasonal.summary, {})
    assert (
        "none of its crossings closes: the highest, an unnamed col (4,500 m), lies on road kept open all year: G314 A - B"
        in text
    )
    assert "alone gives 4.0 months" in text and "0.0 months" not in text
    assert "so it would close for less time than the existing road" in text and not depends


def test_an_artefact_away_from_any_tunnel_is_not_priced_either():
    seasonal = _road_over_three_crossings()
    bare = seasonal.summary.with_fields(tunnels=[])
    year_round = all_season_route(
        RouteResult(bare, seasonal.profile, seasonal.dem), "r", rule=FOUR_MONTHS, open_sections=[]
    )
    bores = [t for t in year_round.summary.engineering.tunnels if t.get("all_season")]
    assert [b["length_km"] for b in bores] == [22.0, 14.0]  # no open section given: the col at km 50 is bored
    (crest,) = year_round.summary.extra["all_season"]["not_tunnelled"]
    assert crest["reason"] == "not priced, being a likely data artefact"


@pytest.mark.parametrize("off_km, on", [(1.5, True), (OPEN_SECTION_MATCH_KM - 0.05, True), (2.5, False)])
def test_a_crossing_is_on_the_open_section_within_the_stated_distance(off_km, on):
    lon = 75.0 + off_km / KM_PER_DEG_LON_AT_38  # due east of the section's line at 38 N
    c = kept_open({"lat": 38.0, "lon": lon, "closed_months": 4.1}, [SECTION])
    assert (c["closed_months"] == 0.0) is on and ("closure_reason" in c) is on
    # beyond the section's end (38.5 N) the distance is to its end point: 0.3 degrees of latitude, 33 km
    assert kept_open({"lat": 38.8, "lon": 75.0, "closed_months": 4.1}, [SECTION])["closed_months"] == 4.1


def test_the_g314_from_kashgar_to_tashkurgan_is_kept_open_and_the_passes_beyond_are_not():
    """The bundled section runs from Kashgar to Tashkurgan (the gazetteer's towns) and no further: the
    4,066 m col of the route near Karakul (38.2697 N 74.9163 E, on the road) is on it; the Khunjerab and
    the Wakhjir are not."""
    (g314,) = read_open_sections()
    for town in ("Kashgar", "Tashkurgan", "Upal"):
        p = resolve(town)
        assert g314.distance_km(p.lon, p.lat) < 1.0, town
    for pass_name in ("Khunjerab Pass", "Wakhjir Pass"):
        p = resolve(pass_name)
        assert g314.distance_km(p.lon, p.lat) > 50.0, pass_name
    assert "srchaudhary.com" in g314.source and "ecns.cn" in g314.source
    col = {"name": None, "elevation_m": 4066.1, "lat": 38.269731, "lon": 74.916297}
    wakhjir = {"name": "Wakhjir Pass", "elevation_m": 4859.4, "lat": 37.096054, "lon": 74.484096}
    out = crossing_closures([col, wakhjir], FOUR_MONTHS)
    assert out[0]["closed_months"] == 0.0 and out[0]["closure_reason"].startswith("kept open all year: G314")
    assert out[1]["closed_months"] == 4.0 and "closure_reason" not in out[1]


def test_an_open_section_without_a_source_is_refused_in_one_sentence(tmp_path):
    road = {
        "type": "Feature",
        "properties": {"name": "r", "open_all_year": [{"from": "Kashgar", "to": "Tashkurgan"}]},
        "geometry": {"type": "LineString", "coordinates": [[75.99, 39.47], [75.23, 37.78]]},
    }
    f = tmp_path / "roads.geojson"
    f.write_text(json.dumps({"type": "FeatureCollection", "features": [road]}))
    with pytest.raises(InputError, match="names no source; give the public source"):
        read_open_sections(f)
    road["properties"]["open_all_year"] = [{"from": "Kashgar", "to": "Atlantis", "source": "s"}]
    f.write_text(json.dumps({"type": "FeatureCollection", "features": [road]}))
    with pytest.raises(InputError, match="towns named in the gazetteer"):
        read_open_sections(f)
