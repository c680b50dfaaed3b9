"""`wakhan claims`: the article's claims about the Wakhan Corridor, with verdicts and evidence."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import Any, Optional

import typer

from wakhan.cli.app import app
from wakhan.cli.options import (
    DEFAULT_NEIGHBOURS,
    DEFAULT_SETTLEMENTS,
    AvalancheAlpha,
    ClosureMonths,
    Dem,
    Neighbours,
    Roads,
    Settlements,
)
from wakhan.cli.written import file_records


@app.command("claims")
def claims_command(
    settlements: Settlements = DEFAULT_SETTLEMENTS,  # type: ignore[assignment]  # typer reads a tuple default
    dem: Dem = "pack",
    output_dir: Optional[Path] = typer.Option(
        None, "-o", "--output-dir", help="Write report.md, report.html, claims.json, route GeoJSON and figures here."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the results as JSON on stdout."),
    neighbours: Neighbours = DEFAULT_NEIGHBOURS,
    monte_carlo: int = typer.Option(
        0,
        "--monte-carlo",
        help="Also run N DEM-error realizations and give each "
        "claim a probability and a 5-95 % interval (dask.distributed).",
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of the Monte Carlo realizations (same seed, same result)."),
    scheduler: Optional[str] = typer.Option(
        None,
        "--scheduler",
        help="Dask scheduler tcp://HOST:PORT (default: "
        "$DASK_SCHEDULER_ADDRESS, else a local cluster sized to the machine).",
    ),
    workers: Optional[int] = typer.Option(None, "--workers", help="Local cluster workers (default: one per core)."),
    roads: Roads = None,
    closure_months: ClosureMonths = 1.0,
    avalanche_alpha: AvalancheAlpha = 20.0,
) -> None:
    """Test the 2021 commentary's claims (altitude, depopulated distance, Kashgar-Kabul highway) with data."""
    from rich.console import Console  # lazy: per command, keeps `wakhan --help` light

    from wakhan.claims import run_claims  # lazy: per command, keeps `wakhan --help` light
    from wakhan.report import (  # lazy: per command, keeps `wakhan --help` light
        check_output_dir,
        claims_json,
        write_report,
    )

    if output_dir is not None:
        check_output_dir(output_dir)
    if monte_carlo or seed or workers is not None:
        from wakhan.sweep.cluster import check_monte_carlo  # lazy: per command, keeps `wakhan --help` light

        check_monte_carlo(monte_carlo, seed, workers)  # before the claims run, not 30 s later
    if monte_carlo:
        from wakhan.sweep.cluster import check_scheduler  # lazy: dask, only for Monte Carlo runs

        check_scheduler(scheduler)
    from wakhan.solve.warmup import start_claims_warmup  # compiles the kernels while the run reads its inputs

    start_claims_warmup()
    err = Console(stderr=True)
    status = err.status("starting") if err.is_terminal else None
    if status:
        status.start()
    written: list[Path] = []  # the report's files, for --json
    try:
        if roads is not None:
            from wakhan.claims.kept_open import open_sections_of  # lazy: checks the file before any solve
            from wakhan.plan.roads import read_roads  # lazy: checks the file before any solve

            read_roads(roads)
            open_sections_of([roads])  # its open_all_year sections, as the run reads them
        claims_kw: dict[str, Any] = dict(
            settlement_specs=settlements,
            dem=dem,
            neighbours=neighbours,
            roads=roads,
            closure_months=closure_months,
            avalanche_alpha_deg=avalanche_alpha,
        )
        if monte_carlo:
            # the claims and the scenarios at the same time, on the cluster (issue 23)
            from wakhan.sweep.alongside import claims_with_monte_carlo  # lazy: dask, only for Monte Carlo runs

            result = claims_with_monte_carlo(
                monte_carlo,
                seed,
                settlements,
                claims_kw,
                dem=dem,
                neighbours=neighbours,
                scheduler=scheduler,
                workers=workers,
                status=status,
            )
            run = result.uncertainty["run"]
            if status:
                status.stop()
            err.print(
                f"Monte Carlo: {monte_carlo} scenarios in {run['seconds']:.0f} s on {run['workers']} "
                f"worker(s) ({run['scheduler']}), beside the deterministic claims"
            )
            if status:
                status.start()
        else:
            result = run_claims(**claims_kw, progress=(lambda msg: status.update(msg)) if status else None)
        if output_dir is not None:
            if status:
                status.update("writing the report and figures")
            command = (
                "wakhan claims " + " ".join(shlex.quote(a) for a in sys.argv[2:])
                if sys.argv[1:2] == ["claims"]
                else "wakhan claims"
            )
            write_report(result, output_dir, command=command.strip(), written=written)
    finally:
        if status:
            status.stop()
    if as_json:
        doc = claims_json(result)
        if output_dir is not None:  # each file written, as every --json names them
            doc["written"] = file_records(written)
        typer.echo(json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False))
    else:
        print_claims(result)
        if result.uncertainty:
            print_uncertainty(result.uncertainty)
        if output_dir is not None:
            typer.echo(
                f"wrote {output_dir}/report.md, report.html, claims.json, route GeoJSON files and figures", err=True
            )
    if result.uncertainty:
        sc = result.uncertainty["scenarios"]
        exit_if_failed(len(sc["failed"]), sc["requested"])


