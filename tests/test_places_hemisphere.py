"""Points written the way wakhan prints them, or a map site gives them, are points, not unknown places.

wakhan prints points with hemisphere letters ("3092 m at 37.77500N, 75.22700E", "a GHS rural cell at
37.22N 75.39E", "37.39°N 74.35°E"); pasted back into `wakhan route` or `wakhan elevation` they were
"unknown place '37.22N 75.39E' (no similar name is known)". Degrees-minutes-seconds as Wikipedia
gives a pass's position were refused the same way.
"""

from __future__ import annotations

import re

import pytest

from wakhan.cli import run
from wakhan.errors import InputError
from wakhan.places import resolve


@pytest.mark.parametrize(
    "text, lat, lon",
    [
        ("37.22N 75.39E", 37.22, 75.39),
        ("37.77500N, 75.22700E", 37.775, 75.227),
        ("37.39°N 74.35°E", 37.39, 74.35),
        ("74.35°E 37.39°N", 37.39, 74.35),  # the letters say which is which
        ("33.9S, 18.4W", -33.9, -18.4),
        # Wakhjir Pass as a map site gives it: 37 + 5/60 + 46/3600 = 37.096111, 74 + 29/60 + 13/3600 = 74.486944
        ("37°05′46″N 74°29′13″E", 37 + 5 / 60 + 46 / 3600, 74 + 29 / 60 + 13 / 3600),
        ("37°05'46\"N 74°29'13\"E", 37 + 5 / 60 + 46 / 3600, 74 + 29 / 60 + 13 / 3600),
        ("37.096,74.487", 37.096, 74.487),  # plain LAT,LON as before
    ],
)
def test_coordinates_with_hemisphere_letters_are_a_point(text, lat, lon):
    p = resolve(text)
    assert p.kind == "point"
    assert (p.lat, p.lon) == (pytest.approx(lat, abs=1e-9), pytest.approx(lon, abs=1e-9))


def test_two_latitudes_are_not_a_point_and_names_still_resolve():
    with pytest.raises(InputError, match="unknown place"):
        resolve("37.1N 38.2N")
    assert resolve("Kabul").name == "Kabul" and resolve("Sarhad-e Broghil").kind == "village"


def test_the_point_wakhan_elevation_prints_is_taken_back_by_it(capsys):
    assert run(["elevation", "37.775", "75.227"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    metres, point = re.match(r"(\d+) m at (\S+, \S+)  \(", first).groups()  # "3092 m at 37.77500N, 75.22700E  (..."
    assert run(["elevation", point]) == 0
    again = capsys.readouterr().out.splitlines()[0]
    assert again.startswith(f"{metres} m at {point}  ("), (first, again)
