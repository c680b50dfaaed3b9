"""The deviation of a route from a real road (issue 17): PDI (Jan et al. 1999), buffer shares, Hausdorff.

Expected values are hand-computed (parallel lines, a triangle detour, two lobes) or come
from an independent implementation of leastcostpath's published PDI_validation recipe
(R, Joseph Lewis): the route's end vertices replaced by the reference's, the ring
``reverse(route) + reference``, its shoelace area over the straight distance between
the reference's ends.
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
from pyproj import Geod
from shapely.geometry import LineString

from wakhan.cli import run
from wakhan.errors import InputError
from wakhan.route import RouteResult, profile_from_lonlat
from wakhan.route.deviation import _within_pct, path_deviation, read_reference, reference_fields


def test_parallel_lines_pdi_is_their_separation():
    for sep in (250.0, 1000.0, 3000.0):
        d = path_deviation(LineString([(0, sep), (4000, sep), (12_000, sep)]), LineString([(0, 0), (12_000, 0)]))
        assert d["pdi_km"] == pytest.approx(sep / 1000, rel=1e-9)
        assert d["npdi_pct"] == pytest.approx(100 * sep / 12_000, rel=1e-6)


def test_triangle_detour_pdi_is_triangle_area_over_base():
    # apex 3 km off a 10 km base: area 15 km2, PDI 1.5 km, normalised 15 %
    d = path_deviation(LineString([(0, 0), (5000, 3000), (10_000, 0)]), LineString([(0, 0), (10_000, 0)]))
    assert d["area_km2"] == pytest.approx(15.0)
    assert d["pdi_km"] == pytest.approx(1.5)
    assert d["npdi_pct"] == pytest.approx(15.0)


def test_crossing_paths_count_both_lobes():
    # the route crosses the road at 5 km: two triangles of 2.5 km2 each (a signed ring area would give 0)
    route = LineString([(0, 0), (2500, 1000), (5000, 0), (7500, -1000), (10_000, 0)])
    d = path_deviation(route, LineString([(0, 0), (10_000, 0)]))
    assert d["area_km2"] == pytest.approx(5.0)
    assert d["pdi_km"] == pytest.approx(0.5)


def _leastcostpath_pdi(lcp: np.ndarray, comparison: np.ndarray) -> tuple[float, float]:
    """leastcostpath's PDI_validation, re-implemented from its documentation (shoelace area)."""
    x = lcp.copy()
    x[0], x[-1] = comparison[0], comparison[-1]
    ring = np.vstack([x[::-1], comparison])
    area = 0.5 * abs(np.dot(ring[:, 0], np.roll(ring[:, 1], -1)) - np.dot(ring[:, 1], np.roll(ring[:, 0], -1)))
    dist = float(np.hypot(*(comparison[-1] - comparison[0])))
    pdi = area / dist
    return pdi, pdi / dist * 100


@pytest.mark.parametrize("seed", range(5))
def test_agrees_with_leastcostpath_definition_when_the_paths_do_not_cross(seed):
    rng = np.random.default_rng(seed)
    xs = np.linspace(0, 20_000, 41)
    ref = np.column_stack([xs, -rng.uniform(0, 2000, xs.size)])  # the road: below the x axis
    ref[0, 1] = ref[-1, 1] = 0.0
    xr = np.linspace(0, 20_000, 23)
    route = np.column_stack([xr, rng.uniform(0, 3000, xr.size)])  # the route: above it
    route[0, 1] = route[-1, 1] = 0.0  # same ends: leastcostpath replaces them, wakhan joins them
    pdi_m, npdi = _leastcostpath_pdi(route, ref)
    d = path_deviation(LineString(route), LineString(ref))
    assert d["pdi_km"] == pytest.approx(pdi_m / 1000, rel=1e-6)
    assert d["npdi_pct"] == pytest.approx(npdi, rel=1e-6)


def test_within_pct_hand_computed():
    # 5 km on the road, a 1.5 km jog away, 5 km along a parallel 1.5 km off: 11.5 km in all
    route = LineString([(0, 0), (5000, 0), (5000, 1500), (10_000, 1500)])
    w = _within_pct(route, LineString([(0, 0), (10_000, 0)]))
    assert w["0.5"] == pytest.approx(100 * 5500 / 11_500, abs=0.5)
    assert w["1"] == pytest.approx(100 * 6000 / 11_500, abs=0.5)
    assert w["2"] == 100.0 and w["5"] == 100.0


