"""The valley-confinement regressor tried for the road-length model (benchmarks/valley_confinement.py, issue 17).

Hand-computed cases: bilinear reading reproduces a plane exactly, so on any plane the two sides of
a line cancel (0) whatever the line's direction; a line down a V-shaped valley whose walls rise
``s`` metres per cell of ``h`` metres reads ``s / h`` (also when the valley floor itself slopes),
``-s / h`` along a ridge; the route's value weights each interior vertex by half its two moves.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("valley_confinement", REPO / "benchmarks" / "valley_confinement.py")
assert _spec is not None and _spec.loader is not None
vc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(vc)


def _dem(z, cell_m=1000.0, nodata=None):
    return SimpleNamespace(array=np.asarray(z, dtype=np.float32), res=(cell_m, cell_m), nodata=nodata)


def _path(rows, cols):
    return SimpleNamespace(rows=np.asarray(rows), cols=np.asarray(cols))


def test_any_line_on_a_plane_reads_zero():
    r, c = np.mgrid[0:9, 0:9]
    dem = _dem(3.0 * r + 7.0 * c + 1000.0)
    knight = _path([0, 1, 3, 4, 6, 7], [0, 2, 3, 5, 6, 8])  # 16-neighbour moves, several directions
    diagonal = _path(range(9), range(9))
    assert vc.valley_confinement([knight], dem) == pytest.approx(0.0, abs=1e-9)
    assert vc.valley_confinement([diagonal], dem) == pytest.approx(0.0, abs=1e-9)


def test_valley_floor_reads_wall_rise_per_cell_and_ridge_the_opposite():
    r, c = np.mgrid[0:7, 0:5]
    walls = 150.0 * np.abs(c - 2.0)
    down_valley = _path(range(7), [2] * 7)
    assert vc.valley_confinement([down_valley], _dem(walls + 40.0 * r, 500.0)) == pytest.approx(150.0 / 500.0)
    assert vc.valley_confinement([down_valley], _dem(2000.0 - walls, 500.0)) == pytest.approx(-150.0 / 500.0)


def test_vertices_weighted_by_half_their_moves():
    # walls rising 100 m per 1 km cell about column 2; columns 5..7 lie on one planar wall
    r, c = np.mgrid[0:5, 0:9]
    dem = _dem(100.0 * np.abs(c - 2.0))
    valley = _path(range(5), [2] * 5)  # 3 interior vertices, 1 km each side: 3 km at 0.1
    wall = _path([0, 1, 2], [6, 6, 6])  # 1 interior vertex: 1 km at 0
    assert vc.valley_confinement([valley, wall], dem) == pytest.approx((3 * 0.1 + 1 * 0.0) / 4)


def test_no_interior_vertex_or_unknown_terrain_gives_none():
    dem = _dem(np.zeros((4, 4)))
    assert vc.valley_confinement([_path([0, 1], [0, 1])], dem) is None
    assert vc.valley_confinement([_path([0, 1, 2], [1, 1, 1])], _dem(np.full((4, 4), -9999.0), nodata=-9999.0)) is None
