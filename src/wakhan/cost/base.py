"""What every cost model shares: parameter checks, a one-line description, overrides, the kernel's vector."""

from __future__ import annotations

import math
from dataclasses import asdict, fields, replace
from typing import Any, ClassVar

from wakhan.errors import InputError

#: The steepest terrain grade, percent, that a grade limit given by the user (``--max-grade``,
#: ``PlanOptions.max_grade_pct``) may allow: 100 % is 45 degrees. Steeper ground over a DEM cell of 30 m
#: or more is a cliff: no road climbs it (the highway's switchbacks stop at 60 %), and Tobler's hiking
#: function walks it at 0.15 km/h (6 exp(-3.5 x 1.05)), which is why the walking model stops there too.
MAX_GRADE_LIMIT_PCT = 100.0

__all__: list[str] = []


def _check_positive(model, *names, allow_zero=False):
    for name in names:
        value = getattr(model, name)
        bad = not isinstance(value, (int, float)) or math.isnan(value) or (value < 0 if allow_zero else value <= 0)
        if bad:
            need = "zero or positive" if allow_zero else "positive"
            raise InputError(f"{model.name} model parameter {name}={value!r} must be a {need} number")


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
            raise InputError(f"{self.name} model has no parameter {sorted(unknown)[0]!r}; choose from {names}")
        return replace(self, **overrides)
