"""Issue 10's bad input at the command line: a --resolution too fine for memory and a --gap-pct that
is not a positive percentage get one sentence, exit 2 and no output file.

Both are refused before any grid is allocated, so these run in a second or two.
"""

from __future__ import annotations

import math
import re

import pytest

from wakhan.cli import run
from wakhan.places import resolve

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius


def _box_area_m2(lon_lat_pairs, buffer_km: float) -> float:
    """Area of the lon/lat box around the points widened by ``buffer_km``, on a sphere (hand formula)."""
    lons = [p[0] for p in lon_lat_pairs]
    lats = [p[1] for p in lon_lat_pairs]
    south, north = min(lats) - buffer_km / 111.32, max(lats) + buffer_km / 111.32
    dlon = buffer_km / (111.32 * math.cos(math.radians(north)))
    west, east = min(lons) - dlon, max(lons) + dlon
    band = math.sin(math.radians(north)) - math.sin(math.radians(south))
    return (EARTH_RADIUS_KM * 1e3) ** 2 * math.radians(east - west) * band


def test_route_at_30_m_in_1_gb_is_refused_with_the_size_and_a_resolution_that_fits(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("WAKHAN_MEMORY_GB", "1")
    out = tmp_path / "out.geojson"
    assert run(["route", "kashgar", "kabul", "--resolution", "30", "-o", str(out)]) == 2
    captured = capsys.readouterr()
    err = captured.err
    assert captured.out == "" and err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err
    m = re.search(
        r"a 30 m grid .* = ([\d,]+) cells and needs about ([\d.,]+) GB .* use --resolution (\d+) or coarser", err
    )
    assert m, err
    cells, need_gb, fit_m = int(m[1].replace(",", "")), float(m[2].replace(",", "")), float(m[3])
    # the cells are the box around the two cities plus the default 50 km margin at 30 m (the projected
    # envelope of a lon/lat box is a little larger than the box)
    k, b = resolve("kashgar"), resolve("kabul")
    expected = _box_area_m2([(k.lon, k.lat), (b.lon, b.lat)], 50.0) / 30.0**2
    assert expected <= cells <= 1.2 * expected
    # at least the 11.95 B/cell the lean 30 m route was measured to need (6,133 MiB for 538,195,619 cells,
    # benchmarks/results/scale30_merged.json, issue 23), and far beyond 1 GB
    assert need_gb >= cells * 11.95 / 2**30 and need_gb > 1
    # the suggested resolution fits 1 GB at the message's own bytes per cell, and is not needlessly coarse
    assert need_gb * (30.0 / fit_m) ** 2 <= 1.0
    assert fit_m <= 1.25 * 30.0 * math.sqrt(need_gb / 1.0)
    assert list(tmp_path.iterdir()) == []  # no output, no temporary file


@pytest.mark.parametrize("gap", ["0", "-1", "nan", "inf", "-0"])
def test_a_gap_tolerance_that_is_not_a_positive_percentage_exits_2_without_output(tmp_path, capsys, gap):
    out = tmp_path / "out.geojson"
    assert run(["route", "kashgar", "kabul", f"--gap-pct={gap}", "-o", str(out)]) == 2
    captured = capsys.readouterr()
    err = captured.err
    assert captured.out == "" and err.startswith("error: ") and err.count("\n") == 1
    assert "--gap-pct" in err and "positive percentage" in err
    assert list(tmp_path.iterdir()) == []


def test_a_resolution_too_fine_for_memory_is_refused_before_any_srtm_tile_is_read(tmp_path, capsys, monkeypatch):
    """With --dem tiles the refusal comes first: reading and mosaicking the tiles could itself exhaust memory."""
    from srtm_build import hgt_bytes, tile_heights

    from wakhan.sources import srtm

    cache = tmp_path / "tiles"
    cache.mkdir()
    for lat in (36, 37):
        for lon in (71, 72):
            (cache / f"{srtm.tile_name(lat, lon)}.hgt").write_bytes(hgt_bytes(tile_heights(lat, lon, 1201)))
    reads = []
    real_read = srtm.read_tile
    monkeypatch.setattr(srtm, "read_tile", lambda *a, **k: reads.append(a[0]) or real_read(*a, **k))
    monkeypatch.setenv("WAKHAN_CACHE", str(cache))
    monkeypatch.setenv("WAKHAN_MEMORY_GB", "0.05")
    out = tmp_path / "r.geojson"
    args = ["route", "36.5,71.5", "37.5,72.5", "--buffer-km", "5", "--dem", "tiles", "-o", str(out)]
    assert run([*args, "--resolution", "30"]) == 2
    err = capsys.readouterr().err
    # a 1.1 x 1.1 degree box is about 100 km x 120 km: some 13 M cells of 30 m, far over 50 MB
    assert err.count("\n") == 1 and "a 30 m grid" in err and "but 0.05 GB is available" in err
    assert "use --resolution" in err and reads == [] and not out.exists()
