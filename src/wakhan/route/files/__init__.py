"""A route's files: GeoJSON, GeoPackage/FlatGeobuf/KML/shapefile (OGR), GPX and CSV.

:func:`write_route` writes the format a file name's extension names and
:func:`read_route` reads it back (:mod:`~wakhan.route.files.export`); the
attribute table (:mod:`~wakhan.route.files.fields`) and the GIS layers
(:mod:`~wakhan.route.files.layers`) are what every format writes.
"""

from wakhan.route.files.export import read_route, route_feature, write_route

__all__ = ["read_route", "route_feature", "write_route"]
