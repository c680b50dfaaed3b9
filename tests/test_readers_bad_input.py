"""Issue 21, readers: malformed route files, road layers and CRS names get one sentence, exit 2."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

from wakhan.cli import run
from wakhan.errors import InputError


def _one_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.mark.parametrize(
    "doc",
    [
        {"type": "FeatureCollection", "features": [None]},
        {"type": "FeatureCollection", "features": "abc"},
        {"type": "FeatureCollection", "features": [1]},
        {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": "LineString"}]},
        [1, 2, 3],
        "abc",
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[71, 37, 3000], "x"]}},
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": 5}},
        {
            "type": "Feature",
            "properties": [],
            "geometry": {"type": "LineString", "coordinates": [[71, 37], [71.1, 37]]},
        },
    ],
)
@pytest.mark.parametrize("command", ["profile", "map"])
def test_malformed_route_geojson_is_one_sentence(doc, command, tmp_path, capsys):
    f = tmp_path / "r.geojson"
    f.write_text(json.dumps(doc))
    code = run([command, str(f), "-o", str(tmp_path / "out.png")])
    err = capsys.readouterr().err
    if code == 0:  # a usable line in an odd wrapper may be drawn; then it must have been drawn
        assert (tmp_path / "out.png").stat().st_size > 0
        return
    assert code == 2
    assert str(f) in _one_line(err)
    assert not (tmp_path / "out.png").exists()


def _geojson(path, coords, crs=None):
    doc = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": coords}}],
    }
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(doc))
    return path


def test_roads_from_a_csv_table_is_one_sentence(tmp_path):
    from wakhan.plan.roads import read_roads

    f = tmp_path / "roads.csv"
    f.write_text("name,length_km\nKKH,1300\n")
    with pytest.raises(InputError, match="no geometr"):
        read_roads(f)


def test_roads_in_metres_without_a_crs_are_refused(tmp_path):
    from wakhan.plan.roads import read_roads

    f = _geojson(tmp_path / "roads.geojson", [[500_000, 4_100_000], [501_000, 4_100_000]])
    with pytest.raises(InputError, match="outside longitude/latitude"):
        read_roads(f)
    # the same line with its CRS named is read (and reprojected later)
    g = _geojson(tmp_path / "utm.geojson", [[500_000, 4_100_000], [501_000, 4_100_000]], "urn:ogc:def:crs:EPSG::32643")
    assert len(read_roads(g)) == 1


def test_roads_with_the_walking_model_is_refused_before_work(tmp_path, capsys, monkeypatch):
    import wakhan.plan.waypoints as waypoints  # the problem's set-up builds the DEM there

    def started(*a, **k):
        raise AssertionError("the DEM was built before --roads was checked")

    monkeypatch.setattr(waypoints, "waypoint_grid", started)
    f = _geojson(tmp_path / "roads.geojson", [[75.0, 37.0], [75.1, 37.0]])
    assert run(["route", "kashgar", "tashkurgan", "--model", "walking", "--roads", str(f)]) == 2
    assert "highway model only" in _one_line(capsys.readouterr().err)
    f2 = tmp_path / "roads.csv"
    f2.write_text("a,b\n1,2\n")
    assert run(["route", "kashgar", "tashkurgan", "--roads", str(f2)]) == 2
    assert "no geometr" in _one_line(capsys.readouterr().err)


@pytest.mark.parametrize("crs", ["hello world", "EPSG:99999"])
def test_dem_build_with_an_unknown_crs(crs, tmp_path, capfd):
    assert (
        run(["dem", "build", "--bbox", "74", "36.5", "74.1", "36.6", "-o", str(tmp_path / "d.tif"), "--crs", crs]) == 2
    )
    line = _one_line(capfd.readouterr().err)  # capfd: GDAL's own stderr line would count too
    assert repr(crs) in line and "--crs" in line


def test_grid_without_a_transform_fails_at_construction():
    from rasterio.transform import from_origin

    from wakhan.grid import Grid

    with pytest.raises(TypeError, match="Affine transform"):
        Grid(np.zeros((3, 3)), None, "EPSG:32643")
    with pytest.raises(TypeError, match="Affine transform"):
        Grid(np.zeros((3, 3)), (0, 1, 0, 0, 0, -1), "EPSG:32643")
    with pytest.raises(TypeError, match="needs a CRS"):
        Grid(np.zeros((3, 3)), from_origin(0, 0, 1, 1), None)


@pytest.mark.parametrize("option", ["--reference", "--roads"])
@pytest.mark.parametrize(
    "name, content", [("road.gpx", b""), ("road.geojson", b""), ("road.gpkg", b"\x00\xffjunk" * 50)]
)
def test_an_empty_or_junk_line_layer_is_one_sentence_without_gdal_advice(option, name, content, tmp_path, capsys):
    """An empty file is called empty; GDAL's advice to prefix the path with a '<DRIVER>:' (no option takes
    one) is not passed on, so the message stays one sentence naming the file and what to give."""
    f = tmp_path / name
    f.write_bytes(content)
    out = tmp_path / "r.geojson"
    assert run(["route", "kashgar", "tashkurgan", option, str(f), "-o", str(out)]) == 2
    line = _one_line(capsys.readouterr().err)
    assert f"{option} {f}" in line and "<DRIVER>" not in line and "It might help" not in line, line
    assert ("empty file (0 bytes)" in line) == (content == b""), line
    assert not out.exists()


def _cut_geotiff(path, side=300):
    """A real uncompressed GeoTIFF of ``side`` x ``side`` heights, cut to half its bytes (a broken copy)."""
    import rasterio
    from affine import Affine

    z = np.arange(side * side, dtype=np.float32).reshape(side, side)
    with rasterio.open(
        path, "w", driver="GTiff", width=side, height=side, count=1, dtype="float32", crs="EPSG:4326",
        transform=Affine(1 / 1200, 0, 8.0, 0, -1 / 1200, 47.0),
    ) as ds:  # fmt: skip
        ds.write(z, 1)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return path


@pytest.mark.parametrize("name", ["dem.tif", "N46E008.tif"])  # any raster / a tile-named GeoTIFF
@pytest.mark.parametrize("command", [["dem", "info", "FILE"], ["elevation", "46.99", "8.01", "--dem", "FILE"]])
def test_a_truncated_geotiff_says_truncated_not_see_previous_exception(name, command, tmp_path, capsys):
    """rasterio reports a cut GeoTIFF as 'Read failed. See previous exception for details.', an exception the
    user never sees: the sentence names the file, says it is cut or corrupt, quotes GDAL's reason."""
    f = _cut_geotiff(tmp_path / name)
    assert run([a.replace("FILE", str(f)) for a in command]) == 2
    line = _one_line(capsys.readouterr().err)
    assert str(f) in line and "previous exception" not in line and "IReadBlock failed" in line, line
    assert "truncated or corrupt" in line or "not a readable GeoTIFF" in line, line


