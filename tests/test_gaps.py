"""Depopulated stretches: built routes and settlements with answers known analytically, and properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Geod

from wakhan.errors import InputError
from wakhan.gaps import distance_to_nearest_km, gap_table, gaps, longest_gap
from wakhan.grid import DataSource
from wakhan.settlements import Settlements

GEOD = Geod(ellps="WGS84")
LON0 = 70.0


def meridian_route(lat0=30.0, lat1=32.0, step_km=0.2):
    """Samples along the meridian LON0 with their geodesic distance from the start."""
    _, _, total_m = GEOD.inv(LON0, lat0, LON0, lat1)
    n = int(np.ceil(total_m / 1000 / step_km)) + 1
    pts = GEOD.npts(LON0, lat0, LON0, lat1, n - 2)
    lat = np.array([lat0] + [p[1] for p in pts] + [lat1])
    lon = np.full(len(lat), LON0)
    _, _, d = GEOD.inv(lon, np.full(len(lat), lat0), lon, lat)
    return np.asarray(d) / 1000.0, lon, lat


def along_km(lat):
    """Distance along the meridian from 30N, in km."""
    return GEOD.inv(LON0, 30.0, LON0, lat)[2] / 1000.0


def east_of(lat, offset_km):
    """A point ``offset_km`` due east of (LON0, lat) along a geodesic."""
    lon, lat2, _ = GEOD.fwd(LON0, lat, 90.0, offset_km * 1000.0)
    return lon, lat2


def make(points, names=None):
    lon = [p[0] for p in points]
    lat = [p[1] for p in points]
    names = names or [f"s{i}" for i in range(len(points))]
    return Settlements(lon, lat, names, DataSource("built"), "built for tests")


def test_known_gaps_on_a_meridian():
    s, lon, lat = meridian_route()
    a, b = east_of(30.5, 1.0), east_of(31.5, 1.0)
    sett = make([a, b], ["A", "B"])
    buffer_km = 5.0
    half = np.sqrt(buffer_km**2 - 1.0**2)  # along-track half-width of a settlement's reach
    # the foot of a settlement 1 km east of the meridian is (to ~1e-5 km) at its own latitude
    ka, kb = along_km(a[1]), along_km(b[1])
    found = gaps(s, lon, lat, sett, buffer_km)
    assert len(found) == 3
    first, middle, last = found
    assert first.open_start and not first.open_end and first.start_km == 0.0
    assert first.end_km == pytest.approx(ka - half, abs=0.02)
    assert middle.start_km == pytest.approx(ka + half, abs=0.02)
    assert middle.end_km == pytest.approx(kb - half, abs=0.02)
    assert middle.neighbours == ("A", "B")
    assert middle.start_neighbour_km == pytest.approx(buffer_km, abs=0.02)
    assert last.open_end and last.end_km == pytest.approx(s[-1])
    g = longest_gap(s, lon, lat, sett, buffer_km)
    assert g == middle and g.length_km == pytest.approx(kb - ka - 2 * half, abs=0.04)
    assert g.buffer_km == buffer_km and g.source == "built"
    # a settlement right on the route at 31N splits the middle gap
    sett3 = make([a, b, (LON0, 31.0)], ["A", "B", "C"])
    g3 = longest_gap(s, lon, lat, sett3, buffer_km)
    assert g3.length_km < g.length_km / 2 + 0.1


def test_lengths_barely_depend_on_sampling():
    sett = make([east_of(30.5, 2.0), east_of(31.5, 3.0)])
    lengths = []
    for step in (0.1, 0.5, 2.0):
        s, lon, lat = meridian_route(step_km=step)
        lengths.append(longest_gap(s, lon, lat, sett, 10.0).length_km)
    assert max(lengths) - min(lengths) < 0.3


def test_no_settlements_and_no_gap():
    s, lon, lat = meridian_route(step_km=1.0)
    empty = make([])
    g = longest_gap(s, lon, lat, empty, 5.0)
    assert g.open_start and g.open_end and g.length_km == pytest.approx(s[-1])
    assert g.neighbours == (None, None) and np.isinf(g.max_distance_km)
    dense = make([(LON0, la) for la in np.arange(29.9, 32.2, 0.05)])
    assert longest_gap(s, lon, lat, dense, 5.0) is None
    assert gaps(s, lon, lat, dense, 5.0) == []


def test_distance_to_nearest_matches_brute_force_geodesic():
    rng = np.random.default_rng(7)
    slon, slat = rng.uniform(69, 76, 400), rng.uniform(34, 40, 400)
    sett = make(list(zip(slon, slat)))
    plon, plat = rng.uniform(70, 75, 60), rng.uniform(35, 39, 60)
    d, idx = distance_to_nearest_km(plon, plat, sett)
    for k in range(len(plon)):
        _, _, dm = GEOD.inv(np.full(400, plon[k]), np.full(400, plat[k]), slon, slat)
        assert d[k] == pytest.approx(dm.min() / 1000, rel=1e-3)
        assert dm[idx[k]] / 1000 == pytest.approx(d[k], rel=1e-9)


def test_far_settlements_found_beyond_search_radius():
    s, lon, lat = meridian_route(step_km=2.0)
    far = make([(80.0, 31.0), (LON0, 40.0)], ["east", "north"])
    d, idx = distance_to_nearest_km(lon, lat, far, search_km=50.0)
    expected = (
        np.minimum(
            GEOD.inv(lon, lat, np.full(len(lon), 80.0), np.full(len(lon), 31.0))[2],
            GEOD.inv(lon, lat, np.full(len(lon), LON0), np.full(len(lon), 40.0))[2],
        )
        / 1000
    )
    np.testing.assert_allclose(d, expected, rtol=1e-9)
    assert set(idx.tolist()) <= {0, 1}


def test_gap_table_rows_and_monotone():
    s, lon, lat = meridian_route(step_km=0.5)
    a = make([east_of(30.5, 1.0), east_of(31.5, 4.0)])
    rows = gap_table(s, lon, lat, [a, make([])], buffers_km=(2, 5, 10, 20))
    assert len(rows) == 8
    first = [r["length_km"] for r in rows[:4]]
    assert first == sorted(first, reverse=True)
    assert all(r["length_km"] == pytest.approx(s[-1]) for r in rows[4:])
    assert rows[0]["coverage"] == "built for tests"


def test_bad_input():
    s, lon, lat = meridian_route(step_km=5.0)
    sett = make([(LON0, 31.0)])
    with pytest.raises(InputError, match="non-decreasing"):
        gaps(s[::-1], lon, lat, sett, 5)
    with pytest.raises(InputError, match="one per point"):
        gaps(s[:-1], lon, lat, sett, 5)
    with pytest.raises(InputError, match="buffer"):
        gaps(s, lon, lat, sett, -1)
    with pytest.raises(InputError, match="coordinates"):
        distance_to_nearest_km([np.nan], [30.0], sett)
    with pytest.raises(InputError, match="two points"):
        gaps(s[:1], lon[:1], lat[:1], sett, 5)


# -- properties ------------------------------------------------------------------------------
offsets = st.lists(st.tuples(st.floats(30.0, 32.0), st.floats(-25.0, 25.0)), min_size=0, max_size=12)


def _true_distance(lon, lat, sett):
    if len(sett) == 0:
        return np.full(len(lon), np.inf)
    out = np.empty(len(lon))
    for k in range(len(lon)):
        out[k] = GEOD.inv(np.full(len(sett), lon[k]), np.full(len(sett), lat[k]), sett.lon, sett.lat)[2].min()
    return out / 1000


ROUTE = meridian_route(step_km=1.0)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(offsets, st.floats(0.5, 30.0))
def test_gaps_hold_no_settlement_within_buffer(places, buffer_km):
    s, lon, lat = ROUTE
    sett = make([east_of(la, off) for la, off in places])
    found = gaps(s, lon, lat, sett, buffer_km)
    d_true = _true_distance(lon, lat, sett)
    in_gap = np.zeros(len(s), dtype=bool)
    for g in found:
        assert 0 <= g.start_km <= g.end_km <= s[-1] + 1e-9
        inside = (s >= g.start_km) & (s <= g.end_km)
        assert (d_true[inside] > buffer_km - 1e-6).all()
        in_gap |= inside
    # every sample farther than the buffer lies in some gap, and the gaps do not overlap
    assert in_gap[d_true > buffer_km + 1e-6].all()
    for g, h in zip(found, found[1:]):
        assert g.end_km < h.start_km


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(offsets, st.floats(0.5, 20.0), st.floats(0.1, 20.0))
def test_larger_buffer_never_lengthens_gaps(places, b_small, extra):
    s, lon, lat = ROUTE
    sett = make([east_of(la, off) for la, off in places])
    b_large = b_small + extra
    small = gaps(s, lon, lat, sett, b_small)
    large = gaps(s, lon, lat, sett, b_large)
    # each gap at the larger buffer lies inside a gap at the smaller one
    for g in large:
        assert any(h.start_km <= g.start_km + 1e-9 and g.end_km <= h.end_km + 1e-9 for h in small)
    longest = lambda found: max((g.length_km for g in found), default=0.0)  # noqa: E731
    assert longest(large) <= longest(small) + 1e-9
