"""Country borders from the region pack: lookup, masks, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from affine import Affine

from wakhan.borders import country_at, country_mask, load_countries
from wakhan.errors import InputError
from wakhan.grid import Grid


def test_countries_loaded():
    countries = load_countries()
    assert {"AF", "CN", "PK", "TJ", "IN", "KG", "UZ", "TM"} <= set(countries)
    assert all(g.is_valid and not g.is_empty for g in countries.values())


def test_country_at_known_places():
    lon = [69.17, 75.99, 68.77, 73.05, 73.6, 74.31, 70.0, 0.0]
    lat = [34.53, 39.47, 38.56, 33.70, 37.0, 35.92, 41.3, 0.0]
    # Kabul, Kashgar, Dushanbe, Islamabad, Sarhad-e Broghil (Wakhan), Gilgit, Tashkent area, off the map
    assert country_at(lon, lat).tolist() == ["AF", "CN", "TJ", "PK", "AF", "PK", "UZ", ""]
    assert country_at(69.17, 34.53) == "AF"
    grid_lon, grid_lat = np.meshgrid([69.17, 75.99], [34.53, 39.47])
    assert country_at(grid_lon, grid_lat).shape == (2, 2)


def test_mask_on_geographic_grid_matches_point_lookup():
    # 0.05 degree grid around the Wakhjir Pass, where AF, CN and PK meet.
    t = Affine(0.05, 0, 73.0, 0, -0.05, 37.6)
    grid = Grid(np.zeros((24, 60), dtype=np.float32), t, "EPSG:4326")
    mask = country_mask(grid, ["AF"])
    lon, lat = grid.xy(*np.indices(grid.shape))
    expected = country_at(lon, lat) == "AF"
    assert mask.dtype == bool and mask.shape == grid.shape
    assert 0.1 < mask.mean() < 0.9
    assert (mask == expected).mean() > 0.99


def test_mask_on_projected_dem():
    from wakhan.dem import build_dem, xy_to_lonlat

    dem = build_dem((73.5, 36.6, 75.5, 37.6), resolution_m=2000)
    mask = country_mask(dem, ("CN", "pk"))
    lon, lat = xy_to_lonlat(dem.crs, *dem.xy(*np.indices(dem.shape)))
    expected = np.isin(country_at(lon, lat), ["CN", "PK"])
    assert (mask == expected).mean() > 0.98
    assert country_mask(dem, "AF").sum() + mask.sum() <= mask.size + 5


def test_bad_inputs():
    grid = Grid(np.zeros((3, 3)), Affine(0.1, 0, 70, 0, -0.1, 37), "EPSG:4326")
    with pytest.raises(InputError, match="XX"):
        country_mask(grid, ["XX"])
    with pytest.raises(InputError):
        country_mask(grid, [])
    with pytest.raises(InputError):
        country_mask(np.zeros((3, 3)), ["AF"])
    with pytest.raises(InputError):
        country_at([np.nan], [37.0])
    with pytest.raises(InputError):
        country_at(200.0, 37.0)
    with pytest.raises(InputError):
        country_at([1.0, 2.0, 3.0], [1.0, 2.0])


def test_the_country_layer_covers_the_region_only():
    """The pack's Natural Earth layer is clipped to 66.5-78 E, 32.5-41.5 N (its manifest's bounds):
    Kabul and Kashgar are covered, Andermatt (Swiss Alps, 46.64 N 8.59 E) is not."""
    from wakhan.borders import country_at, layer_covers

    lon, lat = [69.17, 75.99, 8.59], [34.53, 39.47, 46.64]
    assert layer_covers(lon, lat).tolist() == [True, True, False]
    assert country_at(lon, lat).tolist() == ["AF", "CN", ""]