def test_a_truncated_geotiff_tile_in_the_cache_quotes_gdals_reason(tmp_path):
    from wakhan.errors import DataError
    from wakhan.sources.srtm import read_tile

    f = _cut_geotiff(tmp_path / "N46E008.tif")
    with pytest.raises(DataError) as err:
        read_tile(f)
    assert "previous exception" not in str(err.value) and "IReadBlock failed" in str(err.value), err.value


def test_tiles_fetch_does_not_count_a_truncated_cached_tile_as_at_hand(tmp_path, capsys):
    """A raw SRTM3 tile is 1201 x 1201 x 2 = 2,884,802 bytes; one cut to half was listed as 'cached' and the
    fetch exited 0, so the failure came later, in the route. It is refused by `tiles fetch` itself, no download."""
    folder = tmp_path / "srtm" / "skadi"
    folder.mkdir(parents=True)
    (folder / "N57E011.hgt").write_bytes(b"\x00\x01" * (1201 * 1201 // 2))
    assert run(["tiles", "fetch", "--bbox", "11.2", "57.2", "11.8", "57.8", "--tiles-dir", str(tmp_path)]) == 2
    line = _one_line(capsys.readouterr().err)
    assert "N57E011.hgt is truncated" in line and "fetch again" in line, line


_EMPTY_FEATURE_COLLECTION = b'{"type": "FeatureCollection", "features": []}'


@pytest.mark.parametrize("command", [["route", "kashgar", "tashkurgan"], ["compare"]])
@pytest.mark.parametrize(
    "content, says",
    [
        (_EMPTY_FEATURE_COLLECTION, "is a valid vector file but holds no line (it has no features)"),
        (b"", "is an empty file (0 bytes)"),
    ],
)
def test_an_empty_geojson_reference_says_what_is_wrong_not_invalid(command, content, says, tmp_path, capsys):
    """A FeatureCollection with no features is valid GeoJSON: the sentence says it holds no line (a 0-byte
    file: that it is empty), not that it cannot be read; `route` and `compare` read it alike, before any
    routing, and write nothing."""
    f = tmp_path / "road.geojson"
    f.write_bytes(content)
    out = tmp_path / ("r.geojson" if command[0] == "route" else "out")
    assert run([*command, "--reference", str(f), "-o", str(out)]) == 2
    line = _one_line(capsys.readouterr().err)
    assert f"--reference {f} {says}" in line and "give" in line, line
    assert "not valid" not in line and "could not be read" not in line, line
    assert not out.exists()


def test_the_reference_readers_other_refusals_still_name_the_real_fault(tmp_path):
    """Points only, a table without geometries, no CRS, far from the route: each its own sentence."""
    from wakhan.route.deviation import check_reference_lonlat, read_reference

    pts = tmp_path / "pts.geojson"
    pts.write_text(
        json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [75.9, 39.4]}}]})
    )  # fmt: skip
    with pytest.raises(InputError, match=r"holds no lines \(Point\)"):
        read_reference(pts)
    table = tmp_path / "road.csv"
    table.write_text("x,y\n75.9,39.4\n")
    with pytest.raises(InputError, match="table without geometries"):
        read_reference(table)
    import geopandas as gpd
    from shapely.geometry import LineString

    shp = tmp_path / "road.shp"
    with warnings.catch_warnings():  # pyogrio warns that the file will have no CRS: the point of the case
        warnings.simplefilter("ignore")
        gpd.GeoDataFrame(geometry=[LineString([(75.9, 39.4), (75.3, 37.7)])]).to_file(shp)
    with pytest.raises(InputError, match="has no coordinate reference system"):
        read_reference(shp)
    far = read_reference(_geojson(tmp_path / "far.geojson", [[10.0, 46.0], [10.5, 46.2]]))
    with pytest.raises(InputError, match=r"passes 5,\d{3}\.\d km from the route's start"):  # Kashgar - the Alps
        check_reference_lonlat(far, (75.99, 39.47), (75.23, 37.77), "far.geojson")


