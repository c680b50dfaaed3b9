"""Remoteness: walking time from every cell to its nearest settlement, catchments and isochrones.

``from wakhan.remoteness import remoteness`` (or, after ``import wakhan.remoteness``, the call
``wakhan.remoteness(...)`` itself: the package is callable) computes the surface (one multi-source
search on the reversed graph, :mod:`wakhan.remoteness.surface`);
:mod:`~wakhan.remoteness.summary` finds the most remote cell and the area shares
beyond thresholds; whose values the edge of the data may have lengthened (:mod:`~wakhan.remoteness.edge`);
:mod:`~wakhan.remoteness.isochrones` traces isochrone polygons;
:mod:`~wakhan.remoteness.output` writes the rasters, lookup table and polygons.
"""

import sys
import types

from wakhan.remoteness.edge import edge_bounded, edge_hours
from wakhan.remoteness.isochrones import check_thresholds, isochrones, write_isochrones
from wakhan.remoteness.summary import DEFAULT_THRESHOLDS_H, MostRemote, most_remote, share_beyond, summarize
from wakhan.remoteness.surface import CatchmentEntry, Remoteness, remoteness

__all__ = [
    "DEFAULT_THRESHOLDS_H",
    "CatchmentEntry",
    "MostRemote",
    "Remoteness",
    "check_thresholds",
    "edge_bounded",
    "edge_hours",
    "isochrones",
    "most_remote",
    "remoteness",
    "share_beyond",
    "summarize",
    "write_isochrones",
]


class _CallablePackage(types.ModuleType):
    """``wakhan.remoteness(...)`` calls :func:`remoteness` (a module's __class__ may be swapped since Python 3.5)."""

    def __call__(self, *args, **kwargs) -> Remoteness:
        return remoteness(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