def _parallel(lat0, lat1, lons):
    return list(lons), [lat0] * len(lons), LineString([(x, lat1) for x in lons])


def test_reference_fields_on_the_ellipsoid():
    lons = np.linspace(8.0, 8.6, 13)
    lon, lat, road = _parallel(46.5, 46.52, lons)
    f = reference_fields(lon, lat, road)
    sep_km = Geod(ellps="WGS84").inv(8.3, 46.5, 8.3, 46.52)[2] / 1000  # 2.22 km of meridian
    assert f["pdi_km"] == pytest.approx(sep_km, rel=0.005)
    assert f["hausdorff_km"] == pytest.approx(sep_km, rel=0.005)
    assert f["length_ratio"] == pytest.approx(1.0, abs=0.002)
    assert f["within_pct"] == {"0.5": 0.0, "1": 0.0, "2": 0.0, "5": 100.0}
    assert set(f) >= {"pdi_km", "npdi_pct", "within_pct", "hausdorff_km", "length_ratio"}


def test_a_longer_reverse_running_road_is_clipped_and_turned():
    lons = np.linspace(8.0, 8.6, 13)
    lon, lat, road = _parallel(46.5, 46.52, lons)
    longer = LineString([(x, 46.52) for x in np.linspace(8.9, 7.7, 25)])  # runs on beyond both ends, east to west
    a = reference_fields(lon, lat, road)
    b = reference_fields(lon, lat, longer)
    for key in ("pdi_km", "hausdorff_km", "length_ratio"):
        assert b[key] == pytest.approx(a[key], rel=0.01)


def test_compare_to_takes_a_line_a_geoseries_or_a_file(tmp_path):
    geopandas = pytest.importorskip("geopandas")
    lons = np.linspace(8.0, 8.3, 7)
    r = RouteResult({"name": "r"}, profile_from_lonlat(lons, np.full(7, 46.5), np.full(7, 1000.0)))
    line = LineString([(x, 46.51) for x in lons])
    f = tmp_path / "road.geojson"
    geopandas.GeoSeries([line], crs="EPSG:4326").to_file(f)
    utm = geopandas.GeoSeries([line], crs="EPSG:4326").to_crs("EPSG:32632")
    a, b, c = r.compare_to(line), r.compare_to(utm), r.compare_to(f)
    assert a["pdi_km"] == pytest.approx(b["pdi_km"], rel=1e-4) == pytest.approx(c["pdi_km"], rel=1e-4)
    assert c["file"] == str(f)


def test_gpx_track_is_read_not_its_waypoints(tmp_path):
    gpx = tmp_path / "t.gpx"
    gpx.write_text(
        '<?xml version="1.0"?><gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">'
        '<wpt lat="46.5" lon="8.0"><name>a</name></wpt>'
        '<trk><trkseg><trkpt lat="46.5" lon="8.0"/><trkpt lat="46.6" lon="8.1"/></trkseg>'
        '<trkseg><trkpt lat="46.6" lon="8.1"/><trkpt lat="46.7" lon="8.1"/></trkseg></trk></gpx>'
    )
    assert read_reference(gpx).coords[:] == [(8.0, 46.5), (8.1, 46.6), (8.1, 46.7)]


def _write(path, features, crs=True):
    fc = {"type": "FeatureCollection", "features": features}
    path.write_text(json.dumps(fc))
    return path


def test_reference_far_from_the_ends_is_refused():
    road = LineString([(8.0, 47.0), (8.5, 47.0)])  # 55 km north of the route
    with pytest.raises(InputError, match="from the route's start"):
        reference_fields([8.0, 8.5], [46.5, 46.5], road, name="far.geojson")


def _meridian_parts(lat_deg):
    """Two parts of the 8th meridian, 46.0-46.1 and lat_deg-46.3 north, the second in file order reversed."""
    return [
        {
            "type": "Feature",
            "properties": {},
            "geometry": {"type": "LineString", "coordinates": [[8.0, 46.0], [8.0, 46.1]]},
        },
        {
            "type": "Feature",
            "properties": {},
            "geometry": {"type": "LineString", "coordinates": [[8.0, 46.3], [8.0, lat_deg]]},
        },
    ]


