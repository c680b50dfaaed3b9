"""Remoteness (issue 20): walking hours to the nearest settlement, catchments, isochrones, the CLI.

Expectations are independent of the code under test: closed forms of Tobler's hiking
function on hand-built planes (flat: octile distance / 5.04 km/h; an inclined plane:
the downhill speed, since the time is from the cell to the settlement), the minimum of
separate single-source searches and scikit-image's MCP_Geometric for the multi-source
labels, and the bisector of two settlements for the catchment boundary.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from affine import Affine

from wakhan.cli import run
from wakhan.cost import IsotropicModel, WalkingModel
from wakhan.dem.project import xy_to_lonlat
from wakhan.errors import InputError
from wakhan.grid import DataSource, Grid
from wakhan.remoteness import check_thresholds, isochrones, most_remote, remoteness, share_beyond
from wakhan.settlements import Settlements
from wakhan.solve import accumulate, source_index

CRS = "EPSG:32643"  # UTM 43N: metres, around the Wakhan
X0, Y0 = 500_000.0, 4_100_000.0
TOBLER = WalkingModel()  # Tobler as published, for the closed forms (the default "walking" is x 0.616)


def tobler_kmh(grade: float) -> float:
    """Tobler (1993): 6 exp(-3.5 |dh/dx + 0.05|) km/h."""
    return 6.0 * math.exp(-3.5 * abs(grade + 0.05))


def plane(z: np.ndarray, cell_m: float) -> Grid:
    return Grid(z.astype(np.float32), Affine(cell_m, 0, X0, 0, -cell_m, Y0), CRS, sources=(DataSource("hand-built"),))


def points_at(grid: Grid, cells, names) -> Settlements:
    rows = np.array([c[0] for c in cells])
    cols = np.array([c[1] for c in cells])
    x, y = grid.xy(rows, cols)
    lon, lat = xy_to_lonlat(grid.crs, x, y)
    return Settlements(lon, lat, tuple(names), DataSource("hand-placed settlements"))


def test_flat_plane_two_settlements_octile_time_and_bisector():
    cell = 500.0
    grid = plane(np.full((21, 31), 1000.0), cell)
    sites = [(10, 5), (10, 25)]
    r = remoteness(points_at(grid, sites, ["west", "east"]), dem=grid, neighbours=8, model=TOBLER)
    rr, cc = np.mgrid[0:21, 0:31]
    speed_ms = tobler_kmh(0.0) / 3.6

    def octile(r0, c0):
        a, b = np.abs(rr - r0), np.abs(cc - c0)
        return (np.maximum(a, b) + (math.sqrt(2) - 1) * np.minimum(a, b)) * cell

    expected_h = np.minimum(octile(*sites[0]), octile(*sites[1])) / speed_ms / 3600.0
    np.testing.assert_allclose(r.hours.array, expected_h, rtol=1e-5)
    catch = r.catchment.array
    assert (catch[:, :15] == 1).all() and (catch[:, 16:] == 2).all()  # the bisector is column 15
    assert set(np.unique(catch[:, 15])) <= {1, 2}
    assert r.entry(1).name == "west" and r.entry(2).name == "east"
    top = most_remote(r)
    assert top.hours == pytest.approx(expected_h.max(), rel=1e-5)
    assert top.col == 15 and top.row in (0, 20)  # the bisector's ends: a tie, either settlement is right
    assert top.nearest.name in ("west", "east")


def test_inclined_plane_time_is_walked_to_the_settlement_downhill_not_up():
    cell, grade = 200.0, 0.20
    n = 40
    z = 1000.0 + grade * cell * np.arange(n)[None, :]
    grid = plane(np.repeat(z, 3, axis=0), cell)
    low = remoteness(points_at(grid, [(1, 0)], ["valley"]), dem=grid, neighbours=8, model=TOBLER)
    high = remoteness(points_at(grid, [(1, n - 1)], ["ridge"]), dem=grid, neighbours=8, model=TOBLER)
    k = np.arange(n)
    down_h = k * cell / (tobler_kmh(-grade) / 3.6) / 3600.0  # from cell k down to the valley settlement
    up_h = (n - 1 - k) * cell / (tobler_kmh(grade) / 3.6) / 3600.0  # from cell k up to the ridge settlement
    np.testing.assert_allclose(low.hours.array[1], down_h, rtol=1e-5)
    np.testing.assert_allclose(high.hours.array[1], up_h, rtol=1e-5)
    # the same 7.8 km take 42 % longer uphill (Tobler at +/-20 %: 2.50 vs 3.55 km/h)
    assert high.hours.array[1, 0] / low.hours.array[1, n - 1] == pytest.approx(math.exp(3.5 * 0.10), rel=1e-5)


def test_labels_match_separate_single_source_searches_on_rough_walking_terrain():
    rng = np.random.default_rng(3)
    z = np.cumsum(np.cumsum(rng.normal(0, 15, (40, 50)), 0), 1) * 0.2
    grid = plane(z, 300.0)
    sites = [(3, 4), (30, 10), (20, 45), (5, 30)]
    r = remoteness(points_at(grid, sites, list("abcd")), dem=grid, neighbours=16, model=TOBLER)
    model = WalkingModel()
    single = np.stack(
        [accumulate(grid, model, [s], neighbours=16, reverse=True).cost / 3600.0 for s in sites]
    )  # each settlement alone
    np.testing.assert_allclose(r.hours.array, single.min(axis=0), rtol=1e-6)
    best = single.argmin(axis=0) + 1
    gap = np.sort(single, axis=0)
    clear = (gap[1] - gap[0]) > 1e-6  # leave exact ties aside
    assert (r.catchment.array[clear] == best[clear]).all()


def test_source_index_agrees_with_scikit_image_mcp_from_several_starts():
    skimage_graph = pytest.importorskip("skimage.graph")
    rng = np.random.default_rng(7)
    cost = 1.0 + 9.0 * rng.random((60, 70))
    starts = [(5, 5), (50, 10), (30, 60), (10, 40)]
    mcp = skimage_graph.MCP_Geometric(cost, fully_connected=True)
    oracle, _ = mcp.find_costs(starts)
    acc = accumulate(np.zeros_like(cost), IsotropicModel(), starts, friction=cost, cell_size_m=(1, 1))
    np.testing.assert_allclose(acc.cost, oracle, rtol=1e-9)
    lab = source_index(acc)
    # each cell's label names a start whose own single-start MCP cost equals the multi-start cost
    per_start = np.stack([skimage_graph.MCP_Geometric(cost, fully_connected=True).find_costs([s])[0] for s in starts])
    picked = np.take_along_axis(per_start, lab[None].astype(np.int64), axis=0)[0]
    np.testing.assert_allclose(picked, oracle, rtol=1e-9)


def test_unreachable_cells_are_nodata_and_count_beyond_every_threshold():
    z = np.full((10, 12), 500.0)
    z[:, 6] = np.nan  # a wall of missing data: the east half reaches no settlement
    grid = plane(z, 400.0)
    r = remoteness(points_at(grid, [(5, 1)], ["w"]), dem=grid, neighbours=8)
    assert np.isnan(r.hours.array[:, 6:]).all() and (r.catchment.array[:, 7:] == 0).all()
    shares = share_beyond(r, (1000.0,))
    assert shares["unreachable"] == pytest.approx(50 / 110)
    assert shares["1000"] == pytest.approx(50 / 110)


def test_grids_convert_to_xarray_with_nodata():
    pytest.importorskip("rioxarray")
    grid = plane(np.zeros((8, 9)), 250.0)
    r = remoteness(points_at(grid, [(4, 4)], ["c"]), dem=grid, neighbours=8)
    h = r.hours.to_xarray("hours")
    c = r.catchment.to_xarray("catchment")
    assert h.rio.crs == r.hours.crs and np.isnan(h.rio.nodata)
    assert c.rio.nodata == 0 and int(c.values[4, 4]) == 1
    assert float(h.values[4, 4]) == 0.0


def test_isochrones_cover_the_cells_within_each_threshold():
    grid = plane(np.zeros((30, 30)), 1000.0)
    r = remoteness(points_at(grid, [(15, 15)], ["c"]), dem=grid, neighbours=8)
    feats = isochrones(r, (2.0, 1.0))
    assert [f["hours"] for f in feats] == [1.0, 2.0]
    for f in feats:
        cells = int((r.hours.array <= f["hours"]).sum())
        assert f["area_km2"] == pytest.approx(cells * 1.0)
        assert f["geometry"].is_valid and not f["geometry"].is_empty


@pytest.mark.parametrize("bad", ["0", "-8", "abc", "nan", "inf", "8,,24"])
def test_thresholds_must_be_positive_numbers(bad):
    with pytest.raises(Exception) as e:
        check_thresholds(bad)
    assert "--hours" in str(e.value)


# -- the CLI ------------------------------------------------------------------------
BOX = ["74.6", "37.0", "75.0", "37.25"]  # a small box in the Little Pamir / Tashkurgan area (pack DEM)


@pytest.fixture
def two_points(tmp_path):
    p = tmp_path / "pts.csv"
    p.write_text("name,lat,lon\nAlpha,37.10,74.70\nBeta,37.15,74.90\n", encoding="utf-8")
    return p


def test_cli_writes_cogs_lookup_isochrones_and_json(tmp_path, two_points, capsys):
    out, catch, iso = tmp_path / "h.tif", tmp_path / "c.tif", tmp_path / "iso.gpkg"
    args = ["remoteness", "-s", str(two_points), "--bbox", *BOX, "-o", out, "--catchment", catch]
    args += ["--isochrones", iso, "--hours", "2,6", "--json"]
    assert run([str(a) for a in args]) == 0
    doc = json.loads(capsys.readouterr().out)
    import rasterio

    with rasterio.open(out) as ds:
        assert ds.profile["tiled"] and ds.nodata == -9999 and ds.tags(1).get("UNITS") == "h"
        h = ds.read(1, masked=True)
    with rasterio.open(catch) as ds:
        c = ds.read(1)
    rows = (tmp_path / "c.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("id,name") and {r.split(",")[1] for r in rows[1:]} == {"Alpha", "Beta"}
    assert set(np.unique(c)) <= {0, 1, 2}
    assert doc["most_remote"]["hours"] == pytest.approx(float(h.max()), abs=0.006)  # rounded to 0.01 h
    assert doc["most_remote"]["nearest_settlement"]["name"] in ("Alpha", "Beta")
    assert set(doc["share_beyond_hours"]) == {"2", "6", "unreachable"}
    assert doc["resolution"] and doc["data_sources"]
    import pyogrio

    assert pyogrio.read_info(iso)["features"] == 2


def _no_files(folder, keep=("pts.csv", "empty.csv")):
    return sorted(p.name for p in folder.iterdir() if p.name not in keep) == []


def test_cli_refuses_bad_input_in_one_line_without_files(tmp_path, two_points, capsys):
    empty = tmp_path / "empty.csv"
    empty.write_text("name,lat,lon\n", encoding="utf-8")
    out = tmp_path / "h.tif"
    cases = [
        (["-s", str(two_points), "--bbox", "71", "36.5", "71.3", "36.8", "-o", out], "no settlement"),
        (["-s", str(empty), "--bbox", *BOX, "-o", out], "no points"),
        (
            ["-s", str(two_points), "--bbox", *BOX, "-o", out, "--isochrones", tmp_path / "i.gpkg", "--hours", "0"],
            "--hours",
        ),
        (["-s", str(two_points), "--bbox", *BOX, "-o", out, "--hours", "-3,x"], "--hours"),
        (["-s", str(two_points), "--bbox", *BOX, "-o", tmp_path / "nofolder" / "h.tif"], "does not exist"),
        (["-s", str(two_points), "--bbox", *BOX, "-o", tmp_path / "h.png"], ".tif"),
        (["-s", str(two_points), "--bbox", *BOX, "-o", out, "--model", "highway"], "walking"),
        (["-s", str(two_points), "--bbox", *BOX, "-o", out, "--isochrones", tmp_path / "i.txt"], "isochrones"),
    ]
    for args, words in cases:
        assert run(["remoteness", *map(str, args)]) == 2, args
        err = [ln for ln in capsys.readouterr().err.splitlines() if ln.strip()]
        assert len(err) == 1 and words in err[0] and "Traceback" not in err[0], (args, err)
        assert _no_files(tmp_path), sorted(p.name for p in tmp_path.iterdir())


def test_multi_source_surface_and_catchment_match_grass_r_cost(tmp_path):
    """GRASS GIS r.cost from several start coordinates (Debian grass-core; skipped without it)."""
    import shutil
    import subprocess

    if shutil.which("grass") is None:
        pytest.skip("GRASS GIS is not installed (Debian package grass-core)")
    rasterio = pytest.importorskip("rasterio")
    from wakhan.gridio import write_geotiff

    rng = np.random.default_rng(11)
    cell = 100.0
    fric = (1.0 + 9.0 * rng.random((50, 60))).astype(np.float32)
    grid = plane(np.zeros((50, 60)), cell)
    starts = [(5, 5), (40, 12), (25, 55), (8, 44)]
    write_geotiff(grid.with_array(fric), tmp_path / "fric.tif")
    xs, ys = grid.xy(np.array([r for r, _ in starts]), np.array([c for _, c in starts]))
    coords = ",".join(f"{x:.2f},{y:.2f}" for x, y in zip(xs, ys))
    script = tmp_path / "run.sh"
    script.write_text(
        f"set -e\nr.in.gdal -o input={tmp_path}/fric.tif output=fric --quiet\ng.region raster=fric\n"
        f"r.cost input=fric output=cost nearest=near start_coordinates={coords} --quiet\n"
        f"r.out.gdal -c input=cost output={tmp_path}/cost.tif type=Float64 --quiet\n"
        f"r.out.gdal -c input=near output={tmp_path}/near.tif type=Float64 --quiet\n"
    )
    loc = tmp_path / "db" / "loc"
    loc.parent.mkdir()
    subprocess.run(["grass", "-c", str(tmp_path / "fric.tif"), "-e", str(loc)], check=True, capture_output=True)
    subprocess.run(["grass", str(loc / "PERMANENT"), "--exec", "bash", str(script)], check=True, capture_output=True)
    with rasterio.open(tmp_path / "cost.tif") as ds:
        theirs = ds.read(1) * cell  # r.cost's friction is a cost per cell crossed
    with rasterio.open(tmp_path / "near.tif") as ds:
        near = ds.read(1)
    acc = accumulate(grid, IsotropicModel(), starts, neighbours=8, friction=fric.astype(np.float64))
    np.testing.assert_allclose(acc.cost, theirs, rtol=1e-6)
    lab = source_index(acc)
    ids = {near[r, c]: j for j, (r, c) in enumerate(starts)}
    theirs_lab = np.vectorize(ids.get)(near)
    assert (lab == theirs_lab).mean() > 0.995  # exact ties may go either way


def test_the_package_itself_is_callable():
    import wakhan.remoteness

    grid = plane(np.zeros((3, 4)), 100.0)
    r = wakhan.remoteness(points_at(grid, [(1, 1)], ["x"]), dem=grid, neighbours=8, model=TOBLER)
    assert r.hours.array[1, 2] == pytest.approx(100.0 / (tobler_kmh(0.0) / 3.6) / 3600.0, rel=1e-5)


def test_the_python_default_walks_at_the_calibrated_speed_as_the_cli_and_the_claims_do():
    """`remoteness(settlements)` with its default model="walking" gave Tobler as published (x 1) while
    `wakhan remoteness`, the claims and `plan_route(model="walking")` walk at the trek-calibrated 0.616:
    a notebook found the corridor's most remote point 14 h from a settlement, the report 23 h. The
    README and the docstring promise the calibrated speed; a WalkingModel given walks as it is."""
    grid = plane(np.zeros((3, 4)), 100.0)
    sites = points_at(grid, [(1, 1)], ["x"])
    flat_tobler_h = 100.0 / (tobler_kmh(0.0) / 3.6) / 3600.0  # one 100 m cell on the flat
    assert remoteness(sites, dem=grid, neighbours=8).hours.array[1, 2] == pytest.approx(flat_tobler_h / 0.616, rel=1e-5)
    assert remoteness(sites, dem=grid, neighbours=8, model=WalkingModel()).hours.array[1, 2] == pytest.approx(
        flat_tobler_h, rel=1e-5
    )


def test_a_boxs_cells_walk_to_settlements_just_outside_it():
    """A --bbox on the pack searched only inside the box: on 73-75E 36.5-37.5N its "most remote cell" was
    37.52N 74.99E, 34.7 h away, 4.4 km from a GHS settlement at 37.55N 74.98E just beyond the grid's edge.
    Oracle: the same search over an area 2 degrees wider (every settlement that could be nearer counted);
    inside the box, the box's hours must be those hours."""
    pts = Settlements(
        [74.72, 75.02, 74.35],  # one settlement inside the box, one 2 km beyond its east edge, one far west
        [37.10, 37.20, 36.60],
        ("inside", "just east", "far west"),
        DataSource("test points"),
    )
    box = (74.6, 37.0, 75.0, 37.25)
    r = remoteness(pts, bbox=box, neighbours=8)
    wide = remoteness(pts, bbox=(72.6, 35.0, 77.0, 39.25), neighbours=8, margin_deg=0)
    assert r.hours.crs == wide.hours.crs and r.hours.res == wide.hours.res
    rows, cols = np.nonzero(np.isfinite(r.hours.array))
    x, y = r.hours.xy(rows, cols)
    wr, wc = wide.hours.rowcol(np.asarray(x), np.asarray(y))
    expected = wide.hours.array[np.asarray(wr), np.asarray(wc)]
    np.testing.assert_allclose(r.hours.array[rows, cols], expected, rtol=1e-6)
    assert r.hours.shape == remoteness(pts, bbox=box, neighbours=8, margin_deg=0).hours.shape  # the box's own grid
    # the east edge's cells walk to the settlement beyond it, and the most remote cell's path is traced right
    top = most_remote(r)
    assert top.hours == pytest.approx(float(np.nanmax(expected)), rel=1e-6)
    assert r.entry(int(r.catchment.array[:, -1][r.catchment.array[:, -1] > 0][0])).name == "just east"


