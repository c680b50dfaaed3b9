"""Water masks (wakhan.dem.water) and routes that go round lakes instead of across them.

Independent expectations: hand-built DEMs whose lake and detour are counted by hand or by a
networkx Dijkstra on the same grid graph with the lake removed; published lake areas (cited at
each test); known lake points and known flat valley floors on the shared SRTM tile.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
import scipy.ndimage as ndi
from affine import Affine

from wakhan.dem import build_dem, dem_around
from wakhan.dem.project import lonlat_to_xy
from wakhan.dem.water import flat_water, ghs_water, water_mask
from wakhan.errors import InputError
from wakhan.grid import DataSource, Grid
from wakhan.plan import plan_route

CELL_M = 100.0
ORIGIN = (500_000.0, 4_100_000.0)  # UTM 43N, around 37.0N 75.0E (inside the pack's box)


def _lake_dem(shape=(21, 31), lake=(slice(4, 17), slice(12, 19)), level=3000.0) -> Grid:
    """Gently rough ground (no two 4-neighbours share a height) with a flat rectangular lake."""
    rows, cols = np.indices(shape)
    z = 3010.0 + 0.3 * ((rows + cols) % 2) + 0.01 * rows + 0.013 * cols  # checkerboard of 0.3 m on a tilt
    z[lake] = level
    transform = Affine(CELL_M, 0, ORIGIN[0], 0, -CELL_M, ORIGIN[1])
    return Grid(z.astype(np.float32), transform, "EPSG:32643", sources=(DataSource("hand-built DEM with a lake"),))


def _lonlat(grid: Grid, r: int, c: int) -> str:
    from pyproj import Transformer

    x, y = grid.xy(r, c)
    lon, lat = Transformer.from_crs(grid.crs, "EPSG:4326", always_xy=True).transform(x, y)
    return f"{lat:.7f},{lon:.7f}"


def test_flat_lake_and_its_shore_ring_are_water_and_rough_ground_is_not():
    dem = _lake_dem()
    core = flat_water(dem, 0.5, shore=False)
    # 13 x 7 = 91 cells of 0.01 km2 = 0.91 km2 >= 0.5 km2
    assert core.sum() == 91 and core[4:17, 12:19].all()
    full = flat_water(dem, 0.5)
    assert full.sum() == 91 + 2 * 13 + 2 * 7  # the ring sharing an edge: 13 cells each side, 7 top and bottom
    assert not full[3, 11] and not full[17, 19]  # diagonal corners are not edge neighbours
    assert not flat_water(dem, 0.92).any()  # 91 cells are under 0.92 km2


def test_flat_terrace_on_a_slope_and_a_constant_dem_are_not_lakes():
    dem = _lake_dem()
    z = dem.array.copy()
    z[:, 12:19] = z[:, 12:19].max()  # a 21 x 7 flat terrace across the slope: lower ground on one side
    rows = np.arange(z.shape[0])[:, None]
    z[:, :12] = 3000.0 - 0.1 * rows - 0.2 * np.arange(12)  # all lower on its west side
    assert not flat_water(dem.with_array(z)).any()
    assert not flat_water(dem.with_array(np.full(dem.shape, 2000.0, np.float32))).any()  # no shore at all


def test_a_grid_without_sources_gets_no_flat_search():
    dem = _lake_dem()
    assert water_mask(dem).n_cells == 131
    bare = Grid(dem.array, dem.transform, dem.crs)  # a plane built in code: flat by design
    assert water_mask(bare).n_cells == 0


def test_nan_cells_are_never_water_and_where_limits_the_search():
    dem = _lake_dem()
    z = dem.array.copy()
    z[10, 12] = np.nan
    dem = dem.with_array(z)
    m = flat_water(dem, 0.5)
    assert not m[10, 12] and m[10, 13]
    where = np.zeros(dem.shape, bool)
    where[:, :15] = True
    assert not flat_water(dem, 0.5, where=where).any()  # the half-lake left (13 x 3 cells) is 0.39 km2


def _grid_graph(passable: np.ndarray, neighbours: int) -> nx.Graph:
    """The grid graph by hand: a knight's move also needs the two cells its segment crosses."""
    moves = {(0, 1): [], (1, 0): [], (1, 1): [], (1, -1): []}
    if neighbours == 16:
        moves |= {
            (1, 2): [(0, 1), (1, 1)],
            (1, -2): [(0, -1), (1, -1)],
            (2, 1): [(1, 0), (1, 1)],
            (2, -1): [(1, 0), (1, -1)],
        }
    g = nx.Graph()
    h, w = passable.shape
    for r in range(h):
        for c in range(w):
            for (dr, dc), crossed in moves.items():
                cells = [(r, c), (r + dr, c + dc), *((r + a, c + b) for a, b in crossed)]
                if all(0 <= rr < h and 0 <= cc < w and passable[rr, cc] for rr, cc in cells):
                    g.add_edge((r, c), (r + dr, c + dc), weight=CELL_M * math.hypot(dr, dc))
    return g


