"""The depopulated claim's remoteness section (issue 20), against bounds that do not come from the code.

Uses the session's one ``wakhan claims --json -o DIR`` run (``claims_session`` in conftest.py). Checks:
Tobler's hiking function never exceeds 6 km/h (Tobler 1993), so no walk of ``h`` hours is longer than
``6 h`` km; no path is shorter than the geodesic between its ends (pyproj); the three corridor readings
are nested (each meridian east of the last), so on one surface a narrower reading's most remote point
cannot be more remote than a wider one's; the sentence follows the 300 km rule as worded.
"""

from __future__ import annotations

import pytest
from pyproj import Geod

from wakhan.claims.case_study import DEFINITIONS
from wakhan.claims.corridor_remoteness import remoteness_sentence

GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def details(claims_session):
    c = next(c for c in claims_session["doc"]["claims"] if c["id"] == "depopulated")
    return c["details"]["remoteness"], c["reason"]


def test_most_remote_points_are_physically_possible_walks(details):
    rem, _ = details
    assert [d.key for d in DEFINITIONS] == list(rem["definitions"])
    for d in DEFINITIONS:
        p = rem["definitions"][d.key]
        near = p["nearest_settlement"]
        geodesic_km = GEOD.inv(p["lon"], p["lat"], near["lon"], near["lat"])[2] / 1000
        # the point lies in its reading: east of the meridian, north of the cut
        assert p["lon"] >= d.east_of_lon and p["lat"] >= d.north_of_lat
        # the settlement cell's centre is up to half a 464 m cell from the settlement itself
        assert p["path_km"] >= geodesic_km - 0.5
        assert p["path_km"] <= 6.0 * p["hours"] + 0.5  # never faster than Tobler's 6 km/h
        assert p["walking_days"] == pytest.approx(p["hours"] / rem["hours_per_day"], abs=0.01)
        shares = p["share_beyond_hours"]
        assert 1 >= shares["8"] >= shares["24"] >= shares["48"] >= shares["unreachable"] >= 0


def test_nested_readings_are_no_more_remote_than_the_widest(details):
    rem, _ = details
    hours = [rem["definitions"][d.key]["hours"] for d in DEFINITIONS]  # widest first
    assert hours == sorted(hours, reverse=True)


def test_verdict_says_whether_any_path_passes_300_km_from_settlements(details):
    rem, reason = details
    far = max(p["path_km"] for p in rem["definitions"].values())
    assert remoteness_sentence(rem, 300.0) in reason
    assert ("no point of any path through the corridor is 300 km" in reason) == (far <= 300.0)
    # the bound is on distance to a settlement; the sentence points to the gap for the 300 km claim
    assert ("longest gap" in reason.split("Off the routes")[1]) == (far <= 300.0)
    assert rem["resolution"] and rem["data_sources"]


def test_sentence_turns_when_a_point_is_beyond_the_limit(details):
    rem, _ = details
    far = max(p["path_km"] for p in rem["definitions"].values())
    assert "can pass" in remoteness_sentence(rem, far - 1.0)
    assert "no point of any path" in remoteness_sentence(rem, far + 1.0)


def test_report_has_the_section_and_the_figure(claims_session):
    out = claims_session["out"]
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "## Remoteness" in md and "remoteness.png" in md
    assert (out / "remoteness.png").stat().st_size > 20_000
