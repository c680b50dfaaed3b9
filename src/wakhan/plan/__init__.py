"""Planning a route by place names: the problem's set-up, legs, tunnels, roads, comparisons, rasters.

:class:`PlanOptions` (:mod:`~wakhan.plan.options`) holds the options, checked once;
:func:`plan_route` (:mod:`~wakhan.plan.plan`) ties the stages together: resolve
waypoints and build the DEM, barriers and cost model around them
(:mod:`~wakhan.plan.waypoints`), solve leg by leg (:mod:`~wakhan.plan.legs`),
tunnel the legs that may be (:mod:`~wakhan.plan.tunnelled`), and summarize the
result as a :class:`wakhan.route.RouteResult`. :func:`compare_routes` plans
variants of one journey on one DEM (:mod:`~wakhan.plan.compare`);
:mod:`~wakhan.plan.rasters` writes accumulated-cost and corridor rasters.
Existing roads (:mod:`~wakhan.plan.roads`) and structures
(:mod:`~wakhan.plan.existing`) are what the planner reuses.

This package sits above :mod:`wakhan.route`: it imports the route record, and
the record never imports it.
"""

from wakhan.plan.compare import compare_routes
from wakhan.plan.options import PlanOptions
from wakhan.plan.plan import plan_route

__all__ = ["PlanOptions", "compare_routes", "plan_route"]
