"""The shipped GeoNames cities500 extract and the blindness of a source along a route."""

import json

import numpy as np
import pytest

from wakhan.gaps import blindness
from wakhan.grid import DataSource
from wakhan.places import haversine_km
from wakhan.settlements import Settlements, read_settlements
from wakhan.settlements.extract import extract_dir


def test_geonames500_extract_matches_its_manifest_and_knows_tashkurgan():
    s = read_settlements("geonames500")
    manifest = json.loads((extract_dir() / "manifest.json").read_text())
    assert len(s) == manifest["rows"] and "CC BY 4.0" in s.source.licence
    i = s.names.index("Tashqorghan")
    # Tashkurgan (Taxkorgan) town centre, 37 deg 46' N 75 deg 14' E (published coordinates, to the minute)
    assert float(haversine_km(s.lon[i], s.lat[i], 75 + 14 / 60, 37 + 46 / 60)) < 3.0
    # no GeoNames cities500 place in the Taghdumbash valley south of 37.6N on the Chinese side
    south = (s.lat < 37.6) & (s.lon > 74.8) & (s.lon < 76.0) & (s.lat > 36.8)
    assert not south.any()


def test_blindness_counts_km_beyond_the_buffer():
    lat = np.linspace(36.0, 37.0, 201)  # ~111 km northward along 71.0E
    lon = np.full_like(lat, 71.0)
    d = np.concatenate([[0.0], np.cumsum(haversine_km(lon[:-1], lat[:-1], lon[1:], lat[1:]))])
    one = Settlements(np.array([71.0]), np.array([36.5]), ("mid",), DataSource("test"))
    b = blindness(one, d, lon, lat, buffer_km=5.0)
    total = sum(b["route_km"].values())
    blind = sum(b["km_without_settlement"].values())
    assert total == pytest.approx(d[-1], abs=0.2)
    # only the 10 km centred on the settlement are within 5 km (to one 0.56 km step)
    assert blind == pytest.approx(d[-1] - 10.0, abs=0.7)
    assert sum(b["points_near_route"].values()) == 1
