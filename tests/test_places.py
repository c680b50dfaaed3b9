"""Gazetteer: lookups by name, alias, accents and LAT,LON; bad input; data checks."""

from __future__ import annotations

import csv
import math

import pytest

from wakhan.errors import DataError, InputError
from wakhan.places import KINDS, load_places, nearest_place, normalize_name, places_path, resolve

REQUIRED = [
    "Kashgar",
    "Upal",
    "Tashkurgan",
    "Dafdar",
    "Wakhjir Pass",
    "Kilik Pass",
    "Mintaka Pass",
    "Khunjerab Pass",
    "Bozai Gumbaz",
    "Sarhad-e Broghil",
    "Qala-e Panja",
    "Khandud",
    "Ishkashim",
    "Zebak",
    "Baharak",
    "Faizabad",
    "Keshem",
    "Taloqan",
    "Kunduz",
    "Pul-i-Khumri",
    "Salang Pass",
    "Charikar",
    "Kabul",
    "Jalalabad",
    "Sost",
    "Murghab",
]


def test_required_places_present_and_well_formed():
    places = load_places()
    names = {p.name for p in places}
    assert set(REQUIRED) <= names
    assert len(names) == len(places), "display names must be unique"
    for p in places:
        assert p.kind in KINDS and len(p.country) == 2 and p.source
        assert 33 < p.lat < 41 and 68 < p.lon < 77, p  # the study region


def test_names_and_aliases_are_unambiguous():
    seen = {}
    for p in load_places():
        for label in (p.name, *p.aliases):
            key = normalize_name(label)
            assert seen.setdefault(key, p.name) == p.name, f"{label!r} names two places"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("taxkorgan", "Tashkurgan"),
        ("Tashkorgan", "Tashkurgan"),
        ("KASHI", "Kashgar"),
        ("qala-e panja", "Qala-e Panja"),
        ("Qala e Panja", "Qala-e Panja"),
        ("Eshkashem", "Ishkashim"),
        ("Ishkashem", "Ishkashim"),
        ("Fayzabad", "Faizabad"),
        ("Sarhad", "Sarhad-e Broghil"),
        ("kondūz", "Kunduz"),
        ("  wakhjir pass ", "Wakhjir Pass"),
        ("Pul-e Khumri", "Pul-i-Khumri"),
        ("PUL I KHUMRI", "Pul-i-Khumri"),
        ("Khorugh", "Khorog"),
    ],
)
def test_resolve_names_aliases_accents(text, expected):
    assert resolve(text).name == expected


def test_resolve_latlon():
    p = resolve("37.1,74.5")
    assert (p.lat, p.lon, p.kind) == (37.1, 74.5, "point")
    q = resolve("37.1, 74.5")
    assert (q.lat, q.lon) == (37.1, 74.5)
    assert resolve("-33.5,-70.25").lonlat == (-70.25, -33.5)


@pytest.mark.parametrize("text, fragment", [("91,10", "latitude"), ("37,181", "longitude")])
def test_resolve_latlon_out_of_range(text, fragment):
    with pytest.raises(InputError, match=fragment):
        resolve(text)


def test_unknown_name_suggests_closest():
    with pytest.raises(InputError) as info:
        resolve("Kashgat")
    msg = str(info.value)
    assert "Kashgar" in msg and "wakhan places" in msg and "\n" not in msg
    with pytest.raises(InputError, match="wakhan places"):
        resolve("zzqqxx")
    with pytest.raises(InputError):
        resolve("")


def test_nearest_place():
    wakhjir = resolve("wakhjir pass")
    p, d = nearest_place(wakhjir.lon + 0.01, wakhjir.lat, 5, kinds=("pass",))
    assert p.name == "Wakhjir Pass"
    # 0.01 degree of longitude at this latitude is ~0.89 km
    assert d == pytest.approx(0.01 * math.cos(math.radians(wakhjir.lat)) * 111.195, rel=0.01)
    assert nearest_place(60.0, 20.0, 50) is None
    assert nearest_place(wakhjir.lon, wakhjir.lat, 50, kinds="lake") is None


def test_coordinates_agree_with_who_s_on_first(settlements_csv):
    """Every place whose source cites a WOF id has that record's coordinates."""
    wof = {}
    with open(settlements_csv, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            wof[row["wof_id"]] = (float(row["lat"]), float(row["lon"]), row["country"])
    checked = 0
    for p in load_places():
        if p.source.startswith("Who's On First "):
            wof_id = p.source.split()[3]
            lat, lon, country = wof[wof_id]
            assert (p.lat, p.lon) == pytest.approx((lat, lon), abs=1e-6), p.name
            assert p.country == country
            checked += 1
    assert checked >= 20


def test_env_override_and_bad_files(tmp_path, monkeypatch):
    good = tmp_path / "places.csv"
    good.write_text("name,aliases,lat,lon,kind,country,source\nTestville,TV,1.5,2.5,town,XX,test\n", encoding="utf-8")
    monkeypatch.setenv("WAKHAN_PLACES", str(good))
    assert places_path() == good
    assert resolve("tv").lonlat == (2.5, 1.5)
    bad = tmp_path / "bad.csv"
    bad.write_text("name,lat,lon\nX,1,2\n", encoding="utf-8")
    with pytest.raises(DataError, match="aliases"):
        load_places(bad)
    bad.write_text("name,aliases,lat,lon,kind,country,source\nX,,north,2,town,XX,s\n", encoding="utf-8")
    with pytest.raises(DataError, match="line 2"):
        load_places(bad)
    with pytest.raises(DataError, match="not found"):
        load_places(tmp_path / "missing.csv")


def test_cli_places_lists_and_filters(capsys):
    from wakhan.cli import run

    assert run(["places", "--kind", "pass", "--json"]) == 0
    import json

    out = json.loads(capsys.readouterr().out)
    assert {p["name"] for p in out} >= {"Wakhjir Pass", "Khunjerab Pass", "Salang Pass"}
    assert all(p["kind"] == "pass" for p in out)
    assert run(["places", "--kind", "volcano"]) == 2
    assert "kind" in capsys.readouterr().err
