"""A crest just past an existing tunnel's portal is the ridge the tunnel passes under (issue 18, data truth).

On the region pack's 925 m GLOBE cells the valley below the Salang tunnel's south portal is not
resolved, so the existing-road route leaves the portal at 3,400 m and climbs 450 m to a 3,853 m col
named "Salang Pass" 4.7 km on: a road through the tunnel does not cross the pass it was bored under.
The profiles here are built by hand, so the expected flags follow from the rule's definition.
"""

from __future__ import annotations

import numpy as np

from wakhan.route.profile import profile_from_lonlat
from wakhan.route.summary_fields import build_summary


def _profile():
    """40 km east along 37 N: 3,000 m up to a 3,400 m portal at km 10, a 3,850 m crest at km 13, down to
    3,000 m at km 22, then a 3,900 m ridge of its own at km 32 (20 km from any portal)."""
    km = np.linspace(0.0, 40.0, 401)
    knots_km = [0.0, 10.0, 13.0, 22.0, 32.0, 40.0]
    knots_m = [3000.0, 3400.0, 3850.0, 3000.0, 3900.0, 3100.0]
    z = np.interp(km, knots_km, knots_m)
    lon = 71.0 + km / (111.32 * np.cos(np.radians(37.0)))
    return profile_from_lonlat(lon, np.full_like(lon, 37.0), z)


def _portal(p):
    k = int(np.argmin(np.abs(p.distance_km - 10.0)))
    return {"name": "Test Tunnel south portal", "kind": "portal", "lat": 37.0, "lon": float(p.lon[k])}


def test_the_crest_past_the_portal_is_flagged_and_the_ridge_of_its_own_is_not():
    p = _profile()
    s = build_summary(p, "tunnel", places=None, country_at=None, waypoints=[_portal(p)])
    passes = sorted(s.terrain.passes, key=lambda q: q["km"])
    assert len(passes) == 2, passes
    near, far = passes
    assert abs(near["km"] - 13.0) < 0.5 and abs(far["km"] - 32.0) < 0.5
    assert near["artefact"] is True
    assert near["artefact_reason"].startswith("3.0 km from Test Tunnel south portal and 4")  # ~450 m above it
    assert "under this ridge" in near["artefact_reason"]
    assert not far.get("artefact")


def test_without_a_portal_no_crest_is_flagged():
    p = _profile()
    s = build_summary(p, "no tunnel", places=None, country_at=None, waypoints=[])
    assert len(s.terrain.passes) == 2
    assert not any(q.get("artefact") for q in s.terrain.passes)


def test_a_portal_waypoint_that_is_not_a_portal_flags_nothing():
    p = _profile()
    wp = dict(_portal(p), kind="town", name="A town")
    s = build_summary(p, "town", places=None, country_at=None, waypoints=[wp])
    assert not any(q.get("artefact") for q in s.terrain.passes)
