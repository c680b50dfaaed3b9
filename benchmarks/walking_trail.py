"""A structured walking model for ``benchmarks/walking.py``: trail length, walking speed and breaks apart.

The single speed factor of ``walking.py`` lumps three things a grid path does not see into one number.
This module keeps them apart, each with a physical meaning and its own data:

* **trail length** ``L[dem]``: published trail km / grid km, by the DEM the trek is routed on (the
  Swiss SRTM 3" tile, ~93 m native cells, or the region pack's GEBCO 15", ~460 m), the distance the
  grid cannot see (as ``wakhan.route.road_length`` does for roads). Fitted on the fit rows' published
  distances (geometric mean per DEM) and checked on the held-back rows' distances;
* **walking speed** ``s``: Tobler's speed factor on the trail's length, fitted on the fit rows' times
  (geometric mean, as in ``walking.py``); the model's walking time is ``hours_grid * L[dem] / s``;
* **breaks**: what kind of time a row publishes (column ``time_kind`` of ``treks.csv``). Swiss signpost
  and guidebook times are pure walking times, breaks not included (Zuercher Wanderwege, "Wanderzeiten",
  zuercher-wanderwege.ch/de/signalisation/wanderzeiten); trek itinerary stages and recorded total times
  include stops, for which a published planning rule adds :data:`BREAK_ALLOWANCE` = 5 min per hour of
  walking (the DIN 33466 walking-time calculator of rechneronline.de/laufzeiten/wandergeschwindigkeit.php).
  Not fitted. Recorded *moving* times are compared with the walking time, without breaks; their total
  times (stops included) separately, with breaks.

Days (the two day-only treks) are counted from the walking time under the claim's daily limits (8 h on
the move, :func:`wakhan.route.days.walking_days`), as before.

The structure was chosen after the stages added after the first fit had been seen (they are all on the
pack too slow, or, as recorded moving times, too fast); only its free parameters are fitted, and only
on the pre-registered fit rows.
"""

from __future__ import annotations

import numpy as np

from wakhan.route.days import walking_days
from wakhan.route.road_length import road_length_model

#: Break allowance on times that include stops: 5 min per hour of walking (DIN 33466 calculator, see above).
BREAK_ALLOWANCE = 5.0 / 60.0
#: Row kinds whose published time includes stops.
WITH_BREAKS = ("itinerary", "total")


#: What a row's published time is (column ``time_kind``); ``days`` for the rows published only in days.
TIME_KINDS = ("walking", "itinerary", "total", "moving", "days")


def check_rows(rows: list[dict], path: str) -> None:
    """Raise ``ValueError`` (one sentence naming the file and line) for a row whose time kind or total is malformed."""
    for line, row in enumerate(rows, start=2):  # line 1 is the header
        kind = row.get("time_kind")
        if kind not in TIME_KINDS:
            raise ValueError(f"{path} line {line}: time_kind {kind!r} must be one of {', '.join(TIME_KINDS)}")
        if (kind == "days") != (not str(row.get("published_hours") or "").strip()):
            raise ValueError(
                f"{path} line {line}: time_kind 'days' is for the rows without published_hours, and only those"
            )
        total = str(row.get("recorded_total_hours") or "").strip()
        if total:
            try:
                ok = float(total) >= float(row["published_hours"]) if kind == "moving" else float(total) > 0
            except ValueError:
                ok = False
            if not ok:
                raise ValueError(
                    f"{path} line {line}: recorded_total_hours {total!r} must be a number of hours, "
                    "at least the moving time on a moving-time row"
                )


def _num(text) -> float | None:
    return float(text) if str(text or "").strip() else None


def _geomean(values) -> float:
    return float(np.exp(np.mean(np.log(np.asarray(values, dtype=np.float64)))))


def _breaks(trek: dict) -> float:
    return 1.0 + BREAK_ALLOWANCE if trek.get("time_kind") in WITH_BREAKS else 1.0


