"""`wakhan route / profile / map / compare` on the bundled region pack, and every bad input."""

import json
import re

import numpy as np
import pytest

from wakhan.cli import run
from wakhan.places import resolve
from wakhan.route.files import read_route

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def wakhan_route(tmp_path_factory):
    out = tmp_path_factory.mktemp("route") / "r.geojson"
    assert run(["route", "kashgar", "kabul", "--via", "wakhjir pass", "--within", "CN,AF", "-o", str(out)]) == 0
    return out


def test_route_stays_in_cn_af_and_crosses_wakhjir(wakhan_route):
    from wakhan.borders import country_at

    r = read_route(wakhan_route)
    codes = set(country_at(r.profile.lon, r.profile.lat))
    assert codes <= {"CN", "AF"}
    assert set(r.summary.terrain.countries_km) == {"CN", "AF"}
    wakhjir = resolve("wakhjir pass")
    from wakhan.places import haversine_km as distance_km

    assert distance_km(wakhjir.lon, wakhjir.lat, r.profile.lon, r.profile.lat).min() < 5.0
    assert any(p["name"] == "Wakhjir Pass" for p in r.summary.terrain.passes)
    # the written numbers agree with the written profile
    s = r.summary
    assert s.terrain.length_km == pytest.approx(r.profile.distance_km[-1], abs=0.01)
    assert s.terrain.max_elevation_m == pytest.approx(np.nanmax(r.profile.elevation_m), abs=0.1)
    assert sum(s.terrain.countries_km.values()) == pytest.approx(s.terrain.length_km, abs=0.1)
    assert [w["name"] for w in s.terrain.waypoints] == ["Kashgar", "Wakhjir Pass", "Kabul"]
    assert s.provenance.data_sources and s.provenance.grid["resolution"]


def test_route_json_on_stdout(capsys, tmp_path):
    code = run(["route", "tashkurgan", "wakhjir pass", "--within", "CN,AF", "--json", "-o", str(tmp_path / "t.gpx")])
    assert code == 0
    cap = capsys.readouterr()
    data = json.loads(cap.out)
    # the JSON is the route's summary; the file written is named on stderr, as without --json (it was named nowhere)
    assert cap.err.splitlines() == [f"wrote {tmp_path / 't.gpx'}"]
    for key in (
        "name",
        "length_km",
        "min_elevation_m",
        "mean_elevation_m",
        "max_elevation_m",
        "km_above_4000m",
        "climb_m",
        "descent_m",
        "max_grade_pct",
        "passes",
        "countries_km",
        "geometry",
        "data_sources",
        "optimality_gap_pct",
        "optimality_bound",
    ):
        assert key in data
    assert data["geometry"]["type"] == "LineString"
    back = read_route(tmp_path / "t.gpx")
    assert back.summary.terrain.length_km == data["length_km"]


def test_profile_and_map_draw_from_the_file(wakhan_route, tmp_path):
    assert run(["profile", str(wakhan_route), "-o", str(tmp_path / "p.png"), "--shade", "450:600:test"]) == 0
    assert run(["map", str(wakhan_route), "-o", str(tmp_path / "m.png")]) == 0
    for name in ("p.png", "m.png"):
        assert (tmp_path / name).read_bytes()[:8] == PNG
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.png", "p.png"]


