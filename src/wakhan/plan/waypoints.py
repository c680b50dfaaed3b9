"""The planning problem's set-up: waypoints, their DEM cells, the grid around them (:func:`set_up`).

The cells a route may not enter (countries, a height ceiling) are :mod:`wakhan.plan.barriers`.

:func:`wakhan.plan.plan.plan_route` and the rasters of :mod:`wakhan.plan.rasters`
check their inputs here, each with one sentence naming the option to change.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import rasterio
from pyproj import Transformer
from rasterio.warp import transform_bounds

from wakhan.borders import country_at, known_codes
from wakhan.dem import dem_around
from wakhan.dem.layers import sources_in_words
from wakhan.dem.water import water_mask
from wakhan.errors import InputError
from wakhan.errors import option as _option
from wakhan.grid import Grid
from wakhan.gridio import as_grid
from wakhan.places import resolve
from wakhan.plan.barriers import country_barrier
from wakhan.plan.legs import BarrierParts
from wakhan.sources.pack import region_bounds

if TYPE_CHECKING:
    from wakhan.plan.options import PlanOptions

__all__ = [
    "parse_countries",
    "resolve_waypoints",
    "check_neighbours",
    "check_countries",
    "waypoint_cell",
    "waypoint_grid",
    "MAX_BUFFER_KM",
    "Problem",
    "set_up",
]

MAX_BUFFER_KM = 2000.0  # a wider margin than this is a typo, not a route study (and no DEM fits memory)


_SNAP_CELLS = 3


def _dem_option() -> str:
    """How a sentence asks for other elevation data: ``--dem tiles/PATH`` (the keyword too outside the CLI)."""
    return _option("--dem tiles/PATH", 'dem="tiles"/PATH', subject=True)


def parse_countries(codes, option: str = "--within") -> list[str] | None:
    """``"CN,AF"`` or ``["CN", "AF"]`` -> ``["CN", "AF"]`` (checked against the pack); None stays None.

    Parameters
    ----------
    codes : str, sequence of str or None
        ISO alpha-2 codes, comma-separated in a string; case and spaces are ignored.
    option : str
        The option named in the error message.

    Returns
    -------
    list of str or None
        Upper-case codes without repeats, in the order given.

    Raises
    ------
    InputError
        No codes, or a code the region pack's borders do not know.

    Examples
    --------
    >>> parse_countries(" cn, af,CN")
    ['CN', 'AF']
    >>> parse_countries(None) is None
    True
    """
    if codes is None:
        return None
    if isinstance(codes, str):
        codes = codes.split(",")
    out = [str(c).strip().upper() for c in codes if str(c).strip()]
    if not out:
        subject = f"{option}," if option.endswith(" in Python") else option  # a clause set off by commas
        raise InputError(f"{subject} got no country codes; give ISO alpha-2 codes such as CN,AF")
    known = known_codes()
    unknown = [c for c in out if c not in known]
    if unknown:
        raise InputError(f"{option}: unknown country code {unknown[0]!r}; the region pack knows {', '.join(known)}")
    return list(dict.fromkeys(out))


def resolve_waypoints(waypoints: Sequence) -> list:
    """Places for names, ``"LAT,LON"`` strings or Place objects (at least two).

    Parameters
    ----------
    waypoints : sequence of str, (lat, lon) or Place

    Returns
    -------
    list of Place

    Raises
    ------
    InputError
        Fewer than two waypoints, a single string, a name the gazetteer does not know, or
        the same point twice in a row.

    Examples
    --------
    >>> a, b = resolve_waypoints(["37.0,71.5", "37.1,71.6"])
    >>> (a.lat, a.lon), (b.lat, b.lon)
    ((37.0, 71.5), (37.1, 71.6))

    A (lat, lon) pair of numbers is read as ``"LAT,LON"``, latitude first:

    >>> [(p.lat, p.lon) for p in resolve_waypoints([(39.47, 75.99), "Tashkurgan"])]
    [(39.47, 75.99), (37.775, 75.227)]
    """
    if isinstance(waypoints, (str, bytes)):
        raise InputError(
            f"waypoints must be a list of places such as ['Kashgar', 'Kabul'], not the single string {waypoints!r}"
        )
    if not isinstance(waypoints, Iterable):
        raise InputError(f"waypoints must be a list of places such as ['Kashgar', 'Kabul'], not {waypoints!r}")
    waypoints = list(waypoints)
    if len(waypoints) < 2:
        raise InputError("a route needs at least two waypoints: give FROM and TO")
    places = [w if hasattr(w, "lon") and hasattr(w, "lat") else resolve(_as_text(w)) for w in waypoints]
    for a, b in zip(places, places[1:]):  # no DEM resolution can part a point from itself: say so before any work
        if (a.lat, a.lon) == (b.lat, b.lon):
            raise InputError(f"waypoint {a.name} is given twice in a row; drop one (a route joins two places)")
    return places


def _as_text(waypoint) -> str:
    """A waypoint as the gazetteer reads it: a (lat, lon) pair of numbers as ``"LAT,LON"``, anything else as text."""
    if isinstance(waypoint, (tuple, list)) and len(waypoint) == 2:
        if all(isinstance(v, (int, float, np.number)) and not isinstance(v, bool) for v in waypoint):
            return f"{float(waypoint[0])!r},{float(waypoint[1])!r}"
    return str(waypoint)


def check_neighbours(neighbours: int) -> None:
    """Raise :class:`InputError` unless ``neighbours`` is a move set the solver has (8, 16 or 32).

    Examples
    --------
    >>> check_neighbours(16)
    """
    if neighbours not in (8, 16, 32):
        raise InputError(
            f"{_option(f'--neighbours {neighbours}', f'neighbours={neighbours}', subject=True)} is not supported; use 8, 16 or 32"
        )


def _label(place) -> str:
    """A waypoint as a message names it: ``Kashgar (39.4704,75.9898)``; a LAT,LON point once, as given.

    Examples
    --------
    >>> from wakhan.places import resolve
    >>> _label(resolve("Kashgar")), _label(resolve("10,10"))
    ('Kashgar (39.4704,75.9898)', '10.00000,10.00000')
    """
    if getattr(place, "kind", None) == "point":
        return place.name
    return f"{place.name} ({place.lat:.4f},{place.lon:.4f})"


def check_countries(places, within, avoid) -> None:
    """Raise :class:`InputError` when a waypoint lies outside ``within`` or inside ``avoid``.

    Examples
    --------
    >>> from wakhan.places import resolve
    >>> check_countries([resolve("Kashgar")], ["CN"], None)
    >>> check_countries([resolve("Kashgar")], None, ["CN"])
    Traceback (most recent call last):
    ...
    wakhan.errors.InputError: waypoint Kashgar (39.4704,75.9898) lies in CN, which --avoid, or avoid in Python, excludes; drop CN from avoid or choose another waypoint
    """
    if not within and not avoid:
        return
    codes = country_at([p.lon for p in places], [p.lat for p in places])
    for p, code in zip(places, codes):
        where = f"in {code}" if code else "outside every country of the region pack"
        if within and code not in within:
            codes_given = ",".join(within)
            raise InputError(
                f"waypoint {_label(p)} lies {where}, outside "
                f"{_option(f'--within {codes_given}', f'within={codes_given!r}')}; "
                "add its country or choose another waypoint"
            )
        if avoid and code in avoid:
            raise InputError(
                f"waypoint {_label(p)} lies in {code}, which {_option('--avoid', 'avoid', subject=True)} "
                f"excludes; drop {code} from {_option('--avoid', 'avoid', again=True)} or choose another waypoint"
            )


def waypoint_cell(dem: Grid, place, barrier, notes: list[str], water=None) -> tuple[int, int]:
    """The DEM cell of a waypoint, moved to the nearest usable cell within a few cells if needed.

    A move is told in ``notes``; no usable cell within ``_SNAP_CELLS`` raises :class:`InputError`.
    ``water`` (boolean mask, optional) is the part of ``barrier`` that is water, so that a
    waypoint on a lake is told as such.

    Examples
    --------
    >>> from affine import Affine
    >>> from wakhan.places import Place
    >>> dem = Grid(np.zeros((3, 3), np.float32), Affine(1.0, 0, 0, 0, -1.0, 3), "EPSG:4326")
    >>> dem.array[1, 1] = np.nan
    >>> notes = []
    >>> waypoint_cell(dem, Place("P", (), 1.5, 1.5, "town", "", ""), None, notes), notes
    ((0, 1), ['waypoint P moved 1 m to the nearest cell allowed by the borders/data'])
    """
    x, y = Transformer.from_crs("EPSG:4326", dem.crs, always_xy=True).transform(place.lon, place.lat)
    r, c = (int(v) for v in dem.rowcol(x, y))
    src = sources_in_words(dem)
    if not (0 <= r < dem.height and 0 <= c < dem.width):
        raise InputError(
            f"waypoint {_label(place)} lies outside the elevation "
            f"data ({src}); choose a point inside the region or give "
            f"{_dem_option()} covering it"
        )
    usable = dem.valid_mask()
    if barrier is not None:
        usable &= ~barrier
    if usable[r, c]:
        return r, c
    r0, r1 = max(r - _SNAP_CELLS, 0), min(r + _SNAP_CELLS + 1, dem.height)
    c0, c1 = max(c - _SNAP_CELLS, 0), min(c + _SNAP_CELLS + 1, dem.width)
    rr, cc = np.nonzero(usable[r0:r1, c0:c1])
    if rr.size == 0:
        if not dem.valid_mask()[r, c]:
            raise InputError(
                f"waypoint {_label(place)} has no elevation data in "
                f"{src}; choose a point inside the data or give "
                f"{_dem_option()} covering it"
            )
        if water is not None and water[r, c]:
            raise InputError(
                f"waypoint {_label(place)} lies on a lake, more than "
                f"{_SNAP_CELLS} cells from its shore; choose a point on land or give "
                f"{_option('--cross-water', 'cross_water=True')}"
            )
        raise InputError(
            f"waypoint {_label(place)} lies in a country the "
            f"{_option('--within/--avoid options', 'within/avoid', subject=True)} exclude; change the options or the waypoint"
        )
    k = int(np.argmin((rr + r0 - r) ** 2 + (cc + c0 - c) ** 2))
    nr, nc = int(rr[k] + r0), int(cc[k] + c0)
    moved = math.hypot((nr - r) * dem.res[1], (nc - c) * dem.res[0])
    why = "out of the water" if water is not None and water[r, c] else "allowed by the borders/data"
    notes.append(f"waypoint {place.name} moved {moved:.0f} m to the nearest cell {why}")
    return nr, nc


def _raster_lonlat_bounds(path) -> tuple[float, float, float, float] | None:
    """A raster file's extent in longitude/latitude, or None when it cannot be told (the reader says why later)."""
    try:
        with rasterio.open(path) as ds:
            if ds.crs is None:
                return None
            return tuple(transform_bounds(ds.crs, "EPSG:4326", *ds.bounds, densify_pts=21))
    except Exception:  # noqa: BLE001 - missing or unreadable: read_raster names the file and the fault
        return None


