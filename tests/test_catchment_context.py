"""Catchments counted over the elevation data around a route's box, not the box alone (wakhan.dem.drainage).

A river entering the box from outside drains everything upstream of the box's edge. The synthetic
valley here is written to a GeoTIFF (the route's source) in the route's own CRS and lattice, so the
grid ``build_dem`` makes of it is the file's cells; the oracle is pyflwdir run directly on the whole
file (``pyflwdir.from_dem``), the area each box cell drains over the whole valley. On the shared
Swiss tile, the Ticino near Biasca is checked against the published gauged areas.
"""

from __future__ import annotations

import math

import numpy as np
import pyflwdir
import pytest
from affine import Affine

from wakhan.cost.floodplain import floodplain_mask
from wakhan.dem.build import build_dem, dem_around
from wakhan.dem.drainage import Drainage, route_drainage
from wakhan.dem.hydro import upstream_area_km2
from wakhan.dem.project import lonlat_to_xy, xy_to_lonlat
from wakhan.grid import Grid
from wakhan.route.bridges import route_bridges

ROWS, COLS, RIVER_ROW = 41, 80, 20
CELL_M = 500.0  # fine enough that build_dem does not condition the file as a coarse source (900 m)
LEFT, TOP = 500_000.0, 4_100_000.0  # UTM 43N, near 37 N 75 E (choose_crs picks the same zone)


def _valley() -> np.ndarray:
    """A valley falling east 5 m a cell, walls rising 40 m a row from the river row, the head (west) raised."""
    rows, cols = np.mgrid[0:ROWS, 0:COLS].astype(np.float64)
    z = 3000.0 - 5.0 * cols + 40.0 * np.abs(rows - RIVER_ROW)
    z[:, 0] += 2000.0
    return z.astype(np.float32)


@pytest.fixture(scope="module")
def valley_tif(tmp_path_factory):
    path = tmp_path_factory.mktemp("valley") / "valley.tif"
    Grid(_valley(), Affine(CELL_M, 0, LEFT, 0, -CELL_M, TOP), "EPSG:32643").to_geotiff(path)
    return path


def _box(col0: int, col1: int, row0: int, row1: int):
    """The lon/lat box of the cells ``[row0, row1) x [col0, col1)`` of the valley, shrunk a little inside them."""
    x0, x1 = LEFT + col0 * CELL_M + 100, LEFT + col1 * CELL_M - 100
    y0, y1 = TOP - row1 * CELL_M + 100, TOP - row0 * CELL_M - 100
    lon, lat = xy_to_lonlat("EPSG:32643", [x0, x1, x0, x1], [y0, y0, y1, y1])
    return (
        float(max(lon[0], lon[2])),
        float(max(lat[0], lat[1])),
        float(min(lon[1], lon[3])),
        float(min(lat[2], lat[3])),
    )


def _oracle() -> np.ndarray:
    """Upstream area (km2) of every cell of the whole valley: pyflwdir on the whole grid, edges as outlets."""
    flw = pyflwdir.from_dem(_valley(), transform=Affine(CELL_M, 0, LEFT, 0, -CELL_M, TOP), latlon=False)
    return flw.upstream_area("km2").reshape(ROWS, COLS)


def _offset(grid) -> tuple[int, int]:
    return round((TOP - grid.transform.f) / CELL_M), round((grid.transform.c - LEFT) / CELL_M)


def test_a_river_entering_the_box_counts_its_catchment_outside(valley_tif):
    grid = build_dem(_box(50, 70, 10, 31), valley_tif, resolution_m=CELL_M, crs="EPSG:32643")
    r0, c0 = _offset(grid)
    assert c0 > 40 and r0 > 0  # the box lies well inside the valley, downstream of most of it
    assert np.array_equal(grid.array, _valley()[r0 : r0 + grid.height, c0 : c0 + grid.width])  # the file's cells

    drainage = route_drainage(grid, valley_tif)
    assert drainage is not None
    ctx = drainage.context  # grown to the file's edge (its lon/lat envelope, a cell or two of no data), no further
    assert ROWS <= ctx.height <= ROWS + 4 and COLS <= ctx.width <= COLS + 4
    assert int(np.isfinite(ctx.array).sum()) == ROWS * COLS
    want = _oracle()[r0 : r0 + grid.height, c0 : c0 + grid.width]
    np.testing.assert_allclose(drainage.upstream_area_km2(), want, rtol=1e-6)
    river = drainage.upstream_area_km2()[RIVER_ROW - r0]
    # by hand, a bound: the river's first cell in the box drains at least the river's own cells west of it and the
    # walls beside them (0.25 km2 each); the oracle above gives the exact count of pyflwdir's D8
    assert river[0] >= 0.25 * (c0 - 1) * 3
    own = upstream_area_km2(grid)[RIVER_ROW - r0]
    assert river[0] > 10 * own[0]  # the grid alone counts it from the box's edge
    # the flow directions read in the grid's own flat index: the river runs east, its last cell leaves the grid
    down = drainage.downstream_index()[RIVER_ROW - r0]
    assert down[0] == (RIVER_ROW - r0) * grid.width + 1 and down[-1] == (RIVER_ROW - r0) * grid.width + grid.width - 1