def test_cli_json_names_each_file_written_with_its_numbers(tmp_path, two_points, capsys):
    """README: every --json names each file written with its numbers (size, grid, value range); remoteness
    gave only the paths ("outputs"). Checked against the files themselves, read back with rasterio."""
    import rasterio

    out, catch, iso = tmp_path / "h.tif", tmp_path / "c.tif", tmp_path / "iso.geojson"
    args = ["remoteness", "-s", two_points, "--bbox", *BOX, "-o", out, "--catchment", catch, "--isochrones", iso]
    assert run([str(a) for a in [*args, "--hours", "2,6", "--json"]]) == 0
    doc = json.loads(capsys.readouterr().out)
    by_path = {w["path"]: w for w in doc["written"]}
    assert set(by_path) == {str(p.resolve()) for p in (out, catch, tmp_path / "c.csv", iso)}
    with rasterio.open(out) as ds:
        h = ds.read(1, masked=True)
        rec = by_path[str(out.resolve())]
        assert (rec["width"], rec["height"], rec["crs"], rec["units"]) == (ds.width, ds.height, ds.crs.to_string(), "h")
        assert rec["max"] == pytest.approx(float(h.max())) and rec["nodata_cells"] == int(h.mask.sum())
    with rasterio.open(catch) as ds:
        c = ds.read(1)
        rec = by_path[str(catch.resolve())]
        assert (rec["min"], rec["max"], rec["nodata_cells"]) == (
            float(c[c > 0].min()),
            float(c.max()),
            int((c == 0).sum()),
        )
    assert by_path[str((tmp_path / "c.csv").resolve())]["rows"] == 2
    assert by_path[str(iso.resolve())]["features"] == 2


