"""Run scenarios on dask.distributed (or serially), with retries and a progress bar.

* By default a :class:`dask.distributed.LocalCluster` sized to the machine
  (one single-threaded worker process per core: the Numba solver holds the
  GIL, so processes, not threads, run scenarios in parallel), bound to
  127.0.0.1.
* ``scheduler="tcp://HOST:PORT"`` (or the ``DASK_SCHEDULER_ADDRESS``
  environment variable) uses an existing cluster started by hand with
  ``dask scheduler`` and ``dask worker tcp://HOST:PORT``.
* The shared inputs (DEMs, settlements) are scattered to every worker once;
  each task receives only its small :class:`~wakhan.sweep.scenario.Scenario`.
* A task that raises is resubmitted up to ``retries`` times; if it still
  fails it is named in :attr:`SweepRun.failed` with its error and attempts,
  never dropped silently.

Each task is a pure function of its scenario, so the results do not depend
on the number of workers or the order tasks finish in; they are returned
sorted by scenario index.
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from wakhan.errors import InputError
from wakhan.sweep.task import evaluate_scenario

__all__ = ["SweepRun", "run_scenarios", "dask_client", "DEFAULT_RETRIES"]

DEFAULT_RETRIES = 2


@dataclass
class SweepRun:
    """Results of a sweep: ``results`` (one dict per finished scenario, by index), ``failed``
    (``{index, seed, label, error, attempts}`` per scenario that failed every attempt), and how it ran."""

    results: list
    failed: list = field(default_factory=list)
    workers: int = 1
    scheduler: str = "serial"
    seconds: float = 0.0
    attempts: dict = field(default_factory=dict)  # index -> attempts made


def _progress(show: bool):

    console = Console(stderr=True)
    return Progress(
        TextColumn("scenarios"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not (show and console.is_terminal),
        transient=True,
    )


def _failure(scenario, exc, attempts) -> dict:
    return {
        "index": scenario.index,
        "seed": scenario.seed,
        "label": scenario.label,
        "error": f"{type(exc).__name__}: {exc}",
        "attempts": attempts,
    }


def _run_serial(scenarios, inputs, task, retries, progress) -> SweepRun:
    results, failed, attempts = [], [], {}
    with _progress(progress) as bar:
        job = bar.add_task("scenarios", total=len(scenarios))
        for s in scenarios:
            for attempt in range(1, retries + 2):
                attempts[s.index] = attempt
                try:
                    results.append(task(s, inputs))
                    break
                except Exception as exc:  # noqa: BLE001 - a failed scenario is reported, not fatal
                    if attempt == retries + 1:
                        failed.append(_failure(s, exc, attempt))
            bar.advance(job)
    return SweepRun(results, failed, attempts=attempts)


@contextmanager
def dask_client(scheduler: str | None = None, workers: int | None = None, processes: bool = True):
    """A dask.distributed Client: on ``scheduler`` (or ``DASK_SCHEDULER_ADDRESS``), else a LocalCluster.

    The LocalCluster has ``workers`` single-threaded workers (default: one per
    CPU core), listens on 127.0.0.1 only and has no dashboard.
    """
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "error")
    from dask.distributed import Client, LocalCluster  # lazy: dask.distributed, only when a sweep runs

    address = scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS")
    if address:
        try:
            client = Client(address, timeout="20s")
        except OSError as exc:
            raise InputError(
                f"cannot reach the dask scheduler at {address} ({exc}); start it with "
                "'dask scheduler' and 'dask worker ADDRESS', or drop --scheduler"
            ) from None
        try:
            yield client
        finally:
            client.close()
        return
    n = workers or os.cpu_count() or 1
    with (
        LocalCluster(
            n_workers=n, threads_per_worker=1, processes=processes, host="127.0.0.1", dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def _run_dask(scenarios, inputs, task, retries, progress, scheduler, workers, processes) -> SweepRun:
    from dask.distributed import as_completed  # lazy: dask.distributed, only when a sweep runs

    results, failed, attempts = [], [], {}
    with dask_client(scheduler, workers, processes) as client:
        n_workers = len(client.scheduler_info()["workers"])
        shared = client.scatter(inputs, broadcast=True)
        pending = {}

        def submit(s, attempt):
            attempts[s.index] = attempt
            f = client.submit(task, s, shared, key=f"wakhan-scenario-{s.index}-attempt-{attempt}", pure=False)
            pending[f.key] = (s, attempt)
            return f

        queue = as_completed([submit(s, 1) for s in scenarios])
        with _progress(progress) as bar:
            job = bar.add_task("scenarios", total=len(scenarios))
            for fut in queue:
                s, attempt = pending.pop(fut.key)
                if fut.status == "finished":
                    results.append(fut.result())
                    bar.advance(job)
                    continue
                exc = fut.exception()
                if attempt <= retries:
                    queue.add(submit(s, attempt + 1))
                else:
                    failed.append(_failure(s, exc, attempt))
                    bar.advance(job)
                fut.release()
        address = client.scheduler.address
    return SweepRun(results, failed, workers=n_workers, scheduler=address, attempts=attempts)


def run_scenarios(
    scenarios,
    inputs,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    serial: bool = False,
    retries: int = DEFAULT_RETRIES,
    progress: bool = True,
    processes: bool = True,
    task=evaluate_scenario,
) -> SweepRun:
    """Evaluate every scenario; results sorted by scenario index.

    Parameters
    ----------
    scenarios : list of Scenario
    inputs : SweepInputs
        Shared grids and settlements (scattered once).
    scheduler : str, optional
        Address of an existing dask scheduler (default ``$DASK_SCHEDULER_ADDRESS``;
        else a LocalCluster).
    workers : int, optional
        LocalCluster size (default: one per CPU core).
    serial : bool
        Run in this process without dask (the reference the tests compare with).
    retries : int
        Extra attempts for a scenario that raises.
    task : callable(scenario, inputs) -> dict
        The function run per scenario (default :func:`evaluate_scenario`).
    """
    t0 = time.perf_counter()
    if serial:
        run = _run_serial(scenarios, inputs, task, retries, progress)
    else:
        run = _run_dask(scenarios, inputs, task, retries, progress, scheduler, workers, processes)
    run.results.sort(key=lambda r: r["index"])
    run.failed.sort(key=lambda r: r["index"])
    run.seconds = time.perf_counter() - t0
    if run.failed and progress:
        print(
            f"{len(run.failed)} scenario(s) failed after {retries + 1} attempts: "
            + "; ".join(f"#{f['index']} ({f['error']})" for f in run.failed),
            file=sys.stderr,
        )
    return run
