"""Depopulated stretches along a route: where no settlement lies within a buffer.

Given a densely sampled route (cumulative ``distance_km`` and ``lon``/``lat`` of
each sample, e.g. a :class:`wakhan.route.Profile`) and a
:class:`~wakhan.settlements.Settlements` set, :func:`gaps` returns every stretch
of the route whose points are all farther than ``buffer_km`` from any settlement,
and :func:`longest_gap` the longest of them.

Method
------
* Distance to the nearest settlement at every sample: both sets are projected to
  an azimuthal equidistant projection centred on the route, the nearest
  settlement is found with a shapely STRtree, and its distance is then measured
  geodesically on the WGS84 ellipsoid (pyproj ``Geod``). Settlements farther
  than ``search_km`` beyond the route's extent are left out of the tree; a sample
  whose nearest kept settlement is farther than ``search_km`` is searched again
  against all settlements (haversine shortlist, then geodesic), so the answer is
  exact in either case up
  to the projection's scale error when picking among near-equidistant candidates
  (< 0.5 % within 1,000 km of the centre).
* A gap's ends are interpolated linearly between the last sample within the
  buffer and the first sample beyond it, where the distance crosses
  ``buffer_km``, so lengths depend little on the sampling step.
* A gap that begins at the first sample or ends at the last is *open*
  (``open_start``/``open_end``): it may run on beyond the route's ends.

The package: :mod:`~wakhan.gaps.nearest` (distance from each sample to the nearest
settlement), :mod:`~wakhan.gaps.stretches` (the gaps and the gap table) and
:mod:`~wakhan.gaps.coverage` (how blind a settlement source is along a route and
which countries it covers, so a gap in the data is not read as a gap in the land).
"""

from wakhan.gaps.coverage import COVERAGE_MIN_SHARE, blindness, covered_countries, flag_coverage
from wakhan.gaps.nearest import distance_to_nearest_km
from wakhan.gaps.stretches import Gap, gap_table, gaps, longest_gap

__all__ = [
    "Gap",
    "distance_to_nearest_km",
    "gaps",
    "longest_gap",
    "gap_table",
    "blindness",
    "COVERAGE_MIN_SHARE",
    "covered_countries",
    "flag_coverage",
]
