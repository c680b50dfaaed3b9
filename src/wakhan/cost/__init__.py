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

from wakhan.cost.base import MAX_GRADE_LIMIT_PCT
from wakhan.cost.highway import DEFAULT_DESIGN_GRADE_PCT, DEFAULT_HAIRPIN_LIMIT_PCT, HighwayModel
from wakhan.cost.isotropic import IsotropicModel
from wakhan.cost.kinds import KIND_HIGHWAY, KIND_ISOTROPIC, KIND_WALKING
from wakhan.cost.walking import ALTITUDE_LOSS_PER_KM, WalkingModel
from wakhan.errors import InputError

__all__ = [
    "HighwayModel",
    "DEFAULT_DESIGN_GRADE_PCT",
    "DEFAULT_HAIRPIN_LIMIT_PCT",
    "MAX_GRADE_LIMIT_PCT",
    "WalkingModel",
    "IsotropicModel",
    "get_model",
    "MODELS",
    "KIND_ISOTROPIC",
    "KIND_HIGHWAY",
    "KIND_WALKING",
    "ALTITUDE_LOSS_PER_KM",
]


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
        raise InputError(f"unknown cost model {name!r}; choose one of {', '.join(MODELS)}")
    model = MODELS[key]()
    return model.with_overrides(**overrides) if overrides else model
