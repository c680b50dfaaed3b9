"""The downloader when retries run out: how many requests, what is kept, and the one sentence it says.

Served by tests/tiles_server.py on 127.0.0.1 only, with no wait between retries (``retry_wait_s=0``).
"""

from __future__ import annotations

import socket

import pytest
from srtm_build import gz_bytes, hgt_bytes, tile_heights
from tiles_server import TileServer

from wakhan.cli import run
from wakhan.errors import DataError
from wakhan.sources import download

TILE = "/t/N36/N36E071.hgt.gz"


@pytest.fixture(scope="module")
def payload():
    return gz_bytes(hgt_bytes(tile_heights(36, 71, 1201)))


@pytest.fixture(autouse=True)
def no_user_env(monkeypatch):
    monkeypatch.delenv(download.ENV_CACHE, raising=False)
    monkeypatch.delenv(download.ENV_SOURCE, raising=False)


def files(folder):
    return sorted(p.name for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("retries", [0, 2])
def test_cut_every_time_gives_up_after_retries_plus_one_and_keeps_the_part(payload, tmp_path, retries):
    with TileServer({TILE: payload}) as srv:
        srv.cut[TILE] = 99  # every attempt is cut half-way through what is left
        src = download.get_source(srv.url + "/t/{lat_band}/{name}.hgt.gz")
        with pytest.raises(DataError) as exc:
            download.fetch_tile("N36E071", src, tmp_path, retries=retries, retry_wait_s=0)
        requests = list(srv.requests)
    msg = str(exc.value)
    tries = f"{retries + 1} attempt{'s' if retries else ''}"  # "after 1 attempt", "after 3 attempts"
    assert f"after {tries} (" in msg and "N36E071" in msg and "resume" in msg and "\n" not in msg
    assert len(requests) == retries + 1
    # each retry resumes where the last one stopped: left halves 1/2, 1/4, 1/8... of the file
    size, have = len(payload), 0
    for path, rng in requests:
        assert path == TILE and rng == (f"bytes={have}-" if have else None)
        have += (size - have) // 2
    assert files(tmp_path) == ["N36E071.hgt.gz.part"]  # kept for the next run, never under the tile name
    assert (next(tmp_path.rglob("*.part"))).stat().st_size == have
    assert download.cached_tile("N36E071", tmp_path) is None


def test_server_errors_are_retried_then_named(payload, tmp_path):
    with TileServer({TILE: payload}) as srv:
        srv.status[TILE] = 503
        src = download.get_source(srv.url + "/t/{lat_band}/{name}.hgt.gz")
        with pytest.raises(DataError) as exc:
            download.fetch_tile("N36E071", src, tmp_path, retries=3, retry_wait_s=0)
        assert len(srv.requests) == 4
        assert "after 4 attempts" in str(exc.value) and "HTTP 503" in str(exc.value)
        srv.status.clear()  # the server recovers: the next run downloads the tile
        path = download.fetch_tile("N36E071", src, tmp_path, retries=0)
    assert path.read_bytes() == payload and files(tmp_path) == ["N36E071.hgt.gz"]


def test_a_refusal_is_not_retried(payload, tmp_path):
    with TileServer({TILE: payload}) as srv:
        srv.status[TILE] = 403
        src = download.get_source(srv.url + "/t/{lat_band}/{name}.hgt.gz")
        with pytest.raises(DataError) as exc:
            download.fetch_tile("N36E071", src, tmp_path, retries=3, retry_wait_s=0)
        assert len(srv.requests) == 1  # 403 will not change by asking again
    assert "HTTP 403" in str(exc.value) and "--source" in str(exc.value)
    assert files(tmp_path) == []


def test_no_server_at_all_exhausts_the_retries_and_the_cli_exits_2(tmp_path, capsys):
    with socket.socket() as s:  # a port nobody listens on: connection refused
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    src = download.get_source(f"http://127.0.0.1:{port}/{{name}}.hgt.gz")
    with pytest.raises(DataError, match="after 2 attempts"):
        download.fetch_tile("N36E071", src, tmp_path, retries=1, retry_wait_s=0)
    code = run(
        [
            "tiles",
            "fetch",
            "--bbox",
            "71.2",
            "36.2",
            "71.8",
            "36.8",
            "--source",
            src.url_template,
            "--cache-dir",
            str(tmp_path),
            "--retries",
            "0",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: ") and "N36E071" in err and err.count("\n") == 1


def test_one_attempt_is_said_in_the_singular():
    """`tiles fetch --retries 0` on a dead server said "after 1 attempts"."""
    from wakhan.sources.http_range import GaveUp

    one = GaveUp("N36E074", "https://host/N36E074.hgt.gz", 1, "Name or service not known", 0, "")
    assert "after 1 attempt (Name or service not known)" in str(one)
    assert "after 3 attempts (" in str(GaveUp("N36E074", "https://host/N36E074.hgt.gz", 3, "HTTP 503", 0, ""))
