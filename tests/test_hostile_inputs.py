"""Issue 12, items 7 and 8: real conditions and bad inputs give one sentence, exit 2, no traceback."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from wakhan.cli import run
from wakhan.errors import InputError


def _one_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.fixture(scope="module")
def route_file(tmp_path_factory):
    out = tmp_path_factory.mktemp("hostile") / "r.geojson"
    assert run(["route", "kashgar", "tashkurgan", "-o", str(out)]) == 0
    return out


def _geotiff(path, array, nodata=None, lon0=70.0, lat0=37.0, cell_deg=1 / 120):
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=array.shape[1],
        height=array.shape[0],
        count=1,
        dtype=array.dtype,
        crs="EPSG:4326",
        transform=from_origin(lon0, lat0, cell_deg, cell_deg),
        nodata=nodata,
    ) as ds:
        ds.write(array, 1)
    return path


@pytest.fixture
def small_disk(tmp_path):
    disk = tmp_path / "small"
    disk.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs to fill ({done.stderr.strip() or 'not root'})")
    yield disk
    subprocess.run(["umount", str(disk)], check=False)


def test_full_disk_while_writing_a_route_is_one_sentence(small_disk, route_file, capsys):
    (small_disk / "filler").write_bytes(b"\0" * 60 * 1024)
    code = run(["route", "kashgar", "tashkurgan", "-o", str(small_disk / "r.geojson")])
    assert code == 2
    assert "disk is full" in _one_line(capsys.readouterr().err)
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]  # no partial file
    code = run(["profile", str(route_file), "-o", str(small_disk / "p.png")])
    assert code == 2 and "disk is full" in _one_line(capsys.readouterr().err)
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]
    code = run(["map", str(route_file), "-o", str(small_disk / "m.png")])
    assert code == 2 and "disk is full" in _one_line(capsys.readouterr().err)
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]


@pytest.mark.slow
def test_full_disk_while_writing_the_claims_report(small_disk, capsys):
    (small_disk / "filler").write_bytes(b"\0" * 60 * 1024)
    code = run(["claims", "-o", str(small_disk / "rep")])
    assert code == 2
    assert "disk is full" in _one_line(capsys.readouterr().err)
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]  # no report folder, no hidden .rep.*


def test_full_disk_while_compare_writes_its_folder_keeps_no_file(tmp_path, capsys):
    """`compare -o` wrote its five route files one by one and then map.png: on a disk with room for some
    route files only it said "no partial output was kept" and left them. Now every file or none."""
    disk = tmp_path / "disk"
    disk.mkdir()
    # room for a few of the route GeoJSONs (~130-150 kB each), not for all five and map.png (~1.1 MB)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=640k", "tmpfs", str(disk)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs to fill ({done.stderr.strip() or 'not root'})")
    try:
        code = run(["compare", "-o", str(disk / "cmp")])
        assert code == 2
        line = _one_line(capsys.readouterr().err)
        assert "disk is full" in line and f"cannot write {disk / 'cmp'}" in line, line  # not its hidden staging folder
        assert list(disk.iterdir()) == []  # no cmp folder, no route file, no hidden staging folder
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_full_disk_while_writing_the_rasters_leaves_no_route_file(small_disk, tmp_path, capsys):
    """`route -o r.geojson --rasters DIR` wrote r.geojson first and then the rasters: with DIR on a full disk it
    failed (exit 2, "no partial output was kept") and left r.geojson. All of the command's output or none."""
    (small_disk / "filler").write_bytes(b"\0" * 60 * 1024)
    out = tmp_path / "r.geojson"
    code = run(["route", "kashgar", "tashkurgan", "-o", str(out), "--rasters", str(small_disk / "ras")])
    err = capsys.readouterr().err
    assert code == 2 and err.splitlines()[-1].startswith(f"error: cannot write {small_disk / 'ras'}"), err
    assert not out.exists() and sorted(p.name for p in small_disk.iterdir()) == ["filler"]


def test_profile_width_zero_is_a_usage_error(route_file, tmp_path, capsys):
    assert run(["profile", str(route_file), "--width", "0", "-o", str(tmp_path / "p.png")]) == 2
    assert "--width" in _one_line(capsys.readouterr().err)
    assert not (tmp_path / "p.png").exists()


@pytest.mark.parametrize("features", [[None], [5], ["x"]])
def test_settlement_geojson_with_null_or_number_features(features, tmp_path, capsys):
    path = tmp_path / "s.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    assert run(["claims", "-s", str(path)]) == 2
    err = capsys.readouterr().err
    line = _one_line(err)
    assert str(path) in line and "feature 0" in line


def test_huge_declared_geotiff_is_refused_before_reading(tmp_path):
    """A 200,000 x 200,000 cell GeoTIFF (a few kB on disk, tiles not written) would need 160 GB as float32."""
    from wakhan.dem.build import read_raster
    from wakhan.memory import available_bytes

    if available_bytes() > 200_000**2 * 9:
        pytest.skip("this machine could hold a 200,000 x 200,000 float32 raster and its working copy")
    path = tmp_path / "huge.tif"
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=200_000,
        height=200_000,
        count=1,
        dtype="float32",
        crs="EPSG:4326",
        transform=from_origin(60, 45, 1e-4, 1e-4),
        tiled=True,
        compress="deflate",
        sparse_ok=True,
    ):
        pass
    assert path.stat().st_size < 10_000_000
    with pytest.raises(InputError) as exc:
        read_raster(path)
    msg = str(exc.value)
    assert "200,000 x 200,000" in msg and "GiB" in msg and "\n" not in msg


