"""A tunnel's label near an end of a profile stays inside the axes.

On the existing-road and all-season profiles (Kashgar to Kabul, ~1,300 km) the Salang tunnel lies a few
tens of km from the Kabul end: its label "Salang Tunnel 2.7 km", centred under the bore, ran past the
axes' right edge. Checked on the drawn boxes (the figure's renderer), not on pixels.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from wakhan.figures.marks import label_tunnels_on_profile  # noqa: E402
from wakhan.route.summary import RouteSummary  # noqa: E402


def _bore(start_km: float, end_km: float) -> dict:
    return {
        "existing": "Salang Tunnel",
        "length_km": 2.67,
        "start_km": start_km,
        "end_km": end_km,
        "portal_a": {"lat": 35.3, "lon": 69.0, "elevation_m": 3400.0},
        "portal_b": {"lat": 35.32, "lon": 69.02, "elevation_m": 3400.0},
    }


def _draw(bore_mid_km: float):
    """A 7 x 3.5 in profile of km 0-1,300 with a 3,800 m ridge over a bore centred at ``bore_mid_km``."""
    d = np.linspace(0.0, 1300.0, 2601)
    z = 1500.0 + 2300.0 * np.exp(-(((d - bore_mid_km) / 8.0) ** 2))
    fig, ax = plt.subplots(figsize=(7, 3.5), dpi=100)
    ax.plot(d, z)
    ax.set_xlim(0, 1300)
    ax.set_ylim(0, 4200)
    fig.canvas.draw()
    summary = RouteSummary.from_dict(
        {"waypoints": [], "passes": [], "places_along": [], "tunnels": [_bore(bore_mid_km - 1.5, bore_mid_km + 1.5)]}
    )
    return fig, ax, d, z, summary


@pytest.mark.parametrize("bore_mid_km", [1290.0, 1298.0, 10.0, 2.0])
def test_a_tunnel_label_near_an_end_of_the_profile_stays_inside_the_axes(bore_mid_km):
    fig, ax, d, z, summary = _draw(bore_mid_km)
    renderer = fig.canvas.get_renderer()
    (label,) = label_tunnels_on_profile(fig, ax, summary, d, z, 9.0)
    fig.canvas.draw()
    box, axes = label.get_window_extent(renderer), ax.get_window_extent(renderer)
    # the centred label would be half its width either side of the bore: by hand, wider than the room left
    bore_px = ax.transData.transform((bore_mid_km, 0.0))[0]
    assert min(bore_px - axes.x0, axes.x1 - bore_px) < box.width / 2
    assert axes.x0 <= box.x0 and box.x1 <= axes.x1, (box, axes)
    # still under its bore: the bore's middle lies within the label's width (its leader meets the label)
    assert box.x0 - 3 <= bore_px <= box.x1 + 3
    plt.close(fig)


def test_a_tunnel_label_away_from_the_ends_stays_centred_under_its_bore():
    fig, ax, d, z, summary = _draw(650.0)
    renderer = fig.canvas.get_renderer()
    (label,) = label_tunnels_on_profile(fig, ax, summary, d, z, 9.0)
    box = label.get_window_extent(renderer)
    assert label.get_horizontalalignment() == "center"
    assert abs(0.5 * (box.x0 + box.x1) - ax.transData.transform((650.0, 0.0))[0]) < 1.0
    plt.close(fig)
