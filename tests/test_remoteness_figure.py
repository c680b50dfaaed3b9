"""The remoteness map as it is published (the claims report's remoteness.png).

Read on the claims run: its colour bar stopped at 21.5 h (the 99.5th percentile) with nothing to say
the darkest colour means "21.5 h or more", beside a star labelled 23 h; and its caption said
"Walking model (Tobler)" while the hours are walked at 0.616 of Tobler's speed (1.6 times as long).
"""

from __future__ import annotations

import numpy as np
import pytest
from affine import Affine

from wakhan.cost import WalkingModel
from wakhan.cost.walking import TREK_TERRAIN_FACTOR
from wakhan.dem.project import xy_to_lonlat
from wakhan.grid import DataSource, Grid
from wakhan.remoteness import remoteness
from wakhan.settlements import Settlements

CRS = "EPSG:32643"


@pytest.fixture
def surface():
    grid = Grid(
        np.full((40, 40), 1000.0, np.float32),
        Affine(500.0, 0, 500_000.0, 0, -500.0, 4_100_000.0),
        CRS,
        sources=(DataSource("hand-built", resolution="500 m"),),
    )
    x, y = grid.xy(np.array([0]), np.array([0]))
    lon, lat = xy_to_lonlat(grid.crs, x, y)
    places = Settlements(lon, lat, ("corner",), DataSource("one hand-placed settlement"))
    return remoteness(places, dem=grid, model=WalkingModel(terrain_factor=TREK_TERRAIN_FACTOR), neighbours=8)


def _draw(surface, tmp_path, monkeypatch):
    import matplotlib.pyplot as plt

    from wakhan.figures import remoteness as module

    drawn = {}
    monkeypatch.setattr(plt, "close", lambda fig: drawn.setdefault("fig", fig))
    module.plot_remoteness(surface, tmp_path / "r.png")
    return drawn["fig"]


def test_the_colour_bar_says_its_top_colour_runs_on_beyond_its_last_value(surface, tmp_path, monkeypatch):
    # from one corner of a flat square, hours grow steadily to the far corner: the 99.5th percentile
    # (the colour bar's top) lies below the surface's maximum, so some cells are beyond the scale
    hours = surface.hours.array
    assert np.nanpercentile(hours, 99.5) < np.nanmax(hours)
    fig = _draw(surface, tmp_path, monkeypatch)
    bars = [a for a in fig.axes if a.get_label() == "<colorbar>"]
    assert len(bars) == 1
    colorbar = bars[0]._colorbar
    assert colorbar.extend == "max"


def test_the_caption_names_the_walking_speed_the_hours_are_walked_at(surface, tmp_path, monkeypatch):
    fig = _draw(surface, tmp_path, monkeypatch)
    texts = " ".join(t.get_text() for ax in fig.axes for t in ax.texts).replace("\n", " ")
    assert f"Tobler x {TREK_TERRAIN_FACTOR:g}" in texts


def test_the_most_remote_point_is_labelled_with_its_whereabouts_inside_the_map(surface, tmp_path, monkeypatch):
    # claims.json and the report place the point by named places (wakhan.places.whereabouts; the hand
    # computation for 37.39 N 74.35 E is in tests/test_report_naming.py); the map's label says the same
    from types import SimpleNamespace

    import matplotlib.pyplot as plt

    from wakhan.report.write import _remoteness_figure

    x, y = surface.hours.xy(np.array([30]), np.array([30]))  # far from the one settlement, in the right half
    lon, lat = xy_to_lonlat(surface.hours.crs, x, y)
    where = "35 km N of Wakhjir Pass, 42 km NE of Bozai Gumbaz"
    point = {"lat": float(lat[0]), "lon": float(lon[0]), "hours": 23.2, "path_km": 68.0, "whereabouts": where}
    drawn = {}
    monkeypatch.setattr(plt, "close", lambda fig: drawn.setdefault("fig", fig))
    _remoteness_figure(SimpleNamespace(surface=surface, regions={}, points={"wakhan": point}), tmp_path)
    fig = drawn["fig"]
    ax = fig.axes[0]
    (label,) = [t for t in ax.texts if t.get_text().startswith("most remote")]
    assert label.get_text() == f"most remote ('wakhan'): 23 h, 68 km\n{where}"
    assert label.get_fontsize() >= 7
    fig.canvas.draw()
    box, frame = label.get_window_extent(), ax.get_window_extent()
    assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1


def test_the_axes_read_in_degrees_on_a_graticule_and_the_caption_names_the_projection(tmp_path, monkeypatch):
    # the claims map is drawn in an azimuthal equidistant projection; its axes said "easting/northing, km"
    # of a centre nowhere stated. Hand computation for a grid centred on 37 N 72 E, 60 km square: the
    # meridian 72 E is the projection's central line x = 0, and the parallel 37 N, curving away from the
    # centre, meets the side x = -30 km at y = x^2 tan(37 deg) / (2 N) = 900 * 0.7536 / (2 * 6386) = 0.0531 km
    # (N, the prime-vertical radius of WGS84 at 37 N, 6,386 km).
    import matplotlib.pyplot as plt

    from wakhan.figures import remoteness as module

    crs = "+proj=aeqd +lat_0=37 +lon_0=72 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
    grid = Grid(
        np.full((60, 60), 1000.0, np.float32),
        Affine(1000.0, 0, -30_000.0, 0, -1000.0, 30_000.0),
        crs,
        sources=(DataSource("hand-built", resolution="1 km"),),
    )
    x, y = grid.xy(np.array([0]), np.array([0]))
    lon, lat = xy_to_lonlat(grid.crs, x, y)
    places = Settlements(lon, lat, ("corner",), DataSource("one hand-placed settlement"))
    surface = remoteness(places, dem=grid, model=WalkingModel(), neighbours=8)
    drawn = {}
    monkeypatch.setattr(plt, "close", lambda fig: drawn.setdefault("fig", fig))
    module.plot_remoteness(surface, tmp_path / "r.png")
    ax = drawn["fig"].axes[0]
    xticks = dict(zip([t.get_text() for t in ax.get_xticklabels()], ax.get_xticks()))
    yticks = dict(zip([t.get_text() for t in ax.get_yticklabels()], ax.get_yticks()))
    assert xticks["72°E"] == pytest.approx(0.0, abs=1e-6)
    assert yticks["37°N"] == pytest.approx(0.0531, abs=0.002)
    assert all(k.endswith("°E") for k in xticks) and all(k.endswith("°N") for k in yticks)
    assert "longitude" in ax.get_xlabel() and "latitude" in ax.get_ylabel()
    caption = " ".join(t.get_text() for t in ax.texts).replace("\n", " ")
    assert "azimuthal equidistant projection centred on 37°N 72°E" in caption
