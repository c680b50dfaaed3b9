"""BlockIndex: a large grid's per-cell source index held block by block reads as the full array does.

The oracle is numpy's own indexing of the array the index was built from.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from affine import Affine

from wakhan.grid import NO_SOURCE, BlockIndex, Grid


def _mosaic_like(h: int = 37, w: int = 53) -> np.ndarray:
    """Two sources split along a slanted line, with a no-data corner: uniform blocks and mixed ones."""
    rows, cols = np.mgrid[0:h, 0:w]
    a = np.where(rows * 3 + cols > 60, 1, 0).astype(np.uint8)
    a[:5, -7:] = NO_SOURCE
    return a


@pytest.mark.parametrize("side", [1, 4, 8, 64])
def test_reads_equal_numpy_indexing_of_the_array(side):
    a = _mosaic_like()
    b = BlockIndex.from_array(a, side=side)
    assert b.shape == a.shape and b.dtype == np.uint8
    assert np.array_equal(np.asarray(b), a)
    rng = np.random.default_rng(5)
    rows, cols = rng.integers(0, a.shape[0], 500), rng.integers(0, a.shape[1], 500)
    assert np.array_equal(b[rows, cols], a[rows, cols])
    assert np.array_equal(b[np.array([-1, 0]), np.array([-1, -53])], a[np.array([-1, 0]), np.array([-1, -53])])
    for key in [np.s_[3:20, 7:50], np.s_[:, :], np.s_[36:, 52:], np.s_[10:10, :]]:
        assert np.array_equal(b[key], a[key])
    assert np.array_equal(b[a == 1], a[a == 1])  # any other key: from the whole array
    assert np.array_equal(np.isin(b, [0, NO_SOURCE]), np.isin(a, [0, NO_SOURCE]))
    assert np.array_equal(b.astype(np.float32), a.astype(np.float32))  # as a GeoTIFF's band is written


def test_a_lookup_table_maps_the_values_and_uniform_blocks_hold_one_number():
    a = _mosaic_like()
    lookup = np.full(256, NO_SOURCE, np.uint8)
    lookup[0], lookup[1] = 7, 3
    b = BlockIndex.from_array(a, side=8, lookup=lookup)
    assert np.array_equal(np.asarray(b), lookup[a])
    uniform = [blk for blk in b.blocks.flat if isinstance(blk, int)]
    assert 0 < len(uniform) < b.blocks.size  # the blocks away from the split hold a number, not an array
    assert np.array_equal(np.asarray(pickle.loads(pickle.dumps(b))), lookup[a])


def test_out_of_bounds_cells_are_refused_as_numpy_refuses_them():
    b = BlockIndex.from_array(_mosaic_like(), side=8)
    with pytest.raises(IndexError):
        b[np.array([37]), np.array([0])]


def test_a_grid_takes_a_block_index_of_its_shape_only():
    a = _mosaic_like()
    t = Affine(1000.0, 0, 500_000, 0, -1000.0, 4_100_000)
    g = Grid(np.zeros(a.shape, np.float32), t, "EPSG:32643", source_index=BlockIndex.from_array(a, side=8))
    assert isinstance(g.source_index, BlockIndex)
    with pytest.raises(ValueError, match="source_index"):
        Grid(np.zeros((3, 3), np.float32), t, "EPSG:32643", source_index=BlockIndex.from_array(a, side=8))


def test_a_lean_grid_records_its_sources_block_by_block_with_the_hand_built_expectation(monkeypatch):
    # the two-source mosaic of tests/test_source_shares.py (fine source west of 74.3E with a void the
    # coarse one fills), built as a grid over LEAN_ROUTE_MIN_CELLS would be: same index, same route shares
    from wakhan.dem import build
    from wakhan.dem.mosaic import Layer
    from wakhan.grid import DataSource
    from wakhan.route.profile import Profile
    from wakhan.route.source_shares import source_shares

    fine_z = np.full((30, 30), 3000.0, np.float32)
    fine_z[10:20, 10:20] = np.nan
    fine = Grid(fine_z, Affine(0.01, 0, 74.0, 0, -0.01, 37.3), "EPSG:4326", sources=(DataSource("F", '3"'),))
    coarse = Grid(np.full((10, 14), 2000.0, np.float32), Affine(0.05, 0, 73.9, 0, -0.05, 37.4), "EPSG:4326",
                  sources=(DataSource("C", '30"'),))  # fmt: skip
    layers = [Layer(fine, "fine"), Layer(coarse, "coarse")]
    monkeypatch.setattr(build, "source_layers", lambda *a, **k: (layers, []))
    box = (73.95, 36.95, 74.55, 37.35)
    plain = build.build_dem(box, "stub", resolution_m=500.0, condition_coarse=False)
    monkeypatch.setattr(build, "LEAN_ROUTE_MIN_CELLS", 0)
    lean = build.build_dem(box, "stub", resolution_m=500.0, condition_coarse=False)
    assert isinstance(lean.source_index, BlockIndex) and isinstance(plain.source_index, np.ndarray)
    assert np.array_equal(np.asarray(lean.source_index), plain.source_index)
    assert set(np.unique(plain.source_index).tolist()) == {0, 1}  # both sources supply cells
    assert np.array_equal(lean.array, plain.array)
    # a line along the row at 37.25N (north of the void), from the fine source onto the coarse one
    row = plain.shape[0] // 4
    cols = np.arange(2, plain.shape[1] - 2)
    x, y = plain.xy(np.full(cols.size, row), cols)
    line = Profile(np.arange(cols.size) * 0.5, [0.0] * cols.size, [0.0] * cols.size, [0.0] * cols.size, x=x, y=y)
    shares = source_shares(plain, line)
    assert [s["name"] for s in shares] == ["F", "C"]
    assert source_shares(lean, line) == shares
