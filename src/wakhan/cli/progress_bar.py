"""The progress bar of the commands that search: stage, percentage and cells settled, on stderr."""

from __future__ import annotations

import contextlib

__all__ = ["progress_bar"]


@contextlib.contextmanager
def progress_bar(enabled: bool):
    """A rich progress bar on stderr when it is a terminal; otherwise a silent callback.

    The bar shows the stage (leg k of n) as a percentage, and the cells the searches have settled so far
    (:func:`wakhan.solve.progress.settled_cells`, polled four times a second from this thread's helper),
    so a long search on a fine grid shows it advancing. The callback takes a stage's description,
    its number and the number of stages.

    Examples
    --------
    >>> with progress_bar(False) as tell:  # off, or stderr is not a terminal: nothing to call
    ...     tell is None
    True
    """
    from rich.console import Console  # lazy: per command, keeps `wakhan --help` light

    console = Console(stderr=True)
    if not (enabled and console.is_terminal):
        yield None
        return
    import threading

    from rich.progress import (  # lazy: per command, keeps `wakhan --help` light
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    from wakhan.solve import progress  # lazy: the solver, per command

    progress.reset()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[cells]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("starting", total=1, cells="")
        done = threading.Event()

        def poll() -> None:
            while not done.wait(0.25):
                n = progress.settled_cells()
                if n:
                    bar.update(task, cells=f"{n / 1e6:,.1f} M cells settled")

        watcher = threading.Thread(target=poll, name="wakhan-progress", daemon=True)
        watcher.start()

        def tell(description: str, step: int, total: int) -> None:
            bar.update(task, description=description, completed=step, total=total)

        try:
            yield tell
        finally:
            done.set()