def test_compare_table(capsys, tmp_path):
    out = tmp_path / "compare"  # does not exist yet: compare -o creates it, as claims -o does
    assert run(["compare", "--json", "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "map.png",
        "route_existing_afghan_road.geojson",
        "route_karakoram_highway.geojson",
        "route_unconstrained.geojson",
        "route_wakhan_highway.geojson",
        "route_wakhan_highway_all_season.geojson",  # issue 19: the all-season variant
    ]
    data = json.loads(capsys.readouterr().out)
    names = [r["name"] for r in data["routes"]]
    assert len(names) == 5 and "Wakhjir" in names[0] and "existing Afghan road" in names[1] and "Khunjerab" in names[2]
    assert "all-season" in names[4]
    wakhan, road, kkh, free, allseason = data["routes"]
    # the existing road goes through the Salang tunnel (a fixed edge), and the all-season road stays lower
    assert any(t.get("existing") == "Salang Tunnel" for t in road["tunnels"])
    assert allseason["max_elevation_m"] < wakhan["max_elevation_m"]
    assert set(road["countries_km"]) <= {"CN", "AF"}
    assert set(wakhan["countries_km"]) <= {"CN", "AF"}
    assert "PK" in kkh["countries_km"]
    assert free["cost"] <= min(wakhan["cost"], kkh["cost"]) + 1e-6  # the optimum is no dearer


@pytest.mark.parametrize(
    "args, message",
    [
        (["route", "kashgr", "kabul"], "unknown place"),
        (["route", "10,10", "kabul"], "outside"),
        (["route", "kashgar", "kabul", "--within", "CN,PK"], "outside --within"),
        (["route", "kashgar", "kabul", "--avoid", "AF"], "--avoid"),
        (["route", "tashkurgan", "wakhjir pass", "--max-grade", "2"], "gentlest possible crossing"),
        (["route", "kashgar", "kabul", "--within", "XX"], "unknown country code"),
        (["route", "kashgar", "kabul", "--neighbours", "12"], "neighbours"),
        (["route", "kashgar", "kabul", "--gap-pct", "0"], "--gap-pct"),
        (["route", "kashgar", "kabul", "--gap-pct", "-1"], "--gap-pct"),
        (["route", "kashgar", "kabul", "--resolution", "-90"], "resolution"),
        (["route", "kashgar", "kabul", "-o", "OUT/missing/r.geojson"], "does not exist"),
        (["route", "kashgar", "kabul", "-o", "OUT/r.dxf"], "format"),
        (["accumulate", "kashgar", "-o", "OUT/a.png"], "format"),
        (["corridor", "kashgar", "kabul", "-o", "OUT/c.tif", "--within-pct", "-1"], "--within-pct -1.0 must be"),
        (["profile", "OUT/none.geojson", "-o", "OUT/p.png"], "does not exist"),
        (["profile", "OUT/none.geojson", "-o", "OUT/p.jpg"], "format"),
        (["route", "kashgar", "tashkurgan", "--design-grade", "0"], "design grade 0"),
        (["route", "kashgar", "tashkurgan", "--design-grade", "-2"], "design grade -2"),
        (["route", "kashgar", "tashkurgan", "--design-grade", "14", "--max-grade", "12"], "above the hard grade limit"),
        (["route", "kashgar", "tashkurgan", "--tunnels", "--max-tunnel-km", "0"], "--max-tunnel-km 0"),
        (["route", "tashkurgan", "wakhjir pass", "--max-elevation", "2000"], "below every waypoint"),
        (["route", "kashgar", "tashkurgan", "--max-elevation", "2500"], "above --max-elevation"),
        (["route", "kashgar", "tashkurgan", "--roads", "OUT/none.geojson"], "no such file"),
        (["route", "kashgar", "tashkurgan", "--model", "walking", "--tunnels"], "highway model only"),
        (["route", "kashgar", "tashkurgan", "--model", "walking", "--design-grade", "7"], "highway model only"),
        (["route", "kashgar", "tashkurgan", "--roads", "ROADS_POINTS"], "holds no lines"),
        (["route", "kashgar", "tashkurgan", "--roads", "ROADS_GARBAGE"], "could not be read"),
    ],
)
def test_bad_input_exits_2_without_output(tmp_path, capsys, args, message, tmp_path_factory):
    inputs = tmp_path_factory.mktemp("roads")
    (inputs / "points.geojson").write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [75.5, 38.5]}}
                ],
            }
        )
    )
    (inputs / "garbage.gpkg").write_bytes(b"not a geopackage at all")
    args = [
        a.replace("ROADS_POINTS", str(inputs / "points.geojson"))
        .replace("ROADS_GARBAGE", str(inputs / "garbage.gpkg"))
        .replace("OUT", str(tmp_path))
        for a in args
    ]
    assert run(args) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1  # one sentence, no traceback
    assert list(tmp_path.iterdir()) == []


