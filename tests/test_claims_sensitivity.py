"""The highway claim's design-grade sensitivity re-solves the headline routes with only the grade changed."""

from __future__ import annotations

import pytest

import wakhan.claims.highway_measures as measures
from wakhan.claims.case_study import KARAKORAM_HIGHWAY, WAKHAN_HIGHWAY, existing_infrastructure
from wakhan.plan.plan import DEFAULT_NEIGHBOURS


def _bridges(summary: dict) -> dict:
    return next(row for row in summary["cost_usd"]["breakdown"] if row["item"] == "bridges")


def test_at_the_headline_grade_the_sensitivity_is_the_headline(claims_session):
    # The sensitivity's routes differ from the headline's by their design grade only: solved again at the
    # headline's own 7 %, with the claims' roads, structures and catchment source (the region pack, whose
    # wider box the headline counts stream catchments over), they are the headline routes, bridges and
    # costs included. Before, the re-solve counted catchments on the route grid alone: at 7 % its Wakhan
    # route had the same 94 bridges but 10,982 m of them against the headline's 11,467 m, and cost
    # US$ 1.324-3.665 bn against 1.333-3.692 bn.
    routes = claims_session["result"].routes
    headline = {k: routes[k].summary.to_dict() for k in (WAKHAN_HIGHWAY, KARAKORAM_HIGHWAY)}
    grade = headline[WAKHAN_HIGHWAY]["design_grade_pct"]
    row = measures.design_grade_sensitivity(
        routes[WAKHAN_HIGHWAY].dem,
        DEFAULT_NEIGHBOURS,
        grades=(grade,),
        infrastructure=existing_infrastructure(),
        catchment_source="pack",
    )[f"{grade:g}"]
    for key, summary in headline.items():
        assert row[key]["length_km"] == pytest.approx(summary["length_km"], abs=1e-9)
        assert _bridges(row[key]) == _bridges(summary)
        assert (row[key]["cost_usd"]["low"], row[key]["cost_usd"]["high"]) == (
            summary["cost_usd"]["low"],
            summary["cost_usd"]["high"],
        )


def test_the_claim_gives_the_sensitivity_the_grid_s_source(claims_session, monkeypatch):
    # evaluate_highway hands its dem_source to the sensitivity, as it does to the re-route without the track
    seen = {}

    def recording(dem, neighbours, **kwargs):
        seen.update(kwargs)
        return {}

    monkeypatch.setattr(measures, "design_grade_sensitivity", recording)
    routes = {WAKHAN_HIGHWAY: claims_session["result"].routes[WAKHAN_HIGHWAY]}
    measures.evaluate_highway(routes, None, DEFAULT_NEIGHBOURS, dem_source="pack")
    assert seen.get("catchment_source") == "pack"
