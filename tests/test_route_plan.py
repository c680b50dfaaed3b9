"""plan_route on the bundled pack: hard waypoints, country barriers, clear failures."""

import numpy as np
import pytest

from wakhan.borders import country_at
from wakhan.errors import InputError, RouteError
from wakhan.plan import plan_route


def test_avoid_keeps_the_route_out_and_via_is_hard():
    r = plan_route(["tashkurgan", "sost"], avoid="AF", buffer_km=30)
    codes = set(country_at(r.profile.lon, r.profile.lat))
    assert "AF" not in codes and {"CN", "PK"} <= codes
    assert r.summary.search.avoid == ("AF",)
    via = plan_route(["tashkurgan", "mintaka pass", "sost"], buffer_km=30)
    assert len(via.paths) == 2
    wp = via.summary.terrain.waypoints[1]
    assert 0 < wp["km"] < via.summary.terrain.length_km
    from wakhan.places import haversine_km as distance_km

    d = distance_km(wp["lon"], wp["lat"], via.profile.lon, via.profile.lat)
    assert d.min() < 0.5  # the route goes through the via cell


def test_failures_are_one_sentence():
    with pytest.raises(InputError, match="at least two"):
        plan_route(["kabul"])
    with pytest.raises(InputError, match="both in --within and in --avoid"):
        plan_route(["kashgar", "kabul"], within="CN,AF", avoid="AF")
    with pytest.raises(RouteError, match=r"needs \d+\.\d %"):
        plan_route(["tashkurgan", "wakhjir pass"], max_grade_pct=3, buffer_km=20)


def test_compare_reports_a_variant_that_needs_a_steeper_limit_instead_of_dropping_it():
    from wakhan.errors import RouteError
    from wakhan.plan.compare import Variant, compare_routes

    variants = (Variant("direct", key="direct"),)
    with pytest.raises(RouteError) as info:
        compare_routes(
            "Tashkurgan", "Khunjerab Pass", variants, max_grade_pct=2.0, buffer_km=10, places=None, relax_grade=False
        )
    needs = info.value.needs_grade_pct
    assert needs is not None and needs > 2.0
    (route,) = compare_routes("Tashkurgan", "Khunjerab Pass", variants, max_grade_pct=2.0, buffer_km=10, places=None)
    assert route.summary.engineering.grade_limit_raised_pct >= needs
    assert route.summary.provenance.model_max_grade_pct == route.summary.engineering.grade_limit_raised_pct
    assert any("raised" in n for n in route.summary.provenance.notes)
    # the note names the limit the caller gave, and suggests no --max-grade: compare raised it itself
    (note,) = [n for n in route.summary.provenance.notes if "raised" in n]
    typed = "--max-grade 2 %, or max_grade_pct=2 in Python,"  # a Python caller: the keyword beside the flag
    assert note.startswith(f"no route within {typed} on this grid") and "(--max-grade" not in note, note


def test_every_route_states_its_certified_optimality_gap(monkeypatch):
    """Exact (gap 0) on a small grid; forced coarse-to-fine, the certified gap brackets the exact cost."""
    import wakhan.plan.plan as plan

    exact = plan_route(["tashkurgan", "mintaka pass", "sost"], buffer_km=20, model="walking")
    assert exact.summary.search.optimality_gap_pct == 0.0
    assert "exact" in exact.summary.search.optimality_bound
    monkeypatch.setattr(plan, "REFINE_MIN_CELLS", 0)
    cert = plan_route(["tashkurgan", "mintaka pass", "sost"], buffer_km=20, model="walking", gap_pct=50)
    gap = cert.summary.search.optimality_gap_pct
    assert 0.0 <= gap <= 50.0
    lower = cert.summary.search.lower_bound_cost or cert.summary.provenance.cost
    assert lower <= exact.summary.provenance.cost * (1 + 1e-9) <= cert.summary.provenance.cost * (1 + 1e-9)
    assert cert.summary.provenance.cost <= exact.summary.provenance.cost * (1 + gap / 100) * (1 + 1e-9)
    for bad in (0, -1.0, float("nan")):
        with pytest.raises(InputError, match="--gap-pct"):
            plan_route(["tashkurgan", "sost"], gap_pct=bad)


def test_an_infeasible_leg_is_diagnosed_by_one_minimax_search(monkeypatch):
    """The solver's diagnosis of a leg over the grade limit is reused, not searched for again (issue 10).

    A plane rising 20 m per 200 m cell eastwards: with 8 neighbours the gentlest eastward move is the
    diagonal, 20 m over 200 * sqrt(2) m = 7.071 %, above a 5 % limit (hand computation).
    """
    from affine import Affine

    import wakhan.solve.api as api
    from wakhan.grid import Grid
    from wakhan.solve.kernels import MODE_MINIMAX

    searches = []
    run = api._run

    def counting_run(*args, **kw):
        searches.append(kw.get("mode"))
        return run(*args, **kw)

    monkeypatch.setattr(api, "_run", counting_run)
    z = np.tile(np.arange(40, dtype=np.float32) * 20.0 + 2000.0, (40, 1))
    dem = Grid(z, Affine(200.0, 0, 500_000, 0, -200.0, 4_100_000), "EPSG:32643")
    with pytest.raises(RouteError) as err:
        plan_route(["37.00926,75.00562", "37.00923,75.08430"], dem=dem, places=None, neighbours=8, max_grade_pct=5)
    assert err.value.needs_grade_pct == pytest.approx(100 * 20 / (200 * 2**0.5), abs=1e-3)
    assert "allow at least 7.1 %" in str(err.value)
    # the option that sets the limit, with the value it needs, as a Python caller passes it too
    assert str(err.value).endswith("(--max-grade 7.1, or max_grade_pct=7.1 in Python)")
    assert searches.count(MODE_MINIMAX) == 1
