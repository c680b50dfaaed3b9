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
* A task that raises is resubmitted up to ``retries`` times, unless the error
  is not transient (:func:`transient`: a :class:`~wakhan.errors.WakhanError`,
  or the same error twice); if it still fails it is named in
  :attr:`SweepRun.failed` with its error and attempts, never dropped silently.
  A worker lost mid-task (killed, out of memory) is named as such.
* Ctrl-C stops the local cluster's workers quietly: they are started with
  SIGINT ignored, so only this process sees it and shuts them down.

Each task is a pure function of its scenario, so the results do not depend
on the number of workers or the order tasks finish in; they are returned
sorted by scenario index.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import time
import warnings
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from wakhan.errors import WakhanError
from wakhan.interrupt import thread_budget
from wakhan.sweep.cluster import connect
from wakhan.sweep.task import evaluate_scenario

__all__ = [
    "SweepRun",
    "run_scenarios",
    "submit_scenarios",
    "collect_scenarios",
    "dask_client",
    "transient",
    "DEFAULT_RETRIES",
]

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


def _describe(exc) -> str:
    """The error of a failed task; a lost worker is named as such (dask gives None or KilledWorker)."""
    if exc is None or type(exc).__name__ == "KilledWorker":
        return "the worker running it was lost (killed, or out of memory) on every attempt"
    return f"{type(exc).__name__}: {exc}"


def transient(exc, previous=None) -> bool:
    """Whether a task that raised ``exc`` may succeed when run again.

    Not transient: a :class:`~wakhan.errors.WakhanError` (a bad parameter, no route: the task is a
    pure function of its scenario, so it fails the same way every time), or the same error as
    the previous attempt (``previous``). A lost worker is transient.
    """
    if exc is None or type(exc).__name__ == "KilledWorker":
        return True
    if isinstance(exc, WakhanError):
        return False
    return previous is None or _describe(previous) != _describe(exc)


def _failure(scenario, exc, attempts) -> dict:
    return {
        "index": scenario.index,
        "seed": scenario.seed,
        "label": scenario.label,
        "error": _describe(exc),
        "attempts": attempts,
    }


def _run_serial(scenarios, inputs, task, retries, progress) -> SweepRun:
    results, failed, attempts = [], [], {}
    with _progress(progress) as bar:
        job = bar.add_task("scenarios", total=len(scenarios))
        for s in scenarios:
            previous = None
            for attempt in range(1, retries + 2):
                attempts[s.index] = attempt
                try:
                    results.append(task(s, inputs))
                    break
                except Exception as exc:  # noqa: BLE001 - a failed scenario is reported, not fatal
                    if attempt == retries + 1 or not transient(exc, previous):
                        failed.append(_failure(s, exc, attempt))
                        break
                    previous = exc
            bar.advance(job)
    return SweepRun(results, failed, attempts=attempts)


@contextmanager
def _sigint_ignored():
    """SIGINT ignored while worker processes start: they inherit it, so Ctrl-C reaches only this process."""
    try:
        old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: nothing to inherit
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


@contextmanager
def dask_client(scheduler: str | None = None, workers: int | None = None, processes: bool = True):
    """A dask.distributed Client: on ``scheduler`` (or ``DASK_SCHEDULER_ADDRESS``), else a LocalCluster.

    The address is parsed and connected to with a timeout, and must have a worker
    (:func:`wakhan.sweep.cluster.connect`). The LocalCluster has ``workers``
    single-threaded workers (default: one per CPU core), listens on 127.0.0.1
    only, has no dashboard, and its worker processes ignore Ctrl-C.
    """
    quiet_workers = "DASK_LOGGING__DISTRIBUTED" not in os.environ  # unless the user chose a level
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "error")
    from dask.distributed import Client, LocalCluster  # lazy: dask.distributed, only when a sweep runs

    option = "--scheduler" if scheduler else "DASK_SCHEDULER_ADDRESS"
    address = scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS")
    if address:
        client = connect(address, option=option)
        try:
            yield client
        finally:
            client.close()
        return
    n = workers or os.cpu_count() or 1
    # this process names failed and lost tasks itself; dask's own log lines about them (and about
    # killing workers on Ctrl-C) would only repeat that as noise
    logging.getLogger("distributed").setLevel(logging.CRITICAL)
    if quiet_workers:
        # nor the workers' (a worker that loses the scheduler on Ctrl-C logged a traceback): they read
        # the level from the environment they are started with
        os.environ["DASK_LOGGING__DISTRIBUTED"] = "critical"
    with _sigint_ignored(), warnings.catch_warnings():
        # the scheduler's HTTP endpoint takes another port when 8787 is busy (a user's own dask
        # dashboard); that is no news to a user who asked for no dashboard
        warnings.filterwarnings("ignore", message="Port .* is already in use", category=UserWarning)
        cluster = LocalCluster(
            n_workers=n,
            threads_per_worker=1,
            processes=processes,
            protocol="tcp",  # also in one process (processes=False), where dask would pick inproc:// and reject the host
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.CRITICAL,
        )
    try:
        with Client(cluster) as client:
            yield client
    finally:
        with _sigint_ignored():  # a second Ctrl-C does not interrupt the shutdown
            cluster.close()


