"""The deterministic claims and their Monte Carlo scenarios at the same time, on one cluster.

``wakhan claims --monte-carlo N`` used to run the deterministic claims (most of a minute, one
route after another) and only then the scenarios, so a second worker sped up only the second
part (issue 23: 1.35x with two workers). :func:`claims_with_monte_carlo` overlaps them:

* on the LocalCluster the command starts, the deterministic claims are one more task, submitted
  first, and the scenarios' shared inputs another: with one worker the run uses one core, as
  ``--workers 1`` says; with two, one worker evaluates the claims while the other prepares the
  inputs and runs scenarios, then both run what is left;
* on a cluster given with ``--scheduler`` (or ``DASK_SCHEDULER_ADDRESS``), whose workers may not
  hold the data, the claims run in this process while the cluster runs the scenarios.

Every task is the same pure function as before (the claims task runs
:func:`wakhan.claims.run_claims` under :func:`wakhan.interrupt.thread_budget`, like a scenario), so
the results are those of running the claims and then the scenarios.
"""

from __future__ import annotations

import sys

from wakhan.interrupt import thread_budget

__all__ = ["claims_with_monte_carlo"]


def _claims_task(claims_kw: dict):
    """:func:`wakhan.claims.run_claims` on a worker's one thread (the worker is one core of the run)."""
    from wakhan.claims import run_claims  # lazy: imported on the worker

    with thread_budget(1):
        return run_claims(**claims_kw)


def claims_with_monte_carlo(
    n: int,
    seed: int,
    settlement_specs,
    claims_kw: dict,
    *,
    dem="pack",
    neighbours=None,
    scheduler=None,
    workers=None,
    progress: bool = True,
    status=None,
    claims_on_cluster: bool | None = None,
):
    """The :class:`~wakhan.claims.ClaimsResult` of ``run_claims(**claims_kw)`` with its ``uncertainty``
    (as :func:`wakhan.sweep.monte_carlo_uncertainty` gives it) from ``n`` realizations of ``seed``.

    ``status`` (a :class:`rich.status.Status`, optional) is told what runs before the scenarios'
    progress bar (``progress``: on a terminal) takes its place. ``claims_on_cluster``: run the
    claims as a task (default: on a LocalCluster started here) or in this process (default: on a
    cluster given by address).
    """
    from dask.distributed import wait  # lazy: dask.distributed, only when a sweep runs

    from wakhan.claims import run_claims  # lazy: keeps this package's import light
    from wakhan.sweep import _check_settlement_names, _with_run_settings
    from wakhan.sweep.inputs import prepare_inputs
    from wakhan.sweep.run import collect_scenarios, dask_client, submit_scenarios
    from wakhan.sweep.scenario import monte_carlo
    from wakhan.sweep.summary import summarize_run

    def say(message: str) -> None:
        if status is not None:
            status.update(message)

    scenarios = monte_carlo(n, seed)
    with dask_client(scheduler, workers) as client:
        # a cluster given by address: its workers may not hold the data, so the claims run here
        claims_here = client.cluster is None if claims_on_cluster is None else not claims_on_cluster
        claims_future = inputs_future = None
        if not claims_here:
            # the claims first, so that one worker starts on them while another prepares the inputs
            claims_future = client.submit(_claims_task, claims_kw, key="wakhan-claims", pure=False, priority=2)
            inputs_future = client.submit(
                prepare_inputs, settlement_specs, dem=dem, neighbours=neighbours, key="wakhan-inputs", priority=1
            )
            say(f"the claims and {n} scenarios on the cluster")
            # no more scenarios submitted than workers are free: submitted all at once, dask queued them
            # on the worker holding the inputs, and the one freed by the claims stayed idle (6-14 s
            # measured) until it stole one
            wait(inputs_future)
            if inputs_future.status == "error":
                inputs_future.result()  # raises the error preparing them
            free = len(client.scheduler_info()["workers"]) - (claims_future.status == "pending")
            batch = submit_scenarios(client, scenarios, inputs_future, at_once=free)
        else:
            say("preparing the scenarios' inputs")
            inputs = prepare_inputs(settlement_specs, dem=dem, neighbours=neighbours)
            _check_settlement_names(scenarios, inputs)
            batch = submit_scenarios(client, scenarios, inputs)
            result = run_claims(**claims_kw, progress=say)
            say(f"{n} scenarios on the cluster")
        if status is not None:
            status.stop()  # the progress bar takes its place
        also = [claims_future] if claims_future is not None else []
        run, from_cluster = collect_scenarios(batch, progress, also=also)
        if status is not None:
            status.start()
        if claims_future is not None and inputs_future is not None:
            (result,) = from_cluster
            inputs = inputs_future.result()
    run.results.sort(key=lambda r: r["index"])
    run.failed.sort(key=lambda r: r["index"])
    if run.failed and progress:
        print(
            f"{len(run.failed)} scenario(s) failed: "
            + "; ".join(f"#{f['index']} ({f['error']}; {f['attempts']} attempt(s))" for f in run.failed),
            file=sys.stderr,
        )
    result.uncertainty = _with_run_settings(summarize_run(run, scenarios, inputs), run, inputs, seed, scenarios)
    return result