@pytest.mark.parametrize("neighbours", [8, 16])
def test_route_goes_round_the_lake_as_dijkstra_on_the_dry_cells_does(neighbours):
    dem = _lake_dem()
    a, b = (10, 5), (10, 25)
    start, end = _lonlat(dem, *a), _lonlat(dem, *b)
    r = plan_route([start, end], model="isotropic", dem=dem, places=None, neighbours=neighbours)
    water = flat_water(dem)
    path = r.paths[0]
    assert not water[path.rows, path.cols].any()
    expected = nx.dijkstra_path_length(_grid_graph(~water, neighbours), a, b)
    assert path.total_cost == pytest.approx(expected, rel=1e-9)
    assert expected > 20 * CELL_M + 100.0  # the straight line would be 2,000 m
    assert any(n.startswith("water masked as impassable: 131 cells (1.3 km2)") for n in r.summary.provenance.notes)

    crossing = plan_route(
        [start, end], model="isotropic", dem=dem, places=None, neighbours=neighbours, cross_water=True
    )
    assert crossing.paths[0].total_cost == pytest.approx(20 * CELL_M)
    assert water[crossing.paths[0].rows, crossing.paths[0].cols].any()
    assert not any("water masked" in n for n in crossing.summary.provenance.notes)


def test_walking_route_round_the_lake_takes_longer_than_across():
    dem = _lake_dem()
    start, end = _lonlat(dem, 10, 5), _lonlat(dem, 10, 25)
    round_ = plan_route([start, end], model="walking", dem=dem, places=None)
    across = plan_route([start, end], model="walking", dem=dem, places=None, cross_water=True)
    assert round_.summary.walking.walking_hours > across.summary.walking.walking_hours
    assert round_.summary.terrain.length_km > across.summary.terrain.length_km


def test_waypoint_on_the_shore_is_moved_and_one_mid_lake_is_refused():
    dem = _lake_dem()
    end = _lonlat(dem, 10, 25)
    r = plan_route([_lonlat(dem, 10, 12), end], model="isotropic", dem=dem, places=None)
    # the lake's west column is 12 and its shore ring 11: the nearest dry cell is two cells west
    assert (r.paths[0].rows[0], r.paths[0].cols[0]) == (10, 10)
    assert any("moved 200 m to the nearest cell out of the water" in n for n in r.summary.provenance.notes)
    with pytest.raises(InputError, match=r"lies on a lake, more than 3 cells from its shore.*--cross-water"):
        plan_route([_lonlat(dem, 10, 15), end], model="isotropic", dem=dem, places=None)
    # --cross-water: the same point is a valid start
    plan_route([_lonlat(dem, 10, 15), end], model="isotropic", dem=dem, places=None, cross_water=True)


