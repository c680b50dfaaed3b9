"""Hydrological conditioning of coarse elevation sources: dams breached along the drainage network.

A coarse source (NOAA GLOBE 30", ~925 m, or any source coarser than the route grid)
cannot hold a gorge narrower than its cells: the valley floor takes the height of the
walls, and the river seems dammed: a route down the valley then climbs a false pass.

:func:`breach_dams` removes such dams by *breaching* (lowering), never by filling. A
priority flood from the grid's edges (Barnes, Lehman & Mulla 2014,
doi:10.1016/j.cageo.2013.04.024) reaches every depression over its lowest pour point; on
entering one, the path the flood came by is cut down to the depression's height until it
meets lower ground ("complete breaching", Lindsay 2016, doi:10.1002/hyp.10648). A cut is
kept only where the carved channel drains at least ``min_catchment_km2`` (D8 upstream area
from pyflwdir on the breached heights): big rivers through dams the coarse grid made, not
the small closed hollows every coarse grid has. Hillsides are never changed. The catchment
that decides a cut is counted over the whole source layer (:func:`condition_layer` runs on
the layer before the route's box is cut from it: the pack's GLOBE as a whole), so a river
entering the box from outside keeps its upstream area; beyond the source's data it is not
counted. The catchments of the route's own grid (bridges, floodplain, artefact passes) are
counted over the data around the box by :mod:`wakhan.dem.drainage`.

A real closed basin whose catchment passes the threshold would be cut open too (Lake
Karakul's, ~4,500 km2); the pack uses GLOBE only south of 36.32N, where no such basin lies
on a route, and GEBCO (the pack's finest source) is not conditioned at its own resolution.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numba
import numpy as np

from wakhan.dem.mosaic import Layer
from wakhan.dem.warp import native_spacing_m
from wakhan.grid import Grid
from wakhan.interrupt import run_interruptible

__all__ = [
    "BreachReport",
    "breach_dams",
    "condition_layer",
    "d8_network",
    "stream_points",
    "upstream_area_km2",
    "DEFAULT_MIN_CATCHMENT_KM2",
    "COARSE_FACTOR",
]

#: Streams draining at least this much are carved through dams (km2): a 1,000 km2 valley holds a
#: river that a road follows rather than crosses; the Indus in the pack drains tens of thousands.
DEFAULT_MIN_CATCHMENT_KM2 = 1000.0
_NODATA = -9999.0
#: A source is coarse, and conditioned, when its cells are this many times the grid's or more ...
COARSE_FACTOR = 1.5
#: ... or this size or more, metres, whatever the grid (GLOBE's and GTOPO30's 30" cells, ~925 m,
#: dam gorges even on a grid of their own size)
COARSE_M = 900.0
# conditioned sources by id of their array (the array kept alive with them): the pack's GLOBE is
# conditioned once a process, whatever the box
_CONDITIONED: dict[tuple[int, float], tuple[np.ndarray, Layer]] = {}


@dataclass(frozen=True)
class BreachReport:
    """What :func:`breach_dams` changed: cells lowered, the deepest cut (m), the threshold (km2).

    Examples
    --------
    >>> BreachReport(12, 180.4, 1000.0).note("GLOBE 30 arc-second")
    'GLOBE 30 arc-second: dams breached (complete breaching by priority flood, Lindsay 2016) where the channel drains >= 1,000 km2 (pyflwdir D8): 12 cells lowered, by at most 180 m'
    """

    cells_lowered: int
    max_cut_m: float
    min_catchment_km2: float

    def note(self, label: str) -> str:
        """One sentence for a grid's notes."""
        return (
            f"{label}: dams breached (complete breaching by priority flood, Lindsay 2016) where the "
            f"channel drains >= {self.min_catchment_km2:,.0f} km2 (pyflwdir D8): {self.cells_lowered:,} cells "
            f"lowered, by at most {self.max_cut_m:,.0f} m"
        )


