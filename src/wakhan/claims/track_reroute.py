"""The Wakhan highway searched again without the Wakhan track as existing road.

:func:`wakhan.claims.track_cost.track_as_new_build` prices the headline route's own line with the
track (``wakhan-road``, an unpaved jeep track) as a new road; but the route search itself saw the
track as a cheap existing road (:func:`wakhan.plan.roads.road_friction`), so that line may be drawn
to it. :func:`track_rerouted` plans the same variant again on the same grid, with the same
waypoints, model, tunnels and structures, the track's feature left out of the road layers
(:class:`wakhan.plan.options.PlanOptions` ``roads_left_out``), and measures where the new line
leaves the old one (:func:`departure_km`).
"""

from __future__ import annotations

import numpy as np

from wakhan.claims.case_study import END, START
from wakhan.claims.highway import _mid_per_km
from wakhan.claims.track_cost import TRACK_ROAD_ID
from wakhan.claims.winter import CROSSING_MIN_M
from wakhan.plan.compare import compare_routes
from wakhan.route.absent import or_none

__all__ = ["track_rerouted", "departure_km", "DEPARTURE_KM"]

#: A point of the new line farther than this from every point of the old one has left it (about two
#: cells of the claims' 464 m grid, so that a line redrawn within the same valley floor counts as the same).
DEPARTURE_KM = 1.0


def departure_km(new, old, away_km: float = DEPARTURE_KM) -> tuple[float, float]:
    """Km of ``new``'s profile more than ``away_km`` from every point of ``old``'s, and the farthest it gets (km).

    Both routes' profiles must carry DEM coordinates (``x``, ``y`` in metres). A step counts as
    away when both its ends are.

    Examples
    --------
    A line due east on 1 km steps, and one that leaves it for 8 km to the north from x = 30 to 60 km:

    >>> from types import SimpleNamespace
    >>> from wakhan.route.profile import Profile
    >>> x = np.arange(0, 91) * 1000.0
    >>> flat = np.full(x.size, 2000.0)
    >>> old = SimpleNamespace(profile=Profile(x / 1000.0, 69 + x / 9e4, 36 + 0 * x, flat, x, 0 * x))
    >>> y = np.where((x >= 30_000) & (x <= 60_000), 8000.0, 0.0)
    >>> new = SimpleNamespace(profile=Profile(x / 1000.0, 69 + x / 9e4, 36 + y / 1e5, flat, x, y))
    >>> departure_km(new, old), departure_km(old, old)
    ((30.0, 8.0), (0.0, 0.0))
    """
    from scipy.spatial import cKDTree  # lazy: scipy, only for this step

    p, q = new.profile, old.profile
    dist_m, _ = cKDTree(np.column_stack([q.x, q.y])).query(np.column_stack([p.x, p.y]))
    away = dist_m > away_km * 1000.0
    step_km = np.diff(np.asarray(p.distance_km, dtype=np.float64))
    km = float(step_km[away[:-1] & away[1:]].sum())
    return round(km, 1), round(float(dist_m.max()) / 1000.0 if dist_m.size else 0.0, 1)


def track_rerouted(
    route,
    variant,
    infrastructure: dict,
    neighbours: int,
    kkh_usd_per_km: float | None,
    *,
    catchment_source=None,
    left_out=(TRACK_ROAD_ID,),
    ends=(START, END),
) -> dict:
    """``variant`` (the variant ``route`` was planned as) planned again on ``route``'s grid without ``left_out``.

    Parameters
    ----------
    route : RouteResult
        The headline route (its DEM and line).
    variant : Variant
        Its variant (:data:`wakhan.claims.case_study.HIGHWAY_VARIANTS`).
    infrastructure : dict
        ``roads`` and ``structures`` the headline route was planned with.
    neighbours : int
        Its move set.
    kkh_usd_per_km : float or None
        The Karakoram Highway's mid-range cost per km (None: no ratio).
    catchment_source : "pack", "tiles" or path, optional
        The source the grid was built from (bridges count catchments over it), as for the headline.
    left_out : sequence of str
        The road features (``id``) not taken as existing road; ``()`` plans the headline again.
    ends : pair
        The journey's ends (default Kashgar and Kabul, :data:`~wakhan.claims.case_study.START`, ``END``).

    Returns
    -------
    dict
        ``length_km``, ``built_length_km``, ``estimated_road_km``, ``on_existing_road_km``,
        ``cost_usd`` {low, high}, ``cost_ratio_to_kkh``, ``departs_km`` and ``max_departure_km``
        (:func:`departure_km` from the headline line), ``crosses_wakhjir_pass``, ``passes_above_4000m``.

    Examples
    --------
    On flat 200 m cells with no road layer there is nothing to leave out: the search gives the
    headline's line and price again.

    >>> from affine import Affine
    >>> from wakhan.grid import Grid
    >>> from wakhan.plan.compare import Variant, compare_routes
    >>> dem = Grid(np.full((40, 40), 2000.0, np.float32), Affine(200.0, 0, 500_000, 0, -200.0, 4_100_000),
    ...            "EPSG:32643")
    >>> v, ends = Variant("direct"), ("37.00926,75.00562", "37.00923,75.08430")
    >>> (r,) = compare_routes(*ends, [v], dem=dem, neighbours=8, tunnels=True)
    >>> again = track_rerouted(r, v, {}, 8, None, ends=ends)
    >>> again["length_km"], again["departs_km"], again["cost_usd"] == {k: r.summary.costs.cost_usd[k] for k in ("low", "high")}
    (7.003, 0.0, True)
    """
    rerouted = _plan_again(route, variant, infrastructure, neighbours, catchment_source, left_out, ends)
    s = rerouted.summary
    eng, costs = s.engineering, s.costs
    cost = dict(costs.cost_usd) if costs and costs.cost_usd else None
    length_km = s.terrain.length_km
    mid = _mid_per_km(s)
    departs, farthest = departure_km(rerouted, route)
    passes = [p for p in s.terrain.passes or [] if p["elevation_m"] > CROSSING_MIN_M]
    return {
        "length_km": length_km,
        "built_length_km": or_none(eng.built_length_km) if eng else None,
        "estimated_road_km": or_none(eng.estimated_road_km) if eng else None,
        "on_existing_road_km": or_none(eng.on_existing_road_km) if eng else None,
        "cost_usd": None if cost is None else {"low": cost["low"], "high": cost["high"]},
        "cost_ratio_to_kkh": round(mid / kkh_usd_per_km, 3) if mid and kkh_usd_per_km else None,
        "departs_km": departs,
        "max_departure_km": farthest,
        "departure_threshold_km": DEPARTURE_KM,
        "crosses_wakhjir_pass": any("Wakhjir" in str(p.get("name")) for p in passes),
        "passes_above_4000m": [{"name": p.get("name"), "elevation_m": p["elevation_m"]} for p in passes],
        "search": "the same variant planned again on the same grid (same waypoints, model, tunnels and "
        f"structures) with road feature(s) {', '.join(left_out) or 'none'} not taken as existing road",
    }


def _plan_again(route, variant, infrastructure, neighbours, catchment_source, left_out, ends=(START, END)):
    (again,) = compare_routes(
        *ends,
        [variant],
        dem=route.dem,
        neighbours=neighbours,
        tunnels=True,
        catchment_source=catchment_source,
        roads_left_out=tuple(left_out),
        **infrastructure,
    )
    return again
