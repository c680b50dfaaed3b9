"""File and run options name the Python keyword beside the CLI flag, as the plan options do.

A notebook user who calls :func:`wakhan.plan.roads.read_roads` or :meth:`RouteResult.compare_to`
cannot pass ``--roads`` or ``--reference``; the CLI's sentences stay word for word as they were.
"""

from __future__ import annotations

import pytest

from wakhan.cli import run
from wakhan.dem.build import elevation_at
from wakhan.errors import InputError
from wakhan.plan.rasters import grid_of
from wakhan.plan.roads import read_roads
from wakhan.route.deviation import read_reference
from wakhan.sweep.cluster import check_monte_carlo
from wakhan.sweep.scenario import monte_carlo


def _cli_error(capsys, argv: list[str]) -> str:
    assert run(argv) == 2
    err = capsys.readouterr().err
    assert "Python" not in err, err
    return " ".join(err.split())  # the console may wrap a long sentence


def test_reference_file(tmp_path, capsys):
    missing = tmp_path / "none.gpx"
    with pytest.raises(InputError) as err:
        read_reference(missing)
    assert str(err.value).startswith(f"--reference {missing}, or compare_to('{missing}') in Python: no such file; ")
    err_text = _cli_error(capsys, ["route", "kashgar", "tashkurgan", "--reference", str(missing)])
    assert f"--reference {missing}: no such file; give a line layer of the real road" in err_text, err_text


def test_roads_file(tmp_path, capsys):
    empty = tmp_path / "roads.geojson"
    empty.write_text("")
    with pytest.raises(InputError) as err:
        read_roads(empty)
    assert str(err.value).startswith(f"--roads {empty}, or roads='{empty}' in Python, is an empty file (0 bytes); ")
    err_text = _cli_error(capsys, ["route", "kashgar", "tashkurgan", "--roads", str(empty)])
    assert f"--roads {empty} is an empty file (0 bytes); give a line layer" in err_text, err_text


def test_like_file(tmp_path, capsys):
    folder = tmp_path / "rasters"
    folder.mkdir()
    with pytest.raises(InputError) as err:
        grid_of(folder)
    assert str(err.value).endswith("give --like, or like in Python, a raster file such as a GeoTIFF")
    with pytest.raises(InputError) as err:
        grid_of(tmp_path / "none.tif")
    assert str(err.value).endswith("check the path given to --like or --dem, or like or dem in Python")
    out = tmp_path / "cost.tif"
    err_text = _cli_error(
        capsys, ["accumulate", "tashkurgan", "-o", str(out), "--like", str(folder), "--buffer-km", "5"]
    )
    assert "is a folder, not a raster; give --like a raster file such as a GeoTIFF" in err_text, err_text


def test_dem_tiles_for_a_point_outside_the_data(capsys):
    # 20N 20E (the Sahara) lies outside the region pack and the bundled coarse sources' extent
    with pytest.raises(InputError) as err:
        elevation_at(20.0, 20.0)
    assert str(err.value).endswith('(--dem tiles or a file, or dem="tiles" or a path in Python)')
    err_text = _cli_error(capsys, ["elevation", "20", "20"])
    assert "give SRTM tiles covering it (--dem tiles or a file)" in err_text, err_text


def test_monte_carlo_run_size(capsys):
    with pytest.raises(InputError, match=r"^--monte-carlo -1, or n=-1 in Python, must be a number of realizations"):
        check_monte_carlo(-1, 0)
    with pytest.raises(InputError, match=r"^--seed -1, or seed=-1 in Python, must be a whole number"):
        check_monte_carlo(2, -1)
    with pytest.raises(InputError, match=r"^--workers 0, or workers=0 in Python, must be 1 or more"):
        check_monte_carlo(2, 0, 0)
    with pytest.raises(InputError, match=r"^--monte-carlo 0, or n=0 in Python, must be a whole number"):
        monte_carlo(0)
    err_text = _cli_error(capsys, ["claims", "--monte-carlo", "-1"])
    assert "--monte-carlo -1 must be a number of realizations, 1 or more (0: no Monte Carlo)" in err_text, err_text
    err_text = _cli_error(capsys, ["claims", "--monte-carlo", "2", "--seed", "-1"])
    assert "--seed -1 must be a whole number from 0 to 9,223,372,036,854,775,807" in err_text, err_text
