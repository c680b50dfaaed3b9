"""Settlements: points where people live, from several sources, each with its coverage.

Readers return :class:`Settlements` (lon/lat arrays, names, the
:class:`~wakhan.grid.DataSource`, and a sentence saying what the source covers
and misses), so that every gap computed from them can name its data.

``read_settlements(spec)`` dispatches on a short spec:

==================  ==========================================================
``"ghs"``            the region pack's GHS-WUP DEGURBA classes, cells of class >= 12
``"ghs:13"``         the same with another minimum class
``"wof:PATH"``       a Who's On First style CSV (as in ../shared/data/settlements)
``"geonames:PATH"``  a GeoNames dump (AF.txt, cities500.txt, or their .zip)
``"points:PATH"``    a user CSV (lat/lon columns) or GeoJSON / GeoPackage of points
``PATH``             sniffed: WOF CSV by its columns, GeoNames by 19 tab fields,
                     other CSVs and GeoJSON as points
==================  ==========================================================

Places that are abandoned, historical or destroyed (GeoNames feature codes PPLQ,
PPLH, PPLW) are excluded by default.

Layout: :mod:`~wakhan.settlements.model` (the :class:`Settlements` type and
:func:`combine`), :mod:`~wakhan.settlements.gazetteers` (WOF CSV, GeoNames),
:mod:`~wakhan.settlements.points` (user CSV / GeoJSON / OGR points),
:mod:`~wakhan.settlements.ghs` (GHS-WUP class raster) and
:mod:`~wakhan.settlements.dispatch` (:func:`read_settlements`). This package
only re-exports them.
"""

from __future__ import annotations

from wakhan.settlements.dispatch import DEFAULT_SETTLEMENT_SPECS, read_settlements
from wakhan.settlements.gazetteers import EXCLUDED_CODES, read_geonames, read_wof_csv
from wakhan.settlements.ghs import read_ghs
from wakhan.settlements.model import Settlements, combine
from wakhan.settlements.points import read_points

__all__ = [
    "Settlements",
    "EXCLUDED_CODES",
    "read_wof_csv",
    "read_geonames",
    "read_points",
    "read_ghs",
    "read_settlements",
    "DEFAULT_SETTLEMENT_SPECS",
    "combine",
]
