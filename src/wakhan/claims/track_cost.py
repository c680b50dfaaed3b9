"""The Wakhan track priced as a new road: a price-only sensitivity of the highway verdict.

The claims price every km of a highway route along an existing road as an ``upgrade_road``
(``data/unit_costs.csv``). The bundled ``wakhan-road`` (Ishkashim - Qala-e Panja - Sarhad-e
Broghil, data/infrastructure/existing_roads.geojson) is an unpaved jeep track, so upgrading it to a
highway is close to building a new mountain road. :func:`track_as_new_build` prices the same
route again with that road's cells *off* the on-road mask (a cell also on another existing road
stays on it): those pieces take their terrain class (plain, mountain, switchback) as
:func:`wakhan.route.engineering.engineering_summary` gives it, priced by
:func:`wakhan.route.costing.route_cost` with the same earthworks, bridges and altitude factor as the
route's own cost. No route is searched again here; :mod:`wakhan.claims.track_reroute` searches the
Wakhan highway again without the track.
"""

from __future__ import annotations

import numpy as np

from wakhan.route.costing import add_bridges_cost, add_earthworks_cost, route_cost, split_tunnels
from wakhan.route.earthworks import route_earthworks_m3
from wakhan.route.engineering import engineering_summary
from wakhan.route.highway_fields import on_existing_road_km
from wakhan.route.summary import Engineering

__all__ = ["TRACK_ROAD_ID", "track_as_new_build", "track_sensitivity", "road_masks_without", "track_words"]

#: The ``id`` of the bundled road that is an unpaved track (data/infrastructure/existing_roads.geojson).
TRACK_ROAD_ID = "wakhan-road"


def road_masks_without(layers, grid, road_id: str = TRACK_ROAD_ID) -> tuple[np.ndarray, np.ndarray]:
    """The on-road cells of ``layers`` on ``grid`` as the route planner marks them, and the same without
    the feature whose ``id`` property is ``road_id`` (its cells stay on road where another line touches them).

    Parameters
    ----------
    layers : sequence of path
        Road line layers (:func:`wakhan.claims.case_study.existing_infrastructure`'s ``roads``).
    grid : Grid
        The DEM the route was solved on.
    road_id : str
        The feature to take off.

    Returns
    -------
    on_road, on_road_without : numpy.ndarray of bool

    Examples
    --------
    Two roads along the middle row of a 3 x 3 grid of 1,000 m cells; the track covers the row, the
    other road its last two cells, which stay on road:

    >>> import json, tempfile
    >>> from pathlib import Path
    >>> from affine import Affine
    >>> from pyproj import Transformer
    >>> from wakhan.grid import Grid
    >>> dem = Grid(np.zeros((3, 3), np.float32), Affine(1000.0, 0, 500_000, 0, -1000.0, 4_100_000), "EPSG:32643")
    >>> lonlat = Transformer.from_crs("EPSG:32643", "EPSG:4326", always_xy=True).transform
    >>> def line(x0, x1, name):
    ...     coords = [list(lonlat(x, 4_098_500)) for x in (x0, x1)]
    ...     return {"type": "Feature", "properties": {"id": name},
    ...             "geometry": {"type": "LineString", "coordinates": coords}}
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     f = Path(folder) / "roads.geojson"
    ...     _ = f.write_text(json.dumps({"type": "FeatureCollection",
    ...                                  "features": [line(500_100, 502_900, "wakhan-road"),
    ...                                               line(501_600, 502_900, "other")]}))
    ...     on, off = road_masks_without([f], dem)
    >>> on[1].astype(int).tolist(), off[1].astype(int).tolist()
    ([1, 1, 1], [0, 1, 1])
    """
    from wakhan.plan.roads import read_road_layers, road_mask  # the planner's reader: each file read once

    layers = list(layers)
    on_road = road_mask(read_road_layers(layers), grid)
    others = read_road_layers(layers, left_out=(road_id,))
    on_road_without = road_mask(others, grid) if len(others) else np.zeros(on_road.shape, dtype=bool)
    return on_road, on_road_without & on_road