def test_memory_guard_estimate():
    from wakhan.memory import available_bytes, check_raster_fits

    assert check_raster_fits(10, 10, "x", bytes_per_cell=8) == 800
    with pytest.raises(InputError):
        check_raster_fits(1, available_bytes() // 8 + 1, "x", bytes_per_cell=8)


@pytest.mark.slow
def test_compare_quotes_only_the_grade_the_user_typed(capsys):
    code = run(["compare", "kashgar", "kabul", "--max-grade", "5"])
    err = capsys.readouterr().err
    if code == 0:
        pytest.skip("the comparison succeeded at 5 % on this DEM; nothing to quote")
    line = _one_line(err)
    assert "--max-grade 5 %" in line or "--max-grade 5" in line
    quoted = [float(x) for x in __import__("re").findall(r"--max-grade ([0-9.]+)", line)]
    assert quoted and all(q == 5 for q in quoted), line


def test_huge_buffer_is_named_as_such(capsys):
    assert run(["route", "kashgar", "tashkurgan", "--buffer-km", "100000"]) == 2
    line = _one_line(capsys.readouterr().err)
    assert "--buffer-km" in line and "outside" not in line


@pytest.mark.parametrize("url", ["http://[bad/{name}.hgt.gz", "http:///{name}.hgt.gz", "http://h:99999x/{name}.gz"])
def test_malformed_source_url(url, tmp_path, capsys):
    code = run(["tiles", "fetch", "--bbox", "71", "36", "71.5", "36.5", "--source", url, "--cache-dir", str(tmp_path)])
    assert code == 2
    line = _one_line(capsys.readouterr().err)
    assert "checksum" not in line and ("not a valid URL" in line or "no host" in line)


def test_map_outside_the_pack_suggests_nothing_the_cli_lacks(route_file, tmp_path, capsys):
    from wakhan.route.files import read_route, write_route

    route = read_route(route_file)
    profile = route.profile
    far = dataclasses.replace(route, profile=dataclasses.replace(profile, lon=np.asarray(profile.lon) - 40.0))
    moved = tmp_path / "far.geojson"
    write_route(moved, far)
    code = run(["map", str(moved), "-o", str(tmp_path / "m.png")])
    line = _one_line(capsys.readouterr().err)
    assert code == 2 and "region pack" in line
    assert "plot_map(dem=...)" not in line and "from Python" in line


def test_point_in_a_void_is_called_a_void(tmp_path):
    from wakhan.dem.build import elevation_at

    z = np.full((12, 12), 3000.0, dtype=np.float32)
    z[4:8, 4:8] = np.nan
    path = _geotiff(tmp_path / "void.tif", z, nodata=np.nan)
    lon, lat = 70.0 + 6 / 120, 37.0 - 6 / 120  # the middle of the void
    with pytest.raises(InputError) as exc:
        elevation_at(lon, lat, source=path)
    assert "void" in str(exc.value) and "outside" not in str(exc.value)
    assert elevation_at(70.0 + 1.5 / 120, 37.0 - 1.5 / 120, source=path)[0] == pytest.approx(3000.0)


def test_fill_values_like_minus_1e30_are_missing_data(tmp_path):
    from wakhan.dem.build import read_raster

    z = np.full((6, 6), 2500.0, dtype=np.float32)
    z[2, 3] = -1e30
    z[4, 1] = 3.4e38
    g = read_raster(_geotiff(tmp_path / "fill.tif", z))
    a = np.asarray(g.array, dtype=float)
    assert np.isnan(a[2, 3]) and np.isnan(a[4, 1])
    assert np.nanmax(a) == 2500.0 and np.nanmin(a) == 2500.0


def test_pack_checksum_mismatch_exits_nonzero(tmp_path, monkeypatch, capsys):
    from wakhan.sources import pack

    copy = tmp_path / "pack"
    shutil.copytree(pack.pack_dir(), copy)
    data = bytearray((copy / "globe_30s.tif").read_bytes())
    data[-1] ^= 0xFF
    (copy / "globe_30s.tif").write_bytes(bytes(data))
    monkeypatch.setenv("WAKHAN_PACK", str(copy))
    code = run(["pack", "info"])
    cap = capsys.readouterr()
    assert "MISMATCH" in cap.out and code == 2
    assert "globe_30s.tif" in _one_line(cap.err)


def test_plan_route_with_one_string_names_the_whole_string():
    from wakhan.plan.plan import plan_route

    with pytest.raises(InputError) as exc:
        plan_route("Kashgar")
    assert "'Kashgar'" in str(exc.value) and "'K'" not in str(exc.value)


def test_array_as_dem_is_not_printed_whole():
    from wakhan.plan.plan import plan_route

    with pytest.raises(InputError) as exc:
        plan_route(["Kashgar", "Tashkurgan"], dem=np.zeros((3000, 3000)))
    msg = str(exc.value)
    assert len(msg) < 300 and "(3000, 3000)" in msg and "Grid" in msg
