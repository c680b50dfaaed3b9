"""The same SRTM data give the same resolution words and native cell, from the tile cache or a user's file."""

import rasterio

from wakhan.dem.layers import read_raster
from wakhan.route.road_length import native_cell_m
from wakhan.sources import srtm


def test_a_users_copy_of_a_tile_is_described_as_the_tile(srtm_dir, tmp_path):
    hgt = srtm_dir / "N57E011.hgt"
    cached = srtm.read_tile(hgt)
    copy = tmp_path / "N57E011_copy.tif"  # the same cells and transform, as a user's GeoTIFF
    with rasterio.open(hgt) as src:
        profile = src.profile | {"driver": "GTiff"}
        with rasterio.open(copy, "w", **profile) as dst:
            dst.write(src.read())
    users = read_raster(copy)
    # SRTM names its 3" product "90 m" (the 3" cell is 92.6 m north-south at any latitude)
    assert cached.sources[0].resolution == '3" (~90 m)'
    assert users.sources[0].resolution == cached.sources[0].resolution
    assert native_cell_m(users) == native_cell_m(cached) == 90.0


def test_the_shared_geotiff_tile_gets_srtm_words(srtm_dir):
    assert read_raster(srtm_dir / "N46E008.tif").sources[0].resolution == '3" (~90 m)'


def test_a_cell_that_is_not_srtm_keeps_its_metres():
    # 2" of latitude at 46.5 N: 2 x 30.87 m = 61.7 m
    assert srtm.degree_cell_words(2 / 3600, 2 / 3600, 46.5) == '2.0" (~62 m)'
