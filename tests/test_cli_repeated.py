"""A one-value option given twice is refused in one sentence (exit 2) before anything is written;
options meant to repeat (--via) and flags may still be given more than once."""

from __future__ import annotations

import pytest

from wakhan.cli import run, typer_command
from wakhan.cli.repeated import check_repeated


@pytest.mark.parametrize(
    ("argv", "sentence"),
    [
        (
            ["dem", "build", "--bbox", "74", "37", "74.1", "37.1", "-o", "a.tif", "-o", "b.tif"],
            "-o given twice (a.tif, b.tif)",
        ),
        (
            ["dem", "build", "--bbox", "74", "37", "74.1", "37.1", "--output=a.tif", "-ob.tif"],
            "--output given twice (a.tif, b.tif)",
        ),
        (
            ["route", "kabul", "kashgar", "--max-grade", "5", "--max-grade", "6", "--max-grade", "7"],
            "--max-grade given 3 times (5, 6, 7)",
        ),
    ],
)
def test_repeated_one_value_option_exits_2(argv, sentence, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run(argv) == 2
    err = capsys.readouterr().err
    assert sentence in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_repeatable_options_and_values_that_look_like_commands_pass():
    command = typer_command()
    check_repeated(command, ["route", "kabul", "kashgar", "--via", "sarhad", "--via", "wakhjir pass"])
    check_repeated(command, ["route", "kabul", "kashgar", "--json", "--json"])
    check_repeated(command, ["dem", "build", "--bbox", "74", "37", "74.1", "37.1", "-o", "dem"])
    check_repeated(command, ["route", "-o", "a.geojson", "--", "-o", "b.geojson"])
