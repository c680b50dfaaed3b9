"""Cost models: documented parameter sets that price one step across terrain.

A cost model is a frozen dataclass of numbers, never user code. The solver
(:mod:`wakhan.solve`) turns it into a kind code plus a float parameter vector
(:meth:`kernel_params`) and evaluates the formula below inside a Numba kernel.

Every edge of the grid graph joins two cell centres ``a -> b`` and is priced
as one or two straight *pieces* ``p -> q``, each with its metric ``length``,
``dz = z[q] - z[p]`` (metres) and grade in percent exactly
``grade_pct = 100.0 * dz / length`` (evaluated in that order, in float64):

* a move within the 8-neighbourhood (``|dr|, |dc| <= 1``) is one piece,
  ``a -> b``, with ``length`` the distance between the centres;
* a longer move (the knight's (1, 2) moves of 16 neighbours, the (1, 3) and
  (2, 3) moves of 32; about 1.04-1.67 km on a 464 m grid) is two pieces
  ``a -> m -> b`` of ``length / 2`` each, split at the midpoint ``m`` of the
  segment. ``z[m]`` is the bilinear interpolation of the DEM at the fractional
  cell ``(r + dr/2, c + dc/2)``: the mean of the two cells straddling the
  midpoint for (1, 2) and (2, 3) moves, of the four cells around it for
  (1, 3) moves. So a ridge or gully between the end cells is graded, not
  jumped.

An edge is impassable when ``abs(grade_pct) > max_grade_pct`` for any of its
pieces, or when a cell around its midpoint has no data. Otherwise its cost is::

    sum over pieces p -> q of  length * cost_per_m(grade_pct, z[p], z[q])
    times (friction[a] + friction[b]) / 2

where the friction factor is 1 when no friction raster is given. Travelling
``b -> a`` uses the same pieces in reverse order (each grade negated).

Models
------
:class:`HighwayModel`  (unit ``"m"``, equivalent flat metres)
    A road held to a *design grade* ``gd(z)`` that develops length
    (switchbacks) where the terrain is steeper. With ``g = grade_pct``,
    ``A = 1 + altitude_surcharge`` when the piece's mean elevation
    ``zmean = (z[p] + z[q]) / 2`` exceeds ``altitude_threshold_m`` (else 1),
    ``w = uphill_weight`` when ``g > 0`` else ``downhill_weight``::

        gd(z) = design_grade_pct - altitude_grade_reduction_pct * n(z), not below
                min(design_grade_pct, design_grade_floor_pct)
        n(z)  = 0 below 3,000 m, 1 for 3,000-4,000 m, 2 for 4,000-5,000 m, 3 above
                (China's JTG D20-2017 plateau reduction, see HighwayModel)
        |g| <= gd:  cost_per_m = (1 + w * (g / grade_scale_pct) ** 2) * A
        |g| >  gd:  r = |g| / gd           (built length / horizontal length)
                    cost_per_m = r * (1 + w * (gd / grade_scale_pct) ** 2) * A
                                 + (r - 1) * hairpin_cost_m / hairpin_spacing_m * A

    i.e. a switchback section is a road of ``r`` times the length at the design
    grade, plus one hairpin (worth ``hairpin_cost_m`` flat metres) per
    ``hairpin_spacing_m`` of developed length. Pieces steeper than
    ``max_grade_pct`` (the hairpin limit) are impassable: only a tunnel
    (:mod:`wakhan.solve.tunnels`) crosses there. With ``design_grade_pct ==
    max_grade_pct`` and ``altitude_grade_reduction_pct = 0`` no piece is ever
    developed: the old hard-limit model.
:class:`WalkingModel`  (unit ``"s"``, travel time)
    Tobler's hiking function: speed ``v = base_speed_kmh * terrain_factor *
    exp(-slope_coefficient * abs(grade_pct / 100 + slope_offset))`` km/h
    over the horizontal distance, ``cost_per_m = 3.6 / v`` seconds per metre.
    With an altitude term (``altitude_loss_per_km > 0``) the speed is further
    multiplied by ``max(1 - altitude_loss_per_km * (zmean - altitude_onset_m) / 1000,
    altitude_floor)`` when the piece's mean elevation ``zmean`` exceeds
    ``altitude_onset_m`` (aerobic power falls with altitude; see the class).
:class:`IsotropicModel`  (unit ``"m"`` by default)
    ``cost_per_m = cost_per_m`` (a constant), so the split of long moves does
    not change their cost. With a friction raster and 8 neighbours this is
    scikit-image's ``MCP_Geometric``: edge cost ``length * (c[a] + c[b]) / 2``.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields, replace
from typing import Any, ClassVar

import numpy as np

from wakhan.errors import InputError

__all__ = [
    "HighwayModel",
    "DEFAULT_DESIGN_GRADE_PCT",
    "DEFAULT_HAIRPIN_LIMIT_PCT",
    "WalkingModel",
    "IsotropicModel",
    "get_model",
    "MODELS",
    "KIND_ISOTROPIC",
    "KIND_HIGHWAY",
    "KIND_WALKING",
    "ALTITUDE_LOSS_PER_KM",
]

#: Walking speed lost per 1,000 m above 580 m with the altitude term on: 26 % at 4,000 m
#: (Buskirk et al. 1967) over 3.42 km above the 580 m onset (Fulco et al. 1998); see WalkingModel.
ALTITUDE_LOSS_PER_KM = 0.076

KIND_ISOTROPIC = 0
KIND_HIGHWAY = 1
KIND_WALKING = 2


def _check_positive(model, *names, allow_zero=False):
    for name in names:
        value = getattr(model, name)
        bad = not isinstance(value, (int, float)) or math.isnan(value) or (value < 0 if allow_zero else value <= 0)
        if bad:
            need = "zero or positive" if allow_zero else "positive"
            raise InputError(f"{model.name} model parameter {name}={value!r} must be a {need} number.")


class _Model:
    """Shared behaviour: description and the kernel's parameter vector."""

    __dataclass_fields__: ClassVar[dict[str, Any]]  # every model is a dataclass (for type checkers)
    name = "model"
    cost_unit = "m"

    def describe(self) -> str:
        """One line naming the model, its unit and every parameter."""
        params = ", ".join(f"{f.name}={getattr(self, f.name):g}" for f in fields(self))
        return f"{self.name} model (cost unit {self.cost_unit}): {params}"

    def as_dict(self) -> dict:
        return {"name": self.name, "cost_unit": self.cost_unit, **asdict(self)}

    def with_overrides(self, **overrides):
        unknown = set(overrides) - {f.name for f in fields(self)}
        if unknown:
            names = ", ".join(f.name for f in fields(self))
            raise InputError(f"{self.name} model has no parameter {sorted(unknown)[0]!r}; choose from {names}.")
        return replace(self, **overrides)


