"""Scenarios: one DEM realization plus one choice of every parameter the verdicts depend on.

A :class:`Scenario` is plain data (numbers and short strings), so a task
``evaluate_scenario(scenario, inputs)`` is a pure function of it: the same
scenario gives the same result on any worker, in any order.

* :func:`monte_carlo` draws ``n`` DEM realizations with the headline parameters
  (what ``wakhan claims --monte-carlo N --seed S`` runs);
* :func:`grid_scenarios` crosses lists of parameter values, each with
  ``realizations`` DEM draws (what ``wakhan sweep FILE.toml`` runs);
* :func:`read_sweep_file` reads such a grid from a small TOML file.
"""

from __future__ import annotations

import itertools
import math
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from wakhan.dem.error import DEFAULT_CORRELATION_LENGTH_M
from wakhan.errors import InputError, option

__all__ = ["Scenario", "monte_carlo", "grid_scenarios", "read_sweep_file", "scenario_seeds", "SWEEP_KEYS"]


@dataclass(frozen=True)
class Scenario:
    """One evaluation of the claims.

    Parameters
    ----------
    index : int
        Position in the sweep (results are reported in this order).
    seed : int
        Seed of the DEM-error realization.
    dem_error_scale : float
        Multiplier of every source's published RMSE (:data:`wakhan.dem.error.SOURCE_ERRORS`);
        0 evaluates the DEM as it is (the deterministic ``wakhan claims``).
    correlation_length_m, slope_gain : float
        Of the error field (:class:`wakhan.dem.error.ErrorModel`).
    walking, highway : tuple of (name, value)
        Cost-model parameter overrides, e.g. ``(("altitude_loss_per_km", 0.076),)``.
    settlements : str or None
        Name of one settlement source to judge the gap with; None: all given (and their union).
    buffer_km : float or None
        One buffer distance; None: the standard 2, 5, 10, 20 km with 5 km as the headline.
    corridor : str or None
        One corridor definition key; None: all three, headline ``wakhan``.
    design_grade_pct : float
        Design grade whose steep kilometres the highway claim counts.
    label : str
        What varies, for tables.
    """

    index: int
    seed: int
    dem_error_scale: float = 1.0
    correlation_length_m: float = DEFAULT_CORRELATION_LENGTH_M
    slope_gain: float = 0.0
    walking: tuple = ()
    highway: tuple = ()
    settlements: str | None = None
    buffer_km: float | None = None
    corridor: str | None = None
    design_grade_pct: float = 8.0
    label: str = field(default="", compare=False)

    def as_dict(self) -> dict:
        d = asdict(self)
        d["walking"] = dict(self.walking)
        d["highway"] = dict(self.highway)
        return d


def scenario_seeds(seed: int, n: int) -> list[int]:
    """``n`` independent 63-bit seeds from one seed (NumPy SeedSequence spawning): realization i
    gets the same seed whatever ``n`` is and however the scenarios are scheduled."""
    children = np.random.SeedSequence(int(seed)).spawn(int(n))
    return [int(c.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1)) for c in children]


def monte_carlo(n: int, seed: int = 0, **fixed) -> list[Scenario]:
    """``n`` DEM-error realizations with the headline parameters (or ``fixed`` ones)."""
    if not (isinstance(n, int) and n >= 1):
        raise InputError(
            f"{option(f'--monte-carlo {n!r}', f'n={n!r}', subject=True)} must be a whole number of realizations, 1 or more"
        )
    return [Scenario(index=i, seed=s, label=f"realization {i}", **fixed) for i, s in enumerate(scenario_seeds(seed, n))]


#: Keys a sweep file may vary (lists) or fix (single values), besides ``realizations`` and ``seed``.
SWEEP_KEYS = (
    "dem_error_scale",
    "correlation_length_m",
    "slope_gain",
    "settlements",
    "buffer_km",
    "corridor",
    "design_grade_pct",
)