def exit_if_failed(n_failed: int, n: int) -> None:
    """Exit with status 1, in one line on stderr, when scenarios of a Monte Carlo run or sweep failed."""
    if n_failed:
        print(
            f"error: {n_failed} of {n} scenarios failed (named above); the probabilities and intervals "
            f"use the {n - n_failed} that finished",
            file=sys.stderr,
        )
        raise typer.Exit(1)


def print_claims(result) -> None:
    """Verdicts, values and evidence as a table on stdout, then the data sources."""
    from rich.console import Console  # lazy: per command, keeps `wakhan --help` light
    from rich.table import Table

    console = Console(file=sys.stdout)  # the terminal's width (80 columns when not a terminal)
    t = Table(title="The Wakhan Corridor claims, tested with data", title_justify="left", show_lines=True, expand=True)
    t.add_column("claim", ratio=1, overflow="fold")
    t.add_column("verdict", style="bold", no_wrap=True)
    t.add_column("value", justify="right", no_wrap=True)
    t.add_column("why", ratio=2, overflow="fold")
    from wakhan.report.briefs import verdict_brief  # lazy: per command, keeps `wakhan --help` light

    for c in result.claims:
        value = "-" if c.value is None else f"{c.value:,.0f} {c.unit}"
        t.add_row(c.statement, c.verdict, value, verdict_brief(c))
    console.print(t)
    # the evidence is prose: paragraphs under the table, not text folded into a narrow cell
    for c in result.claims:
        console.print(f"\n[bold]{c.id}: {c.verdict}.[/bold] {c.reason}", highlight=False)
    console.print()
    for d in result.definitions["corridor"]:
        default = " (default)" if d["key"] == result.definitions["corridor_default"] else ""
        console.print(f"Corridor '{d['key']}'{default}: {d['definition']}.")
    console.print(f"Depopulated: {result.definitions['depopulated']}.")
    inf = result.infiltration
    console.print(
        f"On foot from Sarhad-e Broghil to the first Chinese settlement ({inf['arrival']}): "
        f"{inf['length_km']:,.0f} km, {inf['walking_hours']:,.1f} h of walking "
        f"({inf['walking_days']:,.1f} days of {result.definitions['walking_day_hours']:g} h), "
        f"highest point {inf['max_elevation_m']:,.0f} m."
    )
    console.print(
        "Data: "
        + "; ".join(
            f"{s['name']} {s.get('resolution') or ''} ({s.get('licence') or '-'})".strip() for s in result.data_sources
        )
    )
    grids = sorted({(r.summary.provenance.grid or {}).get("resolution", "") for r in result.routes.values()} - {""})
    if grids:
        console.print(f'Routes solved on a {", ".join(grids)} grid; corridor area statistics on the GEBCO 15" grid.')


def print_uncertainty(unc: dict) -> None:
    """Probabilities and intervals of the Monte Carlo run, one line per claim."""
    sc = unc["scenarios"]
    typer.echo(
        f"Monte Carlo over DEM error: {sc['finished']} of {sc['requested']} scenarios (seed {unc['settings']['seed']})."
    )
    for cid, u in unc["claims"].items():
        p, iv = u["probability"], u["interval"]
        span = f"{iv['low']:,.0f}-{iv['high']:,.0f} {iv['unit']}" if iv else "-"
        pv = "-" if p["value"] is None else f"{p['value']:.2f} ({p['count']}/{p['n']})"
        typer.echo(f"  {cid}: P(supported) = {pv}; 5-95 % of the headline value: {span}")
    for f in sc["failed"]:
        typer.echo(f"  FAILED scenario #{f['index']} (seed {f['seed']}): {f['error']} after {f['attempts']} attempts")
