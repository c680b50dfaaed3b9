"""Isochrones of a remoteness surface as polygons: the area within N walking hours of a settlement.

Polygons are traced from the grid's cells (rasterio.features.shapes), so their
edges follow cell boundaries at the surface's resolution; they are returned in
lon/lat degrees (EPSG:4326) and written with pyogrio (GeoPackage, GeoJSON,
FlatGeobuf by extension).
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import shapely
from rasterio.features import shapes

from wakhan.errors import InputError
from wakhan.fileio import atomic_path
from wakhan.remoteness.surface import Remoteness

__all__ = ["check_thresholds", "isochrones", "write_isochrones", "DRIVERS"]

DRIVERS = {".gpkg": "GPKG", ".geojson": "GeoJSON", ".json": "GeoJSON", ".fgb": "FlatGeobuf"}


def check_thresholds(hours) -> tuple[float, ...]:
    """Thresholds as positive finite floats, sorted; an InputError naming a bad one.

    Examples
    --------
    >>> check_thresholds("24,8")
    (8.0, 24.0)
    """
    items = hours.split(",") if isinstance(hours, str) else list(hours)
    out = []
    for item in items:
        try:
            value = float(item)
        except (TypeError, ValueError):
            value = math.nan
        if not (math.isfinite(value) and value > 0):
            raise InputError(f"--hours {item!r} is not a positive number of hours; give e.g. --hours 8,24,48")
        out.append(value)
    if not out:
        raise InputError("--hours is empty; give positive numbers of hours, e.g. --hours 8,24,48")
    return tuple(sorted(set(out)))


def isochrones(r: Remoteness, hours=(8.0, 24.0, 48.0)) -> list[dict]:
    """One feature per threshold: the cells within ``h`` walking hours of a settlement.

    Returns dicts with ``hours``, ``area_km2``, ``share`` (of the analysed area)
    and ``geometry`` (shapely (multi)polygon, lon/lat degrees).
    """
    from pyproj import Transformer  # lazy: only isochrones reproject vectors

    grid = r.hours
    h = grid.array
    n_area = max(int(r.area.sum()), 1)
    dx, dy = grid.res
    to_ll = Transformer.from_crs(grid.crs, "EPSG:4326", always_xy=True)
    out = []
    for t in check_thresholds(hours):
        within = np.isfinite(h) & (h <= t)
        polys = [
            shapely.geometry.shape(geom)
            for geom, value in shapes(within.astype(np.uint8), mask=within, transform=grid.transform)
            if value == 1
        ]
        geom = shapely.union_all(polys) if polys else shapely.MultiPolygon()
        geom = shapely.transform(geom, lambda xy: np.column_stack(to_ll.transform(xy[:, 0], xy[:, 1])))
        count = int(within.sum())
        out.append(
            {
                "hours": t,
                "area_km2": round(count * dx * dy / 1e6, 1),
                "share": round(count / n_area, 4),
                "geometry": geom,
            }
        )
    return out


def check_vector_path(path) -> Path:
    """The isochrone file name, refused unless its extension names a format wakhan writes."""
    path = Path(path)
    if path.suffix.lower() not in DRIVERS:
        raise InputError(
            f"cannot tell the format of {path}: isochrones are written as {', '.join(DRIVERS)}; use one of these"
        )
    return path


def write_isochrones(path: str | os.PathLike, features: list[dict], *, tmp: str | os.PathLike | None = None) -> Path:
    """Write isochrone features (from :func:`isochrones`) as one polygon layer; atomically unless ``tmp`` is given.

    ``tmp``: write to this temporary path instead (the caller renames it).
    """
    from pyogrio.raw import write  # lazy: pyogrio (GDAL vector drivers), only for this output

    path = check_vector_path(path)
    driver = DRIVERS[path.suffix.lower()]
    geoms = np.array([shapely.to_wkb(shapely.MultiPolygon(_polygons(f["geometry"]))) for f in features], dtype=object)
    fields = ["hours", "area_km2", "share"]
    data = [np.array([float(f[k]) for f in features]) for k in fields]

    def _write(target):
        if Path(target).exists():
            Path(target).unlink()
        write(
            str(target),
            geoms,
            data,
            fields,
            layer="isochrones",
            driver=driver,
            geometry_type="MultiPolygon",
            crs="EPSG:4326",
            encoding="UTF-8",
        )

    if tmp is not None:
        _write(tmp)
        return path
    with atomic_path(path) as t:
        _write(t)
    return path


def _polygons(geom) -> list:
    if geom.is_empty:
        return []
    if isinstance(geom, shapely.Polygon):
        return [geom]
    return [g for g in getattr(geom, "geoms", []) if isinstance(g, shapely.Polygon)]
