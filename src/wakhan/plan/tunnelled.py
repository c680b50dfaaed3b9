"""Tunnels in a planned route: which legs may be tunnelled, and the profile through the bores.

Waypoints split a route into legs; a waypoint of kind ``pass`` (from the
gazetteer) does not split it for tunnels, so the road may go *under* a named pass
instead of over it. Each stretch between other waypoints is handed to
:func:`wakhan.solve.tunnels.tunnel_leg`. In the profile, the elevation inside a
tunnel is the straight bore between its portals, not the mountain above it.
"""

from __future__ import annotations

import numpy as np
from pyproj import Transformer

from wakhan.errors import RouteError, option
from wakhan.route.costing import load_unit_costs
from wakhan.route.engineering import HIGH_ALTITUDE_M, path_vertex_km
from wakhan.route.profile import Profile, profile_from_path
from wakhan.solve.api import Path
from wakhan.solve.tunnels import DEFAULT_MAX_TUNNEL_KM, tunnel_leg

__all__ = ["tunnel_segments", "profile_with_tunnels"]


def _groups(places):
    cut = [0] + [i for i in range(1, len(places) - 1) if getattr(places[i], "kind", None) != "pass"] + [len(places) - 1]
    return list(zip(cut[:-1], cut[1:]))


def tunnel_segments(
    grid,
    model,
    places,
    cells,
    legs,
    *,
    neighbours,
    barrier,
    tunnel_blocked,
    friction=None,
    max_tunnel_km=None,
    fixed=None,
):
    """Surface paths and :class:`~wakhan.solve.tunnels.Tunnel` objects in route order.

    Parameters
    ----------
    grid : Grid
        The metric DEM.
    model : HighwayModel
    places : sequence of Place
        The waypoints; one of kind ``pass`` may be tunnelled under.
    cells : sequence of (row, col)
        The waypoints' cells.
    legs : sequence of Path or None
        The surface path of each leg, or None where none exists.
    neighbours : int
    barrier : bool array or None
        Cells the road may not use (borders, the --max-elevation ceiling).
    tunnel_blocked : bool array or None
        Cells a tunnel may not pass under (borders).
    friction : float array, optional
        The surface cost multiplier the legs were searched with (existing roads, the floodplain):
        tunnels are weighed against, and the road around them re-traced on, that same surface.
    max_tunnel_km : float, optional
        Longest tunnel (default :data:`wakhan.solve.tunnels.DEFAULT_MAX_TUNNEL_KM`).
    fixed : dict, optional
        ``leg index -> Tunnel``: legs that are an existing tunnel (:mod:`wakhan.plan.existing`), kept as they are.

    Returns
    -------
    list of Path and Tunnel

    Raises
    ------
    RouteError
        The surface is blocked and no tunnel short enough joins the two sides.

    Examples
    --------
    A 600 m thick wall 2,000 m above flat valley ground, above the 3,000 m ceiling: no
    surface leg exists, so the road runs to a portal, through a level bore at least
    800 m long (portals outside the wall) under 2,000 m of rock, and on.

    >>> from affine import Affine
    >>> from wakhan.cost import get_model
    >>> from wakhan.grid import Grid
    >>> from wakhan.places import Place
    >>> z = np.full((5, 30), 2000.0, np.float32); z[:, 14:17] = 4000.0
    >>> dem = Grid(z, Affine(200.0, 0, 500_000, 0, -200.0, 4_100_000), "EPSG:32643")
    >>> ends = [Place("West", (), 37.0, 75.0, "town", "", ""), Place("East", (), 37.0, 75.1, "town", "", "")]
    >>> segs = tunnel_segments(dem, get_model("highway"), ends, [(2, 2), (2, 27)], [None], neighbours=8,
    ...                        barrier=z > 3000, tunnel_blocked=None)
    >>> [type(s).__name__ for s in segs]
    ['Path', 'Tunnel', 'Path']
    >>> bore = segs[1]
    >>> bool(bore.length_m >= 800), bore.grade_pct, bore.max_cover_m
    (True, 0.0, 2000.0)
    """
    max_km = DEFAULT_MAX_TUNNEL_KM if max_tunnel_km is None else float(max_tunnel_km)
    out = []
    for i0, i1 in _groups(places):
        if fixed and i1 == i0 + 1 and i0 in fixed:
            out.append(fixed[i0])
            continue
        surface = legs[i0:i1]
        if any(p is None for p in surface):
            surface = None
        try:
            pieces = tunnel_leg(
                grid,
                model,
                cells[i0],
                cells[i1],
                surface=surface,
                neighbours=neighbours,
                barrier=barrier,
                friction=friction,
                tunnel_blocked=tunnel_blocked,
                max_length_m=max_km * 1000.0,
            )
        except RouteError:
            raise RouteError(
                f"no route from {places[i0].name} to {places[i1].name}: the surface is blocked "
                f"(--max-elevation or borders) and no tunnel of at most {max_km:g} km joins the two "
                f"sides; raise {option('--max-elevation or --max-tunnel-km', 'max_elevation_m or max_tunnel_km')}"
            ) from None
        out.extend(pieces if pieces is not None else surface)
    return out