# -- the region pack's GHS water --------------------------------------------------------------
def _cell(grid: Grid, lon: float, lat: float) -> tuple[int, int]:
    x, y = lonlat_to_xy(grid.crs, [lon], [lat])
    r, c = grid.rowcol(x, y)
    return int(r[0]), int(c[0])


def test_ghs_water_on_the_pack_matches_karakuls_published_area():
    # Karakul, Eastern Pamir: "about 380 km2" (NASA Earth Observatory, "Kara-Kul Structure, Tajikistan",
    # as cited by Wikipedia; the same figure on orexca.com's Tajikistan lakes page)
    grid = build_dem((73.2, 38.8, 73.75, 39.25), source="pack")
    m = ghs_water(grid)
    labels, _ = ndi.label(m)
    lake = labels == labels[_cell(grid, 73.45, 39.02)]
    assert labels[_cell(grid, 73.45, 39.02)] > 0
    area_km2 = lake.sum() * abs(grid.res[0] * grid.res[1]) / 1e6
    assert area_km2 == pytest.approx(380.0, rel=0.15)
    assert not m[_cell(grid, 73.60, 38.95)]  # Karakul village on the east shore road (dry land)


def test_ghs_river_beds_are_not_lakes():
    # the Wakhan river's braided bed near Sarhad-e Broghil is GHS class 10 in single 1 km cells:
    # a road follows and bridges it, so it is no barrier (the lakes are 2 x 2 cells or more)
    import rasterio

    from wakhan.sources.pack import ghs_path

    with rasterio.open(ghs_path()) as ds:
        r, c = ds.index(73.405, 36.995)
        assert ds.read(1)[r, c] == 10
    grid = build_dem((73.0, 36.85, 73.6, 37.1), source="pack")
    assert not ghs_water(grid)[_cell(grid, 73.405, 36.995)]


@pytest.mark.parametrize(
    "name, lon, lat, box",
    [
        ("Zorkul", 73.70, 37.46, (73.4, 37.35, 74.0, 37.55)),
        ("Chaqmaqtin (Little Pamir)", 74.18, 37.235, (73.9, 37.1, 74.6, 37.4)),
        ("Shiwa", 71.35, 37.39, (71.2, 37.3, 71.5, 37.5)),
    ],
)
def test_wakhan_lakes_are_masked_on_the_pack(name, lon, lat, box):
    grid = build_dem(box, source="pack")
    wm = water_mask(grid)
    assert wm.mask[_cell(grid, lon, lat)], name
    assert wm.sources and wm.sources[0].startswith("GHS-WUP DEGURBA class 10")  # no flat search on GEBCO cells


# -- the shared SRTM tile (Swiss Alps) ---------------------------------------------------------
@pytest.fixture(scope="module")
def swiss_tile(srtm_dir):
    return str(srtm_dir / "N46E008.tif")


@pytest.mark.parametrize(
    "name, lon, lat",
    [
        ("Urnersee", 8.600, 46.930),
        ("Lake Lucerne, Gersau basin", 8.470, 46.990),
        ("Lake Lucerne, Alpnachersee", 8.310, 46.965),
        ("Lago Maggiore, north basin off Locarno", 8.800, 46.145),
        ("Sarnersee", 8.215, 46.862),
    ],
)
def test_known_lake_points_on_the_srtm_tile_are_water(swiss_tile, name, lon, lat):
    grid = dem_around([(lon, lat)], 3.0, source=swiss_tile)
    wm = water_mask(grid)
    assert wm.mask[_cell(grid, lon, lat)], name
    assert wm.sources == ("flat DEM surfaces of 0.5 km2 or more (SRTM's flattened lakes)",)