@pytest.mark.parametrize(
    "content, says",
    [
        (b"", "is an empty file (0 bytes)"),
        (_EMPTY_FEATURE_COLLECTION, "is valid GeoJSON but holds no points (it has no features)"),
    ],
)
def test_an_empty_geojson_settlement_file_says_empty_not_invalid(content, says, tmp_path, capsys):
    """`-s FILE`: a 0-byte GeoJSON was 'not valid GeoJSON (Expecting value: line 1 column 1 (char 0))'."""
    f = tmp_path / "camps.geojson"
    f.write_bytes(content)
    out = tmp_path / "report"
    assert run(["claims", "-s", str(f), "-o", str(out)]) == 2
    line = _one_line(capsys.readouterr().err)
    assert f"settlement file {f} {says}" in line and "not valid" not in line, line
    assert not out.exists()


def test_tiles_list_marks_truncated_and_corrupt_cached_tiles_with_the_fix(tmp_path, capsys):
    """`tiles list` listed a cut tile like a good one, so the failure came later, in a route. Each tile is
    checked as a route reads it: a raw SRTM3 .hgt must be 1201 x 1201 x 2 = 2,884,802 bytes; a .hgt.gz cut
    in half ends before its end-of-stream marker; a GeoTIFF cut in half cannot read its cells. The listing
    still succeeds (exit 0) and says so; --strict exits 1; --json flags each tile."""
    import gzip

    folder = tmp_path / "srtm" / "skadi"
    folder.mkdir(parents=True)
    good = folder / "N57E012.hgt"
    good.write_bytes(b"\x00\x01" * (1201 * 1201))
    (folder / "N57E011.hgt").write_bytes(b"\x00\x01" * (1201 * 1201 // 2))
    packed = gzip.compress(np.random.default_rng(0).integers(0, 255, 1201 * 1201 * 2, dtype=np.uint8).tobytes())
    (folder / "N58E011.hgt.gz").write_bytes(packed[: len(packed) // 2])
    _cut_geotiff(folder / "N46E008.tif")
    args = ["tiles", "list", "--tiles-dir", str(tmp_path)]
    assert run(args) == 0
    out = capsys.readouterr().out
    lines = {ln.split()[0]: ln for ln in out.splitlines() if ln.startswith("    N")}
    assert "BAD" not in lines["N57E012.hgt"]
    assert "BAD: is truncated: 1442400 bytes, expected 2884802 (SRTM3)" in lines["N57E011.hgt"]
    assert "BAD: is not a complete gzip file" in lines["N58E011.hgt.gz"]
    assert "BAD: is not a readable GeoTIFF" in lines["N46E008.tif"]
    fix = f"rm {folder / 'N57E011.hgt'} && wakhan tiles fetch --bbox 11.1 57.1 11.9 57.9 --source skadi"
    assert fix in lines["N57E011.hgt"]
    assert "3 cached tile(s) BAD (truncated or corrupt)" in out and "skadi: 4 tile(s)" in out
    assert run([*args, "--strict"]) == 1
    capsys.readouterr()
    assert run([*args, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    flags = {t["name"]: t["ok"] for t in doc["tiles"]["skadi"]}
    assert flags == {"N46E008.tif": False, "N57E011.hgt": False, "N57E012.hgt": True, "N58E011.hgt.gz": False}
    assert doc["bad_tiles"] == 3
    assert good.exists() and (folder / "N57E011.hgt").exists()  # listing deletes nothing


@pytest.mark.parametrize(
    "command", [["dem", "info", "DIR"], ["accumulate", "tashkurgan", "-o", "OUT", "--like", "DIR", "--buffer-km", "5"]]
)
def test_a_folder_given_as_a_raster_file_is_called_a_folder_not_missing(command, tmp_path, capsys):
    """A folder exists: 'does not exist; check the path' sent the user looking for a typo that is not there."""
    folder = tmp_path / "rasters"
    folder.mkdir()
    out = tmp_path / "cost.tif"
    assert run([a.replace("DIR", str(folder)).replace("OUT", str(out)) for a in command]) == 2
    line = _one_line(capsys.readouterr().err)
    assert str(folder) in line and "is a folder" in line and "does not exist" not in line, line
    assert not out.exists()
