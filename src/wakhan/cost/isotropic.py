"""The isotropic model: a grade-blind cost per metre (see :mod:`wakhan.cost`)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from wakhan.cost.base import _check_positive, _Model
from wakhan.cost.kinds import ISO_COST_PER_M, KIND_ISOTROPIC, SLOTS

__all__ = ["IsotropicModel"]


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
        """The kind code and parameter vector the kernels read (slot ``ISO_COST_PER_M`` of :mod:`wakhan.cost.kinds`)."""
        p = np.empty(len(SLOTS[KIND_ISOTROPIC]), dtype=np.float64)
        p[ISO_COST_PER_M] = self.cost_per_m
        return KIND_ISOTROPIC, p
