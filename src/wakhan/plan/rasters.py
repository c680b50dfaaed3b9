"""Rasters a GIS user can open: accumulated cost from places, the near-optimal corridor between two.

These wrap :func:`wakhan.solve.accumulate` and :func:`wakhan.solve.corridor` with
what :func:`wakhan.plan.plan_route` does for a route: resolve place names,
build the metric DEM around them, confine to / keep out of countries, and
return georeferenced :class:`~wakhan.grid.Grid` objects ready for
:meth:`~wakhan.grid.Grid.to_geotiff` (the GRASS ``r.cost`` / ArcGIS *Cost
Distance* outputs).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from wakhan.dem.layers import read_raster
from wakhan.dem.warp import reproject_grid, warp_source
from wakhan.errors import DataError, InputError, RouteError, option
from wakhan.fileio import staged_files
from wakhan.grid import Grid
from wakhan.gridio import RASTER_ERRORS
from wakhan.plan.legs import leg_error
from wakhan.plan.options import DEFAULT_NEIGHBOURS, PlanOptions
from wakhan.plan.waypoints import resolve_waypoints, set_up
from wakhan.route.summary import Search
from wakhan.solve import accumulate, corridor
from wakhan.solve.api import check_threads, check_within_pct
from wakhan.writable import check_writable

__all__ = ["accumulation_grid", "corridor_grid", "write_route_rasters", "grid_of", "onto_grid_of"]


def grid_of(path: str | os.PathLike):
    """``(crs, transform, shape)`` of a raster file: the grid ``--like FILE`` writes on.

    Raises
    ------
    InputError
        No such file.
    DataError
        Not a raster GDAL reads, or one with no CRS.

    Examples
    --------
    >>> grid_of("no-such.tif")
    Traceback (most recent call last):
    ...
    wakhan.errors.InputError: grid file no-such.tif does not exist; check the path given to --like or --dem, or like or dem in Python
    """
    import rasterio  # lazy: GDAL, only for these commands

    path = Path(path)
    if path.is_dir():
        raise InputError(
            f"grid file {path} is a folder, not a raster; give {option('--like', 'like', subject=True)} a raster file such as a GeoTIFF"
        )
    if not path.is_file():
        raise InputError(
            f"grid file {path} does not exist; check the path given to {option('--like or --dem', 'like or dem')}"
        )
    if path.name.lower().endswith((".hgt", ".hgt.zip", ".hgt.gz", ".zip", ".gz")):  # SRTM tiles, as --dem reads them
        tile = read_raster(path)
        return tile.crs, tile.transform, tile.shape
    try:
        with rasterio.open(path) as ds:
            crs, transform, shape = ds.crs, ds.transform, (ds.height, ds.width)
    except RASTER_ERRORS as exc:
        raise DataError(f"{path} is not a raster GDAL can read ({exc}); give a GeoTIFF or an SRTM tile") from None
    if crs is None:
        raise DataError(f"{path} has no coordinate reference system; give a georeferenced raster")
    return crs, transform, shape


def onto_grid_of(grid: Grid, path: str | os.PathLike, resampling: str = "bilinear") -> Grid:
    """``grid`` resampled onto the grid of raster file ``path`` (same CRS, transform and shape), NaN outside.

    Returned as it is when it already lies on that grid.

    Parameters
    ----------
    grid : Grid
    path : str or os.PathLike
        Any georeferenced raster (the input DEM, or a ``--like`` file).
    resampling : str
        A rasterio resampling name ("bilinear" for costs, "nearest" for a band's edges).

    Returns
    -------
    Grid

    Examples
    --------
    See ``tests/test_rasters.py`` (an SRTM tile in degrees as ``--dem``).
    """
    crs, transform, shape = grid_of(path)
    if grid.crs == crs and grid.transform.almost_equals(transform, precision=1e-9) and grid.shape == shape:
        return grid.with_array(grid.array, transform=transform)
    array = reproject_grid(grid, crs, transform, shape, resampling=resampling)
    note = f"resampled ({resampling}) onto the grid of {Path(path).name}"
    return replace(
        grid, array=array, crs=crs, transform=transform, nodata=None, notes=grid.notes + (note,), source_index=None
    )


def _file_sources(path: Path) -> tuple:
    """The data sources a GeoTIFF written by wakhan names in its tags (``wakhan dem build``), else none."""
    import rasterio  # lazy: GDAL, only for these commands

    from wakhan.gridio import sources_from_tags

    with rasterio.open(path) as ds:
        return tuple(sources_from_tags(ds.tags()))


def _dem_and_like(dem, like, resolution_m):
    """The DEM to solve on and the file whose grid the result is written on (None: the solver's own grid).

    A DEM file in metres with no ``--resolution`` is solved on as it is, so the
    result lies on its grid cell for cell (as GRASS ``r.cost`` and
    xarray-spatial do); any other DEM file is projected to metres for the
    search and the result resampled back onto the file's grid.
    """
    if isinstance(dem, (str, os.PathLike)) and not (isinstance(dem, str) and dem in ("pack", "tiles")):
        path = Path(dem)
        if path.is_file():
            like = path if like is None else like
            crs, _transform, _shape = grid_of(path)
            if resolution_m is None and crs.is_projected and (crs.linear_units or "").lower() in ("metre", "meter"):
                raw = read_raster(path)
                dem = replace(warp_source(raw), sources=_file_sources(path) + raw.sources, notes=raw.notes)
    return dem, like


def _options_on_dem(options: PlanOptions | None, like, option_values: dict) -> tuple[PlanOptions, object]:
    """The options with the DEM the search runs on (see :func:`_dem_and_like`), and the grid file to write on."""
    options = PlanOptions.of(options, **option_values)
    dem, like = _dem_and_like(options.dem, like, options.resolution_m)
    return (options if dem is options.dem else replace(options, dem=dem)), like


def accumulation_grid(
    places: Sequence,
    options: PlanOptions | None = None,
    *,
    like=None,
    threads: int = 2,
    **option_values,
) -> Grid:
    """Accumulated least cost from the nearest of ``places`` to every cell, as a Grid.

    Units: the model's cost unit (equivalent flat metres for the highway model,
    seconds for walking), stated in the grid's notes. Cells no route reaches
    (over the grade limit, outside the allowed countries) are NaN.

    Parameters
    ----------
    places : sequence of str or Place
        Sources: names, ``"LAT,LON"`` strings or Places.
    options : PlanOptions, optional
        As for :func:`wakhan.plan.plan_route` (the model, grade limit, move set,
        countries and DEM; the engineering options do not apply).
    like : str or os.PathLike, optional
        A raster file whose grid (CRS, transform, shape) the result is written
        on. A ``dem`` file is its own default: a DEM file in metres is solved
        on as it is; one in degrees is projected for the search and the costs
        resampled (bilinear) back onto it.
    threads : {1, 2}
        2 (default): the search on two threads where two are allowed and memory
        holds two copies (:func:`wakhan.solve.accumulate`); the costs, all this
        grid holds, are the same to the last bit as on one thread.
    **option_values
        Fields of :class:`PlanOptions` by keyword, replacing those of ``options``.

    Returns
    -------
    Grid

    Examples
    --------
    Flat ground at 2,000 m (a highway metre costs 1) on 200 m cells, from the
    centre of cell (10, 2): ten cells east cost 2,000 m; to the corner (0, 0),
    two knight moves (2 x 200 x sqrt 5) and six straight moves, 2,094.427 m.

    >>> from affine import Affine
    >>> dem = Grid(np.full((20, 20), 2000.0, np.float32), Affine(200.0, 0, 500_000, 0, -200.0, 4_100_000),
    ...            "EPSG:32643")
    >>> acc = accumulation_grid(["37.02729,75.00562"], dem=dem)
    >>> float(acc.array[10, 2]), float(acc.array[10, 12]), round(float(acc.array[0, 0]), 3)
    (0.0, 2000.0, 2094.427)
    """
    if not places:
        raise InputError("accumulate needs at least one place: give a name from `wakhan places` or LAT,LON")
    check_threads(threads)  # before any work, as accumulate() would after the set-up
    options, like = _options_on_dem(options, like, option_values)
    problem = set_up(places, options)
    cost_model, neighbours = problem.model, options.neighbours
    acc = accumulate(
        problem.grid, cost_model, problem.cells, neighbours=neighbours, barrier=problem.barrier, threads=threads
    )
    out = acc.cost_grid()
    note = (
        f"accumulated {cost_model.name} cost in {cost_model.cost_unit} from "
        f"{', '.join(p.name for p in problem.places)}; {cost_model.describe()}; {neighbours}-neighbour moves"
    )
    out = out.with_array(out.array, notes=out.notes + tuple(problem.notes) + (note,))
    return out if like is None else onto_grid_of(out, like, "bilinear")


def corridor_grid(
    start,
    end,
    options: PlanOptions | None = None,
    *,
    within_pct: float = 5.0,
    like=None,
    **option_values,
) -> Grid:
    """The near-optimal band between two places: percent above the optimal cost, NaN outside the band.

    A cell's value is how much dearer (in % of the optimum) the best route from
    ``start`` to ``end`` through that cell is; cells costing more than
    ``within_pct`` % extra are NaN (nodata in the GeoTIFF).

    Parameters
    ----------
    start, end : str or Place
    within_pct : float
        Widest detour kept, percent above the optimal cost.
    options : PlanOptions, optional
        As for :func:`accumulation_grid`.
    like : str or os.PathLike, optional
        As for :func:`accumulation_grid` (the band is resampled nearest-neighbour).
    **option_values
        Fields of :class:`PlanOptions` by keyword, replacing those of ``options``.

    Returns
    -------
    Grid

    Examples
    --------
    On flat ground the straight row between the two places costs nothing extra,
    and a row 10 cells away is outside a 5 % band:

    >>> from affine import Affine
    >>> dem = Grid(np.full((20, 20), 2000.0, np.float32), Affine(200.0, 0, 500_000, 0, -200.0, 4_100_000),
    ...            "EPSG:32643")
    >>> band = corridor_grid("37.02729,75.00562", "37.02729,75.02811", dem=dem, within_pct=5)
    >>> band.array[10, 2:13].tolist(), bool(np.isnan(band.array[0]).all())
    ([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], True)
    """
    check_within_pct(within_pct, "--within-pct")  # before the DEM, as corridor() would after it
    options, like = _options_on_dem(options, like, option_values)
    problem = set_up(resolve_waypoints([start, end]), options)  # two different places, checked first
    places, cost_model, cells = problem.places, problem.model, problem.cells
    try:
        cor = corridor(
            problem.grid,
            cost_model,
            cells[0],
            cells[1],
            within_pct=within_pct,
            neighbours=options.neighbours,
            barrier=problem.barrier,
        )
    except RouteError as exc:  # restated like a route's leg: the limit that cuts it and the option to change
        err = leg_error(
            exc,
            problem.grid,
            cost_model,
            places[0],
            places[1],
            cells[0],
            cells[1],
            options.neighbours,
            problem.barrier,
            options.within,
            options.avoid,
            parts=problem.parts,
            via=False,
        )
        raise RouteError(f"no corridor: {err}", needs_grade_pct=err.needs_grade_pct) from None
    out = cor.excess_grid()
    note = (
        f"near-optimal corridor {places[0].name} to {places[1].name}: percent above the optimal "
        f"{cost_model.name} cost ({cor.optimum:,.0f} {cost_model.cost_unit}), cells within {within_pct:g} %"
    )
    out = out.with_array(out.array, notes=out.notes + tuple(problem.notes) + (note,))
    return out if like is None else onto_grid_of(out, like, "nearest")


def write_route_rasters(route, folder: str | os.PathLike, *, within_pct: float = 5.0) -> dict[str, Path]:
    """Write a planned route's DEM, accumulation (from its start) and corridor (leg by leg) as GeoTIFFs.

    Files: ``dem.tif`` (metric DEM, m), ``accumulation.tif`` (cost from the first
    waypoint), ``corridor.tif`` (percent above each leg's optimum, within
    ``within_pct``). Returns ``{name: path}``.

    Parameters
    ----------
    route : RouteResult
        A planned route (:func:`wakhan.plan.plan_route`), with its DEM and waypoints.
    folder : str or os.PathLike
        Created if needed.
    within_pct : float
        Width of the corridor, percent above the optimal cost.

    Returns
    -------
    dict
        ``{"dem", "accumulation", "corridor"}`` -> path of each GeoTIFF.

    Examples
    --------
    >>> import tempfile
    >>> from affine import Affine
    >>> from wakhan.plan import plan_route
    >>> dem = Grid(np.full((20, 20), 2000.0, np.float32), Affine(200.0, 0, 500_000, 0, -200.0, 4_100_000),
    ...            "EPSG:32643")
    >>> route = plan_route(["37.02729,75.00562", "37.02729,75.02811"], dem=dem, places=None)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     files = write_route_rasters(route, folder)
    ...     names = sorted(p.name for p in files.values() if p.is_file())
    >>> names
    ['accumulation.tif', 'corridor.tif', 'dem.tif']
    """
    if route.dem is None or not route.waypoints:
        raise InputError("route rasters need a planned route (plan_route), not one read from a file")
    folder = check_writable(folder, folder=True)
    s = route.summary.search or Search()
    options = PlanOptions(
        model=route.model,
        neighbours=s.neighbours or DEFAULT_NEIGHBOURS,
        within=s.within or None,
        avoid=s.avoid or None,
        dem=route.dem,
    )
    acc = accumulation_grid([route.waypoints[0]], options)
    excess: np.ndarray | None = None
    for a, b in zip(route.waypoints[:-1], route.waypoints[1:]):
        leg = corridor_grid(a, b, options, within_pct=within_pct).array
        excess = leg if excess is None else np.fmin(excess, leg)
    assert excess is not None  # a planned route has two waypoints or more
    cor = route.dem.with_array(
        excess.astype(np.float32),
        nodata=None,
        notes=route.dem.notes
        + (
            f"near-optimal corridor of each leg of {route.name}, "
            f"percent above the leg's optimal cost, within {within_pct:g} %",
        ),
    )
    names = {"dem": "dem.tif", "accumulation": "accumulation.tif", "corridor": "corridor.tif"}
    with staged_files(folder, folder=True) as tmp:  # all three files or none
        route.dem.to_geotiff(tmp / names["dem"], description="elevation", units="m")
        acc.to_geotiff(
            tmp / names["accumulation"],
            description=f"accumulated cost from {route.waypoints[0].name}",
            units=route.model.cost_unit,
        )
        cor.to_geotiff(tmp / names["corridor"], description="percent above the optimal cost", units="%")
    return {k: folder / v for k, v in names.items()}
