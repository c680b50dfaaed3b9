"""`wakhan elevation --dem FILE.tif`: a user's file is named with its cell in metres and a licence said, not blank."""

from __future__ import annotations

import json
import shutil

from clirun import wakhan_run


def test_user_geotiff_names_metres_and_licence(srtm_dir, tmp_path):
    tif = tmp_path / "alps.tif"  # a user's file: not named like an SRTM tile
    shutil.copy(srtm_dir / "N46E008.tif", tif)
    # A 3" cell is named as the SRTM product names it, "3 arc-second (~90 m)" (NASA/USGS SRTM 3" user
    # guide), the same words as the same tile read from the tile cache: before, a user's copy said
    # 3.0" (~93 m), the cell's north-south side at 46.5N, and fed 93 m to the road-length model.
    metres = "~90 m"
    done = wakhan_run("elevation", "46.5,8.5", "--dem", tif, "--json")
    assert done.returncode == 0, done.stderr
    source = json.loads(done.stdout)["source"]
    assert metres in source["resolution"], source
    assert "your own file" in source["licence"] and "unknown" in source["licence"], source

    text = wakhan_run("elevation", "46.5,8.5", "--dem", tif)
    assert text.returncode == 0, text.stderr
    assert f'alps.tif, 3" ({metres}) (your own file; licence unknown)' in text.stdout, text.stdout
