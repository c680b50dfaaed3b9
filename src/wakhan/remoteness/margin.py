"""How far beyond a box a remoteness search may reach: the box widened by a margin, cut to the data.

A cell near a box's edge may be nearest to a settlement just outside it, so the search runs
``margin_deg`` beyond the box (:data:`wakhan.remoteness.surface.SEARCH_MARGIN_DEG`) on the same
lattice, as far as the elevation source holds data without fetching more: the region pack's
region, the SRTM tiles the box itself needs, a raster file's extent. A grid passed in is
searched alone, and the search says so.
"""

from __future__ import annotations

import os
from pathlib import Path

from wakhan.dem import build_dem
from wakhan.dem.project import check_bbox, lattice_offset
from wakhan.grid import Grid

__all__ = ["coverage", "widened"]


def coverage(dem, bbox) -> tuple[tuple[float, float, float, float] | None, str]:
    """``(west, south, east, north)`` (degrees) the elevation source holds around ``bbox`` without new data,
    and what that is; ``None`` and why the search cannot reach beyond the box.

    The pack: its region. SRTM tiles: the tiles the box itself needs (no tile is fetched for the margin).
    A raster file: its extent. A grid passed in: nothing beyond it.

    Examples
    --------
    >>> coverage("pack", (72.0, 36.0, 73.0, 37.0))
    ((67.5, 33.5, 77.0, 40.5), 'the region pack')
    >>> coverage("tiles", (8.2, 46.5, 9.5, 46.9))  # N46E008 and N46E009
    ((8, 46, 10.0, 47.0), 'the SRTM tiles the box needs')
    """
    if isinstance(dem, str) and dem == "pack":
        from wakhan.sources.pack import region_bounds  # lazy: only a box on the pack needs it

        return region_bounds(), "the region pack"
    if not isinstance(dem, (str, os.PathLike)):
        return None, "the DEM was passed in as a grid, so the search ran on it alone"
    if dem == "tiles" or Path(dem).is_dir():
        from wakhan.sources.srtm import parse_tile_name, tiles_for_bbox  # lazy: only a box on tiles needs it

        corners = [parse_tile_name(name) for name in tiles_for_bbox(*bbox)]
        lats, lons = [c[0] for c in corners], [c[1] for c in corners]
        return (min(lons), min(lats), max(lons) + 1.0, max(lats) + 1.0), "the SRTM tiles the box needs"
    import rasterio  # lazy: only a box on a raster file needs it
    from rasterio.warp import transform_bounds

    try:
        with rasterio.open(dem) as ds:
            if ds.crs is None:
                return None, f"{Path(dem).name} has no CRS, so its extent beyond the box is not known"
            w, s, e, n = transform_bounds(ds.crs, "EPSG:4326", *ds.bounds)
    except rasterio.errors.RasterioIOError:
        return None, f"{dem} could not be opened to find its extent"
    return (float(w), float(s), float(e), float(n)), f"the extent of {Path(dem).name}"


def widened(grid: Grid, dem, bbox, margin_deg: float) -> tuple[Grid, tuple[int, int], str]:
    """The search's DEM: ``grid`` (built over ``bbox``) widened by ``margin_deg`` on its own lattice, cut to what
    the source holds (:func:`coverage`), the (row, col) of ``grid``'s first cell in it, and a sentence on how
    far the search reached; ``grid`` itself, (0, 0) and why not, otherwise."""
    if bbox is None or margin_deg <= 0:  # the whole source was searched, or the caller set its own margin
        return grid, (0, 0), ""
    w, s, e, n = check_bbox(bbox)
    bounds, what = coverage(dem, (w, s, e, n))
    if bounds is None:
        return grid, (0, 0), f"no search margin: {what}; a settlement just beyond its edge is not counted"
    rw, rs, re_, rn = bounds
    outer = (max(rw, w - margin_deg), max(rs, s - margin_deg), min(re_, e + margin_deg), min(rn, n + margin_deg))
    cut = "" if outer == (w - margin_deg, s - margin_deg, e + margin_deg, n + margin_deg) else f", cut to {what}"
    reach = f"settlements and walks up to {margin_deg:g} degrees beyond the box counted{cut}"
    if outer[0] >= w and outer[1] >= s and outer[2] <= e and outer[3] <= n:
        return grid, (0, 0), f"search confined to the box: {what} holds nothing beyond it"
    big = build_dem(outer, source=dem, resolution_m=grid.res[0], crs=grid.crs)
    rc = lattice_offset(grid, big)
    if rc is None:  # not on one lattice (the builder snaps every box to multiples of its cell, so not expected)
        return grid, (0, 0), "search confined to the box: the wider grid did not fall on the box's lattice"
    return big, rc, reach
