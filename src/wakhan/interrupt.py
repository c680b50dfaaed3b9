"""Long native calls that Ctrl-C and SIGTERM can interrupt.

Python runs signal handlers in the main thread between bytecodes, so a long
call into compiled code (a Numba kernel, a GDAL warp) delays Ctrl-C until it
returns. :func:`run_interruptible` runs such a call in a worker thread while
the main thread waits in short joins and so reacts at once; the call must
release the GIL (Numba ``nogil=True``, rasterio's warp). An abandoned worker
ends with the process.
"""

from __future__ import annotations

import threading

__all__ = ["run_interruptible", "map_interruptible"]

_POLL_S = 0.05


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

    Examples
    --------
    >>> map_interruptible(lambda x: 10 // x, [1, 2, 0])[:2]
    [(10, None), (5, None)]
    """
    items = list(items)
    results: list[tuple] = [(None, None)] * len(items)
    lock = threading.Lock()
    todo = iter(range(len(items)))

    def work():
        while True:
            with lock:
                i = next(todo, None)
            if i is None:
                return
            try:
                results[i] = (fn(items[i]), None)
            except BaseException as exc:  # handed back to the caller
                results[i] = (None, exc)

    threads = [
        threading.Thread(target=work, name="wakhan-map", daemon=True) for _ in range(max(1, min(workers, len(items))))
    ]
    for t in threads:
        t.start()
    for t in threads:
        while t.is_alive():
            t.join(_POLL_S)
    return results
