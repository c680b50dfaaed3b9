"""Tunnels in a planned route: which legs may be tunnelled, and the profile through the bores.

Waypoints split a route into legs; a waypoint of kind ``pass`` (from the
gazetteer) does not split it for tunnels, so the road may go *under* a named pass
instead of over it. Each stretch between other waypoints is handed to
:func:`wakhan.solve.tunnels.tunnel_leg`. In the profile, the elevation inside a
tunnel is the straight bore between its portals, not the mountain above it.
"""

from __future__ import annotations

import numpy as np

from wakhan.errors import RouteError
from wakhan.route.profile import Profile, profile_from_path

__all__ = ["tunnel_segments", "profile_with_tunnels"]


def _groups(places):
    cut = [0] + [i for i in range(1, len(places) - 1) if getattr(places[i], "kind", None) != "pass"] + [len(places) - 1]
    return list(zip(cut[:-1], cut[1:]))


def tunnel_segments(grid, model, places, cells, legs, *, neighbours, barrier, tunnel_blocked, max_tunnel_km=None):
    """Surface paths and :class:`~wakhan.solve.tunnels.Tunnel` objects in route order.

    ``legs`` holds the surface path of each leg, or None where none exists.
    """
    from wakhan.solve.tunnels import DEFAULT_MAX_TUNNEL_KM, tunnel_leg

    max_km = DEFAULT_MAX_TUNNEL_KM if max_tunnel_km is None else float(max_tunnel_km)
    out = []
    for i0, i1 in _groups(places):
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
                tunnel_blocked=tunnel_blocked,
                max_length_m=max_km * 1000.0,
            )
        except RouteError:
            raise RouteError(
                f"no route from {places[i0].name} to {places[i1].name}: the surface is blocked "
                f"(--max-elevation or borders) and no tunnel of at most {max_km:g} km joins the two "
                "sides; raise --max-elevation or --max-tunnel-km"
            ) from None
        out.extend(pieces if pieces is not None else surface)
    return out


def _as_path(tunnel, grid):
    from wakhan.solve.api import Path

    rows = np.array([tunnel.a_rc[0], tunnel.b_rc[0]], dtype=np.int64)
    cols = np.array([tunnel.a_rc[1], tunnel.b_rc[1]], dtype=np.int64)
    x, y = grid.xy(rows, cols)
    return Path(
        rows, cols, np.array([tunnel.cost]), float(tunnel.cost), "m", np.asarray(x, float), np.asarray(y, float)
    )


def profile_with_tunnels(segments, grid):
    """The route's profile with tunnel elevations along the bores, and the tunnels as summary dicts."""
    from pyproj import Transformer

    from wakhan.route.costing import load_unit_costs
    from wakhan.route.engineering import HIGH_ALTITUDE_M, path_vertex_km

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
        usd = {
            end: round(length_km * costs["tunnel"][end] * (alt[end] if high else 1.0), -5) for end in ("low", "high")
        }
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
        )
    fixed = Profile(profile.distance_km, profile.lon, profile.lat, z, profile.x, profile.y)
    return fixed, tunnels
