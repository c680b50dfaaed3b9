"""Runs of True in a boolean mask along a route's samples: where a condition holds, stretch by stretch.

:func:`true_runs` is the one place the stretches of a mask are found: the steep sections of
:func:`wakhan.route.stats.steep_sections`, the avalanche-exposed sections of
:func:`wakhan.claims.avalanche.avalanche_exposure` and the roadless stretches of
:func:`wakhan.claims.highway_measures.roadless_stretches`.
"""

from __future__ import annotations

import numpy as np

__all__ = ["true_runs"]


def true_runs(mask) -> list[tuple[int, int]]:
    """The maximal runs of True in a one-dimensional boolean ``mask``, as ``(start, stop)`` index pairs.

    Parameters
    ----------
    mask : array_like of bool
        One value per sample (truthy values count as True).

    Returns
    -------
    list of (int, int)
        One pair per run, in order: ``mask[start:stop]`` is all True, ``stop`` is exclusive,
        and the samples just before ``start`` and at ``stop`` (where they exist) are False.

    Examples
    --------
    >>> true_runs([True, True, False, True, False, False, True])
    [(0, 2), (3, 4), (6, 7)]
    >>> true_runs([]), true_runs([False, False]), true_runs([True] * 3)
    ([], [], [(0, 3)])
    """
    m = np.asarray(mask, dtype=bool)
    if m.ndim != 1:
        raise ValueError(f"true_runs needs a one-dimensional mask, got shape {m.shape}")
    edges = np.flatnonzero(np.diff(np.concatenate(([False], m, [False])).astype(np.int8)))
    return [(int(a), int(b)) for a, b in zip(edges[0::2], edges[1::2])]