def _check_inside(places, bounds, what: str) -> None:
    """Raise :class:`InputError` for the first waypoint outside ``bounds`` (W, S, E, N), saying so when LAT,LON looks swapped.

    Examples
    --------
    >>> from wakhan.places import resolve
    >>> _check_inside([resolve("46.7,8.6")], (8.0, 46.0, 9.0, 47.0), "N46E008.tif")
    >>> _check_inside([resolve("8.6,46.7")], (8.0, 46.0, 9.0, 47.0), "N46E008.tif")
    Traceback (most recent call last):
    ...
    wakhan.errors.InputError: waypoint 8.60000,46.70000 lies outside N46E008.tif (46-47N, 8-9E); \
it lies inside as 46.7,8.6: give points as LAT,LON (latitude first)
    """
    w, s, e, n = bounds
    for p in places:
        if w <= p.lon <= e and s <= p.lat <= n:
            continue
        where = f"{what} ({s:.4g}-{n:.4g}N, {w:.4g}-{e:.4g}E)"
        if w <= p.lat <= e and s <= p.lon <= n:
            raise InputError(
                f"waypoint {_label(p)} lies outside {where}; it lies inside as {p.lon:g},{p.lat:g}: "
                "give points as LAT,LON (latitude first)"
            )
        raise InputError(
            f"waypoint {_label(p)} lies outside {where}; choose a point inside it or give {_dem_option()} covering it"
        )


