"""The sweep file's schema and the size of a run: everything checked before any work starts.

:func:`validate_sweep` checks a parsed sweep file (a dict from TOML) completely against
:class:`SweepFile` (pydantic): no unknown key, every value of the right type (a boolean is not a
number, a seed is a whole number), every value in range (a buffer, a scale or a correlation
length is not negative, a design grade is above zero), every ``[walking]`` / ``[highway]``
parameter one the cost model has and accepts. :func:`check_run_size` refuses a run with more
than :data:`MAX_SCENARIOS` scenarios (combinations x realizations), with an estimate of the time
and memory it would need. The first problem found is one sentence naming the key.
"""

from __future__ import annotations

import math
import os
from dataclasses import fields
from typing import TYPE_CHECKING, Annotated, Any, Optional, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from wakhan.errors import InputError

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

__all__ = [
    "SweepFile",
    "validate_sweep",
    "check_run_size",
    "run_estimate",
    "MAX_SCENARIOS",
    "SECONDS_PER_SCENARIO",
    "RESULT_BYTES_PER_SCENARIO",
    "WORKER_BYTES",
    "MODEL_TABLES",
]

#: The most scenarios (combinations x realizations, or ``--monte-carlo N``) a run may have;
#: ``WAKHAN_MAX_SCENARIOS`` raises or lowers it.
MAX_SCENARIOS = 10_000
#: One scenario on one core of this project's shared 2-core machine: the highway and the walk
#: re-solved on a perturbed pack DEM and the claims judged (``evaluate_scenario``: 4.9-7.3 s
#: measured over three realizations, December 2026).
SECONDS_PER_SCENARIO = 6.5
#: What one finished scenario keeps until the summary (verdicts, metrics, route cells: 17 kB
#: pickled, measured; doubled for Python objects).
RESULT_BYTES_PER_SCENARIO = 35_000
#: Peak memory of one worker process holding the shared grids (0.53 GB measured on the pack).
WORKER_BYTES = 550_000_000
#: Model tables a sweep file may hold, and the cost model each one overrides.
MODEL_TABLES = ("walking", "highway")


def max_scenarios() -> int:
    """:data:`MAX_SCENARIOS`, or ``WAKHAN_MAX_SCENARIOS`` when set to a positive whole number."""
    text = os.environ.get("WAKHAN_MAX_SCENARIOS", "").strip()
    if text:
        try:
            value = int(text)
        except ValueError:
            value = 0
        if value < 1:
            raise InputError(f"WAKHAN_MAX_SCENARIOS={text!r} must be a whole number, 1 or more; unset it or fix it")
        return value
    return MAX_SCENARIOS