def test_a_resolution_too_fine_for_memory_exits_2_with_the_size_needed(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("WAKHAN_MEMORY_GB", "0.5")
    out = tmp_path / "r.geojson"
    assert (
        run(
            [
                "route",
                "kashgar",
                "kabul",
                "--via",
                "wakhjir pass",
                "--within",
                "CN,AF",
                "--resolution",
                "90",
                "-o",
                str(out),
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "needs about" in err and "use --resolution" in err and err.count("\n") == 1
    assert not out.exists()


@pytest.mark.parametrize(
    "args, names, not_named",
    [
        # an island in Karakul (GHS-WUP: land cells ringed by its water class): the lakes cut it off
        (
            ["route", "39.066,73.426", "39.2,73.2", "--buffer-km", "10"],
            ["off the lakes", "--cross-water"],
            ["--max-elevation"],
        ),
        # Tashkurgan (3,094 m) lies beyond ridges above 3,100 m from Kashgar: the ceiling cuts the leg, not the lakes
        (
            ["route", "kashgar", "tashkurgan", "--max-elevation", "3100"],
            ["below --max-elevation 3100 m", "--tunnels"],
            ["lakes"],
        ),
        # the near-optimal corridor from the island: the same diagnosis (corridor takes no --via)
        (
            ["corridor", "39.066,73.426", "39.2,73.2", "--buffer-km", "10"],
            ["off the lakes", "--cross-water"],
            ["--via"],
        ),
        (
            ["corridor", "kashgar", "tashkurgan", "--max-grade", "3"],
            ["grade limit of 3 %", "at least", "(--max-grade "],
            ["max_grade_pct"],
        ),
    ],
)
def test_a_barrier_that_cuts_a_leg_is_named_with_its_option(tmp_path, capsys, args, names, not_named):
    """The failure names the limit that cuts the route and how to relax it, not the solver's cell indices."""
    out = tmp_path / ("r.geojson" if args[0] == "route" else "c.tif")
    assert run([*args, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "barrier mask" not in err and not re.search(r"\(\d+, \d+\)", err), err  # no cell indices
    assert not any(w in err for w in not_named), err
    assert all(w in err for w in names), err
    assert not out.exists()


def test_the_island_waypoint_is_reachable_with_the_option_the_error_names(tmp_path):
    out = tmp_path / "r.geojson"
    assert run(["route", "39.066,73.426", "39.2,73.2", "--buffer-km", "10", "--cross-water", "-o", str(out)]) == 0
    assert out.exists()


@pytest.mark.parametrize("value", ["-3", "0", "nan"])
@pytest.mark.parametrize("command", [["route", "kashgar", "tashkurgan"], ["accumulate", "kashgar"]])
def test_a_grade_limit_that_is_not_a_positive_percentage_names_the_option(command, value, tmp_path, capsys):
    """--max-grade -3 is refused as '--max-grade', the option the user typed, not as an internal parameter name."""
    out = tmp_path / ("r.geojson" if command[0] == "route" else "a.tif")
    assert run([*command, f"--max-grade={value}", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"--max-grade {value}" in err and "max_grade_pct" not in err, err
    assert not out.exists()


def test_plan_options_refuse_a_negative_grade_limit_before_any_work():
    from wakhan.errors import InputError
    from wakhan.plan.options import PlanOptions

    with pytest.raises(InputError, match="--max-grade -2, or max_grade_pct=-2 in Python, must be a positive grade"):
        PlanOptions(max_grade_pct=-2)


@pytest.mark.parametrize(
    "args",
    [
        ["route", "34.9,66.9", "kabul"],  # west of the pack (67.5-77E)
        ["route", "37.5,71.5", "kabul", "--within", "CN"],  # in Afghanistan
        ["accumulate", "34.9,66.9", "-o", "OUT/a.tif"],
    ],
)
def test_a_lat_lon_waypoint_is_named_once_in_its_error(args, capsys, tmp_path):
    """A LAT,LON waypoint is its own name: the message gives it once, not '10.00000,10.00000 (10.0000,10.0000)'."""
    assert run([a.replace("OUT", str(tmp_path)) for a in args]) == 2
    err = capsys.readouterr().err
    lat, lon = (float(v) for v in args[1].split(","))
    assert err.count(f"{lat:.4f}") == 1 and err.count("\n") == 1, err


@pytest.mark.parametrize(
    "args",
    [
        ["route", "kashgar", "kashgar"],
        ["route", "kashgar", "kabul", "--via", "kabul"],
        ["route", "37.1,74.5", "37.1,74.5"],
        ["corridor", "kashgar", "kashgar"],
    ],
)
def test_the_same_place_twice_in_a_row_is_refused_before_any_work(args, tmp_path, capsys, monkeypatch):
    """No resolution parts a point from itself, so '--resolution' is no fix: the message says drop one,
    and no DEM is built (the check runs before it)."""
    import wakhan.plan.waypoints as waypoints

    def no_dem(*a, **k):
        raise AssertionError("a DEM was built")

    monkeypatch.setattr(waypoints, "waypoint_grid", no_dem)
    out = tmp_path / ("r.geojson" if args[0] == "route" else "c.tif")
    assert run([*args, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "twice in a row" in err and "--resolution" not in err, err
    assert not out.exists()


@pytest.mark.parametrize(
    "args, option, fix",
    [
        (["route", "kashgar", "tashkurgan", "--buffer-km", "-5"], "--buffer-km -5", "e.g. --buffer-km"),
        (["route", "kashgar", "tashkurgan", "--resolution", "0"], "--resolution 0", "e.g. --resolution"),
        (["dem", "build", "--bbox", "74", "36.5", "75", "37.5", "--resolution", "-3"], "--resolution -3", "e.g."),
    ],
)
def test_an_out_of_range_number_names_its_option_and_a_value_that_works(args, option, fix, tmp_path, capsys):
    """A negative margin is not fixed by 'a smaller margin', and 'resolution 0.0 m' names no option."""
    out = tmp_path / ("r.geojson" if args[0] == "route" else "d.tif")
    assert run([*args, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and option in err and fix in err and "smaller margin" not in err, err
    assert not out.exists()


@pytest.mark.parametrize("pad", ["-5", "-1000", "nan"])
def test_a_negative_map_margin_is_refused_not_cropped(pad, tmp_path, capsys):
    """`--pad-km -5` drew the map cropped inside the route (its ends off the map) with exit 0, and
    `--pad-km -1000` blamed the route for lying outside the pack: a margin is 0 km or more."""
    route_file = tmp_path / "r.geojson"
    line = {"type": "LineString", "coordinates": [[74.0, 37.0, 4000.0], [74.5, 37.2, 4200.0]]}
    route_file.write_text(json.dumps({"type": "Feature", "properties": {"name": "Test"}, "geometry": line}))
    out = tmp_path / "m.png"
    assert run(["map", str(route_file), "-o", str(out), "--pad-km", pad]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"--pad-km {pad}" in err and "e.g. --pad-km 40" in err, err
    assert "outside the region pack" not in err
    assert not out.exists()


@pytest.mark.parametrize("ext", [".shp", ".fgb"])
def test_a_file_per_layer_route_names_every_layer_file_it_wrote(ext, tmp_path, capsys):
    """`-o r.shp` said only "wrote r.shp", though the passes, places and waypoints went to r_passes.shp...
    and the short-name table to r_fields.csv: the one message names every file a GIS user opens
    (a layer with no features, here the passes of a route ending on its pass, gets no file)."""
    out = tmp_path / f"r{ext}"
    assert run(["route", "tashkurgan", "wakhjir pass", "--within", "CN,AF", "-o", str(out)]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"wrote {out} (+ "), lines
    named = {out.name, *lines[0].split("(+ ", 1)[1].rstrip(")").split(", ")}
    opened = {f.name for f in tmp_path.iterdir() if f.suffix in (ext, ".csv")}  # not the .dbf/.shx/.prj/.cpg parts
    assert named == opened and f"r_waypoints{ext}" in opened, (named, opened)


def test_summary_table_says_the_search_cost_is_not_money(wakhan_route, capsys, monkeypatch):
    """The solver's total (equivalent metres for the highway) sits near the US$ rows: its row says what it is."""
    from wakhan.cli.route_tables import print_summary

    monkeypatch.setenv("COLUMNS", "200")
    summary = read_route(wakhan_route).summary
    print_summary(summary)
    row = next(ln for ln in capsys.readouterr().out.splitlines() if "search cost" in ln)
    assert f"{summary.provenance.cost:,.0f} m" in row and "not money" in row


def test_summary_table_sums_up_the_bridges_and_lists_them_on_request(wakhan_route, capsys, monkeypatch):
    """`wakhan route kashgar kabul --via "wakhjir pass"` printed a row per bridge (65 of them) between the
    route's numbers: by default one row says how many, their total length and cost and the largest;
    `--bridges` (print_summary's ``bridges``) lists each. The numbers are summed here from the route file."""
    from wakhan.cli.route_tables import print_summary

    monkeypatch.setenv("COLUMNS", "250")
    summary = read_route(wakhan_route).summary
    bridges = summary.engineering.bridges
    assert len(bridges) > 10  # the case the summary row is for
    print_summary(summary)
    lines = capsys.readouterr().out.splitlines()
    assert not [ln for ln in lines if ln.startswith("│ bridge ")]
    (row,) = [ln for ln in lines if ln.startswith("│ bridges ")]
    big = max(bridges, key=lambda b: b["length_m"])
    total_m = sum(b["length_m"] for b in bridges)
    assert f"{len(bridges)} bridges, {total_m:,.0f} m in all" in row, row
    assert f"largest {big['length_m']:,.0f} m at {big['lat']:.4f}, {big['lon']:.4f}" in row, row
    print_summary(summary, bridges=True)
    lines = capsys.readouterr().out.splitlines()
    assert len([ln for ln in lines if ln.startswith("│ bridge ")]) == len(bridges)
    assert not [ln for ln in lines if ln.startswith("│ bridges ")]
    assert run(["route", "--help"]) == 0
    assert "--bridges" in capsys.readouterr().out
