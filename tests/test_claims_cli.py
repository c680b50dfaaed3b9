"""`wakhan claims` end to end on the bundled region pack: verdicts, JSON, report, figures, bad input."""

import json
import re

import pytest

from wakhan.cli import run

ROUTE_KEYS = {
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
}
PINNED_VERDICTS = {"altitude": "depends", "depopulated": "not supported", "highway": "supported"}


@pytest.fixture(scope="module")
def claims_run(claims_session):
    """The session's one run of `wakhan claims --json -o DIR` (tests/conftest.py): (JSON, report folder)."""
    return claims_session["doc"], claims_session["out"]


def test_every_claim_has_a_verdict_value_and_data(claims_run):
    doc, _ = claims_run
    assert [c["id"] for c in doc["claims"]] == ["altitude", "depopulated", "highway"]
    for c in doc["claims"]:
        assert set(c) >= {"id", "statement", "verdict", "value", "unit", "details"}
        assert c["verdict"] == PINNED_VERDICTS[c["id"]], c["id"]  # the headline verdicts (see test_headline.py)
        assert c["value"] is not None and c["reason"]
    names = " ".join(d["name"] for d in doc["data_sources"])
    assert "GEBCO" in names and "GLOBE" in names and "Natural Earth" in names and "GHS" in names
    assert doc["definitions"]["corridor"] and doc["definitions"]["depopulated"]


def test_routes_carry_the_route_json_keys_and_respect_the_borders(claims_run):
    doc, _ = claims_run
    routes = {r["id"]: r for r in doc["routes"]}
    assert set(routes) == {
        "wakhan-highway",
        "existing-road",
        "karakoram-highway",
        "unconstrained",
        "infiltration",
        "wakhan-highway-all-season",  # issue 19: the all-season variant
    }
    for r in routes.values():
        assert ROUTE_KEYS <= set(r)
    wakhan = routes["wakhan-highway"]
    assert set(wakhan["countries_km"]) <= {"CN", "AF"}
    wakhjir = [p for p in wakhan["passes"] if p["name"] == "Wakhjir Pass"]
    assert wakhjir, "the Wakhan highway route must cross the Wakhjir Pass"
    walk = routes["infiltration"]
    assert set(walk["countries_km"]) <= {"AF", "CN"} and "CN" in walk["countries_km"]
    assert walk["walking_hours"] == pytest.approx(walk["cost"] / 3600, rel=1e-3)
    kkh = routes["karakoram-highway"]
    assert "PK" in kkh["countries_km"]
    # the claim's headline numbers are the route's numbers
    highway = next(c for c in doc["claims"] if c["id"] == "highway")
    assert highway["value"] == pytest.approx(wakhan["length_km"])
    # the existing-road variant passes through the Afghan road's towns and stays in CN+AF
    road = routes["existing-road"]
    assert set(road["countries_km"]) <= {"CN", "AF"}
    # through the Salang tunnel (a fixed edge between its portals), not over the Salang Pass (issue 19)
    names = [w["name"] for w in road["waypoints"]]
    assert names[-4:] == ["Salang Tunnel north portal", "Salang Tunnel south portal", "Charikar", "Kabul"]
    assert "Salang Pass" not in names
    salang = [t for t in road["tunnels"] if t.get("existing") == "Salang Tunnel"]
    assert len(salang) == 1 and salang[0]["length_km"] == pytest.approx(2.67)
    assert {"Faizabad", "Taloqan", "Kunduz", "Pul-i-Khumri"} <= {w["name"] for w in road["waypoints"]}


