"""The band of a certified coarse-to-fine solve (:mod:`wakhan.solve.refine`): where the fine search runs.

The DEM block-averaged by a coarse factor and the route solved on it (:func:`_coarse_route`), the
fine cells within a half-width of that route (:func:`_band`), the band's bounding window as a graph
of its own (:func:`_window`), and the band cells a path leaving the band must pass through
(:func:`_exit_cells`, :func:`_window_exits`), which the lower bound is taken over.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from wakhan.errors import InputError, RouteError
from wakhan.solve.api import least_cost_path
from wakhan.solve.graph import _Graph

__all__: list[str] = []


def _coarse_dem(g: _Graph, dem_arr, factor):
    """Block means (float64, NaN where a block has no passable cell) of the passable elevations.

    Built a strip of blocks at a time (about 16 M fine cells each), so that no
    full-size padded copy of the DEM is made (2.1 GB on the 30 m grid).
    """
    nr, nc = g.shape
    cr, cc = -(-nr // factor), -(-nc // factor)
    out = np.empty((cr, cc), dtype=np.float64)
    passable = g.passable.reshape(g.shape)
    per = max(1, (1 << 24) // (factor * factor * cc))  # block rows per strip
    for i0 in range(0, cr, per):
        i1 = min(cr, i0 + per)
        r0, r1 = i0 * factor, min(nr, i1 * factor)
        pad = np.full(((i1 - i0) * factor, cc * factor), np.nan, dtype=np.float32)
        pad[: r1 - r0, :nc] = dem_arr[r0:r1]
        pad[: r1 - r0, :nc][~passable[r0:r1]] = np.nan
        blocks = pad.reshape(i1 - i0, factor, cc, factor)
        counts = np.isfinite(blocks).sum(axis=(1, 3))
        sums = np.nansum(blocks, axis=(1, 3), dtype=np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[i0:i1] = np.where(counts > 0, sums / counts, np.nan)
    return out


def _coarse_route(g: _Graph, dem_arr, model, start_rc, goal_rc, factor, neighbours):
    """Coarse cells (rows, cols) of the route on a ``factor``-times coarser grid, or None."""
    coarse = _coarse_dem(g, dem_arr, factor)
    s = (start_rc[0] // factor, start_rc[1] // factor)
    t = (goal_rc[0] // factor, goal_rc[1] // factor)
    if s == t:
        return np.array([s, t])
    try:
        path = least_cost_path(coarse, model, s, t, neighbours=neighbours, cell_size_m=(g.dx * factor, g.dy * factor))
    except (RouteError, InputError):
        return None
    return np.column_stack([path.rows, path.cols])


def _band(shape, route_c, factor, half_width, start_rc, goal_rc):
    """Fine cells whose coarse block lies within ``ceil(half_width / factor)`` blocks of the coarse route.

    Built on the coarse grid (a distance transform there) and expanded to the
    fine grid, so it costs 1 byte per fine cell; the start and goal blocks are in it.
    """
    from scipy.ndimage import distance_transform_edt  # lazy: scipy is slow to import; only a band solve needs it

    nr, nc = shape
    cr, cc = -(-nr // factor), -(-nc // factor)
    seed = np.ones((cr, cc), dtype=bool)
    pts = np.vstack(
        [route_c, [[start_rc[0] // factor, start_rc[1] // factor], [goal_rc[0] // factor, goal_rc[1] // factor]]]
    )
    for a, b in itertools.pairwise(route_c):
        n = int(np.abs(b - a).max()) * 2 + 2
        t = np.linspace(0.0, 1.0, n)[:, None]
        rc = np.rint(a + (b - a) * t).astype(int)
        seed[rc[:, 0], rc[:, 1]] = False
    seed[pts[:, 0], pts[:, 1]] = False
    near = distance_transform_edt(seed) <= math.ceil(half_width / factor)
    return np.repeat(np.repeat(near, factor, axis=0), factor, axis=1)[:nr, :nc]


def _window(g: _Graph, band):
    """The band's bounding box ``(r0, r1, c0, c1)`` and the graph cropped to it, passable = band."""
    rows = np.flatnonzero(band.any(axis=1))
    cols = np.flatnonzero(band.any(axis=0))
    r0, r1, c0, c1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    shape = g.shape

    def crop(flat):
        return np.ascontiguousarray(flat.reshape(shape)[r0:r1, c0:c1]).ravel() if flat.size else flat

    sub = _Graph(
        **{
            **g.__dict__,
            "shape": (int(r1 - r0), int(c1 - c0)),
            "z": crop(g.z),
            "passable": np.ascontiguousarray(band[r0:r1, c0:c1]).ravel(),
            "valid": band[r0:r1, c0:c1],  # the band graph's cells (g.valid is not kept on a large grid)
            "barrier": None,
            "friction": crop(g.friction),
            "grid": None,
        }
    )
    return (int(r0), int(r1), int(c0), int(c1)), sub


def _exit_cells(band, passable, neighbours):
    """Band cells within the reach of the moves (a full square) of a passable cell outside the band.

    Every move the band graph lacks but the full graph has (its end, or a cell
    its segment crosses, lies outside the band) starts at such a cell; taking
    the whole square around each cell only adds candidates, which can only lower
    the bound.
    """
    from scipy.ndimage import binary_dilation  # lazy: scipy is slow to import; only a band solve needs it

    reach = {8: 1, 16: 2, 32: 3}[neighbours]
    foot = np.ones((2 * reach + 1, 2 * reach + 1), dtype=bool)
    return band & binary_dilation(passable & ~band, structure=foot)


def _window_exits(band, passable, neighbours, window):
    """:func:`_exit_cells` inside ``window = (r0, r1, c0, c1)``, computed on the window and a margin of
    one move's reach only (the same cells: a cell's exit status depends on its reach alone), not on
    the full grid (four full-size boolean temporaries: 2.1 GB on the 30 m grid)."""
    r0, r1, c0, c1 = window
    reach = {8: 1, 16: 2, 32: 3}[neighbours]
    nr, nc = band.shape
    a0, a1, b0, b1 = max(r0 - reach, 0), min(r1 + reach, nr), max(c0 - reach, 0), min(c1 + reach, nc)
    ex = _exit_cells(band[a0:a1, b0:b1], passable[a0:a1, b0:b1], neighbours)
    return ex[r0 - a0 : r1 - a0, c0 - b0 : c1 - b0]
