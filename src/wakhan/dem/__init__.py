"""Digital elevation models: mosaicking, reprojection and building a metric DEM grid.

``build_dem`` / ``dem_around`` give the float32 metric grid (NaN = missing) that
the cost and solver stages use; ``elevation_at`` looks up one point;
``choose_crs`` picks UTM or an azimuthal equidistant projection for an area.
Voids are handled in :mod:`wakhan.dem.voids`.
"""

from wakhan.dem.build import build_dem, dem_around, elevation_at, read_raster
from wakhan.dem.project import choose_crs, lonlat_to_xy, xy_to_lonlat

__all__ = ["build_dem", "dem_around", "elevation_at", "read_raster", "choose_crs", "lonlat_to_xy", "xy_to_lonlat"]
