"""Windowed DEM building: the lattice is warped band by band, with the same heights and bounded memory."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from affine import Affine

from wakhan.dem.mosaic import Layer, mosaic_priority
from wakhan.dem.warp import reproject_grid, resampling_scale
from wakhan.grid import Grid

CRS_UTM43 = "EPSG:32643"


def _terrain(step_deg: float, west=74.3, north=38.2, size_deg=1.0) -> Grid:
    """A smooth lon/lat surface with short-wave relief (so the kernel width matters), no voids."""
    n = int(round(size_deg / step_deg))
    lat = north - (np.arange(n) + 0.5) * step_deg
    lon = west + (np.arange(n) + 0.5) * step_deg
    lo, la = np.meshgrid(lon, lat)
    z = 3000 + 800 * np.sin(lo * 40) * np.cos(la * 55) + 150 * np.sin(lo * 150)
    return Grid(z.astype(np.float32), Affine(step_deg, 0, west, 0, -step_deg, north), "EPSG:4326")


def _approximation_bound_m(src: Grid) -> float:
    """How far two warps of ``src`` may differ: GDAL approximates the coordinate transform within
    0.125 source pixel (its default error threshold) on each window it warps, so a height may move
    by up to 0.125 pixel times the steepest step between neighbouring cells, once per warp."""
    z = src.array.astype(np.float64)
    step = max(np.abs(np.diff(z, axis=0)).max(), np.abs(np.diff(z, axis=1)).max())
    return 2 * 0.125 * step


def _lattice(res_m: float, rows: int, cols: int, left=480_000.0, top=4_180_000.0):
    return Affine(res_m, 0, left, 0, -res_m, top), (rows, cols)


@pytest.mark.parametrize("res_m", [900.0, 30.0])  # downsampling (kernel widened) and upsampling
def test_windowed_mosaic_equals_one_warp(res_m):
    src = _terrain(1 / 240)  # GEBCO-like 15" cells
    rows, cols = (60, 50) if res_m > 100 else (400, 300)
    transform, shape = _lattice(res_m, rows, cols)
    whole = mosaic_priority([Layer(src, "s")], CRS_UTM43, transform, shape, chunk_cells=rows * cols)
    banded = mosaic_priority([Layer(src, "s")], CRS_UTM43, transform, shape, chunk_cells=cols * 7)
    assert np.isfinite(whole.array).all()
    np.testing.assert_allclose(banded.array, whole.array, rtol=0, atol=_approximation_bound_m(src))
    assert banded.counts == whole.counts == (rows * cols,)


def test_height_does_not_depend_on_the_box():
    """A cell's height is the same (up to GDAL's transform approximation) in a small box and a larger one.

    GDAL sizes a downsampling kernel from the window it warps unless told the scale; the
    scale is fixed from the two resolutions, so the extent of the box cannot change a height.
    """
    src = _terrain(1 / 240)
    big_t, big_shape = _lattice(900.0, 80, 70)
    small_t, small_shape = _lattice(900.0, 20, 15, left=480_000.0 + 900 * 30, top=4_180_000.0 - 900 * 40)
    big = reproject_grid(src, CRS_UTM43, big_t, big_shape)
    small = reproject_grid(src, CRS_UTM43, small_t, small_shape)
    bound = _approximation_bound_m(src)
    np.testing.assert_allclose(small, big[40:60, 30:45], rtol=0, atol=bound)


def test_resampling_scale_from_resolutions():
    # 15" of latitude is 463.8 m; of longitude at the source's central latitude (37.7 N) 366.9 m
    src = _terrain(1 / 240)
    xs, ys = resampling_scale(src, 926.0)
    assert ys == pytest.approx(463.8 / 926.0, rel=1e-3)
    assert xs == pytest.approx(366.9 / 926.0, rel=1e-3)
    assert resampling_scale(src, 30.0) == (1.0, 1.0)  # upsampling: the kernel as it is


def test_windowed_mosaic_memory_is_the_result_plus_one_band():
    """Beyond its float32 result a banded mosaic holds one band's masks and values, not the grid's."""
    src = _terrain(1 / 240, west=74.0, size_deg=2.0)
    rows, cols = 1500, 1000  # 1.5 M cells at 90 m: the result is 6 MB
    transform, shape = _lattice(90.0, rows, cols)
    band_cells = 100_000
    tracemalloc.start()
    try:
        r = mosaic_priority([Layer(src, "s")], CRS_UTM43, transform, shape, chunk_cells=band_cells)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    result_b = rows * cols * 4
    assert np.isfinite(r.array).all()
    # a whole-grid warp would hold the values, two masks and the footprint besides (>= 11 B/cell more)
    assert peak < result_b + 40 * band_cells + 2**20, (peak, result_b)


def test_mosaic_height_is_exactly_the_same_in_any_box():
    """Two boxes sharing cells give them identical heights (issue 18: `route` and `claims` disagreed).

    GDAL's linear approximation of the transform along a warped row (within 1/8 source cell)
    depends on where the row starts and ends; the mosaic warps tiles fixed on the CRS's own
    lattice, so the box cannot move a height at all (before: up to 82 m on the pack).
    """
    src = _terrain(1 / 240)
    big_t, big_shape = _lattice(464.0, 150, 170, left=464.0 * 1000, top=464.0 * 9000)
    small_t, small_shape = _lattice(464.0, 61, 47, left=464.0 * 1037, top=464.0 * (9000 - 23))
    big = mosaic_priority([Layer(src, "s")], CRS_UTM43, big_t, big_shape).array
    small = mosaic_priority([Layer(src, "s")], CRS_UTM43, small_t, small_shape).array
    assert np.isfinite(small).all()
    np.testing.assert_array_equal(small, big[23 : 23 + 61, 37 : 37 + 47])
