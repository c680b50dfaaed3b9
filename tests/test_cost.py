"""Cost models: documented formulae, parameters, bounds the solver relies on."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wakhan.cost import HighwayModel, IsotropicModel, WalkingModel, get_model
from wakhan.errors import InputError
from wakhan.solve.edges import cost_per_m


def test_get_model_defaults_and_overrides():
    hw = get_model("highway")
    assert isinstance(hw, HighwayModel)
    assert (hw.name, hw.cost_unit, hw.max_grade_pct, hw.altitude_threshold_m) == ("highway", "m", 60.0, 4000.0)
    assert hw.design_grade_pct == 7.0
    assert get_model("Highway", max_grade_pct=8).max_grade_pct == 8
    # a hard limit below the default design grade lowers the design grade with it
    assert get_model("highway", max_grade_pct=5).design_grade_pct == 5
    walk = get_model("walking")
    assert (walk.name, walk.cost_unit) == ("walking", "s")
    assert get_model("isotropic").cost_unit == "m"


def test_describe_names_every_parameter():
    for name in ("highway", "walking", "isotropic"):
        model = get_model(name)
        text = model.describe()
        assert "\n" not in text and model.name in text and model.cost_unit in text
        for key, value in model.as_dict().items():
            if key not in ("name", "cost_unit"):
                assert f"{key}={value:g}" in text


@pytest.mark.parametrize(
    "name,kw",
    [
        ("highway", {"max_grade_pct": 0}),
        ("highway", {"grade_scale_pct": -1}),
        ("highway", {"uphill_weight": float("nan")}),
        ("walking", {"base_speed_kmh": 0}),
        ("isotropic", {"cost_per_m": -2}),
    ],
)
def test_bad_parameters_raise_input_error(name, kw):
    with pytest.raises(InputError, match=next(iter(kw))):
        get_model(name, **kw)


def test_unknown_model_and_parameter():
    with pytest.raises(InputError, match="unknown cost model"):
        get_model("bicycle")
    with pytest.raises(InputError, match="no parameter 'speed'"):
        get_model("highway", speed=3)


def test_highway_formula_by_hand():
    m = HighwayModel(
        grade_scale_pct=8,
        uphill_weight=1.0,
        downhill_weight=0.5,
        altitude_threshold_m=4000,
        altitude_surcharge=0.5,
        design_grade_pct=12,
    )
    kind, p = m.kernel_params()
    assert cost_per_m(kind, p, 0.0, 100.0) == 1.0
    assert cost_per_m(kind, p, 8.0, 100.0) == 2.0  # 1 + 1 * (8/8)^2
    assert cost_per_m(kind, p, -8.0, 100.0) == 1.5  # 1 + 0.5 * 1
    assert cost_per_m(kind, p, 8.0, 4500.0) == 3.0  # x 1.5 above 4000 m
    assert cost_per_m(kind, p, 0.0, 4000.0) == 1.0  # at the threshold: no surcharge


def test_switchback_formula_by_hand():
    # design grade 8 % below 3,000 m; 7 % at 3,000-4,000 m; 6 % at 4,000-5,000; 5 % above (JTG reduction)
    m = HighwayModel(
        grade_scale_pct=8, design_grade_pct=8, hairpin_spacing_m=250, hairpin_cost_m=100, altitude_surcharge=0.5
    )
    kind, p = m.kernel_params()
    # 16 % at 1,000 m: built twice as long at 8 %, each metre 1 + (8/8)^2 = 2, plus 1 m extra per
    # horizontal metre at one hairpin (100 m) per 250 m: 2 * 2 + 1 * 100 / 250 = 4.4
    assert cost_per_m(kind, p, 16.0, 1000.0) == pytest.approx(4.4)
    # 14 % at 4,500 m: design 6 %, r = 14/6; (r * (1 + 0.5625) + (r - 1) * 0.4) * 1.5
    r = 14 / 6
    assert cost_per_m(kind, p, 14.0, 4500.0) == pytest.approx((r * 1.5625 + (r - 1) * 0.4) * 1.5)
    assert cost_per_m(kind, p, 6.5, 3500.0) == pytest.approx(1 + (6.5 / 8) ** 2)  # under 7 %: built as is
    assert list(m.design_grade_at([0, 2999, 3000, 4200, 5100, 8000])) == [8, 8, 7, 6, 5, 5]
    assert list(HighwayModel(design_grade_pct=5).design_grade_at([0, 3500, 4500, 6000])) == [5, 4, 4, 4]


@pytest.mark.parametrize(
    "kw,match",
    [
        ({"design_grade_pct": 0}, "design grade 0"),
        ({"design_grade_pct": -3}, "design grade -3"),
        ({"design_grade_pct": 15, "max_grade_pct": 12}, "above the hard grade limit"),
    ],
)
def test_bad_design_grade_is_one_sentence(kw, match):
    with pytest.raises(InputError, match=match):
        get_model("highway", **kw)


def test_walking_is_tobler():
    m = WalkingModel()
    kind, p = m.kernel_params()
    # flat: 6 * exp(-0.175) km/h = 5.037 km/h -> 0.7147 s/m
    assert cost_per_m(kind, p, 0.0, 0.0) == pytest.approx(3.6 / (6 * math.exp(-3.5 * 0.05)))
    assert cost_per_m(kind, p, -5.0, 0.0) == pytest.approx(0.6)  # peak 6 km/h at -5 %
    assert m.min_cost_per_m == pytest.approx(0.6)
    assert WalkingModel(terrain_factor=0.6).min_cost_per_m == pytest.approx(1.0)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["highway", "walking", "isotropic"]), st.floats(0.0, 1.0), st.floats(0, 6000), st.floats(1, 60))
def test_min_and_max_cost_per_m_bound_every_admissible_grade(name, frac, zmean, limit):
    model = get_model(name, max_grade_pct=limit)
    kind, p = model.kernel_params()
    for gp in (frac * limit, -frac * limit):
        c = cost_per_m(kind, p, gp, zmean)
        assert model.min_cost_per_m * (1 - 1e-12) <= c <= model.max_cost_per_m * (1 + 1e-12)


def test_models_are_frozen_parameter_sets():
    m = IsotropicModel()
    import dataclasses

    with pytest.raises(dataclasses.FrozenInstanceError):
        m.cost_per_m = 3
    assert m.cost_per_m == 1.0
    assert np.isinf(m.max_grade_pct)


def test_walking_altitude_term_follows_the_published_vo2max_loss():
    from wakhan.cost import ALTITUDE_LOSS_PER_KM

    m = WalkingModel(altitude_loss_per_km=ALTITUDE_LOSS_PER_KM)
    kind, p = m.kernel_params()
    flat = cost_per_m(kind, p, -5.0, 500.0)  # below the 580 m onset: Tobler's 6 km/h
    assert flat == pytest.approx(0.6)
    # Buskirk et al. 1967: VO2max 26 % lower at 4,000 m; the term is built to give that
    assert cost_per_m(kind, p, -5.0, 4000.0) == pytest.approx(0.6 / 0.74, rel=0.01)
    assert float(m.altitude_factor(4000.0)) == pytest.approx(0.74, abs=0.01)
    assert cost_per_m(kind, p, -5.0, 20000.0) == pytest.approx(0.6 / 0.3)  # the floor
    assert m.max_cost_per_m >= cost_per_m(kind, p, 100.0, 20000.0) * (1 - 1e-12)
    with pytest.raises(InputError):
        WalkingModel(altitude_floor=0)


def test_parameter_slots_are_one_table_without_gaps():
    """Each kind's slots run 0..n-1 once (no slot written and never read); every model's vector fills them."""
    from wakhan.cost import kinds

    for kind, slots in kinds.SLOTS.items():
        assert sorted(slots) == list(range(len(slots))), kind
    assert kinds.N_PARAMS == max(len(s) for s in kinds.SLOTS.values())
    for model in (HighwayModel(), WalkingModel(), IsotropicModel()):
        kind, p = model.kernel_params()
        assert p.shape == (len(kinds.SLOTS[kind]),) and np.isfinite(p).all()
    # the four design-grade bands are design_grade_at of one height in each 1,000 m band (hand-checked: 7, 6, 5, 4)
    _, p = HighwayModel().kernel_params()
    band0 = kinds.HW_DESIGN_GRADE_BAND0
    assert p[band0 : band0 + 4].tolist() == [7.0, 6.0, 5.0, 4.0]


@settings(max_examples=40, deadline=None)
@given(
    st.floats(0.5, 12.0),
    st.floats(2.0, 20.0),
    st.lists(st.floats(-80.0, 80.0), min_size=1, max_size=20),
    st.lists(st.floats(0.0, 7000.0), min_size=1, max_size=8),
)
def test_highway_cost_per_m_is_the_formula_bit_for_bit(design, scale, grades, heights):
    """The kernel's one-division form equals r * (1 + w s^2) + (r - 1) h, r = max(|g|/gd, 1), s = min(|g|, gd)/g0."""
    m = HighwayModel(design_grade_pct=design, grade_scale_pct=scale, max_grade_pct=80.0)
    kind, p = m.kernel_params()
    h = m.hairpin_cost_m / m.hairpin_spacing_m
    for zmean in [*heights, 2999.999, 3000.0, 4000.0, 4000.001, 5000.0]:
        gd = float(m.design_grade_at(zmean))
        a = 1.0 + m.altitude_surcharge if zmean > m.altitude_threshold_m else 1.0
        for g in [*grades, 0.0, gd, -gd, np.nextafter(gd, 99.0)]:
            w = m.uphill_weight if g > 0 else m.downhill_weight
            r = max(abs(g) / gd, 1.0)
            s = min(abs(g), gd) / m.grade_scale_pct
            assert cost_per_m(kind, p, g, zmean) == (r * (1.0 + w * s * s) + (r - 1.0) * h) * a
