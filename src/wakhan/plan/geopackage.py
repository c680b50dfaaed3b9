"""A file named ``.gpkg`` checked with SQLite before GDAL opens it, so that a bad one is one sentence.

On a ``.gpkg`` that is no SQLite database, or one whose header is damaged, GDAL (through pyogrio)
first shows its own warning ("GPKG: bad application_id ...") on stderr, then fails. Silencing that
warning with :func:`warnings.catch_warnings` is not thread-safe (the filters are the whole
process's, and the claims' warm-up thread compiles meanwhile), so the file is read with Python's
:mod:`sqlite3` first, which says nothing: only its first page and its table names, not the whole file.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from wakhan.errors import InputError

__all__ = ["check_geopackage", "geopackage_problem"]

#: the first 16 bytes of every SQLite 3 database (https://www.sqlite.org/fileformat.html, 1.3)
SQLITE_HEADER = b"SQLite format 3\x00"


def geopackage_problem(path) -> str | None:
    """Why the ``.gpkg`` file at ``path`` is no GeoPackage GDAL can open; None when it may be one.

    Parameters
    ----------
    path : str or os.PathLike
        The file; any other extension, or a missing file, gives None (checked elsewhere).

    Returns
    -------
    str or None
        A clause for a one-sentence error ("not an SQLite database ..."), or None.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     bad = Path(folder) / "roads.gpkg"
    ...     _ = bad.write_bytes(b"<html>not found</html>")
    ...     print(geopackage_problem(bad))
    not an SQLite database (a GeoPackage is one; its first bytes are not SQLite's header)
    """
    p = Path(path)
    if p.suffix.lower() != ".gpkg" or not p.is_file():
        return None
    with open(p, "rb") as f:
        header = f.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        return "not an SQLite database (a GeoPackage is one; its first bytes are not SQLite's header)"
    try:
        con = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
        finally:
            con.close()
    except sqlite3.Error as exc:
        return f"a damaged SQLite database (SQLite: {exc})"
    if "gpkg_contents" not in tables:
        return "an SQLite database without a GeoPackage's gpkg_contents table"
    return None


def check_geopackage(path, label: str) -> None:
    """Refuse, in one sentence that starts with ``label``, a ``.gpkg`` file that is no GeoPackage.

    Run before GDAL opens the file, which would print its own warning before any error.

    Parameters
    ----------
    path : str or os.PathLike
        The file (any other extension passes).
    label : str
        How the sentence names the file, e.g. ``"--roads roads.gpkg"``.

    Raises
    ------
    InputError
        With :func:`geopackage_problem`'s reason and what to do.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     bad = Path(folder) / "roads.gpkg"
    ...     _ = bad.write_bytes(b"<html>not found</html>")
    ...     try:
    ...         check_geopackage(bad, "--roads roads.gpkg")
    ...     except InputError as exc:
    ...         print(exc)
    --roads roads.gpkg could not be read as a GeoPackage: it is not an SQLite database (a GeoPackage is one; \
its first bytes are not SQLite's header); re-export it (e.g. ogr2ogr -f GPKG roads.gpkg roads.shp) or give a \
GeoJSON or shapefile
    """
    problem = geopackage_problem(path)
    if problem:
        raise InputError(
            f"{label} could not be read as a GeoPackage: it is {problem}; re-export it "
            "(e.g. ogr2ogr -f GPKG roads.gpkg roads.shp) or give a GeoJSON or shapefile"
        )
