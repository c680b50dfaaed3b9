"""`wakhan sweep FILE.toml`: the claims under a grid of parameters and DEM realizations, on dask."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from wakhan.cli.app import app
from wakhan.cli.options import DEFAULT_NEIGHBOURS, DEFAULT_SETTLEMENTS, Dem, Neighbours, Settlements
from wakhan.cli.written import file_records
from wakhan.fileio import staged_files
from wakhan.plain_json import json_safe


def sweep_document(run, unc) -> dict:
    """The ``wakhan sweep --json`` document: one row per scenario, then the summary (no timings)."""

    rows = [
        {
            "index": r["index"],
            "label": r["label"],
            "params": r["params"],
            "claims": r["claims"],
            "routes": r["routes"],
            "area_mean_m": r["area_mean_m"],
            "steep_km": r["steep_km"],
            "gaps": r["gaps"],
        }
        for r in run.results
    ]
    return json_safe(
        {
            "scenarios": rows,
            "failed": run.failed,
            "claims": {k: v for k, v in unc["claims"].items()},
            "metrics": unc["metrics"],
            "settings": unc["settings"],
        }
    )


def write_sweep_outputs(doc: dict, unc: dict, output_dir: Path) -> list[Path]:
    """``sweep.json``, the histograms and the route-density maps in ``output_dir``: every file or none.

    Returns the files written, by their final paths (for ``--json``'s ``written``).
    """
    from wakhan.sweep.outputs import write_uncertainty_files  # lazy: matplotlib, only when writing

    with staged_files(output_dir, folder=True) as tmp:
        write_uncertainty_files(unc, tmp)
        (tmp / "sweep.json").write_text(
            json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False), encoding="utf-8"
        )
        names = sorted(f.name for f in tmp.iterdir() if f.is_file())
    return [output_dir.resolve() / n for n in names]


@app.command("sweep")
def sweep_command(
    file: Path = typer.Argument(
        ...,
        help="TOML file: realizations, seed, lists of dem_error_scale, "
        "correlation_length_m, slope_gain, settlements, buffer_km, corridor, design_grade_pct, "
        "and the model parameters of tables walking and highway.",
    ),
    settlements: Settlements = DEFAULT_SETTLEMENTS,  # type: ignore[assignment]  # typer reads a tuple default
    dem: Dem = "pack",
    scheduler: Optional[str] = typer.Option(
        None,
        "--scheduler",
        help="Dask scheduler tcp://HOST:PORT (default: $DASK_SCHEDULER_ADDRESS, else a local cluster).",
    ),
    workers: Optional[int] = typer.Option(None, "--workers", help="Local cluster workers (default: one per core)."),
    serial: bool = typer.Option(False, "--serial", help="Run in this process, without dask."),
    output_dir: Optional[Path] = typer.Option(
        None, "-o", "--output-dir", help="Write sweep.json, histograms and route-density maps here."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the results as JSON on stdout."),
    neighbours: Neighbours = DEFAULT_NEIGHBOURS,
) -> None:
    """Evaluate the claims for every combination in a sweep file (each with DEM-error realizations)."""
    from rich.console import Console  # lazy: per command, keeps `wakhan --help` light
    from rich.table import Table

    from wakhan.cli.claims_commands import exit_if_failed
    from wakhan.report import check_output_dir  # lazy: per command, keeps `wakhan --help` light
    from wakhan.sweep import sweep_uncertainty
    from wakhan.sweep.cluster import check_monte_carlo, check_scheduler
    from wakhan.sweep.scenario import read_sweep_file

    check_monte_carlo(0, 0, workers)
    scenarios = read_sweep_file(file, workers=workers)
    if output_dir is not None:
        check_output_dir(output_dir)
    if not serial:
        check_scheduler(scheduler)  # a bad address or an empty cluster fails now, before the inputs are built
    run, unc = sweep_uncertainty(
        scenarios, settlements, dem=dem, neighbours=neighbours, scheduler=scheduler, workers=workers, serial=serial
    )
    Console(stderr=True).print(f"{len(scenarios)} scenarios in {run.seconds:.0f} s on {run.workers} worker(s)")
    doc = sweep_document(run, unc)
    written = write_sweep_outputs(doc, unc, output_dir) if output_dir is not None else []
    if as_json:
        if output_dir is not None:  # each file written, as every --json names them (not inside sweep.json)
            doc = dict(doc, written=file_records(written))
        typer.echo(json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False))
        exit_if_failed(len(run.failed), len(scenarios))
        return
    t = Table(title=f"Sweep {file.name}: {len(scenarios)} scenarios", title_justify="left")
    for col in ("#", "scenario", "altitude", "depopulated", "highway"):
        t.add_column(col)
    for r in run.results:
        cells = [
            f"{c['verdict']} ({c['value']:,.0f} {c['unit']})" if c["value"] is not None else c["verdict"]
            for c in (r["claims"][k] for k in ("altitude", "depopulated", "highway"))
        ]
        t.add_row(str(r["index"]), r["label"], *cells)
    for f in run.failed:
        t.add_row(str(f["index"]), f["label"], f"FAILED after {f['attempts']} attempts: {f['error']}", "", "")
    Console(width=140).print(t)
    for cid, u in unc["claims"].items():
        p, iv = u["probability"], u["interval"]
        span = f"{iv['low']:,.0f}-{iv['high']:,.0f} {iv['unit']}" if iv else "-"
        pv = "-" if p["value"] is None else f"{p['value']:.2f} ({p['count']}/{p['n']})"
        typer.echo(f"{cid}: P(supported) = {pv}; 5-95 %: {span}")
    exit_if_failed(len(run.failed), len(scenarios))
