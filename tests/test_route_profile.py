"""Profiles along solver paths: densified, sampled bilinearly, measured geodesically."""

from types import SimpleNamespace

import numpy as np
import pytest
from affine import Affine
from pyproj import Geod, Transformer

from wakhan.errors import RouteError
from wakhan.grid import DataSource, Grid
from wakhan.route import profile_from_path

UTM43 = "EPSG:32643"  # central meridian 75E, scale factor 0.9996 there


def plane_dem(res=460.0, n=400):
    """A tilted plane z = 2000 + 0.01 * (x - x0) m on a UTM 43N grid around 75E 37N."""
    x0, y0 = Transformer.from_crs("EPSG:4326", UTM43, always_xy=True).transform(75.0, 37.0)
    left, top = x0 - n / 2 * res, y0 + n / 2 * res
    t = Affine(res, 0, left, 0, -res, top)
    cols = np.arange(n)
    xc = left + (cols + 0.5) * res
    arr = np.tile(2000 + 0.01 * (xc - x0), (n, 1)).astype(np.float32)
    return Grid(arr, t, UTM43, sources=(DataSource("plane", f"{res:.0f} m"),)), x0


def path_along_row(dem, row, c0, c1):
    cols = np.arange(c0, c1 + 1)
    x, y = dem.xy(np.full(cols.size, row), cols)
    return SimpleNamespace(rows=np.full(cols.size, row), cols=cols, x=x, y=y)


def test_densified_sampled_and_geodesic():
    dem, x0 = plane_dem()
    # a diagonal path (steps of sqrt(2) cells) is densified to the cell size
    rows = np.arange(50, 350)
    cols = np.arange(50, 350)
    x, y = dem.xy(rows, cols)
    prof = profile_from_path(SimpleNamespace(rows=rows, cols=cols, x=x, y=y), dem)
    step_m = np.hypot(np.diff(prof.x), np.diff(prof.y))
    assert step_m.max() <= 460.0 + 1e-6
    assert len(prof) > rows.size
    # bilinear sampling reproduces a plane exactly
    assert prof.elevation_m == pytest.approx(2000 + 0.01 * (prof.x - x0), abs=0.01)
    # distance is the WGS84 geodesic, not the UTM length (UTM shrinks lengths by 0.9996 near 75E)
    projected_km = np.hypot(x[-1] - x[0], y[-1] - y[0]) / 1000
    _, _, geodesic_m = Geod(ellps="WGS84").inv(prof.lon[0], prof.lat[0], prof.lon[-1], prof.lat[-1])
    assert prof.distance_km[-1] == pytest.approx(geodesic_m / 1000, abs=0.002)
    assert prof.distance_km[-1] - projected_km > 0.03  # ~0.04 % of 195 km
    assert np.all(np.diff(prof.distance_km) > 0)


def test_legs_join_without_repeating_the_waypoint():
    dem, _ = plane_dem()
    a = path_along_row(dem, 200, 100, 150)
    b = path_along_row(dem, 200, 150, 220)
    joined = profile_from_path([a, b], dem)
    single = profile_from_path(path_along_row(dem, 200, 100, 220), dem)
    assert len(joined) == len(single)
    assert joined.distance_km[-1] == pytest.approx(single.distance_km[-1])
    assert joined.at_km(10.0)[2] == pytest.approx(single.at_km(10.0)[2])


def test_missing_cells_fall_back_to_nearest_and_tiny_route_fails():
    dem, _ = plane_dem()
    arr = dem.array.copy()
    arr[200, 131] = np.nan  # a void beside the path's cells
    dem2 = dem.with_array(arr)
    prof = profile_from_path(path_along_row(dem2, 200, 100, 130), dem2)
    assert np.isfinite(prof.elevation_m).all()
    with pytest.raises(RouteError):
        profile_from_path(path_along_row(dem, 200, 100, 100), dem)


def test_arrays_of_different_lengths_are_named_with_their_lengths():
    """Three longitudes and two latitudes reached pyproj as 'Array lengths are not the same.', naming neither."""
    from wakhan.route import Profile, build_summary, profile_from_lonlat
    from wakhan.route.profile import geodesic_distance_km

    with pytest.raises(ValueError, match=r"lon has 3 points, lat 2, elevation_m 3"):
        profile_from_lonlat([71.0, 71.1, 71.2], [37.0, 37.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"lon has 3 points, lat 2, elevation_m 2"):
        profile_from_lonlat([71.0, 71.1, 71.2], [37.0, 37.0], [1.0, 2.0])
    with pytest.raises(ValueError, match=r"lon has 2 points, lat 3"):
        geodesic_distance_km([71.0, 71.1], [37.0, 37.0, 37.0])
    from wakhan.errors import InputError

    # InputError (a ValueError too): the CLI's handler turns it into one sentence and exit 2, a bare ValueError not
    with pytest.raises(InputError, match=r"Profile\.lat has 2 points, distance_km has 3"):
        build_summary(Profile([0.0, 1.0, 2.0], [71.0, 71.1, 71.2], [37.0, 37.0], [1.0, 2.0, 3.0]))


def test_x_without_y_is_refused():
    from wakhan.errors import InputError
    from wakhan.route import Profile

    with pytest.raises(InputError, match=r"Profile\.x is given without Profile\.y"):
        Profile([0.0, 1.0], [71.0, 71.1], [37.0, 37.0], [1.0, 2.0], x=[0.0, 1000.0])
