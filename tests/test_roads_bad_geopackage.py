"""``--roads`` naming a ``.gpkg`` that is no GeoPackage: one sentence on stderr, exit 2, nothing written.

Before, GDAL (through pyogrio) printed its own ``RuntimeWarning: GPKG: bad application_id ...`` and
the line of pyogrio's source under it, before wakhan's sentence, on a file with SQLite's header and
garbage after it. Run as a real process: there a warning reaches stderr (under pytest it is recorded).
"""

from __future__ import annotations

import os
import sqlite3
import warnings

import pyogrio.errors
import pyogrio.raw
import pytest
import shapely
from clirun import wakhan_run

from wakhan.plan.geopackage import SQLITE_HEADER, geopackage_problem


def _real_gpkg(path):
    line = shapely.LineString([(72.58075, 37.0007), (73.44652, 37.00231)])
    pyogrio.raw.write(
        path, shapely.to_wkb([line]), geometry_type="LineString", field_data=[], fields=[], crs="EPSG:4326"
    )
    return path


def _garbage(path):  # an HTML error page saved under the layer's name
    path.write_bytes(b"<html><body>404 Not Found</body></html>\n" * 20)


def _sqlite_header_then_garbage(path):  # what made GDAL warn "bad application_id"
    path.write_bytes(SQLITE_HEADER + os.urandom(8192))


def _truncated(path):
    whole = _real_gpkg(path.with_name("whole.gpkg")).read_bytes()
    path.write_bytes(whole[: len(whole) // 3])


def _plain_sqlite(path):
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE roads (name TEXT)")
    con.close()


BAD = {
    "garbage bytes": (_garbage, "not an SQLite database"),
    "SQLite header, garbage after": (_sqlite_header_then_garbage, "a damaged SQLite database"),
    "truncated": (_truncated, "a damaged SQLite database"),
    "SQLite without GeoPackage tables": (_plain_sqlite, "without a GeoPackage's gpkg_contents table"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_the_check_and_gdal_both_refuse_each(case, tmp_path):
    make, words = BAD[case]
    f = tmp_path / "roads.gpkg"
    make(f)
    problem = geopackage_problem(f)
    assert problem is not None and words in problem
    with warnings.catch_warnings():  # GDAL's warning, in the test's own thread: the refusal is the point
        warnings.simplefilter("ignore")
        with pytest.raises(pyogrio.errors.DataSourceError):  # the independent reader refuses it too
            pyogrio.raw.read(f)


def test_a_real_geopackage_passes(tmp_path):
    assert geopackage_problem(_real_gpkg(tmp_path / "roads.gpkg")) is None


@pytest.mark.parametrize(
    "command, case",
    [("claims", case) for case in BAD] + [("compare", "SQLite header, garbage after")],
)
def test_the_cli_prints_one_sentence_exits_2_and_writes_nothing(command, case, tmp_path):
    make, words = BAD[case]
    f = tmp_path / "roads.gpkg"
    make(f)
    out = tmp_path / "out"
    run = wakhan_run(command, "--roads", f, "-o", out)
    assert run.returncode == 2, run.stderr
    lines = [ln for ln in run.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, run.stderr
    assert f"{f} could not be read as a GeoPackage" in lines[0] and words in lines[0]
    assert "re-export it" in lines[0]
    assert not out.exists() and run.stdout == ""
