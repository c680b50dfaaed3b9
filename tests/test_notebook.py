"""notebooks/claims.ipynb runs from top to bottom as an analysis (tables, a map, prose between steps,
no asserts, no files left behind), and the numbers it shows hold together: the checks live here."""

import json
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "claims.ipynb"
#: Appended by the test only: hands the notebook's numbers to the assertions below.
PROBE = """import json as _json
print("PROBE" + _json.dumps({
    "area_mean_m": {k: v.mean_m for k, v in area.items()},
    "along_mean_m": {k: (v or {}).get("mean_elevation_m") for k, v in along.items()},
    "walk_km": ws.length_km, "gap_km": [float(x) for x in gaps["length_km"]],
    "claims": {c.id: {"verdict": c.verdict, "value": c.value} for c in result.claims},
    "wakhan_km": result.routes["wakhan-highway"].summary.terrain.length_km,
    "wakhan_countries": sorted(result.routes["wakhan-highway"].summary.terrain.countries_km),
    "infiltration_km": result.infiltration["length_km"],
    "source_names": [s.name for s in sources],
}))"""


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    nbformat = pytest.importorskip("nbformat")
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    workdir = tmp_path_factory.mktemp("nb")
    NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}).execute()
    return nb, workdir


def test_reads_as_an_analysis(executed):
    nb, workdir = executed
    cells = nb.cells[:-1]
    code = [c for c in cells if c.cell_type == "code"]
    assert not [c for c in code if "assert " in c.source], "checks belong in the tests"
    # prose before every step: no more than two code cells in a row
    kinds = "".join("c" if c.cell_type == "code" else "m" for c in cells)
    assert "ccc" not in kinds and kinds.startswith("m")
    outputs = [o for c in code for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    tables = [o for o in outputs if "<table" in o.get("data", {}).get("text/html", "")]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(tables) >= 7 and len(images) >= 4  # histogram, map, two profiles
    assert list(workdir.iterdir()) == []  # no stray files


def test_numbers_hold_together(executed):
    nb, _ = executed
    text = "".join(o.get("text", "") for o in nb.cells[-1].get("outputs", []))
    probe = json.loads(text.split("PROBE", 1)[1])
    # the area reading clears 4,000 m under every definition; the road runs below the terrain's average
    assert all(m > 4000 for m in probe["area_mean_m"].values())
    for key, mean in probe["along_mean_m"].items():
        if mean is not None:
            assert mean < probe["area_mean_m"][key], key
    # a gap on the walk is never longer than the walk, and the walk is what run_claims reports
    assert max(probe["gap_km"]) <= probe["walk_km"] + 1e-6
    assert probe["infiltration_km"] == pytest.approx(probe["walk_km"], rel=1e-6)
    claims = probe["claims"]
    assert claims["altitude"]["value"] == pytest.approx(probe["area_mean_m"]["wakhan"], abs=0.1)
    assert claims["highway"]["value"] == pytest.approx(probe["wakhan_km"], rel=1e-6)
    assert claims["depopulated"]["value"] <= probe["infiltration_km"] + 1e-6
    assert set(probe["wakhan_countries"]) <= {"CN", "AF"}
    # the headline verdicts, as pinned against published figures in test_headline.py
    assert {k: c["verdict"] for k, c in claims.items()} == {
        "altitude": "depends",
        "depopulated": "not supported",
        "highway": "supported",
    }


def test_prose_states_the_highway_model_it_runs():
    """The notebook's prose describes the highway model as cost/highway.py defines it: a design grade with
    switchbacks up to the hairpin limit (it once said the model "forbids grades above 12 %", which it never did)."""
    from wakhan.cost.highway import HighwayModel

    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    cells = [" ".join("".join(c["source"]).split()) for c in nb["cells"] if c["cell_type"] == "markdown"]
    prose = " ".join(cells)
    para = next(c for c in cells if "highway model" in c.lower() and "grade" in c)
    m = HighwayModel()
    assert "forbids" not in prose and "12 %" not in prose
    assert f"{m.design_grade_pct:g} % below 3,000 m" in para and "switchbacks" in para
    assert f"{m.max_grade_pct:g} % hairpin limit" in para and f"{m.design_grade_floor_pct:g} % at the least" in para
    assert f"{m.hairpin_spacing_m:g} m of extra road" in para
    assert f"{m.altitude_surcharge * 100:g} % more above {m.altitude_threshold_m:,.0f} m" in para


def test_the_notebook_reads_the_settlement_sources_wakhan_claims_reads(executed):
    """It read GHS alone (Who's On First beside it when shared), while `wakhan claims` reads GHS and GeoNames
    cities500 by default: its walk headline (174 km) was not the CLI's, though it says it runs the same steps."""
    from wakhan.settlements import DEFAULT_SETTLEMENT_SPECS, read_settlements

    nb, _ = executed
    text = "".join(o.get("text", "") for o in nb.cells[-1].get("outputs", []))
    probe = json.loads(text.split("PROBE", 1)[1])
    default_names = [read_settlements(spec).name for spec in DEFAULT_SETTLEMENT_SPECS]
    assert probe["source_names"][: len(default_names)] == default_names


def test_prose_states_the_walking_speed_it_walks_at():
    """The walk is at TREK_TERRAIN_FACTOR of Tobler's speed (187 km in 62 h); the prose said "Tobler's hiking
    function", which walks 1 / 0.616 = 1.6 times as fast."""
    from wakhan.cost.walking import TREK_TERRAIN_FACTOR

    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    cells = [" ".join("".join(c["source"]).split()) for c in nb["cells"] if c["cell_type"] == "markdown"]
    para = next(c for c in cells if "infiltration scenario" in c)
    assert f"{TREK_TERRAIN_FACTOR:g} of the speed of Tobler's hiking function" in para
