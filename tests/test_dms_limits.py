"""Degrees-minutes-seconds points: minutes and seconds must be below 60 (37°60′N is not a coordinate)."""

from __future__ import annotations

import pytest

from wakhan.cli import run
from wakhan.errors import InputError
from wakhan.places import parse_latlon, resolve


def test_largest_valid_minutes_and_seconds_are_read():
    lat, lon = parse_latlon("37°59′59.5″N 74°00′59″E")
    assert lat == pytest.approx(37 + 59 / 60 + 59.5 / 3600)  # 37.99986..., by hand
    assert lon == pytest.approx(74 + 59 / 3600)


@pytest.mark.parametrize(
    "text, said",
    [
        ("37°60′00″N 74°29′13″E", "60 minutes"),
        ("37°05′46″N 74°29′75″E", "75 seconds"),
        ("37°99′N 74°E", "99 minutes"),
        ("37°05′60.0″N 74°29′13″E", "60.0 seconds"),
    ],
)
def test_minutes_or_seconds_of_60_or_more_are_refused(text, said, capsys):
    with pytest.raises(InputError, match=said):
        parse_latlon(text)
    with pytest.raises(InputError):
        resolve(text)
    assert run(["elevation", text]) == 2
    err = capsys.readouterr().err.strip()
    assert said in err and "below 60" in err and "Traceback" not in err, err
    assert not err.endswith(".") and ". " not in err, err  # one sentence