def road_length_factors() -> dict[str, float]:
    """``L`` per DEM taken from the road-length model of issue 17 (fitted on roads, not on treks): no trek parameter.

    The pack's treks lie on GEBCO 15" (460 m native cells, 464 m grid), the Swiss ones on SRTM 3"
    (92.6 m native, routed at its own cell). Roads are not trails, so only the contrast between the
    two DEMs matters: the speed factor, fitted on the treks, takes up the level.
    """
    return {"pack": road_length_model(460.0, 464.0).factor, "swiss": road_length_model(92.6, 92.6).factor}


def fit(rows: list[dict], runs: dict[str, dict], length: dict[str, float] | None = None) -> dict:
    """``L`` per DEM (from the rows' published km) and ``s`` (from their published hours); rows: the fit set.

    A DEM none of whose rows publishes a distance takes the pooled ``L`` of all rows that do. With
    ``length`` given (e.g. :func:`road_length_factors`), ``L`` is that and only ``s`` is fitted.
    """
    if length is None:
        with_km = [t for t in rows if _num(t["published_km"])]
        ratio = {t["id"]: float(t["published_km"]) / runs[t["id"]]["length_km"] for t in with_km}
        pooled = _geomean(list(ratio.values()))
        length = {}
        for dem in ("pack", "swiss"):
            mine = [ratio[t["id"]] for t in with_km if t["dem"] == dem]
            length[dem] = _geomean(mine) if mine else pooled
    timed = [t for t in rows if _num(t["published_hours"])]
    speed = _geomean(
        [runs[t["id"]]["hours"] * length[t["dem"]] * _breaks(t) / float(t["published_hours"]) for t in timed]
    )
    return {"length_factor": length, "speed_factor": speed}


def predict(trek: dict, run: dict, params: dict) -> dict:
    """Walking hours, the hours comparable to the published time, days, trail km and their errors (%)."""
    length, speed = params["length_factor"][trek["dem"]], params["speed_factor"]
    walk_h = run["hours"] * length / speed
    row = {"walking_hours": round(walk_h, 2), "trail_km": round(run["length_km"] * length, 2)}
    pub_h, pub_d, pub_km = _num(trek["published_hours"]), _num(trek["published_days"]), _num(trek["published_km"])
    if pub_h is not None:
        row["hours"] = round(walk_h * _breaks(trek), 2)
        row["error_pct"] = round(100 * (walk_h * _breaks(trek) - pub_h) / pub_h, 1)
    else:
        days = walking_days(run["steps_s"] * length / speed, run["z_m"])["days"]
        row["days"] = round(days, 2)
        row["error_pct"] = round(100 * (days - pub_d) / pub_d, 1)
    total = _num(trek.get("recorded_total_hours"))
    if total is not None and trek.get("time_kind") == "moving":  # the separate comparison: total time, with breaks
        row["total_hours"] = round(walk_h * (1.0 + BREAK_ALLOWANCE), 2)
        row["total_error_pct"] = round(100 * (walk_h * (1.0 + BREAK_ALLOWANCE) - total) / total, 1)
    if pub_km is not None:
        row["km_error_pct"] = round(100 * (run["length_km"] * length - pub_km) / pub_km, 1)
    return row


