"""Profile labels: the two portal waypoints of one tunnel share one label.

On the existing-road profile "Salang Tunnel north portal" (km ~1232) and "Salang Tunnel south portal"
(km ~1235) overlap sideways on a 1,500 km axis, so one gave way and the other found no headroom:
neither was drawn. Expectations are worked out by hand (midpoint of the two portals' km).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from wakhan.figures.profile_labels import place_upright_labels, profile_labels  # noqa: E402
from wakhan.route.summary import RouteSummary  # noqa: E402


def _labels(waypoints):
    return profile_labels(RouteSummary.from_dict({"waypoints": waypoints, "passes": [], "places_along": []}))


#: The Salang tunnel as the route record gives an existing bore (2.67 km between portals 3 km apart along the route).
SALANG_BORE = {
    "existing": "Salang Tunnel",
    "length_km": 2.67,
    "start_km": 1232.1,
    "end_km": 1235.1,
    "portal_a": {"lat": 35.3, "lon": 69.0, "elevation_m": 3400.0},
    "portal_b": {"lat": 35.32, "lon": 69.02, "elevation_m": 3400.0},
}


def _salang_axes():
    """A 7 x 3.5 in profile of km 1200-1300 with a 3,800 m ridge just past the bore, drawn."""
    d = np.linspace(1200.0, 1300.0, 401)
    z = 1500.0 + 2300.0 * np.exp(-(((d - 1236.0) / 8.0) ** 2))
    fig, ax = plt.subplots(figsize=(7, 3.5), dpi=100)
    ax.plot(d, z)
    ax.set_xlim(1200, 1300)
    ax.set_ylim(0, 4200)
    fig.canvas.draw()
    return fig, ax, d, z


def test_the_two_portals_of_one_tunnel_become_one_label_midway():
    got = _labels(
        [
            {"name": "Kabul", "km": 1300.0},
            {"name": "Salang Tunnel north portal", "km": 1232.1, "kind": "portal"},
            {"name": "Salang Tunnel south portal", "km": 1235.1, "kind": "portal"},
        ]
    )
    # by hand: (1232.1 + 1235.1) / 2 = 1233.6
    assert [(round(km, 1), text) for km, text, _ in got] == [(1233.6, "Salang Tunnel portals"), (1300.0, "Kabul")]


def test_a_lone_portal_or_portals_of_different_tunnels_or_far_apart_keep_their_names():
    lone = _labels([{"name": "Salang Tunnel north portal", "km": 10.0}])
    assert [t for _, t, _ in lone] == ["Salang Tunnel north portal"]
    two = _labels(
        [{"name": "Salang Tunnel north portal", "km": 10.0}, {"name": "Kokcha Tunnel south portal", "km": 12.0}]
    )
    assert sorted(t for _, t, _ in two) == ["Kokcha Tunnel south portal", "Salang Tunnel north portal"]
    far = _labels([{"name": "X Tunnel north portal", "km": 10.0}, {"name": "X Tunnel south portal", "km": 200.0}])
    assert sorted(t for _, t, _ in far) == ["X Tunnel north portal", "X Tunnel south portal"]


def test_the_shared_portal_label_is_drawn_clear_of_the_curve_on_a_long_profile():
    d = np.linspace(0.0, 1500.0, 3001)
    z = 1000.0 + 2800.0 * np.exp(-(((d - 1238.0) / 15.0) ** 2))  # a 3,800 m ridge just past the tunnel
    fig, ax = plt.subplots(figsize=(7, 3.5), dpi=100)
    ax.plot(d, z)
    ax.set_xlim(0, 1500)
    ax.set_ylim(0, 4000)
    fig.canvas.draw()
    items = _labels(
        [
            {"name": "Salang Tunnel north portal", "km": 1232.1},
            {"name": "Salang Tunnel south portal", "km": 1235.1},
        ]
    )
    texts = place_upright_labels(fig, ax, d, z, items, fontsize=8)
    assert [t.get_text() for t in texts] == ["Salang Tunnel portals"]
    fig.canvas.draw()
    box = texts[0].get_window_extent(fig.canvas.get_renderer())
    # above the curve everywhere under the label's width
    x0, x1 = ax.transData.inverted().transform([(box.x0, 0), (box.x1, 0)])[:, 0]
    under = (d >= x0) & (d <= x1)
    assert box.y0 > ax.transData.transform((0.0, float(z[under].max())))[1]
    plt.close(fig)


def test_portals_of_a_drawn_existing_bore_are_named_by_the_bore_label_not_twice():
    # the Salang bore is drawn between the portals with its own label under it: that label names the
    # tunnel ("Salang Tunnel 2.7 km") and the portal waypoints get no upright label of their own
    tunnel = SALANG_BORE
    summary = RouteSummary.from_dict(
        {
            "waypoints": [
                {"name": "Salang Tunnel north portal", "km": 1232.1},
                {"name": "Salang Tunnel south portal", "km": 1235.1},
                {"name": "Kabul", "km": 1300.0},
            ],
            "passes": [],
            "places_along": [],
            "tunnels": [tunnel],
        }
    )
    assert [t for _, t, _ in profile_labels(summary)] == ["Kabul"]
    from wakhan.figures.marks import label_tunnels_on_profile

    fig, ax, d, z = _salang_axes()
    (label,) = label_tunnels_on_profile(fig, ax, summary, d, z, 9.0)
    assert label.get_text() == "Salang Tunnel 2.7 km"
    plt.close(fig)


def test_a_named_tunnel_label_that_finds_no_room_falls_back_to_the_shorter_words():
    # the lowest supported matplotlib (3.7) measures text a little wider: "Salang Tunnel 2.7 km" found no clear
    # spot under the all-season road's Salang bore and the tunnel went unlabelled; where the name does not fit,
    # the shorter "tunnel 2.7 km" (the legend and the report name the tunnel) is tried before giving up
    from matplotlib.transforms import Bbox

    from wakhan.figures.marks import label_tunnels_on_profile

    tunnel = SALANG_BORE
    summary = RouteSummary.from_dict({"waypoints": [], "passes": [], "places_along": [], "tunnels": [tunnel]})
    fig, ax, d, z = _salang_axes()
    renderer = fig.canvas.get_renderer()
    widths = {}
    for text in ("Salang Tunnel 2.7 km", "tunnel 2.7 km"):
        probe = ax.text(0, 0, text, fontsize=9.0 - 1.5)
        widths[text] = probe.get_window_extent(renderer).width
        probe.remove()
    cx = ax.transData.transform((0.5 * (1232.1 + 1235.1), 0.0))[0]
    # a label already drawn, the full height of the figure, between the short label's edge and the long one's
    assert widths["Salang Tunnel 2.7 km"] / 2 - widths["tunnel 2.7 km"] / 2 > 8
    taken = Bbox.from_extents(cx + widths["tunnel 2.7 km"] / 2 + 3, 0, cx + widths["Salang Tunnel 2.7 km"] / 2 - 3, 1e4)
    (label,) = label_tunnels_on_profile(fig, ax, summary, d, z, 9.0, taken=[taken])
    assert label.get_text() == "tunnel 2.7 km"
    # and with nothing in the way the name is written
    (named,) = label_tunnels_on_profile(fig, ax, summary, d, z, 9.0)
    assert named.get_text() == "Salang Tunnel 2.7 km"
    plt.close(fig)
