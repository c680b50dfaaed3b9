"""Input checks shared by the settlement readers: the file exists, numbers parse, coordinates are valid."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from wakhan.errors import DataError


def _check_file(path) -> Path:
    path = Path(path)
    if not path.is_file():
        raise DataError(f"settlement file {path} not found; check the path")
    if path.stat().st_size == 0:  # before a parser calls it 'not valid GeoJSON' or finds no columns
        raise DataError(
            f"settlement file {path} is an empty file (0 bytes); give a file holding the settlements (check "
            "the path, or download or export it again)"
        )
    return path


def _keep_valid(path: Path, lon, lat, *columns):
    """Keep the rows with valid coordinates.

    Returns ``(lon, lat, columns, dropped)``: float arrays, each extra column as
    a tuple of its kept values, and the number of rows dropped. Raises
    :class:`DataError` when no row has valid coordinates.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    ok = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    if not ok.any():
        raise DataError(f"settlement file {path} has no rows with valid coordinates; check its lat/lon values")
    kept = [tuple(v for v, k in zip(col, ok) if k) for col in columns]
    return lon[ok], lat[ok], kept, int((~ok).sum())


def _float(text) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        return float("nan")


def _coord(text, path, line: int, column: str) -> float:
    """A coordinate cell: NaN when empty (the row is dropped and counted), else a number.

    Raises
    ------
    DataError
        Text that is not a number, naming the file, the line and the column.

    Examples
    --------
    >>> _coord(" 37.5 ", "p.csv", 2, "lat"), str(_coord("", "p.csv", 2, "lat"))
    (37.5, 'nan')
    >>> _coord("3T.5", "p.csv", 4, "lat")
    Traceback (most recent call last):
    ...
    wakhan.errors.DataError: settlement file p.csv line 4: lat '3T.5' is not a number; correct or delete that row
    """
    raw = "" if text is None else str(text).strip()
    if not raw:
        return float("nan")
    try:
        return float(raw)
    except ValueError:
        raise DataError(
            f"settlement file {path} line {line}: {column} {raw[:40]!r} is not a number; correct or delete that row"
        ) from None
