"""Long native calls that Ctrl-C and SIGTERM can interrupt.

Python runs signal handlers in the main thread between bytecodes, so a long
call into compiled code (a Numba kernel, a GDAL warp) delays Ctrl-C until it
returns. :func:`run_interruptible` runs such a call in a worker thread while
the main thread waits in short joins and so reacts at once; the call must
release the GIL (Numba ``nogil=True``, rasterio's warp). An abandoned worker
ends with the process.

A signal handler can land while the main thread is inside C code that calls back
into Python (Numba's LLVM finalising a kernel it compiles on a cold cache): the
exception it raises is then printed as "ignored" and lost. The CLI's handlers
therefore also note the signal here (:func:`note_signal`), and every wait loop
re-raises a noted signal (:func:`raise_noted_signal`), so the work stops at the
next wait however the first raise fared.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = [
    "run_interruptible",
    "map_interruptible",
    "note_signal",
    "clear_noted_signal",
    "raise_noted_signal",
    "workers_running",
    "thread_budget",
    "threads_allowed",
]

_POLL_S = 0.05
_WORKER_NAME = "wakhan-map"
#: ``.threads``: how many threads a call in this thread may use (absent: as many as it asks);
#: set by :func:`thread_budget`, passed on to the threads :func:`map_interruptible` starts
_budget = threading.local()
#: the exception class of the last signal the CLI's handlers saw and no wait loop has re-raised yet
_noted: list[type[BaseException]] = []


def note_signal(exc_type: type[BaseException]) -> None:
    """Remember that a signal arrived, as the exception class it raises (called by signal handlers)."""
    _noted[:] = [exc_type]


def clear_noted_signal() -> None:
    """Forget any noted signal (at the start of a command run in-process)."""
    _noted.clear()


def raise_noted_signal() -> None:
    """Raise the exception of a noted signal, if any: one lost in C code is raised here instead."""
    if _noted:
        raise _noted[0]()


@contextmanager
def thread_budget(threads: int) -> Iterator[None]:
    """Within the block, :func:`map_interruptible` uses at most ``threads`` threads.

    The budget belongs to the calling thread (and the threads its work starts), so
    dask workers that share a process each keep their own.

    A sweep's worker already runs one scenario per core: a scenario that also ran its legs and
    band searches on two threads would oversubscribe the cores, so each task runs under
    ``thread_budget(1)`` and its work runs in the task's own thread, one item after another.

    Examples
    --------
    >>> import threading
    >>> with thread_budget(1):
    ...     names = map_interruptible(lambda _: threading.current_thread().name, [0, 1], workers=2)
    >>> len({name for name, _ in names})  # one thread for both items
    1
    """
    before = getattr(_budget, "threads", None)
    _budget.threads = max(1, int(threads))
    try:
        yield
    finally:
        _budget.threads = before


def threads_allowed(wanted: int) -> int:
    """How many of ``wanted`` threads a call in this thread may use: its :func:`thread_budget`, if any.

    Examples
    --------
    >>> with thread_budget(1):
    ...     threads_allowed(2)
    1
    """
    budget = getattr(_budget, "threads", None)
    return wanted if budget is None else max(1, min(wanted, budget))


def _cores() -> int:
    """The CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def workers_running() -> bool:
    """Whether a worker thread abandoned on a signal is still running native code."""
    return any(t.name == _WORKER_NAME and t.is_alive() for t in threading.enumerate())


def run_interruptible(fn, *args, **kwargs):
    """Return ``fn(*args, **kwargs)``, computed in a worker thread the main thread can abandon on a signal.

    Off the main thread (where no signal is delivered) ``fn`` is called directly.
    Exceptions raised by ``fn`` are re-raised in the caller.
    """
    if threading.current_thread() is not threading.main_thread():
        return fn(*args, **kwargs)
    ((value, error),) = map_interruptible(lambda _: fn(*args, **kwargs), [None], workers=1)
    if error is not None:
        raise error
    return value


def map_interruptible(fn, items, *, workers: int = 2) -> list[tuple]:
    """``[(value, None) or (None, exception)]`` of ``fn(item)`` per item, in order, on up to ``workers`` threads.

    For independent native calls that release the GIL (route legs, the two
    directions of a band search): they run in parallel on daemon threads while
    the calling thread waits in short joins, so Ctrl-C and SIGTERM are handled at
    once and the process can exit without waiting for them (a
    ``concurrent.futures`` pool would hold the exit until every call returned).
    Each item's exception is returned, not raised, so the caller decides.
    Work started inside ``fn`` shares the caller's :func:`thread_budget` (all
    cores without one) among the threads started here: on two cores, two legs
    at a time each search on one thread.

    Examples
    --------
    >>> map_interruptible(lambda x: 10 // x, [1, 2, 0])[:2]
    [(10, None), (5, None)]
    >>> with thread_budget(4):
    ...     [n for n, _ in map_interruptible(lambda _: threads_allowed(8), [0, 1], workers=2)]
    [2, 2]
    """
    raise_noted_signal()
    items = list(items)
    budget = getattr(_budget, "threads", None)
    if budget is not None:
        workers = min(workers, budget)
    results: list[tuple] = [(None, None)] * len(items)
    lock = threading.Lock()
    todo = iter(range(len(items)))
    n_threads = max(1, min(workers, len(items)))
    # nested calls share the caller's budget (all cores when it has none) among the threads started here,
    # so that two legs at a time do not each start two more search threads on two cores
    nested = budget if n_threads == 1 else max(1, (budget or _cores()) // n_threads)

    def work():
        _budget.threads = nested
        while True:
            with lock:
                i = next(todo, None)
            if i is None:
                return
            try:
                results[i] = (fn(items[i]), None)
            except BaseException as exc:  # handed back to the caller
                results[i] = (None, exc)

    if workers <= 1 and threading.current_thread() is not threading.main_thread():
        work()  # no signal is delivered here: nothing to wait for, so no thread
        return results
    threads = [threading.Thread(target=work, name=_WORKER_NAME, daemon=True) for _ in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        while t.is_alive():
            t.join(_POLL_S)
            raise_noted_signal()
    return results
