"""The Examples sections of wakhan.cost, wakhan.solve, wakhan.dem, wakhan.figures and most of wakhan.claims
run, and every public function and class there has one, so the examples cannot rot or go missing."""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil

import pytest

import wakhan

MODULES = (
    ["wakhan.cost"]
    + [f"wakhan.cost.{m}" for m in ("base", "highway", "isotropic", "kinds", "walking")]
    + [
        f"wakhan.solve.{m}"
        for m in (
            "_cache",
            "_intrinsics",
            "api",
            "band",
            "buckets",
            "buckets_flat",
            "buckets_graded",
            "crossings",
            "earthworks",
            "edges",
            "graph",
            "heap",
            "kernels",
            "labels",
            "moves",
            "path_costs",
            "refine",
            "results",
            "search",
            "tunnels",
        )
    ]
    + [f"wakhan.dem.{m}" for m in ("build", "error", "hydro", "layers", "mosaic", "project", "voids", "warp")]
    # claims.avalanche and claims.closure are held to the same in test_route_doctests; claims.evaluate
    # (run_claims) solves the whole case study, too long for an example
    + [
        f"wakhan.claims.{m}"
        for m in (
            "all_season",
            "altitude",
            "case_study",
            "corridor",
            "corridor_remoteness",
            "depopulated",
            "evidence",
            "highway",
            "highway_measures",
            "kept_open",
            "scenarios",
            "verdicts",
            "winter",
        )
    ]
    + [
        f"wakhan.figures.{m}"
        for m in ("common", "layout", "map", "map_layers", "marks", "profile", "profile_labels", "remoteness", "sweep")
    ]
)


#: every other module of the package (test_route_doctests runs wakhan.route, wakhan.plan and two claims
#: models): their examples run too, so none rots unseen (hydro's did, when the coarse threshold moved)
ELSEWHERE = sorted(
    m.name
    for m in pkgutil.walk_packages(wakhan.__path__, "wakhan.")
    if m.name not in MODULES
    and not m.name.startswith(("wakhan.route", "wakhan.plan"))
    and m.name not in ("wakhan.claims.avalanche", "wakhan.claims.closure", "wakhan.cli.__main__", "wakhan.__main__")
)


def _public(module):
    names = getattr(module, "__all__", None) or [n for n in vars(module) if not n.startswith("_")]
    for name in names:
        obj = getattr(module, name)
        func = getattr(obj, "py_func", obj)  # a Numba dispatcher's Python function
        if (inspect.isclass(func) or inspect.isfunction(func)) and func.__module__ == module.__name__:
            yield name, obj


@pytest.mark.parametrize("name", MODULES + ELSEWHERE)
def test_examples_run(name, monkeypatch):
    monkeypatch.delenv("WAKHAN_MEMORY_GB", raising=False)
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed (output above)"


@pytest.mark.parametrize("name", MODULES)
def test_every_public_function_has_examples(name):
    module = importlib.import_module(name)
    missing = [n for n, obj in _public(module) if "Examples\n" not in (obj.__doc__ or "")]
    assert not missing, f"{name}: no Examples section in {missing}"
