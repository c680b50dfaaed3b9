"""A planned highway's summary fields: engineering, tunnels, earthworks, bridges and cost range.

:func:`highway_fields` gathers them for :func:`wakhan.plan.plan.plan_route`, which passes them to
:func:`wakhan.route.summary_fields.build_summary` with the route's other fields.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from wakhan.cost import HighwayModel
from wakhan.route.bridges import route_bridges
from wakhan.route.costing import add_bridges_cost, add_earthworks_cost, route_cost, split_tunnels
from wakhan.route.earthworks import route_earthworks_m3
from wakhan.route.engineering import engineering_summary, path_vertex_km, road_steps

__all__ = ["highway_fields", "on_existing_road_km"]


def highway_fields(
    paths, grid, cost_model, profile, tunnel_dicts, on_road, tunnels: bool, max_elevation_m, roads, drainage=None
) -> dict:
    """Engineering, tunnels and cost range of a highway route: the summary fields of a planned highway.

    ``tunnel_dicts`` are the route's tunnels as summary dicts, ``on_road`` the
    existing-road cells (or None), ``tunnels`` whether tunnels were allowed,
    ``roads`` the road file given (or None), ``drainage`` the grid's drainage over the data around
    it (:func:`wakhan.dem.drainage.route_drainage`; or None: the grid's own) for the bridges.

    Examples
    --------
    Ten flat 200 m cells: 2 km of plain road, no switchbacks, priced at the plain-road
    rates of data/unit_costs.csv (US$ 1-2.5 M per km).

    >>> import numpy as np
    >>> from affine import Affine
    >>> from wakhan.cost import get_model
    >>> from wakhan.grid import Grid
    >>> from wakhan.route.profile import profile_from_path
    >>> from wakhan.solve import least_cost_path
    >>> dem = Grid(np.full((3, 12), 2000.0, np.float32), Affine(200.0, 0, 500_000, 0, -200.0, 4_100_000),
    ...            "EPSG:32643")
    >>> path = least_cost_path(dem, get_model("highway"), (1, 0), (1, 10))
    >>> f = highway_fields([path], dem, get_model("highway"), profile_from_path([path], dem), [], None, False, None, None)
    >>> f["built_length_km"], f["switchback_km"], f["cost_usd"]["low"], f["cost_usd"]["high"]
    (2.001, 0.0, 2000000.0, 5000000.0)
    """
    new_tunnels, existing_tunnels = split_tunnels(tunnel_dicts)
    out = engineering_summary(paths, grid, cost_model, profile, new_tunnels, on_road)
    out["built_km_by_class"]["existing_tunnel"] = existing_tunnels
    out["tunnels"] = tunnel_dicts
    out["cost_usd"] = route_cost(out["built_km_by_class"])
    if out["road_length_factor"] != 1.0:
        out["cost_usd"]["basis"] += (
            f"; surface km are built km x {out['road_length_factor']:g}, the "
            f"{out['road_length_basis']} (real roads against grid routes)"
        )
    out.update(_earthworks_fields(paths, grid, cost_model, out["cost_usd"], drainage))
    out["tunnels_allowed"] = bool(tunnels)
    out["max_elevation_ceiling_m"] = max_elevation_m
    if roads is not None:
        layers = roads if isinstance(roads, (list, tuple)) else [roads]
        out["roads_file"] = "; ".join(
            f"data/infrastructure/{Path(r).name} (bundled)" if Path(r).parent.name == "infrastructure" else str(r)
            for r in layers
        )
        # km of the route along an existing road, as length_km measures it; the km to rebuild there (switchback
        # development and the road-length factor included) are built_km_by_class["upgrade"]["km"]
        out["on_existing_road_km"] = round(on_existing_road_km(paths, profile, on_road) + existing_tunnels["km"], 3)
    return out


def on_existing_road_km(paths, profile, on_road) -> float:
    """Km of a route along existing roads: the moves between two ``on_road`` cells, as ``length_km`` measures them.

    The upgrade cost class counts the same moves (:func:`wakhan.route.engineering.road_steps`), but as
    built km: developed to the design grade in switchbacks and times the road-length factor, several
    times the map km on a steep road. The summary's ``on_existing_road_km`` is this plus the existing
    tunnels' km.

    Parameters
    ----------
    paths : sequence of wakhan.solve.Path
        The route's legs (their cells ``rows, cols``).
    profile : Profile
        The route's profile, through every vertex of the paths.
    on_road : numpy.ndarray of bool or None
        Cells an existing road touches (:func:`wakhan.plan.roads.road_mask`); None: no road, 0 km.

    Returns
    -------
    float

    Examples
    --------
    Ten flat 200 m moves along a row whose first six cells are on a road: five moves, 1 km of grid
    (1.0004 km on the ellipsoid, UTM scale 0.9996), run on it.

    >>> from affine import Affine
    >>> from wakhan.cost import get_model
    >>> from wakhan.grid import Grid
    >>> from wakhan.route.profile import profile_from_path
    >>> from wakhan.solve import least_cost_path
    >>> dem = Grid(np.full((3, 12), 2000.0, np.float32), Affine(200.0, 0, 500_000, 0, -200.0, 4_100_000),
    ...            "EPSG:32643")
    >>> path = least_cost_path(dem, get_model("highway"), (1, 0), (1, 10))
    >>> on = np.zeros(dem.shape, bool); on[1, :6] = True
    >>> round(on_existing_road_km([path], profile_from_path([path], dem), on), 4), on_existing_road_km([path], None, None)
    (1.0004, 0.0)
    """
    if on_road is None:
        return 0.0
    km = 0.0
    for path, kms in zip(paths, path_vertex_km(paths, profile)):
        if len(path) < 2:
            continue
        km += float(np.diff(kms)[road_steps(path, on_road)].sum())
    return km


def _earthworks_fields(paths, grid, cost_model, cost_usd: dict, drainage=None) -> dict:
    """``earthworks_m3``, ``bridges`` and the cost with their ``earthworks`` and ``bridges`` rows (issue 17)."""
    if not isinstance(cost_model, HighwayModel):  # only a road is cut into the slope
        return {}
    m3 = route_earthworks_m3(paths, grid, cost_model)
    bridges = route_bridges(paths, grid, drainage=drainage)
    cost = add_bridges_cost(add_earthworks_cost(cost_usd, m3), bridges)
    return {"earthworks_m3": round(m3, -2), "bridges": bridges, "cost_usd": cost}
