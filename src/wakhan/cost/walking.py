"""The walking model: travel time on foot by Tobler's hiking function (see :mod:`wakhan.cost`)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from wakhan.cost.base import _check_positive, _Model
from wakhan.cost.kinds import (
    KIND_WALKING,
    SLOTS,
    WK_ALTITUDE_FLOOR,
    WK_ALTITUDE_LOSS_PER_M,
    WK_ALTITUDE_ONSET_M,
    WK_SLOPE_COEFFICIENT,
    WK_SLOPE_OFFSET,
    WK_SPEED_KMH,
)
from wakhan.errors import InputError

__all__ = [
    "WalkingModel",
    "ALTITUDE_LOSS_PER_KM",
    "TREK_TERRAIN_FACTOR",
    "TREK_TERRAIN_FACTOR_ALTITUDE",
    "TREK_CALIBRATION",
    "calibrated_terrain_factor",
    "walking_speed",
]

#: Walking speed lost per 1,000 m above 580 m with the altitude term on: 26 % at 4,000 m
#: (Buskirk et al. 1967) over 3.42 km above the 580 m onset (Fulco et al. 1998); see WalkingModel.
ALTITUDE_LOSS_PER_KM = 0.076

#: Speed factor that brings Tobler's function on the route grid to published trek times: fitted on
#: four of eight published stages (Hindu Kush, Karakoram, Swiss Alps) as the geometric mean of model /
#: published hours; held-back stages within 11 % on average. Close to Tobler's own off-path factor
#: (0.6): trails wind, undulate and cross streams below the grid's resolution. See benchmarks/walking.md.
TREK_TERRAIN_FACTOR = 0.616

#: The same fit with the altitude term on (:data:`ALTITUDE_LOSS_PER_KM`); see benchmarks/walking.md.
TREK_TERRAIN_FACTOR_ALTITUDE = 0.753

#: Where the two factors come from: the fit rows of benchmarks/data/treks.csv (every other row with
#: published hours, fixed before any trek was routed) and the rows that only check it (a test keeps the counts).
TREK_CALIBRATION = "fitted on 4 published trek stages and checked on 15 others, benchmarks/walking.md"


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
        Speed multiplier; Tobler suggests 0.6 for off-path travel. Default 1 (Tobler's
        function as published); :data:`TREK_TERRAIN_FACTOR` = 0.616 is calibrated against
        published trek times (``benchmarks/walking.md``) and is what the claims and the planning
        layer (:meth:`wakhan.plan.PlanOptions.cost_model`, ``wakhan route --model walking``) walk with.
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
            raise InputError(f"walking model parameter altitude_floor={self.altitude_floor!r} must be at most 1")
        if math.isnan(self.altitude_onset_m):
            raise InputError("walking model parameter altitude_onset_m must be a number")
        if math.isnan(self.slope_offset):
            raise InputError("walking model parameter slope_offset must be a number")

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
        """The kind code and parameter vector the kernels read (slots ``WK_*`` of :mod:`wakhan.cost.kinds`)."""
        p = np.empty(len(SLOTS[KIND_WALKING]), dtype=np.float64)
        p[WK_SPEED_KMH] = self.base_speed_kmh * self.terrain_factor
        p[WK_SLOPE_COEFFICIENT] = self.slope_coefficient
        p[WK_SLOPE_OFFSET] = self.slope_offset
        p[WK_ALTITUDE_LOSS_PER_M] = self.altitude_loss_per_km / 1000.0
        p[WK_ALTITUDE_ONSET_M] = self.altitude_onset_m
        p[WK_ALTITUDE_FLOOR] = self.altitude_floor
        return KIND_WALKING, p


def calibrated_terrain_factor(altitude_loss_per_km: float = 0.0) -> float:
    """The trek-calibrated speed factor for a walking model with (``> 0``) or without the altitude term.

    Examples
    --------
    >>> calibrated_terrain_factor(), calibrated_terrain_factor(ALTITUDE_LOSS_PER_KM)
    (0.616, 0.753)
    """
    return TREK_TERRAIN_FACTOR_ALTITUDE if float(altitude_loss_per_km) > 0 else TREK_TERRAIN_FACTOR


def walking_speed(model: WalkingModel) -> dict:
    """Which speed ``model`` walks at and where its factor comes from (a walking route's ``walking_speed``).

    Returns
    -------
    dict
        ``terrain_factor``, ``altitude_loss_per_km``, ``altitude_term`` (whether speed falls with
        altitude), ``calibrated`` (the factor is the one fitted on published treks for this altitude
        setting) and ``description``, one line.

    Examples
    --------
    >>> walking_speed(WalkingModel(terrain_factor=TREK_TERRAIN_FACTOR))["description"]
    'walking speed: Tobler x 0.616, fitted on 4 published trek stages and checked on 15 others, benchmarks/walking.md'
    >>> walking_speed(WalkingModel())["description"]
    "walking speed: Tobler's hiking function as published (x 1; calibrated on published treks: x 0.616, benchmarks/walking.md)"
    """
    factor, loss = float(model.terrain_factor), float(model.altitude_loss_per_km)
    fitted = calibrated_terrain_factor(loss)
    altitude = (
        f" with the altitude term ({loss * 100:g} % per 1,000 m above {model.altitude_onset_m:g} m)" if loss > 0 else ""
    )
    if math.isclose(factor, fitted):
        text = f"walking speed: Tobler x {factor:g}{altitude}, {TREK_CALIBRATION}"
    elif factor == 1.0:
        text = (
            f"walking speed: Tobler's hiking function as published{altitude} "
            f"(x 1; calibrated on published treks: x {fitted:g}, benchmarks/walking.md)"
        )
    else:
        text = (
            f"walking speed: Tobler x {factor:g}{altitude}, as set "
            f"(calibrated on published treks: x {fitted:g}, benchmarks/walking.md)"
        )
    return {
        "terrain_factor": factor,
        "altitude_loss_per_km": loss,
        "altitude_term": loss > 0,
        "calibrated": math.isclose(factor, fitted),
        "description": text,
    }
