"""The highway claim's design-grade sensitivity plans with the headline's options but the design grade.

The headline routes (:func:`wakhan.claims.scenarios.highway_routes`) are built from a source ("pack"),
so ``compare_routes`` counts their bridges' catchments over that source; the sensitivity re-solves on
the headline's grid and must be told the same source, or its bridges are counted on another river
network (before the fix it planned with ``catchment_source=None``).
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pytest
from affine import Affine
from pyproj import Transformer

import wakhan.plan.compare as compare
from wakhan.claims.case_study import KARAKORAM_HIGHWAY, WAKHAN_HIGHWAY, existing_infrastructure, variant
from wakhan.claims.highway_measures import design_grade_sensitivity
from wakhan.claims.scenarios import highway_routes
from wakhan.errors import RouteError
from wakhan.grid import Grid


def _plane() -> Grid:
    x0, y0 = Transformer.from_crs("EPSG:4326", "EPSG:32643", always_xy=True).transform(67.5, 40.5)
    rows, cols = np.mgrid[0:45, 0:50]
    ramp = (1500.0 + 4.0 * cols + 6.0 * rows).astype(np.float32)
    return Grid(ramp, Affine(20_000.0, 0, x0, 0, -20_000.0, y0), "EPSG:32643")


def _recorded_options(monkeypatch, grid):
    """Patch the planner: record each variant's options by name, then fail (only the options matter)."""
    seen: dict[str, list] = {}

    def fake_plan_route(waypoints, options, name=None, places=None):
        seen.setdefault(name, []).append(options)
        raise RouteError("recorded")

    monkeypatch.setattr(compare, "dem_around", lambda *a, **k: grid)
    monkeypatch.setattr(compare, "plan_route", fake_plan_route)
    return seen


def test_sensitivity_plans_with_the_headline_options_but_the_design_grade(monkeypatch):
    grid = _plane()
    seen = _recorded_options(monkeypatch, grid)
    with pytest.raises(RouteError):
        highway_routes(dem="pack", neighbours=16)  # stops at its first variant, the Wakhan highway
    (headline,) = seen.pop(variant(WAKHAN_HIGHWAY).name)
    assert headline.catchment_source == "pack" and headline.dem is grid

    out = design_grade_sensitivity(
        grid, 16, grades=(8.0,), infrastructure=existing_infrastructure(None), catchment_source="pack"
    )
    assert out["8"] == {"error": "recorded"}
    (sensitivity,) = seen[variant(WAKHAN_HIGHWAY).name]
    assert sensitivity.design_grade_pct == 8.0 and headline.design_grade_pct is None
    differ = [
        f.name
        for f in fields(headline)
        if f.name != "dem" and getattr(headline, f.name) != getattr(sensitivity, f.name)
    ]
    assert differ == ["design_grade_pct"]
    assert sensitivity.dem is grid
    assert KARAKORAM_HIGHWAY not in seen  # the pair's second variant is not tried after the first failed