#: Default design grade (percent) of a two-lane mountain highway below 3,000 m:
#: China's JTG D20-2017 (Design Specification for Highway Alignment, section 8.3,
#: maximum longitudinal grade) allows 7 % at a design speed of 40 km/h, the speed of
#: a class-III highway in mountains; AASHTO's Green Book (A Policy on Geometric
#: Design of Highways and Streets, ch. 7, rural arterials) gives 7-8 % in
#: mountainous terrain at 40-50 mph.
DEFAULT_DESIGN_GRADE_PCT = 7.0
#: The hairpin limit: the steepest terrain grade (percent, over one grid step)
#: on which a road can still be developed with switchbacks. USAID/USDA Forest
#: Service, Keller & Sherar (2003), *Low-Volume Roads Engineering: Best Management
#: Practices Field Guide*, road location: avoid hillslopes steeper than about
#: 60 %, where a bench cut is no longer stable and the road must go in tunnel or
#: on structures.
DEFAULT_HAIRPIN_LIMIT_PCT = 60.0


@dataclass(frozen=True)
class HighwayModel(_Model):
    """A road builder's cost: equivalent flat metres of road built to a design grade.

    Parameters
    ----------
    max_grade_pct : float
        Hard limit (percent, both directions) on the terrain grade of a piece (a
        move, or a long move's half; see the module doc): the hairpin limit,
        beyond which no switchbacks can be built (default 60 %, see
        :data:`DEFAULT_HAIRPIN_LIMIT_PCT`). Steeper pieces are impassable.
    design_grade_pct : float, optional
        The grade the road is built to below 3,000 m (default 7 %, see
        :data:`DEFAULT_DESIGN_GRADE_PCT`, or ``max_grade_pct`` when that is
        lower). Terrain steeper than the design grade is climbed by switchbacks
        whose built length is ``terrain length * grade / design grade``.
    altitude_grade_reduction_pct : float
        Percentage points taken off the design grade for each 1,000 m band above
        3,000 m: JTG D20-2017 section 8.3, reduction of the maximum longitudinal
        grade on plateaus (1 % at 3,000-4,000 m, 2 % at 4,000-5,000 m, 3 % above
        5,000 m), because engines lose power in thin air and snow lies longer.
    design_grade_floor_pct : float
        The same norm: a reduced grade below 4 % is taken as 4 %.
    hairpin_spacing_m : float
        Metres of developed (extra) length per hairpin bend; an estimate from two
        Alpine pass roads: the Stelvio's eastern ramp has 48 numbered hairpins on
        24.3 km of road from Prato, about 15 km in a straight line (about 190 m of
        development per hairpin); the Tremola (Gotthard) climbs 300 m in 24
        hairpins on 4 km of road (about 100 m). 200 m errs towards fewer hairpins.
    hairpin_cost_m : float
        Cost of one hairpin (widening, retaining walls) in equivalent flat metres
        of road; an estimate.
    grade_scale_pct : float
        Grade ``g0`` at which a metre of uphill road costs twice a flat metre
        (with ``uphill_weight = 1``): cuts, heavier pavement, drainage.
    uphill_weight, downhill_weight : float
        Weights ``w`` of the grade term for climbing and descending edges.
    altitude_threshold_m : float
        Height above which the altitude surcharge applies (snow, seasonal
        closure, construction at altitude).
    altitude_surcharge : float
        Fractional extra cost per metre above the threshold (0.5 = +50 %).
    tunnel_cost_factor : float
        Cost of one metre of road tunnel in flat metres of new road: the ratio
        of the mid unit costs of ``tunnel`` and ``plain_road`` in
        ``data/unit_costs.csv`` (about US$ 24.9 M and 1.75 M per km; see
        :mod:`wakhan.route.costing`). Used by :mod:`wakhan.solve.tunnels`.

    Examples
    --------
    >>> m = HighwayModel()
    >>> m.name, m.cost_unit, m.max_grade_pct, m.design_grade_pct
    ('highway', 'm', 60.0, 7.0)

    The design grade loses 1 point per 1,000 m band above 3,000 m (4,500 m is in the second band):

    >>> float(m.design_grade_at(4500.0))
    5.0
    """

    max_grade_pct: float = DEFAULT_HAIRPIN_LIMIT_PCT
    grade_scale_pct: float = 8.0
    uphill_weight: float = 1.0
    downhill_weight: float = 0.5
    altitude_threshold_m: float = 4000.0
    altitude_surcharge: float = 0.5
    design_grade_pct: float | None = None
    altitude_grade_reduction_pct: float = 1.0
    design_grade_floor_pct: float = 4.0
    hairpin_spacing_m: float = 200.0
    hairpin_cost_m: float = 100.0
    tunnel_cost_factor: float = 14.0

    name = "highway"
    cost_unit = "m"

    def __post_init__(self):
        _check_positive(self, "max_grade_pct", "grade_scale_pct", "hairpin_spacing_m", "tunnel_cost_factor")
        _check_positive(
            self,
            "uphill_weight",
            "downhill_weight",
            "altitude_surcharge",
            "altitude_grade_reduction_pct",
            "design_grade_floor_pct",
            "hairpin_cost_m",
            allow_zero=True,
        )
        if math.isnan(self.altitude_threshold_m):
            raise InputError("highway model parameter altitude_threshold_m must be a number.")
        if self.design_grade_pct is None:
            object.__setattr__(self, "design_grade_pct", min(DEFAULT_DESIGN_GRADE_PCT, float(self.max_grade_pct)))
        gd = self.design_grade_pct
        if not isinstance(gd, (int, float)) or math.isnan(gd) or gd <= 0:
            raise InputError(
                f"design grade {gd!r} % must be a positive number of percent; "
                f"road norms use 4-9 %, e.g. --design-grade 7."
            )
        if gd > self.max_grade_pct:
            raise InputError(
                f"design grade {gd:g} % is above the hard grade limit {self.max_grade_pct:g} %; "
                f"lower --design-grade or raise --max-grade."
            )

    def with_overrides(self, **overrides):
        """As :meth:`_Model.with_overrides`; a lower hard limit alone lowers the design grade with it."""
        if "max_grade_pct" in overrides and overrides.get("design_grade_pct") is None:
            limit = overrides["max_grade_pct"]
            if isinstance(limit, (int, float)) and limit > 0:
                overrides["design_grade_pct"] = min(self.design_grade_pct, float(limit))
        return super().with_overrides(**overrides)

    def design_grade_at(self, elevation_m) -> np.ndarray:
        """The design grade (percent) at ``elevation_m`` (the altitude reduction applied)."""
        z = np.asarray(elevation_m, dtype=np.float64)
        bands = np.clip(np.floor((z - 3000.0) / 1000.0) + 1.0, 0.0, 3.0)
        design = self.design_grade_pct
        assert design is not None  # __post_init__ sets it
        floor = min(design, self.design_grade_floor_pct)
        return np.maximum(design - self.altitude_grade_reduction_pct * bands, floor)

    @property
    def min_design_grade_pct(self) -> float:
        return float(self.design_grade_at(1e9))

    @property
    def min_cost_per_m(self) -> float:
        """Smallest cost of one metre (flat, below the threshold): 1."""
        return 1.0

    @property
    def max_cost_per_m(self) -> float:
        """Largest cost of one metre: at the hairpin limit, lowest design grade, above the threshold."""
        w = max(self.uphill_weight, self.downhill_weight)
        a = 1.0 + self.altitude_surcharge
        gd = self.min_design_grade_pct
        g = self.max_grade_pct
        if g <= gd:
            return (1.0 + w * (g / self.grade_scale_pct) ** 2) * a
        r = g / gd
        return (
            r * (1.0 + w * (gd / self.grade_scale_pct) ** 2) + (r - 1.0) * self.hairpin_cost_m / self.hairpin_spacing_m
        ) * a

    def describe(self) -> str:
        return super().describe() + (
            f"; design grade {self.design_grade_pct:g} % below 3,000 m, "
            f"{self.min_design_grade_pct:g} % above 5,000 m (switchbacks on "
            f"steeper terrain up to {self.max_grade_pct:g} %)"
        )

    def kernel_params(self):
        return KIND_HIGHWAY, np.array(
            [
                self.grade_scale_pct,
                self.uphill_weight,
                self.downhill_weight,
                self.altitude_threshold_m,
                self.altitude_surcharge,
                self.design_grade_pct,
                self.altitude_grade_reduction_pct,
                min(self.design_grade_pct, self.design_grade_floor_pct),
                self.hairpin_cost_m / self.hairpin_spacing_m,
                *self.design_grade_at([2000.0, 3500.0, 4500.0, 5500.0]),  # in each band 0-3 of design_grade_at
            ],
            dtype=np.float64,
        )


