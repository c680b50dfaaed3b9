"""Routes as records: profiles along solver paths and their summary numbers.

A :class:`Profile` (:mod:`~wakhan.route.profile`) is a route's elevation
profile; :func:`build_summary` measures it into a frozen :class:`RouteSummary`
(statistics, engineering, costs, walking days), and a :class:`RouteResult`
holds both. Files of routes (GeoJSON, OGR formats, GPX, CSV) are in
:mod:`wakhan.route.files`; finding a route by place name is :mod:`wakhan.plan`,
which builds on this package and is never imported by it.
"""

from wakhan.route.profile import Profile, geodesic_distance_km, profile_from_lonlat, profile_from_path
from wakhan.route.result import RouteResult
from wakhan.route.stats import steep_sections
from wakhan.route.summary import RouteSummary
from wakhan.route.summary_fields import build_summary

__all__ = [
    "Profile",
    "RouteResult",
    "RouteSummary",
    "build_summary",
    "geodesic_distance_km",
    "profile_from_lonlat",
    "profile_from_path",
    "steep_sections",
]
