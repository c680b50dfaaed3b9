"""The CLI's error boundary (issue 12): usage errors, --version, full disks and signals.

Every case prints one line on stderr (no traceback) and exits with the status a
shell script can act on: 2 for bad input, 130 for Ctrl-C, 143 for SIGTERM.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import tomllib
from clirun import wakhan_run

import wakhan
from wakhan.cli import run

ROOT = Path(wakhan.__file__).resolve().parents[2]


def one_error_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize(
    "args, words",
    [
        (["route"], "Missing argument"),
        (["route", "Kashgar", "Kabul", "--bogus"], "No such option: --bogus"),
        (["route", "Kashgar", "Kabul", "--max-grade", "steep"], "--max-grade"),
        (["places", "--nope"], "No such option"),
        (["nosuchcommand"], "nosuchcommand"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(args, words, capsys):
    assert run(args) == 2
    line = one_error_line(capsys.readouterr().err)
    assert line.startswith("error: ") and words in line and "--help" in line


@pytest.mark.parametrize("args", [[], ["tiles"], ["dem"]])
def test_missing_command_shows_help_and_one_error_line(args, capsys):
    assert run(args) == 2
    cap = capsys.readouterr()
    assert "Commands" in cap.out or "Usage" in cap.out  # the help, on stdout
    assert "needs a command" in one_error_line(cap.err)


def test_usage_errors_from_standalone_click_are_caught_too(monkeypatch, capsys):
    """Older typer raises the click package's exceptions, newer its bundled copy's: both are one line."""
    import click

    import wakhan.cli as cli

    class Cmd:
        def main(self, **kw):
            raise click.BadParameter("'steep' is not a number", param_hint="'--max-grade'")

    monkeypatch.setattr(cli, "typer_command", lambda: Cmd())
    assert run(["route"]) == 2
    assert "'--max-grade'" in one_error_line(capsys.readouterr().err)


def test_version_from_the_one_place_it_is_written():
    text = (ROOT / "src" / "wakhan" / "__init__.py").read_text()
    written = re.search(r'^__version__ = "([^"]+)"', text, re.M).group(1)
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in meta["project"] and "version" in meta["project"]["dynamic"]
    assert meta["tool"]["hatch"]["version"]["path"] == "src/wakhan/__init__.py"
    done = wakhan_run("--version", timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == f"wakhan {written}" and done.stderr == ""


def test_typer_range_is_pinned():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    typer_dep = next(d for d in meta["project"]["dependencies"] if d.startswith("typer"))
    assert "<" in typer_dep, typer_dep


def test_stdout_on_a_full_device_is_one_sentence():
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    with open("/dev/full", "w") as full:
        done = wakhan_run("places", stdout=full, stderr=-1, capture_output=False, timeout=60)
    assert done.returncode == 2
    assert "disk is full" in one_error_line(done.stderr)


@pytest.mark.parametrize(
    "args, fixed",
    [
        (["elevation", "-33.9", "18.4"], ["elevation", "--", "-33.9", "18.4"]),
        (["route", "-33.9,18.4", "kabul"], ["route", "--", "-33.9,18.4", "kabul"]),
    ],
)
def test_a_negative_coordinate_read_as_an_option_says_how_to_pass_it(args, fixed, capsys):
    """South and west are negative: `wakhan elevation -33.9 18.4` said only "No such option: -3", which
    reads as a typo. The line says the number was read as an option and shows `--`, which works."""
    assert run(args) == 2
    lines = [ln for ln in capsys.readouterr().err.splitlines() if ln.strip()]
    assert len(lines) == 1 and "negative number" in lines[0] and " -- " in lines[0], lines
    assert run(fixed) == 2  # outside the pack: now refused for what it is, a point outside the data
    err = capsys.readouterr().err
    assert "No such option" not in err and "outside" in err, err


@pytest.mark.parametrize(
    "args, expected",
    [
        (
            ["route", "Kashgar", "Kabul", "--max-grade", "7%"],
            "error: --max-grade takes a plain number in percent, not '7%'; write it without the unit, "
            "e.g. `--max-grade 7`",
        ),
        (
            ["route", "Kashgar", "Kabul", "--buffer-km", "5 km"],
            "error: --buffer-km takes a plain number in km, not '5 km'; write it without the unit, "
            "e.g. `--buffer-km 5`",
        ),
        (
            ["route", "Kashgar", "Kabul", "--max-elevation=4000m"],
            "error: --max-elevation takes a plain number in metres, not '4000m'; write it without the unit, "
            "e.g. `--max-elevation 4000`",
        ),
        (  # a decimal comma: the example keeps the fraction
            ["route", "Kashgar", "Kabul", "--buffer-km", "50,5"],
            "error: --buffer-km takes a plain number in km, not '50,5'; write it without the unit, "
            "e.g. `--buffer-km 50.5`",
        ),
        (  # an angle for a grade: tan(7 deg) = 0.1228, by hand
            ["route", "Kashgar", "Kabul", "--design-grade", "7°"],
            "error: --design-grade takes a grade in percent, not an angle ('7°'); 7° is 12.3 %, "
            "e.g. `--design-grade 12.3`",
        ),
    ],
)
def test_a_number_with_its_unit_says_to_drop_the_unit(args, expected, capsys):
    """`--max-grade 7%` is what the help's 'percent' invites; the message says what to write instead."""
    assert run(args) == 2
    assert one_error_line(capsys.readouterr().err) == expected


def test_a_word_for_a_number_names_the_option_its_unit_and_the_value(capsys):
    assert run(["route", "Kashgar", "Kabul", "--max-grade", "steep"]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert (
        line
        == "error: --max-grade takes a plain number in percent, not 'steep' (run `wakhan route --help` for the options)"
    )


@pytest.mark.parametrize(
    "bbox",
    [["71,36,72,36.5"], ["71 36 72 36.5"], ["71", "36", "72"], ["71E", "36N", "72E", "36.5N"]],
)
@pytest.mark.parametrize("command", [["tiles", "fetch"], ["dem", "build", "-o", "dem.tif"]])
def test_a_bbox_not_given_as_four_numbers_says_how_to_write_it(command, bbox, capsys):
    """A comma list or one quoted string is one value of the four --bbox wants; it said `wakhan --help`."""
    assert run([*command, "--bbox", *bbox]) == 2
    assert one_error_line(capsys.readouterr().err) == (
        "error: --bbox takes four plain numbers in degrees separated by spaces, WEST SOUTH EAST NORTH, "
        "e.g. `--bbox 71 36 72 36.5` (no commas, quotes or N/E letters)"
    )


@pytest.mark.parametrize(
    "args, help_of",
    [
        (["route", "Kashgar", "Kabul", "--output"], "wakhan route --help"),
        (["tiles", "fetch", "--bbox", "71", "36", "72", "37", "--tiles-dir"], "wakhan tiles fetch --help"),
    ],
)
def test_an_option_without_its_value_points_to_its_own_commands_help(args, help_of, capsys):
    """click gives no context for an option missing its value; the line pointed to `wakhan --help`."""
    assert run(args) == 2
    line = one_error_line(capsys.readouterr().err)
    assert f"(run `{help_of}` for the options)" in line and "requires an argument" in line


def test_a_place_name_given_to_places_says_how_to_look_it_up(capsys):
    assert run(["places", "kabul"]) == 2
    assert one_error_line(capsys.readouterr().err) == (
        "error: `wakhan places` takes no place name, it lists every place; "
        "filter the list, e.g. `wakhan places | grep -i kabul`"
    )