@numba.njit(cache=True)
def _breach(z, valid):  # pragma: no cover - compiled
    """Complete breaching by priority flood (in place on ``z``, 2-D float64; ``valid`` bool).

    Cells on the edge or next to missing data are the outlets. When the flood steps from
    cell ``c`` down into a lower cell ``n`` (a depression), the flood's path back from ``c``
    is lowered to ``z[n]`` until a cell at or below it.
    """
    nrows, ncols = z.shape
    parent = np.full(z.size, -1, dtype=np.int64)
    closed = ~valid.ravel().copy()
    flat = z.ravel()
    heap = [(0.0, np.int64(0))]
    heap.pop()
    for r in range(nrows):
        for c in range(ncols):
            i = r * ncols + c
            if closed[i]:
                continue
            edge = r == 0 or c == 0 or r == nrows - 1 or c == ncols - 1
            if not edge:
                for dr in range(-1, 2):
                    for dc in range(-1, 2):
                        if not valid[r + dr, c + dc]:
                            edge = True
            if edge:
                closed[i] = True
                heapq.heappush(heap, (flat[i], np.int64(i)))
    while len(heap) > 0:
        _, i = heapq.heappop(heap)
        r, c = i // ncols, i % ncols
        for dr in range(-1, 2):
            for dc in range(-1, 2):
                rr, cc = r + dr, c + dc
                if (dr == 0 and dc == 0) or rr < 0 or cc < 0 or rr >= nrows or cc >= ncols:
                    continue
                n = rr * ncols + cc
                if closed[n]:
                    continue
                closed[n] = True
                parent[n] = i
                if flat[n] < flat[i]:  # into a depression: cut the way the flood came
                    k = i
                    while k >= 0 and flat[k] > flat[n]:
                        flat[k] = flat[n]
                        k = parent[k]
                heapq.heappush(heap, (flat[n], np.int64(n)))


def _network(z: np.ndarray, grid: Grid):
    """pyflwdir's flow directions over the depression-filled heights (NaN = no data).

    Every caller (breaching, catchment areas, the bridges of :mod:`wakhan.route.bridges`)
    passes float64 heights the same way, so Numba compiles pyflwdir's filling once (it is
    the costliest kernel to compile: several seconds on a cold cache).
    """
    import pyflwdir  # numba-compiled on first use: imported only when a coarse source is conditioned

    filled_in = np.where(np.isfinite(z), z, _NODATA)

    def network():
        _filled, d8 = pyflwdir.dem.fill_depressions(filled_in, nodata=_NODATA)
        return pyflwdir.from_array(d8, ftype="d8", transform=grid.transform, latlon=grid.is_geographic, cache=False)

    # on a cold cache Numba compiles pyflwdir's kernels here (seconds); in a worker thread, so a Ctrl-C
    # lands in the main thread's wait and not inside LLVM's callbacks (where it was lost, or crashed numba 0.61)
    return run_interruptible(network)


def d8_network(grid: Grid):
    """pyflwdir's D8 network (a ``FlwdirRaster``) of the depression-filled heights of ``grid``.

    Cells that are nodata or NaN are outside the network; every cell on the grid's edge is an outlet.

    Examples
    --------
    >>> from affine import Affine
    >>> z = (2000 - 10 * np.arange(6) + 300 * np.abs(np.arange(7) - 3)[:, None]).astype(np.float32)
    >>> flw = d8_network(Grid(z, Affine(1000.0, 0, 0, 0, -1000.0, 7000.0), "EPSG:32643"))
    >>> int(flw.idxs_ds.reshape(z.shape)[3, 2]) == 3 * 6 + 3  # the valley floor drains east
    True
    """
    z = grid.as_float().array  # float64 heights, NaN where missing
    return _network(z, grid)


def upstream_area_km2(grid: Grid) -> np.ndarray:
    """Catchment area of every cell (km2, float32) on the D8 network of the depression-filled DEM.

    Every cell on the grid's edge is an outlet (pyflwdir's ``outlets="edge"``).

    Examples
    --------
    A valley of 1 km cells falling to the east, closed by high walls: its floor collects it all.

    >>> from affine import Affine
    >>> z = (2000 - 10 * np.arange(6) + 300 * np.abs(np.arange(7) - 3)[:, None]).astype(np.float32)
    >>> z[:, 0] += 1000
    >>> upa = upstream_area_km2(Grid(z, Affine(1000.0, 0, 0, 0, -1000.0, 7000.0), "EPSG:32643"))
    >>> bool(np.all(np.diff(upa[3]) > 0)), float(upa[3, 0])  # growing downstream from the head
    (True, 1.0)
    """
    return np.asarray(d8_network(grid).upstream_area("km2"), dtype=np.float32)


