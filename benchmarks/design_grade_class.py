"""Route lengths at each road's design grade from its road class (issue 17: a pre-registered test, not a fit).

``benchmarks/route_lengths.md`` found that ``estimated_road_km`` overshoots the Swiss pass roads that
are steeper than the highway model's 7 % design grade, and that each road's published *maximum* grade
overcorrects. This is the test the page named instead: a published design standard's grade for the
road's class. ``data/road_class_grades.csv`` (committed before any route here was run; the rule and
its sources in ``data/road_class_grades.md``) gives every Swiss road of the benchmark a class from the
Swiss main-road list and the German RAL 2012 maximum grade of that class: ``design_grade_pct``
(primary: main road EKL 3 6.5 %, other road EKL 4 8.0 %) and ``design_grade_pct_alt`` (secondary:
main road EKL 2 5.5 %). Every road is re-routed with ``design_grade.run`` at 7 % and at each of its
class grades on both grids, side by side in one process; nothing else changes (ends, grid, buffer,
road-length coefficients, earthworks weight).

    WAKHAN_SHARED=/work/shared python benchmarks/design_grade.py --grades road_class --write --464
    python benchmarks/design_grade.py --grades road_class --tables   # from results/design_grade_road_class.json
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import design_grade as dg  # noqa: E402

CLASS_GRADES = HERE / "data" / "road_class_grades.csv"
RESULTS = HERE / "results" / "design_grade_road_class.json"
#: the two pre-registered readings of the standard, columns of road_class_grades.csv
RULES = {"primary": "design_grade_pct", "secondary": "design_grade_pct_alt"}


def _in_band(r: float) -> bool:
    return dg.BAND[0] <= r <= dg.BAND[1]


def route_all(tile: str, grids: list) -> list[dict]:
    """Every road on every grid at 7 % and at each of its class grades (each distinct grade routed once)."""
    classes = dg.load_grades(CLASS_GRADES, column=RULES["primary"])
    out = []
    for grid in grids:
        for road, row in classes.items():
            grades = sorted({float(row[c]) for c in RULES.values()})
            at7 = dg.run(road, grid, None, tile)
            runs = {f"{g:g}": dg.run(road, grid, g, tile) for g in grades}
            out.append(
                {"road": road, "grid_m": at7["grid_m"], "road_class": row["road_class"], "at_7_pct": at7, "at": runs}
            )
            print(
                f"{road} {grid}: 7 % {at7['built_length_km']:.1f} km, "
                + ", ".join(f"{g} % {r['built_length_km']:.1f} km" for g, r in runs.items()),
                file=sys.stderr,
            )
    return out


def _ratios(rows: list[dict]) -> list[dict]:
    """Per route: the stored 7 % row and est./real at 7 % (re-run) and under each rule."""
    defaults = dg.default_rows()
    classes = dg.load_grades(CLASS_GRADES, column=RULES["primary"])
    out = []
    for g in rows:
        d = defaults[(g["road"], round(g["grid_m"]))]
        c = classes[g["road"]]
        rec = {
            "road": g["road"],
            "grid_m": round(g["grid_m"]),
            "set": d["set"],
            "road_class": c["road_class"],
            "ekl": c["ral_ekl"],
            "real_km": d["real_km"],
            "stored_7_km": d["built_length_km"],
            "built_7_km": g["at_7_pct"]["built_length_km"],
            "ratio_7": dg.ratio(d, g["at_7_pct"]["built_length_km"]),
        }
        for rule, col in RULES.items():
            run = g["at"][f"{float(c[col]):g}"]
            rec[f"grade_{rule}"] = float(c[col])
            rec[f"built_{rule}_km"] = run["built_length_km"]
            rec[f"dev_{rule}_km"] = run["built_length_km"] - run["length_km"]
            rec[f"ratio_{rule}"] = dg.ratio(d, run["built_length_km"])
        rec["dev_7_km"] = g["at_7_pct"]["built_length_km"] - g["at_7_pct"]["length_km"]
        out.append(rec)
    return out


def _count(label: str, pairs: list[tuple[float, ...]]) -> str:
    """One summary line: routes in 0.92-1.08 and mean |log ratio| at 7 % and under each rule."""
    n = len(pairs)
    parts = []
    for i, name in enumerate(("7 %", "class grade (primary)", "secondary")):
        inb = sum(_in_band(p[i]) for p in pairs)
        mad = sum(abs(math.log(p[i])) for p in pairs) / n
        parts.append(f"{name} {inb} of {n}, mean |log ratio| {mad:.3f}")
    return f"* {label}: within 0.92-1.08 at " + "; ".join(parts)


def summary(recs: list[dict]) -> list[str]:
    """Counts on held-back routes (per grid, all Swiss, all 47 with the pack's five at 7 %), by class, and the fit."""

    def trip(rs):
        return [(r["ratio_7"], r["ratio_primary"], r["ratio_secondary"]) for r in rs]

    held = [r for r in recs if r["set"] == "held back"]
    lines = [
        _count(
            f"{grid} m grid, {len([r for r in held if r['grid_m'] == grid])} held-back Swiss routes",
            trip([r for r in held if r["grid_m"] == grid]),
        )
        for grid in sorted({r["grid_m"] for r in held})
    ]
    lines.append(_count(f"all {len(held)} held-back Swiss routes", trip(held)))
    import route_lengths as rl

    pack = [
        r for r in json.loads(rl.RESULTS.read_text())["rows"] if r.get("region") != "swiss" and r["set"] == "held back"
    ]
    pk = [(x, x, x) for x in (dg.ratio(r, r["built_length_km"]) for r in pack)]  # the pack keeps its 7 % routes
    lines.append(
        _count(f"all {len(held) + len(pk)} held-back routes (the pack's {len(pk)} at 7 % throughout)", trip(held) + pk)
    )
    for cls in ("main road", "other road"):
        rs = [r for r in held if r["road_class"] == cls]
        lines.append(_count(f"held-back {cls}s ({len(rs)} routes)", trip(rs)))
    fit = [r for r in recs if r["set"] == "fit"]
    lines.append(
        "* fit routes (not a validation; the coefficients were fitted on them at 7 %): "
        + ", ".join(
            f"{r['road']} {r['grid_m']} m {r['ratio_7']:.3f} -> {r['ratio_primary']:.3f} / {r['ratio_secondary']:.3f}"
            for r in fit
        )
    )
    return lines


def refit_diagnostic(recs: list[dict]) -> str:
    """The caveat measured: the model refitted with the fit routes' primary-grade built lengths (after the outcome).

    The coefficients were fitted on routes built at 7 %; here the four Swiss fit routes take their
    class-grade lengths, the 8 fit routes are refitted as in ``route_lengths.fit`` and the held-back
    routes (Swiss at their class grade, the pack's at 7 %) re-scored. Not a validation: chosen after
    the held-back outcome was seen, and the fit set still holds only main roads.
    """
    import route_lengths as rl

    from wakhan.route.road_length import features

    stored = json.loads(rl.RESULTS.read_text())["rows"]
    graded = {(r["road"], r["grid_m"]): r["built_primary_km"] for r in recs}

    def at_class(r: dict) -> dict:
        key = (r["road"], round(r["grid_m"]))
        return {**r, "built_length_km": graded[key]} if r.get("region") == "swiss" else r

    def scored(rows: list[dict]) -> str:
        coef = rl.fit(rows)["coef"]
        held = [r for r in rows if r["set"] == "held back"]
        ratios = [
            r["built_length_km"]
            * math.exp(sum(c * v for c, v in zip(coef, rl.row_features(r, features))))
            / r["real_km"]
            for r in held
        ]
        inb = sum(_in_band(x) for x in ratios)
        mad = sum(abs(math.log(x)) for x in ratios) / len(ratios)
        return f"coefficients {coef}, held back {inb} of {len(held)} within 0.92-1.08, mean |log ratio| {mad:.3f}"

    return (
        "* refitted (after the outcome, not a validation), the same 8 fit routes: at 7 % "
        f"{scored(stored)}; with the Swiss routes at their primary class grade {scored([at_class(r) for r in stored])}"
    )


def table(recs: list[dict]) -> str:
    """Markdown table per road and grid."""
    lines = [
        "| road | set | grid m | class (RAL) | grade % primary / secondary | real km | built km at 7 % (as stored) | "
        "at primary / secondary | development km at 7 % / primary | est. / real at 7 % | at primary | at secondary |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in recs:
        lines.append(
            f"| {r['road']} | {r['set']} | {r['grid_m']} | {r['road_class']} ({r['ekl']}) | "
            f"{r['grade_primary']:g} / {r['grade_secondary']:g} | {r['real_km']:.1f} | "
            f"{r['built_7_km']:.1f} ({r['stored_7_km']:.1f}) | {r['built_primary_km']:.1f} / {r['built_secondary_km']:.1f} | "
            f"{r['dev_7_km']:.1f} / {r['dev_primary_km']:.1f} | {r['ratio_7']:.3f} | {r['ratio_primary']:.3f} | "
            f"{r['ratio_secondary']:.3f} |"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    """Route (unless ``--tables``), print the table and the counts, write the results with ``--write``."""
    if "--tables" not in argv:
        tile = dg.swiss_tile()
        rows = route_all(tile, [None, 464.0] if "--464" in argv else [None])
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(json.dumps({"rows": rows}, indent=1) + "\n")
    rows = json.loads(RESULTS.read_text())["rows"]
    recs = _ratios(rows)
    lines = summary(recs) + [refit_diagnostic(recs)]
    print(table(recs))
    print("\n".join(lines))
    if "--write" in argv or "--tables" in argv:
        RESULTS.write_text(json.dumps({"rows": rows, "ratios": recs, "summary": lines}, indent=1) + "\n")