def test_bridges_and_floodplain_read_the_catchment_counted_outside(valley_tif):
    grid = build_dem(_box(50, 70, 10, 31), valley_tif, resolution_m=CELL_M, crs="EPSG:32643")
    r0, c0 = _offset(grid)
    drainage = route_drainage(grid, valley_tif)
    across = type("P", (), {"rows": np.arange(2, grid.height - 2), "cols": np.full(grid.height - 4, 5)})()
    (bridge,) = route_bridges([across], grid, min_catchment_km2=1.0, usd_per_m=1.0, drainage=drainage)
    assert bridge["catchment_km2"] == pytest.approx(_oracle()[RIVER_ROW, c0 + 5], abs=0.1)
    (alone,) = route_bridges([across], grid, min_catchment_km2=1.0, usd_per_m=1.0)
    assert alone["catchment_km2"] < bridge["catchment_km2"] / 5
    # a stream threshold between the box's own catchment and the one counted outside: only the latter marks it
    threshold = 0.5 * (alone["catchment_km2"] + bridge["catchment_km2"])
    assert floodplain_mask(grid, 5.0, threshold, drainage=drainage)[RIVER_ROW - r0, 5]
    assert not floodplain_mask(grid, 5.0, threshold).any()


def test_no_context_where_none_fits_or_the_source_is_a_grid(valley_tif):
    grid = build_dem(_box(50, 70, 10, 31), valley_tif, resolution_m=CELL_M, crs="EPSG:32643")
    assert route_drainage(grid, valley_tif, max_cells=grid.array.size) is None  # the cap leaves no margin
    assert route_drainage(grid, grid) is None  # a Grid has no source to grow from
    small = route_drainage(grid, valley_tif, margin_km=1.5)  # 3 cells on every side (and the lon/lat envelope's)
    assert small is not None and small.row0 >= 3 and small.col0 >= 3
    assert small.context.height - grid.height - small.row0 >= 3 and small.context.width - grid.width - small.col0 >= 3
    assert small.context.array.size < 2 * grid.array.size  # not the whole file


def test_drainage_window_matches_the_context():
    z = _valley()
    ctx = Grid(z, Affine(CELL_M, 0, LEFT, 0, -CELL_M, TOP), "EPSG:32643")
    d = Drainage(ctx, 5, 60, (30, 20))
    np.testing.assert_allclose(d.upstream_area_km2(), _oracle()[5:35, 60:80], rtol=1e-6)


# published gauged areas (BAFU stations, as quoted on the rivers' Wikipedia pages): the Ticino at Bellinzona
# 1,517 km2 (de.wikipedia.org/wiki/Tessin_(Fluss), "Pegel Bellinzona, AEo"), the Moesa, joining it between
# Osogna and Bellinzona, at Lumino Sassello 472 km2 (de.wikipedia.org/wiki/Moësa_(Fluss)): the Ticino above
# the Moesa drains at most 1,517 - 472 = 1,045 km2, and below Biasca, past the Brenno, most of that
TICINO_ABOVE_MOESA_KM2 = 1517.0 - 472.0
BIASCA = (8.97, 46.36)


def test_ticino_at_biasca_counts_its_catchment_on_the_tile(srtm_dir):
    tile = srtm_dir / "N46E008.tif"
    grid = dem_around([(8.98263, 46.30962), (8.95962, 46.35333)], 5, source=tile)  # the Osogna - Biasca road's box
    drainage = route_drainage(grid, tile)
    assert drainage is not None
    x, y = lonlat_to_xy(grid.crs, [BIASCA[0]], [BIASCA[1]])
    xs, ys = grid.xy(*np.mgrid[0 : grid.height, 0 : grid.width])
    near = np.hypot(np.asarray(xs) - x[0], np.asarray(ys) - y[0]) <= 1500.0  # the Ticino within 1.5 km of Biasca
    got = float(drainage.upstream_area_km2()[near].max())
    # oracle: pyflwdir run directly on the whole tile, resampled the same way onto the same lattice
    whole = build_dem((8.0, 46.0, 9.0, 47.0), tile, resolution_m=grid.res[0], crs=grid.crs)
    flw = pyflwdir.from_dem(
        np.where(np.isnan(whole.array), -9999.0, whole.array), nodata=-9999.0, transform=whole.transform, latlon=False
    )
    oracle = flw.upstream_area("km2").reshape(whole.shape)
    wx, wy = whole.xy(*np.mgrid[0 : whole.height, 0 : whole.width])
    assert got == pytest.approx(
        float(oracle[np.hypot(np.asarray(wx) - x[0], np.asarray(wy) - y[0]) <= 1500.0].max()), rel=0.01
    )
    # published: within a factor 1.5 below the Ticino above the Moesa (the tile stops at 9 E, cutting off the
    # Brenno's eastern side valleys; the Riviera's torrents below Biasca are not upstream of it) and not above it
    assert TICINO_ABOVE_MOESA_KM2 / 1.5 <= got <= TICINO_ABOVE_MOESA_KM2
    assert float(upstream_area_km2(grid)[near].max()) < got / 5  # the box alone: a brook
    assert math.isfinite(got)