def grid_scenarios(
    params: dict, *, realizations: int = 1, seed: int = 0, walking: dict | None = None, highway: dict | None = None
) -> list[Scenario]:
    """Every combination of the listed parameter values, each with ``realizations`` DEM draws.

    ``params``: key of :data:`SWEEP_KEYS` -> value or list of values;
    ``walking`` / ``highway``: model parameter -> value or list of values.
    Realization ``r`` uses the same DEM seed in every combination, so
    parameter effects are not confounded with DEM draws.
    """
    unknown = set(params) - set(SWEEP_KEYS)
    if unknown:
        raise InputError(
            f"sweep parameter {sorted(unknown)[0]!r} is unknown; use {', '.join(SWEEP_KEYS)}, "
            "realizations, seed, and [walking] / [highway] tables"
        )
    axes = [(k, v if isinstance(v, list) else [v]) for k, v in params.items()]
    axes += [(f"walking.{k}", v if isinstance(v, list) else [v]) for k, v in (walking or {}).items()]
    axes += [(f"highway.{k}", v if isinstance(v, list) else [v]) for k, v in (highway or {}).items()]
    for k, values in axes:
        if not values:
            raise InputError(f"sweep parameter {k!r} has an empty list of values; give at least one")
    seeds = scenario_seeds(seed, realizations)
    out: list[Scenario] = []
    for combo in itertools.product(*[[(k, v) for v in values] for k, values in axes]):
        kw, walk, road = {}, [], []
        for k, v in combo:
            if k.startswith("walking."):
                walk.append((k[8:], float(v)))
            elif k.startswith("highway."):
                road.append((k[8:], float(v)))
            else:
                kw[k] = v
        label = ", ".join(f"{k}={v}" for k, v in combo if len(dict(axes)[k]) > 1) or "base"
        for r, s in enumerate(seeds):
            out.append(
                Scenario(
                    index=len(out),
                    seed=s,
                    walking=tuple(sorted(walk)),
                    highway=tuple(sorted(road)),
                    label=label if realizations == 1 else f"{label} #{r}",
                    **kw,
                )
            )
    return out


def _load_toml(path: Path) -> dict:
    if sys.version_info >= (3, 11):
        import tomllib  # lazy: tomllib on Python 3.11+, tomli before
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # lazy: tomllib on Python 3.11+, tomli before
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"sweep file {path} does not exist; give the path of a .toml file") from None
    except IsADirectoryError:
        raise InputError(f"sweep file {path} is a folder; give the path of a .toml file") from None
    except OSError as exc:
        raise InputError(f"cannot read sweep file {path} ({exc.strerror}); give a readable .toml file") from None
    if b"\0" in data:
        raise InputError(f"sweep file {path} is a binary file, not TOML text; give a .toml file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"sweep file {path} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8"
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"sweep file {path} is not valid TOML ({exc}); fix the line it names") from None


def read_sweep_file(path, *, workers: int | None = None) -> list[Scenario]:
    """Scenarios from a TOML file, checked completely before any is built::

    realizations = 5          # DEM draws per combination
    seed = 1
    dem_error_scale = [0, 1, 2]
    buffer_km = [2, 5, 10]
    [walking]
    altitude_loss_per_km = [0, 0.076]
    [highway]
    max_grade_pct = 12

    The file is validated against :class:`wakhan.sweep.schema.SweepFile` (unknown keys, wrong
    types, values out of range, unknown model parameters) and the run's size (combinations x
    realizations) against :func:`wakhan.sweep.schema.check_run_size`; the first problem is an
    :class:`InputError` naming the key.
    """
    from wakhan.sweep.schema import check_run_size, validate_sweep  # lazy: pydantic, only for sweep files

    path = Path(path)
    where = f"sweep file {path}"
    sweep = validate_sweep(_load_toml(path), where)
    axes = sweep.axes()
    lists = [*axes.values(), *(sweep.walking or {}).values(), *(sweep.highway or {}).values()]
    combinations = math.prod(len(v) for v in lists)
    check_run_size(
        combinations * sweep.realizations,
        f"{where}: {combinations:,} combination(s) x realizations = {sweep.realizations:,}",
        workers=workers,
    )
    return grid_scenarios(
        axes, realizations=sweep.realizations, seed=sweep.seed, walking=sweep.walking, highway=sweep.highway
    )
