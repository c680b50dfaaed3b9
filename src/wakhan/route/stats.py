"""Pure statistics of a route profile: length, elevations, climb, grade, passes, countries.

:mod:`wakhan.route.summary` assembles them into a route's summary. Definitions
(also written into every summary, so a reader sees them):

* Lengths are geodesic (WGS84) along the profile points.
* Mean and median elevation are length-weighted; km above a height treats the
  profile as straight between points (linear interpolation of elevation).
* Climb, descent, grade and passes use a *lightly smoothed* profile: the
  elevations are resampled every ``step_km`` (50 m) along the route and
  averaged over a centred window of ``smoothing_km`` (by default 0.5 km, or two
  profile point spacings where that is longer: 0.92 km on a 460 m DEM), so that
  the staircase of DEM cells does not add metres of fake climbing.
* Maximum grade is the largest ``|dz|`` over any stretch of the design length
  (default 1 km) of the smoothed profile, divided by that length.
* A pass is a local maximum of the smoothed profile whose prominence *along
  the profile* (height above the higher of the two lowest points between it
  and the nearest higher ground on either side, or the route's end) is at
  least ``pass_prominence_m`` (300 m).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from wakhan.route.profile import Profile
from wakhan.route.runs import true_runs
from wakhan.solve.crossings import find_passes

__all__ = [
    "smoothed",
    "climb_descent",
    "max_grade",
    "km_above",
    "find_passes",
    "steep_sections",
    "countries_km",
    "country_words",
    "OUTSIDE_LAYER",
    "NO_COUNTRY",
    "default_smoothing_km",
    "filled_elevation",
    "weighted_stats",
    "THRESHOLDS_M",
]

#: Heights of the ``km_above_m`` entries of a route summary (:mod:`wakhan.route.summary`).
THRESHOLDS_M = (3500, 4000, 4500)


def filled_elevation(profile: Profile) -> np.ndarray:
    """Elevations with interior NaN gaps interpolated along distance.

    Parameters
    ----------
    profile : Profile

    Returns
    -------
    numpy.ndarray
        Elevation per profile point, metres; a gap is filled linearly between its
        neighbours (raises ``ValueError`` when no point has an elevation).

    Examples
    --------
    >>> p = Profile([0.0, 1.0, 3.0], [71.0] * 3, [37.0] * 3, [100.0, np.nan, 400.0])
    >>> filled_elevation(p).tolist()
    [100.0, 200.0, 400.0]
    """
    z = profile.elevation_m.copy()
    bad = np.isnan(z)
    if bad.all():
        raise ValueError("the profile has no elevation values")
    if bad.any():
        z[bad] = np.interp(profile.distance_km[bad], profile.distance_km[~bad], z[~bad])
    return z


def smoothed(profile: Profile, step_km: float = 0.05, smoothing_km: float = 0.5):
    """Resample every ``step_km`` and average over a centred ``smoothing_km`` window.

    Parameters
    ----------
    profile : Profile
    step_km : float
        Spacing of the resampled profile, km.
    smoothing_km : float
        Width of the moving average, km; 0 only resamples.

    Returns
    -------
    distance_km, elevation_m : numpy.ndarray
        The profile on the uniform spacing. At the ends it is extended by odd
        reflection, so a straight slope stays straight.

    Examples
    --------
    A straight slope stays straight (100 m per km):

    >>> p = Profile([0.0, 1.0], [71.0, 71.01], [37.0, 37.0], [0.0, 100.0])
    >>> d, z = smoothed(p, step_km=0.25, smoothing_km=0.5)
    >>> d.tolist(), np.round(z, 6).tolist()
    ([0.0, 0.25, 0.5, 0.75, 1.0], [0.0, 25.0, 50.0, 75.0, 100.0])
    """
    d0 = profile.distance_km - profile.distance_km[0]
    n = max(2, int(np.ceil(d0[-1] / step_km)) + 1)
    d = np.linspace(0.0, d0[-1], n)
    z = np.interp(d, d0, filled_elevation(profile))
    half = min(int(round(smoothing_km / (2 * step_km))), n - 1) if step_km > 0 else 0
    if half >= 1:
        # odd reflection at the ends keeps a straight slope straight (no end bias)
        padded = np.concatenate([2 * z[0] - z[half:0:-1], z, 2 * z[-1] - z[-2 : -half - 2 : -1]])
        z = np.convolve(padded, np.ones(2 * half + 1) / (2 * half + 1), mode="valid")
    return d + profile.distance_km[0], z


def default_smoothing_km(profile: Profile) -> float:
    """Light smoothing: 0.5 km, or two point spacings where the profile is coarser (e.g. a ~460 m DEM).

    Parameters
    ----------
    profile : Profile

    Returns
    -------
    float
        Smoothing window, km: ``max(0.5, 2 x median point spacing)``.

    Examples
    --------
    >>> p = Profile([0.0, 0.46, 0.92, 1.38], [71.0] * 4, [37.0] * 4, [0.0] * 4)
    >>> round(default_smoothing_km(p), 3)
    0.92
    """
    spacing = np.diff(profile.distance_km)
    spacing = spacing[spacing > 0]
    return float(max(0.5, 2 * np.median(spacing))) if spacing.size else 0.5


def climb_descent(elevation_m: np.ndarray) -> tuple[float, float]:
    """Total ascent and descent (both positive, metres) of a sequence of elevations.

    Parameters
    ----------
    elevation_m : array_like
        Elevations in order along the route, metres.

    Returns
    -------
    climb_m, descent_m : float

    Examples
    --------
    >>> climb_descent([100, 150, 120, 200])
    (130.0, 30.0)
    """
    dz = np.diff(np.asarray(elevation_m, dtype=np.float64))
    return float(dz[dz > 0].sum()), float(-dz[dz < 0].sum())


def max_grade(distance_km: np.ndarray, elevation_m: np.ndarray, design_length_km: float = 1.0):
    """Largest ``|dz| / design length`` (percent) and the km where that stretch starts.

    Parameters
    ----------
    distance_km : numpy.ndarray
        Uniformly spaced distances, km (as returned by :func:`smoothed`).
    elevation_m : numpy.ndarray
        Elevation at each distance, metres.
    design_length_km : float
        Length over which the grade is measured; a route shorter than this is
        measured over its whole length.

    Returns
    -------
    max_grade_pct, start_km : float

    Examples
    --------
    80 m of rise over the kilometre from km 1 to km 2:

    >>> d = np.array([0.0, 0.5, 1.0, 1.5, 2.0])
    >>> max_grade(d, np.array([0.0, 10.0, 20.0, 60.0, 100.0]), 1.0)
    (8.0, 1.0)
    """
    step = distance_km[1] - distance_km[0]
    n = int(round(design_length_km / step))
    n = min(max(n, 1), distance_km.size - 1)
    dz = elevation_m[n:] - elevation_m[:-n]
    i = int(np.argmax(np.abs(dz)))
    return float(abs(dz[i]) / (n * step * 1000.0) * 100.0), float(distance_km[i])


def km_above(distance_km: np.ndarray, elevation_m: np.ndarray, threshold_m: float) -> float:
    """Length (km) of the profile above ``threshold_m``, elevation linear between points.

    Parameters
    ----------
    distance_km, elevation_m : numpy.ndarray
        The profile: distance (km) and elevation (m) of each point.
    threshold_m : float

    Returns
    -------
    float
        Kilometres of route higher than ``threshold_m``.

    Examples
    --------
    Up from 3,900 m to 4,100 m and down again: half of each kilometre is above 4,000 m.

    >>> km_above(np.array([0.0, 1.0, 2.0]), np.array([3900.0, 4100.0, 3900.0]), 4000.0)
    1.0
    """
    z0, z1 = elevation_m[:-1], elevation_m[1:]
    ds = np.diff(distance_km)
    lo, hi = np.minimum(z0, z1), np.maximum(z0, z1)
    frac = np.where(hi <= threshold_m, 0.0, 1.0)
    partial = (lo < threshold_m) & (hi > threshold_m)
    frac[partial] = (hi[partial] - threshold_m) / (hi[partial] - lo[partial])
    return float(np.sum(frac * ds))


def weighted_stats(distance_km: np.ndarray, elevation_m: np.ndarray) -> tuple[float, float]:
    """Length-weighted mean (trapezoid) and median (segment midpoints weighted by length).

    Parameters
    ----------
    distance_km, elevation_m : numpy.ndarray
        The profile: distance (km) and elevation (m) of each point.

    Returns
    -------
    mean_m, median_m : float

    Examples
    --------
    One km averaging 150 m, then two km at 200 m: mean (150 + 2 x 200) / 3, median 200.

    >>> mean, median = weighted_stats(np.array([0.0, 1.0, 3.0]), np.array([100.0, 200.0, 200.0]))
    >>> round(mean, 2), median
    (183.33, 200.0)
    """
    ds = np.diff(distance_km)
    mid = 0.5 * (elevation_m[:-1] + elevation_m[1:])
    total = ds.sum()
    if total <= 0:
        return float(elevation_m.mean()), float(np.median(elevation_m))
    mean = float(np.sum(mid * ds) / total)
    order = np.argsort(mid)
    cum = np.cumsum(ds[order])
    median = float(mid[order][np.searchsorted(cum, 0.5 * total)])
    return mean, median


def steep_sections(
    profile: Profile,
    max_grade_pct: float,
    design_length_km: float = 1.0,
    step_km: float = 0.05,
    smoothing_km: float | None = None,
) -> list[dict]:
    """Stretches whose grade over the design length exceeds ``max_grade_pct``.

    Parameters
    ----------
    profile : Profile
    max_grade_pct : float
        Grade limit of the road, percent.
    design_length_km, step_km : float
        As in :func:`max_grade` and :func:`smoothed`.
    smoothing_km : float, optional
        As in :func:`smoothed`; default :func:`default_smoothing_km`, the window a route's summary
        measures its ``max_grade_pct`` on, so a section's ``max_grade_pct`` and the route's agree.

    Returns
    -------
    list of dict
        ``[{start_km, end_km, length_km, max_grade_pct}]``: where a road held to
        ``max_grade_pct`` would need switchbacks or a tunnel. A stretch runs from
        the first to the end of the last design-length window that is too steep.

    Examples
    --------
    A 200 m rise over the second km (20 %) between flats: a 1-km window is steeper
    than 12.5 % where it overlaps the ramp by more than 0.625 km, i.e. for windows
    starting between km 0.65 and km 1.35 (on the 50 m spacing).

    >>> p = Profile([0.0, 1.0, 2.0, 3.5], [71.0] * 4, [37.0] * 4, [0.0, 0.0, 200.0, 200.0])
    >>> steep_sections(p, 12.5, smoothing_km=0)
    [{'start_km': 0.65, 'end_km': 2.35, 'length_km': 1.7, 'max_grade_pct': 20.0}]
    """
    if smoothing_km is None:
        smoothing_km = default_smoothing_km(profile)
    d, z = smoothed(profile, step_km, smoothing_km)
    n = min(max(int(round(design_length_km / step_km)), 1), d.size - 1)
    grade = np.abs(z[n:] - z[:-n]) / (n * step_km * 1000.0) * 100.0
    steep = grade > max_grade_pct
    sections: list[dict[str, float]] = []
    for i, stop in true_runs(steep):
        start, end = float(d[i]), float(d[stop - 1 + n])
        top = round(float(grade[i:stop].max()), 2)
        if sections and start <= sections[-1]["end_km"]:
            # windows of two runs overlap: one stretch of road
            prev = sections[-1]
            start = prev["start_km"]
            top = max(top, prev["max_grade_pct"])
            sections.pop()
        sections.append(
            {
                "start_km": round(start, 3),
                "end_km": round(end, 3),
                "length_km": round(end - start, 3),
                "max_grade_pct": top,
            }
        )
    return sections


#: ``countries_km`` key of the km outside the box the country layer covers (the bundled layer stops
#: around the region): those km lie in some country the layer does not hold.
OUTSIDE_LAYER = "outside"
#: ``countries_km`` key of the km the layer covers but puts in no country.
NO_COUNTRY = "unknown"
_COUNTRY_WORDS = {OUTSIDE_LAYER: "outside the bundled country layer", NO_COUNTRY: "in no country of the layer"}


def country_words(code: str) -> str:
    """How tables and reports name a ``countries_km`` key: the ISO code, or what the two others mean.

    Examples
    --------
    >>> country_words("AF"), country_words("outside")
    ('AF', 'outside the bundled country layer')
    """
    return _COUNTRY_WORDS.get(code, code)


def countries_km(profile: Profile, country_at: Callable, covers: Callable | None = None) -> dict[str, float]:
    """Length (km) of the route in each country: a segment's ends' country, or its midpoint's where they differ.

    Parameters
    ----------
    profile : Profile
    country_at : callable
        ``country_at(lon, lat) -> ISO codes`` (e.g. :func:`wakhan.borders.country_at`);
        segments outside every country it knows (code ``""``) count under ``"unknown"``
        (:data:`NO_COUNTRY`), or under ``"outside"`` (:data:`OUTSIDE_LAYER`) where ``covers``
        says the layer does not reach them.
    covers : callable, optional
        ``covers(lon, lat) -> bool array``: where ``country_at``'s layer has data
        (e.g. :func:`wakhan.borders.layer_covers`); by default everywhere.

    Returns
    -------
    dict
        ISO code -> km, longest first.

    Examples
    --------
    >>> p = Profile([0.0, 1.0, 2.0, 3.0], [71.0, 71.1, 71.2, 71.3], [37.0] * 4, [0.0] * 4)
    >>> countries_km(p, lambda lon, lat: np.where(np.asarray(lon) < 71.1, "CN", "AF"))
    {'AF': 2.0, 'CN': 1.0}
    >>> countries_km(p, lambda lon, lat: np.full(np.shape(lon), ""), lambda lon, lat: np.asarray(lon) < 71.1)
    {'outside': 2.0, 'unknown': 1.0}
    """
    lon = 0.5 * (profile.lon[:-1] + profile.lon[1:])
    lat = 0.5 * (profile.lat[:-1] + profile.lat[1:])
    codes = np.asarray(country_at(lon, lat)).astype(str)
    # a segment whose two ends lie in one country counts there, even where a border wiggle
    # narrower than the step holds its midpoint (a CN+AF route along the Panj showed 0.5 km of TJ)
    ends = np.asarray(country_at(profile.lon, profile.lat)).astype(str)
    same = ends[:-1] == ends[1:]
    codes = np.where(same, ends[:-1], codes)
    if covers is not None:
        codes = codes.astype(object)  # room for the longer key
        codes[(codes == "") & ~np.asarray(covers(lon, lat), dtype=bool)] = OUTSIDE_LAYER
        codes = codes.astype(str)
    ds = np.diff(profile.distance_km)
    out: dict[str, float] = {}
    for code in np.unique(codes):
        out[str(code) or NO_COUNTRY] = round(float(ds[codes == code].sum()), 3)
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))
