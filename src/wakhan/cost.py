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
    ``cost_per_m = (1 + w * (grade_pct / grade_scale_pct) ** 2) * A`` with
    ``w = uphill_weight`` when ``grade_pct > 0`` else ``downhill_weight``, and
    ``A = 1 + altitude_surcharge`` when the piece's mean elevation
    ``(z[p] + z[q]) / 2`` exceeds ``altitude_threshold_m``, else ``A = 1``.
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

import numpy as np

from wakhan.errors import InputError

__all__ = ["HighwayModel", "WalkingModel", "IsotropicModel", "get_model", "MODELS",
           "KIND_ISOTROPIC", "KIND_HIGHWAY", "KIND_WALKING", "ALTITUDE_LOSS_PER_KM"]

#: Walking speed lost per 1,000 m above 580 m with the altitude term on: 26 % at 4,000 m
#: (Buskirk et al. 1967) over 3.42 km above the 580 m onset (Fulco et al. 1998); see WalkingModel.
ALTITUDE_LOSS_PER_KM = 0.076

KIND_ISOTROPIC = 0
KIND_HIGHWAY = 1
KIND_WALKING = 2


def _check_positive(model, *names, allow_zero=False):
    for name in names:
        value = getattr(model, name)
        bad = not isinstance(value, (int, float)) or math.isnan(value) or \
            (value < 0 if allow_zero else value <= 0)
        if bad:
            need = "zero or positive" if allow_zero else "positive"
            raise InputError(f"{model.name} model parameter {name}={value!r} must be a {need} number.")


class _Model:
    """Shared behaviour: description and the kernel's parameter vector."""

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
            raise InputError(f"{self.name} model has no parameter {sorted(unknown)[0]!r}; "
                             f"choose from {names}.")
        return replace(self, **overrides)


@dataclass(frozen=True)
class HighwayModel(_Model):
    """A road builder's cost: equivalent flat metres of road.

    Parameters
    ----------
    max_grade_pct : float
        Steepest grade a road may take (percent, both directions); edges with a
        steeper piece (a long move's half; see the module doc) are impassable. 12 % is a hard mountain-road limit (design grades for
        mountain highways are usually 6-9 %, short pitches up to ~12 %).
    grade_scale_pct : float
        Grade ``g0`` at which a metre of uphill road costs twice a flat metre
        (with ``uphill_weight = 1``): cuts, switchbacks and heavier pavement.
    uphill_weight, downhill_weight : float
        Weights ``w`` of the grade term for climbing and descending edges.
    altitude_threshold_m : float
        Height above which the altitude surcharge applies (snow, seasonal
        closure, construction at altitude).
    altitude_surcharge : float
        Fractional extra cost per metre above the threshold (0.5 = +50 %).
    """

    max_grade_pct: float = 12.0
    grade_scale_pct: float = 8.0
    uphill_weight: float = 1.0
    downhill_weight: float = 0.5
    altitude_threshold_m: float = 4000.0
    altitude_surcharge: float = 0.5

    name = "highway"
    cost_unit = "m"

    def __post_init__(self):
        _check_positive(self, "max_grade_pct", "grade_scale_pct")
        _check_positive(self, "uphill_weight", "downhill_weight", "altitude_surcharge",
                        allow_zero=True)
        if math.isnan(self.altitude_threshold_m):
            raise InputError("highway model parameter altitude_threshold_m must be a number.")

    @property
    def min_cost_per_m(self) -> float:
        """Smallest cost of one metre (flat, below the threshold): 1."""
        return 1.0

    @property
    def max_cost_per_m(self) -> float:
        """Largest cost of one metre: at the grade limit, above the threshold."""
        w = max(self.uphill_weight, self.downhill_weight)
        return (1.0 + w * (self.max_grade_pct / self.grade_scale_pct) ** 2) * (1.0 + self.altitude_surcharge)

    def kernel_params(self):
        return KIND_HIGHWAY, np.array([self.grade_scale_pct, self.uphill_weight,
                                       self.downhill_weight, self.altitude_threshold_m,
                                       self.altitude_surcharge], dtype=np.float64)


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
        return KIND_WALKING, np.array([self.base_speed_kmh * self.terrain_factor,
                                       self.slope_coefficient, self.slope_offset,
                                       self.altitude_loss_per_km / 1000.0, self.altitude_onset_m,
                                       self.altitude_floor],
                                      dtype=np.float64)


@dataclass(frozen=True)
class IsotropicModel(_Model):
    """Grade-blind cost per metre; with a friction raster, scikit-image's MCP_Geometric.

    Parameters
    ----------
    cost_per_m : float
        Cost of one metre before friction.
    max_grade_pct : float
        Optional grade limit (percent); ``inf`` (default) ignores the terrain.
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
    """
    key = str(name).strip().lower()
    if key not in MODELS:
        raise InputError(f"unknown cost model {name!r}; choose one of {', '.join(MODELS)}.")
    model = MODELS[key]()
    return model.with_overrides(**overrides) if overrides else model
