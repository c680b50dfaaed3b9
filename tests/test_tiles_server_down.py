"""A tile server that goes down half-way through `wakhan tiles fetch`: one sentence, exit 2, a cache
holding only whole tiles, and a re-run that asks only for the tiles still missing.

Served by tests/tiles_server.py on 127.0.0.1 only. The served tiles are built SRTM3 tiles
(tests/srtm_build.py), so every cached file can be compared byte for byte with what was served.
"""

from __future__ import annotations

import numpy as np
import pytest
from srtm_build import gz_bytes, hgt_bytes, tile_heights
from tiles_server import TileServer

from wakhan.cli import run
from wakhan.sources import download, srtm

BBOX = ("71.2", "36.2", "72.8", "37.8")  # four 1-degree tiles: N36E071, N36E072, N37E071, N37E072
TEMPLATE = "/t/{lat_band}/{name}.hgt.gz"


@pytest.fixture(scope="module")
def payloads():
    out = {}
    for lat in (36, 37):
        for lon in (71, 72):
            name = srtm.tile_name(lat, lon)
            out[f"/t/{name[:3]}/{name}.hgt.gz"] = gz_bytes(hgt_bytes(tile_heights(lat, lon, 1201)))
    return out


@pytest.fixture(autouse=True)
def no_user_env(monkeypatch):
    monkeypatch.delenv(download.ENV_CACHE, raising=False)
    monkeypatch.delenv(download.ENV_SOURCE, raising=False)


def fetch(srv: TileServer, cache, *extra) -> int:
    return run(["tiles", "fetch", "--bbox", *BBOX, "--source", srv.url + TEMPLATE, "--tiles-dir", str(cache), *extra])


def cache_files(cache) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in cache.rglob("*") if p.is_file()}


def path_of(name: str) -> str:
    return f"/t/{name[:3]}/{name}.hgt.gz"


def test_server_going_down_half_way_exits_2_and_a_rerun_fetches_only_the_rest(payloads, tmp_path, capsys):
    cache = tmp_path / "cache"
    with TileServer(payloads) as srv:
        srv.down_after = 2  # two whole tiles, then the server dies: closed, then refused
        assert fetch(srv, cache, "--retries", "1") == 2
        port, url, first = srv.port, srv.url, list(srv.requests)
    out, err = capsys.readouterr()
    # two tiles served, the third request closed unanswered, its retry refused (never reaches the server)
    assert len(first) == 3 and all(rng is None for _, rng in first)
    served, failed = [p for p, _ in first[:2]], first[2][0]
    assert len(set(served)) == 2 and failed not in served
    failed_name = failed.rsplit("/", 1)[1].split(".")[0]
    # one sentence naming the tile, its URL and what to do; nothing on stdout, no traceback
    assert out == "" and err.count("\n") == 1 and err.startswith("error: ")
    assert f"could not download {failed_name} from {url}{failed}" in err
    assert "the 2 of the box's 4 tiles already in the cache" in err and "only the 2 tile(s) still missing" in err
    assert f"`wakhan tiles fetch --bbox {' '.join(BBOX)} --source '{url}{TEMPLATE}' --tiles-dir {cache}`" in err
    assert "another --source" in err and "Traceback" not in err
    # nothing half-written: the two whole tiles, byte for byte, and no part or temporary file
    assert cache_files(cache) == {p.rsplit("/", 1)[1]: payloads[p] for p in served}
    # `--dem tiles` never downloads: it names the tiles still missing and writes no route
    route_out = tmp_path / "r.geojson"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(download.ENV_CACHE, str(cache))
        code = run(["route", "36.5,71.5", "37.5,72.5", "--buffer-km", "5", "--dem", "tiles", "-o", str(route_out)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and failed_name in err and "wakhan tiles fetch --bbox" in err
    assert not route_out.exists()

    with TileServer(payloads, port=port) as srv:  # the server is back, at the same address
        assert fetch(srv, cache) == 0
        second = list(srv.requests)
    out = capsys.readouterr().out
    # only the two missing tiles were asked for, once each, from their start
    assert sorted(second) == sorted((p, None) for p in payloads if p not in served)
    assert "2 downloaded, 2 already cached" in out
    assert cache_files(cache) == {p.rsplit("/", 1)[1]: v for p, v in payloads.items()}
    for p in payloads:
        name = p.rsplit("/", 1)[1].split(".")[0]
        lat, lon = srtm.parse_tile_name(name)
        assert np.array_equal(srtm.read_tile(download.cached_tile(name, cache)).array, tile_heights(lat, lon, 1201))


def test_connection_cut_mid_tile_keeps_only_the_resume_part_and_the_rerun_resumes_it(payloads, tmp_path, capsys):
    cache = tmp_path / "cache"
    order = srtm.tiles_for_bbox(*map(float, BBOX))  # the order tiles are fetched in
    victim = path_of(order[1])
    with TileServer(payloads) as srv:
        srv.cut[victim] = 99  # every attempt at the second tile loses the connection half-way
        assert fetch(srv, cache, "--retries", "0") == 2
        port, url = srv.port, srv.url
    err = capsys.readouterr().err
    kept = len(payloads[victim]) // 2
    assert err.count("\n") == 1 and f"could not download {order[1]} from {url}{victim}" in err
    assert f"its first {kept:,} bytes are kept as {order[1]}.hgt.gz.part" in err
    assert "only the 3 tile(s) still missing" in err
    files = cache_files(cache)
    # the whole first tile, and the cut one only under the resume name, never as a tile
    assert files == {
        f"{order[0]}.hgt.gz": payloads[path_of(order[0])],
        f"{order[1]}.hgt.gz.part": payloads[victim][:kept],
    }
    assert download.cached_tile(order[1], cache) is None

    with TileServer(payloads, port=port) as srv:
        assert fetch(srv, cache) == 0
        second = list(srv.requests)
    # the cut tile is resumed from where it stopped; the first tile is not asked for again
    assert sorted(second) == sorted([(victim, f"bytes={kept}-")] + [(path_of(n), None) for n in order[2:]])
    assert cache_files(cache) == {p.rsplit("/", 1)[1]: v for p, v in payloads.items()}


def test_the_give_up_error_survives_pickling_as_a_dask_worker_would_send_it(payloads, tmp_path):
    import pickle

    from wakhan.errors import DataError

    victim = next(iter(payloads))
    name = victim.rsplit("/", 1)[1].split(".")[0]
    with TileServer(payloads) as srv:
        srv.cut[victim] = 99
        with pytest.raises(DataError) as info:
            download.fetch_tile(name, srv.url + TEMPLATE, tmp_path, retries=0)
    back = pickle.loads(pickle.dumps(info.value))
    assert type(back) is type(info.value) and str(back) == str(info.value)
    assert f"its first {len(payloads[victim]) // 2:,} bytes are kept as {name}.hgt.gz.part" in str(back)
