"""A route's summary: one frozen, typed record, assembled once (:func:`build_summary`).

:class:`RouteSummary` holds the numbers of ``wakhan route --json``. Its fields
are in the order the JSON prints them; :meth:`RouteSummary.to_dict` gives that
JSON content, :meth:`RouteSummary.from_dict` reads it back from a file. A field
a route does not have (the engineering numbers of a walking route, the days of a
highway) holds :data:`ABSENT` and is left out of the JSON, so a field that is
present with the value ``None`` (``"avoid": null``) stays distinct from one that
is missing. The summary never changes after it is built: a later addition (the
steep sections of the claims, a raised grade limit in a comparison) makes a new
one with :func:`dataclasses.replace`. Nested values (passes, waypoints, cost
breakdowns) stay the plain JSON-like dicts and lists they are in the file.

The statistics themselves (climb, grade, passes, km above a height) are pure
functions in :mod:`wakhan.route.stats`; this module decides what goes into a
summary and where its names, places and data sources come from.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, Literal, TypeVar

from wakhan.borders import country_at as auto_country_at
from wakhan.places import load_places
from wakhan.route.artefacts import mark_artefacts
from wakhan.route.geometry import simplified_linestring
from wakhan.route.naming import places_along
from wakhan.route.profile import Profile
from wakhan.route.stats import (
    THRESHOLDS_M,
    climb_descent,
    countries_km,
    default_smoothing_km,
    filled_elevation,
    km_above,
    max_grade,
    smoothed,
    weighted_stats,
)
from wakhan.route.summary_fields import (
    borders_source,
    grid_fields,
    highway_fields,
    model_fields,
    optimality_fields,
    pass_fields,
    waypoint_fields,
)

__all__ = ["ABSENT", "RouteSummary", "build_summary", "highway_fields", "optimality_fields", "present"]


class _Absent(enum.Enum):
    """The type of :data:`ABSENT` (an enum, so that type checkers know its one value)."""

    ABSENT = "absent"

    def __bool__(self) -> Literal[False]:  # so that `summary.passes or []` is typed as a list
        return False

    def __repr__(self) -> str:
        return "ABSENT"


#: The value of a summary field the route does not have; such a field is not written to JSON.
ABSENT = _Absent.ABSENT
Absent = Literal[_Absent.ABSENT]

_T = TypeVar("_T")


def present(value: _T | Absent, name: str) -> _T:
    """``value`` of the summary field ``name``; a TypeError naming it when the route has none.

    For readers of a field every route of their kind has (a highway's ``cost_usd``, any
    route's ``passes``): it states that, and says which field is missing if it is not.

    Examples
    --------
    >>> present(RouteSummary(length_km=8.9).length_km, "length_km")
    8.9
    >>> present(RouteSummary().tunnels, "tunnels")
    Traceback (most recent call last):
    ...
    TypeError: the route summary has no tunnels
    """
    if isinstance(value, _Absent):
        raise TypeError(f"the route summary has no {name}")
    return value


_AUTO = "auto"
# fields held as tuples (immutable) that the JSON writes as lists
_TUPLES = ("notes", "within", "avoid")


@dataclass(frozen=True, kw_only=True)
class RouteSummary:
    """The summary numbers of one route, in the order ``wakhan route --json`` prints them.

    Lengths are geodesic km, elevations metres, grades percent; ``cost`` is the
    solver's total in ``cost_unit`` ("m" equivalent flat metres for the highway,
    "s" for walking). See :mod:`wakhan.route.stats` for the definitions. Every
    field defaults to :data:`ABSENT` (not written); :func:`build_summary` fills
    the statistics of every route, :func:`wakhan.plan.plan_route` adds the legs,
    the highway engineering, the borders and the optimality gap.

    Examples
    --------
    >>> s = RouteSummary(name="r", length_km=12.5, notes=("a note",))
    >>> s.to_dict()
    {'name': 'r', 'length_km': 12.5, 'notes': ['a note']}
    >>> import dataclasses
    >>> dataclasses.replace(s, steep_sections=[]).to_dict()["steep_sections"]
    []
    """

    # statistics of the profile (wakhan.route.stats), present in every summary
    name: str | Absent = ABSENT
    length_km: float | Absent = ABSENT
    start_elevation_m: float | Absent = ABSENT
    end_elevation_m: float | Absent = ABSENT
    min_elevation_m: float | Absent = ABSENT
    mean_elevation_m: float | Absent = ABSENT
    median_elevation_m: float | Absent = ABSENT
    max_elevation_m: float | Absent = ABSENT
    km_above_4000m: float | Absent = ABSENT
    km_above_m: dict[str, float] | Absent = ABSENT
    climb_m: float | Absent = ABSENT
    descent_m: float | Absent = ABSENT
    max_grade_pct: float | Absent = ABSENT
    max_grade_km: float | Absent = ABSENT
    grade_design_length_km: float | Absent = ABSENT
    smoothing_km: float | Absent = ABSENT
    smoothing: str | Absent = ABSENT
    passes: list[dict] | Absent = ABSENT
    places_along: list[dict] | Absent = ABSENT
    waypoints: list[dict] | Absent = ABSENT
    countries_km: dict[str, float] | Absent = ABSENT
    cost: float | None | Absent = ABSENT
    cost_unit: str | None | Absent = ABSENT
    # the cost model (absent for a route read from a plain line or profile)
    model: str | Absent = ABSENT
    model_description: str | Absent = ABSENT
    model_max_grade_pct: float | Absent = ABSENT
    data_sources: list[dict] | Absent = ABSENT
    grid: dict | None | Absent = ABSENT
    notes: tuple[str, ...] | Absent = ABSENT
    # plan_route: one entry per leg between consecutive waypoints
    legs: list[dict] | Absent = ABSENT
    # highway engineering (wakhan.route.engineering, wakhan.route.costing)
    design_grade_pct: float | Absent = ABSENT
    design_grade_pct_by_altitude: dict | Absent = ABSENT
    hairpin_limit_pct: float | Absent = ABSENT
    tunnel_cost_factor: float | Absent = ABSENT
    horizontal_length_km: float | Absent = ABSENT
    built_length_km: float | Absent = ABSENT
    road_length_factor: float | Absent = ABSENT
    estimated_road_km: float | Absent = ABSENT
    switchback_km: float | Absent = ABSENT
    development_km: float | Absent = ABSENT
    hairpins: int | Absent = ABSENT
    max_built_grade_pct: float | Absent = ABSENT
    switchback_sections: list[dict] | Absent = ABSENT
    built_km_by_class: dict | Absent = ABSENT
    tunnels: list[dict] | Absent = ABSENT
    cost_usd: dict | Absent = ABSENT
    tunnels_allowed: bool | Absent = ABSENT
    max_elevation_ceiling_m: float | None | Absent = ABSENT
    roads_file: str | Absent = ABSENT
    on_existing_road_km: float | Absent = ABSENT
    # issue 17: the bench cut across the side slope and the bridges over the DEM's streams
    earthworks_m3: float | Absent = ABSENT
    bridges: list[dict] | Absent = ABSENT
    # the search: countries, moves, optimality
    within: tuple[str, ...] | None | Absent = ABSENT
    avoid: tuple[str, ...] | None | Absent = ABSENT
    neighbours: int | Absent = ABSENT
    optimality_gap_pct: float | None | Absent = ABSENT
    lower_bound_cost: float | Absent = ABSENT
    optimality_bound: str | Absent = ABSENT
    # walking (the infiltration scenario of the claims)
    walking_hours: float | Absent = ABSENT
    walking_days: float | Absent = ABSENT
    walking_hours_per_day: float | Absent = ABSENT
    walking_days_limited: float | Absent = ABSENT
    daily_limits: dict | Absent = ABSENT
    # the walking speed's factor and its calibration (plan_route; wakhan.cost.walking.walking_speed)
    walking_speed: dict | Absent = ABSENT
    arrival: str | Absent = ABSENT
    # added by compare_routes and the claims
    grade_limit_raised_pct: float | Absent = ABSENT
    cost_usd_as_upgrade: dict | Absent = ABSENT
    existing_road_from: str | Absent = ABSENT
    steep_sections: list[dict] | Absent = ABSENT
    # issue 17: deviation from a reference road (--reference)
    reference: dict | Absent = ABSENT
    # issue 17: the range of the road-length model and what it rests on (wakhan.route.road_length)
    estimated_road_km_range: list[float] | Absent = ABSENT
    road_length_basis: str | Absent = ABSENT
    #: keys this version does not know (a file written by another version), kept as read
    extra: dict[str, Any] = field(default_factory=dict)
    #: simplified line of the route (GeoJSON), always last in the JSON
    geometry: dict | None | Absent = ABSENT

    def to_dict(self) -> dict:
        """The JSON content: present fields in order, then unknown keys, then ``geometry``.

        Tuples become lists; nested dicts and lists are the summary's own (copy
        before changing them).
        """
        out: dict = {}
        for f in fields(self):
            if f.name in ("extra", "geometry"):
                continue
            value = getattr(self, f.name)
            if value is not ABSENT:
                out[f.name] = list(value) if f.name in _TUPLES and value is not None else value
        out.update(self.extra)
        if self.geometry is not ABSENT:
            out["geometry"] = self.geometry
        return out

    @classmethod
    def from_dict(cls, data: dict) -> RouteSummary:
        """A summary from its JSON content (:meth:`to_dict`, or a file written by :mod:`wakhan.route.files.export`)."""
        known = _field_names()
        kw: dict = {}
        extra: dict = {}
        for key, value in data.items():
            if key in known:
                kw[key] = tuple(value) if key in _TUPLES and isinstance(value, list) else value
            else:
                extra[str(key)] = value
        return cls(**kw, extra=extra)


def _field_names() -> frozenset[str]:
    return frozenset(f.name for f in fields(RouteSummary)) - {"extra"}


def build_summary(
    profile: Profile,
    name: str = "route",
    dem=None,
    *,
    places=_AUTO,
    country_at: Callable | str | None = _AUTO,
    waypoints: Sequence | None = None,
    cost: float | None = None,
    cost_unit: str | None = None,
    model=None,
    sources: Sequence[dict] | None = None,
    grade_design_length_km: float = 1.0,
    step_km: float = 0.05,
    smoothing_km: float | None = None,
    pass_prominence_m: float = 300.0,
    pass_name_km: float = 5.0,
    places_within_km: float = 5.0,
    notes: Sequence[str] = (),
    cite_borders: bool | str = False,
    **more: Any,
) -> RouteSummary:
    """The summary of one route profile (the numbers of ``wakhan route --json``), built once.

    Parameters
    ----------
    profile : Profile
    name : str
        Route name shown in tables and figures.
    dem : Grid, optional
        The DEM the route was sampled from; names the data sources and grid.
    places : sequence of Place, "auto" or None
        Gazetteer used to name passes and list places along the route; "auto"
        loads ``wakhan.places.load_places()``; None names nothing.
    country_at : callable, "auto" or None
        ``country_at(lon, lat) -> ISO codes``; "auto" uses ``wakhan.borders``.
    waypoints : sequence of dict or Place, optional
        The requested waypoints; ``km`` along the route is found when missing.
    cost, cost_unit, model
        Solver total cost, its unit, and the cost model (object or name).
    sources : sequence of dict, optional
        Data sources when ``dem`` is not given (e.g. a profile read from a file).
    cite_borders : bool or "auto"
        Add the region pack's country borders to the data sources: always
        (True), never (False), or when the route's length by country was
        measured ("auto").
    **more
        Further :class:`RouteSummary` fields the caller has computed (legs,
        engineering, tunnels, cost_usd, within, optimality gap, walking days...);
        an unknown name raises ``TypeError``.

    Returns
    -------
    RouteSummary

    Examples
    --------
    >>> from wakhan.route import profile_from_lonlat
    >>> p = profile_from_lonlat([71.0, 71.05, 71.1], [37.0, 37.0, 37.0], [3000.0, 3400.0, 3100.0])
    >>> s = build_summary(p, "example", places=None, country_at=None, neighbours=8)
    >>> s.length_km, s.max_elevation_m, s.neighbours  # 0.1 deg of the WGS84 parallel at 37 N: 8.901 km
    (8.901, 3400.0, 8)
    """
    if smoothing_km is None:
        smoothing_km = default_smoothing_km(profile)
    d_raw = profile.distance_km
    z_raw = filled_elevation(profile)
    d_s, z_s = smoothed(profile, step_km, smoothing_km)
    mean, median = weighted_stats(d_raw, z_raw)
    climb, descent = climb_descent(z_s)
    grade, grade_km = max_grade(d_s, z_s, grade_design_length_km)
    if isinstance(places, str):
        places = list(load_places())
    if isinstance(country_at, str):
        country_at = auto_country_at
    by_country = countries_km(profile, country_at) if country_at is not None else {}
    data_sources, grid = grid_fields(dem, sources)
    if cite_borders is True or (cite_borders == _AUTO and by_country):
        borders = borders_source()
        if borders not in data_sources:
            data_sources.append(borders)
    for key in _TUPLES:
        if isinstance(more.get(key), list):
            more[key] = tuple(more[key])
    geometry = more.pop("geometry", simplified_linestring(profile))
    return RouteSummary(
        name=name,
        length_km=round(float(d_raw[-1] - d_raw[0]), 3),
        start_elevation_m=round(float(z_raw[0]), 1),
        end_elevation_m=round(float(z_raw[-1]), 1),
        min_elevation_m=round(float(z_raw.min()), 1),
        mean_elevation_m=round(mean, 1),
        median_elevation_m=round(median, 1),
        max_elevation_m=round(float(z_raw.max()), 1),
        km_above_4000m=round(km_above(d_raw, z_raw, 4000.0), 3),
        km_above_m={str(t): round(km_above(d_raw, z_raw, float(t)), 3) for t in THRESHOLDS_M},
        climb_m=round(climb, 1),
        descent_m=round(descent, 1),
        max_grade_pct=round(grade, 2),
        max_grade_km=round(grade_km, 3),
        grade_design_length_km=grade_design_length_km,
        smoothing_km=round(smoothing_km, 3),
        smoothing=(
            f"elevations resampled every {step_km * 1000:.0f} m and averaged over a centred "
            f"{smoothing_km:.2f} km window before climb, descent, grade and passes"
        ),
        passes=mark_artefacts(  # a saddle on a large stream: a dam in the data (issue 18)
            pass_fields(
                profile, d_raw, z_raw, d_s, z_s, places, smoothing_km, step_km, pass_prominence_m, pass_name_km
            ),
            dem,
        ),
        places_along=places_along(profile, places, places_within_km) if places else [],
        waypoints=waypoint_fields(profile, d_raw, z_raw, waypoints),
        countries_km=by_country,
        cost=None if cost is None else round(float(cost), 3),
        cost_unit=cost_unit,
        **model_fields(model),
        data_sources=data_sources,
        grid=grid,
        notes=tuple(notes),
        geometry=geometry,
        **more,
    )
