"""`wakhan dem build` over part of a tile counts the voids of the box asked for, not of the whole tile."""

from __future__ import annotations

import json

import numpy as np
import rasterio
from clirun import wakhan_run

TILE_VOIDS = 103_743  # the whole N46E008 tile, stated in ../shared/README.md


def _voids_in_box(path, west, south, east, north) -> tuple[int, int]:
    """Void cells and all cells of the tile whose centres lie in the box, counted here with numpy.

    N46E008.tif is pixel-is-point: 1201 x 1201 posts at 8 + k/1200 E and 47 - k/1200 N
    (../shared/README.md), nodata -32767.
    """
    with rasterio.open(path) as src:
        heights = src.read(1)
    posts = np.arange(1201) / 1200
    lon, lat = 8 + posts, 47 - posts
    eps = 1e-9
    cols = (lon >= west - eps) & (lon <= east + eps)
    rows = (lat >= south - eps) & (lat <= north + eps)
    box = heights[np.ix_(rows, cols)]
    return int((box == -32767).sum()), int(box.size)


def test_dem_build_reports_the_voids_of_the_box(srtm_dir, tmp_path):
    tif = srtm_dir / "N46E008.tif"
    bbox = (8.2, 46.2, 8.4, 46.4)
    voids, cells = _voids_in_box(tif, *bbox)
    assert 0 < voids < TILE_VOIDS  # the box holds some of the tile's voids, not all
    out = tmp_path / "box.tif"
    done = wakhan_run("dem", "build", "--bbox", *bbox, "--dem", tif, "-o", out, "--json")
    assert done.returncode == 0, done.stderr
    notes = json.loads(done.stdout)["written"][0]["notes"]
    said = [n for n in notes if "void cells" in n]
    expected = f"{voids:,} void cells ({voids / cells * 100:.2f} %): {voids:,} filled by"
    assert len(said) == 1 and expected in said[0] and "in the box" in said[0], said
    assert f"{TILE_VOIDS:,}" not in done.stdout

    text = wakhan_run("dem", "build", "--bbox", *bbox, "--dem", tif, "-o", out, "--keep-voids")
    assert text.returncode == 0, text.stderr
    assert f"{voids:,} void cells ({voids / cells * 100:.2f} %): kept as missing" in text.stderr
    assert f"{TILE_VOIDS:,}" not in text.stderr
