"""An optional floodplain term: a friction surcharge on the flat floor beside a large river.

Road engineers keep a road out of the active floodplain of a large river (flood risk,
scour, soft ground) and run it on the terraces and fans at the valley's margin. Nothing in
the grade or earthworks cost sees this: on a flat floor every line costs about the same, so
the route takes the straight one down the valley axis (``benchmarks/road_realism.md``,
Osogna - Biasca).

:func:`floodplain_mask` marks the cells at most ``max_hand_m`` above the stream they drain
to, among the streams draining at least ``min_catchment_km2``: a HAND ("height above the
nearest drainage") map, Renno et al. 2008 (doi:10.1016/j.rse.2008.03.018), as pyflwdir's
``FlwdirRaster.hand`` computes it (after Nobre et al. 2016, doi:10.1002/hyp.10581), on the
D8 network :func:`wakhan.dem.hydro.d8_network` derives from the grid (priority-flood filled).
:func:`floodplain_friction` turns the mask into the solver's friction raster: ``1 + weight``
on the floodplain, 1 elsewhere (an edge pays the mean of its two ends, as for existing roads).

The thresholds were fixed before any road was routed with the term, as round values, not
fitted: :data:`FLOODPLAIN_HAND_M` = 5 m above the channel (about the vertical error of SRTM, so
a thinner band would be noise) and :data:`FLOODPLAIN_MIN_CATCHMENT_KM2` = 100 km2 (a river, not
a torrent: four times the smallest stream the highway bridges, :data:`wakhan.route.bridges.MIN_CATCHMENT_KM2`).
The catchment is counted as for the bridges: over the elevation data around the grid when
a :class:`wakhan.dem.drainage.Drainage` is given (``plan_route`` gives one when it built the
grid from a source: the box grown by up to 150 km, within the source's data), so a river
entering across the grid's edge counts its area upstream of it as far as the data reach;
without one, only the area within the grid. HAND is then measured on the same larger grid,
to the stream a cell drains to wherever it lies. Cells that drain to the data's edge (the
grid's, without a drainage) or to a pit without meeting such a stream are never floodplain.
"""

from __future__ import annotations

import numpy as np

from wakhan.dem.hydro import d8_network

__all__ = [
    "FLOODPLAIN_HAND_M",
    "FLOODPLAIN_MIN_CATCHMENT_KM2",
    "floodplain_mask",
    "floodplain_friction",
    "floodplain_note",
]

#: Height above the stream a cell drains to (m) at or below which it is floodplain (a round value, fixed a priori).
FLOODPLAIN_HAND_M = 5.0
#: Smallest catchment (km2, over the data around the grid) of a stream whose floodplain is marked (a round value, fixed a priori).
FLOODPLAIN_MIN_CATCHMENT_KM2 = 100.0
_ON_CONTEXT: dict = {}  # (id of a context's heights, thresholds) -> (those heights, the mask on them): the last two


