"""plan_route on the bundled pack: hard waypoints, country barriers, clear failures."""
import numpy as np
import pytest

from wakhan.borders import country_at
from wakhan.errors import InputError, RouteError
from wakhan.route import plan_route


def test_avoid_keeps_the_route_out_and_via_is_hard():
    r = plan_route(["tashkurgan", "sost"], avoid="AF", buffer_km=30)
    codes = set(country_at(r.profile.lon, r.profile.lat))
    assert "AF" not in codes and {"CN", "PK"} <= codes
    assert r.summary["avoid"] == ["AF"]
    via = plan_route(["tashkurgan", "mintaka pass", "sost"], buffer_km=30)
    assert len(via.paths) == 2
    wp = via.summary["waypoints"][1]
    assert 0 < wp["km"] < via.summary["length_km"]
    from wakhan.route.naming import distance_km
    d = distance_km(wp["lon"], wp["lat"], via.profile.lon, via.profile.lat)
    assert d.min() < 0.5  # the route goes through the via cell


def test_failures_are_one_sentence():
    with pytest.raises(InputError, match="at least two"):
        plan_route(["kabul"])
    with pytest.raises(InputError, match="both in --within and in --avoid"):
        plan_route(["kashgar", "kabul"], within="CN,AF", avoid="AF")
    with pytest.raises(RouteError, match=r"needs \d+\.\d %"):
        plan_route(["tashkurgan", "wakhjir pass"], max_grade_pct=3, buffer_km=20)
