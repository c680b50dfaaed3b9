"""`--json` on every command that computes something: one JSON object on stdout naming each file written
with its numbers (checked against the file itself, read with rasterio / the route reader) and the data
sources; "wrote X" messages go to stderr, never to stdout."""

from __future__ import annotations

import gzip
import json
import re

import numpy as np
import pytest
import rasterio
from srtm_build import hgt_bytes, tile_heights
from tiles_server import TileServer

from wakhan.cli import run
from wakhan.route import Profile, RouteResult, build_summary, geodesic_distance_km
from wakhan.route.files import write_route


def _doc(capsys, args) -> tuple[dict, str]:
    assert run(args) == 0, args
    cap = capsys.readouterr()
    assert "wrote" not in cap.out
    return json.loads(cap.out), cap.err


def _check_raster_record(record, path):
    with rasterio.open(path) as ds:
        band = ds.read(1, masked=True)
        assert record["path"] == str(path) and record["format"] == "GeoTIFF"
        assert (record["width"], record["height"]) == (ds.width, ds.height)
        assert rasterio.crs.CRS.from_user_input(record["crs"]) == ds.crs
        assert record["transform"] == pytest.approx(list(ds.transform)[:6])
        assert record["min"] == pytest.approx(float(band.min()), rel=1e-6)
        assert record["max"] == pytest.approx(float(band.max()), rel=1e-6)
        assert record["nodata_cells"] == int(band.mask.sum())


def test_raster_commands_print_json_and_say_wrote_on_stderr(tmp_path, capsys):
    dem = tmp_path / "dem.tif"
    doc, _ = _doc(capsys, ["dem", "build", "--bbox", "75.1", "37.65", "75.35", "37.85", "-o", str(dem), "--json"])
    assert doc["command"] == "dem build" and doc["written"][0]["units"] == "m"
    _check_raster_record(doc["written"][0], dem)
    assert any(s["name"].startswith("GEBCO_2023") and s["resolution"] for s in doc["data_sources"])
    acc, cor = tmp_path / "acc.tif", tmp_path / "cor.tif"
    doc, _ = _doc(capsys, ["accumulate", "Tashkurgan", "--dem", str(dem), "-o", str(acc), "--json"])
    assert doc["command"] == "accumulate" and doc["written"][0]["min"] == 0.0  # the source cell
    _check_raster_record(doc["written"][0], acc)
    assert doc["data_sources"] and doc["inputs"]["places"] == ["Tashkurgan"]
    doc, _ = _doc(capsys, ["corridor", "Tashkurgan", "37.72,75.25", "--dem", str(dem), "-o", str(cor), "--json"])
    _check_raster_record(doc["written"][0], cor)
    assert doc["written"][0]["units"] == "%" and doc["written"][0]["max"] <= 5.0 + 1e-6
    # without --json: nothing about files on stdout, the "wrote" line and the data on stderr
    assert run(["accumulate", "Tashkurgan", "--dem", str(dem), "-o", str(acc)]) == 0
    cap = capsys.readouterr()
    assert cap.out == "" and cap.err.startswith(f"wrote {acc}: ") and "GEBCO" in cap.err


def test_wrote_lines_name_the_crs_as_the_json_does_not_as_wkt(tmp_path, capsys):
    """A CRS with no EPSG code (the claims' azimuthal grid over the whole region) read as a WKT full of "unknown"
    in the "wrote" line of dem build, accumulate and corridor; it is the PROJ string now, naming the file's CRS."""
    dem, acc, cor = tmp_path / "dem.tif", tmp_path / "acc.tif", tmp_path / "cor.tif"
    aeqd = "+proj=aeqd +lat_0=37 +lon_0=72.25 +datum=WGS84 +units=m"
    commands = [
        (dem, ["dem", "build", "--bbox", "75.1", "37.65", "75.35", "37.85", "--crs", aeqd, "-o", str(dem)]),
        (acc, ["accumulate", "Tashkurgan", "--dem", str(dem), "-o", str(acc)]),
        (cor, ["corridor", "Tashkurgan", "37.72,75.25", "--dem", str(dem), "-o", str(cor)]),
    ]
    for path, args in commands:
        assert run(args) == 0, args
        err = capsys.readouterr().err
        found = re.search(r"\(([^()]*)\), values", err.splitlines()[0])
        assert found, err
        text = found.group(1)
        assert "[" not in text and "unknown" not in text and text.startswith("+proj=aeqd"), text
        with rasterio.open(path) as ds:
            assert rasterio.crs.CRS.from_user_input(text) == ds.crs


@pytest.fixture
def route_file(tmp_path):
    """A 30 km route near Tashkurgan (inside the region pack) as GeoJSON."""
    d = np.arange(0, 30.0001, 0.5)
    lon = 75.23 + d / (111.32 * np.cos(np.radians(37.7)))
    lat = np.full(d.size, 37.7)
    z = 3100 + 20 * d
    prof = Profile(geodesic_distance_km(lon, lat), lon, lat, z)
    s = build_summary(prof, "Test", places=None, country_at=lambda lo, la: np.full(np.size(lo), "CN"))
    return write_route(tmp_path / "r.geojson", RouteResult(summary=s, profile=prof))


def test_figure_commands_print_json(tmp_path, capsys, route_file):
    png = tmp_path / "p.png"
    doc, _ = _doc(capsys, ["profile", str(route_file), "-o", str(png), "--json"])
    assert doc["command"] == "profile" and doc["written"][0]["path"] == str(png) and png.stat().st_size > 0
    assert doc["written"][0]["route"]["length_km"] == pytest.approx(30.0, abs=0.1)  # built 30 km apart
    assert doc["written"][0]["route"]["max_elevation_m"] == pytest.approx(3700.0, abs=0.1)
    png = tmp_path / "m.png"
    doc, _ = _doc(capsys, ["map", str(route_file), "-o", str(png), "--json"])
    assert doc["command"] == "map" and png.stat().st_size > 0 and doc["written"][0]["routes"][0]["name"] == "Test"
    assert [s["name"] for s in doc["data_sources"]["terrain"]][0].startswith("GEBCO_2023")
    assert run(["profile", str(route_file), "-o", str(png)]) == 0
    cap = capsys.readouterr()
    assert cap.out == "" and cap.err == f"wrote {png}\n"


def test_tiles_fetch_json(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("WAKHAN_CACHE", raising=False)
    monkeypatch.delenv("WAKHAN_TILE_SOURCE", raising=False)
    data = gzip.compress(hgt_bytes(tile_heights(57, 11, 1201)))
    with TileServer({"/t/N57/N57E011.hgt.gz": data}) as srv:
        args = ["tiles", "fetch", "--bbox", "11.2", "57.2", "11.8", "57.8", "--tiles-dir", str(tmp_path)]
        args += ["--source", srv.url + "/t/{lat_band}/{name}.hgt.gz", "--json"]
        doc, _ = _doc(capsys, args)
        (tile,) = doc["tiles"]
        assert tile["name"] == "N57E011" and tile["status"] == "downloaded"
        assert doc["written"] == [tile] and tile["bytes"] == (tmp_path / tile["path"]).stat().st_size
        assert doc["data_sources"][0]["url_template"].endswith("{name}.hgt.gz")
        again, _ = _doc(capsys, args)
        assert again["tiles"][0]["status"] == "cached" and again["written"] == []
