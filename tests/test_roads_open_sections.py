"""A user's own ``--roads FILE`` counts for the winter too: its ``open_all_year`` sections are read beside the
bundled ones (a crossing on one is not tunnelled), and a bad section is refused in one sentence naming the
file, exit 2, before any work.

The roads file is hand-built: one LineString from Qala-e Panja (72.58075 E, 37.0007 N) to Sarhad-e Broghil
(73.44652 E, 37.00231 N), two gazetteer places (data/places.csv), the whole road kept open by a made-up source.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from affine import Affine

from wakhan.claims.all_season import all_season_route
from wakhan.claims.case_study import existing_infrastructure
from wakhan.claims.closure import ClosureRule
from wakhan.claims.kept_open import open_sections_of
from wakhan.cli import run
from wakhan.errors import InputError
from wakhan.grid import Grid
from wakhan.route.profile import Profile
from wakhan.route.result import RouteResult
from wakhan.route.summary import RouteSummary

#: Every crossing closes 4 months by this rule, whatever its height: over the 1-month limit.
FOUR_MONTHS = ClosureRule(4.0, 0.0, 0.0, (), (), 0.0, 0.0, 0.0)
SOURCE = "a hand-built test source"
#: The Wakhan road's line from Qala-e Panja to Sarhad-e Broghil (gazetteer coordinates), via 73.0 E 37.0015 N.
WAKHAN_ROAD = [[72.58075, 37.0007], [73.0, 37.0015], [73.44652, 37.00231]]


def _roads_file(path, sections):
    road = {
        "type": "Feature",
        "properties": {"id": "W1", "name": "Wakhan road", "open_all_year": sections},
        "geometry": {"type": "LineString", "coordinates": WAKHAN_ROAD},
    }
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [road]}))
    return path


def _road_over_a_col_on_the_wakhan_road():
    """A 100 km road at 3,000 m over a 4,500 m col at km 50 (73.0 E 37.0015 N, on the roads file's line),
    above 3,400 m from km 39 to 61 (4,500 m - 100 m/km)."""
    d = np.linspace(0.0, 100.0, 101)
    z = np.maximum(3000.0, 4500.0 - 100.0 * np.abs(d - 50.0))
    p = Profile(d, 72.5 + d / 100.0, np.full(d.size, 37.0), z, 500_000.0 + 1000.0 * d, np.full(d.size, 4_100_000.0))
    col = {"name": None, "lat": 37.0015, "lon": 73.0, "elevation_m": 4500.0, "km": 50.0}
    cost = {"low": 1_000e6, "high": 3_000e6, "currency": "USD", "breakdown": [], "basis": "x"}
    s = RouteSummary.of(
        name="r",
        length_km=100.0,
        max_elevation_m=4500.0,
        tunnels=[],
        passes=[col],
        cost_usd=cost,
        # what `wakhan compare`'s table reads besides (not checked here)
        countries_km={"AF": 100.0},
        mean_elevation_m=3200.0,
        climb_m=1500.0,
        descent_m=1500.0,
        km_above_4000m=10.0,
        max_grade_pct=10.0,
        cost="highway",
        cost_unit="s",
    )
    dem = Grid(np.zeros((2, 2), np.float32), Affine(1000.0, 0, 500_000, 0, -1000.0, 4_100_500), "EPSG:32643")
    return RouteResult(s, p, dem)


def test_a_crossing_on_an_open_section_of_the_users_roads_is_not_tunnelled(tmp_path):
    f = _roads_file(tmp_path / "roads.geojson", [{"from": "Qala-e Panja", "to": "Sarhad-e Broghil", "source": SOURCE}])
    sections = open_sections_of(existing_infrastructure(f)["roads"])
    assert [s.name for s in sections] == ["G314 Kashgar - Tashkurgan", "W1 Qala-e Panja - Sarhad-e Broghil"]
    seasonal = _road_over_a_col_on_the_wakhan_road()
    year_round = all_season_route(seasonal, "r", rule=FOUR_MONTHS, open_sections=sections)
    assert [t for t in year_round.summary.engineering.tunnels if t.get("all_season")] == []
    (col,) = year_round.summary.extra["all_season"]["not_tunnelled"]
    assert col["reason"] == f"kept open all year: W1 Qala-e Panja - Sarhad-e Broghil ({SOURCE})"
    assert year_round.summary.terrain.max_elevation_m == 4500.0
    # the bundled roads alone (no --roads): the col is bored from km 39 to km 61, where the road is at 3,400 m
    bundled = open_sections_of(existing_infrastructure(None)["roads"])
    (bore,) = [
        t
        for t in all_season_route(seasonal, "r", rule=FOUR_MONTHS, open_sections=bundled).summary.engineering.tunnels
        if t.get("all_season")
    ]
    assert (bore["start_km"], bore["end_km"]) == (39.0, 61.0)


def test_a_roads_file_that_is_no_vector_layer_is_refused(tmp_path):
    """Every format is read now (tests/test_open_sections_formats.py): a GeoPackage that is none is said so, not
    taken as a file without sections."""
    f = tmp_path / "roads.gpkg"
    f.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    with pytest.raises(InputError, match=f"roads file {f} could not be read"):
        open_sections_of([f])


BAD_SECTIONS = [
    ([{"from": "Qala-e Panja", "to": "Sarhad-e Broghil"}], "names no source"),
    ([{"from": "Qala-e Panja", "to": "Atlantis", "source": SOURCE}], "towns named in the gazetteer"),
    ("Qala-e Panja to Sarhad-e Broghil", "is neither true/false"),  # neither a flag nor a list
]


def _one_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.mark.parametrize("sections, words", BAD_SECTIONS)
@pytest.mark.parametrize("command", ["claims", "compare"])
def test_a_bad_open_section_is_one_sentence_naming_the_file_exit_2_before_any_work(
    command, sections, words, tmp_path, capsys, monkeypatch
):
    import wakhan.claims
    import wakhan.plan.compare

    def started(*a, **k):
        raise AssertionError("work started before --roads was checked")

    monkeypatch.setattr(wakhan.claims, "run_claims", started)
    monkeypatch.setattr(wakhan.plan.compare, "compare_routes", started)
    f = _roads_file(tmp_path / "roads.geojson", sections)
    assert run([command, "--roads", str(f)]) == 2
    line = _one_line(capsys.readouterr().err)
    assert str(f) in line and words in line


def test_run_claims_refuses_a_bad_open_section_before_reading_anything(tmp_path, monkeypatch):
    import wakhan.claims.evaluate as evaluate

    def started(*a, **k):
        raise AssertionError("work started before the roads' open sections were checked")

    monkeypatch.setattr(evaluate, "read_settlements", started)
    f = _roads_file(tmp_path / "roads.geojson", BAD_SECTIONS[0][0])
    with pytest.raises(InputError, match="names no source"):
        evaluate.run_claims(roads=f)


def _gpkg_flag(path):
    """The same road as a GeoPackage row flagged open_all_year, with its own source, from and to fields."""
    import pyogrio.raw
    import shapely

    fields = {"id": "W1", "open_all_year": True, "source": SOURCE, "from": "Qala-e Panja", "to": "Sarhad-e Broghil"}
    pyogrio.raw.write(
        path,
        shapely.to_wkb(np.array([shapely.LineString(WAKHAN_ROAD)], dtype=object)),
        geometry_type="LineString",
        field_data=[np.array([v]) for v in fields.values()],
        fields=list(fields),
        crs="EPSG:4326",
    )
    return path


@pytest.mark.parametrize("kind", ["geojson", "gpkg"])
def test_compare_reads_the_open_sections_of_the_users_roads(kind, tmp_path, capsys, monkeypatch):
    """``wakhan compare --roads FILE``: the all-season variant leaves the col on the file's open section untunnelled
    (the solver is replaced by the hand-built road for every variant); a GeoPackage flags it as the GeoJSON lists it."""
    import wakhan.plan.compare

    seasonal = _road_over_a_col_on_the_wakhan_road()
    monkeypatch.setattr(wakhan.plan.compare, "compare_routes", lambda _a, _b, variants, *k, **kw: [seasonal] * 4)
    if kind == "gpkg":
        f = _gpkg_flag(tmp_path / "roads.gpkg")
    else:
        f = _roads_file(
            tmp_path / "roads.geojson", [{"from": "Qala-e Panja", "to": "Sarhad-e Broghil", "source": SOURCE}]
        )
    assert run(["compare", "--roads", str(f), "--json"]) == 0
    routes = json.loads(capsys.readouterr().out)["routes"]
    (info,) = [r["all_season"] for r in routes if "all_season" in r]
    assert info["tunnel_km"] == 0.0
    assert [c["reason"] for c in info["not_tunnelled"]] == [
        f"kept open all year: W1 Qala-e Panja - Sarhad-e Broghil ({SOURCE})"
    ]
