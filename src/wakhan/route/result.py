"""The result of planning a route: its summary numbers, profile and the data behind them."""
from __future__ import annotations

from dataclasses import dataclass, field

from wakhan.route.profile import Profile

__all__ = ["RouteResult"]


@dataclass(frozen=True, eq=False)
class RouteResult:
    """One route, as planned (:func:`wakhan.route.plan_route`) or read back from a file.

    Attributes
    ----------
    summary : dict
        The numbers of ``wakhan route --json`` (see :func:`wakhan.route.summarize`).
    profile : Profile
        Points along the route with geodesic distance and elevation.
    dem : Grid or None
        The metric DEM the route was solved on (None when read from a file).
    paths : tuple
        The solver's :class:`wakhan.solve.Path` per leg (empty when read from a file).
    waypoints : tuple
        The resolved waypoints (:class:`wakhan.places.Place`), in order.
    model : object or None
        The cost model used.
    """

    summary: dict
    profile: Profile
    dem: object = None
    paths: tuple = field(default=())
    waypoints: tuple = field(default=())
    model: object = None

    @property
    def name(self) -> str:
        return str(self.summary.get("name", "route"))

    @property
    def length_km(self) -> float:
        return float(self.summary["length_km"])
