"""`wakhan elevation --dem FILE.tif`: a user's file is named with its cell in metres and a licence said, not blank."""

from __future__ import annotations

import json
import math
import shutil

from clirun import wakhan_run


def _cell_m(lat_deg: float) -> float:
    """North-south side of a 3" cell on the WGS84 ellipsoid (meridian radius of curvature), by hand."""
    a, f = 6_378_137.0, 1 / 298.257223563
    e2 = f * (2 - f)
    phi = math.radians(lat_deg)
    meridian_m = a * (1 - e2) / (1 - e2 * math.sin(phi) ** 2) ** 1.5
    return meridian_m * math.radians(3 / 3600)


def test_user_geotiff_names_metres_and_licence(srtm_dir, tmp_path):
    tif = tmp_path / "alps.tif"  # a user's file: not named like an SRTM tile
    shutil.copy(srtm_dir / "N46E008.tif", tif)
    metres = f"~{_cell_m(46.5):.0f} m"  # 92.6 m: the larger side (east-west is 63.9 m at 46.5N)
    done = wakhan_run("elevation", "46.5,8.5", "--dem", tif, "--json")
    assert done.returncode == 0, done.stderr
    source = json.loads(done.stdout)["source"]
    assert metres in source["resolution"], source
    assert "your own file" in source["licence"] and "unknown" in source["licence"], source

    text = wakhan_run("elevation", "46.5,8.5", "--dem", tif)
    assert text.returncode == 0, text.stderr
    assert f'alps.tif, 3.0" ({metres}) (your own file; licence unknown)' in text.stdout, text.stdout
