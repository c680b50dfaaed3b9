"""A QGIS-style check of the vector outputs: every format pyogrio reads back with the expected layers
and attribute types; GPX parses with gpxpy with named waypoints; GeoPandas and __geo_interface__."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pyogrio
import pytest

from wakhan.cli import run
from wakhan.route import Profile, RouteResult, build_summary, geodesic_distance_km
from wakhan.route.files import read_route, write_route

ROUTE_FIELDS = {
    "name": "object",
    "length_km": "float64",
    "max_elevation_m": "float64",
    "km_above_4000m": "float64",
    "climb_m": "float64",
    "n_passes": "int64",
    "countries": "object",
    "km_in_AF": "float64",
}
PASS_FIELDS = {"name": "object", "km": "float64", "elevation_m": "float64", "prominence_m": "float64"}
TUNNEL = {
    "length_km": 4.2,
    "max_cover_m": 850.0,
    "cost_usd": 2.1e9,
    "portal_a": {"lat": 37.02, "lon": 72.30, "elevation_m": 4300.0},
    "portal_b": {"lat": 37.03, "lon": 72.35, "elevation_m": 4350.0},
}


@pytest.fixture
def route():
    """40 km over one 5,000 m pass near 72.2E, 37N; a pass and a village named from a built gazetteer."""
    d = np.arange(0, 40.0001, 0.4)
    z = np.where(d <= 20, 3000 + 100 * d, 5000 - 100 * (d - 20))
    lon = 72.0 + d / (111.32 * np.cos(np.radians(37.0)))
    lat = np.full(d.size, 37.0)
    prof = Profile(geodesic_distance_km(lon, lat), lon, lat, z)
    P = type("P", (), {})
    top, start = P(), P()
    top.name, top.lon, top.lat, top.kind = "Test Pass", float(lon[50]), 37.001, "pass"
    start.name, start.lon, start.lat, start.kind = "Startville", float(lon[0]), 37.0, "village"
    s = build_summary(
        prof,
        "Test route",
        places=[top, start],
        country_at=lambda lo, la: np.full(np.size(lo), "AF"),
        cost=1234.5,
        cost_unit="m",
        waypoints=[
            {"name": "Startville", "lon": lon[0], "lat": lat[0]},
            {"name": "End", "lon": lon[-1], "lat": lat[-1]},
        ],
        tunnels=[TUNNEL],
    )
    return RouteResult(summary=s, profile=prof)


def _dtypes(path, layer):
    info = pyogrio.read_info(path, layer=layer)
    return dict(zip(info["fields"], info["dtypes"])), info


@pytest.mark.parametrize("ext", [".gpkg", ".kml", ".geojson"])
def test_multi_layer_formats(tmp_path, route, ext):
    path = write_route(tmp_path / f"r{ext}", route)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
    if ext == ".geojson":  # one FeatureCollection; each feature names its layer
        import shapely

        meta, _, geoms, values = pyogrio.raw.read(path)
        layer = list(values[list(meta["fields"]).index("layer")])
        assert layer.count("route") == 1 and layer.count("passes") == 1 and layer.count("tunnels") == 2
        line = shapely.from_wkb(geoms[layer.index("route")])
        assert line.geom_type == "LineString" and line.has_z
        return
    layers = [str(n) for n, _ in pyogrio.list_layers(path)]
    assert layers == ["route", "passes", "places", "waypoints", "tunnels"]
    types, info = _dtypes(path, "route")
    assert info["features"] == 1 and info["crs"] == "EPSG:4326"
    if ext == ".gpkg":  # KML keeps text only; GeoPackage keeps numeric types
        assert info["geometry_type"] == "LineString Z"
        for field, dtype in ROUTE_FIELDS.items():
            assert types[field] == dtype, field
        assert pyogrio.read_info(path, layer="passes")["geometry_type"] == "Point Z"
        for field, dtype in PASS_FIELDS.items():
            assert _dtypes(path, "passes")[0][field] == dtype, field
    meta, _, _, values = pyogrio.raw.read(path, layer="passes")
    name = "Name" if ext == ".kml" else "name"  # KML puts it in the placemark's <name>
    assert list(values[list(meta["fields"]).index(name)]) == ["Test Pass"]
    _meta, _, _, values = pyogrio.raw.read(path, layer="tunnels")
    assert len(values[0]) == 2  # both portals


@pytest.mark.parametrize("ext", [".fgb", ".shp"])
def test_one_layer_formats_write_a_file_per_layer(tmp_path, route, ext):
    path = write_route(tmp_path / f"r{ext}", route)
    for layer in ("", "_passes", "_places", "_waypoints", "_tunnels"):
        assert (tmp_path / f"r{layer}{ext}").is_file(), layer
    types, info = _dtypes(path, None)
    assert info["features"] == 1 and info["geometry_type"] == "LineString Z" and info["crs"] == "EPSG:4326"
    assert types["length_km"] == "float64" and types["name"] == "object"
    assert not [p for p in tmp_path.iterdir() if ".part" in p.name or p.name.startswith(".")]
    back = read_route(path, places=None, country_at=None)
    assert back.summary.name == "Test route"
    assert back.summary.terrain.max_elevation_m == pytest.approx(5000, abs=1)
    assert back.summary.terrain.length_km == pytest.approx(route.summary.terrain.length_km, abs=0.01)


def test_gpx_parses_with_gpxpy_with_named_waypoints(tmp_path, route):
    gpxpy = pytest.importorskip("gpxpy")
    path = write_route(tmp_path / "r.gpx", route)
    gpx = gpxpy.parse(path.read_text())
    names = {w.name: w for w in gpx.waypoints}
    assert {"Startville", "End", "Test Pass"} <= set(names)
    assert names["Test Pass"].type == "pass" and names["Test Pass"].elevation == pytest.approx(5000, abs=1)
    pts = gpx.tracks[0].segments[0].points
    assert len(pts) == len(route.profile) and max(p.elevation for p in pts) == pytest.approx(5000, abs=0.1)
    back = read_route(path)
    assert back.summary.engineering.tunnels == [TUNNEL]  # the summary travels in the extensions


def test_geo_interface_geodataframe_and_short_repr(route):
    gi = route.__geo_interface__
    assert gi["type"] == "FeatureCollection"
    assert [f["properties"]["layer"] for f in gi["features"]][:2] == ["route", "passes"]
    shapely = pytest.importorskip("shapely")
    assert shapely.geometry.shape(gi["features"][0]["geometry"]).length > 0
    gpd = pytest.importorskip("geopandas")
    gdf = route.to_geodataframe()
    assert isinstance(gdf, gpd.GeoDataFrame) and len(gdf) == 1 and gdf.crs.to_epsg() == 4326
    assert gdf["length_km"].iloc[0] == route.summary.terrain.length_km
    tunnels = route.to_geodataframe("tunnels")
    assert len(tunnels) == 2 and set(tunnels["portal"]) == {"a", "b"}
    text = repr(route)
    assert len(text) < 200 and "Test route" in text and "40.0 km" in text


def test_route_to_stdout(capsys):
    assert run(["route", "Tashkurgan", "Dafdar", "--buffer-km", "10", "-o", "-"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["type"] == "FeatureCollection" and doc["features"][0]["properties"]["name"] == "Tashkurgan - Dafdar"
    assert run(["route", "Tashkurgan", "Dafdar", "--buffer-km", "10", "-o", "-", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("distance_km,lat,lon,elevation_m,data_source,source_resolution,grid_cell_m\n")
    assert out.count("\n") > 20
    # Tashkurgan - Dafdar (37.8 N) lies where the pack's GEBCO 15" covers, solved on its 464 m grid
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["data_source"].split(" ")[0] for r in rows} == {"GEBCO_2023"}
    assert {r["source_resolution"] for r in rows} == {'15" (~460 m)'} and {r["grid_cell_m"] for r in rows} == {"464"}


@pytest.mark.parametrize("args", [["--format", "gpx", "-o", "OUT/r.geojson"], ["--format", "csv"]])
def test_format_without_stdout_is_refused_not_ignored(args, tmp_path, capsys, monkeypatch):
    """--format is for -o -; given with a file (or no -o) it was ignored: `--format gpx -o r.geojson` exited 0
    with GeoJSON in the file. Refused before the route is solved, naming the extension that gives the format."""
    import wakhan.plan

    def no_route(*a, **k):
        raise AssertionError("the route was solved before --format was checked")

    monkeypatch.setattr(wakhan.plan, "plan_route", no_route)
    argv = ["route", "Tashkurgan", "Dafdar", *[a.replace("OUT", str(tmp_path)) for a in args]]
    assert run(argv) == 2
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and "--format" in lines[0] and "-o -" in lines[0] and "extension" in lines[0], err
    assert list(tmp_path.iterdir()) == []


def test_format_matching_the_files_extension_is_accepted(tmp_path):
    assert (
        run(["route", "Tashkurgan", "Dafdar", "--buffer-km", "10", "--format", "gpx", "-o", str(tmp_path / "r.gpx")])
        == 0
    )
    assert (tmp_path / "r.gpx").read_text().lstrip().startswith("<?xml")
