"""The Examples sections of ``wakhan.route`` run as written (doctest), so the documentation stays true."""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil

import pytest

import wakhan.route

MODULES = sorted(m.name for m in pkgutil.iter_modules(wakhan.route.__path__, "wakhan.route."))


@pytest.mark.parametrize("name", MODULES)
def test_route_examples_run_as_written(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed (run it with -s)"


@pytest.mark.parametrize("name", MODULES)
def test_every_public_function_of_route_has_examples(name):
    """Issue 13: every public function and class of wakhan.route documents itself with an Examples section."""
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
