"""Scenario sweeps and DEM-error Monte Carlo above the claims, on dask.distributed.

``scenario`` (what one evaluation varies) -> ``inputs`` (shared grids, scattered
once) -> ``task`` (one scenario, a pure function) -> ``run`` (dask or serial,
retries, progress) -> ``summary`` (probabilities, intervals, densities) ->
``outputs`` (JSON additions, report section, maps and histograms).
"""

from __future__ import annotations

from wakhan.dem.error import DEFAULT_CORRELATION_LENGTH_M
from wakhan.settlements import DEFAULT_SETTLEMENT_SPECS
from wakhan.sweep.inputs import prepare_inputs
from wakhan.sweep.run import run_scenarios
from wakhan.sweep.scenario import monte_carlo
from wakhan.sweep.summary import summarize_run

__all__ = ["monte_carlo_uncertainty", "sweep_uncertainty"]


def _settings(inputs, seed, scenarios) -> dict:
    first = scenarios[0] if scenarios else None
    return {
        "seed": seed,
        "n": len(scenarios),
        "dem": inputs.dem_source,
        "correlation_length_m": first.correlation_length_m if first else DEFAULT_CORRELATION_LENGTH_M,
        "dem_error_scale": first.dem_error_scale if first else 1.0,
        "error_models": {
            k: v
            for k, v in inputs.error_sources.items()
            if k in (("gebco", "globe") if inputs.dem_source == "pack" else ("srtm1", "gebco"))
        },
        "settlements": [s.name for s in inputs.settlements],
        "what_varies": "the DEM error realization only; every other parameter at its headline value",
    }


def _check_settlement_names(scenarios, inputs) -> None:
    """Every scenario's settlement source is one of those read: a wrong name fails before any scenario runs."""
    from wakhan.errors import InputError  # lazy: keeps this package's import light

    known = {n for st in inputs.settlements for n in (st.name, st.source.name)}
    for name in sorted({s.settlements for s in scenarios if s.settlements is not None}):
        if name not in known:
            raise InputError(
                f"sweep settlements {name!r} is not one of the sources read "
                f"({'; '.join(st.name for st in inputs.settlements)}); give one of those names, or add the "
                "source with -s"
            )


def _sweep(scenarios, settlement_specs, dem, neighbours, scheduler, workers, serial, progress):
    """Prepare the shared inputs once, run every scenario, summarize: ``(SweepRun, summary, inputs)``."""

    inputs = prepare_inputs(settlement_specs, dem=dem, neighbours=neighbours)
    _check_settlement_names(scenarios, inputs)
    run = run_scenarios(scenarios, inputs, scheduler=scheduler, workers=workers, serial=serial, progress=progress)
    return run, summarize_run(run, scenarios, inputs), inputs


def monte_carlo_uncertainty(
    n: int,
    seed: int = 0,
    settlement_specs=DEFAULT_SETTLEMENT_SPECS,
    *,
    dem="pack",
    neighbours=None,
    scheduler=None,
    workers=None,
    serial=False,
    progress=True,
) -> dict:
    """Run ``n`` DEM-error realizations and return the summary (see :func:`wakhan.sweep.summary.summarize_run`)."""
    scenarios = monte_carlo(n, seed)
    run, unc, inputs = _sweep(scenarios, settlement_specs, dem, neighbours, scheduler, workers, serial, progress)
    return _with_run_settings(unc, run, inputs, seed, scenarios)


def _with_run_settings(unc: dict, run, inputs, seed, scenarios) -> dict:
    """``unc`` with the Monte Carlo run's ``settings`` (seed, sources) and ``run`` (workers, scheduler, seconds)."""
    unc["settings"] = _settings(inputs, seed, scenarios)
    unc["run"] = {"workers": run.workers, "scheduler": run.scheduler, "seconds": round(run.seconds, 1)}
    return unc


def sweep_uncertainty(
    scenarios,
    settlement_specs=DEFAULT_SETTLEMENT_SPECS,
    *,
    dem="pack",
    neighbours=None,
    scheduler=None,
    workers=None,
    serial=False,
    progress=True,
):
    """Run a custom list of scenarios; returns ``(SweepRun, summary)``."""
    run, unc, inputs = _sweep(scenarios, settlement_specs, dem, neighbours, scheduler, workers, serial, progress)
    unc["settings"] = _settings(inputs, None, scenarios)
    unc["settings"]["what_varies"] = "the parameters of the sweep file"
    return run, unc