def evaluate(
    treks: list[dict], hour_rows: list[dict], runs: dict[str, dict], length: dict[str, float] | None = None
) -> dict:
    """Fit on the rows whose ``set`` is ``fit``; every row's prediction, errors by set, leave-one-out.

    ``length``: fixed trail-length factors per DEM (see :func:`fit`); by default fitted on the published km.
    """
    params = fit([t for t in hour_rows if t["set"] == "fit"], runs, length)
    rows, errs, km_errs, signed = {}, {}, {}, {}
    for t in treks:
        row = predict(t, runs[t["id"]], params)
        rows[t["id"]] = row
        errs.setdefault(t["set"], []).append(abs(row["error_pct"]))
        if t["set"] != "fit":
            signed.setdefault(t["dem"], []).append(row["error_pct"])
        if "km_error_pct" in row:
            km_errs.setdefault("fit" if t["set"] == "fit" else "held back", []).append(abs(row["km_error_pct"]))
    loo = []  # each pre-registered hour stage predicted by L and s fitted on the other seven
    for t in hour_rows:
        rest = fit([u for u in hour_rows if u is not t], runs, length)
        loo.append(abs(predict(t, runs[t["id"]], rest)["error_pct"]))
    moving = [r["error_pct"] for t in treks if t.get("time_kind") == "moving" for r in [rows[t["id"]]]]
    total = [r["total_error_pct"] for t in treks for r in [rows[t["id"]]] if "total_error_pct" in r]
    return {
        "length_from": "published km of the fit rows" if length is None else "road-length model (issue 17)",
        "break_allowance": round(BREAK_ALLOWANCE, 4),
        "length_factor": {k: round(v, 3) for k, v in params["length_factor"].items()},
        "speed_factor": round(params["speed_factor"], 3),
        "effective_factor": {k: round(params["speed_factor"] / v, 3) for k, v in params["length_factor"].items()},
        "leave_one_out_mean_abs_error_pct": round(float(np.mean(loo)), 1),
        "mean_abs_error_pct": {k: round(float(np.mean(e)), 1) for k, e in errs.items()},
        "trail_km_mean_abs_error_pct": {k: round(float(np.mean(e)), 1) for k, e in km_errs.items()},
        "recorded_moving_signed_error_pct": moving,
        "recorded_total_signed_error_pct": total,
        "held_back_signed_error_pct_by_dem": {
            d: {"mean": round(float(np.mean(e)), 1), "n": len(e), "slower_than_model": int(sum(x < 0 for x in e))}
            for d, e in sorted(signed.items())
        },
        "rows": rows,
    }