@pytest.mark.parametrize(
    "name, box",
    [
        ("Magadino plain (Piano di Magadino, ~200 m)", ((8.89, 46.155), (9.00, 46.185))),
        ("Urseren valley (Andermatt - Hospental, ~1,450 m)", ((8.53, 46.615), (8.61, 46.645))),
    ],
)
def test_flat_valley_floors_are_not_water(swiss_tile, name, box):
    grid = dem_around(list(box), 0.0, source=swiss_tile)
    # not even a tenth of the threshold: the largest exactly flat patch is under 0.05 km2
    assert not flat_water(grid, 0.05, shore=False).any(), name
    assert not water_mask(grid).mask.any(), name


def test_sarnersee_area_matches_the_published_figure(swiss_tile):
    # Sarnersee: 7.5 km2 at 469 m (Swiss Federal Statistical Office's list of Swiss lakes over 1 km2,
    # BFS no. 9239, as given in German Wikipedia's "Sarnersee")
    grid = dem_around([(8.16, 46.80), (8.26, 46.92)], 3.0, source=swiss_tile)
    m = water_mask(grid).mask
    labels, _ = ndi.label(m)
    lake = labels == labels[_cell(grid, 8.215, 46.862)]
    area_km2 = lake.sum() * abs(grid.res[0] * grid.res[1]) / 1e6
    assert area_km2 == pytest.approx(7.5, rel=0.10)


def test_brunnen_altdorf_walk_goes_round_the_urnersee(swiss_tile):
    # the ends of a recorded hike (benchmarks/data/treks.csv, brunnen_altdorf_gps)
    ends = ["46.99874,8.60970", "46.87622,8.63184"]
    masked = plan_route(ends, model="walking", dem=swiss_tile, places=None, buffer_km=8.0)
    across = plan_route(ends, model="walking", dem=swiss_tile, places=None, buffer_km=8.0, cross_water=True)
    water = water_mask(masked.dem).mask
    p, q = masked.paths[0], across.paths[0]
    assert not water[p.rows, p.cols].any()
    assert water[q.rows, q.cols].sum() > 50  # straight down the lake
    assert masked.summary.walking.walking_hours > across.summary.walking.walking_hours


# -- the command line --------------------------------------------------------------------------
def test_cli_route_goes_round_a_lake_in_a_dem_file_unless_cross_water(tmp_path, capsys):
    import json

    from wakhan.cli import run

    dem = _lake_dem()
    path = tmp_path / "lake.tif"
    Grid(dem.array, dem.transform, dem.crs).to_geotiff(path, description="elevation", units="m")
    ends = [_lonlat(dem, 10, 5), _lonlat(dem, 10, 25)]
    base = ["route", *ends, "--model", "isotropic", "--dem", str(path), "--neighbours", "8", "--json"]
    assert run(base) == 0
    round_ = json.loads(capsys.readouterr().out)
    assert run([*base, "--cross-water"]) == 0
    across = json.loads(capsys.readouterr().out)
    expected_km = nx.dijkstra_path_length(_grid_graph(~flat_water(dem), 8), (10, 5), (10, 25)) / 1000
    assert round_["cost"] == pytest.approx(expected_km * 1000, abs=0.001)  # isotropic: cost = grid metres (JSON: mm)
    assert across["cost"] == pytest.approx(2000.0)
    assert any(n.startswith("water masked as impassable: 131 cells") for n in round_["notes"])
    # a waypoint mid-lake: one sentence, exit 2
    assert run(["route", _lonlat(dem, 10, 15), ends[1], "--model", "isotropic", "--dem", str(path)]) == 2
    assert "lies on a lake" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["accumulate", "corridor"])