def _as_path(tunnel, grid):
    rows = np.array([tunnel.a_rc[0], tunnel.b_rc[0]], dtype=np.int64)
    cols = np.array([tunnel.a_rc[1], tunnel.b_rc[1]], dtype=np.int64)
    x, y = grid.xy(rows, cols)
    return Path(
        rows, cols, np.array([tunnel.cost]), float(tunnel.cost), "m", np.asarray(x, float), np.asarray(y, float)
    )


def profile_with_tunnels(segments, grid):
    """The route's profile with tunnel elevations along the bores, and the tunnels as summary dicts.

    Parameters
    ----------
    segments : sequence of Path and Tunnel
        In route order, as :func:`tunnel_segments` returns them.
    grid : Grid

    Returns
    -------
    (Profile, list of dict)
        The profile (inside a tunnel, the straight bore between its portals) and
        each tunnel's length, portals, cover, grade, km along the route and cost.

    Examples
    --------
    The wall of :func:`tunnel_segments`' example: the profile never rises above the
    valley floor, since the bore runs level beneath the 4,000 m wall.

    >>> from affine import Affine
    >>> from wakhan.cost import get_model
    >>> from wakhan.grid import Grid
    >>> from wakhan.places import Place
    >>> z = np.full((5, 30), 2000.0, np.float32); z[:, 14:17] = 4000.0
    >>> dem = Grid(z, Affine(200.0, 0, 500_000, 0, -200.0, 4_100_000), "EPSG:32643")
    >>> ends = [Place("West", (), 37.0, 75.0, "town", "", ""), Place("East", (), 37.0, 75.1, "town", "", "")]
    >>> segs = tunnel_segments(dem, get_model("highway"), ends, [(2, 2), (2, 27)], [None], neighbours=8,
    ...                        barrier=z > 3000, tunnel_blocked=None)
    >>> profile, tunnels = profile_with_tunnels(segs, dem)
    >>> float(np.nanmax(profile.elevation_m)), len(tunnels), tunnels[0]["portal_a"]["elevation_m"]
    (2000.0, 1, 2000.0)
    """
    pathlikes = [_as_path(s, grid) if hasattr(s, "a_rc") else s for s in segments]
    profile = profile_from_path(pathlikes, grid)
    kms = path_vertex_km(pathlikes, profile)
    z = profile.elevation_m.copy()
    to_ll = Transformer.from_crs(grid.crs, "EPSG:4326", always_xy=True)
    costs = load_unit_costs()
    tunnels = []
    for seg, pl, km in zip(segments, pathlikes, kms):
        if not hasattr(seg, "a_rc"):
            continue
        k0, k1 = km[0], km[-1]
        inside = (profile.distance_km >= k0) & (profile.distance_km <= k1)
        z[inside] = np.interp(profile.distance_km[inside], [k0, k1], [seg.za_m, seg.zb_m])
        portals = []
        for (x, y), h in zip(zip(pl.x, pl.y), (seg.za_m, seg.zb_m)):
            lon, lat = to_ll.transform(x, y)
            portals.append({"lat": round(float(lat), 5), "lon": round(float(lon), 5), "elevation_m": round(h, 1)})
        length_km = seg.length_m / 1000.0
        alt = costs["altitude_factor"]
        high = 0.5 * (seg.za_m + seg.zb_m) > HIGH_ALTITUDE_M
        existing = getattr(seg, "existing_name", "")
        item = "tunnel_rehabilitation" if existing and "tunnel_rehabilitation" in costs else "tunnel"
        usd = {end: round(length_km * costs[item][end] * (alt[end] if high else 1.0), -5) for end in ("low", "high")}
        tunnels.append(
            {
                "length_km": round(length_km, 3),
                "portal_a": portals[0],
                "portal_b": portals[1],
                "max_cover_m": round(seg.max_cover_m, 1),
                "grade_pct": round(seg.grade_pct, 2),
                "start_km": round(float(k0), 3),
                "end_km": round(float(k1), 3),
                "cost_usd": usd,
            }
            | ({"existing": existing} if existing else {})
        )
    fixed = Profile(profile.distance_km, profile.lon, profile.lat, z, profile.x, profile.y)
    return fixed, tunnels
