"""Error sentences name the option as the caller can give it.

A Python caller (a notebook, a script) cannot pass ``--max-grade``: outside the CLI a
sentence names the keyword beside the flag; the CLI's own sentences are unchanged.
"""

from __future__ import annotations

import numpy as np
import pytest
from affine import Affine

from wakhan.cli import run
from wakhan.errors import InputError, RouteError, cli_caller, option
from wakhan.grid import Grid
from wakhan.plan import plan_route
from wakhan.plan.options import PlanOptions


def test_option_names_the_flag_to_the_cli_and_both_spellings_elsewhere():
    assert option("--max-grade 7.5", "max_grade_pct=7.5") == "--max-grade 7.5, or max_grade_pct=7.5 in Python"
    with cli_caller():
        assert option("--max-grade 7.5", "max_grade_pct=7.5") == "--max-grade 7.5"
        with cli_caller():  # nested: still the CLI, and still after the inner one ends
            pass
        assert option("--avoid", "avoid", again=True) == "--avoid"
    assert option("--avoid", "avoid", again=True) == "avoid"  # the CLI's flag is reset when it returns


def _ramp_dem() -> Grid:
    # 20 m a cell of 200 m eastwards: a diagonal move of 8 neighbours climbs 20 / (200 sqrt 2) = 7.07 %
    z = np.tile(np.arange(40, dtype=np.float32) * 20.0 + 2000.0, (40, 1))
    return Grid(z, Affine(200.0, 0, 500_000, 0, -200.0, 4_100_000), "EPSG:32643")


def test_plan_route_grade_fix_names_the_python_keyword():
    with pytest.raises(RouteError) as err:
        plan_route(
            ["37.00926,75.00562", "37.00923,75.08430"],
            dem=_ramp_dem(),
            places=None,
            neighbours=8,
            max_grade_pct=5,
        )
    text = str(err.value)
    # hand computation above: 7.07 % rounds up to 7.1 %
    assert "max_grade_pct=7.1" in text and "--max-grade 7.1" in text, text
    assert text.count(". ") == 0 and "\n" not in text  # still one sentence


@pytest.mark.parametrize(
    "kw, keyword",
    [
        ({"max_grade_pct": 0}, "max_grade_pct=0"),
        ({"buffer_km": -5}, "buffer_km=-5"),
        ({"resolution_m": -90.0}, "resolution_m=-90.0"),
    ],
)
def test_python_callers_are_told_the_keyword(kw, keyword):
    with pytest.raises(InputError) as err:
        plan_route(["Kashgar", "Tashkurgan"], places=None, **kw)
    assert keyword in str(err.value), str(err.value)


def test_model_specific_options_name_the_keyword():
    with pytest.raises(InputError, match=r"--earthworks, or earthworks_weight in Python, applies"):
        PlanOptions(model="walking", earthworks_weight=2.0)
    with pytest.raises(InputError, match=r"\(new tunnels are off by default\); drop tunnels=True$"):
        PlanOptions(model="walking", tunnels=True)


def test_the_cli_sentence_keeps_the_flag_alone(capsys):
    assert run(["route", "kashgar", "kabul", "--max-grade", "0"]) == 2
    err = capsys.readouterr().err
    assert "--max-grade 0 must be a positive grade" in err and "Python" not in err, err