def test_highway_routes_carry_the_engineering_keys(claims_run):
    doc, _ = claims_run
    highway = next(c for c in doc["claims"] if c["id"] == "highway")
    d = highway["details"]
    assert d["design_grade_pct"] == 7.0 and d["rules"]
    assert d["cost_usd"]["low"] < d["cost_usd"]["high"]
    # every crossing above 4,000 m is a pass of the route, and the Wakhjir Pass is among them
    assert all(c["elevation_m"] > 4000 for c in d["crossings"])
    assert "Wakhjir Pass" in [c["name"] for c in d["crossings"]]
    assert set(d["routes"]) == {
        "wakhan-highway",
        "existing-road",
        "karakoram-highway",
        "unconstrained",
        "wakhan-highway-all-season",
    }
    # the existing road is also priced as an upgrade, which costs less than building it new
    road = d["routes"]["existing-road"]
    assert road["cost_usd_as_upgrade"]["high"] < road["cost_usd"]["high"]
    # re-solved at other design grades: a gentler grade needs more switchbacks
    sens = d["design_grade_sensitivity"]
    assert set(sens) == {"6", "8"}
    assert sens["6"]["wakhan-highway"]["switchback_km"] > sens["8"]["wakhan-highway"]["switchback_km"]
    for r in (r for r in doc["routes"] if r["id"] != "infiltration"):
        assert {"design_grade_pct", "built_length_km", "switchback_km", "hairpins", "tunnels", "cost_usd"} <= set(r)
        # built length = route length + development; the switchback sections build more than their length
        assert r["built_length_km"] == pytest.approx(r["length_km"] + r["development_km"], abs=0.01)
        assert r["switchback_km"] <= r["length_km"] and r["max_built_grade_pct"] <= 7.0 + 1e-6
        assert sum(b["low"] for b in r["cost_usd"]["breakdown"]) == pytest.approx(r["cost_usd"]["low"], rel=0.01)


def test_highway_claim_states_winter_avalanches_and_the_all_season_road(claims_run):
    # issue 19: closed months on each high crossing, avalanche km on each highway route, an all-season variant
    # whose tunnels take the road under every closing crossing, and a verdict that names both roads' costs
    doc, _ = claims_run
    highway = next(c for c in doc["claims"] if c["id"] == "highway")
    d = highway["details"]
    # a crossing on a road kept open all year (the G314 to Tashkurgan) closes 0 months, and says why
    assert all(0.0 < c["closed_months"] <= 12.0 or c.get("closure_reason") for c in d["crossings"])
    routes = d["routes"]
    for key in ("wakhan-highway", "existing-road", "karakoram-highway", "wakhan-highway-all-season"):
        assert routes[key]["avalanche_exposed_km"] >= 0.0
        assert "tunnel" in {row["item"] for row in routes[key]["cost_usd"]["breakdown"]}
    allseason = routes["wakhan-highway-all-season"]
    bores = [t for t in allseason["tunnels"] if t.get("all_season")]
    assert bores and all(t["portal_a"]["elevation_m"] <= 3400.0 + 1e-6 for t in bores)
    assert "Wakhjir Pass" in {name for t in bores for name in t["replaces"]}
    assert allseason["max_elevation_m"] < routes["wakhan-highway"]["max_elevation_m"]
    assert allseason["cost_usd"]["low"] > routes["wakhan-highway"]["cost_usd"]["low"]
    assert "all-season" in allseason["name"] and "all-season road" in highway["reason"]
    assert "seasonal road costs" in highway["reason"] and "winter" in d["rules"]


def test_altitude_area_reading_is_above_route_reading(claims_run):
    doc, _ = claims_run
    c = next(c for c in doc["claims"] if c["id"] == "altitude")
    area = c["details"]["area"]["wakhan"]
    along = c["details"]["routes"]["wakhan"]["wakhan-highway"]
    # the valleys roads follow are lower than the area's mean: the reason the readings differ
    assert along["mean_elevation_m"] < area["mean_m"]
    assert 0.0 <= area["share_above_m"]["4000"] <= 1.0
    # an independent, coarser DEM (NOAA GLOBE 30") gives nearly the same area mean
    other = c["details"]["area_other_dem"]["wakhan"]
    assert "GLOBE" in other["data"]
    assert abs(other["mean_m"] - area["mean_m"]) < 100


