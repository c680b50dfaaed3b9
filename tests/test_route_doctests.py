"""The Examples sections of ``wakhan.route`` and ``wakhan.plan`` run as written (doctest), so the documentation stays true."""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil

import pytest

import wakhan.plan
import wakhan.route

# the route record with its files, planning, and the winter claim's models that were route modules once
MODULES = sorted(
    [m.name for m in pkgutil.walk_packages(wakhan.route.__path__, "wakhan.route.")]
    + [m.name for m in pkgutil.walk_packages(wakhan.plan.__path__, "wakhan.plan.")]
    + ["wakhan.claims.avalanche", "wakhan.claims.closure"]
)


@pytest.mark.parametrize("name", MODULES)
def test_route_examples_run_as_written(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed (run it with -s)"


@pytest.mark.parametrize("name", MODULES)
def test_every_public_function_of_route_has_examples(name):
    """Issue 13: every public function and class of wakhan.route (and wakhan.plan) documents itself with an Examples section."""
    module = importlib.import_module(name)
    names = getattr(module, "__all__", None) or [n for n in vars(module) if not n.startswith("_")]
    missing = [
        n
        for n in names
        if (inspect.isclass(obj := getattr(module, n)) or inspect.isfunction(obj))
        and obj.__module__ == module.__name__
        and "Examples\n" not in (obj.__doc__ or "")
    ]
    assert not missing, f"{name}: no Examples section in {missing}"
