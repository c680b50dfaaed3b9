"""The gazetteer agrees with the bundled data: each point lies in the country it claims (Natural Earth
borders of the region pack) and each pass is the high point of a crossing on the pack's DEM."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import Transformer
from scipy import ndimage

from wakhan.borders import country_at, load_countries
from wakhan.dem import build_dem
from wakhan.places import load_places

#: Natural Earth 1:10m borders are generalised; villages on a border river or at a border crossing
#: (Langar on the Panj, Torkham at the Khyber crossing) may fall up to about this far on the other side.
BORDER_GENERALISATION_KM = 2.0
PLACES = load_places()
PASSES = [p for p in PLACES if p.kind == "pass"]


def test_passes_lie_in_the_country_the_borders_give():
    """A pass sits on a border: the gazetteer names the side the bundled borders put the point on."""
    codes = country_at([p.lon for p in PASSES], [p.lat for p in PASSES])
    wrong = [(p.name, p.country, c) for p, c in zip(PASSES, codes) if c != p.country]
    assert not wrong


def test_other_places_lie_in_their_country():
    countries = load_countries()
    others = [p for p in PLACES if p.kind != "pass"]
    codes = country_at([p.lon for p in others], [p.lat for p in others])
    off = []
    for p, code in zip(others, codes):
        if code == p.country:
            continue
        km = shapely.distance(countries[p.country], shapely.Point(p.lon, p.lat)) * 111.32
        if km > BORDER_GENERALISATION_KM:
            off.append((p.name, p.country, code, round(km, 1)))
    assert not off


def crossing_error_m(lon: float, lat: float, radius_m: float = 5000.0, min_drop_m: float = 100.0) -> float:
    """How far (m) the point's height is from the lowest crossing between two valleys beside it.

    For each pair of opposite 60-degree sectors within ``radius_m`` whose lowest cells lie at least
    ``min_drop_m`` below the point, find the lowest level at which water rising from one low cell
    reaches the other (the height of the best crossing, by flooding). At a pass that level is the
    pass's own height; on a valley wall or floor the valleys join far below the point.
    """
    g = build_dem((lon - 0.1, lat - 0.08, lon + 0.1, lat + 0.08))
    x0, y0 = Transformer.from_crs("EPSG:4326", g.crs, always_xy=True).transform(lon, lat)
    z0 = float(g.sample(x0, y0)[0])
    xs, ys = g.xy(*np.indices(g.shape))
    disc = np.hypot(xs - x0, ys - y0) <= radius_m
    z = np.where(disc, g.array, np.inf)
    ang = np.arctan2(xs - x0, ys - y0)
    levels = np.unique(np.round(z[disc]))
    best = np.inf
    for th in np.radians(np.arange(0, 180, 15)):
        d = np.angle(np.exp(1j * (ang - th)))
        lows = [
            np.unravel_index(np.argmin(np.where(disc & side, z, np.inf)), z.shape)
            for side in (np.abs(d) < np.radians(30), np.abs(d) > np.radians(150))
        ]
        if max(z[lows[0]], z[lows[1]]) > z0 - min_drop_m:
            continue
        lo, hi = 0, len(levels) - 1
        while lo < hi:  # lowest flood level joining the two valleys
            mid = (lo + hi) // 2
            lab, _ = ndimage.label(z <= levels[mid])
            if lab[lows[0]] and lab[lows[0]] == lab[lows[1]]:
                hi = mid
            else:
                lo = mid + 1
        best = min(best, abs(float(levels[lo]) - z0))
    return best


@pytest.mark.parametrize("place", PASSES, ids=[p.name for p in PASSES])
def test_each_pass_is_the_high_point_of_a_crossing(place):
    # 60 m: about the DEM's vertical error at 15-30" where the ground is steep
    assert crossing_error_m(place.lon, place.lat) <= 60.0


def test_the_crossing_check_rejects_a_valley_wall():
    """The earlier Bozai Gumbaz point (37.12N 74.02E) lay on the valley wall: not a crossing."""
    assert crossing_error_m(74.02, 37.12) > 60.0
