"""CLI conventions: --json wherever a command prints data, one option name per concept, tables that
fit the terminal, `compare -o DIR` creating its folder (tested in test_cli_route.py with the compare run there)."""

from __future__ import annotations

import json

import pytest

from wakhan.cli import run


def _json(capsys, args):
    assert run(args) == 0
    return json.loads(capsys.readouterr().out)


def test_elevation_json(capsys):
    doc = _json(capsys, ["elevation", "37.096", "74.487", "--json"])
    # The Wakhjir Pass is about 4,923 m (published); GEBCO 15" smooths the saddle by some tens of metres.
    assert abs(doc["elevation_m"] - 4923) < 150 and doc["source"]["name"].startswith("GEBCO_2023")


def test_pack_info_json(capsys):
    doc = _json(capsys, ["pack", "info", "--json"])
    assert doc["region_bounds"] == [67.5, 33.5, 77.0, 40.5] and doc["checksum_mismatches"] == []
    assert {"gebco_2023_15s.tif", "countries.geojson"} <= set(doc["manifest"]["files"])
    assert any(a["licence"].startswith("CC BY") for a in doc["attribution"])


def test_dem_info_json(capsys, tmp_path):
    out = tmp_path / "d.tif"
    assert run(["dem", "build", "--bbox", "74.3", "37.0", "74.6", "37.2", "-o", str(out)]) == 0
    capsys.readouterr()
    doc = _json(capsys, ["dem", "info", str(out), "--json"])
    import rasterio

    with rasterio.open(out) as ds:
        assert doc["width"] == ds.width and doc["height"] == ds.height
        assert doc["transform"] == pytest.approx(list(ds.transform)[:6])
    w, s, e, n = doc["bounds_lonlat"]
    assert w <= 74.3 and s <= 37.0 and e >= 74.6 and n >= 37.2 and doc["void_cells"] == 0


def test_tiles_list_json_and_one_name_for_the_tile_folder(capsys, tmp_path):
    doc = _json(capsys, ["tiles", "list", "--json", "--tiles-dir", str(tmp_path)])
    assert doc["cache"] == str(tmp_path) and doc["tiles"] == {} and "skadi" in doc["sources"]
    old = _json(capsys, ["tiles", "list", "--json", "--cache-dir", str(tmp_path)])  # the old name still works
    assert old["cache"] == str(tmp_path)
    for cmd in (["tiles", "list"], ["tiles", "fetch"], ["elevation"], ["dem", "build"]):
        assert run([*cmd, "--help"]) == 0
        text = capsys.readouterr().out
        assert "--tiles-dir" in text and "--cache-dir" not in text, cmd


def test_tables_fit_the_terminal(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    assert run(["places"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines and max(len(line) for line in lines) <= 80


def _commands(command, path=()):
    subs = getattr(command, "commands", None)
    if subs:
        for name, sub in subs.items():
            yield from _commands(sub, (*path, name))
    else:
        yield path, command


def test_help_shows_readable_value_names(capsys, monkeypatch):
    """No Python types in --help (`<list[str]>`, `<float>`, `<bool>`): value names such as KM, PCT, CC,CC, FILE."""
    import re

    from wakhan.cli import typer_command

    monkeypatch.setenv("COLUMNS", "200")
    python_type = re.compile(r"<(str|int|float|bool|path|list|tuple|file|dir|text)\b[^>]*>", re.IGNORECASE)
    commands = list(_commands(typer_command()))
    assert len(commands) >= 15
    for path, command in commands:
        for param in command.params:
            if not getattr(param, "is_flag", False):
                assert param.metavar and not python_type.search(param.metavar), (path, param.name)
        assert run([*path, "--help"]) == 0
        text = capsys.readouterr().out
        assert not python_type.search(text), (path, python_type.search(text).group(0))
    assert run(["route", "--help"]) == 0
    text = capsys.readouterr().out
    for flag, value in (("--via", "PLACE"), ("--within", "CC,CC"), ("--buffer-km", "KM"), ("--max-grade", "PCT")):
        assert re.search(rf"{flag}\s+{re.escape(value)}\s", text), flag


def test_dem_info_names_the_data_the_heights_come_from(capsys, tmp_path):
    """Every number names its source: a box north of 36.32N lies inside GEBCO_2023's extent in the pack
    (data/pack/manifest.json), so the heights `dem info` reports are GEBCO's, at 15"."""
    out = tmp_path / "d.tif"
    assert run(["dem", "build", "--bbox", "74.3", "37.0", "74.6", "37.2", "-o", str(out)]) == 0
    capsys.readouterr()
    assert run(["dem", "info", str(out)]) == 0
    data = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("data:")]
    assert len(data) == 1 and "GEBCO_2023" in data[0] and '15"' in data[0], data
    doc = _json(capsys, ["dem", "info", str(out), "--json"])
    assert [s["name"] for s in doc["data_sources"]] == ["GEBCO_2023 (SRTM15+ v2.5.5)"]


def test_python_dash_m_wakhan_runs_the_cli():
    """`python3 -m wakhan` is how many users start a tool installed in a venv whose scripts are not on PATH;
    it said "No module named wakhan.__main__". It must be the `wakhan` command: same version, same exit codes."""
    import subprocess
    import sys

    from clirun import env

    import wakhan

    ok = subprocess.run([sys.executable, "-m", "wakhan", "--version"], env=env(), capture_output=True, text=True)
    assert ok.returncode == 0 and wakhan.__version__ in ok.stdout, ok.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "wakhan", "route", "kabl", "kashgar"], env=env(), capture_output=True, text=True
    )
    assert bad.returncode == 2 and "did you mean Kabul" in bad.stderr and "Traceback" not in bad.stderr, bad.stderr


def test_help_offers_only_values_the_command_accepts(capsys, monkeypatch, tmp_path):
    """`wakhan remoteness --help` showed `--model highway|walking` and then refused highway; `wakhan --help`
    said the `dem` group only inspects rasters, though `dem build` writes the solver's DEM."""
    import re

    monkeypatch.setenv("COLUMNS", "200")
    assert run(["remoteness", "--help"]) == 0
    text = capsys.readouterr().out
    assert re.search(r"--model\s+walking\s", text) and "highway|walking" not in text
    assert run(["remoteness", "--model", "highway", "-o", str(tmp_path / "h.tif")]) == 2
    assert "use --model walking" in capsys.readouterr().err and not (tmp_path / "h.tif").exists()
    assert run(["--help"]) == 0
    dem_line = next(ln for ln in capsys.readouterr().out.splitlines() if re.search(r"\bdem\s{2,}", ln))
    assert "build" in dem_line, dem_line
