"""The tile cache under hostile conditions (issue 12): concurrent fetches, other mirrors' 404s,
oversized bodies, full disks, stalled servers and the leftovers of killed runs."""

from __future__ import annotations

import os
import subprocess
import time

import numpy as np
import pytest
from clirun import argv, env
from srtm_build import gz_bytes, hgt_bytes, tile_heights
from tiles_server import TileServer

from wakhan.cli import run
from wakhan.errors import DataError
from wakhan.sources import download, srtm
from wakhan.sources.http_range import max_tile_bytes

TILE = "/t/N57/N57E011.hgt.gz"
BBOX = ["11.2", "57.2", "11.8", "57.8"]


@pytest.fixture(scope="module")
def heights():
    return tile_heights(57, 11, 1201)  # a built SRTM3 tile (the values are an independent formula)


@pytest.fixture(scope="module")
def body(heights):
    return gz_bytes(hgt_bytes(heights))


@pytest.fixture(autouse=True)
def no_user_env(monkeypatch):
    monkeypatch.delenv(download.ENV_CACHE, raising=False)
    monkeypatch.delenv(download.ENV_SOURCE, raising=False)


def all_files(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


@pytest.mark.slow
def test_two_fetches_at_once_leave_a_valid_tile_10_of_10(body, heights, tmp_path):
    """Item 1: two `wakhan tiles fetch` processes into one cache, ten times; every tile must be valid."""
    with TileServer({TILE: body}) as srv:
        srv.chunk_delay_s = 0.04  # ~0.4 s per download: the two runs overlap
        template = srv.url + "/t/{lat_band}/{name}.hgt.gz"
        outcomes = []
        for trial in range(10):
            cache = tmp_path / f"cache{trial}"
            cmd = argv(
                "tiles",
                "fetch",
                "--bbox",
                *BBOX,
                "--source",
                template,
                "--cache-dir",
                cache,
                "--retries",
                "1",
                "--timeout",
                "10",
            )
            procs = [
                subprocess.Popen(cmd, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(2)
            ]
            results = [(p.wait(timeout=60), p.stderr.read()) for p in procs]
            for p in procs:
                p.stdout.close()
                p.stderr.close()
            files = all_files(cache)
            tile = cache / "srtm" / download.get_source(template).key / "N57E011.hgt.gz"
            ok = (
                all(code == 0 for code, _ in results)
                and tile.is_file()
                and np.array_equal(srtm.read_tile(tile).array, heights)
                and files == [str(tile.relative_to(cache))]
            )
            outcomes.append((ok, results, files))
    bad = [o for o in outcomes if not o[0]]
    assert not bad, bad[:2]
    # both processes of a trial really ran at the same time: more than one request per trial on average
    assert len(srv.requests) > 10


def test_another_sources_404_does_not_block_a_good_mirror(body, heights, tmp_path):
    """Item 4: missing tiles are remembered per source."""
    with TileServer({TILE: body}) as good, TileServer({}) as empty:
        bad_src = empty.url + "/t/{lat_band}/{name}.hgt.gz"
        good_src = good.url + "/t/{lat_band}/{name}.hgt.gz"
        first = download.fetch_tiles((11.2, 57.2, 11.8, 57.8), bad_src, tmp_path, retry_wait_s=0)
        assert first.missing == ["N57E011"] and len(empty.requests) == 1
        second = download.fetch_tiles((11.2, 57.2, 11.8, 57.8), good_src, tmp_path, retry_wait_s=0)
        assert second.downloaded == ["N57E011"] and len(good.requests) == 1
        assert np.array_equal(srtm.read_tile(second.paths["N57E011"]).array, heights)
        # and the mirror that said 404 is still not asked again
        download.fetch_tiles((11.2, 57.2, 11.8, 57.8), bad_src, tmp_path)
        assert len(empty.requests) == 1


def test_size_cap_is_one_srtm1_tile_plus_overhead():
    srtm1_bytes = 3601 * 3601 * 2  # 1 arc-second tile, 16-bit heights (NASA SRTM v3)
    for suffix in (".hgt", ".hgt.gz", ".hgt.zip"):
        assert srtm1_bytes < max_tile_bytes(suffix) < 1.1 * srtm1_bytes
    assert max_tile_bytes(".tif") < 131e6  # the 131 MB body is refused


def test_oversized_body_is_refused_before_it_fills_the_disk(tmp_path):
    """Item 5: a body larger than any valid tile is refused; nothing stays in the cache."""
    huge = b"\0" * (max_tile_bytes(".hgt.gz") + 1)
    with TileServer({TILE: huge}) as srv:
        src = srv.url + "/t/{lat_band}/{name}.hgt.gz"
        with pytest.raises(DataError) as exc:
            download.fetch_tile("N57E011", src, tmp_path, retry_wait_s=0)
    msg = str(exc.value)
    assert "largest valid SRTM tile" in msg and "N57E011" in msg and "\n" not in msg
    assert all_files(tmp_path) == []


def _tmpfs(path, size="64k"):
    path.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs to fill ({done.stderr.strip() or 'not root'})")


def test_full_disk_is_named_and_the_part_removed(body, tmp_path):
    """Item 5: ENOSPC while downloading reads as a full disk, and the partial file is deleted."""
    disk = tmp_path / "small"
    _tmpfs(disk)
    try:
        assert len(body) > 64 * 1024
        with TileServer({TILE: body}) as srv:
            src = srv.url + "/t/{lat_band}/{name}.hgt.gz"
            with pytest.raises(DataError) as exc:
                download.fetch_tile("N57E011", src, disk, retry_wait_s=0)
        msg = str(exc.value)
        assert "full" in msg and "N57E011" in msg and "\n" not in msg
        assert all_files(disk) == []
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_stalled_server_gives_up_after_timeout(body, tmp_path, capsys):
    """Item 5: `--timeout` bounds the wait on a server that answers and then sends nothing."""
    with TileServer({TILE: body}) as srv:
        srv.stall.add(TILE)
        srv.stall_s = 5
        src = srv.url + "/t/{lat_band}/{name}.hgt.gz"
        code = run(
            [
                "tiles",
                "fetch",
                "--bbox",
                *BBOX,
                "--source",
                src,
                "--cache-dir",
                str(tmp_path),
                "--timeout",
                "0.3",
                "--retries",
                "0",
            ]
        )
    err = capsys.readouterr().err
    assert code == 2 and "could not download N57E011" in err and "timed out" in err


def test_leftovers_of_a_killed_fetch_are_resumed_and_removed(body, heights, tmp_path):
    """Item 6: the part file of a killed run is taken over (resumed), and stray parts are removed."""
    src = download.get_source("http://127.0.0.1:1/t/{lat_band}/{name}.hgt.gz")
    folder = tmp_path / "srtm" / src.key
    folder.mkdir(parents=True)
    pid = dead_pid()
    (folder / f".N57E011.hgt.gz.wk{pid}-aaaaaa.part").write_bytes(body[: len(body) // 2])
    (folder / f".N57E011.hgt.gz.wk{pid}-bbbbbb.part").write_bytes(b"")
    with TileServer({TILE: body}) as srv:
        src = download.get_source(srv.url + "/t/{lat_band}/{name}.hgt.gz")
        folder2 = tmp_path / "srtm" / src.key
        folder2.mkdir(parents=True)
        for p in folder.iterdir():
            os.replace(p, folder2 / p.name)
        path = download.fetch_tile("N57E011", src, tmp_path, retry_wait_s=0)
    assert srv.requests == [(TILE, f"bytes={len(body) // 2}-")]
    assert np.array_equal(srtm.read_tile(path).array, heights)
    assert all_files(folder2) == ["N57E011.hgt.gz"]


def test_interrupted_fetch_exits_130_and_keeps_only_the_resume_file(body, tmp_path):
    """Item 2: Ctrl-C during `tiles fetch` exits 130 with one line (it used to exit 0)."""
    with TileServer({TILE: body}) as srv:
        srv.chunk_delay_s = 0.5
        src = srv.url + "/t/{lat_band}/{name}.hgt.gz"
        proc = subprocess.Popen(
            argv("tiles", "fetch", "--bbox", *BBOX, "--source", src, "--cache-dir", tmp_path),
            env=env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 30
        while not srv.requests and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        proc.send_signal(2)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    files = all_files(tmp_path)
    assert all(f.endswith("N57E011.hgt.gz.part") and "/." not in f for f in files), files


def test_stale_temporary_folders_of_a_killed_report_are_removed(tmp_path):
    """Item 6: kill -9 during `claims -o DIR` left a hidden folder beside DIR that no rerun removed."""
    from wakhan.fileio import atomic_write, temp_dir_beside

    pid = dead_pid()
    stale_dir = tmp_path / f".rep.wk{pid}-abc123"
    stale_dir.mkdir()
    (stale_dir / "map.png").write_bytes(b"x" * 1000)
    stale_file = tmp_path / f".out.json.wk{pid}-def456.part.json"
    stale_file.write_text("{")
    live = tmp_path / f".rep.wk{os.getpid()}-zzzzzz"  # a running process's folder is left alone
    live.mkdir()
    fresh = temp_dir_beside(tmp_path / "rep")
    with atomic_write(tmp_path / "out.json") as fh:
        fh.write("{}")
    fresh.rmdir()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out.json", live.name])


def test_dem_tiles_names_the_source_that_reported_the_tile_missing(tmp_path):
    """Item 4: `--dem tiles` fell back silently to the 460 m pack after one mirror's 404."""
    from wakhan.dem.build import source_layers

    with TileServer({}) as empty:
        bad_src = empty.url + "/t/{lat_band}/{name}.hgt.gz"
        assert download.fetch_tiles((71.2, 36.2, 71.8, 36.8), bad_src, tmp_path).missing == ["N36E071"]
    layers, notes = source_layers((71.2, 36.2, 71.8, 36.8), "tiles", tiles_dir=tmp_path)
    note = " ".join(notes)
    assert "N36E071" in note and empty.url in note and "404" in note and "--source" in note


def test_kill_9_during_a_download_then_a_rerun_leaves_only_the_tile(body, heights, tmp_path):
    """Item 6: kill -9 mid-download used to leave a 0-byte temporary file that no rerun removed."""
    with TileServer({TILE: body}) as srv:
        srv.chunk_delay_s = 0.3
        src = srv.url + "/t/{lat_band}/{name}.hgt.gz"
        cmd = argv("tiles", "fetch", "--bbox", *BBOX, "--source", src, "--cache-dir", tmp_path)
        proc = subprocess.Popen(cmd, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while not srv.requests and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.8)  # a few pieces have arrived
        proc.kill()
        proc.wait(timeout=10)
        assert any(p.name.endswith(".part") for p in tmp_path.rglob("*")), all_files(tmp_path)
        srv.chunk_delay_s = 0.0
        done = subprocess.run(cmd, env=env(), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert srv.requests[-1][1] is not None and srv.requests[-1][1].startswith("bytes=")  # resumed
    folder = tmp_path / "srtm" / download.get_source(src).key
    assert all_files(tmp_path) == [str((folder / "N57E011.hgt.gz").relative_to(tmp_path))]
    assert np.array_equal(srtm.read_tile(folder / "N57E011.hgt.gz").array, heights)