def test_parts_a_digitising_gap_apart_are_joined(tmp_path):
    # 0.005 degree of latitude at 46.1 N: the meridian radius M = a(1-e2)/(1-e2 sin2 46.1)^1.5 = 6,368.6 km
    # (WGS84), 111.15 km per degree, so the gap is 0.56 km: under the 2 km allowed, joined end to nearest end
    f = _write(tmp_path / "road.geojson", _meridian_parts(46.105))
    assert read_reference(f).coords[:] == [(8.0, 46.0), (8.0, 46.1), (8.0, 46.105), (8.0, 46.3)]


def test_parts_far_apart_are_refused_naming_the_file_and_the_gap(tmp_path):
    # 0.1 degree of latitude at 46.15 N: 111.15 km per degree (above), so 11.1 km between the parts
    f = _write(tmp_path / "two.geojson", _meridian_parts(46.2))
    with pytest.raises(InputError) as err:
        read_reference(f)
    msg = str(err.value)
    assert f"--reference {f}" in msg and "11.1 km" in msg and "give one road, or join its parts" in msg
    assert msg.count(";") == 1 and "\n" not in msg


def test_a_geoseries_of_two_roads_is_refused_too():
    geopandas = pytest.importorskip("geopandas")
    p = profile_from_lonlat([8.0, 8.0], [46.0, 46.3], [1000.0, 1000.0])
    two = geopandas.GeoSeries(
        [LineString([(8.0, 46.0), (8.0, 46.3)]), LineString([(9.0, 47.0), (9.1, 47.0)])], crs="EPSG:4326"
    )
    with pytest.raises(InputError, match="give one road, or join its parts"):
        RouteResult({"name": "r"}, p).compare_to(two, name="roads")


@pytest.mark.parametrize(
    "kind, message",
    [
        ("missing", "no such file"),
        ("empty", "holds no line (it has no features)"),  # a valid FeatureCollection, no line
        ("points", "holds no lines"),
        ("nocrs", "no coordinate reference system"),
        ("far", "from the route's"),
        ("two", "give one road, or join its parts"),  # the road and an unrelated line near Kabul
        ("garbage", "could not be read"),
    ],
)
def test_bad_reference_exits_2_before_routing(tmp_path, capsys, kind, message):
    geopandas = pytest.importorskip("geopandas")
    inputs = tmp_path / "in"
    inputs.mkdir()
    line = {"type": "LineString", "coordinates": [[75.2, 37.7], [75.2, 37.3]]}
    if kind == "empty":
        f = _write(inputs / "empty.geojson", [])
    elif kind == "points":
        f = _write(
            inputs / "p.geojson",
            [{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [75.2, 37.7]}}],
        )
    elif kind == "nocrs":
        f = inputs / "nocrs.shp"
        with warnings.catch_warnings():  # pyogrio warns that the file will have no CRS (fiona, under
            warnings.simplefilter("ignore")  # geopandas 0.14, does not): no CRS is the point of the case
            geopandas.GeoSeries([LineString(line["coordinates"])]).to_file(f)
        assert not f.with_suffix(".prj").exists()
    elif kind == "far":  # near Kabul
        f = _write(
            inputs / "far.geojson",
            [
                {
                    "type": "Feature",
                    "properties": {},
                    "geometry": {"type": "LineString", "coordinates": [[69.1, 34.5], [69.2, 34.6]]},
                }
            ],
        )
    elif kind == "two":
        f = _write(
            inputs / "two.geojson",
            [
                {"type": "Feature", "properties": {}, "geometry": line},
                {
                    "type": "Feature",
                    "properties": {},
                    "geometry": {"type": "LineString", "coordinates": [[69.1, 34.5], [69.2, 34.6]]},
                },
            ],
        )
    elif kind == "garbage":
        f = inputs / "g.gpkg"
        f.write_bytes(b"not a geopackage")
    else:
        f = inputs / "none.geojson"
    out = tmp_path / "out"
    out.mkdir()
    assert run(["route", "37.77,75.23", "37.3,75.2", "--reference", str(f), "-o", str(out / "r.geojson")]) == 2
    err = capsys.readouterr().err
    assert message in err and str(f.name) in err
    assert err.count("\n") == 1
    assert list(out.iterdir()) == []