def render(out: dict) -> list[str]:
    """The markdown section of ``walking.md`` for the structured model (Tobler and the altitude term)."""
    tr_t, tr_a = out["trail"]["tobler"], out["trail"]["altitude"]
    rd_t, rd_a = out["trail_roads"]["tobler"], out["trail_roads"]["altitude"]
    sets = ("fit", "held back", "held back (days)", "held back (added after the fit)")
    lines = [
        "## Structured model: trail length, walking speed, breaks (chosen after the added stages were seen)",
        "",
        "`benchmarks/walking_trail.py` splits the single factor in three: the trail's length the grid cannot",
        "see, `L` per DEM (published km / grid km, fitted on the fit rows' distances), Tobler's speed factor",
        "`s` on that length (fitted on the fit rows' times), and breaks, not fitted: signpost and guidebook",
        "times are pure walking times (Zuercher Wanderwege), while trek itinerary stages and recorded total",
        f"times include stops, {60 * tr_t['break_allowance']:.0f} min per hour of walking (the DIN 33466 walking-time",
        "calculator's rule, rechneronline.de). Recorded moving times are compared with the walking time;",
        "their total times, separately, with the breaks. Walking hours = grid hours x L / s; days from the",
        "walking hours under the claim's limits, as above. The structure was chosen **after** the stages",
        "added after the fit had been seen; its parameters are fitted on the same pre-registered fit rows",
        "only, and every other row validates.",
        "",
        f"Fitted, Tobler: L pack {tr_t['length_factor']['pack']:.3f} (one fit row with a distance), L Swiss"
        f" {tr_t['length_factor']['swiss']:.3f}, s {tr_t['speed_factor']:.3f}; walking time = grid time /"
        f" {tr_t['effective_factor']['pack']:.3f} on the pack, / {tr_t['effective_factor']['swiss']:.3f} on the"
        f" Swiss tile (single-factor model: / {out['fit']['tobler']['terrain_factor']:.3f} on both). With the"
        f" altitude term: s {tr_a['speed_factor']:.3f}, / {tr_a['effective_factor']['pack']:.3f} on the pack.",
        "",
        f"Trail length checked on distances: mean abs error of grid km x L against published km"
        f" {tr_t['trail_km_mean_abs_error_pct'].get('fit', float('nan')):.1f} % on the fit rows,"
        f" {tr_t['trail_km_mean_abs_error_pct'].get('held back', float('nan')):.1f} % on the held-back rows."
        f" Leave-one-out over the eight pre-registered hour stages (L and s refitted on the other seven):"
        f" {tr_t['leave_one_out_mean_abs_error_pct']:.1f} % (Tobler), {tr_a['leave_one_out_mean_abs_error_pct']:.1f} %"
        " (altitude term).",
        "",
        "A variant takes `L` from the road-length model of issue 17 instead (fitted on roads, not treks:"
        f" pack {rd_t['length_factor']['pack']:.3f}, Swiss {rd_t['length_factor']['swiss']:.3f}; only its contrast"
        " between the DEMs matters, `s` takes up the level), so that only `s` is fitted on the treks:"
        f" s {rd_t['speed_factor']:.3f}, walking time = grid time / {rd_t['effective_factor']['pack']:.3f} on the pack,"
        f" / {rd_t['effective_factor']['swiss']:.3f} on the Swiss tile; leave-one-out"
        f" {rd_t['leave_one_out_mean_abs_error_pct']:.1f} % (Tobler), {rd_a['leave_one_out_mean_abs_error_pct']:.1f} %"
        " (altitude term).",
        "",
        "Mean abs error by set (T = Tobler, A = with the altitude term):",
        "",
        "| set | single factor, T | structured, T | road-length L, T | single factor, A | structured, A | road-length L, A |",
        "|---|---|---|---|---|---|---|",
    ]
    one_t, one_a = out["fit"]["tobler"]["mean_abs_error_after_pct"], out["fit"]["altitude"]["mean_abs_error_after_pct"]
    for k in sets:
        if k in tr_t["mean_abs_error_pct"]:
            lines.append(
                f"| {k} | {one_t[k]:.1f} % | {tr_t['mean_abs_error_pct'][k]:.1f} % | {rd_t['mean_abs_error_pct'][k]:.1f} %"
                f" | {one_a[k]:.1f} % | {tr_a['mean_abs_error_pct'][k]:.1f} % | {rd_a['mean_abs_error_pct'][k]:.1f} % |"
            )
    lines.append(
        f"| leave-one-out (8 pre-registered stages) | {out['fit']['tobler']['leave_one_out_mean_abs_error_pct']:.1f} %"
        f" | {tr_t['leave_one_out_mean_abs_error_pct']:.1f} % | {rd_t['leave_one_out_mean_abs_error_pct']:.1f} %"
        f" | {out['fit']['altitude']['leave_one_out_mean_abs_error_pct']:.1f} % | {tr_a['leave_one_out_mean_abs_error_pct']:.1f} %"
        f" | {rd_a['leave_one_out_mean_abs_error_pct']:.1f} % |"
    )
    by_dem = tr_t["held_back_signed_error_pct_by_dem"]
    lines += [
        "",
        "Held-back stages, signed error (structured, Tobler): "
        + "; ".join(
            f"{'region pack' if d == 'pack' else 'Swiss tile'} mean {v['mean']:+.1f} % over {v['n']} stages,"
            f" {v['slower_than_model']} slower than the model"
            for d, v in by_dem.items()
        )
        + ". Recorded moving times against the walking time: "
        + ", ".join(f"{e:+.0f} %" for e in tr_t["recorded_moving_signed_error_pct"])
        + "; their total times against walking time plus breaks: "
        + ", ".join(f"{e:+.0f} %" for e in tr_t["recorded_total_signed_error_pct"])
        + ".",
        "",
        "| trek | time published | set | published | structured model (Tobler) | error | with altitude term | error | trail km error |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for t in out["treks"]:
        a, b = tr_t["rows"][t["id"]], tr_a["rows"][t["id"]]
        days = t["published_hours"] is None
        pub = f"{t['published_days']:g} d" if days else f"{t['published_hours']:g} h"
        key, unit = ("days", "d") if days else ("hours", "h")
        km = f"{a['km_error_pct']:+.0f} %" if "km_error_pct" in a else ""
        lines.append(
            f"| {t['name']} | {t['time_kind']} | {t['set']} | {pub} | {a[key]:g} {unit} | {a['error_pct']:+.0f} %"
            f" | {b[key]:g} {unit} | {b['error_pct']:+.0f} % | {km} |"
        )
    return lines
