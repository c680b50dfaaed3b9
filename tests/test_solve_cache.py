"""The kernels' Numba cache is keyed by the text of every kernel source, not file by file.

Numba stamps a cache with its own file only: ``buckets_graded.py``'s loop inlines
``edges.py``'s edge cost and ``cost/kinds.py``'s ``KIND_*`` constants, so an upgrade
editing only those files must still give the bucket kernel a fresh cache.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from numba.core import config

from wakhan.solve import _cache, buckets, buckets_graded, heap, path_costs


def _copy_sources(tmp_path: Path) -> tuple[Path, Path]:
    solve = tmp_path / "solve"
    shutil.copytree(_cache.SOLVE_DIR, solve, ignore=shutil.ignore_patterns("__pycache__"))
    cost = tmp_path / "kinds.py"
    shutil.copy(_cache.COST_FILE, cost)
    return solve, cost


def _key(solve: Path, cost: Path) -> str:
    return _cache.source_key(_cache.kernel_source_files(solve, cost))


def test_key_covers_every_kernel_module_and_cost(tmp_path):
    solve, cost = _copy_sources(tmp_path)
    names = [p.name for p in _cache.kernel_source_files(solve, cost)]
    assert names == [
        "_intrinsics.py",
        "buckets.py",
        "buckets_flat.py",
        "buckets_graded.py",
        "earthworks.py",
        "edges.py",
        "heap.py",
        "kernels.py",
        "labels.py",  # source_index's pass over the backlinks (issue 20)
        "parallel.py",  # the two-thread accumulation's exchange (issue 23)
        "path_costs.py",
        "refine.py",
        "tunnels.py",
        "kinds.py",
    ]
    assert _key(solve, cost) == _cache.KEY  # the copy is the installed text


def test_key_changes_when_edges_py_changes_alone(tmp_path):
    solve, cost = _copy_sources(tmp_path)
    before = _key(solve, cost)
    k = solve / "edges.py"
    text = k.read_text()
    assert "return -1.0" in text
    k.write_text(text.replace("return -1.0", "return -2.0", 1))
    assert _key(solve, cost) != before
    c = solve.parent / "kinds.py"
    after_edges = _key(solve, cost)
    c.write_text(c.read_text().replace("KIND_WALKING = 2", "KIND_WALKING = 3"))
    assert _key(solve, cost) != after_edges


def test_key_ignores_modules_without_kernels(tmp_path):
    solve, cost = _copy_sources(tmp_path)
    before = _key(solve, cost)
    (solve / "api.py").write_text((solve / "api.py").read_text() + "\n# a comment\n")
    assert _key(solve, cost) == before


@pytest.mark.skipif(config.DISABLE_JIT, reason="NUMBA_DISABLE_JIT: no compiled kernels, no cache")
def test_both_kernels_cache_under_the_source_key():
    for dispatcher in (heap.search, buckets._seed, buckets_graded._loop, path_costs._path_step_costs):
        loc = _cache.KeyedCacheLocator.from_function(dispatcher.py_func, dispatcher.py_func.__code__.co_filename)
        assert loc is not None
        assert Path(loc.get_cache_path()).name == f"wakhan-{_cache.KEY}"
        # and Numba really uses it for the dispatcher's cache
        assert isinstance(dispatcher._cache._impl.locator, _cache.KeyedCacheLocator)
    # a function outside wakhan.solve is left to Numba's own locators
    assert _cache.KeyedCacheLocator.from_function(_copy_sources, __file__) is None


def test_stale_cache_folders_are_pruned_once_and_only_wakhan_keys(tmp_path):
    for name in ("wakhan-0123456789abcdef", "wakhan-fedcba9876543210", "wakhan-notakey", "other"):
        (tmp_path / name).mkdir()
    (tmp_path / "wakhan-fedcba9876543210" / "x.nbi").write_bytes(b"old")
    removed = _cache.prune_stale(str(tmp_path), "0123456789abcdef")
    assert [Path(p).name for p in removed] == ["wakhan-fedcba9876543210"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other", "wakhan-0123456789abcdef", "wakhan-notakey"]
    (tmp_path / "wakhan-1111111111111111").mkdir()
    assert _cache.prune_stale(str(tmp_path), "0123456789abcdef") == []  # once per folder and process
