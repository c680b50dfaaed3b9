"""path_vertex_km: each path vertex's distance along the profile, the nearest profile point searched forward.

Oracle: the brute-force search (numpy's argmin of the distances to every later profile point).
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from wakhan.route.engineering import path_vertex_km
from wakhan.route.profile import Profile


def _brute(paths, profile):
    out, k = [], 0
    for p in paths:
        kms = []
        for x, y in zip(p.x, p.y):
            k += int(np.argmin(np.hypot(profile.x[k:] - x, profile.y[k:] - y)))
            kms.append(profile.distance_km[k])
        out.append(kms)
    return out


def _profile(x, y):
    d = np.concatenate([[0.0], np.cumsum(np.hypot(np.diff(x), np.diff(y)))]) / 1000.0
    n = len(x)
    return Profile(d, [71.0] * n, [37.0] * n, [0.0] * n, x=x, y=y)


def test_vertices_on_a_profile_that_doubles_back_are_found_in_order():
    # a line out and back along the same cells (each vertex twice)
    out = np.arange(0.0, 3000.0, 100.0)
    vx = np.concatenate([out, out[::-1][1:]])
    px = np.empty(2 * len(vx) - 1)
    px[::2], px[1::2] = vx, (vx[:-1] + vx[1:]) / 2  # the profile: the vertices and a point between each two
    prof = _profile(px, np.zeros_like(px))
    legs = [SimpleNamespace(x=vx[:35], y=np.zeros(35)), SimpleNamespace(x=vx[34:], y=np.zeros(len(vx) - 34))]
    got = [k.tolist() for k in path_vertex_km(legs, prof)]
    assert got == _brute(legs, prof)
    assert got[1][-1] == prof.distance_km[-1]  # the last vertex is the end, not its twin on the way out


def test_vertices_off_the_profile_take_the_nearest_point_as_before():
    rng = np.random.default_rng(3)
    px = np.cumsum(rng.uniform(50, 150, 400))
    py = np.cumsum(rng.uniform(-50, 50, 400))
    prof = _profile(px, py)
    legs = [SimpleNamespace(x=px[::7] + rng.normal(0, 5, px[::7].size), y=py[::7])]
    assert [k.tolist() for k in path_vertex_km(legs, prof)] == _brute(legs, prof)
    legs[0].x[3] = np.nan  # a vertex without coordinates: numpy's answer (the first point) as before
    assert [k.tolist() for k in path_vertex_km(legs, prof)] == _brute(legs, prof)