def waypoint_grid(places, dem, buffer_km: float, resolution_m=None, tiles_dir=None) -> Grid:
    """The metric DEM a route through ``places`` is solved on: ``dem`` itself, or built ``buffer_km`` around them.

    Parameters
    ----------
    places : sequence of Place
    dem : "pack", "tiles", a raster path, or a metric Grid or rioxarray DataArray
        A Grid (or DataArray) is used as it is; otherwise :func:`wakhan.dem.dem_around`
        builds one from that source.
    buffer_km, resolution_m, tiles_dir
        As for :func:`wakhan.dem.dem_around`.

    Raises
    ------
    InputError
        A waypoint outside the region pack (``dem="pack"``), a margin out of range,
        or a DEM in geographic degrees.

    Examples
    --------
    >>> from affine import Affine
    >>> from wakhan.places import Place
    >>> dem = Grid(np.zeros((2, 2), np.float32), Affine(200.0, 0, 500_000, 0, -200.0, 4_100_000), "EPSG:32643")
    >>> waypoint_grid([], dem, 50.0) is dem
    True
    >>> waypoint_grid([Place("Paris", (), 48.86, 2.35, "city", "FR", "")], "pack", 50.0)
    Traceback (most recent call last):
    ...
    wakhan.errors.InputError: waypoint Paris (48.8600,2.3500) lies outside the region pack's elevation data (...); choose a point inside it or give --dem tiles/PATH, or dem="tiles"/PATH in Python, covering it
    """
    if isinstance(dem, str) and dem == "pack":
        _check_inside(places, region_bounds(), "the region pack's elevation data")
    elif isinstance(dem, (str, os.PathLike)) and dem != "tiles":
        bounds = _raster_lonlat_bounds(dem)
        if bounds is not None:  # before any grid is sized: a point far off the file once asked for 26 GB
            _check_inside(places, bounds, f"the elevation data of {Path(dem).name}")
    dem = as_grid(dem)  # an xarray DataArray DEM is accepted like a Grid
    if isinstance(dem, Grid):
        grid = dem
    else:
        if not (isinstance(buffer_km, (int, float)) and 0 <= buffer_km <= MAX_BUFFER_KM):
            raise InputError(
                f"{_option(f'--buffer-km {buffer_km!r}', f'buffer_km={buffer_km!r}', subject=True)} must be a margin of 0 to "
                f"{MAX_BUFFER_KM:g} km around the waypoints; give one in that range, e.g. "
                f"{_option('--buffer-km 50', 'buffer_km=50')}"
            )
        grid = dem_around(
            [(p.lon, p.lat) for p in places],
            float(buffer_km),
            source=dem,
            resolution_m=resolution_m,
            tiles_dir=tiles_dir,
        )
    if grid.is_geographic:
        raise InputError("the DEM is in geographic degrees; give a metric (projected) Grid or let plan_route build it")
    return grid


