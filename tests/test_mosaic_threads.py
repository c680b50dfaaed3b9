"""The mosaic's shortcuts give what the plain warps give: tile footprints decided without a warp, tiles on two threads.

Oracles: :func:`wakhan.dem.warp.footprint_on` (GDAL's nearest warp of the source's extent) for
every tile the shortcut decides, and the same mosaic computed one tile after another on one thread.
"""

from __future__ import annotations

import numpy as np
from affine import Affine

from wakhan.dem.mosaic import Layer, _tile_in_footprint, _tiles, _to_source_pixels, mosaic_priority
from wakhan.dem.project import choose_crs, target_grid
from wakhan.dem.warp import footprint_on
from wakhan.grid import Grid
from wakhan.interrupt import thread_budget


def _geo_source(west=74.0, north=37.5, n=240, step=1 / 240):
    rows, cols = np.mgrid[0:n, 0:n]
    z = (2000.0 + 3.0 * rows + 5.0 * np.sin(cols / 7.0)).astype(np.float32)
    return Grid(z, Affine(step, 0, west, 0, -step, north), "EPSG:4326")


def test_tiles_decided_without_a_warp_match_gdals_footprint():
    src = _geo_source()  # 74-75E, 36.5-37.5N
    bbox = (73.7, 36.3, 75.3, 37.7)  # wider than the source: tiles inside, outside and across its edge
    crs = choose_crs(bbox)
    transform, shape = target_grid(bbox, crs, 400.0)
    to_pixels = _to_source_pixels(src, crs)
    seen = set()
    for _r0, _c0, _r1, _c1, sub_t, sub_shape in _tiles(transform, shape, 16 * 16):
        known = _tile_in_footprint(src, to_pixels, sub_t, sub_shape)
        seen.add(known)
        if known is not None:
            assert (footprint_on(src, crs, sub_t, sub_shape) == known).all()
    assert seen == {True, False, None}


def test_a_mosaic_on_two_threads_equals_the_one_on_one_thread():
    fine = _geo_source(74.2, 37.3, 120, 1 / 240)
    coarse = _geo_source(73.8, 37.7, 60, 1 / 60)
    layers = [Layer(fine, "fine"), Layer(coarse, "coarse")]
    bbox = (73.9, 36.8, 74.9, 37.6)
    crs = choose_crs(bbox)
    transform, shape = target_grid(bbox, crs, 500.0)
    with thread_budget(1):
        one = mosaic_priority(layers, crs, transform, shape, chunk_cells=64 * 64)
    two = mosaic_priority(layers, crs, transform, shape, chunk_cells=64 * 64)
    assert np.array_equal(one.array, two.array, equal_nan=True)
    assert np.array_equal(one.layer, two.layer) and one.counts == two.counts
    assert one.counts[0] > 0 and one.counts[1] > 0
