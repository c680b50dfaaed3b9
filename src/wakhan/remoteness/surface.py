"""Walking time from every cell to its nearest settlement: one multi-source search on the reversed graph.

The accessibility surface of Weiss et al. (2018, *Nature* 553:333; 2020, *Nature
Medicine* 26:1835, walking-only access) and Nelson et al. (2019, *Sci. Data* 6:266):
for every cell, the least travel time to the nearest destination. Here the
destinations are settlements and the traveller walks (Tobler's hiking function,
:class:`wakhan.cost.WalkingModel`). Walking time is anisotropic (a climb is slower
than the descent), so the search runs on the *reversed* graph: the time it gives
a cell is the time of walking from that cell to the settlement, not from the
settlement out to the cell. All settlements are sources of ONE search, so the cost
does not grow with their number; :func:`wakhan.solve.source_index` then names, per
cell, the settlement its least-time path ends at (the catchment).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from wakhan.borders import country_mask
from wakhan.cost import WalkingModel, get_model
from wakhan.cost.walking import calibrated_terrain_factor
from wakhan.dem import build_dem
from wakhan.dem.project import check_bbox, lonlat_to_xy
from wakhan.dem.water import water_mask
from wakhan.errors import InputError
from wakhan.grid import Grid
from wakhan.gridio import as_grid
from wakhan.remoteness.margin import widened
from wakhan.settlements import DEFAULT_SETTLEMENT_SPECS, Settlements, combine, read_settlements
from wakhan.solve import Accumulation, accumulate, source_index

__all__ = ["CatchmentEntry", "Remoteness", "remoteness", "DEFAULT_NEIGHBOURS", "CATCHMENT_NODATA"]

#: Moves of the search (the route planner's default).
DEFAULT_NEIGHBOURS = 16
#: Catchment value of cells that reach no settlement (ids start at 1).
CATCHMENT_NODATA = 0
#: Margin (degrees, about 90-110 km) around a box in which settlements count and walks may run, cut to
#: what the elevation source holds (the pack's region, the box's own SRTM tiles, a raster's extent): a
#: cell near the box's edge may be nearest to a settlement just outside it (as the claims' corridor
#: margin, ``wakhan.claims.corridor_remoteness.MARGIN_DEG``).
SEARCH_MARGIN_DEG = 1.0


@dataclass(frozen=True)
class CatchmentEntry:
    """One settlement cell of the catchment raster's lookup table.

    ``id`` is the raster value; ``name`` the first settlement in the cell
    (``count`` settlements fell in it, all named in ``names``); ``lon, lat``
    that settlement's own position (degrees).
    """

    id: int
    name: str
    lon: float
    lat: float
    count: int
    names: tuple[str, ...]
    source: str

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "lon": round(self.lon, 6),
            "lat": round(self.lat, 6),
            "count": self.count,
            "names": "; ".join(self.names),
            "source": self.source,
        }


@dataclass(frozen=True)
class Remoteness:
    """The remoteness surface, its catchments and what they were computed from.

    Attributes
    ----------
    hours : Grid
        float32 walking hours from each cell to its nearest settlement; NaN (nodata)
        outside the area, where the DEM has no data, and where no settlement can be reached.
    catchment : Grid
        int32 id of that settlement (see ``table``); 0 (the Grid's nodata) where none.
    table : tuple of CatchmentEntry
        The lookup of catchment ids, ``table[i].id == i + 1``.
    area : numpy.ndarray
        bool, the cells analysed: DEM data, inside the box and the chosen countries.
    accumulation : wakhan.solve.Accumulation
        The reverse search (seconds), for tracing a cell's path to its settlement.
    settlements : Settlements
        The settlements used (inside the area).
    dropped : int
        Settlements of the sources left out: outside the searched area, the countries or the DEM.
    offset : (int, int)
        Row and column of ``hours``' first cell on the search's grid (``accumulation.grid``), which
        reaches ``SEARCH_MARGIN_DEG`` beyond a box (cut to the data); (0, 0) when they are one grid.
    reach : str
        How far beyond the box the search reached, or why it stayed inside it ("" without a box).
    """

    hours: Grid
    catchment: Grid
    table: tuple[CatchmentEntry, ...]
    area: np.ndarray = field(repr=False)
    accumulation: Accumulation = field(repr=False)
    settlements: Settlements = field(repr=False)
    model: Any = None
    neighbours: int = DEFAULT_NEIGHBOURS
    within: tuple[str, ...] = ()
    dropped: int = 0
    offset: tuple[int, int] = (0, 0)
    reach: str = ""

    @property
    def dem(self) -> Grid:
        """The metric DEM the search ran on (with its margin: ``offset`` places ``hours`` on it)."""
        return self.accumulation.grid

    def entry(self, catchment_id: int) -> CatchmentEntry:
        """The lookup entry of a catchment id (1-based)."""
        return self.table[int(catchment_id) - 1]


def _settlement_set(settlements) -> Settlements:
    """One Settlements set from a set, a spec string, or a sequence of either (combined)."""
    if isinstance(settlements, (Settlements, str)):
        settlements = [settlements]
    sets = [s if isinstance(s, Settlements) else read_settlements(s) for s in settlements]
    if not sets:
        raise InputError("no settlement source was given; pass one, e.g. 'ghs' or wof:PATH")
    for s in sets:
        if len(s) == 0:
            raise InputError(f"the settlement source {s.name!r} holds no settlement; choose another source")
    return combine(*sets) if len(sets) > 1 else sets[0]


def _walking_model(model):
    """A model named by string walks at the trek-calibrated speed, as ``plan_route(model="walking")``,
    ``wakhan remoteness`` and the claims do; a model object walks as it is (``WalkingModel()``: Tobler x 1)."""
    m = get_model(model) if isinstance(model, str) else model
    if getattr(m, "cost_unit", None) != "s":
        name = getattr(m, "name", model)
        raise InputError(f"remoteness is measured in walking time, not with the {name} model; use --model walking")
    if isinstance(model, str) and isinstance(m, WalkingModel):
        m = m.with_overrides(terrain_factor=calibrated_terrain_factor(m.altitude_loss_per_km))
    return m


def _codes(codes) -> tuple[str, ...]:
    if codes is None:
        return ()
    if isinstance(codes, str):
        codes = codes.split(",")
    return tuple(c.strip().upper() for c in codes if c.strip())


def _dem_for(dem, bbox):
    """The metric DEM: a Grid (or DataArray) as given, else built over ``bbox`` from the source."""
    dem = as_grid(dem)
    if isinstance(dem, Grid):
        return dem
    if bbox is None:
        if dem != "pack":
            raise InputError(f"give the area as a box (--bbox W S E N) to build a DEM from {dem}")
        from wakhan.sources.pack import manifest  # lazy: only the pack's default box needs it

        bbox = tuple(manifest()["region_bounds"])
    return build_dem(check_bbox(bbox), source=dem)


def remoteness(
    settlements=DEFAULT_SETTLEMENT_SPECS,
    *,
    dem="pack",
    bbox=None,
    within=None,
    model="walking",
    neighbours: int = DEFAULT_NEIGHBOURS,
    cross_water: bool = False,
    margin_deg: float = SEARCH_MARGIN_DEG,
) -> Remoteness:
    """Walking hours from every cell to the nearest settlement, and which settlement that is.

    Parameters
    ----------
    settlements : Settlements, spec str, or a sequence of them
        Destinations (see :func:`wakhan.settlements.read_settlements`); several are combined.
    dem : "pack", "tiles", a raster path, a Grid or a rioxarray DataArray
        Elevation (m). A Grid is used as it is (``bbox`` ignored); otherwise a metric
        DEM is built over ``bbox`` (default for the pack: the whole pack, 67.5-77°E,
        33.5-40.5°N, at its 464 m route resolution).
    bbox : (west, south, east, north), degrees, optional
    within : str or sequence of ISO alpha-2 codes, optional
        Stay inside these countries (walkers and settlements); default: all land.
    model : "walking" or a WalkingModel
        The walking model (seconds); travel time is from the cell to the settlement. ``"walking"``
        walks at the speed factor calibrated on published treks (0.616 of Tobler's, as
        ``wakhan remoteness`` and the claims); a ``WalkingModel`` walks as given (``WalkingModel()``:
        Tobler's function as published).
    neighbours : {8, 16, 32}
    cross_water : bool
        Walk across lakes. By default water cells (:func:`wakhan.dem.water.water_mask`, as for
        routes) are impassable and get no hours, except a settlement's own cell.
    margin_deg : float
        With ``bbox``, the search runs this far beyond the box, cut to what the source holds (the pack's
        region, the SRTM tiles the box needs, a raster file's extent), so a cell near the box's edge
        walks to a settlement just outside it; the results cover the box. A Grid is searched alone
        (``Remoteness.reach`` says so).

    Returns
    -------
    Remoteness

    Raises
    ------
    InputError
        No settlement inside the area, an empty source, a model that is not walking.

    Examples
    --------
    A flat 1 x 5 row of 1 km cells, settlements at both ends, Tobler's 5.04 km/h on the flat
    (``WalkingModel()``; the default ``"walking"`` takes 1 / 0.616 times as long):

    >>> import numpy as np
    >>> from wakhan.grid import Grid, DataSource
    >>> from affine import Affine
    >>> g = Grid(np.zeros((1, 5), np.float32), Affine(1000, 0, 0, 0, -1000, 0), "EPSG:32643")
    >>> from wakhan.dem.project import xy_to_lonlat
    >>> lon, lat = xy_to_lonlat(g.crs, [500.0, 4500.0], [-500.0, -500.0])
    >>> s = Settlements(lon, lat, ("west", "east"), DataSource("test"))
    >>> from wakhan.cost import WalkingModel
    >>> r = remoteness(s, dem=g, neighbours=8, model=WalkingModel())
    >>> [round(h * 5.0355, 2) for h in r.hours.array[0].tolist()]
    [0.0, 1.0, 2.0, 1.0, 0.0]
    >>> round(float(remoteness(s, dem=g, neighbours=8).hours.array[0, 1]) * 5.0355 * 0.616, 2)
    1.0
    >>> r.catchment.array[0, [0, 1, 3, 4]].tolist(), r.entry(2).name
    ([1, 1, 2, 2], 'east')
    """
    sett = _settlement_set(settlements)
    walk = _walking_model(model)
    countries = _codes(within)
    box_grid = _dem_for(dem, bbox)
    grid, (r0, c0), reach = widened(box_grid, dem, bbox, margin_deg)
    area = grid.valid_mask()
    if countries:
        area &= country_mask(grid, list(countries))
    dry_or_wet = area.copy()  # valid and in the countries, water or not
    water = None if cross_water else water_mask(grid)
    if water is not None:
        area &= ~water.mask

    x, y = lonlat_to_xy(grid.crs, sett.lon, sett.lat)
    rows, cols = grid.rowcol(np.asarray(x), np.asarray(y))
    rows, cols = np.asarray(rows, np.int64), np.asarray(cols, np.int64)
    inside = (rows >= 0) & (rows < grid.height) & (cols >= 0) & (cols < grid.width)
    on_water = np.zeros(inside.shape, dtype=bool)
    if water is not None:  # a settlement on a shore cell the mask calls water keeps its cell
        on_water[inside] = water.mask[rows[inside], cols[inside]]
        area[rows[on_water], cols[on_water]] = dry_or_wet[rows[on_water], cols[on_water]]
    inside[inside] &= area[rows[inside], cols[inside]]
    if not inside.any():
        where = f"the box {tuple(round(b, 4) for b in grid_bounds_lonlat(grid))}" + (
            f" within {'+'.join(countries)}" if countries else ""
        )
        raise InputError(
            f"no settlement of {sett.name} lies inside {where}; widen --bbox or --within, or choose another "
            f"--settlements source"
        )
    idx = np.flatnonzero(inside)
    flat = rows[idx] * grid.width + cols[idx]
    cells, first, inverse = np.unique(flat, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")  # ids follow the settlements' own order
    cells, first = cells[order], first[order]
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    groups: list[list[int]] = [[] for _ in range(cells.size)]
    for k, g_id in zip(idx, rank[inverse.ravel()]):
        groups[g_id].append(int(k))
    table = tuple(
        CatchmentEntry(
            i + 1,
            sett.names[grp[0]] or f"settlement {grp[0]}",
            float(sett.lon[grp[0]]),
            float(sett.lat[grp[0]]),
            len(grp),
            tuple(sett.names[k] for k in grp),
            sett.name,
        )
        for i, grp in enumerate(groups)
    )

    sources_rc = np.stack(np.divmod(cells, grid.width), axis=1)
    acc = accumulate(grid, walk, sources_rc, neighbours=neighbours, barrier=~area, reverse=True)
    hours = (acc.cost / 3600.0).astype(np.float32)
    hours[~np.isfinite(hours) | ~area] = np.nan
    label = source_index(acc)
    catch = np.where(label >= 0, label + 1, CATCHMENT_NODATA).astype(np.int32)
    scope = f"settlements: {sett.name}" + (f"; within {'+'.join(countries)}" if countries else "")
    if water is not None:
        scope += f"; {water.describe(grid)}"
    if reach:
        scope += f"; {reach}"
    crop = (slice(r0, r0 + box_grid.height), slice(c0, c0 + box_grid.width))
    hours, catch, area = hours[crop], catch[crop], area[crop]
    hours_grid = box_grid.with_array(
        hours,
        nodata=None,
        sources=grid.sources + (sett.source,),
        notes=grid.notes
        + (
            f"walking hours to the nearest settlement ({walk.describe()}; reverse search, "
            f"{neighbours} neighbours; {scope})",
        ),
    )
    catch_grid = box_grid.with_array(
        catch,
        nodata=CATCHMENT_NODATA,
        sources=grid.sources + (sett.source,),
        notes=grid.notes + (f"catchment: id of the settlement each cell walks to fastest ({scope})",),
    )
    used = sett.subset(inside)
    return Remoteness(
        hours_grid,
        catch_grid,
        table,
        area,
        acc,
        used,
        walk,
        neighbours,
        countries,
        int(len(sett) - inside.sum()),
        (r0, c0),
        reach,
    )


def grid_bounds_lonlat(grid: Grid) -> tuple[float, float, float, float]:
    """``(west, south, east, north)`` in degrees of a grid's corners."""
    from wakhan.dem.project import xy_to_lonlat  # lazy: only error messages and summaries need it

    w, s, e, n = grid.bounds
    lon, lat = xy_to_lonlat(grid.crs, [w, e, w, e], [s, s, n, n])
    return float(min(lon)), float(min(lat)), float(max(lon)), float(max(lat))
