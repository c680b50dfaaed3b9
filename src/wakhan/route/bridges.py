"""River crossings of a highway route, priced as bridges sized from the valley's cross-section.

The drainage network comes from pyflwdir (D8 flow directions after priority-flood
depression filling, Wang & Liu 2006; upstream area per cell), traced over the elevation
data around the route's grid when the planner gives it (:func:`wakhan.dem.drainage.route_drainage`:
the box grown by up to 150 km, within the source's data), else over the grid alone. A
river entering the box from outside is counted from where the data end, not from the
box's edge (the Ticino within 1.5 km of Biasca: 724 km2 on the SRTM tile N46E008's 93 m
grid, where the Osogna - Biasca road's box alone holds 55 km2; the tile stops at 9 E and
cuts off part of the Brenno's basin); beyond the data it is still a lower bound. A route step onto a stream cell whose upstream area is at least
``min_catchment_km2`` crosses it when the step runs more across the flow than
along it (angle to the flow direction over 45 degrees); a road running down a
valley beside its river crosses nothing. Consecutive stream cells of one crossing
make one bridge.

Each bridge spans the valley at deck level: the stream bed (lowest DEM cell of the
crossing) plus ``clearance_m``; from the crossing, the terrain is sampled along the
road's direction both ways (every tenth of a cell, bilinear) until it rises above
the deck, and the span between those two points is the bridge's length, at least
20 m and at most the flood channel a road would bridge on a broad valley floor (the
rest is embankment): :func:`flood_channel_m`, ``3 * sqrt(catchment_km2)`` m, an
estimate (15 m at 25 km2, 95 m at 1,000 km2, 950 m at 100,000 km2; the Panj, draining
about 110,000 km2 at the Tajik-Afghan Friendship Bridge, is bridged with 672 m). Its cost is that length times the ``bridge`` unit cost of
``data/unit_costs.csv`` (US dollars per metre of two-lane bridge).
"""

from __future__ import annotations

import math

import numba
import numpy as np
from affine import Affine
from pyproj import Transformer

__all__ = ["MIN_CATCHMENT_KM2", "CLEARANCE_M", "route_bridges", "drainage_area_km2", "flood_channel_m"]

#: Smallest catchment (km2) whose stream a road bridges (below it: culverts, priced with the road).
MIN_CATCHMENT_KM2 = 25.0
#: Height of the deck above the stream bed (m): flood clearance and structure depth.
CLEARANCE_M = 10.0
_MIN_LENGTH_M = 20.0
#: Above this many cells the drainage network is traced on a DEM of block means near 64 M cells (pyflwdir
#: holds about 40 B a cell: over 20 GB on the 537 M-cell 30 m grid); each cell reads its block's upstream
#: area and flow direction (:class:`_Blocks`). The 90 m and coarser grids are traced cell by cell.
COARSE_DRAINAGE_MIN_CELLS = 256_000_000
_COARSE_TARGET_CELLS = 64e6
_cache: dict = {}


