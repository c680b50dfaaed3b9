"""The article's claims about the Wakhan Corridor, tested with data.

``run_claims`` evaluates them; :mod:`wakhan.report` writes the report.

Modules: :mod:`~wakhan.claims.case_study` (route ids, variants, via-lists,
corridor readings), :mod:`~wakhan.claims.corridor` (area and along-route
altitude), :mod:`~wakhan.claims.scenarios` (the routes), one module per claim
(:mod:`~wakhan.claims.altitude`, :mod:`~wakhan.claims.depopulated`,
:mod:`~wakhan.claims.highway` with :mod:`~wakhan.claims.highway_measures`, and its winter part
:mod:`~wakhan.claims.winter` with :mod:`~wakhan.claims.all_season`), :mod:`~wakhan.claims.verdicts` (Claim, the
threshold rule) and :mod:`~wakhan.claims.evaluate` (``run_claims``).
"""

from wakhan.claims.case_study import DEFINITIONS
from wakhan.claims.corridor import CorridorDefinition, area_statistics, corridor_region
from wakhan.claims.evaluate import ClaimsResult, run_claims
from wakhan.claims.verdicts import DEPENDS, NOT_SUPPORTED, SUPPORTED, Claim, threshold_verdict

__all__ = [
    "Claim",
    "ClaimsResult",
    "CorridorDefinition",
    "DEFINITIONS",
    "DEPENDS",
    "NOT_SUPPORTED",
    "SUPPORTED",
    "area_statistics",
    "corridor_region",
    "run_claims",
    "threshold_verdict",
]