def test_depopulated_gaps_are_no_longer_than_their_routes(claims_run):
    doc, _ = claims_run
    c = next(c for c in doc["claims"] if c["id"] == "depopulated")
    lengths = c["details"]["route_lengths_km"]
    for key, rows in c["details"]["gaps"].items():
        buffers = sorted({r["buffer_km"] for r in rows})
        assert buffers == [2.0, 5.0, 10.0, 20.0]
        for r in rows:
            assert 0.0 <= r["length_km"] <= lengths[key] + 1e-6
        by_buffer = {r["buffer_km"]: r["length_km"] for r in rows}
        assert by_buffer[20.0] <= by_buffer[2.0]  # a wider buffer never lengthens the longest gap


def test_report_numbers_match_the_json_and_figures_exist(claims_run):
    doc, out = claims_run
    on_disk = json.loads((out / "claims.json").read_text())
    assert [c["verdict"] for c in on_disk["claims"]] == [c["verdict"] for c in doc["claims"]]
    text = (out / "report.md").read_text()
    for c in doc["claims"]:
        assert f"**{c['verdict']}**" in text
        assert f"{c['value']:,.0f} {c['unit']}" in text
    for r in doc["routes"]:
        assert f"{r['length_km']:,.0f} km" in text
    pngs = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    # one profile per route (6, the all-season one too), the map, and the remoteness surface (issue 20)
    assert "map.png" in pngs and "remoteness.png" in pngs and len(pngs) == 8
    for name in pngs:
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from wakhan.route.files import read_route

    back = read_route(out / "route_wakhan_highway.geojson")
    wakhan = next(r for r in doc["routes"] if r["id"] == "wakhan-highway")
    assert back.summary.terrain.length_km == pytest.approx(wakhan["length_km"], rel=1e-3)
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")], "temporary files left behind"


