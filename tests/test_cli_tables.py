"""The text the CLI prints by default (the `wakhan claims` table, the `compare` table) and the exit
branches of `wakhan claims` that the JSON runs do not reach.

The claims table replays the session's one claims run (conftest.claims_session): run_claims is
replaced by a function returning that result, so the command's own formatting is what is tested.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import rasterio

from wakhan.cli import run


@pytest.fixture
def replay(monkeypatch, claims_session):
    """`wakhan claims` without solving again: run_claims returns the session's result."""
    import wakhan.claims
    import wakhan.cli.claims_commands as commands

    calls = []

    def fake(*args, **kwargs):
        calls.append((args, kwargs))
        return claims_session["result"]

    monkeypatch.setattr(wakhan.claims, "run_claims", fake)
    if hasattr(commands, "run_claims"):
        monkeypatch.setattr(commands, "run_claims", fake)
    return calls


def test_default_claims_table(replay, claims_session, capsys):
    assert run(["claims"]) == 0
    out = capsys.readouterr().out
    doc = claims_session["doc"]
    assert out.startswith("The Wakhan Corridor claims, tested with data")
    assert max(len(line) for line in out.splitlines()) <= 80  # a non-terminal is 80 columns wide
    # one row per claim, in order, each with its verdict and its value in the claim's unit
    flat = " ".join(out.split())
    where = []
    for c in doc["claims"]:
        value = f"{c['value']:,.0f} {c['unit']}"
        assert value in out, value
        where.append(out.index(value))
    assert where == sorted(where)
    rows = re.split(r"\n[├┡].*\n", out)  # rich draws a rule between rows (show_lines=True)
    verdict_rows = [r for r in rows if any(f"{c['value']:,.0f} {c['unit']}" in r for c in doc["claims"])]
    assert len(verdict_rows) == 3
    for c, row in zip(doc["claims"], verdict_rows):
        words = " ".join(cell.strip() for line in row.splitlines() for cell in line.split("│")[2:3])
        assert " ".join(words.split()) == c["verdict"], (c["id"], words)
    # the definitions, the walk, the data and the grid follow the table
    assert "Corridor 'wakhan' (default): AF territory east of 71.65°E" in flat
    inf = doc["infiltration"]
    assert "On foot from Sarhad-e Broghil to the first Chinese settlement" in flat
    assert f"{inf['length_km']:,.0f} km, {inf['walking_hours']:,.1f} h of walking" in flat
    data_line = next(line for line in out.splitlines() if line.startswith("Data: "))
    assert "GEBCO" in flat and "GLOBE" in flat and data_line
    assert "Routes solved on a 464 m" in flat
    assert replay and replay[0][1]["dem"] == "pack" and replay[0][1]["neighbours"] == 16


