"""GHS-WUP DEGURBA class raster -> settlement points at the centres of populated cells."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import rasterio

from wakhan.errors import DataError, InputError
from wakhan.grid import DataSource
from wakhan.settlements._common import _check_file
from wakhan.settlements.model import Settlements
from wakhan.sources import pack

__all__ = ["GHS_DEFAULT_MIN_CLASS", "read_ghs"]

#: Default minimum GHS DEGURBA class: 12 = low-density rural cells (>= ~50 people per km2)
#: and everything denser. Class 11 (very low density) also covers empty land, so it is never used.
GHS_DEFAULT_MIN_CLASS = 12
_GHS_LABELS = {
    11: "very low density rural",
    12: "low density rural",
    13: "rural cluster",
    21: "suburban or peri-urban",
    22: "semi-dense urban cluster",
    23: "dense urban cluster",
    30: "urban centre",
}


#: Every value a GHS-WUP DEGURBA class raster holds: 0 no data, 10 water, then the classes above
_GHS_CODES = (0, 10, *_GHS_LABELS)


def _check_class_codes(path, classes: np.ndarray, nodata) -> None:
    """Refuse a raster whose values are not DEGURBA codes (an elevation tile would make every cell >= 12 m a settlement)."""
    values = classes if nodata is None else classes[classes != nodata]
    stray = np.setdiff1d(np.unique(values), _GHS_CODES)
    if stray.size:
        raise InputError(
            f"settlement raster {path} holds values that are not GHS-WUP DEGURBA class codes (e.g. {int(stray[0])}; "
            "the codes are 0, 10-13, 21-23, 30), so it is not a settlement class map (an elevation raster?); "
            "give a GHS-WUP class GeoTIFF or a CSV/GeoJSON of points"
        )


def read_ghs(min_class: int = GHS_DEFAULT_MIN_CLASS, path=None) -> Settlements:
    """Settlement points at the centres of GHS-WUP DEGURBA cells of class >= ``min_class``.

    Parameters
    ----------
    min_class : int
        12 (default) keeps low-density rural cells (roughly 50+ people per km2)
        and everything denser; 13 keeps only rural clusters (300+ per km2 and
        500+ people) and urban classes, and misses most Wakhan villages. Class 11
        covers empty land as well and is refused; 10 is water, 0 no data.
    path : path-like, optional
        A uint8 class GeoTIFF in a geographic CRS; default the region pack's
        ``ghs_degurba_2025.tif`` (:func:`wakhan.sources.pack.ghs_path`).
    """
    min_class = int(min_class)
    if min_class not in (12, 13, 21, 22, 23, 30):
        raise InputError(
            f"GHS minimum class {min_class} is not usable; give 12 (low-density rural and up), "
            "13 (rural clusters and up) or an urban class 21, 22, 23 or 30"
        )
    if path is None:
        path = pack.ghs_path()
        try:
            base = pack.source_of(Path(path).name)
        except DataError:
            base = None
    else:
        base = None
    path = _check_file(path)
    try:
        with rasterio.open(path) as ds:
            classes = ds.read(1)
            transform, crs, nodata = ds.transform, ds.crs, ds.nodata
    except Exception as exc:  # rasterio raises RasterioIOError and others
        raise DataError(
            f"settlement raster {path} cannot be read ({exc}); rebuild the region pack or pass a GHS class GeoTIFF"
        ) from None
    if crs is None or not crs.is_geographic:
        raise DataError(
            f"settlement raster {path} is not in geographic (lon/lat) coordinates; reproject it to EPSG:4326"
        )
    if not np.issubdtype(classes.dtype, np.integer):
        raise DataError(
            f"settlement raster {path} holds {classes.dtype} values, not DEGURBA class codes; "
            "pass a GHS-WUP class GeoTIFF"
        )
    _check_class_codes(path, classes, nodata)
    rows, cols = np.nonzero(classes >= min_class)
    xs = transform.c + (cols + 0.5) * transform.a + (rows + 0.5) * transform.b
    ys = transform.f + (cols + 0.5) * transform.d + (rows + 0.5) * transform.e
    vals = classes[rows, cols]
    names = tuple(
        f"GHS {_GHS_LABELS.get(int(v), f'class {int(v)}')} cell at {y:.2f}N {x:.2f}E"
        for v, x, y in zip(vals.tolist(), xs.tolist(), ys.tolist())
    )
    src = base or DataSource(
        name="GHS-WUP DEGURBA classes",
        resolution="1 km classes",
        licence="CC BY 4.0 (European Commission, JRC)",
        origin=str(path),
    )
    src = DataSource(
        name=f"{src.name}, class >= {min_class}",
        resolution=src.resolution,
        licence=src.licence,
        origin=src.origin or str(path),
    )
    cell_km = abs(transform.a) * 111.32
    west, north = transform.c, transform.f
    east, south = west + classes.shape[1] * transform.a, north + classes.shape[0] * transform.e
    coverage = (
        f"all countries within {south:.1f}-{north:.1f}N, {west:.1f}-{east:.1f}E, China included; 1 km classes sampled every {abs(transform.a):g} degree (~{cell_km:.1f} km), "
        f"cells of class {min_class} and above; misses hamlets and yurt camps below its thresholds"
    )
    notes = (f"{len(vals)} of {classes.size} cells have class >= {min_class}",)
    return Settlements(xs, ys, names, src, coverage, notes)
