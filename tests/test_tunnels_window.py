"""The tunnel search's window holds the whole surface route, whatever the cell size.

The search crops the grid to the surface route's bounding box plus a margin of
``max_tunnel_km / 2 + 5 km``; on 10-20 km cells that margin is two cells. It used to
take the box of every tenth route vertex only, so a route that wandered between two
samples (along an existing road, round a hill) left the window and ``_crossings``
raised an IndexError.
"""

from __future__ import annotations

import numpy as np
from affine import Affine
from pyproj import Transformer

from wakhan.cost import HighwayModel
from wakhan.grid import Grid
from wakhan.solve import least_cost_path
from wakhan.solve.tunnels import tunnel_leg


def _ramp(n_rows, n_cols, cell_m, x0=500_000.0, y0=4_100_000.0):
    """A plane rising 2 m per 10 km east and 3 m per 10 km south: no tunnel has any cover."""
    rows, cols = np.mgrid[0:n_rows, 0:n_cols]
    z = (1500.0 + cell_m / 1e4 * (2.0 * cols + 3.0 * rows)).astype(np.float32)
    return Grid(z, Affine(cell_m, 0, x0, 0, -cell_m, y0), "EPSG:32643")


def test_a_surface_route_along_a_u_shaped_road_stays_inside_the_window():
    """Start (1, 1) and goal (1, 4) on 10 km cells; a road runs down to row 6 and back (friction 0.1),
    so the 12-vertex surface route reaches row 5-6 while its samples (vertex 0 and 10, and the ends)
    lie in rows 1-2: a two-cell margin stopped at row 4."""
    g = _ramp(9, 8, 10_000.0)
    road = np.zeros(g.array.shape, bool)
    road[1:7, 1] = road[6, 1:5] = road[1:7, 4] = True
    surface = least_cost_path(g, HighwayModel(), (1, 1), (1, 4), friction=np.where(road, 0.1, 1.0), neighbours=8)
    assert surface.rows.max() >= 5 and surface.rows[[0, 10, -1]].max() <= 2  # the case the old window missed
    # a plane gives no bore any cover (the terrain lies on the line between any two portals), so no
    # tunnel is allowed and the leg is its surface route
    assert tunnel_leg(g, HighwayModel(), (1, 1), (1, 4), surface=[surface], neighbours=8) is None


def test_highway_routes_on_a_coarse_gentle_ramp_are_the_tunnel_free_routes():
    """The case study's four highway variants on 20 km cells over 67.5-77.5 E (where it crashed)."""
    from wakhan.claims.case_study import END, HIGHWAY_VARIANTS, START, existing_infrastructure
    from wakhan.claims.scenarios import highway_routes
    from wakhan.places import haversine_km, resolve
    from wakhan.plan.compare import compare_routes

    x0, y0 = Transformer.from_crs("EPSG:4326", "EPSG:32643", always_xy=True).transform(67.5, 40.5)
    g = _ramp(45, 50, 20_000.0, x0, y0)
    got = highway_routes(dem=g, neighbours=8)
    assert set(got) == {v.key for v in HIGHWAY_VARIANTS}
    a, b = resolve(START), resolve(END)
    crow_km = haversine_km(a.lon, a.lat, b.lon, b.lat)
    plain = compare_routes(
        START, END, HIGHWAY_VARIANTS, model="highway", neighbours=8, dem=g, tunnels=False, **existing_infrastructure()
    )
    for v, tunnel_free in zip(HIGHWAY_VARIANTS, plain):
        r = got[v.key]
        assert not r.summary.engineering.tunnels  # no cover anywhere on a plane
        assert r.length_km >= crow_km  # a route is never shorter than the great circle between its ends
        assert r.length_km == tunnel_free.length_km
        assert r.summary.provenance.cost == tunnel_free.summary.provenance.cost
