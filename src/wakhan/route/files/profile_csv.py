"""A route's profile as CSV: one row per point, each naming the elevation data it came from.

Columns: ``distance_km, lat, lon, elevation_m`` (what :func:`wakhan.route.files.read_route` reads
back), then ``data_source`` and ``source_resolution`` (the dataset under the point and its native
resolution in words, e.g. ``15" (~460 m)``) and ``grid_cell_m`` (the cell of the metric grid the
elevation was sampled from, metres). Every row carries them, so that a spreadsheet, pandas or QGIS
reads the file as a plain table (no comment line before the header) and a row copied elsewhere
still says where its number came from.

The source of a point is that of its grid cell where the route's DEM records one per cell
(:attr:`wakhan.grid.Grid.source_index`, e.g. the region pack's GEBCO 15" and GLOBE 30"); else, for a
route read back from a file or a grid of one source, the summary's elevation ``data_sources`` (the
country borders left out; joined with " or " when there are several and the point's own is not known).
"""

from __future__ import annotations

import csv
import io

import numpy as np

from wakhan.grid import NO_SOURCE
from wakhan.route.absent import or_none
from wakhan.route.summary_fields import borders_source

__all__ = ["profile_csv_text", "PROFILE_CSV_COLUMNS"]

#: The profile CSV's header.
PROFILE_CSV_COLUMNS = (
    "distance_km",
    "lat",
    "lon",
    "elevation_m",
    "data_source",
    "source_resolution",
    "grid_cell_m",
)


def profile_csv_text(route) -> str:
    """The route's profile as CSV text, one row per point with its data source and resolution.

    Parameters
    ----------
    route : RouteResult
        Its ``profile``; its ``dem`` (per-cell sources) and summary (``data_sources``, ``grid``) where known.

    Returns
    -------
    str
        The header :data:`PROFILE_CSV_COLUMNS`, then one line per profile point; a value not known
        (no elevation, no source) is an empty field.

    Examples
    --------
    A profile built from coordinates alone has no data source: those fields are empty.

    >>> from wakhan.route import RouteResult, build_summary, profile_from_lonlat
    >>> p = profile_from_lonlat([71.0, 71.05], [37.0, 37.0], [3000.0, 3400.0])
    >>> route = RouteResult(build_summary(p, "example", places=None, country_at=None), p)
    >>> profile_csv_text(route).splitlines()
    ['distance_km,lat,lon,elevation_m,data_source,source_resolution,grid_cell_m', '0.0000,37.000000,71.000000,3000.0,,,', '4.4506,37.000000,71.050000,3400.0,,,']
    """
    p = route.profile
    names, resolutions = _point_sources(route)
    cell = _grid_cell_m(route)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(PROFILE_CSV_COLUMNS)
    for d, lat, lon, z, name, resolution in zip(p.distance_km, p.lat, p.lon, p.elevation_m, names, resolutions):
        w.writerow(
            [f"{d:.4f}", f"{lat:.6f}", f"{lon:.6f}", f"{z:.1f}" if np.isfinite(z) else "", name, resolution, cell]
        )
    return buf.getvalue()


def _point_sources(route) -> tuple[list[str], list[str]]:
    """Name and resolution of the source of each profile point ("" where none is known)."""
    p = route.profile
    n = len(p)
    dem = route.dem
    index = getattr(dem, "source_index", None)
    if dem is not None and index is not None and dem.sources and p.x is not None and p.y is not None:
        rows, cols = dem.rowcol(p.x, p.y)
        rows, cols = np.asarray(rows), np.asarray(cols)
        inside = (rows >= 0) & (rows < dem.height) & (cols >= 0) & (cols < dem.width)
        which = np.full(n, NO_SOURCE, dtype=np.int64)
        which[inside] = np.asarray(index[rows[inside], cols[inside]])
        known = [(s.name, s.resolution) for s in dem.sources]
        pairs = [known[i] if 0 <= i < len(known) and i != NO_SOURCE else ("", "") for i in which.tolist()]
        return [a for a, _ in pairs], [b for _, b in pairs]
    borders = borders_source()["name"]  # cited beside the elevation data when km by country were measured
    sources = [s for s in or_none(route.summary.provenance.data_sources) or [] if s.get("name") != borders]
    if not sources:
        sources = [{"name": s.name, "resolution": s.resolution} for s in getattr(dem, "sources", ())]
    name = " or ".join(str(s.get("name", "")) for s in sources)
    resolution = " or ".join(str(s.get("resolution", "")) for s in sources)
    return [name] * n, [resolution] * n


def _grid_cell_m(route) -> str:
    """The metric grid's cell (the larger side, metres) as text, "" when not known."""
    grid = or_none(route.summary.provenance.grid)
    size = grid.get("cell_size") if isinstance(grid, dict) else None
    if not size and route.dem is not None:
        size = [abs(float(v)) for v in route.dem.res]
    return f"{max(float(v) for v in size):g}" if size else ""
