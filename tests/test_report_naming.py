"""Every report table spells a settlement as the gazetteer does, and the corridor's most remote point is
placed by named places rather than called after a valley it is not in.

Independent expectations: the gazetteer's own rows (data/places.csv: 'Tashkurgan' has the alias
'Tashqorghan', 'Khandud' is the village GeoNames spells 'Khandūd') and distances computed by hand on a
flat local projection (1 degree of latitude = 111.195 km on a 6,371.0088 km sphere, a degree of longitude
that times the cosine of the mean latitude), which agrees with the great circle to far below 1 km at 40 km.
"""

from __future__ import annotations

import math

from wakhan.claims.corridor_remoteness import remoteness_sentence
from wakhan.places import gazetteer_name, whereabouts
from wakhan.report.coarse import settlement_evidence_md
from wakhan.report.remoteness_section import remoteness_markdown

# the corridor's most remote cell on the pack with the default settlement sources (about 37.39 N 74.35 E)
_POINT = {
    "lat": 37.39,
    "lon": 74.35,
    "hours": 23.2,
    "walking_days": 2.9,
    "path_km": 68.0,
    "straight_km": 40.0,
    "elevation_m": 4900.0,
    "nearest_settlement": {"name": "Tashqorghan", "lat": 37.77, "lon": 75.23},
    "share_beyond_hours": {"8": 0.5, "24": 0.0, "48": 0.0},
}


def _km_by_hand(lat1, lon1, lat2, lon2):
    km_per_deg = 6371.0088 * math.pi / 180  # 111.195 km
    dy = (lat2 - lat1) * km_per_deg
    dx = (lon2 - lon1) * km_per_deg * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(dx, dy), dx, dy


def test_headline_stretch_table_uses_the_gazetteer_names():
    bounds = [
        {"end": "start", "km": 12.0, "name": "Khandūd", "source": "GeoNames", "distance_from_route_km": 0.4},
        {"end": "end", "km": 190.0, "name": "Tashqorghan", "source": "GeoNames", "distance_from_route_km": 1.2},
    ]
    lines = settlement_evidence_md({"bounding_settlements": bounds})
    assert "| start | km 12 | Khandud | GeoNames | 0.4 km |" in lines
    assert "| end | km 190 | Tashkurgan | GeoNames | 1.2 km |" in lines
    assert not any("Tashqorghan" in x or "Khandūd" in x for x in lines)
    # the data keep the source's own spelling
    assert bounds[1]["name"] == "Tashqorghan"


def test_remoteness_table_and_sentence_use_the_gazetteer_names_and_data_keep_the_source_name():
    point = dict(_POINT, whereabouts=whereabouts(_POINT["lon"], _POINT["lat"]))
    details = {
        "hours_per_day": 8.0,
        "method": "m",
        "settlement_source": "s",
        "settlement_cells": 10,
        "resolution": "464 m",
        "box": [73.0, 36.0, 76.0, 38.5],
        "model": "Tobler",
        "definitions": {"upper-wakhan": point},
    }
    md = remoteness_markdown(details)
    row = next(x for x in md.splitlines() if x.startswith("| upper-wakhan"))
    assert "| Tashkurgan |" in row and "Tashqorghan" not in md
    sentence = remoteness_sentence(details, 300.0)
    assert "(Tashkurgan)" in sentence and "Tashqorghan" not in sentence
    assert point["nearest_settlement"]["name"] == "Tashqorghan"  # claims.json's field unchanged
    # the point is placed by named places, not called "Big Pamir"
    assert "Big Pamir" not in md and "Big Pamir" not in sentence
    assert "35 km N of Wakhjir Pass" in row and "35 km N of Wakhjir Pass" in sentence


def test_the_most_remote_point_is_placed_by_hand_computed_distances():
    # Wakhjir Pass 37.096 N 74.487 E, Bozai Gumbaz 37.136 N 74.006 E (data/places.csv)
    wakhjir_km, dx_w, dy_w = _km_by_hand(37.096, 74.487, 37.39, 74.35)
    bozai_km, dx_b, dy_b = _km_by_hand(37.136, 74.006, 37.39, 74.35)
    assert round(wakhjir_km) == 35 and round(bozai_km) == 42
    # from Wakhjir the point is 32.7 km north and 12.1 km west: bearing 340 deg, "N" on 8 points;
    # from Bozai Gumbaz 28.2 km north and 30.4 km east: bearing 47 deg, "NE"
    assert dy_w > 0 and abs(math.degrees(math.atan2(dx_w, dy_w))) < 22.5
    assert 22.5 < math.degrees(math.atan2(dx_b, dy_b)) < 67.5
    assert whereabouts(74.35, 37.39) == "35 km N of Wakhjir Pass, 42 km NE of Bozai Gumbaz"


def test_gazetteer_name_keeps_unknown_names_and_coordinates():
    assert gazetteer_name("Gahkuch") == "Gahkuch"
    assert gazetteer_name("") == "-"
    assert gazetteer_name("37.5,74.1") == "37.5,74.1"
    assert gazetteer_name("TASHKORGAN") == "Tashkurgan"


def test_remoteness_sentence_says_what_it_bounds_and_points_to_the_gap_for_300_km():
    # a point 68 km from a settlement bounds distance to a settlement, not a settlement-free stretch:
    # a route could run 200 km with every settlement 10 km off it and never be 68 km from one
    details = {"hours_per_day": 8.0, "definitions": {"upper-wakhan": _POINT}}
    sentence = remoteness_sentence(details, 300.0)
    assert "68 km along its least-time path" in sentence
    assert "no point of any path through the corridor is 300 km or more from its nearest settlement" in sentence
    assert "not the length of a stretch with no settlement" in sentence and "longest gap" in sentence
    assert "never more than" not in sentence
    md = remoteness_markdown(
        dict(
            details,
            method="m",
            settlement_source="s",
            settlement_cells=1,
            resolution="464 m",
            box=[73.0, 36.0, 76.0, 38.5],
            model="Tobler",
        )
    )
    assert "bounds the distance to a settlement, not the length of a stretch" in md and "longest gap" in md


def test_how_to_cite_names_the_elevation_data_and_each_settlement_source_once():
    """The citation named the settlement sources as "GHS, GeoNames, GHS + GeoNames" (the union spelt out
    again) and no elevation data at all, though every number in the report rests on it."""
    from types import SimpleNamespace

    from wakhan.report.document import how_to_cite

    provenance = SimpleNamespace(
        grid={"resolution": "464 m x 464 m"},
        data_sources=[
            {"name": "GEBCO_2023 (SRTM15+ v2.5.5)", "resolution": '15" (~460 m)'},
            {"name": "NOAA GLOBE", "resolution": '30" (~925 m)'},
        ],
    )
    result = SimpleNamespace(
        routes={"wakhan-highway": SimpleNamespace(summary=SimpleNamespace(provenance=provenance))},
        settlements=[{"name": "GHS"}, {"name": "GeoNames"}, {"name": "GHS + GeoNames"}],
    )
    line = how_to_cite(result, "wakhan claims")
    assert 'data GEBCO_2023 (SRTM15+ v2.5.5) 15" (~460 m), NOAA GLOBE 30" (~925 m);' in line, line
    assert "settlements GHS, GeoNames, all together;" in line and "GHS + GeoNames" not in line, line
    assert "solver grid 464 m x 464 m;" in line
