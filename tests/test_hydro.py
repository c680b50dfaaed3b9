"""Breaching the dams a coarse DEM puts across valleys (wakhan.dem.hydro), issue 18."""

from __future__ import annotations

import numpy as np
import pyflwdir
import pytest
from affine import Affine

from wakhan.dem.hydro import breach_dams
from wakhan.grid import Grid


def _dammed_valley(dam_m=500.0, rows=9, cols=14):
    """A valley of 1 km cells falling 10 m a cell to the east, walls 300 m higher a row, a 1,000 m
    head; its floor (the middle row) dammed ``dam_m`` high at column 7."""
    floor = 2000.0 - 10.0 * np.arange(cols)
    z = floor + 300.0 * np.abs(np.arange(rows) - rows // 2)[:, None]
    z[:, 0] += 1000.0
    z[:, 7] += dam_m
    return Grid(z.astype(np.float32), Affine(1000.0, 0, 0, 0, -1000.0, rows * 1000.0), "EPSG:32643"), floor


def test_dam_is_breached_down_to_the_floor_behind_it():
    grid, floor = _dammed_valley()
    out, report = breach_dams(grid, min_catchment_km2=5)
    mid = grid.shape[0] // 2
    # hand-computed: the dam cell is cut to the floor just upstream of it (1,940 m), nothing else moves
    expected = floor.copy()
    expected[0] += 1000.0
    expected[7] = floor[6]
    np.testing.assert_array_equal(out.array[mid], expected.astype(np.float32))
    others = np.delete(np.arange(grid.shape[0]), mid)
    np.testing.assert_array_equal(out.array[others], grid.array[others])
    assert report.cells_lowered == 1 and report.max_cut_m == pytest.approx(500 - 10)  # 1,930 + 500 cut to 1,940
    assert np.all(np.diff(out.array[mid][1:]) <= 0)  # the stream never climbs


def test_breaching_lowers_only_and_leaves_no_depression_pyflwdir_oracle():
    """pyflwdir's own depression filling (Wang & Liu 2006) finds nothing left to fill on the large stream."""
    grid, _ = _dammed_valley(dam_m=800.0)
    out, _ = breach_dams(grid, min_catchment_km2=5)
    assert np.all(out.array <= grid.array)  # breaching, not filling
    filled, _ = pyflwdir.dem.fill_depressions(out.array.astype(np.float64), nodata=-9999.0)
    before, _ = pyflwdir.dem.fill_depressions(grid.array.astype(np.float64), nodata=-9999.0)
    assert np.abs(filled - out.array).max() == 0  # nothing to fill after breaching
    assert np.abs(before - grid.array).max() > 400  # the dammed valley held a lake 400+ m deep


def test_small_catchment_is_left_alone():
    grid, _ = _dammed_valley()
    out, report = breach_dams(grid, min_catchment_km2=500)
    assert report.cells_lowered == 0 and np.array_equal(out.array, grid.array)


@pytest.mark.slow
def test_indus_gorge_between_chilas_and_thakot_has_no_false_pass():
    """The Karakoram Highway down the Indus from Chilas (1,219 m) to Thakot (829 m) on the pack (GLOBE 30").

    Before issue 18 the variant went through the town of Dasu, which GLOBE's 925 m cells put on the
    valley wall at 2,628 m: a false 2,578 m pass. Published heights: Chilas 1,219 m, Thakot 829 m
    (Pakistan Meteorological Department / Wikipedia). GLOBE still rounds the narrow gorge up by
    some 200 m in places, so the route may rise a little above Chilas, never 1,000 m.
    """
    from wakhan.claims.case_study import KARAKORAM_HIGHWAY_VIA
    from wakhan.plan import plan_route

    chilas, thakot = KARAKORAM_HIGHWAY_VIA.index("Chilas"), KARAKORAM_HIGHWAY_VIA.index("Thakot")
    assert thakot == chilas + 1  # no hard waypoint on GLOBE's valley wall between them
    r = plan_route(["Chilas", "Thakot"], within="PK", places=None)
    assert r.summary.terrain.max_elevation_m < 1219 + 300
    assert r.summary.terrain.end_elevation_m < r.summary.terrain.start_elevation_m
    # monotone-ish down the river, to its lowest point (then up to the village of Thakot, above it):
    # no pass (a high point 300 m above both sides), and never 300 m above the lowest point passed
    # before (the road may cut over the spur of a meander, not climb out of the gorge)
    assert not r.summary.terrain.passes
    z = r.profile.elevation_m
    river = z[: int(np.argmin(z)) + 1]
    assert r.profile.distance_km[river.size - 1] > 150  # most of the 206 km follow the river
    assert np.max(river - np.minimum.accumulate(river)) < 300


def test_saddle_on_a_large_stream_is_flagged_as_artefact():
    from wakhan.dem.project import xy_to_lonlat
    from wakhan.route.artefacts import mark_artefacts

    grid, _ = _dammed_valley(dam_m=400.0, rows=41, cols=40)
    mid = grid.shape[0] // 2
    x, y = grid.transform.c + 7.5 * grid.res[0], grid.transform.f - (mid + 0.5) * grid.res[1]
    lon, lat = xy_to_lonlat(grid.crs, x, y)
    crest = {"lon": float(lon), "lat": float(lat), "elevation_m": float(grid.array[mid, 7])}
    x, y = grid.transform.c + 7.5 * grid.res[0], grid.transform.f - 2.5 * grid.res[1]  # on the wall
    lon, lat = xy_to_lonlat(grid.crs, x, y)
    wall = {"lon": float(lon), "lat": float(lat), "elevation_m": float(grid.array[2, 7])}
    # the lake above the dam: columns 1-6 x 39 interior rows of 1 km2 drain over the crest (>= 234 km2)
    crest_out, wall_out = mark_artefacts([crest, wall], grid, min_catchment_km2=200)
    assert crest_out["artefact"] is True and "draining at least" in crest_out["artefact_reason"]
    assert wall_out["artefact"] is False and "artefact_reason" not in wall_out
