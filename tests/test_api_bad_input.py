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
