"""Each route file format is written atomically and reads back with the same numbers."""

import json
import os

import numpy as np
import pytest

from wakhan.errors import DataError, InputError
from wakhan.route import Profile, RouteResult, build_summary
from wakhan.route.files import read_route, write_route

NUMBERS = (
    "length_km",
    "min_elevation_m",
    "mean_elevation_m",
    "median_elevation_m",
    "max_elevation_m",
    "km_above_4000m",
    "climb_m",
    "descent_m",
    "max_grade_pct",
    "start_elevation_m",
    "end_elevation_m",
)


@pytest.fixture
def route():
    d = np.arange(0, 40.0001, 0.4)
    z = np.where(d <= 20, 3000 + 100 * d, 5000 - 100 * (d - 20)) + 3 * np.sin(d)
    lat0 = 37.0
    lon = 72.0 + d / (111.32 * np.cos(np.radians(lat0)))
    # positions on a parallel; the written distance is geodesic-consistent to ~0.1 %
    from wakhan.route import geodesic_distance_km

    lat = np.full(d.size, lat0) + 0.01 * np.sin(d / 5)
    prof = Profile(geodesic_distance_km(lon, lat), lon, lat, z)
    summary = build_summary(
        prof,
        "Test route",
        places=None,
        country_at=lambda lo, la: np.full(np.size(lo), "AF"),
        cost=1234.5,
        cost_unit="m",
    )
    return RouteResult(summary=summary, profile=prof)


@pytest.mark.parametrize("ext", [".geojson", ".gpx", ".csv", ".gpkg"])
def test_every_format_reads_back(tmp_path, route, ext):
    path = write_route(tmp_path / f"r{ext}", route)
    assert [p.name for p in tmp_path.iterdir()] == [f"r{ext}"]  # no temporary left behind
    back = read_route(path, places=None, country_at=None)
    assert back.profile.distance_km == pytest.approx(route.profile.distance_km, abs=2e-3)
    assert back.profile.elevation_m == pytest.approx(route.profile.elevation_m, abs=0.06)
    assert back.profile.lon == pytest.approx(route.profile.lon, abs=1e-6)
    assert back.profile.lat == pytest.approx(route.profile.lat, abs=1e-6)
    for key in NUMBERS:
        assert getattr(back.summary.terrain, key) == pytest.approx(
            getattr(route.summary.terrain, key), rel=1e-3, abs=0.2
        ), key
    assert len(back.summary.terrain.passes) == len(route.summary.terrain.passes) == 1
    assert back.summary.terrain.passes[0]["km"] == pytest.approx(route.summary.terrain.passes[0]["km"], abs=0.01)
    if ext != ".csv":  # GeoJSON, GeoPackage and GPX carry the summary itself
        assert back.summary.name == "Test route"
        assert back.summary.terrain.countries_km == route.summary.terrain.countries_km
        assert back.summary.provenance.cost == 1234.5
    else:
        assert back.summary.name == "r"


def test_geojson_is_a_feature_collection_with_a_flat_route_line(tmp_path, route):
    path = write_route(tmp_path / "r.geojson", route)
    data = json.loads(path.read_text())
    assert data["type"] == "FeatureCollection"
    line = data["features"][0]
    assert line["geometry"]["type"] == "LineString" and line["properties"]["layer"] == "route"
    coords = np.array(line["geometry"]["coordinates"])
    assert coords.shape == (len(route.profile), 3)  # every profile point, with its height
    assert coords[:, 2].max() == pytest.approx(route.summary.terrain.max_elevation_m, abs=0.06)
    props = line["properties"]
    assert props["length_km"] == route.summary.terrain.length_km
    assert props["km_above_4000m"] == route.summary.terrain.km_above_4000m
    assert all(not isinstance(v, (dict, list)) for v in props.values())  # flat attributes only
    passes = [f for f in data["features"] if f["properties"]["layer"] == "passes"]
    assert len(passes) == 1 and passes[0]["geometry"]["type"] == "Point"


def test_gpx_has_elevations(tmp_path, route):
    text = write_route(tmp_path / "r.gpx", route).read_text()
    assert text.count("<trkpt") == len(route.profile)
    assert text.count("<ele>") == len(route.profile) + text.count("<wpt")
    assert 'xmlns="http://www.topografix.com/GPX/1/1"' in text


def test_bad_paths(tmp_path, route):
    with pytest.raises(InputError, match=r"\.geojson.*\.gpkg.*\.shp"):
        write_route(tmp_path / "r.dxf", route)
    with pytest.raises(InputError, match="does not exist"):
        write_route(tmp_path / "missing" / "r.geojson", route)
    with pytest.raises(InputError, match="does not exist"):
        read_route(tmp_path / "nothing.geojson")
    (tmp_path / "bad.geojson").write_text('{"type": "Feature", "geometry": {"type": "Point"}}')
    with pytest.raises(DataError):
        read_route(tmp_path / "bad.geojson")
    (tmp_path / "bad.csv").write_text("a,b\n1,2\n")
    with pytest.raises(DataError):
        read_route(tmp_path / "bad.csv", places=None, country_at=None)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "bad.geojson"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_folder(tmp_path, route):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(InputError, match="not writable"):
            write_route(folder / "r.geojson", route)
    finally:
        folder.chmod(0o700)
