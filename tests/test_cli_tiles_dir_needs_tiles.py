"""`--tiles-dir DIR` is read only with `--dem tiles`: with `--dem pack` (or a file) it is refused, not ignored."""

from __future__ import annotations

import pytest

from wakhan.cli import run


@pytest.mark.parametrize("dem", [[], ["--dem", "pack"], ["--dem", "some.tif"]])
def test_elevation_refuses_tiles_dir_without_dem_tiles(dem, capsys, tmp_path):
    assert run(["elevation", "46.5,8.5", *dem, "--tiles-dir", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert "--tiles-dir" in err and "--dem tiles" in err and "Traceback" not in err, err
    assert err.count(". ") == 0 and not err.endswith("."), err  # one sentence
    assert captured.out == ""  # no height printed: refused before any work


def test_dem_build_refuses_pack_with_tiles_dir_before_writing(capsys, tmp_path):
    out = tmp_path / "dem.tif"
    argv = ["dem", "build", "--bbox", "8.2", "46.2", "8.4", "46.4", "-o", str(out)]
    assert run([*argv, "--dem", "pack", "--tiles-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "--tiles-dir" in err and "--dem pack" in err and "--dem tiles" in err, err
    assert not out.exists()


def test_dem_tiles_reads_the_tile_folder(capsys, srtm_dir):
    assert run(["elevation", "46.5,8.5", "--dem", "tiles", "--tiles-dir", str(srtm_dir), "--json"]) == 0
    assert '"SRTM"' in capsys.readouterr().out  # the tile folder's N46E008, not the pack
