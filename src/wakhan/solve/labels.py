"""Which source each cell of a multi-source accumulation reached: a pass over the backlinks after the search.

The search kernels record, per cell, the move that reached it (its backlink);
following backlinks from any reached cell ends at the source of its least-cost
path. :func:`source_index` labels every cell with that source's position in
``sources_rc`` in one Numba pass (each cell is walked at most once: a chain stops
at the first labelled cell), so the search kernels themselves stay unchanged and
no search pays for labels it does not need.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from wakhan.solve import _cache  # noqa: F401  (keys the kernels' Numba cache on their sources)
from wakhan.solve.kernels import flat_steps

__all__ = ["source_index"]


@njit(cache=True, nogil=True)
def _label(back, step, sources, label):
    """Fill ``label`` (int32, -1 on entry) with the index in ``sources`` each cell's backlinks lead to."""
    for j in range(sources.size):
        if label[sources[j]] < 0:  # a cell given twice keeps the first source
            label[sources[j]] = j
    n = back.size
    stack = np.empty(n, dtype=np.int64)
    for i in range(n):
        if label[i] >= 0 or back[i] < 0:
            continue
        top = 0
        c = i
        while label[c] < 0 and back[c] >= 0:
            stack[top] = c
            top += 1
            c = c - step[back[c]]
        lab = label[c]
        for t in range(top):
            label[stack[t]] = lab
    return label


def source_index(acc) -> np.ndarray:
    """Per cell, the index in ``acc.sources_rc`` of the source its least-cost path ends at.

    For a reverse accumulation (``reverse=True``) that is the source the cell
    reaches most cheaply; for a forward one, the source that reaches the cell
    most cheaply. ``-1`` marks cells no path reaches. When two sources share a
    cell, the first of them is named.

    Parameters
    ----------
    acc : wakhan.solve.Accumulation

    Returns
    -------
    numpy.ndarray
        int32, the grid's shape.

    Examples
    --------
    Two sources at the ends of a flat row of five cells; the middle cell is a
    tie and goes to whichever source the search settled it from:

    >>> import numpy as np
    >>> from wakhan.cost import IsotropicModel
    >>> from wakhan.solve import accumulate
    >>> acc = accumulate(np.zeros((1, 5)), IsotropicModel(), [(0, 0), (0, 4)], cell_size_m=(1, 1))
    >>> lab = source_index(acc)[0]
    >>> lab[[0, 1, 3, 4]].tolist(), int(lab[2]) in (0, 1)
    ([0, 0, 1, 1], True)
    """
    g = acc._graph
    ncols = g.shape[1]
    step = flat_steps(ncols, g.off_r, g.off_c)
    src = np.array([r * ncols + c for r, c in acc.sources_rc], dtype=np.int64)
    label = np.full(g.shape[0] * ncols, -1, dtype=np.int32)
    _label(np.ascontiguousarray(acc.backlink).ravel(), step, src, label)
    return label.reshape(g.shape)
