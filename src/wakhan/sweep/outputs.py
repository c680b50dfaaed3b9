"""What a Monte Carlo run adds to ``claims.json`` / ``--json`` and to the report.

* :func:`uncertainty_json` adds ``probability`` and ``interval`` to every claim
  of a claims document and a ``monte_carlo`` section (error model, scenarios,
  metric intervals, failed scenarios). Nothing in it depends on timing or on
  the cluster, so the same seed gives the same JSON.
* :func:`write_uncertainty_files` writes the route-density maps (GeoTIFF and
  PNG) and the histograms of the headline values, and returns the report's
  Markdown section.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import rasterio

from wakhan.claims.case_study import ON_FOOT, WAKHAN_HIGHWAY
from wakhan.figures.sweep import plot_density, plot_histograms
from wakhan.plain_json import json_safe

__all__ = ["uncertainty_json", "write_uncertainty_files", "uncertainty_markdown", "DENSITY_FILES"]

DENSITY_FILES = {WAKHAN_HIGHWAY: "route_density_wakhan_highway", ON_FOOT: "route_density_on_foot"}


def uncertainty_json(doc: dict, unc: dict) -> dict:
    """Add ``probability``/``interval`` to each claim of ``doc`` and a ``monte_carlo`` section (in place)."""
    for c in doc.get("claims", []):
        u = unc["claims"].get(c["id"])
        if u:
            c["probability"] = u["probability"]
            c["interval"] = u["interval"]
    doc["monte_carlo"] = json_safe(
        {k: unc[k] for k in ("settings", "scenarios", "metrics", "gap_intervals_km", "area_mean_m") if k in unc}
    )
    return doc


def _write_density(grid, path: Path) -> None:

    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        height=grid.height,
        width=grid.width,
        count=1,
        dtype="float32",
        crs=grid.crs,
        transform=grid.transform,
        compress="deflate",
    ) as dst:
        dst.write(np.asarray(grid.array, dtype=np.float32), 1)
        dst.update_tags(
            description=grid.notes[-1] if grid.notes else "route density",
            data=grid.describe_sources() if grid.sources else "",
        )


def write_uncertainty_files(unc: dict, folder) -> dict:
    """Route-density GeoTIFFs + PNG and the histograms in ``folder``; returns {caption: file name}."""
    folder = Path(folder)
    out = {}
    density = unc.get("density") or {}
    n = unc["scenarios"]["finished"]
    for key, g in density.items():
        name = f"{DENSITY_FILES.get(key, 'route_density_' + key)}.tif"
        _write_density(g, folder / name)
        out[f"Route density GeoTIFF ({key}): share of scenarios whose route passes each cell"] = name
    if density:
        plot_density(density, folder / "route_density.png", n)
        out["Route density map"] = "route_density.png"
    plot_histograms(unc["values"], folder / "monte_carlo_histograms.png")
    out["Histograms of the headline values over the scenarios (claim thresholds in red)"] = "monte_carlo_histograms.png"
    return out


def _fmt_iv(iv, digits: int = 0) -> str:
    if not iv:
        return "-"
    unit = f" {iv['unit']}" if iv.get("unit") else ""
    return f"{iv['low']:,.{digits}f}-{iv['high']:,.{digits}f}{unit} (median {iv['median']:,.{digits}f})"


def uncertainty_markdown(unc: dict, files: dict) -> str:
    """The report section "How sure is each verdict"."""
    s = unc["settings"]
    sc = unc["scenarios"]
    lines = [
        "",
        "## How sure is each verdict (Monte Carlo over DEM error)",
        "",
        f"{sc['finished']} of {sc['requested']} scenarios finished (seed {s['seed']}); each is one realization "
        "of the DEM's vertical error: a Gaussian random field with the published RMSE of the source each cell "
        f"comes from and a {s['correlation_length_m']:,.0f} m correlation length (an assumption), added to the "
        "highway, walking and corridor-area grids coherently. Error models:",
        "",
    ]
    for key, m in s["error_models"].items():
        lines.append(f"* {key}: RMSE {m['rmse_m']:g} m - {m['citation']}")
    lines += ["", "| claim | P(verdict 'supported') | verdicts | headline value, 5-95 % |", "|---|---|---|---|"]
    for cid, u in unc["claims"].items():
        p = u["probability"]
        pv = "-" if p["value"] is None else f"{p['value']:.2f} ({p['count']}/{p['n']})"
        verdicts = ", ".join(f"{k} {v}" for k, v in p["verdicts"].items())
        lines.append(f"| {cid} | {pv} | {verdicts} | {_fmt_iv(u['interval'])} |")
    by = unc["claims"]["altitude"]["probability"].get("by_reading", {})
    if by:
        lines += [
            "",
            "Altitude readings: "
            + "; ".join(
                f"{k.replace('_', ' ')} above 4,000 m under every definition in {v['count']}/{v['n']} scenarios"
                for k, v in by.items()
            )
            + ".",
        ]
    lines += [
        "",
        "| route | length km | highest m | km above 4,000 m | walking days (8 h) | days with limits |",
        "|---|---|---|---|---|---|",
    ]
    for key, m in unc["metrics"].items():
        lines.append(
            f"| {key} | {_fmt_iv(m.get('length_km'))} | {_fmt_iv(m.get('max_elevation_m'))} | "
            f"{_fmt_iv(m.get('km_above_4000m'))} | {_fmt_iv(m.get('walking_days'), 1)} | "
            f"{_fmt_iv(m.get('walking_days_limited'), 1)} |"
        )
    if sc["failed"]:
        lines += [
            "",
            "Failed scenarios (after retries): "
            + "; ".join(
                f"#{f['index']} seed {f['seed']}: {f['error']} ({f['attempts']} attempts)" for f in sc["failed"]
            ),
        ]
    lines.append("")
    for caption, name in files.items():
        if name.endswith(".png"):
            lines += [f"![{caption}]({name})", f"*{caption}.*", ""]
        else:
            lines.append(f"* [{name}]({name}): {caption}")
    return "\n".join(lines) + "\n"
