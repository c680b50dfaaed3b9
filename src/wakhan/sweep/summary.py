"""From many scenario results to claim-level probabilities and intervals.

For every claim: ``probability`` = the share of scenarios whose verdict is
*supported* (with the count, the number of scenarios, and every verdict's
count), ``interval`` = the 5th-95th percentile of its headline value (linear
interpolation between order statistics, ``numpy.percentile``). For every
route metric the same interval, and for each route a density grid: the share
of scenarios whose route passes each cell.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from wakhan.claims.case_study import ON_FOOT, WAKHAN_HIGHWAY
from wakhan.claims.verdicts import SUPPORTED

__all__ = ["summarize_run", "interval", "CLAIM_IDS"]

CLAIM_IDS = ("altitude", "depopulated", "highway")
PERCENTILES = (5.0, 95.0)


def interval(values, unit: str = "") -> dict | None:
    """5-95 % interval, median, min and max of ``values`` (None entries ignored)."""
    v = np.asarray([x for x in values if x is not None], dtype=np.float64)
    if v.size == 0:
        return None
    lo, mid, hi = np.percentile(v, [PERCENTILES[0], 50.0, PERCENTILES[1]])
    return {
        "low": round(float(lo), 2),
        "median": round(float(mid), 2),
        "high": round(float(hi), 2),
        "min": round(float(v.min()), 2),
        "max": round(float(v.max()), 2),
        "unit": unit,
        "percentiles": list(PERCENTILES),
        "n": int(v.size),
    }


def _probability(verdicts) -> dict:
    n = len(verdicts)
    count = sum(v == SUPPORTED for v in verdicts)
    return {
        "value": round(count / n, 4) if n else None,
        "count": int(count),
        "n": n,
        "of": f"verdict '{SUPPORTED}'",
        "verdicts": dict(sorted(Counter(verdicts).items())),
    }


def summarize_run(run, scenarios, inputs=None) -> dict:
    """Probabilities, intervals, metric intervals and route densities of a :class:`SweepRun`.

    Returns a dict with ``claims`` (id -> ``{probability, interval}``),
    ``metrics`` (route -> metric -> interval), ``readings`` (altitude claim's
    two readings: share supported), ``scenarios`` (n requested, finished,
    failed list), ``values`` (claim id -> list of headline values, for
    histograms) and ``density`` (route key -> :class:`~wakhan.grid.Grid` of
    shares, when ``inputs`` is given).
    """
    res = run.results
    claims: dict[str, dict[str, Any]] = {}
    values: dict[str, list] = {}
    for cid in CLAIM_IDS:
        rows = [r["claims"][cid] for r in res if cid in r["claims"]]
        unit = rows[0]["unit"] if rows else ""
        values[cid] = [r["value"] for r in rows]
        claims[cid] = {
            "probability": _probability([r["verdict"] for r in rows]),
            "interval": interval(values[cid], unit),
        }
    readings = {}
    for name in ("area_mean", "route_mean"):
        vs = [r["readings"]["altitude"].get(name) for r in res if r["readings"]["altitude"].get(name)]
        readings[name] = _probability(vs)
    claims["altitude"]["probability"]["by_reading"] = readings
    metrics: dict[str, dict[str, list]] = {}
    for r in res:
        for key, m in r["routes"].items():
            for k, v in m.items():
                metrics.setdefault(key, {}).setdefault(k, []).append(v)
    metric_intervals = {key: {k: interval(v) for k, v in m.items()} for key, m in metrics.items()}
    walk_mean = [r["routes"].get(ON_FOOT, {}).get("mean_elevation_m") for r in res]
    values["walk_mean_elevation_m"] = [v for v in walk_mean if v is not None]
    gaps_by_buffer: dict[str, list[float]] = {}
    for r in res:
        for g in r["gaps"]:
            if g["route"] == ON_FOOT and not g["coverage_limited"]:
                gaps_by_buffer.setdefault(f"{g['source']} | {g['buffer_km']:g} km", []).append(g["length_km"])
    out = {
        "claims": claims,
        "metrics": metric_intervals,
        "gap_intervals_km": {k: interval(v, "km") for k, v in sorted(gaps_by_buffer.items())},
        "area_mean_m": {
            d: interval([r["area_mean_m"][d] for r in res if d in r["area_mean_m"]], "m")
            for d in (res[0]["area_mean_m"] if res else {})
        },
        "scenarios": {"requested": len(scenarios), "finished": len(res), "failed": run.failed},
        "values": values,
    }
    if inputs is not None and res:
        out["density"] = _density(res, inputs)
    return out


def _density(results, inputs) -> dict:
    grids = {WAKHAN_HIGHWAY: inputs.highway_dem, ON_FOOT: inputs.walk_dem}
    out = {}
    for key, grid in grids.items():
        counts = np.zeros(grid.array.size, dtype=np.float64)
        n = 0
        for r in results:
            cells = r["cells"].get(key)
            if cells is None or tuple(r["shapes"][key]) != grid.shape:
                continue
            counts[cells] += 1
            n += 1
        if n:
            out[key] = grid.with_array(
                (counts / n).reshape(grid.shape).astype(np.float32),
                nodata=None,
                notes=(f"share of {n} scenarios whose route passes the cell",),
            )
    return out
