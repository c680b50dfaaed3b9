"""Grids in and out of the tools GIS users live in: GeoTIFF files and xarray DataArrays.

* :func:`write_geotiff` writes a :class:`~wakhan.grid.Grid` as a Cloud-Optimized
  GeoTIFF (GDAL's COG driver: tiled, overviews, DEFLATE-compressed) with its CRS,
  transform, nodata value and provenance tags (data sources, notes, wakhan version),
  atomically (:mod:`wakhan.fileio`). NaN cells are written as the nodata value.
  A grid mosaicked from several sources also gets a second band, the per-cell
  source index (:data:`SOURCE_INDEX_BAND`), which :func:`source_index_of` reads back.
* :func:`grid_from_xarray` / :func:`grid_to_xarray` convert between a Grid and a
  rioxarray-georeferenced :class:`xarray.DataArray` (``da.rio.crs``,
  ``da.rio.transform()``, ``da.rio.nodata``); :func:`as_grid` accepts either
  wherever a DEM is expected.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import rasterio
import rasterio.errors

from wakhan.errors import InputError
from wakhan.fileio import atomic_path
from wakhan.grid import NO_SOURCE, DataSource, Grid

__all__ = ["write_geotiff", "grid_from_xarray", "grid_to_xarray", "as_grid", "is_dataarray"]

#: What rasterio raises when GDAL cannot open or read a raster (``RasterioIOError`` derives from
#: ``RasterioError`` only from rasterio 1.4; 1.3.9 is the lowest version allowed).
RASTER_ERRORS = (rasterio.errors.RasterioError, rasterio.errors.RasterioIOError)

#: Nodata written for float rasters whose missing cells are NaN.
FLOAT_NODATA = -9999.0

#: Description of the second band of a GeoTIFF of a grid mosaicked from several sources: each
#: cell's position in the ``WAKHAN_SOURCES`` tag's list (``wakhan.grid.NO_SOURCE``: no source).
SOURCE_INDEX_BAND = "wakhan source index (position in the WAKHAN_SOURCES tag)"


def _version() -> str:
    from wakhan import __version__  # lazy: wakhan/__init__ may still be importing this module's importers

    return __version__


def _out_array(grid: Grid) -> tuple[np.ndarray, float | int | None]:
    """The array to write and its nodata value: NaN/inf become ``FLOAT_NODATA``; bools become uint8."""
    arr = grid.array
    if arr.dtype == bool:
        return arr.astype(np.uint8), None
    if np.issubdtype(arr.dtype, np.floating):
        out = arr.astype(np.float32 if arr.dtype.itemsize <= 4 else np.float64, copy=True)
        missing = ~np.isfinite(out)
        if grid.nodata is not None and np.isfinite(grid.nodata):
            missing |= out == grid.nodata
        out[missing] = FLOAT_NODATA
        return out, FLOAT_NODATA
    return arr, grid.nodata


def write_geotiff(
    grid: Grid, path: str | os.PathLike, *, description: str = "", units: str = "", tags: dict | None = None
) -> Path:
    """Write ``grid`` to ``path`` as a compressed Cloud-Optimized GeoTIFF; returns the path.

    Parameters
    ----------
    grid : Grid
    path : path ending in .tif or .tiff
        Written atomically: a failed write leaves no file.
    description : str
        Band description (shown by QGIS and ``gdalinfo``), e.g. ``"elevation"``.
    units : str
        Band unit, e.g. ``"m"`` or ``"s"``.
    tags : dict, optional
        Extra dataset tags (values turned into strings).

    Notes
    -----
    Float rasters are written with nodata ``-9999`` for NaN or infinite cells (an
    unreachable cell of an accumulated-cost raster), so every GIS reads the gaps
    as nodata. Tags ``WAKHAN_SOURCES`` (JSON list of the datasets) and
    ``WAKHAN_NOTES`` carry the provenance. A grid with a ``source_index`` and
    several sources gets it as band 2 (same data type as band 1, described
    :data:`SOURCE_INDEX_BAND`), so a DEM written by ``wakhan dem build`` and read
    back still says which source each cell came from.
    """

    path = Path(path)
    if path.suffix.lower() not in (".tif", ".tiff"):
        raise InputError(f"cannot write a GeoTIFF to {path}: use a file name ending in .tif")
    arr, nodata = _out_array(grid)
    index = grid.source_index if grid.source_index is not None and len(grid.sources) > 1 else None
    profile = {
        "driver": "COG",
        "width": grid.width,
        "height": grid.height,
        "count": 1 if index is None else 2,
        "dtype": arr.dtype.name,
        "crs": grid.crs,
        "transform": grid.transform,
        "compress": "DEFLATE",
        "predictor": "YES" if arr.dtype.kind in "iuf" else "NO",
        "blocksize": 256,
        "overview_resampling": "nearest" if arr.dtype.kind in "iub" else "average",
        "BIGTIFF": "IF_SAFER",
    }
    if nodata is not None:
        profile["nodata"] = nodata
    meta = {
        "TIFFTAG_SOFTWARE": f"wakhan {_version()}",
        "WAKHAN_SOURCES": json.dumps([s.as_dict() for s in grid.sources], ensure_ascii=False),
        "WAKHAN_NOTES": json.dumps(list(grid.notes), ensure_ascii=False),
        "WAKHAN_RESOLUTION": grid.describe_resolution(),
    }
    meta.update({str(k): str(v) for k, v in (tags or {}).items()})
    with atomic_path(path) as tmp:
        # The COG driver writes through a temporary GTiff; give it a plain name GDAL accepts.
        with rasterio.open(tmp, "w", **profile) as ds:
            ds.write(arr, 1)
            if index is not None:
                ds.write(index.astype(arr.dtype), 2)
                ds.set_band_description(2, SOURCE_INDEX_BAND)
            ds.update_tags(**meta)
            if description:
                ds.set_band_description(1, description)
            if units:
                ds.update_tags(1, UNITS=units)
                ds.units = (units,) if index is None else (units, "")
    return path


def sources_from_tags(tags: dict) -> tuple[DataSource, ...]:
    """The :class:`DataSource` list a wakhan GeoTIFF carries in its ``WAKHAN_SOURCES`` tag."""
    try:
        return tuple(DataSource(**d) for d in json.loads(tags.get("WAKHAN_SOURCES", "[]")))
    except (TypeError, ValueError):
        return ()


def source_index_of(ds, n_sources: int) -> np.ndarray | None:
    """The per-cell source index an open wakhan GeoTIFF carries in band 2, or None.

    Only a band described :data:`SOURCE_INDEX_BAND` counts, and only when every value
    names one of the ``n_sources`` datasets of the ``WAKHAN_SOURCES`` tag or no source
    (``wakhan.grid.NO_SOURCE``).
    """
    if ds.count < 2 or ds.descriptions[1] != SOURCE_INDEX_BAND:
        return None
    index = ds.read(2)
    valid = (index == NO_SOURCE) | ((index >= 0) & (index < n_sources))
    if not bool(valid.all()):
        return None
    return index.astype(np.uint8)


# -- xarray ---------------------------------------------------------------------
def is_dataarray(obj) -> bool:
    """True for an :class:`xarray.DataArray` (without importing xarray when it is absent)."""
    return type(obj).__name__ == "DataArray" and type(obj).__module__.startswith("xarray")


def grid_from_xarray(da, *, sources=(), notes=()) -> Grid:
    """A Grid from a 2-D rioxarray DataArray (``da.rio.crs`` and ``da.rio.transform()`` must be set).

    A leading band dimension of length 1 is dropped. Missing cells stay as they
    are marked: NaN, or ``da.rio.nodata`` (kept as the Grid's ``nodata``).
    """
    try:
        import rioxarray  # noqa: F401  (registers the .rio accessor; lazy: an optional extra)
    except ImportError:  # pragma: no cover - optional extra
        raise InputError("reading an xarray DEM needs rioxarray; install wakhan[xarray]") from None
    if da.ndim == 3 and da.shape[0] == 1:
        da = da[0]
    if da.ndim != 2:
        raise InputError(f"an xarray DEM must be 2-D (y, x), got dimensions {da.dims}; select one band")
    crs = da.rio.crs
    if crs is None:
        raise InputError("the xarray DEM has no CRS; set one with da.rio.write_crs('EPSG:...')")
    transform = da.rio.transform(recalc=True)
    nodata = da.rio.nodata
    if nodata is not None and np.isnan(nodata):
        nodata = None
    name = da.name or da.attrs.get("long_name") or "xarray DataArray"
    src = tuple(sources) or sources_from_tags(da.attrs) or (DataSource(str(name), "", "", "xarray"),)
    return Grid(np.asarray(da.values), transform, crs, nodata=nodata, sources=src, notes=tuple(notes))


def grid_to_xarray(grid: Grid, name: str = "elevation_m"):
    """A rioxarray-georeferenced DataArray (dims ``y, x``; cell-centre coordinates) holding ``grid``."""
    try:
        import rioxarray  # noqa: F401  (lazy: an optional extra)
        import xarray as xr
    except ImportError:  # pragma: no cover - optional extra
        raise InputError("Grid.to_xarray needs xarray and rioxarray; install wakhan[xarray]") from None
    x, _ = grid.xy(np.zeros(grid.width), np.arange(grid.width))
    _, y = grid.xy(np.arange(grid.height), np.zeros(grid.height))
    da = xr.DataArray(
        grid.array,
        dims=("y", "x"),
        coords={"y": y, "x": x},
        name=name,
        attrs={
            "WAKHAN_SOURCES": json.dumps([s.as_dict() for s in grid.sources]),
            "WAKHAN_RESOLUTION": grid.describe_resolution(),
        },
    )
    da = da.rio.write_crs(grid.crs).rio.write_transform(grid.transform)
    if grid.nodata is not None:
        da = da.rio.write_nodata(grid.nodata)
    elif np.issubdtype(grid.array.dtype, np.floating):
        da = da.rio.write_nodata(np.nan)
    return da


def as_grid(dem):
    """``dem`` as a Grid when it is an xarray DataArray; anything else is returned unchanged."""
    return grid_from_xarray(dem) if is_dataarray(dem) else dem
