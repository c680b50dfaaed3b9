"""What the searches return: paths, accumulations and corridors, and how a path is built from backlinks.

:class:`Path`, :class:`Accumulation` and :class:`Corridor` are made by the
functions of :mod:`wakhan.solve.api`; :func:`_trace_cells` follows the
backlinks of a search to its source, :func:`_make_path` prices each step of a
path with the kernels' own edge cost.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from wakhan.errors import InputError
from wakhan.solve.graph import _Graph, search_input
from wakhan.solve.path_costs import path_step_costs

__all__ = ["Path", "Accumulation", "Corridor"]


@dataclass(frozen=True)
class Path:
    """A route as cell indices and map coordinates, with the cost of every step.

    Examples
    --------
    >>> import numpy as np
    >>> from wakhan.cost import IsotropicModel
    >>> from wakhan.solve import least_cost_path
    >>> p = least_cost_path(np.zeros((1, 3)), IsotropicModel(), (0, 0), (0, 2), cell_size_m=(10, 10))
    >>> len(p), p.cols.tolist(), p.step_cost.tolist(), p.total_cost, p.cost_unit
    (3, [0, 1, 2], [10.0, 10.0], 20.0, 'm')
    >>> p
    <Path of 3 cells, cell (0, 0) to (0, 2), search cost 20.0 m>
    """

    rows: np.ndarray
    cols: np.ndarray
    step_cost: np.ndarray
    total_cost: float
    cost_unit: str
    x: np.ndarray
    y: np.ndarray

    def __len__(self) -> int:
        return int(self.rows.size)

    def __repr__(self) -> str:
        """One line for a notebook (the arrays of a 1,100-cell path printed 30 kB)."""
        if not self.rows.size:
            return f"<Path of 0 cells, search cost {self.total_cost:,.1f} {self.cost_unit}>"
        ends = f"cell ({self.rows[0]}, {self.cols[0]}) to ({self.rows[-1]}, {self.cols[-1]})"
        return f"<Path of {self.rows.size:,} cells, {ends}, search cost {self.total_cost:,.1f} {self.cost_unit}>"


@dataclass(frozen=True)
class Accumulation:
    """Accumulated cost from the sources (``inf`` unreachable) and backlinks.

    ``backlink`` holds the index of the move (see :func:`neighbour_offsets`)
    that reached each cell: the predecessor is ``(r - dr, c - dc)``;
    ``SOURCE`` (-1) marks sources, ``UNREACHED`` (-2) cells no path reaches.

    Examples
    --------
    >>> import numpy as np
    >>> from wakhan.cost import IsotropicModel
    >>> from wakhan.solve import SOURCE, accumulate
    >>> acc = accumulate(np.zeros((1, 3)), IsotropicModel(), (0, 0), cell_size_m=(10, 10))
    >>> acc.cost.tolist(), bool(acc.backlink[0, 0] == SOURCE), int(acc.settled)
    ([[0.0, 10.0, 20.0]], True, 3)
    """

    cost: np.ndarray
    backlink: np.ndarray
    cost_unit: str
    sources_rc: tuple
    model: object
    settled: int
    _graph: _Graph = field(repr=False)
    reverse: bool = False

    @property
    def grid(self):
        """The DEM Grid the search ran on (None for a plain-array DEM)."""
        return self._graph.grid

    def cost_grid(self):
        """The accumulated cost as a georeferenced Grid (NaN where unreachable or impassable)."""
        return _georeferenced(self.grid, self.cost, f"accumulated {self.model.name} cost ({self.cost_unit})")


@dataclass(frozen=True)
class Corridor:
    """Cells whose best route via them costs within ``within_pct`` of the optimum.

    Examples
    --------
    >>> import numpy as np
    >>> from wakhan.cost import IsotropicModel
    >>> from wakhan.solve import corridor
    >>> c = corridor(np.zeros((3, 3)), IsotropicModel(), (1, 0), (1, 2), within_pct=0, cell_size_m=(10, 10))
    >>> c.optimum, c.mask.astype(int).tolist()
    (20.0, [[0, 0, 0], [1, 1, 1], [0, 0, 0]])
    """

    total: np.ndarray
    mask: np.ndarray
    optimum: float
    within_pct: float
    cost_unit: str
    path: Path
    grid: object = field(default=None, repr=False)

    def excess_grid(self):
        """Extra cost of the best route through each cell, in percent of the optimum, as a Grid.

        0 on the optimal route, up to ``within_pct`` at the corridor's edge; NaN outside it.
        """
        pct = np.where(self.mask, (self.total / self.optimum - 1.0) * 100.0 if self.optimum > 0 else 0.0, np.nan)
        return _georeferenced(
            self.grid, np.maximum(pct, 0.0), f"cells within {self.within_pct:g} % of the optimal route's cost"
        )


def _georeferenced(dem, values, note: str):
    """``values`` (float) on the georeferencing of ``dem``; inf becomes NaN."""
    if dem is None:
        raise InputError("this result was computed on a plain array with no georeferencing; pass the DEM as a Grid")
    out = np.asarray(values, dtype=np.float32).copy()
    out[~np.isfinite(out)] = np.nan
    return dem.with_array(out, nodata=None, notes=dem.notes + (note,))


def _make_path(g: _Graph, model, cells: np.ndarray, total: float) -> Path:
    steps = path_step_costs(search_input(g, model, cells[:0]), cells)
    rows, cols = np.divmod(cells, g.shape[1])
    if g.grid is not None:
        x, y = g.grid.xy(rows, cols)
    else:
        x, y = (cols + 0.5) * g.dx, -(rows + 0.5) * g.dy
    return Path(
        rows.astype(np.int64),
        cols.astype(np.int64),
        steps,
        float(total),
        model.cost_unit,
        np.asarray(x, float),
        np.asarray(y, float),
    )


def _trace_cells(back: np.ndarray, g: _Graph, target: int) -> np.ndarray:
    flat = back.ravel()
    ncols = g.shape[1]
    step = g.off_r * ncols + g.off_c
    cells = [target]
    i = target
    for _ in range(flat.size):
        k = flat[i]
        if k < 0:
            break
        i = i - step[k]
        cells.append(i)
    return np.array(cells, dtype=np.int64)
