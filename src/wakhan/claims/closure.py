"""Winter closure of a road crossing: a rule fitted to dated closures of passes in the region.

``data/pass_closures.csv`` lists passes of the Pamir, Karakoram, Hindu Kush and
western Himalaya with the months their road is published to be closed each
winter (Khunjerab, Kulma, Lowari before its tunnel, Zoji La, Baralacha La,
Babusar, Rohtang, Anzob before its tunnel, Shandur), each with its source. The
rule is a least-squares plane through the rows marked ``fit``::

    closed_months = a + b * (elevation_m - 4000) / 1000 + c * (lat - 36)

clipped to 0-12; the rows marked ``check`` are held back and give its error
(:func:`closure_rule`). Closure is also a matter of snowfall, clearing effort and
policy (Khunjerab's dates are a treaty's; Zoji La's fell from ~135 to 33 days
with round-the-clock clearing), which elevation and latitude do not see: the
held-back error says how much that matters.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from wakhan.errors import DataError, InputError

__all__ = [
    "ClosureRule",
    "closure_rule",
    "closures_path",
    "load_closures",
    "check_closure_months",
    "REFERENCE_ELEVATION_M",
    "REFERENCE_LAT",
]

REFERENCE_ELEVATION_M = 4000.0
REFERENCE_LAT = 36.0


def closures_path() -> Path:
    """``data/pass_closures.csv`` (or the installed package's copy).

    Examples
    --------
    >>> closures_path().name
    'pass_closures.csv'
    """
    here = Path(__file__).resolve()
    for base in (here.parents[3] / "data", here.parents[1] / "_data"):
        if (base / "pass_closures.csv").exists():
            return base / "pass_closures.csv"
    raise DataError("the pass-closure table data/pass_closures.csv is missing; reinstall wakhan from its repository")


def load_closures(path=None) -> list[dict]:
    """Rows of the closure table: ``name, lat, lon, elevation_m, closed_months`` (floats), ``role``, ``source``.

    Examples
    --------
    >>> rows = load_closures()
    >>> next(r for r in rows if r["name"] == "Khunjerab Pass")["closed_months"]
    4.0
    """
    p = Path(path) if path else closures_path()
    try:
        with p.open(encoding="utf-8") as f:  # closed at once (unclosed, -W default printed a ResourceWarning)
            rows = list(csv.DictReader(f))
        for r in rows:
            for k in ("lat", "lon", "elevation_m", "closed_months"):
                r[k] = float(r[k])
    except (OSError, KeyError, ValueError) as exc:
        raise DataError(f"pass-closure table {p} is unreadable ({exc}); restore it from the repository") from None
    return rows


@dataclass(frozen=True)
class ClosureRule:
    """``closed_months = a + b * (z - 4000) / 1000 + c * (lat - 36)``, clipped to 0-12, and its errors.

    Examples
    --------
    >>> ClosureRule(4.0, 1.0, -0.5, ("A",), ("B",), 0.1, 1.0, 2.0).as_dict()["c_per_deg"]
    -0.5
    """

    a: float
    b_per_km: float
    c_per_deg: float
    fit: tuple[str, ...]
    check: tuple[str, ...]
    fit_mae_months: float
    check_mae_months: float
    check_max_error_months: float

    def months(self, elevation_m, lat):
        """Predicted closure (months, 0-12) at ``elevation_m`` and latitude ``lat``.

        Examples
        --------
        >>> rule = ClosureRule(4.0, 1.0, 0.0, (), (), 0.0, 0.0, 0.0)
        >>> float(rule.months(4500.0, 37.0)), float(rule.months(20000.0, 37.0))
        (4.5, 12.0)
        """
        z = np.asarray(elevation_m, dtype=float)
        m = (
            self.a
            + self.b_per_km * (z - REFERENCE_ELEVATION_M) / 1000.0
            + self.c_per_deg * (np.asarray(lat, dtype=float) - REFERENCE_LAT)
        )
        return np.clip(m, 0.0, 12.0)

    def describe(self) -> str:
        return (
            f"closed months = {self.a:.2f} {self.b_per_km:+.2f} per 1,000 m above 4,000 m "
            f"{self.c_per_deg:+.2f} per degree of latitude north of 36 N (least squares on {len(self.fit)} dated "
            f"pass closures: {', '.join(self.fit)}; mean absolute error {self.fit_mae_months:.1f} months on them, "
            f"{self.check_mae_months:.1f} months (at most {self.check_max_error_months:.1f}) on {len(self.check)} "
            f"held back: {', '.join(self.check)}; data/pass_closures.csv)"
        )

    def as_dict(self) -> dict:
        return {
            "formula": "closed_months = a + b * (elevation_m - 4000) / 1000 + c * (lat - 36), clipped to 0-12",
            "a": round(self.a, 3),
            "b_per_km": round(self.b_per_km, 3),
            "c_per_deg": round(self.c_per_deg, 3),
            "fitted_on": list(self.fit),
            "checked_on": list(self.check),
            "fit_mae_months": round(self.fit_mae_months, 2),
            "check_mae_months": round(self.check_mae_months, 2),
            "check_max_error_months": round(self.check_max_error_months, 2),
            "source": "data/pass_closures.csv (dated closures with their sources)",
        }


def _design(rows):
    return np.array(
        [[1.0, (r["elevation_m"] - REFERENCE_ELEVATION_M) / 1000.0, r["lat"] - REFERENCE_LAT] for r in rows]
    )


@lru_cache(maxsize=2)
def closure_rule(path: str | None = None) -> ClosureRule:
    """The rule fitted on the ``fit`` rows of the closure table, with its error on the ``check`` rows.

    Examples
    --------
    >>> rule = closure_rule()
    >>> "Khunjerab Pass" in rule.fit, "Babusar Pass" in rule.check
    (True, True)
    """
    rows = load_closures(path)
    fit = [r for r in rows if r["role"] == "fit"]
    check = [r for r in rows if r["role"] == "check"]
    if len(fit) < 3:
        raise DataError("the pass-closure table needs at least three rows marked 'fit'; restore it")
    y = np.array([r["closed_months"] for r in fit])
    coef, *_ = np.linalg.lstsq(_design(fit), y, rcond=None)
    rule = ClosureRule(float(coef[0]), float(coef[1]), float(coef[2]), tuple(r["name"] for r in fit), (), 0, 0, 0)
    err_fit = np.abs(rule.months([r["elevation_m"] for r in fit], [r["lat"] for r in fit]) - y)
    yc = np.array([r["closed_months"] for r in check])
    err_check = (
        np.abs(rule.months([r["elevation_m"] for r in check], [r["lat"] for r in check]) - yc) if check else np.zeros(1)
    )
    return ClosureRule(
        rule.a,
        rule.b_per_km,
        rule.c_per_deg,
        rule.fit,
        tuple(r["name"] for r in check),
        float(err_fit.mean()),
        float(err_check.mean()),
        float(err_check.max()),
    )


def check_closure_months(value, option: str = "--closure-months") -> float:
    """``value`` as months of closure, or InputError when it is not a number from 0 to 12.

    Examples
    --------
    >>> check_closure_months(2)
    2.0
    >>> check_closure_months(13)
    Traceback (most recent call last):
    wakhan.errors.InputError: --closure-months 13 must be a number of months from 0 to 12 (e.g. 1: crossings closed longer than a month are tunnelled)
    """
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = float("nan")
    if not (0.0 <= v <= 12.0):
        raise InputError(
            f"{option} {value} must be a number of months from 0 to 12 (e.g. 1: crossings closed longer "
            "than a month are tunnelled)"
        )
    return v
