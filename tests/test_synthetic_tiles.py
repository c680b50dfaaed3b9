"""scripts/synthetic_srtm_tiles.py: SRTM-format tiles, edge-consistent, near the pack, served locally."""

from __future__ import annotations

import gzip
import importlib.util
from pathlib import Path

import numpy as np
from tiles_server import TileServer

from wakhan.dem import build_dem, elevation_at
from wakhan.sources import download, srtm

_SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "synthetic_srtm_tiles.py"
spec = importlib.util.spec_from_file_location("synthetic_srtm_tiles", _SCRIPT)
syn = importlib.util.module_from_spec(spec)
spec.loader.exec_module(syn)


def test_tiles_are_srtm_format_edge_consistent_and_near_the_pack(tmp_path, monkeypatch):
    monkeypatch.delenv(download.ENV_SOURCE, raising=False)
    paths = syn.build(tmp_path / "tiles", 3, (74.6, 37.1, 75.4, 37.4), progress=lambda *_: None)
    assert [p.relative_to(tmp_path / "tiles").as_posix() for p in paths] == [
        "SYNTHETIC-skadi/N37/N37E074.hgt.gz",
        "SYNTHETIC-skadi/N37/N37E075.hgt.gz",
    ]
    assert "never for a verdict" in (tmp_path / "tiles" / "SYNTHETIC-README.txt").read_text()
    raw = [gzip.decompress(p.read_bytes()) for p in paths]
    assert all(len(b) == 1201 * 1201 * 2 for b in raw)  # 3" tiles, int16
    west, east = (srtm.read_hgt_bytes(b, 37, lon).array for b, lon in zip(raw, (74, 75)))
    assert np.array_equal(west[:, -1], east[:, 0])  # the shared 75E line agrees
    # the pack's own bilinear reader at 50 points: detail has amplitude <= 165 m and mean ~0
    rng = np.random.default_rng(0)
    diffs = []
    for lon, lat in zip(rng.uniform(74.05, 74.95, 50), rng.uniform(37.05, 37.95, 50)):
        r, c = round((38 - lat) * 1200), round((lon - 74) * 1200)
        lat_c, lon_c = 38 - r / 1200, 74 + c / 1200
        diffs.append(float(west[r, c]) - elevation_at(lon_c, lat_c)[0])
    assert max(abs(d) for d in diffs) <= 166
    assert abs(np.mean(diffs)) < 40

    # served from 127.0.0.1 and read through the downloader, the cache and the tiles DEM
    files = {"/" + p.relative_to(tmp_path / "tiles").as_posix(): p.read_bytes() for p in paths}
    with TileServer(files) as srv:
        assert srv.url.startswith("http://127.0.0.1:")
        source = download.get_source(srv.url + "/SYNTHETIC-skadi/{lat_band}/{name}.hgt.gz")
        cache = tmp_path / "SYNTHETIC-srtm-cache"
        res = download.fetch_tiles((74.6, 37.1, 75.4, 37.4), source, cache, retry_wait_s=0)
    assert sorted(res.downloaded) == ["N37E074", "N37E075"]
    grid = build_dem((74.7, 37.15, 75.3, 37.35), source="tiles", tiles_dir=cache, resolution_m=500)
    assert np.isfinite(grid.array).all()
    cited = [s for s in grid.sources if s.name == "SRTM"]
    assert cited and all("SYNTHETIC" in s.origin for s in cited)  # every output says so
