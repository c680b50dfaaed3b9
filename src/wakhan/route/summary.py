"""A route's summary: one frozen, typed record in sections (built by :func:`wakhan.route.summary_fields.build_summary`).

:class:`RouteSummary` holds the numbers of ``wakhan route --json`` in sections:
the line's :class:`Terrain` statistics and its :class:`Provenance` (solver cost,
cost model, data sources, grid, notes) exist in every summary; the plan's
:class:`Search`, a highway's :class:`Engineering` and :class:`Costs` and a walk's
:class:`Walking` are ``None`` on a route that has none of their fields, so a type
checker makes every reader ask (the ``reference`` comparison, one dict, is
:data:`ABSENT` without a reference road). Inside a section a field may still be
absent: a summary read from a file another tool wrote need not hold them all.
:meth:`RouteSummary.to_dict`
gives the JSON content, flat, in the order it has always printed (sections do not
show in the file); :meth:`RouteSummary.from_dict` reads it back and
:meth:`RouteSummary.of` builds a summary from the same flat names. A field a route
does not have holds :data:`~wakhan.route.absent.ABSENT` (:mod:`wakhan.route.absent`
holds it and its two readers) and is left out of the JSON, so a field that is present
with the value ``None`` (``"avoid": null``) stays distinct from one that is missing.
The summary never changes after it is built: a later addition (the steep sections of
the claims, a raised grade limit in a comparison) makes a new one with
:meth:`RouteSummary.with_fields`. Nested values (passes, waypoints, cost breakdowns)
stay the plain JSON-like dicts and lists they are in the file.

The statistics themselves (climb, grade, passes, km above a height) are pure
functions in :mod:`wakhan.route.stats`; :mod:`wakhan.route.summary_fields` measures
the fields and assembles a summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from wakhan.route.absent import ABSENT, Absent

__all__ = [
    "Costs",
    "Engineering",
    "Provenance",
    "RouteSummary",
    "Search",
    "Terrain",
    "Walking",
]


# fields held as tuples (immutable) that the JSON writes as lists
_TUPLES = ("notes", "within", "avoid")


@dataclass(frozen=True, kw_only=True)
class Terrain:
    """The line's statistics (:mod:`wakhan.route.stats`): lengths in geodesic km, elevations m, grades %.

    Examples
    --------
    >>> RouteSummary.of(length_km=8.9, climb_m=420.0).terrain.climb_m
    420.0
    """

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


@dataclass(frozen=True, kw_only=True)
class Provenance:
    """Where the numbers come from: the solver's total ``cost`` in ``cost_unit``, the cost model, data, grid, notes.

    The model fields are absent for a route read from a plain line or profile.

    Examples
    --------
    >>> RouteSummary.of(cost=3600.0, cost_unit="s").provenance.cost_unit
    's'
    """

    cost: float | None | Absent = ABSENT
    cost_unit: str | None | Absent = ABSENT
    model: str | Absent = ABSENT
    model_description: str | Absent = ABSENT
    model_max_grade_pct: float | Absent = ABSENT
    data_sources: list[dict] | Absent = ABSENT
    grid: dict | None | Absent = ABSENT
    notes: tuple[str, ...] | Absent = ABSENT
    # issue 17: the share of the route's length on each DEM source (wakhan.route.source_shares)
    source_shares: list[dict] | None | Absent = ABSENT


@dataclass(frozen=True, kw_only=True)
class Search:
    """How :func:`wakhan.plan.plan_route` searched: the legs, countries, moves and optimality gap.

    Examples
    --------
    >>> RouteSummary.of(neighbours=16).search.neighbours, RouteSummary().search is None
    (16, True)
    """

    legs: list[dict] | Absent = ABSENT
    within: tuple[str, ...] | None | Absent = ABSENT
    avoid: tuple[str, ...] | None | Absent = ABSENT
    neighbours: int | Absent = ABSENT
    optimality_gap_pct: float | None | Absent = ABSENT
    lower_bound_cost: float | Absent = ABSENT
    optimality_bound: str | Absent = ABSENT


@dataclass(frozen=True, kw_only=True)
class Engineering:
    """A highway's engineering (:mod:`wakhan.route.engineering`), tunnels, earthworks and bridges.

    ``grade_limit_raised_pct`` (a comparison) and ``steep_sections`` (the claims) are added later.

    Examples
    --------
    >>> RouteSummary.of(hairpins=12).engineering.hairpins
    12
    """

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
    tunnels_allowed: bool | Absent = ABSENT
    max_elevation_ceiling_m: float | None | Absent = ABSENT
    roads_file: str | Absent = ABSENT
    # km of the route along an existing road (--roads), measured as length_km is, existing tunnels included;
    # the km to build there (switchbacks and the road-length factor included) are built_km_by_class["upgrade"]
    on_existing_road_km: float | Absent = ABSENT
    earthworks_m3: float | Absent = ABSENT
    bridges: list[dict] | Absent = ABSENT
    grade_limit_raised_pct: float | Absent = ABSENT
    steep_sections: list[dict] | Absent = ABSENT
    # issue 17: the range of the road-length model and what it rests on (wakhan.route.road_length)
    estimated_road_km_range: list[float] | Absent = ABSENT
    road_length_basis: str | Absent = ABSENT


@dataclass(frozen=True, kw_only=True)
class Costs:
    """A highway's cost range (:mod:`wakhan.route.costing`), and as an upgrade of an existing road.

    Examples
    --------
    >>> RouteSummary.of(existing_road_from="Sarhad-e Broghil").costs.existing_road_from
    'Sarhad-e Broghil'
    """

    cost_usd: dict | Absent = ABSENT
    cost_usd_as_upgrade: dict | Absent = ABSENT
    existing_road_from: str | Absent = ABSENT


@dataclass(frozen=True, kw_only=True)
class Walking:
    """A walk's time (the infiltration scenario of the claims): hours, days, daily limits, arrival.

    Examples
    --------
    >>> RouteSummary.of(walking_hours=62.35).walking.walking_hours
    62.35
    """

    walking_hours: float | Absent = ABSENT
    walking_days: float | Absent = ABSENT
    walking_hours_per_day: float | Absent = ABSENT
    walking_days_limited: float | Absent = ABSENT
    daily_limits: dict | Absent = ABSENT
    # the walking speed's factor and its calibration (plan_route; wakhan.cost.walking.walking_speed)
    walking_speed: dict | Absent = ABSENT
    arrival: str | Absent = ABSENT


# the optional sections: attribute of RouteSummary -> class
_OPTIONAL: dict[str, type] = {"search": Search, "engineering": Engineering, "costs": Costs, "walking": Walking}
_SECTIONS: dict[str, type] = {"terrain": Terrain, "provenance": Provenance, **_OPTIONAL}
#: flat field name -> the section holding it (None: RouteSummary itself)
_SECTION_OF: dict[str, str | None] = {
    "name": None,
    "reference": None,
    "geometry": None,
    **{f.name: section for section, cls in _SECTIONS.items() for f in fields(cls)},
}
#: the JSON's order (as ``wakhan route --json`` has always printed it); ``geometry`` comes last, after unknown keys
_ORDER = (
    "name",
    "length_km",
    "start_elevation_m",
    "end_elevation_m",
    "min_elevation_m",
    "mean_elevation_m",
    "median_elevation_m",
    "max_elevation_m",
    "km_above_4000m",
    "km_above_m",
    "climb_m",
    "descent_m",
    "max_grade_pct",
    "max_grade_km",
    "grade_design_length_km",
    "smoothing_km",
    "smoothing",
    "passes",
    "places_along",
    "waypoints",
    "countries_km",
    "cost",
    "cost_unit",
    "model",
    "model_description",
    "model_max_grade_pct",
    "data_sources",
    "grid",
    "notes",
    "legs",
    "design_grade_pct",
    "design_grade_pct_by_altitude",
    "hairpin_limit_pct",
    "tunnel_cost_factor",
    "horizontal_length_km",
    "built_length_km",
    "road_length_factor",
    "estimated_road_km",
    "switchback_km",
    "development_km",
    "hairpins",
    "max_built_grade_pct",
    "switchback_sections",
    "built_km_by_class",
    "tunnels",
    "cost_usd",
    "tunnels_allowed",
    "max_elevation_ceiling_m",
    "roads_file",
    "on_existing_road_km",
    "earthworks_m3",
    "bridges",
    "within",
    "avoid",
    "neighbours",
    "optimality_gap_pct",
    "lower_bound_cost",
    "optimality_bound",
    "walking_hours",
    "walking_days",
    "walking_hours_per_day",
    "walking_days_limited",
    "daily_limits",
    "walking_speed",
    "arrival",
    "grade_limit_raised_pct",
    "cost_usd_as_upgrade",
    "existing_road_from",
    "steep_sections",
    "reference",
    "estimated_road_km_range",
    "road_length_basis",
    "source_shares",
)
assert set(_ORDER) == set(_SECTION_OF) - {"geometry"}, "every field has its place in the JSON"


@dataclass(frozen=True, kw_only=True)
class RouteSummary:
    """The summary numbers of one route: its name, sections, unknown keys and line.

    ``terrain`` and ``provenance`` exist in every summary; ``search``,
    ``engineering``, ``costs`` and ``walking`` are ``None`` when the route has
    none of their fields, as is ``reference`` (:data:`ABSENT`) without a
    reference road. Every field inside a section defaults to :data:`ABSENT`
    (not written). :func:`wakhan.route.summary_fields.build_summary` fills the
    statistics of every route, :func:`wakhan.plan.plan_route` adds the legs, the
    highway engineering, the borders and the optimality gap.

    Examples
    --------
    >>> s = RouteSummary.of(name="r", length_km=12.5, notes=("a note",))
    >>> s.to_dict()
    {'name': 'r', 'length_km': 12.5, 'notes': ['a note']}
    >>> s.terrain.length_km, s.engineering is None
    (12.5, True)
    >>> s.with_fields(steep_sections=[]).engineering
    Engineering(... steep_sections=[], ...)
    """

    name: str | Absent = ABSENT
    terrain: Terrain = field(default_factory=Terrain)

    def __repr__(self) -> str:
        """One line for a notebook (the line's coordinates made it 17 kB): the headline numbers and where the rest is."""
        t, parts = self.terrain, []
        if isinstance(t.length_km, (int, float)):
            parts.append(f"{t.length_km:,.1f} km")
        if isinstance(t.max_elevation_m, (int, float)):
            parts.append(f"highest {t.max_elevation_m:,.0f} m")
        if isinstance(self.provenance.model, str):
            parts.append(f"{self.provenance.model} model")
        cost = self.costs.cost_usd if self.costs else None
        if isinstance(cost, dict) and isinstance(cost.get("low"), (int, float)):
            parts.append(f"US$ {cost['low'] / 1e9:,.2f}-{cost['high'] / 1e9:,.2f} bn")
        names = [k for k in _SECTIONS if getattr(self, k) is not None] + (["reference"] if self.reference else [])
        return f"<RouteSummary {self.name!r}: {', '.join(parts) or 'no numbers'}; sections .{', .'.join(names)}>"

    provenance: Provenance = field(default_factory=Provenance)
    search: Search | None = None
    engineering: Engineering | None = None
    costs: Costs | None = None
    walking: Walking | None = None
    #: deviation from a reference road (``--reference``, issue 17)
    reference: dict | Absent = ABSENT
    #: keys this version does not know (a file written by another version), kept as read
    extra: dict[str, Any] = field(default_factory=dict)
    #: simplified line of the route (GeoJSON), always last in the JSON
    geometry: dict | None | Absent = ABSENT

    @classmethod
    def of(cls, *, extra: dict[str, Any] | None = None, **values: Any) -> RouteSummary:
        """A summary from its fields by their flat (JSON) names; a section with none of them is left out.

        Lists given for the tuple fields (``notes``, ``within``, ``avoid``) are
        kept as tuples; an unknown name raises ``TypeError``.
        """
        groups: dict[str | None, dict[str, Any]] = {None: {}, **{name: {} for name in _SECTIONS}}
        for key, value in values.items():
            if key not in _SECTION_OF:
                raise TypeError(f"RouteSummary has no field {key!r}")
            groups[_SECTION_OF[key]][key] = tuple(value) if key in _TUPLES and isinstance(value, list) else value
        kw: dict[str, Any] = dict(groups[None])
        for name, section in _SECTIONS.items():
            given = groups[name]
            if name not in _OPTIONAL or any(v is not ABSENT for v in given.values()):
                kw[name] = section(**given)
        return cls(**kw, extra=dict(extra or {}))

    def flat(self) -> dict[str, Any]:
        """Every field by its flat name (:data:`ABSENT` where the route has none), sections opened."""
        out: dict[str, Any] = {}
        for key, section in _SECTION_OF.items():
            holder = self if section is None else getattr(self, section)
            out[key] = ABSENT if holder is None else getattr(holder, key)
        return out

    def with_fields(self, **changes: Any) -> RouteSummary:
        """A copy with the fields named (flat names, as :meth:`of`, and ``extra``) replaced."""
        extra = changes.pop("extra", self.extra)
        return RouteSummary.of(**{**self.flat(), **changes}, extra=extra)

    def to_dict(self) -> dict:
        """The JSON content: present fields in order, then unknown keys, then ``geometry``.

        Tuples become lists; nested dicts and lists are the summary's own (copy
        before changing them).
        """
        values = self.flat()
        out: dict = {}
        for key in _ORDER:
            value = values[key]
            if value is not ABSENT:
                out[key] = list(value) if key in _TUPLES and value is not None else value
        out.update(self.extra)
        if self.geometry is not ABSENT:
            out["geometry"] = self.geometry
        return out

    @classmethod
    def from_dict(cls, data: dict) -> RouteSummary:
        """A summary from its JSON content (:meth:`to_dict`, or a file written by :mod:`wakhan.route.files.export`)."""
        known = {key: value for key, value in data.items() if key in _SECTION_OF}
        return cls.of(**known, extra={str(k): v for k, v in data.items() if k not in _SECTION_OF})