@dataclass(frozen=True, eq=False)
class Problem:
    """A planning problem set up on its DEM: places, cost model, grid, country barrier, waypoint cells.

    Examples
    --------
    See :func:`set_up`.
    """

    places: list
    model: Any
    grid: Any
    barrier: np.ndarray | None
    cells: list
    notes: list[str]
    parts: BarrierParts  # the barrier's parts (lakes, countries), to name the one that cuts a leg


def set_up(places: Sequence, options: PlanOptions) -> Problem:
    """The problem :func:`plan_route` and the rasters of :mod:`wakhan.plan.rasters` solve.

    Resolves the places (names, ``"LAT,LON"`` strings or Places; one or more), checks
    them against ``options.within`` / ``options.avoid``, builds the DEM around them,
    rasterises the country barrier, adds the water cells of :func:`wakhan.dem.water.water_mask`
    to it unless ``options.cross_water`` (told in ``notes``) and finds each place's cell (moves
    are told in ``notes``).

    Examples
    --------
    >>> from affine import Affine
    >>> z = np.full((20, 20), 2000.0, np.float32)
    >>> dem = Grid(z, Affine(200.0, 0, 500_000, 0, -200.0, 4_100_000), "EPSG:32643")
    >>> from wakhan.plan.options import PlanOptions
    >>> p = set_up(["37.02729,75.00562"], PlanOptions(dem=dem))
    >>> p.cells, p.model.name, p.barrier is None
    ([(10, 2)], 'highway', True)
    """
    places = [p if hasattr(p, "lon") and hasattr(p, "lat") else resolve(str(p)) for p in places]
    within = list(options.within) if options.within else None
    avoid = list(options.avoid) if options.avoid else None
    check_countries(places, within, avoid)
    grid = waypoint_grid(places, options.dem, options.buffer_km, options.resolution_m, options.tiles_dir)
    barrier = countries = country_barrier(grid, within, avoid)
    notes: list[str] = []
    water = None
    if not options.cross_water:
        wm = water_mask(grid)
        if wm.n_cells:
            water = wm.mask
            barrier = water.copy() if barrier is None else barrier | water
        notes.append(wm.describe(grid))
    cells = [waypoint_cell(grid, p, barrier, notes, water) for p in places]
    parts = BarrierParts().with_parts(
        countries=None if countries is None else lambda: country_barrier(grid, within, avoid),
        water=None if water is None else lambda: water_mask(grid).mask,
    )
    return Problem(places, options.cost_model(), grid, barrier, cells, notes, parts)
