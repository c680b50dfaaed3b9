"""Which DEM source each cell came from, the share of a route's length on each, and the road-length factor from them.

Independent expectations:

* a hand-built two-source mosaic: a fine source over the western part of the box (with a void
  block the coarse source fills) and a coarse one everywhere, so the source of every cell is
  known by construction (the fine source wherever the cell centre lies inside its extent and
  outside its void, the coarse one elsewhere);
* the region pack's documented boundary: GEBCO_2023 15" north of 36.32 N (the file's southern
  edge, 36.3208 N), NOAA GLOBE 30" south of it (``wakhan.sources.pack``, README);
* a hand-computed route: 10 moves of 1 km along a row whose western 4 cells are one source
  and the rest another, each move's length split half to each end cell: 3.5 km and 6.5 km;
  the factor is then ``exp(0.35 log f_A + 0.65 log f_B)`` of the two per-source factors.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from affine import Affine
from pyproj import Transformer

from wakhan.cost import get_model
from wakhan.dem import build
from wakhan.dem.mosaic import Layer
from wakhan.grid import NO_SOURCE, DataSource, Grid
from wakhan.route.engineering import engineering_summary
from wakhan.route.profile import profile_from_path
from wakhan.route.road_length import dem_road_length_model, road_length_model
from wakhan.route.source_shares import source_shares
from wakhan.solve import least_cost_path

FINE = DataSource("FINE test source", '3" (~90 m)')
COARSE = DataSource("COARSE test source", '30" (~925 m)')


def _lonlat_of_cells(dem):
    rows, cols = np.indices(dem.shape)
    x, y = dem.xy(rows, cols)
    lon, lat = Transformer.from_crs(dem.crs, "EPSG:4326", always_xy=True).transform(x, y)
    return np.asarray(lon), np.asarray(lat)


def test_a_two_source_mosaic_records_the_source_of_every_cell(monkeypatch):
    # fine: 74.00-74.30E x 37.00-37.30N at 0.01 deg, a void block 74.10-74.20E x 37.10-37.20N;
    # coarse: 73.90-74.60E x 36.90-37.40N at 0.05 deg, everywhere valid
    fine_z = np.full((30, 30), 3000.0, np.float32)
    fine_z[10:20, 10:20] = np.nan
    fine = Grid(fine_z, Affine(0.01, 0, 74.0, 0, -0.01, 37.3), "EPSG:4326", sources=(FINE,))
    coarse = Grid(np.full((10, 14), 2000.0, np.float32), Affine(0.05, 0, 73.9, 0, -0.05, 37.4), "EPSG:4326",
                  sources=(COARSE,))  # fmt: skip
    layers = [Layer(fine, "fine"), Layer(coarse, "coarse")]  # voids not kept: the coarse source fills them
    monkeypatch.setattr(build, "source_layers", lambda *a, **k: (layers, []))
    dem = build.build_dem((73.95, 36.95, 74.55, 37.35), "stub", resolution_m=500.0, condition_coarse=False)
    assert [s.name for s in dem.sources] == [FINE.name, COARSE.name]
    lon, lat = _lonlat_of_cells(dem)
    in_fine = (lon > 74.0) & (lon < 74.3) & (lat > 37.0) & (lat < 37.3)
    in_void = (lon > 74.1) & (lon < 74.2) & (lat > 37.1) & (lat < 37.2)
    # cells within a fine cell of an edge may go either way (bilinear resampling at the edge); the rest are known
    margin = 0.012
    clear = ~(
        (np.abs(lon - 74.0) < margin)
        | (np.abs(lon - 74.3) < margin)
        | (np.abs(lat - 37.0) < margin)
        | (np.abs(lat - 37.3) < margin)
        | (np.abs(lon - 74.1) < margin)
        | (np.abs(lon - 74.2) < margin)
        | (np.abs(lat - 37.1) < margin)
        | (np.abs(lat - 37.2) < margin)
    )
    expected = np.where(in_fine & ~in_void, 0, 1)
    assert dem.source_index.dtype == np.uint8 and dem.source_index.shape == dem.shape
    assert (dem.source_index[clear] == expected[clear]).all()
    # the heights say the same: 3000 m from the fine source, 2000 m from the coarse one
    assert (dem.array[clear & (expected == 0)] == 3000.0).all()
    assert (dem.array[clear & (expected == 1)] == 2000.0).all()
    assert (dem.source_index != NO_SOURCE).all()


def _two_source_row(boundary_col: int):
    index = np.ones((3, 12), np.uint8)
    index[:, :boundary_col] = 0
    return Grid(
        np.full((3, 12), 2000.0, np.float32),
        Affine(1000.0, 0, 500_000, 0, -1000.0, 4_100_000),
        "EPSG:32643",
        sources=(FINE, COARSE),
        source_index=index,
    )


def test_a_route_across_two_sources_reports_its_length_on_each_and_weights_the_factor_by_it():
    dem = _two_source_row(4)
    model = get_model("highway")
    path = least_cost_path(dem, model, (1, 0), (1, 10))
    profile = profile_from_path([path], dem)
    assert list(path.cols) == list(range(11))  # a straight flat line along the row
    shares = source_shares(dem, profile)
    # vertices at columns 0..10; moves 0-3 and the half of move 3-4 on FINE: 3.5 of 10 km
    assert [s["name"] for s in shares] == [FINE.name, COARSE.name]
    assert [s["share"] for s in shares] == pytest.approx([0.35, 0.65], abs=1e-4)
    f_fine, f_coarse = road_length_model(90.0, 1000.0).factor, road_length_model(925.0, 1000.0).factor
    expected = math.exp(0.35 * math.log(f_fine) + 0.65 * math.log(f_coarse))
    e = engineering_summary([path], dem, model, profile)
    assert e["road_length_factor"] == pytest.approx(expected, abs=0.0006)  # the factor is rounded to 3 decimals
    assert f_fine < e["road_length_factor"] < f_coarse
    assert e["estimated_road_km"] == pytest.approx(float(profile.distance_km[-1]) * e["road_length_factor"], abs=0.05)
    assert "35 %" in e["road_length_basis"] and "65 %" in e["road_length_basis"]


def test_a_route_on_one_source_of_a_mosaic_is_classed_by_that_source_not_the_first():
    dem = _two_source_row(2)
    path = least_cost_path(dem, get_model("highway"), (1, 4), (1, 10))  # wholly on COARSE, the second source
    profile = profile_from_path([path], dem)
    assert source_shares(dem, profile) == [{"name": COARSE.name, "resolution": COARSE.resolution, "share": 1.0}]
    m = dem_road_length_model(dem, source_shares(dem, profile))
    assert m.factor == road_length_model(925.0, 1000.0).factor
    assert m.factor != dem_road_length_model(dem).factor  # the first source alone would class it as FINE


def test_without_a_per_cell_index_the_first_source_classes_the_route():
    dem = _two_source_row(2)
    plain = Grid(dem.array, dem.transform, dem.crs, sources=dem.sources)
    path = least_cost_path(plain, get_model("highway"), (1, 4), (1, 10))
    assert source_shares(plain, profile_from_path([path], plain)) is None
    assert dem_road_length_model(plain).factor == road_length_model(90.0, 1000.0).factor


def test_a_source_index_of_another_shape_is_refused():
    with pytest.raises(ValueError, match="source_index"):
        Grid(np.zeros((2, 2), np.float32), Affine(1.0, 0, 0, 0, -1.0, 0), "EPSG:32643",
             source_index=np.zeros((3, 2), np.uint8))  # fmt: skip


def test_the_pack_classes_cells_by_its_documented_boundary_at_36_32_north():
    dem = build.build_dem((74.2, 36.2, 74.4, 36.45), "pack", resolution_m=464.0)
    names = [s.name for s in dem.sources]
    gebco = next(i for i, n in enumerate(names) if n.startswith("GEBCO"))
    globe = next(i for i, n in enumerate(names) if "GLOBE" in n)
    _lon, lat = _lonlat_of_cells(dem)
    boundary = 36.32  # the pack's documented edge (its file: 36.3208 N)
    one_cell = 0.005  # 464 m in degrees of latitude, rounded up
    assert (dem.source_index[lat > boundary + one_cell] == gebco).all()
    assert (dem.source_index[lat < boundary - one_cell] == globe).all()
    assert set(np.unique(dem.source_index).tolist()) == {gebco, globe}


def test_the_shares_travel_in_the_route_json_and_the_geopackage_attributes(tmp_path):
    pyogrio = pytest.importorskip("pyogrio")
    from wakhan.route import RouteResult, build_summary
    from wakhan.route.files import write_route

    dem = _two_source_row(4)
    path = least_cost_path(dem, get_model("highway"), (1, 0), (1, 10))
    profile = profile_from_path([path], dem)
    summary = build_summary(profile, "two sources", dem=dem, places=None, country_at=None)
    assert summary.to_dict()["source_shares"] == [
        {"name": FINE.name, "resolution": FINE.resolution, "share": 0.35},
        {"name": COARSE.name, "resolution": COARSE.resolution, "share": 0.65},
    ]
    out = write_route(tmp_path / "r.gpkg", RouteResult(summary, profile))
    meta, _, _, values = pyogrio.raw.read(out, layer="route")
    cell = values[list(meta["fields"]).index("source_shares")][0]
    assert cell == 'FINE test source 3" (~90 m) 35.0 %; COARSE test source 30" (~925 m) 65.0 %'


def test_a_window_of_a_grid_keeps_the_source_of_each_of_its_cells():
    from wakhan.sweep.inputs import crop_to_lonlat

    index = np.zeros((10, 10), np.uint8)
    index[:, 5:] = 1  # east of 74.5 E: the second source
    g = Grid(np.zeros((10, 10), np.float32), Affine(0.1, 0, 74.0, 0, -0.1, 38.0), "EPSG:4326",
             sources=(FINE, COARSE), source_index=index)  # fmt: skip
    w = crop_to_lonlat(g, (74.3, 37.3, 74.7, 37.7), margin_cells=0)
    lon, _lat = w.xy(np.zeros(w.width), np.arange(w.width))
    assert w.source_index.shape == w.shape
    assert w.source_index[0].tolist() == [0 if x < 74.5 else 1 for x in lon]


def test_a_dem_written_as_geotiff_and_read_back_keeps_its_sources_and_the_source_of_each_cell(tmp_path):
    """``wakhan dem build -o F.tif`` then ``--dem F.tif``: the documented pack boundary survives the file."""
    from wakhan.dem.layers import read_raster

    box = (74.2, 36.2, 74.4, 36.45)
    dem = build.build_dem(box, "pack", resolution_m=464.0)
    path = dem.to_geotiff(tmp_path / "dem.tif", description="elevation", units="m")
    back = read_raster(path)
    assert [s.name for s in back.sources] == [s.name for s in dem.sources]
    assert all(s.origin.endswith(str(path)) for s in back.sources)
    np.testing.assert_array_equal(back.source_index, dem.source_index)
    # a DEM built from the file on the same lattice classes each cell as the pack's own build does
    again = build.build_dem(box, path, resolution_m=464.0, crs=dem.crs)
    assert again.transform == dem.transform and again.shape == dem.shape
    np.testing.assert_array_equal(again.source_index, dem.source_index)
    assert [again.sources[i].name for i in np.unique(again.source_index)] == [
        dem.sources[i].name for i in np.unique(dem.source_index)
    ]


def test_a_second_band_that_does_not_name_the_tagged_sources_is_not_taken_as_a_source_index(tmp_path):
    import rasterio

    from wakhan.dem.layers import read_raster

    index = np.zeros((4, 4), np.uint8)
    index[:, 2:] = 1
    g = Grid(np.full((4, 4), 1000.0, np.float32), Affine(500.0, 0, 500000, 0, -500.0, 4100000), "EPSG:32643",
             sources=(FINE, COARSE), source_index=index)  # fmt: skip
    path = g.to_geotiff(tmp_path / "two.tif")
    with rasterio.open(path, "r+", IGNORE_COG_LAYOUT_BREAK="YES") as ds:
        ds.write(np.full((4, 4), 7.0, np.float32), 2)  # names a 8th source of a list of two
    back = read_raster(path)
    assert [s.name for s in back.sources] == [FINE.name, COARSE.name]
    assert back.source_index is None


def test_a_waypoint_outside_a_dem_read_back_from_a_file_names_that_file(tmp_path):
    from wakhan.dem.layers import read_raster
    from wakhan.errors import InputError
    from wakhan.places import Place
    from wakhan.plan.waypoints import waypoint_cell

    dem = build.build_dem((74.2, 36.2, 74.4, 36.45), "pack", resolution_m=464.0)
    path = dem.to_geotiff(tmp_path / "small.tif")
    back = read_raster(path)
    back = Grid(np.full(back.shape, np.nan, np.float32), back.transform, back.crs, sources=back.sources)
    with pytest.raises(InputError, match=r"GEBCO_2023.*\(from .*small\.tif\)"):
        waypoint_cell(back, Place("P", (), 36.3, 74.3, "town", "", ""), None, [])