def test_cli_raster_commands_mask_water_unless_cross_water(tmp_path, capsys, command):
    # the same flag as `route`, with the same effect: the lake's middle is unreachable (nodata) by default
    import rasterio

    from wakhan.cli import run

    dem = _lake_dem()
    path = tmp_path / "lake.tif"
    Grid(dem.array, dem.transform, dem.crs).to_geotiff(path, description="elevation", units="m")
    ends = [_lonlat(dem, 10, 5)] if command == "accumulate" else [_lonlat(dem, 10, 5), _lonlat(dem, 10, 25)]
    values = {}
    for flag in ([], ["--cross-water"]):
        out = tmp_path / f"{command}{len(flag)}.tif"
        args = [command, *ends, "-o", str(out), "--model", "isotropic", "--dem", str(path), "--neighbours", "8", *flag]
        assert run(args) == 0, capsys.readouterr().err
        with rasterio.open(out) as ds:
            values[bool(flag)] = ds.read(1, masked=True)[10, 15]
    assert values[False] is np.ma.masked  # water: no cost, no corridor
    assert values[True] is not np.ma.masked


def test_remoteness_walks_round_a_lake_and_keeps_a_settlement_on_its_shore():
    from wakhan.dem.project import xy_to_lonlat
    from wakhan.remoteness import remoteness
    from wakhan.settlements import Settlements

    dem = _lake_dem()
    water = water_mask(dem).mask
    # one settlement west of the lake, one on a lake cell (a shore village the mask calls water)
    x, y = dem.xy(np.array([10, 4]), np.array([5, 12]))
    lon, lat = xy_to_lonlat(dem.crs, np.asarray(x), np.asarray(y))
    assert not water[10, 5] and water[4, 12]
    sett = Settlements(np.asarray(lon), np.asarray(lat), ("west", "shore"), DataSource("test"))
    masked = remoteness(sett, dem=dem, neighbours=8)
    across = remoteness(sett, dem=dem, neighbours=8, cross_water=True)
    h, h_across = masked.hours.array, across.hours.array
    assert np.isnan(h[10, 15]) and np.isfinite(h_across[10, 15])  # the lake's middle: no hours
    assert np.isnan(h[water & ~np.isin(np.arange(water.size).reshape(water.shape), [4 * water.shape[1] + 12])]).all()
    assert h[4, 12] == 0.0 and len(masked.table) == 2  # the shore settlement keeps its cell
    dry = ~water
    assert (h[dry] >= h_across[dry] - 1e-6).all()  # going round is never faster
    assert h[10, 25] > h_across[10, 25]  # east shore: round the lake, not across
    assert any("water masked as impassable" in n for n in masked.hours.notes)


def test_ghs_water_strip_by_strip_equals_one_resampling(monkeypatch):
    # the pack's GHS water is resampled a strip of rows at a time (no 4 B a cell temporary on a 30 m grid):
    # any strip height gives the cells of one whole-grid resampling
    import wakhan.dem.water as water_module

    grid = build_dem((74.6, 38.5, 75.3, 39.2), source="pack")  # Karakul and Bulunkou
    monkeypatch.setattr(water_module, "_STRIP_ROWS", 10**9)
    whole = ghs_water(grid)
    monkeypatch.setattr(water_module, "_STRIP_ROWS", 7)
    assert whole.sum() > 100 and np.array_equal(ghs_water(grid), whole)


def test_no_flat_search_on_a_grid_coarser_than_srtm_cells():
    # on 2 km cells a flat run of two cells (8 km2) passes the 0.5 km2 area rule, yet it is as likely a
    # channel burnt in by DEM conditioning as a lake: the claims on a 2 km GeoTIFF of the pack once put
    # Sarhad-e Broghil in such a "lake". Only grids of SRTM-like cells (<= 150 m) are searched.
    from wakhan.dem.water import FLAT_WATER_MAX_CELL_M

    fine = _lake_dem()
    assert water_mask(fine).n_cells > 0
    for cell in (FLAT_WATER_MAX_CELL_M + 1.0, 2000.0):
        coarse = Grid(fine.array, Affine(cell, 0, ORIGIN[0], 0, -cell, ORIGIN[1]), fine.crs, sources=fine.sources)
        assert flat_water(coarse).any()  # the flat region is there ...
        assert water_mask(coarse).n_cells == 0  # ... but not searched on so coarse a grid