@pytest.mark.slow
def test_route_with_reference_in_json_and_gis_attributes(tmp_path, capsys):
    pyogrio = pytest.importorskip("pyogrio")
    road = _write(
        tmp_path / "road.geojson",
        [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "LineString", "coordinates": [[75.23, 37.77], [75.3, 37.6], [75.2, 37.45]]},
            }
        ],
    )
    gpkg = tmp_path / "r.gpkg"
    assert run(["route", "37.77,75.23", "37.45,75.2", "--reference", str(road), "-o", str(gpkg), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    ref = summary["reference"]
    assert set(ref["within_pct"]) == {"0.5", "1", "2", "5"}
    assert 0 <= ref["within_pct"]["0.5"] <= ref["within_pct"]["1"] <= ref["within_pct"]["2"] <= ref["within_pct"]["5"]
    assert ref["npdi_pct"] == pytest.approx(100 * ref["pdi_km"] / ref["straight_km"], rel=1e-2)
    attrs = pyogrio.read_dataframe(gpkg, layer="route")
    assert attrs["ref_pdi_km"][0] == pytest.approx(ref["pdi_km"])
    assert attrs["ref_within_2km_pct"][0] == pytest.approx(ref["within_pct"]["2"])


def _feature(coords):
    return {"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": coords}}


def test_parts_listed_out_of_order_and_reversed_join_into_the_one_line(tmp_path):
    """A middle part first and the first part reversed: the parts are joined in road order, not file order.

    Grown at its tail only, the line went 46.1005-46.2, 46.2005-46.3, then jumped 22 km back to
    46.1 and was refused as two roads.
    """
    f = _write(
        tmp_path / "shuffled.geojson",
        [
            _feature([[8.0, 46.1005], [8.0, 46.2]]),
            _feature([[8.0, 46.1], [8.0, 46.0]]),
            _feature([[8.0, 46.2005], [8.0, 46.3]]),
        ],
    )
    line = read_reference(f)
    lats, road_order = [lat for _, lat in line.coords], [46.0, 46.1, 46.1005, 46.2, 46.2005, 46.3]
    assert lats in (road_order, road_order[::-1])  # either way along the road: the route's ends orient it
    # a route along the same meridian: 0.3 degree of latitude at 46.15 N is 3 x 11.115 km (111.15 km a
    # degree, the WGS84 meridian radius above), and the route lies on the road
    fields = reference_fields([8.0, 8.0], [46.0, 46.3], line, name="shuffled.geojson")
    assert fields["reference_km"] == pytest.approx(33.345, abs=0.05)
    assert fields["pdi_km"] == pytest.approx(0.0, abs=0.01) and fields["within_pct"]["0.5"] == 100.0


def test_a_short_middle_part_first_is_not_joined_by_a_zigzag():
    """Parts 0.55 km long: tail-only joining turned back 1.1 km to the first part, a zigzag within the gap limit."""
    from wakhan.route.deviation import _as_line

    parts = [
        LineString([(8.0, 46.0051), (8.0, 46.01)]),
        LineString([(8.0, 46.0), (8.0, 46.005)]),
        LineString([(8.0, 46.0101), (8.0, 46.015)]),
    ]
    lats = [lat for _, lat in _as_line(parts, "the reference").coords]
    assert lats == sorted(lats) and (lats[0], lats[-1]) == (46.0, 46.015)
    # the joined line is the meridian arc 46.0-46.015 N: 0.015 x 111.15 km = 1.667 km, not the zigzag's 3.9 km
    _, _, length_m = Geod(ellps="WGS84").inv([8.0] * (len(lats) - 1), lats[:-1], [8.0] * (len(lats) - 1), lats[1:])
    assert float(np.sum(length_m)) == pytest.approx(1667.0, abs=5.0)


def test_a_reference_drawn_against_the_route_whose_ends_are_the_routes_has_its_full_length():
    """Reversed, L - L rounded to -7e-12 m, which substring read as counted from the far end: no length."""
    road = LineString([(8.0, 46.3), (8.0, 46.2005), (8.0, 46.2), (8.0, 46.1005), (8.0, 46.1), (8.0, 46.0)])
    fields = reference_fields([8.0, 8.0], [46.0, 46.3], road, name="reversed.geojson")
    assert fields["reference_km"] == pytest.approx(33.345, abs=0.05)  # 0.3 x 111.15 km (above)
