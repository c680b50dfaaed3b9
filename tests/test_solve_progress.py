"""Progress of long searches: the bucket-queue kernels publish the cells they have settled while they run,
so `wakhan route` / `accumulate` / `corridor` can show a search advancing (polled, no call back per cell)."""

from __future__ import annotations

import threading

import numpy as np
from affine import Affine

from wakhan.cost import IsotropicModel
from wakhan.grid import Grid
from wakhan.solve import accumulate, progress


def _flat(n: int) -> Grid:
    return Grid(np.zeros((n, n), np.float32), Affine(100.0, 0, 400_000, 0, -100.0, 4_100_000), "EPSG:32643")


def test_finished_search_counts_every_cell_it_settled():
    """From one corner of an open n x n grid every cell is settled once: n * n (a hand count)."""
    progress.reset()
    acc = accumulate(_flat(300), IsotropicModel(), (0, 0), neighbours=8)
    assert np.isfinite(acc.cost).all()
    assert progress.settled_cells() == 300 * 300
    progress.reset()
    assert progress.settled_cells() == 0


def test_a_running_search_shows_cells_settled_before_it_ends():
    """Polled from another thread while a 2.25 M-cell search runs, the count rises through values
    between 0 and the total (the search loop publishes it every 2**20 cells)."""
    progress.reset()
    grid, seen, done = _flat(1500), [], threading.Event()

    def watch():
        while not done.is_set():
            seen.append(progress.settled_cells())

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        accumulate(grid, IsotropicModel(), (0, 0), neighbours=8)
    finally:
        done.set()
        watcher.join()
    total = 1500 * 1500
    assert progress.settled_cells() == total
    partial = sorted({v for v in seen if 0 < v < total})
    assert partial and all(v % (1 << 20) == 0 for v in partial)
    assert seen == sorted(seen)  # it only grows
