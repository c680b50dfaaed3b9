"""Voids: counted, filled by interpolation (plausibly) or kept as NaN, on the real N46E008 tile."""

from __future__ import annotations

import numpy as np
import pytest
from affine import Affine
from srtm_build import hgt_bytes, tile_heights

from wakhan.dem.voids import VoidReport, count_voids, fill_voids
from wakhan.errors import InputError
from wakhan.grid import Grid
from wakhan.sources import srtm

N46E008_VOIDS = 103_743  # stated in ../shared/README.md


@pytest.fixture(scope="module")
def alps(srtm_dir):
    return srtm.read_tile(srtm_dir / "N46E008.tif")


def test_count_voids_of_real_tile(alps):
    count, share = count_voids(alps)
    assert count == N46E008_VOIDS
    assert share == pytest.approx(N46E008_VOIDS / 1201**2)


def test_fill_voids_default_interpolates_all(alps):
    out, report = fill_voids(alps)
    assert isinstance(report, VoidReport)
    assert (report.count, report.filled, report.remaining) == (N46E008_VOIDS, N46E008_VOIDS, 0)
    assert report.share == pytest.approx(N46E008_VOIDS / 1201**2)
    assert out.array.dtype == np.float32 and out.nodata is None
    assert not np.isnan(out.array).any()
    valid = alps.valid_mask()
    assert np.array_equal(out.array[valid], alps.array[valid].astype(np.float32))  # data untouched
    assert out.transform == alps.transform and out.crs == alps.crs and out.sources == alps.sources
    assert any("103,743" in n and "filled" in n for n in out.notes)


def test_filled_values_lie_within_their_neighbours_range(alps):
    ndimage = pytest.importorskip("scipy.ndimage", reason="scipy (via scikit-image, test extra) labels voids")
    out, _ = fill_voids(alps)
    void = ~alps.valid_mask()
    labels, n = ndimage.label(void, structure=np.ones((3, 3)))
    assert n > 1000  # many separate voids, not one blob
    heights = out.array
    for i, sl in enumerate(ndimage.find_objects(labels), 1):
        box = tuple(slice(max(s.start - 1, 0), s.stop + 1) for s in sl)
        comp = labels[box] == i
        ring = ndimage.binary_dilation(comp, structure=np.ones((3, 3))) & ~comp  # the bordering data cells
        border = heights[box][ring]
        filled = heights[box][comp]
        assert border.min() - 1e-3 <= filled.min() and filled.max() <= border.max() + 1e-3, i


def test_keep_voids_as_nan(alps):
    out, report = fill_voids(alps, keep=True)
    assert (report.count, report.filled, report.remaining) == (N46E008_VOIDS, 0, N46E008_VOIDS)
    assert np.isnan(out.array).sum() == N46E008_VOIDS
    assert np.array_equal(np.isnan(out.array), ~alps.valid_mask())
    assert any("kept" in n for n in out.notes)


def test_short_search_distance_leaves_far_cells_missing(alps):
    out, report = fill_voids(alps, max_search_distance_cells=3)
    assert 0 < report.remaining < report.count
    assert report.filled + report.remaining == report.count == N46E008_VOIDS
    assert np.isnan(out.array).sum() == report.remaining
    assert "left missing" in report.describe()


def test_constant_surface_is_filled_exactly():
    arr = np.full((50, 60), 1234.0, dtype=np.float32)
    arr[10:30, 20:45] = np.nan
    g = Grid(arr, Affine(30, 0, 500000, 0, -30, 4100000), "EPSG:32643")
    out, report = fill_voids(g)
    assert report.count == report.filled == 20 * 25
    assert np.allclose(out.array, 1234.0)


def test_no_voids(tmp_path):
    path = tmp_path / "N57E011.hgt"
    path.write_bytes(hgt_bytes(tile_heights(57, 11, 1201)))
    g = srtm.read_tile(path)
    out, report = fill_voids(g)
    assert (report.count, report.share, report.filled) == (0, 0.0, 0)
    assert np.array_equal(out.array, g.array.astype(np.float32))
    assert out.notes[-1] == "no void cells"


def test_bad_search_distance():
    g = Grid(np.zeros((3, 3), dtype=np.float32), Affine(1, 0, 0, 0, -1, 3), "EPSG:32643")
    with pytest.raises(InputError):
        fill_voids(g, max_search_distance_cells=0)