@dataclass(frozen=True)
class WalkingModel(_Model):
    """Travel time on foot by Tobler's hiking function (seconds).

    Parameters
    ----------
    max_grade_pct : float
        Steepest walkable grade, percent; default 100 % (45 degrees), beyond
        which walking becomes climbing and Tobler's function does not apply.
    base_speed_kmh : float
        Tobler's peak speed, 6 km/h, reached at ``grade = -slope_offset``.
    slope_coefficient : float
        Tobler's 3.5: how fast the speed decays with grade.
    slope_offset : float
        Tobler's 0.05: the gentle downhill grade (5 %) that is fastest.
    terrain_factor : float
        Speed multiplier; Tobler suggests 0.6 for off-path travel.
    altitude_loss_per_km : float
        Fractional loss of walking speed per 1,000 m above ``altitude_onset_m``;
        0 (default) leaves Tobler's function as it is. :data:`ALTITUDE_LOSS_PER_KM`
        = 0.076 assumes walking speed falls in proportion to maximal aerobic power
        (VO2max), which falls from about 580 m (Fulco, Rock & Cymerman 1998,
        *Aviat. Space Environ. Med.* 69:793-801) by 26 % at 4,000 m in trained,
        acclimatising runners (Buskirk et al. 1967, *J. Appl. Physiol.* 23:259-266):
        0.26 / 3.42 km = 7.6 % per 1,000 m.
    altitude_onset_m : float
        Elevation where the loss starts (580 m, Fulco et al. 1998).
    altitude_floor : float
        Smallest speed factor the altitude term may give (0.3, reached near 9,800 m).

    Examples
    --------
    Tobler's peak speed, 6 km/h at a 5 % descent, is 0.6 s per metre:

    >>> m = WalkingModel()
    >>> m.name, m.cost_unit, round(m.min_cost_per_m, 6)
    ('walking', 's', 0.6)
    """

    max_grade_pct: float = 100.0
    base_speed_kmh: float = 6.0
    slope_coefficient: float = 3.5
    slope_offset: float = 0.05
    terrain_factor: float = 1.0
    altitude_loss_per_km: float = 0.0
    altitude_onset_m: float = 580.0
    altitude_floor: float = 0.3

    name = "walking"
    cost_unit = "s"

    def __post_init__(self):
        _check_positive(self, "max_grade_pct", "base_speed_kmh", "terrain_factor")
        _check_positive(self, "slope_coefficient", "altitude_loss_per_km", allow_zero=True)
        _check_positive(self, "altitude_floor")
        if self.altitude_floor > 1:
            raise InputError(f"walking model parameter altitude_floor={self.altitude_floor!r} must be at most 1.")
        if math.isnan(self.altitude_onset_m):
            raise InputError("walking model parameter altitude_onset_m must be a number.")
        if math.isnan(self.slope_offset):
            raise InputError("walking model parameter slope_offset must be a number.")

    @property
    def min_cost_per_m(self) -> float:
        """Seconds per metre at the fastest speed (Tobler's peak)."""
        return 3.6 / (self.base_speed_kmh * self.terrain_factor)

    @property
    def max_cost_per_m(self) -> float:
        """Seconds per metre at the grade limit (an upper bound)."""
        worst = self.max_grade_pct / 100.0 + abs(self.slope_offset)
        slowest = self.base_speed_kmh * self.terrain_factor * math.exp(-self.slope_coefficient * worst)
        if self.altitude_loss_per_km > 0:
            slowest *= self.altitude_floor
        return 3.6 / slowest if slowest > 0 else math.inf

    def altitude_factor(self, elevation_m):
        """Speed multiplier of the altitude term at ``elevation_m`` (1 below the onset or without it)."""
        z = np.asarray(elevation_m, dtype=np.float64)
        f = 1.0 - self.altitude_loss_per_km * (z - self.altitude_onset_m) / 1000.0
        return np.where(z > self.altitude_onset_m, np.maximum(f, self.altitude_floor), 1.0)

    def kernel_params(self):
        return KIND_WALKING, np.array(
            [
                self.base_speed_kmh * self.terrain_factor,
                self.slope_coefficient,
                self.slope_offset,
                self.altitude_loss_per_km / 1000.0,
                self.altitude_onset_m,
                self.altitude_floor,
            ],
            dtype=np.float64,
        )