def breach_dams(grid: Grid, min_catchment_km2: float = DEFAULT_MIN_CATCHMENT_KM2) -> tuple[Grid, BreachReport]:
    """``grid`` with the dams on its large streams breached (lowered), and what changed.

    Parameters
    ----------
    grid : Grid
        Heights in metres (any CRS; lon/lat cell areas are taken on the sphere), nodata or NaN missing.
    min_catchment_km2 : float
        Streams draining at least this area are carved (default 1,000 km2).

    Returns
    -------
    (Grid, BreachReport)
        float32 heights (NaN missing, ``nodata=None``), the same transform, CRS and sources,
        with a note saying what was lowered.

    Examples
    --------
    A valley of 1 km cells falling 10 m a cell to the east, closed by walls 300 m higher a row
    and a head 1,000 m high, its floor (row 3) dammed 500 m high at column 5: the dam is cut
    down to the floor upstream of it, nothing else moves.

    >>> from affine import Affine
    >>> z = (2000 - 10 * np.arange(10) + 300 * np.abs(np.arange(7) - 3)[:, None]).astype(np.float32)
    >>> z[:, 0] += 1000
    >>> z[:, 5] += 500
    >>> g = Grid(z, Affine(1000.0, 0, 0, 0, -1000.0, 7000.0), "EPSG:32643")
    >>> out, report = breach_dams(g, min_catchment_km2=3)
    >>> out.array[3].tolist()
    [3000.0, 1990.0, 1980.0, 1970.0, 1960.0, 1960.0, 1940.0, 1930.0, 1920.0, 1910.0]
    >>> report.cells_lowered, report.max_cut_m, bool((np.delete(out.array, 3, 0) == np.delete(z, 3, 0)).all())
    (1, 490.0, True)

    A small catchment's dam stays (a closed hollow, or too small a stream to matter):

    >>> breach_dams(g, min_catchment_km2=100)[1].cells_lowered
    0
    """
    z = grid.as_float().array  # float64 heights, NaN where missing
    valid = np.isfinite(z)
    breached = np.where(valid, z, 0.0)
    run_interruptible(_breach, breached, valid)
    breached[~valid] = np.nan
    upa = np.asarray(_network(breached, grid).upstream_area("km2"), dtype=np.float64)
    keep = valid & (breached < z) & (upa >= float(min_catchment_km2))
    carved = np.where(keep, breached, z)
    cut = np.where(keep, z - breached, 0.0)
    report = BreachReport(int((cut > 0).sum()), float(cut.max()) if cut.size else 0.0, float(min_catchment_km2))
    label = grid.sources[0].name if grid.sources else "coarse source"
    out = Grid(
        carved.astype(np.float32),
        grid.transform,
        grid.crs,
        nodata=None,
        sources=grid.sources,
        notes=(*grid.notes, report.note(label)),
        source_index=grid.source_index,
    )
    return out, report


