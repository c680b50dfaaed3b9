"""The tile downloader against a local HTTP server on 127.0.0.1: fetch, cache, resume, refuse, remember 404s."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest
from srtm_build import gz_bytes, hgt_bytes, tile_heights
from tiles_server import TileServer

from wakhan.cli import run
from wakhan.errors import DataError, InputError
from wakhan.sources import download, srtm

REAL = "/t/N57/N57E011.hgt.gz"  # the real SRTM3 tile, gzipped on the fly
BUILT = "/t/N36/N36E071.hgt.gz"  # a built SRTM1 tile
SHORT = "/t/N36/N36E072.hgt.gz"  # a truncated tile (complete gzip of half a tile)
GARBAGE = "/t/N37/N37E071.hgt.gz"  # not gzip at all
# N00E000 is not served: 404


@pytest.fixture(scope="module")
def payloads(request):
    """Served bytes; the real N57E011 when ../shared is available, else a built SRTM3 stand-in."""
    try:
        real = (request.getfixturevalue("srtm_dir") / "N57E011.hgt").read_bytes()
    except pytest.skip.Exception:
        real = hgt_bytes(tile_heights(57, 11, 1201))
    built = hgt_bytes(tile_heights(36, 71, 3601))
    return {
        REAL: gz_bytes(real),
        BUILT: gz_bytes(built),
        SHORT: gz_bytes(built[: len(built) // 2]),
        GARBAGE: b"<html>this is an error page, not a tile</html>",
    }


@pytest.fixture
def server(payloads):
    with TileServer(payloads) as srv:
        yield srv


@pytest.fixture
def source(server):
    return download.get_source(server.url + "/t/{lat_band}/{name}.hgt.gz")


@pytest.fixture(autouse=True)
def no_user_env(monkeypatch):
    monkeypatch.delenv(download.ENV_CACHE, raising=False)
    monkeypatch.delenv(download.ENV_SOURCE, raising=False)


def tile_files(folder):
    return sorted(p.name for p in folder.rglob("*") if p.is_file())


def test_server_is_local_only(server):
    assert server.url.startswith("http://127.0.0.1:")


def test_fetch_real_tile_then_cache_hit(server, source, tmp_path, srtm_dir):
    res = download.fetch_tiles((11.2, 57.2, 11.8, 57.8), source, tmp_path, retry_wait_s=0)
    assert res.downloaded == ["N57E011"] and res.cached == [] and res.missing == []
    path = res.paths["N57E011"]
    assert path == tmp_path / "srtm" / source.key / "N57E011.hgt.gz"
    assert tile_files(tmp_path) == ["N57E011.hgt.gz"]  # no .part, no temp files
    g = srtm.read_tile(path)
    assert np.array_equal(g.array, srtm.read_tile(srtm_dir / "N57E011.hgt").array)
    n_requests = len(server.requests)
    assert n_requests == 1 and server.requests[0] == (REAL, None)
    again = download.fetch_tiles((11.2, 57.2, 11.8, 57.8), source, tmp_path)
    assert again.cached == ["N57E011"] and again.downloaded == []
    assert len(server.requests) == n_requests  # the second fetch asks nothing
    assert download.find_tiles((11.2, 57.2, 11.8, 57.8), tmp_path) == [path]


def test_fetch_built_srtm1_tile(server, source, tmp_path):
    path = download.fetch_tile("N36E071", source, tmp_path, retry_wait_s=0)
    g = srtm.read_tile(path)
    assert g.shape == (3601, 3601) and np.array_equal(g.array, tile_heights(36, 71, 3601))


def test_resume_after_cut_connection_within_one_fetch(server, source, tmp_path, payloads):
    server.cut[BUILT] = 1
    path = download.fetch_tile("N36E071", source, tmp_path, retries=2, retry_wait_s=0)
    size = len(payloads[BUILT])
    assert server.requests == [(BUILT, None), (BUILT, f"bytes={size // 2}-")]
    assert path.read_bytes() == payloads[BUILT]
    assert tile_files(tmp_path) == ["N36E071.hgt.gz"]


def test_resume_in_a_later_run(server, source, tmp_path, payloads):
    server.cut[REAL] = 1
    with pytest.raises(DataError) as exc:
        download.fetch_tile("N57E011", source, tmp_path, retries=0)
    assert "resume" in str(exc.value) and "N57E011" in str(exc.value)
    folder = tmp_path / "srtm" / source.key
    size = len(payloads[REAL])
    assert tile_files(tmp_path) == ["N57E011.hgt.gz.part"]  # the partial file waits, never the tile name
    assert (folder / "N57E011.hgt.gz.part").stat().st_size == size // 2
    path = download.fetch_tile("N57E011", source, tmp_path, retries=0)
    assert server.requests[-1] == (REAL, f"bytes={size // 2}-")
    assert path.read_bytes() == payloads[REAL] and tile_files(tmp_path) == ["N57E011.hgt.gz"]


def test_resume_when_server_ignores_range(payloads, tmp_path):
    with TileServer(payloads, ranges=False) as srv:
        src = download.get_source(srv.url + "/t/{lat_band}/{name}.hgt.gz")
        srv.cut[REAL] = 1
        path = download.fetch_tile("N57E011", src, tmp_path, retries=1, retry_wait_s=0)
        assert path.read_bytes() == payloads[REAL]  # restarted from byte 0, not appended


@pytest.mark.parametrize("tile, words", [("N36E072", "truncated"), ("N37E071", "gzip")])
def test_bad_download_is_refused_and_deleted(server, source, tmp_path, tile, words):
    with pytest.raises(DataError) as exc:
        download.fetch_tile(tile, source, tmp_path, retry_wait_s=0)
    msg = str(exc.value)
    assert tile in msg and words in msg and "deleted" in msg and "\n" not in msg
    assert tile_files(tmp_path) == []  # no tile, no .part
    assert download.cached_tile(tile, tmp_path) is None


def test_404_is_remembered_as_missing(server, source, tmp_path):
    res = download.fetch_tiles((0.2, 0.2, 0.8, 0.8), source, tmp_path)
    assert res.missing == ["N00E000"] and res.paths == {}
    assert len(server.requests) == 1
    record = json.loads((tmp_path / "srtm" / source.key / "missing.json").read_text())
    assert record["N00E000"]["status"] == 404
    again = download.fetch_tiles((0.2, 0.2, 0.8, 0.8), source, tmp_path)
    assert again.missing == ["N00E000"] and len(server.requests) == 1  # not asked again
    assert download.find_tiles((0.2, 0.2, 0.8, 0.8), tmp_path) == []  # known ocean: not an error
    download.fetch_tiles((0.2, 0.2, 0.8, 0.8), source, tmp_path, retry_missing=True)
    assert len(server.requests) == 2


def test_known_hash_checked(server, source, tmp_path, payloads):
    good = download.TileSource(
        "custom", source.url_template, hashes={"N57E011": "sha256:" + hashlib.sha256(payloads[REAL]).hexdigest()}
    )
    assert download.fetch_tile("N57E011", good, tmp_path).is_file()
    bad = download.TileSource("custom", source.url_template, hashes={"N57E011": "sha256:" + "0" * 64})
    with pytest.raises(DataError) as exc:
        download.fetch_tile("N57E011", bad, tmp_path / "other")
    assert "checksum" in str(exc.value)
    assert tile_files(tmp_path / "other") == []


def test_offline_missing_tiles_name_the_fetch_command(tmp_path):
    with pytest.raises(DataError) as exc:
        download.find_tiles((71, 36.5, 73, 37.5), tmp_path)
    msg = str(exc.value)
    assert "N37E071, N37E072, N36E071, N36E072" in msg and "4 SRTM tile(s)" in msg
    assert f"wakhan tiles fetch --bbox 71 36.5 73 37.5 --tiles-dir {tmp_path}" in msg and "\n" not in msg


def test_tiles_lying_directly_in_the_cache_folder_are_found(tmp_path):
    (tmp_path / "N57E011.hgt").write_bytes(hgt_bytes(tile_heights(57, 11, 1201)))
    assert download.find_tiles((11, 57, 12, 58), tmp_path) == [tmp_path / "N57E011.hgt"]


def test_unwritable_cache_is_one_sentence(source, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(InputError) as exc:
        download.fetch_tile("N57E011", source, blocker / "cache")
    msg = str(exc.value)
    assert "cannot write the tile cache" in msg and "--tiles-dir" in msg and "\n" not in msg


def test_sources_and_cache_location(monkeypatch, tmp_path):
    skadi = download.get_source("skadi")
    assert skadi.url("N57E011") == "https://s3.amazonaws.com/elevation-tiles-prod/skadi/N57/N57E011.hgt.gz"
    assert skadi.url("s01w072.hgt") == "https://s3.amazonaws.com/elevation-tiles-prod/skadi/S01/S01W072.hgt.gz"
    assert download.get_source() is skadi and skadi.suffix == ".hgt.gz"
    zipped = download.get_source("https://example.invalid/srtm/{name}.SRTMGL1.hgt.zip")
    assert zipped.suffix == ".hgt.zip" and zipped.key.startswith("custom-")
    for bad in (
        "nosuch",
        "https://example.invalid/tiles.hgt",
        "https://example.invalid/{nme}.hgt",
        "ftp://example.invalid/{name}.hgt",
    ):
        with pytest.raises(InputError):
            download.get_source(bad)
    monkeypatch.setenv(download.ENV_SOURCE, "https://mirror.invalid/{name}.hgt")
    assert download.get_source().url("N57E011") == "https://mirror.invalid/N57E011.hgt"
    monkeypatch.setenv(download.ENV_CACHE, str(tmp_path / "env-cache"))
    assert download.cache_root() == tmp_path / "env-cache"
    assert download.cache_root(tmp_path / "flag") == tmp_path / "flag"  # the flag beats the env
    monkeypatch.delenv(download.ENV_CACHE)
    assert "wakhan" in str(download.cache_root())


def test_progress_bar_runs(server, source, tmp_path, capsys):
    res = download.fetch_tiles((11.2, 57.2, 11.8, 57.8), source, tmp_path, progress=True)
    assert res.downloaded == ["N57E011"]
    assert "N57E011" in capsys.readouterr().err


# -- CLI -----------------------------------------------------------------------
def test_cli_fetch_and_list(server, source, tmp_path, capsys):
    args = [
        "tiles",
        "fetch",
        "--bbox",
        "11.2",
        "57.2",
        "11.8",
        "57.8",
        "--source",
        source.url_template,
        "--cache-dir",
        str(tmp_path),
    ]
    assert run(args) == 0
    out = capsys.readouterr().out
    assert "N57E011  downloaded" in out
    assert run(args) == 0 and "N57E011  cached" in capsys.readouterr().out
    assert (
        run(
            [
                "tiles",
                "fetch",
                "--bbox",
                "0.1",
                "0.1",
                "0.2",
                "0.2",
                "--source",
                source.url_template,
                "--cache-dir",
                str(tmp_path),
            ]
        )
        == 0
    )
    assert "N00E000  missing" in capsys.readouterr().out
    assert run(["tiles", "list", "--cache-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "skadi" in out and "N57E011.hgt.gz" in out and "N00E000" in out


def test_cli_offline_missing_exits_2(tmp_path, capsys):
    code = run(["tiles", "fetch", "--bbox", "-72", "-1", "-71", "0", "--offline", "--cache-dir", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: ") and "S01W072" in err
    assert f"wakhan tiles fetch --bbox -72 -1 -71 0 --tiles-dir {tmp_path}" in err


def test_cli_bad_bbox_and_source(tmp_path, capsys):
    assert run(["tiles", "fetch", "--bbox", "12", "57", "11", "58", "--cache-dir", str(tmp_path)]) == 2
    assert "west > east" in capsys.readouterr().err
    assert (
        run(["tiles", "fetch", "--bbox", "11", "57", "12", "58", "--source", "nosuch", "--cache-dir", str(tmp_path)])
        == 2
    )
    assert "unknown tile source" in capsys.readouterr().err


def test_the_fetch_command_of_a_missing_tile_fetches_every_tile_it_names(tmp_path):
    # a box edge a hair west of 11E and south of 57N needs the tiles W and S of N57E011 (floor(10.9999999) = 10);
    # printed to 6 significant digits it read "11 57", and that box's fetch asks for N57E011 alone
    box = (11 - 1e-7, 57 - 1e-7, 11 + 1e-7, 57 + 1e-7)
    with pytest.raises(DataError) as exc:
        download.find_tiles(box, tmp_path)
    msg = str(exc.value)
    assert "N57E010, N57E011, N56E010, N56E011" in msg
    printed = msg.split("wakhan tiles fetch --bbox ", 1)[1].split(" --tiles-dir")[0].split()
    assert sorted(srtm.tiles_for_bbox(*map(float, printed))) == ["N56E010", "N56E011", "N57E010", "N57E011"]


def test_elevation_on_a_tiles_south_west_corner_or_edge_needs_only_that_tile(tmp_path, capsys):
    # tiles hold their edge lines: N57E011's first row and column are 57N and 11E (hand-built heights, so the
    # corner's value is known: tile_heights' cell [1200, 0])
    heights = tile_heights(57, 11, 1201)
    (tmp_path / "N57E011.hgt").write_bytes(hgt_bytes(heights))
    assert run(["elevation", "57", "11", "--dem", str(tmp_path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["elevation_m"] == pytest.approx(float(heights[1200, 0]))
    assert run(["elevation", "57", "11.5", "--dem", str(tmp_path), "--json"]) == 0  # on its south edge
    assert json.loads(capsys.readouterr().out)["elevation_m"] == pytest.approx(float(heights[1200, 600]))


@pytest.mark.parametrize(
    "lat, lon, tiles",
    [
        # SRTM tiles are named by their south-west corner and hold their edge lines: 57N 11.5E is the bottom
        # row of N57E011 and the top row of N56E011; 57N 11E is a corner of the four tiles around it
        ("57", "11.5", ["N57E011", "N56E011"]),
        ("57.5", "11", ["N57E011", "N57E010"]),
        ("57", "11", ["N57E011", "N57E010", "N56E011", "N56E010"]),
    ],
)
def test_a_point_on_a_tile_edge_with_no_tile_cached_names_every_tile_that_holds_it(lat, lon, tiles, tmp_path, capsys):
    """Offline with an empty tile cache, the sentence named only the first candidate (N57E011), as if the point
    needed that one; any of the tiles holding the point serves, and the command given fetches them all."""
    assert run(["elevation", lat, lon, "--dem", "tiles", "--tiles-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    assert f"SRTM tiles {', '.join(tiles[:-1])} and {tiles[-1]}, " in lines[0], lines[0]
    assert f"none is in the tile cache {tmp_path}" in lines[0]
    printed = lines[0].split("wakhan tiles fetch --bbox ", 1)[1].split(" --tiles-dir")[0].split()
    assert sorted(srtm.tiles_for_bbox(*map(float, printed))) == sorted(tiles)
    assert list(tmp_path.iterdir()) == []  # nothing fetched, nothing written


def test_a_bad_tile_at_hand_on_the_edge_is_the_error_rather_than_the_missing_one(tmp_path, capsys):
    """N56E011 cut short (10 bytes) and N57E011 absent: the cut tile is what to fix, and the sentence says so."""
    (tmp_path / "N56E011.hgt").write_bytes(b"\x00" * 10)
    assert run(["elevation", "57", "11.5", "--dem", "tiles", "--tiles-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and "N56E011.hgt" in lines[0] and "lies on the edge" not in err, err


@pytest.mark.parametrize(
    "command",
    [["tiles", "list"], ["tiles", "fetch", "--bbox", "11.2", "57.2", "11.8", "57.8", "--offline"]],
)
def test_a_tile_cache_that_is_a_file_is_named_as_such(command, tmp_path, capsys):
    """`tiles list --tiles-dir FILE` said "no tiles cached yet" and exited 0; the offline fetch suggested a
    `tiles fetch --tiles-dir FILE` that cannot work. One sentence: the path is a file, give a folder."""
    blocker = tmp_path / "notes.txt"
    blocker.write_text("not a folder")
    assert run([*command, "--tiles-dir", str(blocker)]) == 2
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and str(blocker) in lines[0] and "not a folder" in lines[0], err
    assert blocker.read_text() == "not a folder"


def test_southern_and_western_points_are_written_with_s_and_w(tmp_path, capsys):
    """`wakhan elevation -- -33.5 -70.5` on an S34W071 tile printed "... m at -33.50000N, -70.50000E": a reader
    takes the N and E at their word. Hand-built tile, so the height is known: tile_heights' centre cell."""
    heights = tile_heights(-34, -71, 1201)
    (tmp_path / "S34W071.hgt").write_bytes(hgt_bytes(heights))
    assert run(["elevation", "--dem", str(tmp_path), "--", "-33.5", "-70.5"]) == 0
    out = capsys.readouterr().out
    assert f"{heights[600, 600]:.0f} m at 33.50000S, 70.50000W" in out, out
    assert run(["elevation", "--", "-35.5", "-70.5"]) == 2  # outside the region pack
    assert "point 35.5000S, 70.5000W is outside" in capsys.readouterr().err