def drainage_area_km2(dem) -> np.ndarray:
    """Upstream area (km2) of every cell of a metric DEM, from pyflwdir's D8 flow directions.

    Cached for the last two DEMs (the variants of a comparison share one).

    Examples
    --------
    A valley sloping south between two ridges, 100 m cells: its floor drains the whole grid.

    >>> from affine import Affine
    >>> from wakhan.grid import Grid
    >>> rows, cols = np.mgrid[0:6, 0:5]
    >>> z = (100.0 + 10 * (5 - rows) + 20 * np.abs(cols - 2)).astype(np.float32)
    >>> area = drainage_area_km2(Grid(z, Affine(100.0, 0, 500_000, 0, -100.0, 4_100_000), "EPSG:32643"))
    >>> round(float(area.max()), 2)
    0.3
    """
    key = (id(dem.array), dem.shape, tuple(dem.transform))
    if key in _cache:
        return _cache[key]
    from wakhan.dem.hydro import d8_network  # the network the DEM's conditioning uses (one compile)

    if dem.array.size > COARSE_DRAINAGE_MIN_CELLS:
        factor = math.ceil(math.sqrt(dem.array.size / _COARSE_TARGET_CELLS))
        flw = d8_network(_block_means(dem, factor))
        coarse_shape = (-(-dem.shape[0] // factor), -(-dem.shape[1] // factor))
        area_c = np.asarray(flw.upstream_area(unit="km2"), dtype=np.float64).reshape(coarse_shape)
        down_c = np.asarray(flw.idxs_ds, dtype=np.int64).reshape(coarse_shape)
        blocks = _Blocks(area_c, down_c, factor, dem.shape)
        if len(_cache) >= 2:
            _cache.pop(next(iter(_cache)))
        _cache[key] = blocks
        _cache[(key, "down")] = blocks.down
        return blocks  # type: ignore[return-value]  # indexed like the area array by route_bridges
    flw = d8_network(dem)
    area = np.asarray(flw.upstream_area(unit="km2"), dtype=np.float64)
    down = np.asarray(flw.idxs_ds, dtype=np.int64).reshape(dem.shape)
    if len(_cache) >= 2:
        _cache.pop(next(iter(_cache)))
    _cache[key] = area
    _cache[(key, "down")] = down
    return area


def _block_means(dem, factor: int):
    """A Grid of the block means (float32, NaN where a block has no data) of ``dem``, ``factor`` cells a side."""
    from wakhan.grid import Grid

    nr, nc = dem.shape
    cr, cc = -(-nr // factor), -(-nc // factor)
    out = np.empty((cr, cc), dtype=np.float32)
    per = max(1, (1 << 24) // (factor * factor * cc))
    for i0 in range(0, cr, per):
        i1 = min(cr, i0 + per)
        r0, r1 = i0 * factor, min(nr, i1 * factor)
        if dem.nodata is None and dem.array.dtype == np.float32:  # the exactness test counts float32 bits
            sums, counts = np.empty((i1 - i0, cc), np.float64), np.empty((i1 - i0, cc), np.int64)
            if _block_sums(np.asarray(dem.array[r0:r1]), factor, sums, counts):
                with np.errstate(invalid="ignore", divide="ignore"):
                    out[i0:i1] = sums / counts
                continue
        pad = np.full(((i1 - i0) * factor, cc * factor), np.nan, dtype=np.float32)
        strip = Grid(np.asarray(dem.array[r0:r1]), dem.transform, dem.crs, nodata=dem.nodata)
        pad[: r1 - r0, :nc] = np.where(strip.valid_mask(), strip.array, np.nan)
        blocks = pad.reshape(i1 - i0, factor, cc, factor)
        counts = np.isfinite(blocks).sum(axis=(1, 3))
        with np.errstate(invalid="ignore", divide="ignore"):
            out[i0:i1] = np.nansum(blocks, axis=(1, 3), dtype=np.float64) / counts
    return Grid(out, dem.transform @ Affine.scale(factor), dem.crs)


@numba.njit(cache=True, nogil=True)
def _block_sums(z, factor, sums, counts):  # pragma: no cover - compiled
    """Float64 sums and counts of the non-NaN heights of each ``factor`` x ``factor`` block of ``z``.

    False when some block's sum could depend on the order of its terms (a zero, an infinity, or
    terms whose sum needs more than float64's 53 bits at the finest term's quantum); then the caller
    sums that strip with numpy. Otherwise every partial sum is exact, so the sums are numpy's.
    """
    nr, nc = z.shape
    for bi in range(sums.shape[0]):
        for bj in range(sums.shape[1]):
            total, total_abs, n, smallest = 0.0, 0.0, 0, math.inf
            for r in range(bi * factor, min(nr, (bi + 1) * factor)):
                for c in range(bj * factor, min(nc, (bj + 1) * factor)):
                    v = np.float64(z[r, c])
                    if math.isnan(v):
                        continue
                    a = abs(v)
                    if a == 0.0 or a == math.inf:
                        return False
                    smallest = min(smallest, a)
                    total += v
                    total_abs += a
                    n += 1
            # every term is a multiple of the smallest one's last float32 bit; under 2^52 of those, exact
            if n > 0 and total_abs >= math.ldexp(1.0, math.frexp(smallest)[1] - 24 + 52):
                return False
            sums[bi, bj] = total
            counts[bi, bj] = n
    return True


class _Blocks:
    """Upstream area (km2) and flow of a large DEM's cells, read from the blocks its drainage was traced on.

    ``blocks[r, c]`` is the area of the block holding cell ``(r, c)``; ``blocks.down[r, c]`` the flat
    index of the cell one step from ``(r, c)`` in its block's flow direction (itself at an outlet or
    where that step leaves the grid), so that ``route_bridges`` reads both as it reads the arrays.
    """

    def __init__(self, area, down, factor: int, shape):
        self.area, self.factor, self.shape = area, factor, shape
        self.down = _BlockDown(down, factor, shape)

    def __getitem__(self, rc):
        r, c = rc
        return self.area[r // self.factor, c // self.factor]


class _BlockDown:
    def __init__(self, down, factor: int, shape):
        self.down, self.factor, self.shape = down, factor, shape

    def __getitem__(self, rc):
        r, c = int(rc[0]), int(rc[1])
        br, bc = r // self.factor, c // self.factor
        d = int(self.down[br, bc])
        tr, tc = r + d // self.down.shape[1] - br, c + d % self.down.shape[1] - bc
        if not (0 <= tr < self.shape[0] and 0 <= tc < self.shape[1]):
            return r * self.shape[1] + c
        return tr * self.shape[1] + tc


class _AsFloat64:
    """``dem.array`` read as float64 where indexed (a float64 copy of a 30 m grid would take 4.3 GB)."""

    def __init__(self, array):
        self.array, self.shape = array, array.shape

    def __getitem__(self, idx):
        return np.asarray(self.array[idx], dtype=np.float64)[()]


def flood_channel_m(catchment_km2: float) -> float:
    """The widest span (m) a road bridges over a stream draining ``catchment_km2``: ``3 sqrt(A)``, an estimate.

    Examples
    --------
    >>> flood_channel_m(25.0), flood_channel_m(10_000.0)
    (15.0, 300.0)
    """
    return 3.0 * math.sqrt(max(float(catchment_km2), 0.0))


def _bilinear(z, r, c):
    r0, c0 = int(math.floor(r)), int(math.floor(c))
    if r0 < 0 or c0 < 0 or r0 + 1 >= z.shape[0] or c0 + 1 >= z.shape[1]:
        return math.nan
    fr, fc = r - r0, c - c0
    return float(
        z[r0, c0] * (1 - fr) * (1 - fc)
        + z[r0 + 1, c0] * fr * (1 - fc)
        + z[r0, c0 + 1] * (1 - fr) * fc
        + z[r0 + 1, c0 + 1] * fr * fc
    )


def _span_m(z, r, c, dr, dc, deck, cell_m, max_cells):
    """Distance (m) from cell (r, c) along (dr, dc) (unit, in cells) to where the terrain reaches ``deck``."""
    step = 0.1
    prev = float(z[r, c])
    for i in range(1, int(max_cells / step) + 1):
        here = _bilinear(z, r + dr * i * step, c + dc * i * step)
        if math.isnan(here):
            return i * step * cell_m
        if here >= deck:
            frac = (deck - prev) / (here - prev) if here != prev else 1.0
            return (i - 1 + frac) * step * cell_m
        prev = here
    return max_cells * cell_m


def route_bridges(
    paths,
    dem,
    *,
    min_catchment_km2: float = MIN_CATCHMENT_KM2,
    clearance_m: float = CLEARANCE_M,
    usd_per_m=None,
    drainage=None,
) -> list[dict]:
    """The bridges of a highway route: ``[{lat, lon, length_m, catchment_km2, cost_usd}]``.

    Parameters
    ----------
    paths : sequence of wakhan.solve.Path
        The route's legs (DEM cells).
    dem : Grid
        The metric DEM they were solved on.
    min_catchment_km2 : float
        Streams draining at least this area are bridged.
    clearance_m : float
        Deck height above the stream bed.
    usd_per_m : float, optional
        Cost of one metre of bridge (default: mid of the ``bridge`` row of the unit-cost table).
    drainage : wakhan.dem.drainage.Drainage, optional
        The grid's drainage traced over the data around it (:func:`wakhan.dem.drainage.route_drainage`):
        catchments and flow directions are read from it; without it, from ``dem`` alone.

    Returns
    -------
    list of dict

    Examples
    --------
    A valley draining south (500 m cells, banks rising 1 m per 3 m), crossed west to east on row
    150: one bridge over its floor, the 10 m above the bed reached 30 m to each side; the
    valley drains about 151 x 21 cells of 0.25 km2 there (flood channel 84 m, wider than the span):

    >>> from types import SimpleNamespace
    >>> from affine import Affine
    >>> from wakhan.grid import Grid
    >>> rows, cols = np.mgrid[0:200, 0:21]
    >>> z = (100.0 + 10 * (199 - rows) + 500 / 3 * np.abs(cols - 10)).astype(np.float32)
    >>> dem = Grid(z, Affine(500.0, 0, 500_000, 0, -500.0, 4_100_000), "EPSG:32643")
    >>> path = SimpleNamespace(rows=np.full(21, 150), cols=np.arange(21))
    >>> (b,) = route_bridges([path], dem, usd_per_m=50_000.0)
    >>> round(b["length_m"]), b["cost_usd"]
    (60, 3000000.0)
    """
    if usd_per_m is None:
        from wakhan.route.costing import load_unit_costs  # lazy: the table, read once

        row = load_unit_costs().get("bridge")
        usd_per_m = 0.5 * (row["low"] + row["high"]) if row else 0.0
    if drainage is not None and tuple(drainage.shape) == tuple(dem.shape):
        area, down = drainage.upstream_area_km2(), drainage.downstream_index()
    else:
        area = drainage_area_km2(dem)
        down = _cache[((id(dem.array), dem.shape, tuple(dem.transform)), "down")]
    big = dem.array.size > COARSE_DRAINAGE_MIN_CELLS
    z = _AsFloat64(dem.array) if big else np.asarray(dem.array, dtype=np.float64)
    nrows, ncols = dem.shape
    dx, dy = abs(dem.transform.a), abs(dem.transform.e)
    to_lonlat = Transformer.from_crs(dem.crs, "EPSG:4326", always_xy=True)
    bridges: list[dict] = []
    for p in paths:
        rr = np.asarray(p.rows, dtype=np.int64)
        cc = np.asarray(p.cols, dtype=np.int64)
        i = 1
        while i < rr.size:
            r, c = int(rr[i]), int(cc[i])
            a = float(area[r, c])
            if not a >= min_catchment_km2 or i + 1 >= rr.size:
                i += 1
                continue
            # the road's direction through the stream (previous cell to next) against the flow there
            er, ec = (rr[i + 1] - rr[i - 1]) * dy, (cc[i + 1] - cc[i - 1]) * dx
            d = int(down[r, c])
            fr, fc = (d // ncols - r) * dy, (d % ncols - c) * dx
            norm = math.hypot(er, ec) * math.hypot(fr, fc)
            if norm == 0 or abs(er * fr + ec * fc) / norm > math.cos(math.radians(45)):
                i += 1  # along the river (or at its outlet): no crossing here
                continue
            j = i  # the crossing's stream cells, i..j
            while j + 1 < rr.size - 1 and area[rr[j + 1], cc[j + 1]] >= min_catchment_km2:
                j += 1
            k = i + int(np.argmin(z[rr[i : j + 1], cc[i : j + 1]]))
            deck = float(z[rr[k], cc[k]]) + clearance_m
            ur, uc = (rr[j + 1] - rr[i - 1]), (cc[j + 1] - cc[i - 1])
            length_cells = math.hypot(ur, uc)
            ur, uc = ur / length_cells, uc / length_cells
            cell_m = math.hypot(ur * dy, uc * dx)
            a_k = float(area[rr[k], cc[k]])
            widest = max(flood_channel_m(a_k), _MIN_LENGTH_M)
            reach = widest / cell_m + 1.0  # cells to walk each way: no further than the widest span
            span = _span_m(z, int(rr[k]), int(cc[k]), ur, uc, deck, cell_m, reach) + _span_m(
                z, int(rr[k]), int(cc[k]), -ur, -uc, deck, cell_m, reach
            )
            length_m = min(max(span, _MIN_LENGTH_M), widest)
            t = dem.transform  # a north-up grid: cell centre of the crossing's lowest cell
            x, y = t.c + (float(cc[k]) + 0.5) * t.a, t.f + (float(rr[k]) + 0.5) * t.e
            lon, lat = to_lonlat.transform(x, y)
            bridges.append(
                {
                    "lat": round(float(lat), 5),
                    "lon": round(float(lon), 5),
                    "length_m": round(length_m, 0),
                    "catchment_km2": round(float(area[rr[k], cc[k]]), 1),
                    "cost_usd": round(length_m * usd_per_m, -5),
                }
            )
            i = j + 2
    return bridges