def track_as_new_build(route, on_road: np.ndarray, on_road_without: np.ndarray, costs: dict | None = None) -> dict:
    """``route``'s construction cost with the cells of ``on_road_without`` as its only existing road.

    Parameters
    ----------
    route : RouteResult
        A highway route (paths, DEM, model, profile; its summary's tunnels and bridges).
    on_road, on_road_without : numpy.ndarray of bool
        The on-road cells the route was priced with, and those left once the track is taken off.
    costs : dict, optional
        Unit costs (default: data/unit_costs.csv).

    Returns
    -------
    dict
        ``km_on_track`` (km of the route, as ``length_km`` measures it, priced as an upgrade only
        because of the track), ``upgrade_built_km`` and ``upgrade_built_km_without_track`` (the
        upgrade cost class's built km before, from the route's summary where it has them, and
        after), ``cost_usd`` (:func:`route_cost` with earthworks and bridges: ``low``, ``high``,
        ``breakdown``, ``basis``).

    Examples
    --------
    Ten flat 200 m cells, all on the track: 2 km of upgrade become 2 km of plain road.

    >>> from affine import Affine
    >>> from wakhan.cost import get_model
    >>> from wakhan.grid import Grid
    >>> from wakhan.route import RouteResult, build_summary
    >>> from wakhan.route.profile import profile_from_path
    >>> from wakhan.solve import least_cost_path
    >>> dem = Grid(np.full((3, 12), 2000.0, np.float32), Affine(200.0, 0, 500_000, 0, -200.0, 4_100_000),
    ...            "EPSG:32643")
    >>> path = least_cost_path(dem, get_model("highway"), (1, 0), (1, 10))
    >>> prof = profile_from_path([path], dem)
    >>> r = RouteResult(build_summary(prof, "r", dem, places=None, country_at=None), prof, dem=dem,
    ...                 paths=(path,), model=get_model("highway"))
    >>> on = np.zeros(dem.shape, bool); on[1, :] = True
    >>> t = track_as_new_build(r, on, np.zeros(dem.shape, bool))
    >>> t["km_on_track"], [row["item"] for row in t["cost_usd"]["breakdown"]]
    (2.001, ['plain_road', 'tunnel'])
    """
    eng = route.summary.engineering or Engineering()
    tunnels = eng.tunnels if isinstance(eng.tunnels, list) else []
    bridges = eng.bridges if isinstance(eng.bridges, list) else []
    new_tunnels, existing_tunnels = split_tunnels(tunnels)
    without = _classes(route, new_tunnels, on_road_without)
    # the route's own summary holds the upgrade km it was priced with; a route built without engineering has none
    by_class = eng.built_km_by_class if isinstance(eng.built_km_by_class, dict) else None
    upgrade_km = by_class["upgrade"]["km"] if by_class else _classes(route, new_tunnels, on_road)["upgrade"]["km"]
    without["existing_tunnel"] = existing_tunnels
    cost = route_cost(without, costs)
    cost = add_earthworks_cost(cost, route_earthworks_m3(route.paths, route.dem, route.model), costs)
    cost = add_bridges_cost(cost, bridges, costs)
    cost["basis"] += "; the Wakhan track priced as a new road by its terrain class, not as an upgrade"
    km = on_existing_road_km(route.paths, route.profile, on_road) - on_existing_road_km(
        route.paths, route.profile, on_road_without
    )
    return {
        "km_on_track": round(km, 3),
        "upgrade_built_km": upgrade_km,
        "upgrade_built_km_without_track": without["upgrade"]["km"],
        "cost_usd": cost,
    }


def _classes(route, new_tunnels, on_road) -> dict:
    """``route``'s built km by cost class with ``on_road`` as its existing road."""
    return engineering_summary(route.paths, route.dem, route.model, route.profile, new_tunnels, on_road)[
        "built_km_by_class"
    ]