# -- value checks (each raises ValueError with the end of a sentence) ------------------------------
def _number(v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ValueError("must be a number" + (" (true/false is not one)" if isinstance(v, bool) else ""))
    if not math.isfinite(v):
        raise ValueError("must be a finite number")
    return float(v)


def _as_list(v: Any) -> Any:
    return v if isinstance(v, list) else [v]


def _at_least(lo: float, *, strict: bool):
    def check(v: float) -> float:
        if v < lo or (strict and v == lo):
            raise ValueError(f"must be {'above' if strict else 'at least'} {lo:g}")
        return v

    return check


def _text(v: Any) -> str:
    if not isinstance(v, str) or not v.strip():
        raise ValueError("must be a name in quotes")
    return v


def _corridor(v: Any) -> str:
    from wakhan.claims.case_study import DEFINITIONS  # lazy: the claims layer, only to list its keys

    keys = [d.key for d in DEFINITIONS]
    if _text(v) not in keys:
        raise ValueError(f"is not a corridor definition; use one of {', '.join(keys)}")
    return v


def _whole(lo: int, hi: int):
    def check(v: Any) -> int:
        if isinstance(v, bool) or not isinstance(v, int):
            raise ValueError(f"must be a whole number{' (true/false is not one)' if isinstance(v, bool) else ''}")
        if not lo <= v <= hi:
            raise ValueError(f"must be from {lo:,} to {hi:,}")
        return v

    return check


def _grade(v: float) -> float:
    if not 0.0 < v <= 100.0:
        raise ValueError("must be above 0 and at most 100 (percent)")
    return v


Number = Annotated[float, BeforeValidator(_number)]
NonNegative = Annotated[float, BeforeValidator(_number), AfterValidator(_at_least(0.0, strict=False))]
Positive = Annotated[float, BeforeValidator(_number), AfterValidator(_at_least(0.0, strict=True))]


_T = TypeVar("_T")
#: One value or a non-empty list of them (``_Values[Positive]``: one or more positive numbers).
_Values = Annotated[list[_T], BeforeValidator(_as_list), Field(min_length=1)]


class SweepFile(BaseModel):
    """A sweep file: each key a value or a list of values to cross (see :func:`read_sweep_file`)."""

    model_config = ConfigDict(extra="forbid")

    realizations: Annotated[int, BeforeValidator(_whole(1, 10**9))] = 1
    seed: Annotated[int, BeforeValidator(_whole(0, 2**63 - 1))] = 0
    dem_error_scale: Optional[_Values[NonNegative]] = None
    correlation_length_m: Optional[_Values[Positive]] = None
    slope_gain: Optional[_Values[NonNegative]] = None
    settlements: Optional[_Values[Annotated[str, BeforeValidator(_text)]]] = None
    buffer_km: Optional[_Values[Positive]] = None
    corridor: Optional[_Values[Annotated[str, BeforeValidator(_corridor)]]] = None
    design_grade_pct: Optional[_Values[Annotated[float, BeforeValidator(_number), AfterValidator(_grade)]]] = None
    walking: Optional[dict[str, _Values[Number]]] = None
    highway: Optional[dict[str, _Values[Number]]] = None

    def axes(self) -> dict:
        """Key -> list of values for the keys given (model tables apart)."""
        return {
            k: v
            for k, v in self.model_dump(exclude_none=True).items()
            if k not in ("realizations", "seed", *MODEL_TABLES)
        }


def _sentence(where: str, doc: dict, err: ErrorDetails) -> str:
    loc = [str(x) for x in err["loc"] if not str(x).startswith(("function-", "list["))]
    key = loc[0] if loc else "?"
    if key in MODEL_TABLES and len(loc) > 1:
        name = f"[{key}] {loc[1]}"
        value = (doc.get(key) or {}).get(loc[1]) if isinstance(doc.get(key), dict) else doc.get(key)
    else:
        name = key
        value = doc.get(key)
    kind = err["type"]
    if kind == "extra_forbidden":
        from wakhan.sweep.scenario import SWEEP_KEYS  # lazy: avoids an import cycle

        return (
            f"{where}: key {key!r} is unknown; use realizations, seed, {', '.join(SWEEP_KEYS)} "
            "and [walking] / [highway] tables"
        )
    if kind == "too_short":
        return f"{where}: {name} is an empty list; give at least one value"
    if kind in ("dict_type", "model_type"):
        return f"{where}: [{key}] must be a table of model parameters (a [{key}] section)"
    msg = err["msg"].removeprefix("Value error, ")
    if kind in ("list_type",) or msg.startswith("Input should be"):
        msg = "has the wrong type"
    shown = "" if value is None else f" = {value!r}"
    item = f" (item {int(loc[-1]) + 1})" if loc and loc[-1].isdigit() and isinstance(value, list) else ""
    return f"{where}: {name}{shown}{item} {msg}; fix it in the file"


def _check_models(where: str, sweep: SweepFile) -> None:
    """Every ``[walking]`` / ``[highway]`` parameter is one the model has, every value one it accepts."""
    from wakhan.cost import (
        MODELS,
        get_model,  # lazy: cost models, only when checking their tables
    )

    for table in MODEL_TABLES:
        params = getattr(sweep, table) or {}
        names = [f.name for f in fields(MODELS[table])]
        for key, values in params.items():
            if key not in names:
                raise InputError(
                    f"{where}: [{table}] {key} is not a {table} model parameter; use one of {', '.join(names)}"
                )
            for v in values:
                try:
                    get_model(table, **{key: v})
                except InputError as exc:
                    raise InputError(f"{where}: [{table}] {key} = {v:g} is refused: {exc}") from None


def validate_sweep(doc: Any, where: str = "sweep file") -> SweepFile:
    """The parsed sweep file ``doc`` checked completely, or :class:`InputError` naming the first bad key."""
    if not isinstance(doc, dict):
        raise InputError(f"{where} must be a TOML table of keys")
    try:
        sweep = SweepFile.model_validate(doc)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        more = f" ({len(errors) - 1} more problem(s) after it)" if len(errors) > 1 else ""
        raise InputError(_sentence(where, doc, errors[0]) + more) from None
    _check_models(where, sweep)
    return sweep


def run_estimate(n_scenarios: int, workers: int | None = None) -> str:
    """Words for the time and memory ``n_scenarios`` would take (on ``workers`` cores, default all)."""
    cores = max(1, int(workers or os.cpu_count() or 1))
    hours = n_scenarios * SECONDS_PER_SCENARIO / cores / 3600.0
    gb = (n_scenarios * RESULT_BYTES_PER_SCENARIO + cores * WORKER_BYTES) / 1e9
    when = f"{hours:,.0f} h" if hours >= 1 else f"{hours * 60:,.0f} min"
    return (
        f"about {when} on {cores} core(s) at {SECONDS_PER_SCENARIO:g} s a scenario "
        f"and {gb:,.1f} GB of memory ({WORKER_BYTES / 1e9:.2f} GB a worker plus the results)"
    )


def check_run_size(n_scenarios: int, what: str, *, workers: int | None = None) -> None:
    """Refuse a run of more than :func:`max_scenarios` scenarios, with an estimate of its cost.

    ``what`` names the key or option that makes the run this size, e.g. ``"--monte-carlo 10000000"``.
    """
    limit = max_scenarios()
    if n_scenarios > limit:
        raise InputError(
            f"{what} asks for {n_scenarios:,} scenarios, more than the {limit:,} a run may have "
            f"({run_estimate(n_scenarios, workers)}); use fewer, or raise WAKHAN_MAX_SCENARIOS if you mean it"
        )
