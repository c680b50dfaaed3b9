"""The claims map read in print: its legend never covers the caption that names the data and borders.

The expectation is geometric and independent of the code: the legend's lowest pixel lies above the
caption's highest one (with a small gap), whatever the number of legend rows.
"""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest
import shapely
from affine import Affine

from wakhan.figures.map import draw_map
from wakhan.grid import Grid
from wakhan.route import Profile, RouteResult, RouteSummary, geodesic_distance_km

matplotlib.use("Agg")


def _road(name: str, k: int, tunnel: bool) -> RouteResult:
    """A road across the claims map's box (68-76 E, 33.8-39.7 N), with a bore in its middle if ``tunnel``."""
    t = np.linspace(0.0, 1.0, 201)
    lon, lat = 68.0 + 8.0 * t + 0.02 * k, 33.8 + 5.9 * t
    d = geodesic_distance_km(lon, lat)
    z = 3000.0 + 1000.0 * np.sin(np.pi * t)

    def portal(i):
        return {"lon": float(lon[i]), "lat": float(lat[i]), "elevation_m": float(z[i])}

    bores = [
        {
            "start_km": d[80],
            "end_km": d[120],
            "length_km": d[120] - d[80],
            "portal_a": portal(80),
            "portal_b": portal(120),
        }
    ]
    summary = RouteSummary.from_dict({"name": name, "length_km": float(d[-1]), "tunnels": bores if tunnel else []})
    return RouteResult(summary, Profile(d, lon, lat, z))


@pytest.mark.parametrize("n_routes", [1, 3])
def test_the_legend_under_the_map_stands_clear_of_the_data_caption(n_routes):
    """On the claims map the legend's last row ('tunnel', which the figure's height did not count) lay over
    the caption's 'Terrain: GEBCO_2023 (SRTM15+ v2.5.5) ...' line."""
    import matplotlib.pyplot as plt

    dem = Grid(
        np.tile(3000.0 + 10.0 * np.arange(150, dtype=np.float32), (150, 1)),
        Affine(0.07, 0, 67.5, 0, -0.07, 40.3),
        "EPSG:4326",
    )
    routes = [_road(f"route {i}", i, i == 0) for i in range(n_routes)]
    corridor = ("corridor", shapely.box(70.0, 36.0, 72.0, 37.0))
    fig, _ax, layout = draw_map(routes, dem=dem, places=None, pad_km=10.0, title="t", corridor=corridor)
    try:
        renderer = fig.canvas.get_renderer()
        legend = layout["boxes"]["legend"]
        assert [t.get_text() for t in legend.get_texts()][-1] == "tunnel"
        caption = next(t for t in fig.texts if t.get_text().startswith("Terrain:"))
        assert legend.get_window_extent(renderer).y0 > caption.get_window_extent(renderer).y1
    finally:
        plt.close(fig)
