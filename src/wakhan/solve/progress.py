"""Cells settled by the searches running now: a counter a progress display can poll from another thread.

The bucket-queue kernels (:mod:`wakhan.solve.buckets`) keep their state in a
small int64 array whose element 4 is the number of cells settled; the search
loop hands back to its Python driver every 2**20 settled cells, leaving that
count current, and is resumed at once (no store or call per cell in the loop). :func:`track` and :func:`finish` register that array while a search
runs; :func:`settled_cells` sums the live arrays and the finished searches, so a
thread that draws a progress bar (``wakhan route`` on a terminal) can show the
search advancing. Heap searches (:mod:`wakhan.solve.heap`, used when the bucket
queue does not apply) are not counted until they finish.
"""

from __future__ import annotations

import threading

import numpy as np

__all__ = ["track", "finish", "settled_cells", "reset"]

_lock = threading.Lock()
_live: list[np.ndarray] = []
_done = [0]


def track(state: np.ndarray) -> None:
    """Count the cells a running search settles: ``state[4]`` (its kernel updates it as it goes)."""
    with _lock:
        _live.append(state)


def finish(state: np.ndarray) -> None:
    """The search that owns ``state`` has ended: its count moves to the finished total."""
    with _lock:
        for i, s in enumerate(_live):
            if s is state:
                del _live[i]
                _done[0] += int(state[4])
                return


def settled_cells() -> int:
    """Cells settled since the last :func:`reset` by every search, finished or running (any thread).

    Examples
    --------
    >>> import numpy as np
    >>> reset()
    >>> st = np.zeros(5, dtype=np.int64)
    >>> track(st); st[4] = 65536
    >>> settled_cells()
    65536
    >>> st[4] = 70000; finish(st); settled_cells()
    70000
    """
    with _lock:
        return _done[0] + sum(int(s[4]) for s in _live)


def reset() -> None:
    """Start counting from zero (a new command)."""
    with _lock:
        _done[0] = 0
