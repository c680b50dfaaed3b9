"""The Python API refuses bad input in one sentence (InputError), as the CLI does, before any work."""

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from wakhan.errors import InputError
from wakhan.plan import plan_route


@pytest.fixture
def swiss_box_dem(tmp_path, monkeypatch):
    """A 1 x 1 degree GeoTIFF over 46-47N, 8-9E (the Swiss tile's box); building a grid from it is an error here."""
    path = tmp_path / "alps.tif"
    profile = dict(driver="GTiff", width=12, height=12, count=1, dtype="int16", crs="EPSG:4326")
    with rasterio.open(path, "w", transform=from_origin(8.0, 47.0, 1 / 12, 1 / 12), **profile) as ds:
        ds.write(np.full((1, 12, 12), 1500, np.int16))

    def no_grid(*_a, **_k):
        raise AssertionError("a grid was built for a waypoint outside the file")

    monkeypatch.setattr("wakhan.plan.waypoints.dem_around", no_grid)
    return path


def test_a_waypoint_given_lon_lat_on_a_dem_file_is_called_swapped(swiss_box_dem):
    """Wassen given as 8.599,46.706 (LON,LAT) on a file over 46-47N 8-9E asked for a 2.3 G-cell grid and
    26 GB ("use --resolution 110"); 46.706N 8.599E is inside the file, so the fix is the order."""
    with pytest.raises(InputError, match=r"8\.599.*46\.706.*outside.*alps\.tif.*inside as 46\.706,8\.599.*LAT,LON"):
        plan_route(["8.599,46.706", "46.705,8.228"], dem=swiss_box_dem, places=None)


def test_a_place_far_outside_a_dem_file_is_refused_before_any_grid(swiss_box_dem):
    """Kashgar (39.47N 75.99E) routed on a file over 46-47N 8-9E: the grid spanning both was sized, and the
    process was killed for memory (24 GB resident) before any message."""
    with pytest.raises(InputError, match=r"Kashgar.*outside.*alps\.tif \(46-47N, 8-9E\)"):
        plan_route(["Kashgar", "46.705,8.228"], dem=swiss_box_dem, places=None)


def test_a_swapped_point_on_the_pack_says_lat_lon():
    """39.47N 75.99E (Kashgar) is in the pack (33.5-40.5N, 67.5-77E); 75.99,39.47 is not, but is when swapped."""
    with pytest.raises(InputError, match=r"inside as 39\.47,75\.99: give points as LAT,LON"):
        plan_route(["75.99,39.47", "Tashkurgan"])


def test_a_summary_and_a_dem_print_in_one_line_in_a_notebook():
    """`route.summary` in a notebook printed 17 kB (every coordinate of the line) and `route.dem` a numpy
    excerpt and a WKT; a reader wants the headline numbers. 4 M cells, as a 2,000 x 2,000 grid."""
    from affine import Affine

    from wakhan.grid import DataSource, Grid
    from wakhan.route import RouteSummary

    line = {"type": "LineString", "coordinates": [[70 + i / 1000, 37.0, 3000.0] for i in range(2000)]}
    s = RouteSummary.of(
        name="Kashgar - Kabul", length_km=1328.7, max_elevation_m=4859.4, model="highway", geometry=line
    ).with_fields(cost_usd={"low": 1.3e9, "high": 3.7e9})
    text = repr(s)
    assert "\n" not in text and len(text) < 200, text
    assert "1,328.7 km" in text and "4,859 m" in text and "US$ 1.30-3.70 bn" in text and "70.001" not in text
    dem = Grid(
        np.zeros((2000, 2000), np.float32),
        Affine(464.0, 0, 400_000, 0, -464.0, 4_400_000),
        "EPSG:32643",
        sources=(DataSource("GEBCO_2023", '15"'),),
    )
    text = repr(dem)
    assert "\n" not in text and len(text) < 200, text
    assert "2,000 x 2,000" in text and "464 x 464 m" in text and "EPSG:32643" in text and "GEBCO_2023" in text


@pytest.fixture
def swiss_route():
    """A 7.7 km route due east along 46.5N from 8.0E to 8.1E (0.1 deg x 111.32 km x cos 46.5 = 7.66 km)."""
    from wakhan.route import RouteResult, profile_from_lonlat

    lon = np.linspace(8.0, 8.1, 21)
    return RouteResult({"name": "east"}, profile_from_lonlat(lon, np.full(21, 46.5), np.full(21, 1000.0)))


