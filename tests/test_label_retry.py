"""Profile labels: one crowded out by a label that then found no headroom comes back.

On the existing-road profile the Salang pass label gave way to a label beside it that was itself
dropped for lack of headroom, so neither was drawn. Expectations are worked out by hand from the boxes.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.transforms import Bbox  # noqa: E402

from wakhan.figures.profile_labels import _choose_labels, place_upright_labels  # noqa: E402


def _box(x0, x1):
    return Bbox([[x0, 0.0], [x1, 50.0]])


def test_a_label_crowded_out_by_a_dropped_label_comes_back():
    # A (most important) fits; B overlaps C sideways and asks for more headroom than allowed; C fits.
    boxes = [_box(0, 10), _box(20, 30), _box(25, 35)]
    needs = [5.0, 100.0, 5.0]
    # by hand: B is taken before C, so C gives way; B then does not fit and is left out; with B out,
    # nothing stands where C is: A and C are drawn (the old placement drew only A)
    assert _choose_labels(boxes, needs, ceiling=50.0) == [0, 2]


def test_a_restored_label_that_does_not_fit_gives_way_in_turn_and_the_next_one_comes_back():
    # B too high, C (restored once B is out) too high as well, D overlapping only C fits
    boxes = [_box(0, 10), _box(20, 30), _box(25, 35), _box(33, 40)]
    needs = [5.0, 100.0, 80.0, 5.0]
    assert _choose_labels(boxes, needs, ceiling=50.0) == [0, 3]
    # everything fits: the plain importance order, overlapping ones left out
    assert _choose_labels(boxes, [1.0] * 4, ceiling=50.0) == [0, 1, 3]


def test_profile_draws_the_label_a_dropped_label_had_crowded_out():
    d = np.linspace(0.0, 100.0, 201)
    z = 1000.0 + 2000.0 * np.exp(-(((d - 50.0) / 4.0) ** 2))  # one peak of 3,000 m at km 50
    fig, ax = plt.subplots(figsize=(8, 6), dpi=100)
    ax.plot(d, z)
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 3200)
    fig.canvas.draw()
    items = [
        (20.0, "Lowland", "waypoint"),
        # more important, but far too long to stand above the peak within the headroom
        (50.0, "A very long label that cannot stand above the peak " * 3, "place"),
        (51.0, "Pass 3,000 m", "pass"),  # overlaps the long label sideways
    ]
    texts = place_upright_labels(fig, ax, d, z, items, fontsize=9, max_headroom=1.0)
    drawn = [t.get_text() for t in texts]
    assert drawn == ["Lowland", "Pass 3,000 m"]
    # the restored label stands clear of the curve and of the other label
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(r) for t in texts]
    assert not boxes[0].overlaps(boxes[1])
    peak_px = ax.transData.transform((51.0, float(np.interp(51.0, d, z))))[1]
    assert boxes[1].y0 > peak_px
    plt.close(fig)