@pytest.mark.parametrize("source", ["file", "folder"])
def test_the_search_margin_reaches_beyond_a_box_on_srtm_too(srtm_dir, tmp_path, source):
    """The margin was applied on the region pack only: on the Swiss tile a box between Andermatt and Airolo
    (both just outside it) found no settlement at all. Oracle as on the pack: the same search over a box
    0.3 degrees wider on every side, with no margin; the box's hours must be those hours. A grid passed in
    is searched alone, and the result says so."""
    import shutil

    from wakhan.dem import build_dem

    tiles = tmp_path / "tiles"
    tiles.mkdir()
    shutil.copy(srtm_dir / "N46E008.tif", tiles / "N46E008.tif")
    dem = str(tiles / "N46E008.tif") if source == "file" else str(tiles)
    pts = Settlements(
        [8.5939, 8.6117], [46.6356, 46.5286], ("Andermatt", "Airolo"), DataSource("Swiss towns (Wikipedia)")
    )
    box = (8.52, 46.54, 8.66, 46.62)
    r = remoteness(pts, dem=dem, bbox=box, neighbours=8)
    assert "beyond the box counted" in r.reach and len(r.settlements) == 2
    wide = remoteness(pts, dem=dem, bbox=(8.22, 46.24, 8.96, 46.92), neighbours=8, margin_deg=0)
    assert r.hours.crs == wide.hours.crs and r.hours.res == wide.hours.res
    rows, cols = np.nonzero(np.isfinite(r.hours.array))
    assert rows.size > 0.9 * r.hours.array.size
    x, y = r.hours.xy(rows, cols)
    wr, wc = wide.hours.rowcol(np.asarray(x), np.asarray(y))
    np.testing.assert_allclose(r.hours.array[rows, cols], wide.hours.array[np.asarray(wr), np.asarray(wc)], rtol=1e-5)
    with pytest.raises(InputError, match="no settlement"):  # what it did: the box alone holds neither town
        remoteness(pts, dem=dem, bbox=box, neighbours=8, margin_deg=0)
    given = remoteness(pts, dem=build_dem((8.5, 46.5, 8.7, 46.7), source=dem), bbox=box, neighbours=8)
    assert given.reach.startswith("no search margin: the DEM was passed in as a grid")