def track_sensitivity(route, layers, kkh_usd_per_km: float | None, road_id: str = TRACK_ROAD_ID) -> dict:
    """The highway claim's ``track_as_new_build``: :func:`track_as_new_build` of ``route`` with the
    ``road_id`` feature of ``layers`` off the road mask, and its mid-range cost per km over the
    Karakoram Highway's (``kkh_usd_per_km``, mid-range US$ per km; None: no ratio).

    Returns
    -------
    dict
        ``road``, ``km_on_track``, ``upgrade_built_km``, ``upgrade_built_km_without_track``,
        ``cost_usd`` {low, high, breakdown, basis}, ``cost_ratio_to_kkh``.

    Examples
    --------
    Without a road layer the route is priced as it was, and nothing runs on the track:

    >>> from affine import Affine
    >>> from wakhan.cost import get_model
    >>> from wakhan.grid import Grid
    >>> from wakhan.route import RouteResult, build_summary
    >>> from wakhan.route.profile import profile_from_path
    >>> from wakhan.solve import least_cost_path
    >>> dem = Grid(np.full((3, 12), 2000.0, np.float32), Affine(200.0, 0, 500_000, 0, -200.0, 4_100_000),
    ...            "EPSG:32643")
    >>> path = least_cost_path(dem, get_model("highway"), (1, 0), (1, 10))
    >>> prof = profile_from_path([path], dem)
    >>> r = RouteResult(build_summary(prof, "r", dem, places=None, country_at=None), prof, dem=dem,
    ...                 paths=(path,), model=get_model("highway"))
    >>> t = track_sensitivity(r, [], None)
    >>> t["km_on_track"], t["cost_usd"]["low"], t["cost_ratio_to_kkh"]
    (0.0, 2000000.0, None)
    """
    if layers:
        on_road, without = road_masks_without(layers, route.dem, road_id)
    else:
        on_road = without = np.zeros(route.dem.shape, dtype=bool)
    t = track_as_new_build(route, on_road, without)
    length_km = route.summary.terrain.length_km
    mid = 0.5 * (t["cost_usd"]["low"] + t["cost_usd"]["high"]) / length_km if length_km else None
    ratio = round(mid / kkh_usd_per_km, 3) if mid and kkh_usd_per_km else None
    return {"road": road_id, **t, "cost_ratio_to_kkh": ratio}


def track_words(track: dict | None, limit: float) -> str:
    """The sensitivity in the verdict's words ("" without one, or when the route does not run on the track).

    Examples
    --------
    >>> t = {"km_on_track": 171.4, "cost_usd": {"low": 2.1e9, "high": 6.0e9}, "cost_ratio_to_kkh": 1.62}
    >>> track_words(t, 1.5)  # doctest: +NORMALIZE_WHITESPACE
    '; priced as a new road where the Wakhan track runs (171 km), the Wakhan highway costs US$ 2.1-6.0 bn,
    1.62 times the Karakoram Highway per km: above the 1.5 limit, so by the cost rule alone the verdict
    would be "depends"'
    >>> track_words({**t, "km_on_track": 0.0}, 1.5)
    ''
    >>> again = {"length_km": 1327.6, "cost_usd": {"low": 1.44e9, "high": 4.01e9}, "cost_ratio_to_kkh": 1.01,
    ...          "departs_km": 0.8, "max_departure_km": 1.4, "crosses_wakhjir_pass": True}
    >>> track_words({**t, "rerouted": again}, 1.5).split("; ")[-1]  # doctest: +NORMALIZE_WHITESPACE
    'searched again without the track as existing road, the route is 1,328 km, US$ 1.4-4.0 bn, 1.01 times the
    Karakoram Highway per km, leaving the first line for 0.8 km (never more than 1.4 km from it) and still
    crossing the Wakhjir Pass'
    """
    if not track or not track.get("km_on_track") or track.get("cost_ratio_to_kkh") is None:
        return ""
    from wakhan.claims.verdicts import usd_range_bn

    ratio = track["cost_ratio_to_kkh"]
    rule = (
        f'above the {limit:g} limit, so by the cost rule alone the verdict would be "depends"'
        if ratio > limit
        else f"within the {limit:g} limit, so the cost rule would still be met"
    )
    return (
        f"; priced as a new road where the Wakhan track runs ({track['km_on_track']:,.0f} km), the Wakhan "
        f"highway costs {usd_range_bn(track['cost_usd'])}, {ratio:.2f} times the Karakoram Highway per km: {rule}"
    ) + _rerouted_words(track.get("rerouted"))


def _rerouted_words(again: dict | None) -> str:
    """The re-routed sensitivity (:func:`wakhan.claims.track_reroute.track_rerouted`) in the verdict's words."""
    if not again:
        return ""
    if "error" in again:
        return f"; searched again without the track as existing road, no route was found: {again['error']}"
    if again.get("cost_ratio_to_kkh") is None:
        return ""
    from wakhan.claims.verdicts import usd_range_bn

    wakhjir = "still crossing" if again["crosses_wakhjir_pass"] else "no longer crossing"
    return (
        f"; searched again without the track as existing road, the route is {again['length_km']:,.0f} km, "
        f"{usd_range_bn(again['cost_usd'])}, {again['cost_ratio_to_kkh']:.2f} times the Karakoram Highway per km, "
        f"leaving the first line for {again['departs_km']:,.1f} km (never more than {again['max_departure_km']:,.1f} km "
        f"from it) and {wakhjir} the Wakhjir Pass"
    )
