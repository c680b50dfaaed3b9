"""The Examples sections of ``wakhan.route`` run as written (doctest), so the documentation stays true."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import wakhan.route

MODULES = sorted(m.name for m in pkgutil.iter_modules(wakhan.route.__path__, "wakhan.route."))


@pytest.mark.parametrize("name", MODULES)
def test_route_examples_run_as_written(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed (run it with -s)"
