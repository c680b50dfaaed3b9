"""A point given longitude first is told so: `wakhan elevation LON LAT` said only "outside the elevation
data ... give SRTM tiles covering it", sending a journalist to download tiles for a point in the
Arctic, while `wakhan route` and `dem build --bbox` already named the swap."""

from __future__ import annotations

import numpy as np
import pytest
from affine import Affine

from wakhan.cli import run
from wakhan.dem import elevation_at
from wakhan.errors import InputError
from wakhan.grid import DataSource, Grid

# a 1 x 1 degree grid over 46-47N, 8-9E (the Swiss SRTM tile's cell), heights 2000 m
SWISS = Grid(
    np.full((10, 10), 2000.0, np.float32),
    Affine(0.1, 0, 8.0, 0, -0.1, 47.0),
    "EPSG:4326",
    sources=(DataSource("test tile", '3" (~90 m)'),),
)


def test_a_swapped_point_inside_the_data_names_the_swap():
    assert elevation_at(8.55, 46.55, source=SWISS)[0] == pytest.approx(2000.0)  # lon, lat: inside
    with pytest.raises(InputError) as err:
        elevation_at(46.55, 8.55, source=SWISS)  # the same point, latitude and longitude exchanged
    text = str(err.value)
    assert "but 46.5500N, 8.5500E lies inside: latitude and longitude look swapped" in text, text
    assert "give SRTM tiles" not in text


def test_a_point_outside_either_way_keeps_the_tiles_advice():
    with pytest.raises(InputError, match="give SRTM tiles covering it") as err:
        elevation_at(10.0, 10.0, source=SWISS)
    assert "swapped" not in str(err.value)


def test_cli_elevation_lon_lat_on_the_pack_is_one_sentence_naming_the_swap(capsys):
    """Tashkurgan is 37.775N 75.227E; typed longitude first it is a point at 75N in the Arctic."""
    assert run(["elevation", "75.227", "37.775"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert "but 37.7750N, 75.2270E lies inside: latitude and longitude look swapped" in err, err
