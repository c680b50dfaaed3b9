"""Figures for an article: a route's elevation profile and a hillshaded map of routes.

Both draw from :class:`wakhan.route.RouteResult` objects (planned, or read back
from a route file), name their data and resolution in a caption, use font sizes
that stay legible at a column's width (3.5-7 in), and write atomically.
:mod:`~wakhan.figures.common` holds what both share (pyplot, the data caption,
route colours), :mod:`~wakhan.figures.profile` the profile (with :mod:`~wakhan.figures.profile_labels`) and
:mod:`~wakhan.figures.map` the map (with :mod:`~wakhan.figures.layout`,
:mod:`~wakhan.figures.map_layers` and :mod:`~wakhan.figures.marks`), and
:mod:`~wakhan.figures.sweep` a sweep's density maps and histograms. matplotlib is imported
on the first drawing, not with this package.
"""

from wakhan.figures.common import ROUTE_COLOURS, data_caption
from wakhan.figures.map import plot_map
from wakhan.figures.profile import draw_profile, plot_profile

__all__ = ["plot_profile", "draw_profile", "plot_map", "data_caption", "ROUTE_COLOURS"]