def _one_thread_each(task, scenario, inputs):
    """``task(scenario, inputs)`` on the worker's one thread: the cluster runs one scenario per core,
    so a scenario does not also spread its legs and band searches over two threads (which made
    two workers on two cores compete for four threads)."""
    with thread_budget(1):
        return task(scenario, inputs)


def _run_dask(scenarios, inputs, task, retries, progress, scheduler, workers, processes) -> SweepRun:
    with dask_client(scheduler, workers, processes) as client:
        run, _ = collect_scenarios(submit_scenarios(client, scenarios, inputs, task=task, retries=retries), progress)
    return run


@dataclass
class ScenarioBatch:
    """Scenarios submitted to a cluster and not yet collected (see :func:`submit_scenarios`)."""

    client: Any
    submit: Callable
    futures: list
    pending: dict
    attempts: dict
    retries: int
    started: float
    waiting: list = field(default_factory=list)  # scenarios not submitted yet (see ``at_once``)


def submit_scenarios(
    client, scenarios, inputs, *, task=evaluate_scenario, retries=DEFAULT_RETRIES, at_once: int | None = None
) -> ScenarioBatch:
    """Scatter ``inputs`` to every worker once and submit one task per scenario; the cluster starts at once.

    ``inputs`` may also be the future of a task that prepares them on the cluster (nothing to
    scatter). The caller may do other work (the deterministic claims) before :func:`collect_scenarios`.
    ``at_once``: submit only this many now, and each of the others when one finishes or a future
    of ``collect_scenarios(also=...)`` does (each frees a worker); default all.
    """
    from dask.distributed import Future  # lazy: dask.distributed, only when a sweep runs

    started = time.perf_counter()
    shared = inputs if isinstance(inputs, Future) else client.scatter(inputs, broadcast=True)
    pending: dict = {}
    attempts: dict = {}

    def submit(s, attempt):
        attempts[s.index] = attempt
        f = client.submit(
            _one_thread_each, task, s, shared, key=f"wakhan-scenario-{s.index}-attempt-{attempt}", pure=False
        )
        pending[f.key] = (s, attempt)
        return f

    k = len(scenarios) if at_once is None else max(0, at_once)
    futures = [submit(s, 1) for s in scenarios[:k]]
    return ScenarioBatch(client, submit, futures, pending, attempts, retries, started, list(scenarios[k:]))


def collect_scenarios(batch: ScenarioBatch, progress: bool, also=()) -> tuple[SweepRun, list]:
    """Wait for every scenario of ``batch`` (retrying as :func:`transient` allows) and for the futures ``also``.

    Returns the :class:`SweepRun` and the results of ``also``, in order. An error of one of
    ``also`` (the claims, the inputs) is raised as soon as it comes, not after the scenarios.
    """
    from dask.distributed import as_completed  # lazy: dask.distributed, only when a sweep runs

    results, failed = [], []
    errors: dict[int, BaseException | None] = {}  # the last error of each retried scenario
    others = {f.key: i for i, f in enumerate(also)}
    other: list = [None] * len(others)
    queue = as_completed([*also, *batch.futures])
    seconds = None

    def next_one() -> None:  # a worker is free: the next scenario not submitted yet, if any
        if batch.waiting:
            queue.add(batch.submit(batch.waiting.pop(0), 1))

    with _progress(progress) as bar:
        job = bar.add_task("scenarios", total=len(batch.futures) + len(batch.waiting))
        if not batch.futures and not also:
            for _ in range(len(batch.waiting)):
                next_one()
        for fut in queue:
            if fut.key in others:
                other[others[fut.key]] = fut.result()  # raises the error of a failed task here
                next_one()
                continue
            s, attempt = batch.pending.pop(fut.key)
            if fut.status == "finished":
                results.append(fut.result())
                bar.advance(job)
                next_one()
            else:
                exc = fut.exception() if fut.status == "error" else None  # None: the worker was lost
                if attempt <= batch.retries and transient(exc, errors.get(s.index)):
                    errors[s.index] = exc
                    queue.add(batch.submit(s, attempt + 1))
                else:
                    failed.append(_failure(s, exc, attempt))
                    bar.advance(job)
                    next_one()
            fut.release()
            if not batch.pending and not batch.waiting:
                seconds = time.perf_counter() - batch.started
    n_workers = len(batch.client.scheduler_info()["workers"])
    run = SweepRun(
        results, failed, workers=n_workers, scheduler=batch.client.scheduler.address, attempts=batch.attempts
    )
    run.seconds = seconds if seconds is not None else time.perf_counter() - batch.started
    return run, other


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
            f"{len(run.failed)} scenario(s) failed: "
            + "; ".join(f"#{f['index']} ({f['error']}; {f['attempts']} attempt(s))" for f in run.failed),
            file=sys.stderr,
        )
    return run
