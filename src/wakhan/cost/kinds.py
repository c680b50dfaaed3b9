"""The kind codes of the cost models and the layout of their parameter vector, compiled into the solver's kernels.

A cost model hands the kernels a kind code (``KIND_*``) and a float64 vector
(:meth:`kernel_params`); the kernels read the vector by the slot numbers below. The
slots are plain module-level ints, so Numba freezes them as constants when it
compiles a kernel (:mod:`wakhan.solve._cache` keys the kernels' cache on this file).
Each model's slots run from 0 without gaps (:data:`SLOTS`, checked by the tests);
``N_PARAMS`` is the longest vector, to which the solver zero-pads every model's.
"""

__all__ = [
    "KIND_ISOTROPIC",
    "KIND_HIGHWAY",
    "KIND_WALKING",
    "SLOTS",
    "N_PARAMS",
    "HW_GRADE_SCALE_PCT",
    "HW_UPHILL_WEIGHT",
    "HW_DOWNHILL_WEIGHT",
    "HW_ALTITUDE_THRESHOLD_M",
    "HW_ALTITUDE_SURCHARGE",
    "HW_HAIRPIN_COST_PER_M",
    "HW_DESIGN_GRADE_BAND0",
    "HW_EARTHWORKS_FACTOR",
    "HW_CUT_SLOPE",
    "HW_MAX_SIDE_SLOPE",
    "HW_DESIGN_SCALE_BAND0",
    "WK_SPEED_KMH",
    "WK_SLOPE_COEFFICIENT",
    "WK_SLOPE_OFFSET",
    "WK_ALTITUDE_LOSS_PER_M",
    "WK_ALTITUDE_ONSET_M",
    "WK_ALTITUDE_FLOOR",
    "ISO_COST_PER_M",
]

KIND_ISOTROPIC = 0
KIND_HIGHWAY = 1
KIND_WALKING = 2

# HighwayModel (see wakhan.cost for the formula)
HW_GRADE_SCALE_PCT = 0  # grade_scale_pct
HW_UPHILL_WEIGHT = 1  # uphill_weight
HW_DOWNHILL_WEIGHT = 2  # downhill_weight
HW_ALTITUDE_THRESHOLD_M = 3  # altitude_threshold_m
HW_ALTITUDE_SURCHARGE = 4  # altitude_surcharge
HW_HAIRPIN_COST_PER_M = 5  # hairpin_cost_m / hairpin_spacing_m: flat metres per metre of developed length
HW_DESIGN_GRADE_BAND0 = 6  # design grade (percent) of band 0 (below 3,000 m); bands 1-3 in the next 3 slots
HW_EARTHWORKS_FACTOR = 10  # earthworks_weight * earthworks_cost_m_per_m3 * formation_width_m**2 / 2
HW_CUT_SLOPE = 11  # cut_slope
HW_MAX_SIDE_SLOPE = 12  # side slope priced at most (retaining walls beyond): 0.8 * cut_slope
HW_DESIGN_SCALE_BAND0 = (
    13  # design grade of band 0 / grade_scale_pct (derived: saves the kernels a division); bands 1-3 next
)

# WalkingModel
WK_SPEED_KMH = 0  # base_speed_kmh * terrain_factor
WK_SLOPE_COEFFICIENT = 1  # slope_coefficient
WK_SLOPE_OFFSET = 2  # slope_offset
WK_ALTITUDE_LOSS_PER_M = 3  # altitude_loss_per_km / 1000
WK_ALTITUDE_ONSET_M = 4  # altitude_onset_m
WK_ALTITUDE_FLOOR = 5  # altitude_floor

# IsotropicModel
ISO_COST_PER_M = 0  # cost_per_m

#: Every kind's slots in order, the one table of the layout: ``{kind: (slot, ...)}``.
SLOTS = {
    KIND_HIGHWAY: (
        HW_GRADE_SCALE_PCT,
        HW_UPHILL_WEIGHT,
        HW_DOWNHILL_WEIGHT,
        HW_ALTITUDE_THRESHOLD_M,
        HW_ALTITUDE_SURCHARGE,
        HW_HAIRPIN_COST_PER_M,
        HW_DESIGN_GRADE_BAND0,
        HW_DESIGN_GRADE_BAND0 + 1,
        HW_DESIGN_GRADE_BAND0 + 2,
        HW_DESIGN_GRADE_BAND0 + 3,
        HW_EARTHWORKS_FACTOR,
        HW_CUT_SLOPE,
        HW_MAX_SIDE_SLOPE,
        HW_DESIGN_SCALE_BAND0,
        HW_DESIGN_SCALE_BAND0 + 1,
        HW_DESIGN_SCALE_BAND0 + 2,
        HW_DESIGN_SCALE_BAND0 + 3,
    ),
    KIND_WALKING: (
        WK_SPEED_KMH,
        WK_SLOPE_COEFFICIENT,
        WK_SLOPE_OFFSET,
        WK_ALTITUDE_LOSS_PER_M,
        WK_ALTITUDE_ONSET_M,
        WK_ALTITUDE_FLOOR,
    ),
    KIND_ISOTROPIC: (ISO_COST_PER_M,),
}
#: Length of the solver's padded parameter vector: the longest model's.
N_PARAMS = 17