def test_corrupt_settlement_file_fails_cleanly(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("this,is\nnot,a settlement table\n")
    out = tmp_path / "out"
    assert run(["claims", "--settlements", str(bad), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and err.count("\n") == 1
    assert not out.exists()


def test_shared_settlements_are_flagged_where_they_lack_coverage(settlements_csv, capsys):
    status = run(["claims", "--json", "--settlements", "ghs", "--settlements", f"wof:{settlements_csv}"])
    assert status == 0
    doc = json.loads(capsys.readouterr().out)
    c = next(c for c in doc["claims"] if c["id"] == "depopulated")
    sources = {s["name"] for s in doc["definitions"]["settlement_sources"]}
    assert len(sources) == 3  # GHS, WOF and both together
    wof_rows = [r for r in c["details"]["gaps"]["wakhan-highway"] if r["source"].startswith("Who's On First")]
    # Who's On First has no Chinese places: its gaps on the Kashgar side run through China uncounted
    assert any(r["coverage_limited"] and "CN" in r["uncovered_countries"] for r in wof_rows)
    combined = [r for rows in c["details"]["gaps"].values() for r in rows if "+" in r["source"]]
    assert combined and not any(r["coverage_limited"] for r in combined)


def test_unwritable_report_folder_fails_before_the_analysis(tmp_path, capsys):
    target = tmp_path / "missing" / "report"
    assert run(["claims", "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert str(target) in err and "-o" in err and err.count("\n") == 1
    assert not target.parent.exists()
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    assert run(["claims", "-o", str(blocker)]) == 2
    assert "it is a file" in capsys.readouterr().err


def test_report_is_citable_and_says_each_reason_once(claims_run):
    import wakhan
    from wakhan.report.citations import ARTICLE

    doc, out = claims_run
    text = (out / "report.md").read_text()
    for c in doc["claims"]:
        assert text.count(c["reason"]) == 1, c["id"]  # the reason once, under its claim
    assert "Xiao Bin" in text and ARTICLE["title"] in text and "3 August 2021" in text
    assert f"wakhan {wakhan.__version__}" in text and "How to cite this report" in text
    assert "doi:10.5285/f98b053b-0cbc-6c23-e053-6c86abc0af7b" in text  # GEBCO_2023
    assert str(out) not in text and str(out) not in (out / "report.html").read_text()  # no local path
    for line in text.splitlines():  # tables hold short cells: numbers, names, definitions in brief
        if line.startswith("|"):
            assert all(len(cell) < 160 for cell in line.split("|")), line


def test_report_html_in_a_real_headless_browser(claims_run, tmp_path):
    """report.html loads in Chromium with no console error and no request leaving the page;
    every figure of report.md (map and profiles) is decoded and shown."""
    from headless_browser import find_chromium, load_page

    chromium = find_chromium()
    if chromium is None:
        pytest.skip("no Chromium on PATH (Debian package 'chromium'; .ci/run installs it when it can)")
    _, out = claims_run
    page = load_page(chromium, out / "report.html", tmp_path / "profile")
    assert page.console_errors == [] and page.exceptions == [] and page.failed_requests == []
    assert [u for u in page.requests if not u.startswith("data:")] == [(out / "report.html").resolve().as_uri()]
    shown_in_markdown = (out / "report.md").read_text(encoding="utf-8").count("![")
    assert shown_in_markdown >= 5 and len(page.images) == shown_in_markdown  # map + one profile per route
    for natural_w, natural_h, shown_w, shown_h in page.images:
        assert natural_w > 500 and natural_h > 300 and shown_w > 300 and shown_h > 100
    assert "How to cite this report" in page.text and "Map of the routes tested" in page.text
    assert page.screenshot[:8] == b"\x89PNG\r\n\x1a\n"
    (tmp_path / "report_screenshot.png").write_bytes(page.screenshot)


def test_verdict_table_rows_give_a_reason_and_sources_are_links(claims_run, tmp_path):
    """report.md's verdict table gives each row (the "depends" one too) a one-line reason with the claim's value;
    report.html makes every source URL and DOI a link (HTML parser; Chromium as well when present)."""
    from test_report_html import check_every_source_is_a_link

    doc, out = claims_run
    text = (out / "report.md").read_text()
    table = text.split("## Verdicts", 1)[1].split("\n\n")[1].splitlines()
    assert table[0].split("|")[1:-1][-1].strip() == "why, in one line"
    for c, line in zip(doc["claims"], table[2:]):
        why = line.split("|")[-2].strip()
        assert why and f"{c['value']:,.0f}" in why and len(why) <= 150, (c["id"], why)
    assert len(table) == 2 + len(doc["claims"])
    links = check_every_source_is_a_link((out / "report.html").read_text(encoding="utf-8"), tmp_path)
    assert "https://doi.org/10.5285/f98b053b-0cbc-6c23-e053-6c86abc0af7b" in {h for h, _ in links}  # GEBCO_2023


def test_json_names_every_file_the_report_wrote(claims_run):
    """README: every --json names each file written; `claims -o DIR --json` named none. Checked against the
    folder itself: each file in it listed once, with its size on disk."""
    doc, out = claims_run
    listed = {w["path"]: w for w in doc["written"]}
    on_disk = {str(p): p for p in out.iterdir() if p.is_file()}
    assert set(listed) == set(on_disk) and len(listed) == len(doc["written"])
    assert {"report.md", "report.html", "claims.json"} <= {p.name for p in on_disk.values()}
    for path, w in listed.items():
        assert w["bytes"] == on_disk[path].stat().st_size and w["format"] == on_disk[path].suffix.lstrip(".")


def test_report_route_files_are_named_as_compare_names_them(claims_run):
    """`claims -o` wrote the all-season route as route_wakhan-highway-all-season.geojson (the only hyphens)
    and `compare -o` the existing-road route as route_existing_road.geojson, though compare's help promised the
    claims' names: the same route gets the same file name from both (compare's list: tests/test_cli_route.py)."""
    _, out = claims_run
    names = {p.name for p in out.iterdir() if p.name.startswith("route_")}
    compare_names = {
        "route_wakhan_highway.geojson",
        "route_existing_afghan_road.geojson",
        "route_karakoram_highway.geojson",
        "route_unconstrained.geojson",
        "route_wakhan_highway_all_season.geojson",
    }
    assert compare_names <= names, sorted(names)
    assert "route_wakhan_highway_all_season_profile.png" in names and not [n for n in names if "-" in n], sorted(names)
