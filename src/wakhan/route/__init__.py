"""Routes: profiles along solver paths, their summary numbers, files, and planning by place name.

``plan_route`` (in :mod:`wakhan.route.plan`) ties the stages together: resolve
waypoints and build the DEM and barriers around them (:mod:`~wakhan.route.waypoints`),
solve leg by leg (:mod:`~wakhan.route.legs`), profile and summarize (:func:`build_summary`
-> a frozen :class:`RouteSummary`). The rest works on a :class:`Profile` alone.
"""

from wakhan.route.export import read_route, route_feature, write_route
from wakhan.route.profile import Profile, geodesic_distance_km, profile_from_lonlat, profile_from_path
from wakhan.route.result import RouteResult
from wakhan.route.stats import steep_sections
from wakhan.route.summary import RouteSummary, build_summary

#: The former name of :func:`build_summary` (kept for scripts and notebooks that call it).
summarize = build_summary

__all__ = [
    "Profile",
    "RouteResult",
    "RouteSummary",
    "build_summary",
    "geodesic_distance_km",
    "plan_route",
    "profile_from_lonlat",
    "profile_from_path",
    "read_route",
    "route_feature",
    "steep_sections",
    "summarize",
    "write_route",
]


def __getattr__(name):
    # plan_route pulls in the DEM, borders, places and solver; import it on first use.
    if name == "plan_route":
        from wakhan.route.plan import (
            plan_route,  # lazy: plan_route pulls in the DEM, borders and solver; import it on first use
        )

        return plan_route
    raise AttributeError(f"module 'wakhan.route' has no attribute {name!r}")