@pytest.mark.parametrize(
    "args, words",
    [
        (["claims", "--neighbours", "12"], "--neighbours 12 is not supported"),
        (["claims", "--monte-carlo", "-1"], "--monte-carlo -1 must be a number of realizations"),
    ],
)
def test_claims_bad_options_exit_2_with_one_line(replay, args, words, capsys):
    assert run(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and words in err and err.count("\n") == 1


def test_claims_with_a_missing_dem_file_exits_2_before_solving(tmp_path, capsys):
    missing = tmp_path / "nosuch.tif"
    assert run(["claims", "--dem", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and str(missing) in err and err.count("\n") == 1


def test_compare_table_and_output_folder(tmp_path, monkeypatch, capsys):
    """`wakhan compare -o DIR` on a coarse 3 km grid (fast): the text table, then the files it wrote."""
    from pyproj import Geod

    from wakhan.route.files import read_route

    monkeypatch.setenv("COLUMNS", "250")  # room for the 14 columns
    out = tmp_path / "cmp"
    assert run(["compare", "--resolution", "3000", "-o", str(out)]) == 0
    cap = capsys.readouterr()
    text = cap.out
    lines = text.splitlines()
    assert lines[0].startswith("Kashgar to Kabul: routes compared (highway model, one DEM: 3000 m x 3000 m)")
    header = next(ln for ln in lines if "length km" in ln)
    cols = [c.strip() for c in header.split("┃")[1:-1]]
    assert cols[:3] == ["route", "countries (km)", "length km"] and cols[-1] == "US$ bn"
    rows = []  # a cell that folds continues on the next lines; a new row starts with a length
    for ln in (ln for ln in lines if ln.startswith("│")):
        cells = [c.strip() for c in ln.split("│")[1:-1]]
        if cells[2] or not rows:
            rows.append(cells)
        else:
            rows[-1] = [" ".join(f"{a} {b}".split()) for a, b in zip(rows[-1], cells)]
    assert [r[0].split(":")[0] for r in rows] == [
        "Wakhan",
        "Wakhan + existing Afghan road",
        "Karakoram Highway alignment",
        "Unconstrained optimum (any country, no via)",
        "Wakhan + existing Afghan road",  # issue 19: the all-season variant, through the Salang tunnel
    ]
    assert "all-season" in rows[-1][0]
    assert "add --tunnels for its exact options" in text  # compare's default differs from the claims' here
    assert "GEBCO" in next(ln for ln in lines if ln.startswith("data: "))
    files = [
        "route_wakhan_highway.geojson",
        "route_existing_afghan_road.geojson",
        "route_karakoram_highway.geojson",
        "route_unconstrained.geojson",
        "route_wakhan_highway_all_season.geojson",
    ]
    assert "wrote" not in text  # messages about files go to stderr; stdout holds the table
    assert cap.err.splitlines()[-1] == f"wrote {', '.join(files)} and map.png into {out}"
    assert sorted(p.name for p in out.iterdir()) == sorted(files + ["map.png"])
    geod = Geod(ellps="WGS84")
    for row, name in zip(rows, files):
        summary = read_route(out / name).summary
        # the table shows the file's route: same length, same countries
        assert row[2] == f"{summary.terrain.length_km:,.0f}"
        assert set(re.findall(r"\b([A-Z]{2}) [\d,]+", row[1])) == set(summary.terrain.countries_km)
        # independent bound: no route is shorter than the geodesic through its waypoints
        wps = summary.terrain.waypoints
        straight = sum(geod.inv(a["lon"], a["lat"], b["lon"], b["lat"])[2] for a, b in zip(wps, wps[1:])) / 1000
        assert summary.terrain.length_km >= straight * 0.99, name  # 1 %: waypoints snap to 3 km cell centres
    countries = [set(re.findall(r"\b([A-Z]{2}) [\d,]+", r[1])) for r in rows]
    assert countries[0] <= {"CN", "AF"} and countries[1] <= {"CN", "AF"} and "PK" in countries[2]


def test_compare_table_on_a_narrow_terminal_has_one_column_per_route(monkeypatch, capsys):
    """At 80 columns the 14 quantities cannot stand side by side (each cell would fold to 3 letters):
    the table turns, one row per quantity and one column per route, and the lengths match the JSON."""
    import json

    monkeypatch.setenv("COLUMNS", "80")
    assert run(["compare", "--resolution", "3000"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert all(len(ln) <= 80 for ln in lines if ln[:1] in "┏┃┡│└")  # the table fits; prose lines may wrap
    length_row = next(ln for ln in lines if ln.startswith("│ length km"))
    lengths = [c.strip() for c in length_row.split("│")[1:-1]][1:]
    assert run(["compare", "--resolution", "3000", "--json"]) == 0
    routes = json.loads(capsys.readouterr().out)["routes"]
    assert lengths == [f"{r['length_km']:,.0f}" for r in routes]
    # the columns are headed by the routes' numbers, on one line: route names as headers folded into
    # fragments ("Karakor / am / Highway / alignme / nt:"), 19 header lines at 80 columns
    header = [ln for ln in lines if ln.startswith("┃")]
    assert [c.strip() for c in header[0].split("┃")[1:-1]] == ["quantity", *map(str, range(1, len(routes) + 1))]
    # a second table names each number's route, whole: its lines joined give the summary's name
    names: dict[int, str] = {}
    n = 0
    for ln in lines[lines.index(next(ln for ln in lines if ln.startswith("routes (the columns above)"))) :]:
        if ln.startswith("│"):
            cells = [c.strip() for c in ln.split("│")[1:-1]]
            n = int(cells[0]) if cells[0] else n
            names[n] = f"{names.get(n, '')} {cells[1]}".strip()
    assert names == {i: r["name"] for i, r in enumerate(routes, start=1)}
    assert all(len(ln) <= 80 for ln in lines if ln[:1] in "┏┃┡│└")
    for quantity in ("max m", "km > 4000 m", "search cost (m)", "switchback km", "US$ bn"):
        assert any(ln.startswith(f"│ {quantity}") for ln in lines), quantity


@pytest.mark.slow
def test_run_claims_on_a_geotiff_dem(tmp_path):
    """`run_claims` on a raster path instead of the pack: a 2 km GeoTIFF built from the pack's terrain.
    The terrain is the same, only coarser, so the verdicts must not change and the numbers stay
    within what 2 km averaging can move them (reasons inline)."""
    from pyproj import Geod

    from wakhan.claims import run_claims
    from wakhan.dem import build_dem

    path = tmp_path / "dem2000.tif"
    grid = build_dem((68.5, 34.0, 77.0, 40.0), resolution_m=2000)
    # a plain GeoTIFF, as a user would bring (no wakhan provenance tags naming GEBCO/GLOBE)
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=grid.width,
        height=grid.height,
        count=1,
        dtype="float32",
        crs=grid.crs,
        transform=grid.transform,
        nodata=np.nan,
    ) as ds:
        ds.write(grid.array.astype("float32"), 1)
    result = run_claims(["ghs"], dem=str(path))
    assert {c.id: c.verdict for c in result.claims} == {
        "altitude": "depends",
        "depopulated": "not supported",
        "highway": "supported",
    }
    # Area mean: the hand computation on the 15" cells gives 4,522 m (test_headline.py); averaging them
    # into 2 km cells keeps the mean of the interior and changes only which border cells count: 60 m.
    assert result.claim("altitude").value == pytest.approx(4522, abs=60)
    # every route says which file its heights came from, and at what resolution
    for key, r in result.routes.items():
        grid = r.summary.provenance.grid
        assert grid["resolution"] == "2000 m x 2000 m", key
        assert any(path.name in note for note in grid["notes"]), key
    # and the claims' data sources cite the user's file beside the pack (whose grids the area statistics read)
    cited = [d["name"] for d in result.data_sources]
    assert path.name in cited and any("GEBCO" in c for c in cited), cited
    # the highway is no shorter than the geodesic Kashgar - Wakhjir Pass - Kabul (852.9 km)
    geod = Geod(ellps="WGS84")
    straight = (
        geod.inv(75.9898, 39.4704, 74.4842, 37.0872)[2] + geod.inv(74.4842, 37.0872, 69.1783, 34.5253)[2]
    ) / 1000
    # with the existing highways priced as upgrades (issue 19) the route may follow the existing Afghan road:
    # the detour is then measured against the geodesic through its towns (Sarhad, Ishkashim, Faizabad,
    # Kunduz, Pul-i-Khumri, the Salang), 1,069.6 km by hand
    pts = [(75.9898, 39.4704), (74.4842, 37.0872), (73.44652, 37.00231), (71.57291, 36.70812)]
    pts += [(70.579433, 37.123301), (68.857, 36.72896), (68.71512, 35.94458), (69.03, 35.32), (69.1783, 34.5253)]
    along_road = sum(geod.inv(*a, *b)[2] for a, b in zip(pts, pts[1:])) / 1000
    assert straight * 0.99 <= result.claim("highway").value <= 1.45 * max(straight, along_road)


def test_claims_table_with_monte_carlo_lines(replay, claims_session, monkeypatch, capsys):
    """`wakhan claims --monte-carlo N`: after the table, one line per claim with P(supported) and the
    5-95 % interval, and every failed scenario named. The sweep itself is tested in test_sweep.py;
    here it is replaced by a summary written by hand, so the printed numbers are known."""
    import copy

    import wakhan.sweep.alongside

    unc = {
        "run": {"seconds": 12.3, "workers": 2, "scheduler": "local"},
        "settings": {"seed": 7},
        "scenarios": {
            "finished": 3,
            "requested": 4,
            "failed": [{"index": 2, "seed": 9, "error": "RouteError: no route", "attempts": 3}],
        },
        "claims": {
            "altitude": {
                "probability": {"value": 1.0, "count": 3, "n": 3},
                "interval": {"low": 4490.2, "high": 4551.7, "unit": "m"},
            },
            "depopulated": {
                "probability": {"value": 0.0, "count": 0, "n": 3},
                "interval": {"low": 168.0, "high": 181.4, "unit": "km"},
            },
            "highway": {"probability": {"value": None, "count": 0, "n": 0}, "interval": None},
        },
    }
    seen = {}
    original = claims_session["result"]

    def fake(n, seed, settlements, claims_kw, **kw):
        # the claims and their scenarios run side by side (wakhan.sweep.alongside): both replaced here
        seen.update(n=n, seed=seed, settlements=settlements, **kw)
        result = copy.copy(original)
        result.uncertainty = unc
        return result

    monkeypatch.setattr(wakhan.sweep.alongside, "claims_with_monte_carlo", fake)
    monkeypatch.setitem(claims_session, "result", copy.copy(original))  # the session's result stays as it was
    # a run with a failed scenario prints its tables, then exits 1 naming how many failed (issue 21)
    assert run(["claims", "--monte-carlo", "4", "--seed", "7"]) == 1
    assert original.uncertainty == {}
    cap = capsys.readouterr()
    assert "1 of 4 scenarios failed" in cap.err
    assert seen["n"] == 4 and seen["seed"] == 7 and seen["settlements"] == ["ghs", "geonames500"]  # issue 18
    assert "Monte Carlo: 4 scenarios in 12 s on 2 worker(s) (local)" in " ".join(cap.err.split())
    tail = cap.out.split("Monte Carlo over DEM error:", 1)[1].splitlines()
    assert tail[0].strip() == "3 of 4 scenarios (seed 7)."
    assert tail[1:] == [
        "  altitude: P(supported) = 1.00 (3/3); 5-95 % of the headline value: 4,490-4,552 m",
        "  depopulated: P(supported) = 0.00 (0/3); 5-95 % of the headline value: 168-181 km",
        "  highway: P(supported) = -; 5-95 % of the headline value: -",
        "  FAILED scenario #2 (seed 9): RouteError: no route after 3 attempts",
    ]


def test_every_verdict_row_has_its_one_line_reason(replay, claims_session, capsys, monkeypatch):
    """Each row of the verdict table, "depends" included, says why in one line holding the claim's value."""
    monkeypatch.setenv("COLUMNS", "200")
    assert run(["claims"]) == 0
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if "verdict" in line and "claim" in line)
    assert [c.strip() for c in header.split("┃")[1:-1]] == ["claim", "verdict", "value", "why"]
    rows = re.split(r"\n[├┡].*\n", out)
    doc = claims_session["doc"]
    verdict_rows = [r for r in rows if any(f"{c['value']:,.0f} {c['unit']}" in r for c in doc["claims"])]
    assert len(verdict_rows) == 3
    for c, row in zip(doc["claims"], verdict_rows):
        why = " ".join(" ".join(" ".join(line.split("│")[4:5]) for line in row.splitlines()).split())
        assert why and f"{c['value']:,.0f}" in why, (c["id"], why)
    assert any(c["verdict"] == "depends" for c in doc["claims"])


def test_narrow_compare_table_keeps_each_value_with_its_unit_at_80_columns():
    """At 80 columns rich broke the routes table's list cells inside an item: "Khunjerab Pass 5,014" on one
    line and "m" on the next, "PK" and "128" apart. Expectation from the rendered text alone: every pass
    ("NAME N,NNN m") and every country's length ("XX N") stands whole on one line of its cell, and the
    table is at most 80 characters wide."""
    import io

    from rich.console import Console
    from rich.table import Table

    from wakhan.cli.route_tables import _narrow_tables

    cols = ("route", "countries (km)", "length km", "passes")
    countries = {"AF": 820.0, "CN": 376.0, "PK": 128.0, "TJ": 9.0}
    passes = ["unnamed 3,887 m", "unnamed 4,044 m", "Khunjerab Pass 5,014 m", "unnamed 4,868 m", "unnamed 798 m"]
    rows = [
        [
            "Karakoram Highway alignment: Khunjerab Pass, Gilgit, Peshawar (Pakistan)",
            ", ".join(f"{c} {v:,.0f}" for c, v in countries.items()),
            "1,371",
            ", ".join(passes),
        ]
    ] * 3
    out = io.StringIO()
    console = Console(file=out, width=80, color_system=None)
    for table in _narrow_tables(Table(), cols, rows, [{}] * 3):
        console.print(table)
    lines = out.getvalue().splitlines()
    assert all(len(ln) <= 80 for ln in lines)
    cells = [c.strip() for ln in lines if ln.startswith("│") for c in ln.split("│")[1:-1]]
    for item in passes + [f"{c} {v:,.0f}" for c, v in countries.items()]:
        assert item in cells, item