def stream_points(grid: Grid, step_m: float, min_catchment_km2: float = DEFAULT_MIN_CATCHMENT_KM2):
    """Points ``(x, y, z)`` along the streams of ``grid`` draining >= ``min_catchment_km2``, every <= ``step_m``.

    Each stream cell is joined to the cell it drains to (D8 on ``grid``, breached first so
    the heights never rise downstream) by a straight segment sampled at most ``step_m``
    apart, heights interpolated between the two cell centres: the network to burn into a
    finer grid, where bilinear resampling of a one-cell channel would mix in its walls.

    Examples
    --------
    >>> from affine import Affine
    >>> z = (2000 - 10 * np.arange(6) + 300 * np.abs(np.arange(7) - 3)[:, None]).astype(np.float32)
    >>> z[:, 0] += 1000
    >>> x, y, h = stream_points(Grid(z, Affine(1000.0, 0, 0, 0, -1000.0, 7000.0), "EPSG:32643"), 500.0, 8.0)
    >>> bool(np.all(y == 3500.0)), float(x.min()), float(x.max()), float(h.max()), float(h.min())
    (True, 2500.0, 5500.0, 1980.0, 1950.0)
    """
    z = grid.as_float().array  # float64 heights, NaN where missing
    flw = _network(z, grid)
    upa = np.asarray(flw.upstream_area("km2"), dtype=np.float64).ravel()
    down = np.asarray(flw.idxs_ds, dtype=np.int64).ravel()
    flat = z.ravel()
    src = np.flatnonzero((upa >= float(min_catchment_km2)) & np.isfinite(flat))
    dst = down[src]
    src, dst = src[(dst != src) & np.isfinite(flat[dst])], dst[(dst != src) & np.isfinite(flat[dst])]
    ncols = grid.shape[1]
    t0 = grid.transform  # north-up: x = c + a * col, y = f + e * row
    xa, ya = t0.c + t0.a * (src % ncols + 0.5), t0.f + t0.e * (src // ncols + 0.5)
    xb, yb = t0.c + t0.a * (dst % ncols + 0.5), t0.f + t0.e * (dst // ncols + 0.5)
    seg_m = float(np.hypot(*grid.res))
    if grid.is_geographic:  # the diagonal of a cell, metres, at the grid's southern edge (the widest)
        dx = grid.res[0] * 111_320.0 * np.cos(np.radians(grid.bounds[1]))
        seg_m = float(np.hypot(dx, grid.res[1] * 111_320.0))
    n = max(2, int(np.ceil(seg_m / float(step_m))) + 1)
    t = np.linspace(0.0, 1.0, n)[None, :]
    x = (np.asarray(xa)[:, None] * (1 - t) + np.asarray(xb)[:, None] * t).ravel()
    y = (np.asarray(ya)[:, None] * (1 - t) + np.asarray(yb)[:, None] * t).ravel()
    h = (flat[src][:, None] * (1 - t) + flat[dst][:, None] * t).ravel()
    return x, y, h


def condition_layer(layer, resolution_m: float):
    """The mosaic ``layer`` with its dams breached when it is coarse (:data:`COARSE_FACTOR`, :data:`COARSE_M`).

    A coarse layer comes back breached (:func:`breach_dams`) and with its large streams
    (:func:`stream_points`, sampled every half cell of the grid) to burn into the grid, so
    that a river stays a connected channel at the grid's resolution. Both depend only on the
    source and the resolution, never on the box.

    Examples
    --------
    >>> from affine import Affine
    >>> fine = Grid(np.zeros((3, 3), np.float32), Affine(500.0, 0, 0, 0, -500.0, 1500.0), "EPSG:32643")
    >>> condition_layer(Layer(fine, "flat"), 1000.0).grid is fine  # 500 m cells: not coarse
    True
    >>> g = Grid(np.zeros((3, 3), np.float32), Affine(1000.0, 0, 0, 0, -1000.0, 3000.0), "EPSG:32643")
    >>> condition_layer(Layer(g, "flat"), 1000.0).burn[0].size  # coarse (>= 900 m), but no stream drains 1,000 km2
    0
    """
    spacing = native_spacing_m(layer.grid)
    if spacing < COARSE_FACTOR * float(resolution_m) and spacing < COARSE_M:
        return layer
    key = (id(layer.grid.array), float(resolution_m))
    hit = _CONDITIONED.get(key)
    if hit is None or hit[0] is not layer.grid.array:
        if len(_CONDITIONED) >= 4:
            _CONDITIONED.clear()
        breached = breach_dams(layer.grid)[0]
        hit = (
            layer.grid.array,
            Layer(breached, layer.label, layer.claim_missing, stream_points(breached, resolution_m / 2)),
        )
        _CONDITIONED[key] = hit
    return hit[1]
