"""`--model`: the help offers exactly the models the commands accept and the unknown-model error names."""

from __future__ import annotations

import re

import pytest

from wakhan.cli import run

#: The cost models of wakhan.cost (highway.py, walking.py, isotropic.py), listed here by hand.
MODELS = {"highway", "walking", "isotropic"}


@pytest.mark.parametrize("command", ["route", "accumulate", "corridor"])
def test_model_help_matches_what_is_accepted(command, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    assert run([command, "--help"]) == 0
    text = capsys.readouterr().out
    metavar = re.search(r"--model\s+(\S+)", text).group(1)
    assert set(metavar.split("|")) == MODELS, metavar
    line = next(ln for ln in text.splitlines() if "--model" in ln)
    assert all(name in line.split(metavar, 1)[1] for name in MODELS), line  # the help text names each too


def test_unknown_model_names_the_same_choices_in_one_sentence(capsys):
    from wakhan.cli.options import plan_options

    assert run(["route", "a", "b", "--model", "bicycle"]) == 2
    err = capsys.readouterr().err.strip()
    said = re.search(r"choose one of (.*)$", err).group(1)
    assert set(said.split(", ")) == MODELS, err
    assert not err.endswith("."), err  # like the other one-sentence messages
    # each model the help offers builds (the isotropic one: grade-blind, 1 per metre)
    assert {plan_options(model=name).cost_model().name for name in MODELS} == MODELS
