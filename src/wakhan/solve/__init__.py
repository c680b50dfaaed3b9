"""Least-cost routes over an elevation grid (Numba kernels + validating wrappers).

See :mod:`wakhan.solve.api` for the graph (8/16/32 neighbours, metric edge
lengths, grade per edge) and :mod:`wakhan.cost` for the cost models.
"""

from wakhan.solve.api import (
    SOURCE,
    UNREACHED,
    Accumulation,
    Corridor,
    Path,
    accumulate,
    corridor,
    gentlest_crossing_pct,
    least_cost_path,
    neighbour_offsets,
    trace,
)
from wakhan.solve.labels import source_index

__all__ = [
    "SOURCE",
    "UNREACHED",
    "Accumulation",
    "Corridor",
    "Path",
    "accumulate",
    "corridor",
    "gentlest_crossing_pct",
    "least_cost_path",
    "neighbour_offsets",
    "trace",
    "source_index",
]
