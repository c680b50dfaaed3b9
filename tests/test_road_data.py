"""The real road alignments in ``tests/data/roads/`` carry their source and licence (issue 17).

Each file is a stretch cut from a public track whose licence allows keeping it; the README must
name every file (so its source and what was cut are written down), and every file must say in its
own properties where it came from, under which licence, and between which two points it runs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROADS = Path(__file__).parent / "data" / "roads"
FILES = sorted(ROADS.glob("*.geojson"))


def test_there_are_road_files():
    assert len(FILES) >= 8


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_the_readme_names_each_road_file(path):
    assert f"`{path.name}`" in (ROADS / "README.md").read_text()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_each_road_file_says_its_source_licence_and_ends(path):
    feature = json.loads(path.read_text())["features"][0]
    props = feature["properties"]
    assert props["source"] and props["licence"]
    coords = feature["geometry"]["coordinates"]
    assert feature["geometry"]["type"] == "LineString" and len(coords) >= 2
    # both route ends lie on the tile the benchmarks route on (N46E008: 46-47 N, 8-9 E)
    for lon, lat in (props["from_lonlat"], props["to_lonlat"]):
        assert 8.0 <= lon <= 9.0 and 46.0 <= lat <= 47.0