def test_compare_to_takes_lon_lat_pairs_as_its_docstring_says(swiss_route):
    """A reference given as a list of (lon, lat) pairs raised TypeError from pathlib; a line 1 km north
    (0.009 deg of latitude) lies 1 km off the whole route: none of it within 0.5 km, all within 2 km."""
    ref = swiss_route.compare_to([(8.0, 46.509), (8.1, 46.509)])
    assert ref["within_pct"]["0.5"] == 0.0 and ref["within_pct"]["2"] == 100.0
    assert ref["hausdorff_km"] == pytest.approx(1.0, abs=0.01)


@pytest.mark.parametrize(
    "line, match",
    [
        ([(46.5, 8.0), (46.5, 8.1)], r"swapped: give \(lon, lat\) pairs"),  # (lat, lon) pairs
        ([(405_000.0, 5_150_000.0), (413_000.0, 5_150_000.0)], "not longitude/latitude"),  # UTM 32N metres
        (None, "must be a line"),
        (5, "must be a line"),
    ],
)
def test_compare_to_names_a_reference_it_cannot_read(swiss_route, line, match):
    """(lat, lon) pairs were "4,401 km from the route's start", metres "inf km", None a TypeError."""
    with pytest.raises(InputError, match=match):
        swiss_route.compare_to(line)


def test_a_waypoint_may_be_a_lat_lon_pair_of_numbers():
    """(39.4704, 75.9898) was 'unknown place (39.47, 75.99) ... give LAT,LON', which it was; None raised
    TypeError. Kashgar's gazetteer point is 39.4704N 75.9898E."""
    from wakhan.plan.waypoints import resolve_waypoints

    a, b = resolve_waypoints([(39.4704, 75.9898), [37.775, 75.227]])
    assert (a.lat, a.lon, b.lat, b.lon) == (39.4704, 75.9898, 37.775, 75.227)
    with pytest.raises(InputError, match="waypoints must be a list"):
        resolve_waypoints(None)


@pytest.mark.parametrize(
    "keyword, suggestion", [("max_grade", "max_grade_pct"), ("design_grade", "design_grade_pct"), ("tunels", "tunnels")]
)
def test_an_option_named_as_on_the_cli_names_its_python_keyword(keyword, suggestion):
    """--max-grade is max_grade_pct in Python; `plan_route(..., max_grade=8)` raised a bare TypeError from
    PlanOptions.__init__. It still is a TypeError (Python's rule for a wrong keyword), and says which."""
    with pytest.raises(InputError, match=f"no route option '{keyword}'.*did you mean {suggestion}\\?") as err:
        plan_route(["Kashgar", "Tashkurgan"], **{keyword: 8})
    assert isinstance(err.value, TypeError)


def test_a_bounding_box_given_latitude_first_is_told_to_put_longitude_first():
    """build_dem((37.5, 74.0, 37.6, 74.1)), (south, west, north, east) for 37.5-37.6N 74.0-74.1E, inside the pack,
    was only 'outside every elevation source'."""
    from wakhan.dem import build_dem

    with pytest.raises(InputError, match=r"\(74, 37\.5, 74\.1, 37\.6\) lies inside: give the box as \(west, south"):
        build_dem((37.5, 74.0, 37.6, 74.1))


def test_a_solver_path_prints_in_one_line():
    """`route.paths` of the Kashgar - Wakhjir route (1,119 cells) printed 30 kB of index and coordinate arrays."""
    from wakhan.solve.results import Path

    n = 1119
    rows, cols = np.arange(n), np.arange(n) // 2
    p = Path(rows, cols, np.full(n - 1, 464.0), 464.0 * (n - 1), "m", cols * 464.0, rows * -464.0)
    text = repr(p)
    assert "\n" not in text and len(text) < 120, text
    assert "1,119 cells" in text and "(0, 0) to (1118, 559)" in text and "518,752.0 m" in text  # 1,118 steps x 464 m


@pytest.mark.parametrize("call", ["check_bbox", "build_dem"])
def test_a_latitude_first_box_with_longitude_over_90_is_told_to_put_longitude_first(call):
    """(37.5, 95.0, 37.6, 95.1) is (south, west, north, east) for 37.5-37.6N 95.0-95.1E: read longitude first its
    'south' 95 is past the pole, so check_bbox said only 'not a box', before build_dem could give its hint."""
    from wakhan.dem import build_dem
    from wakhan.dem.project import check_bbox

    fn = check_bbox if call == "check_bbox" else build_dem
    with pytest.raises(InputError, match=r"but \(95, 37\.5, 95\.1, 37\.6\) is one: give the box as \(west, south, "):
        fn((37.5, 95.0, 37.6, 95.1))


def test_a_box_wrong_either_way_gets_no_order_hint():
    from wakhan.dem.project import check_bbox

    with pytest.raises(InputError) as err:
        check_bbox((95.0, 95.0, 96.0, 96.0))  # south 95 read either way: not a box in any order
    assert "longitude first" not in str(err.value)
