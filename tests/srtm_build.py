"""Built SRTM tiles for tests: heights from a known function of (lon, lat) at the cell centres.

Because the value of every cell is a function of its centre's coordinates,
neighbouring built tiles agree exactly on their shared edge lines, and any
half-cell shift, flip or duplicated row in a reader or mosaic shows up as a
mismatch against :func:`height_at`.
"""

from __future__ import annotations

import gzip
import io
import zipfile

import numpy as np


def height_at(lon, lat):
    """Heights in metres (float) of a smooth, asymmetric surface, well inside int16."""
    lon = np.asarray(lon, dtype=np.float64)
    lat = np.asarray(lat, dtype=np.float64)
    return (
        2000.0
        + 900.0 * np.sin(2.1 * lat) * np.cos(1.7 * lon)
        + 300.0 * (lat - np.floor(lat))
        - 200.0 * (lon - np.floor(lon))
        + 40.0 * np.sin(37.0 * lat + 23.0 * lon)
    )


def tile_heights(lat_south: int, lon_west: int, side: int) -> np.ndarray:
    """int16 heights of a ``side`` x ``side`` tile, row 0 at the north edge (lat_south + 1)."""
    step = 3600 // (side - 1)  # arc-seconds per cell
    r = np.arange(side)
    lat = ((lat_south + 1) * 3600 - r * step) / 3600.0
    lon = (lon_west * 3600 + r * step) / 3600.0
    return np.round(height_at(lon[None, :], lat[:, None])).astype(np.int16)


def hgt_bytes(heights: np.ndarray) -> bytes:
    """Raw ``.hgt`` bytes (big-endian int16) of a height array."""
    return np.asarray(heights, dtype=">i2").tobytes()


def gz_bytes(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=1)


def zip_bytes(data: bytes, member: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr(member, data)
    return buf.getvalue()
