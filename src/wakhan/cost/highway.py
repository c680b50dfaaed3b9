"""The highway model: equivalent flat metres of road built to a design grade (see :mod:`wakhan.cost`)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from wakhan.cost.base import _check_positive, _Model
from wakhan.cost.kinds import (
    HW_ALTITUDE_SURCHARGE,
    HW_ALTITUDE_THRESHOLD_M,
    HW_CUT_SLOPE,
    HW_DESIGN_GRADE_BAND0,
    HW_DESIGN_SCALE_BAND0,
    HW_DOWNHILL_WEIGHT,
    HW_EARTHWORKS_FACTOR,
    HW_GRADE_SCALE_PCT,
    HW_HAIRPIN_COST_PER_M,
    HW_MAX_SIDE_SLOPE,
    HW_UPHILL_WEIGHT,
    KIND_HIGHWAY,
    SLOTS,
)
from wakhan.errors import InputError

__all__ = [
    "HighwayModel",
    "DEFAULT_DESIGN_GRADE_PCT",
    "DEFAULT_HAIRPIN_LIMIT_PCT",
    "DEFAULT_EARTHWORKS_WEIGHT",
    "earthworks_m3_per_m",
]

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
#: Weight of the earthworks term in the route search (1 = priced at the unit-cost table's
#: ratio of earthworks to road): fitted on two real Swiss roads re-routed on a 464 m grid (the
#: region pack's spacing), smallest mean normalised PDI among 0, 1, 3, 10, 30; twenty other
#: roads held back. Leave-one-road-out over all 22 roads picks 10 in every fold on the 464 m grid;
#: on the 93 m grid no fold picks the two-road fit's 30 and 10 scores as well as the folds' choice
#: (``benchmarks/road_realism.md``, "Cross-validated earthworks weight").
DEFAULT_EARTHWORKS_WEIGHT = 10.0


def earthworks_m3_per_m(side_slope, formation_width_m: float = 8.5, cut_slope: float = 4.0 / 3.0, max_side_slope=None):
    """Cut (m3) per metre of a full-bench road of ``formation_width_m`` on ground of ``side_slope`` (m/m).

    The bench cross-section: the formation (flat, width ``W``) is cut into ground rising
    at ``s`` across the road, with a cut face at slope ``c``; the cut is the triangle
    between ground, formation and cut face, of area ``W**2 / 2 * s * c / (c - s)``
    (with ``s = tan(ground angle)``, ``c = tan(cut angle)``: ``W**2 / (2 (cot a - cot b))``,
    the full-bench area of forest-road design manuals, e.g. Keller & Sherar 2003, ch. 7).
    Beyond ``max_side_slope`` (default 0.8 c) the road needs walls, priced as at that slope.

    Examples
    --------
    Flat ground moves nothing; a 50 % side slope with a vertical cut (c large) about W**2 s / 2:

    >>> float(earthworks_m3_per_m(0.0)), round(float(earthworks_m3_per_m(0.5, 10.0, 1e9)), 3)
    (0.0, 25.0)
    """
    cap = 0.8 * cut_slope if max_side_slope is None else max_side_slope
    s = np.minimum(np.abs(np.asarray(side_slope, dtype=np.float64)), cap)
    return formation_width_m**2 / 2.0 * s * cut_slope / (cut_slope - s)


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
    earthworks_weight : float
        Weight of the earthworks of the cross-slope in the search cost (0 = grade only; 1 = the
        earthworks priced at ``earthworks_cost_m_per_m3``; default
        :data:`DEFAULT_EARTHWORKS_WEIGHT`). Each move adds ``length * weight *
        earthworks_cost_m_per_m3 * earthworks_m3_per_m(s)``, with ``s`` the terrain's side slope
        across the move (the gradient's component normal to it, mean of the two end cells).
    formation_width_m : float
        Width of the road formation that is benched into the slope: 8.5 m, the roadbed of a
        two-lane class-III highway at 40 km/h (China's JTG B01-2014, Technical Standard of Highway Engineering, roadbed width, general value).
    cut_slope : float
        Slope (rise over run) of the cut face: 4/3, i.e. 3/4:1 (H:V), the cut slope Keller &
        Sherar (2003, table 7.1) give for most in-place soils (rock stands steeper).
    earthworks_cost_m_per_m3 : float
        Cost of one m3 of earthworks in flat metres of new road: the ratio of the mid unit
        costs of ``earthworks`` (USD per m3) and ``plain_road`` (USD per m) in
        ``data/unit_costs.csv``.
    tunnel_cost_factor : float
        Cost of one metre of road tunnel in flat metres of new road: the ratio
        of the mid unit costs of ``tunnel`` and ``plain_road`` in
        ``data/unit_costs.csv`` (about US$ 29.9 M and 1.75 M per km since the cost back-test; see
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
    tunnel_cost_factor: float = 17.0
    earthworks_weight: float = DEFAULT_EARTHWORKS_WEIGHT
    formation_width_m: float = 8.5
    cut_slope: float = 4.0 / 3.0
    earthworks_cost_m_per_m3: float = 0.0043

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
            "earthworks_weight",
            "earthworks_cost_m_per_m3",
            allow_zero=True,
        )
        _check_positive(self, "formation_width_m", "cut_slope")
        if math.isnan(self.altitude_threshold_m):
            raise InputError("highway model parameter altitude_threshold_m must be a number")
        if self.design_grade_pct is None:
            object.__setattr__(self, "design_grade_pct", min(DEFAULT_DESIGN_GRADE_PCT, float(self.max_grade_pct)))
        gd = self.design_grade_pct
        if not isinstance(gd, (int, float)) or math.isnan(gd) or gd <= 0:
            raise InputError(
                f"design grade {gd!r} % must be a positive number of percent; "
                f"road norms use 4-9 %, e.g. --design-grade 7"
            )
        if gd > self.max_grade_pct:
            raise InputError(
                f"design grade {gd:g} % is above the hard grade limit {self.max_grade_pct:g} %; "
                f"lower --design-grade or raise --max-grade"
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
            return (1.0 + w * (g / self.grade_scale_pct) ** 2) * a + self.max_earthworks_cost_per_m
        r = g / gd
        return (
            r * (1.0 + w * (gd / self.grade_scale_pct) ** 2) + (r - 1.0) * self.hairpin_cost_m / self.hairpin_spacing_m
        ) * a + self.max_earthworks_cost_per_m

    @property
    def max_earthworks_cost_per_m(self) -> float:
        """Largest earthworks term of one metre (at the side slope where walls take over), flat metres."""
        return self.earthworks_weight * self.earthworks_cost_m_per_m3 * float(self.earthworks_m3_per_m(1e9))

    def earthworks_m3_per_m(self, side_slope):
        """Cut (m3) per metre of this road on ground of ``side_slope`` (see :func:`earthworks_m3_per_m`)."""
        return earthworks_m3_per_m(side_slope, self.formation_width_m, self.cut_slope)

    def describe(self) -> str:
        return super().describe() + (
            f"; design grade {self.design_grade_pct:g} % below 3,000 m, "
            f"{self.min_design_grade_pct:g} % above 5,000 m (switchbacks on "
            f"steeper terrain up to {self.max_grade_pct:g} %)"
        )

    def kernel_params(self):
        """The kind code and parameter vector the kernels read (slots ``HW_*`` of :mod:`wakhan.cost.kinds`)."""
        p = np.empty(len(SLOTS[KIND_HIGHWAY]), dtype=np.float64)
        p[HW_GRADE_SCALE_PCT] = self.grade_scale_pct
        p[HW_UPHILL_WEIGHT] = self.uphill_weight
        p[HW_DOWNHILL_WEIGHT] = self.downhill_weight
        p[HW_ALTITUDE_THRESHOLD_M] = self.altitude_threshold_m
        p[HW_ALTITUDE_SURCHARGE] = self.altitude_surcharge
        p[HW_HAIRPIN_COST_PER_M] = self.hairpin_cost_m / self.hairpin_spacing_m
        # one elevation in each band 0-3 of design_grade_at
        p[HW_DESIGN_GRADE_BAND0 : HW_DESIGN_GRADE_BAND0 + 4] = self.design_grade_at([2000.0, 3500.0, 4500.0, 5500.0])
        # each band's design grade over the grade scale: the kernels' s = min(|g|, gd) / g0 on switchbacks, divided
        # here once (the same IEEE division, so the same bits) instead of once per priced piece
        p[HW_DESIGN_SCALE_BAND0 : HW_DESIGN_SCALE_BAND0 + 4] = (
            p[HW_DESIGN_GRADE_BAND0 : HW_DESIGN_GRADE_BAND0 + 4] / self.grade_scale_pct
        )
        # earthworks (solve.earthworks.earthworks_per_m): weight * W^2 / 2 * flat m per m3, cut slope, side-slope cap
        p[HW_EARTHWORKS_FACTOR] = (
            self.earthworks_weight * self.earthworks_cost_m_per_m3 * self.formation_width_m**2 / 2.0
        )
        p[HW_CUT_SLOPE] = self.cut_slope
        p[HW_MAX_SIDE_SLOPE] = 0.8 * self.cut_slope
        return KIND_HIGHWAY, p
