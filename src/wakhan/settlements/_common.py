"""Input checks shared by the settlement readers: the file exists, numbers parse, coordinates are valid."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from wakhan.errors import DataError


def _check_file(path) -> Path:
    path = Path(path)
    if not path.is_file():
        raise DataError(f"settlement file {path} not found; check the path")
    return path


def _valid_coords(lon, lat, path: Path) -> np.ndarray:
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    ok = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    if not ok.any():
        raise DataError(f"settlement file {path} has no rows with valid coordinates; check its lat/lon values")
    return ok


def _float(text) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        return float("nan")