def floodplain_mask(
    grid,
    max_hand_m: float = FLOODPLAIN_HAND_M,
    min_catchment_km2: float = FLOODPLAIN_MIN_CATCHMENT_KM2,
    drainage=None,
) -> np.ndarray:
    """True on every cell at most ``max_hand_m`` above the large stream it drains to.

    Parameters
    ----------
    grid : Grid
        Heights in metres (nodata or NaN missing; those cells are never floodplain).
    max_hand_m : float
        Height above the stream (HAND, m) up to which a cell is floodplain (default 5 m).
    min_catchment_km2 : float
        A stream is a cell of the D8 network draining at least this area (within the grid, or
        over ``drainage``'s larger grid; default 100 km2).
    drainage : wakhan.dem.drainage.Drainage, optional
        The grid's drainage traced over a larger grid holding it: streams, catchments and HAND are
        taken there and the grid's window returned.

    Returns
    -------
    numpy.ndarray of bool
        The grid's shape.

    Examples
    --------
    A valley of 1 km cells falling 1 m a cell to the east, with a flat floor three cells
    wide (rows 3-5, the middle row 2 m lower) and walls rising 50 m a row beside it; the
    head (column 0) is high so the valley drains east. The stream (>= 8 km2) runs along
    row 4; the floor beside it is 2 m above it, the first wall row 52 m.

    >>> from affine import Affine
    >>> from wakhan.grid import Grid
    >>> rows = np.abs(np.arange(9) - 4)[:, None]
    >>> z = 500 - 1.0 * np.arange(8) + np.where(rows <= 1, 2.0 * rows, 2.0 + 50.0 * (rows - 1))
    >>> z[:, 0] += 1000
    >>> g = Grid(z.astype(np.float32), Affine(1000.0, 0, 0, 0, -1000.0, 9000.0), "EPSG:32643")
    >>> floodplain_mask(g, 5.0, 8.0)[:, 1:].any(axis=1).astype(int).tolist()  # by row, beyond the head
    [0, 0, 0, 1, 1, 1, 0, 0, 0]
    >>> bool(floodplain_mask(g, 5.0, 1000.0).any())  # no stream drains 1,000 km2 here
    False
    """
    if drainage is not None and tuple(drainage.shape) == tuple(grid.shape):
        # HAND over a whole context is the costly part (pyflwdir, seconds a million cells): once per context
        heights = drainage.context.array
        key = (id(heights), float(max_hand_m), float(min_catchment_km2))
        hit = _ON_CONTEXT.get(key)
        if hit is None or hit[0] is not heights:
            hit = (heights, _mask(drainage.context, drainage.network, max_hand_m, min_catchment_km2))
            if len(_ON_CONTEXT) >= 2:
                _ON_CONTEXT.pop(next(iter(_ON_CONTEXT)))
            _ON_CONTEXT[key] = hit
        return np.ascontiguousarray(drainage.crop(hit[1]))
    return _mask(grid, d8_network(grid), max_hand_m, min_catchment_km2)


def _mask(grid, flw, max_hand_m: float, min_catchment_km2: float) -> np.ndarray:
    """:func:`floodplain_mask` of ``grid`` on its D8 network ``flw``."""
    z = grid.as_float().array  # float64, NaN where missing
    valid = np.isfinite(z)
    upa = np.asarray(flw.upstream_area("km2"), dtype=np.float64).reshape(grid.shape)
    drain = valid & (upa >= float(min_catchment_km2))
    heights = np.where(valid, z, 0.0)
    hand = np.asarray(flw.hand(drain, heights), dtype=np.float64).reshape(grid.shape)
    # pyflwdir's HAND is measured to the first drain downstream, or else to the path's own end (a pit or an
    # edge outlet): tell the two apart by the same telescoping sum over a marker, -1 at the ends that are no drain
    pit = np.asarray(flw.idxs_ds).reshape(grid.shape) == np.arange(z.size).reshape(grid.shape)
    end = (pit & ~drain).astype(np.float64) * -1.0
    to_end = np.asarray(flw.hand(drain, end), dtype=np.float64).reshape(grid.shape) > 0.0
    reaches_stream = valid & ~to_end & ~(pit & ~drain)
    return reaches_stream & (hand <= float(max_hand_m))


def floodplain_friction(mask: np.ndarray, weight: float) -> np.ndarray:
    """Friction raster: ``1 + weight`` on floodplain cells, 1 elsewhere.

    Parameters
    ----------
    mask : numpy.ndarray of bool
        True on floodplain cells (:func:`floodplain_mask`).
    weight : float
        Surcharge of a floodplain cell, >= 0 (0: the term is off, every cell 1).

    Returns
    -------
    numpy.ndarray of float64

    Examples
    --------
    >>> floodplain_friction(np.array([[True, False]]), 2.0).tolist()
    [[3.0, 1.0]]
    """
    return np.where(mask, 1.0 + float(weight), 1.0)


def floodplain_note(mask: np.ndarray, weight: float, cell_km2: float) -> str:
    """The route's note on the floodplain term: its thresholds, weight and extent.

    Examples
    --------
    >>> floodplain_note(np.array([True, True, False]), 1.0, 0.25)
    'floodplain term: 2 cells (0.5 km2) within 5 m (HAND) of streams draining >= 100 km2 cost 2x (weight 1)'
    """
    n = int(np.count_nonzero(mask))
    return (
        f"floodplain term: {n:,} cells ({n * cell_km2:,.1f} km2) within {FLOODPLAIN_HAND_M:g} m (HAND) of streams "
        f"draining >= {FLOODPLAIN_MIN_CATCHMENT_KM2:,.0f} km2 cost {1.0 + float(weight):g}x (weight {float(weight):g})"
    )
