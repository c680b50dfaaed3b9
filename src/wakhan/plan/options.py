"""The planning options, validated once: cost model, grades, move set, countries, DEM, engineering.

One :class:`PlanOptions` is what :func:`wakhan.plan.plan_route`,
:func:`wakhan.plan.compare_routes`, the rasters of :mod:`wakhan.plan.rasters`
and the sweep plan with. The CLI builds it from its flags, a Python caller from
keywords; every check runs as it is built, before any data is read, and raises
:class:`wakhan.errors.InputError` with one sentence naming the option. The cost
model is chosen in one place, :meth:`PlanOptions.cost_model`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from difflib import get_close_matches
from typing import Any

from wakhan.cost import ALTITUDE_LOSS_PER_KM, MAX_GRADE_LIMIT_PCT, HighwayModel, WalkingModel, get_model
from wakhan.cost.walking import TREK_TERRAIN_FACTOR, calibrated_terrain_factor
from wakhan.errors import InputError, option
from wakhan.plan.waypoints import check_neighbours, parse_countries


class _UnknownOption(InputError, TypeError):
    """A keyword :class:`PlanOptions` does not have: one sentence naming the nearest option (still a TypeError)."""


__all__ = ["PlanOptions", "DEFAULT_BUFFER_KM", "DEFAULT_NEIGHBOURS", "max_grade_problem", "check_max_grade_pct"]

#: Buffer around the waypoints' box. Wide enough that the Kashgar-Kabul routes do
#: not run along the DEM's edge (a route that does gets a note), small enough to
#: solve in seconds at 464 m.
DEFAULT_BUFFER_KM = 50.0
#: 16 neighbours by default: with 8 the 45-degree move directions force zigzags up
#: narrow valleys, so a grade-limited road looks impossible where it is not
#: (Wakhjir Pass -> Ishkashim needs 12.4 % with 8 neighbours, 6.5 % with 16, on the pack).
DEFAULT_NEIGHBOURS = 16


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def max_grade_problem(value) -> str:
    """The sentence refusing ``value`` as a grade limit: one above 0 and at most :data:`MAX_GRADE_LIMIT_PCT`.

    Examples
    --------
    >>> max_grade_problem(200.0)
    '--max-grade 200, or max_grade_pct=200 in Python, must be a positive grade in percent, at most 100 (45 degrees: steeper ground is a cliff, climbed by no road or walker), e.g. --max-grade 12, or max_grade_pct=12 in Python'
    """
    shown = f"{value:g}" if isinstance(value, (int, float)) and not isinstance(value, bool) else repr(value)
    return (
        f"{option(f'--max-grade {shown}', f'max_grade_pct={shown}', subject=True)} must be a positive grade in percent, at most "
        f"{MAX_GRADE_LIMIT_PCT:g} (45 degrees: steeper ground is a cliff, climbed by no road or walker), e.g. "
        f"{option('--max-grade 12', 'max_grade_pct=12')}"
    )


def check_max_grade_pct(value) -> None:
    """Raise :class:`InputError` unless ``value`` is None or a grade limit above 0 and at most
    :data:`MAX_GRADE_LIMIT_PCT` percent: the one check of ``--max-grade`` and ``PlanOptions.max_grade_pct``.

    Examples
    --------
    >>> check_max_grade_pct(12.0), check_max_grade_pct(None)
    (None, None)
    >>> check_max_grade_pct(0)
    Traceback (most recent call last):
    ...
    wakhan.errors.InputError: --max-grade 0, or max_grade_pct=0 in Python, must be a positive grade in percent, at most 100 (45 degrees: steeper ground is a cliff, climbed by no road or walker), e.g. --max-grade 12, or max_grade_pct=12 in Python
    """
    if value is not None and not (_is_number(value) and 0 < value <= MAX_GRADE_LIMIT_PCT):
        raise InputError(max_grade_problem(value))


@dataclass(frozen=True, eq=False)
class PlanOptions:
    """How to plan a route: every option of ``wakhan route`` beside the waypoints, checked once.

    Parameters
    ----------
    model : {"highway", "walking", "isotropic"} or cost model
        The cost model, by name or as a model object (:mod:`wakhan.cost`).
    max_grade_pct : float, optional
        Override of the model's grade limit (percent).
    design_grade_pct : float, optional
        Highway design grade below 3,000 m (see :class:`wakhan.cost.HighwayModel`).
    earthworks_weight : float, optional
        Highway earthworks weight (``--earthworks``; default the model's calibrated one).
    neighbours : {8, 16, 32}
        Move set of the solver (default 16, see ``DEFAULT_NEIGHBOURS``).
    within, avoid : "CN,AF" or sequence of ISO alpha-2 codes, optional
        Confine the route to these countries / keep it out of them; stored as tuples
        of upper-case codes.
    dem : "pack", "tiles", a raster path, or a metric Grid or rioxarray DataArray
        Elevation source for :func:`wakhan.dem.dem_around`, or the DEM itself.
    resolution_m : float, optional
        DEM cell size; default the finest source's native spacing.
    buffer_km : float
        Margin around the waypoints' bounding box (default 50 km).
    tiles_dir : path, optional
        SRTM tile cache for ``dem="tiles"``.
    tunnels : bool
        Let the highway replace climbs by straight tunnels where cheaper.
    max_tunnel_km : float, optional
        Longest tunnel (default :data:`wakhan.solve.tunnels.DEFAULT_MAX_TUNNEL_KM`).
    max_elevation_m : float, optional
        Ceiling: no road cell above it (tunnels may pass beneath).
    roads : path or sequence of paths, optional
        Line layer(s) of existing roads, priced as upgrades (highway only).
    roads_left_out : sequence of str
        ``id`` properties of features of ``roads`` not taken as existing road (default none): the
        claims leave out the Wakhan jeep track to see where a route goes without it.
    structures : path or sequence of Structure, optional
        Existing tunnels (:mod:`wakhan.plan.existing`).
    gap_pct : float
        Certified optimality-gap tolerance of a coarse-to-fine route, percent (> 0, default 1).
    terrain_factor : float, optional
        Walking speed factor on Tobler's hiking function (``--terrain-factor``; > 0, 1 = Tobler as
        published). Default for ``model="walking"``: the factor calibrated on published treks,
        :data:`wakhan.cost.walking.TREK_TERRAIN_FACTOR` (``benchmarks/walking.md``), as the claims
        walk; a walking model given as an object keeps its own unless this is set.
    altitude_term : bool
        Walk with the altitude term (:data:`wakhan.cost.ALTITUDE_LOSS_PER_KM`) and, unless
        ``terrain_factor`` is set, its own calibrated factor
        (:data:`wakhan.cost.walking.TREK_TERRAIN_FACTOR_ALTITUDE`), as the claims' second walk.
    floodplain_weight : float
        Highway only (``--floodplain``): cells of the floodplain of a large river
        (:func:`wakhan.cost.floodplain.floodplain_mask`: within 5 m above a stream draining
        >= 100 km2) cost ``1 + floodplain_weight`` times as much. Default 0: off.
    catchment_source : "pack", "tiles" or a raster path, optional
        The source a Grid given as ``dem`` was built from (:func:`wakhan.plan.compare.compare_routes`
        sets it): catchments are then counted over that source's data around the grid
        (:func:`wakhan.dem.drainage.route_drainage`), as when ``dem`` names the source itself.
        Default None: a Grid given as ``dem`` counts catchments within itself.
    cross_water : bool
        Let the route cross lakes (``--cross-water``). By default water cells
        (:func:`wakhan.dem.water.water_mask`: GHS-WUP water on the pack, SRTM's flat lake
        surfaces elsewhere) are impassable, and the route's notes say so.

    Raises
    ------
    InputError
        An option out of range, an unknown country or model, countries both within
        and avoided, or a highway-only option with another model.

    Examples
    --------
    >>> o = PlanOptions(model="walking", within="cn, af", max_grade_pct=30)
    >>> o.within, o.cost_model().name, o.cost_model().max_grade_pct, o.highway
    (('CN', 'AF'), 'walking', 30.0, False)
    >>> o.cost_model().terrain_factor, PlanOptions(model="walking", terrain_factor=1).cost_model().terrain_factor
    (0.616, 1.0)
    >>> PlanOptions(neighbours=12)
    Traceback (most recent call last):
    ...
    wakhan.errors.InputError: --neighbours 12, or neighbours=12 in Python, is not supported; use 8, 16 or 32
    """

    model: Any = "highway"
    max_grade_pct: float | None = None
    design_grade_pct: float | None = None
    earthworks_weight: float | None = None
    neighbours: int = DEFAULT_NEIGHBOURS
    within: Any = None
    avoid: Any = None
    dem: Any = "pack"
    resolution_m: float | None = None
    buffer_km: float = DEFAULT_BUFFER_KM
    tiles_dir: Any = None
    tunnels: bool = False
    max_tunnel_km: float | None = None
    max_elevation_m: float | None = None
    roads: Any = None
    roads_left_out: tuple[str, ...] = ()
    structures: Any = None
    gap_pct: float = 1.0
    terrain_factor: float | None = None
    altitude_term: bool = False
    cross_water: bool = False
    floodplain_weight: float = 0.0
    catchment_source: Any = None

    def __post_init__(self) -> None:
        if self.terrain_factor is not None and not (_is_number(self.terrain_factor) and self.terrain_factor > 0):
            raise InputError(
                f"{option(f'--terrain-factor {self.terrain_factor!r}', f'terrain_factor={self.terrain_factor!r}', subject=True)} must be a positive walking speed factor "
                f"(1 = Tobler's hiking function as published; default {TREK_TERRAIN_FACTOR:g}, calibrated on published treks)"
            )
        check_max_grade_pct(self.max_grade_pct)
        if not (_is_number(self.gap_pct) and self.gap_pct > 0):
            raise InputError(
                f"{option(f'--gap-pct {self.gap_pct!r}', f'gap_pct={self.gap_pct!r}', subject=True)} must be a positive percentage (e.g. 1): the largest certified "
                "optimality gap a coarse-to-fine route may keep (for an exact route the full grid is solved)"
            )
        within = parse_countries(self.within, option("--within", "within"))
        avoid = parse_countries(self.avoid, option("--avoid", "avoid"))
        object.__setattr__(self, "within", None if within is None else tuple(within))
        object.__setattr__(self, "avoid", None if avoid is None else tuple(avoid))
        if within and avoid and set(within) & set(avoid):
            raise InputError(
                f"{', '.join(sorted(set(within) & set(avoid)))} is both in "
                f"{option('--within and in --avoid', 'within and in avoid')}; "
                "name each country in one of them only"
            )
        left_out = (self.roads_left_out,) if isinstance(self.roads_left_out, str) else self.roads_left_out
        object.__setattr__(self, "roads_left_out", tuple(str(i) for i in left_out or ()))
        check_neighbours(self.neighbours)
        model = self.cost_model()  # checks the model and its overrides
        if self.max_tunnel_km is not None and not (_is_number(self.max_tunnel_km) and self.max_tunnel_km > 0):
            raise InputError(
                f"{option(f'--max-tunnel-km {self.max_tunnel_km!r}', f'max_tunnel_km={self.max_tunnel_km!r}', subject=True)} must be "
                "a positive number of kilometres (the Gotthard road tunnel is 16.9 km); leave it out for no length "
                "limit (new tunnels are off unless asked for)"
            )
        if self.max_elevation_m is not None and not _is_number(self.max_elevation_m):
            raise InputError(
                f"{option(f'--max-elevation {self.max_elevation_m!r}', f'max_elevation_m={self.max_elevation_m!r}', subject=True)} "
                "must be a height in metres, e.g. 4000"
            )
        highway = isinstance(model, HighwayModel)
        if self.tunnels and not highway:
            raise InputError(
                f"{option('--tunnels', 'tunnels=True', subject=True)} applies to the highway model only, not {model.name} "
                f"(new tunnels are off by default); drop {option('--tunnels', 'tunnels=True', again=True)}"
            )
        if not (_is_number(self.floodplain_weight) and self.floodplain_weight >= 0):
            raise InputError(
                f"{option(f'--floodplain {self.floodplain_weight!r}', f'floodplain_weight={self.floodplain_weight!r}', subject=True)} "
                "must be a weight of zero or more (0 = off; 1 doubles the cost of a floodplain cell), e.g. "
                f"{option('--floodplain 1', 'floodplain_weight=1')}"
            )
        if self.floodplain_weight and not highway:
            raise InputError(
                f"{option('--floodplain', 'floodplain_weight', subject=True)} applies to the highway model only, "
                f"not {model.name}; drop it"
            )
        if self.roads is not None and not highway:
            raise InputError(
                f"{option('--roads', 'roads', subject=True)} applies to the highway model only (an existing road costs an "
                f"upgrade), not {model.name}; drop {option('--roads', 'roads')}"
            )

    @classmethod
    def of(cls, options: PlanOptions | None = None, **values: Any) -> PlanOptions:
        """``options`` with ``values`` replaced, or new options from ``values`` (Python callers' keywords).

        Examples
        --------
        >>> PlanOptions.of(PlanOptions(neighbours=8), buffer_km=20).neighbours
        8
        >>> PlanOptions.of(max_grade=8)  # the CLI's --max-grade is max_grade_pct, in percent
        Traceback (most recent call last):
        ...
        wakhan.plan.options._UnknownOption: there is no route option 'max_grade' (a PlanOptions field); did you mean max_grade_pct?
        """
        known = [f.name for f in fields(cls)]
        for key in values:
            if key not in known:
                near = [k for k in known if k.startswith(key + "_")] or get_close_matches(key, known, n=1)
                hint = f"did you mean {near[0]}?" if near else f"the options are {', '.join(known)}"
                raise _UnknownOption(f"there is no route option {key!r} (a PlanOptions field); {hint}")
        if options is None:
            return cls(**values)
        return replace(options, **values) if values else options

    def cost_model(self) -> Any:
        """The cost model these options plan with: the named (or given) model with the overrides applied.

        Examples
        --------
        >>> PlanOptions(max_grade_pct=10).cost_model().design_grade_pct
        7.0
        >>> PlanOptions(model="walking", design_grade_pct=6)
        Traceback (most recent call last):
        ...
        wakhan.errors.InputError: --design-grade, or design_grade_pct in Python, applies to the highway model only, not 'walking'; drop it
        """
        over: dict[str, float] = {}
        if self.earthworks_weight is not None:
            over["earthworks_weight"] = float(self.earthworks_weight)
        if self.max_grade_pct is not None:
            over["max_grade_pct"] = float(self.max_grade_pct)
        if self.design_grade_pct is not None:
            over["design_grade_pct"] = float(self.design_grade_pct)
        if isinstance(self.model, str):
            if str(self.model).strip().lower() != "highway":
                if self.earthworks_weight is not None:
                    raise InputError(
                        f"{option('--earthworks', 'earthworks_weight', subject=True)} applies to the highway model only, "
                        f"not {self.model!r}; drop it"
                    )
                if self.design_grade_pct is not None:
                    raise InputError(
                        f"{option('--design-grade', 'design_grade_pct', subject=True)} applies to the highway model only, "
                        f"not {self.model!r}; drop it"
                    )
            model = get_model(self.model, **over)
        else:
            model = self.model.with_overrides(**over) if over else self.model
        return self._walking_speed(model, calibrate=isinstance(self.model, str))

    def _walking_speed(self, model: Any, calibrate: bool) -> Any:
        """``model`` at the walking speed these options ask for (a walking model named by string: calibrated)."""
        if not isinstance(model, WalkingModel):
            for given, flag in (
                (self.terrain_factor is not None, option("--terrain-factor", "terrain_factor", subject=True)),
                (self.altitude_term, option("--altitude-term", "altitude_term=True", subject=True)),
            ):
                if given:
                    raise InputError(f"{flag} applies to the walking model only, not {model.name}; drop it")
            return model
        speed: dict[str, float] = {}
        if self.altitude_term:
            speed["altitude_loss_per_km"] = ALTITUDE_LOSS_PER_KM
        if self.terrain_factor is not None:
            speed["terrain_factor"] = float(self.terrain_factor)
        elif calibrate or self.altitude_term:
            # the factor fitted on published treks for this altitude setting (benchmarks/walking.md)
            speed["terrain_factor"] = calibrated_terrain_factor(
                speed.get("altitude_loss_per_km", model.altitude_loss_per_km)
            )
        return model.with_overrides(**speed) if speed else model

    @property
    def highway(self) -> bool:
        """Whether the cost model is the highway's (tunnels, roads, engineering apply).

        Examples
        --------
        >>> PlanOptions().highway, PlanOptions(model="walking").highway
        (True, False)
        """
        return isinstance(self.cost_model(), HighwayModel)