@dataclass(frozen=True)
class IsotropicModel(_Model):
    """Grade-blind cost per metre; with a friction raster, scikit-image's MCP_Geometric.

    Parameters
    ----------
    cost_per_m : float
        Cost of one metre before friction.
    max_grade_pct : float
        Optional grade limit (percent); ``inf`` (default) ignores the terrain.

    Examples
    --------
    >>> m = IsotropicModel(cost_per_m=2.0)
    >>> kind, params = m.kernel_params()
    >>> kind == KIND_ISOTROPIC, params.tolist(), m.max_grade_pct
    (True, [2.0], inf)
    """

    cost_per_m: float = 1.0
    max_grade_pct: float = math.inf

    name = "isotropic"
    cost_unit = "m"

    def __post_init__(self):
        _check_positive(self, "cost_per_m", "max_grade_pct")

    @property
    def min_cost_per_m(self) -> float:
        return float(self.cost_per_m)

    @property
    def max_cost_per_m(self) -> float:
        return float(self.cost_per_m)

    def kernel_params(self):
        return KIND_ISOTROPIC, np.array([self.cost_per_m], dtype=np.float64)


MODELS = {"highway": HighwayModel, "walking": WalkingModel, "isotropic": IsotropicModel}


def get_model(name: str, **overrides):
    """The cost model called ``name`` with some parameters overridden.

    Parameters
    ----------
    name : {"highway", "walking", "isotropic"}
    **overrides : float
        Parameter values, e.g. ``max_grade_pct=8``.

    Examples
    --------
    >>> m = get_model("highway", max_grade_pct=10)
    >>> type(m).__name__, m.max_grade_pct, m.design_grade_pct
    ('HighwayModel', 10, 7.0)
    >>> get_model("Walking").cost_unit
    's'
    """
    key = str(name).strip().lower()
    if key not in MODELS:
        raise InputError(f"unknown cost model {name!r}; choose one of {', '.join(MODELS)}.")
    model = MODELS[key]()
    return model.with_overrides(**overrides) if overrides else model
