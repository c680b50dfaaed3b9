"""Compiling the kernels of a ``wakhan claims`` run in a background thread while the run does other work.

On a cold Numba cache (the first run after an install or an upgrade) a claims run compiles about
20 kernels: pyflwdir's depression filling and the breaching while it conditions the DEM, then
the search loop (one specialisation serves the highway, with its earthworks term, and the walking
searches, without), each where it is first needed, one after another.
:func:`start_claims_warmup` moves them off the run's path: a daemon thread compiles the conditioning's kernels at once (while the run imports
and reads its inputs) and, since Numba compiles one function at a time per process (a
process-wide lock), a child process (``python -m wakhan.solve.warmup``) compiles the search
kernels into the on-disk cache at the same time on another core; the run then loads them from
the cache when it first calls them. Each warm-up calls the kernels on a tiny grid of the same
types (a 16-neighbour float32 DEM, as the claims' searches read theirs), in the order the run
needs them; a kernel the run reaches first it compiles itself, as before. When the cache already
holds the search loop no child is started and the thread only loads the cached code.

Nothing the run computes changes: the calls compile the same specialisations the run would,
and their results are thrown away. Warming is an optimisation only: any error in it is ignored
and the run compiles what is missing itself. ``WAKHAN_WARMUP=0`` turns it off.

The thread never writes to the terminal: a warning raised in it (pyflwdir's, Numba's, or one of the
main thread's that Numba's compiler caught and raises again here: ``warnings.catch_warnings`` is
process-wide, not per thread) is dropped by a hook on :func:`warnings.showwarning` that looks at
the calling thread only, so that a bad input's one-sentence error stays the only line on stderr.
Numba's colorama error highlighting, which swaps ``sys.stdout`` and ``sys.stderr`` of the whole
process while it compiles, is turned off when :mod:`wakhan` is imported; where Numba was imported
first with it on, no thread is started.

The thread carries the name of :mod:`wakhan.interrupt`'s worker threads, so that after Ctrl-C the
CLI leaves at once (as with an abandoned search) instead of letting Python's shutdown tear down
Numba's compiler under it; on a normal exit the thread is told to stop and joined (it stops after
the kernel it is compiling).
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

from wakhan.interrupt import _WORKER_NAME

__all__ = ["start_claims_warmup", "warm_claims_kernels", "stop_warmup"]

_stop = threading.Event()
_thread: threading.Thread | None = None
_child: subprocess.Popen | None = None
_lock = threading.Lock()
_in_warmup = threading.local()  # .quiet: this thread is the warm-up's


def _quiet_in_warmup(previous):
    """A :func:`warnings.showwarning` that drops what the warm-up thread shows and passes on the rest."""

    def showwarning(message, category, filename, lineno, file=None, line=None):
        if getattr(_in_warmup, "quiet", False):
            return  # an optimisation's thread: nothing it meets is the user's to read
        previous(message, category, filename, lineno, file, line)

    showwarning.wakhan_quiet_in_warmup = True
    return showwarning


def _silence_warmup_warnings() -> None:
    """Install :func:`_quiet_in_warmup` once, before the thread starts (its compiles save and restore it)."""
    if not getattr(warnings.showwarning, "wakhan_quiet_in_warmup", False):
        warnings.showwarning = _quiet_in_warmup(warnings.showwarning)


def _highlighting_swaps_streams() -> bool:
    """Whether Numba highlights its errors with colorama (init/deinit replace sys.stdout and sys.stderr)."""
    from numba.core import errors

    return hasattr(errors, "ColorShell")


def _conditioning() -> None:
    """The DEM conditioning's kernels: the breaching, pyflwdir's filling, network and upstream areas.

    Called below :func:`wakhan.dem.hydro.breach_dams` on plain arrays, with no :class:`~wakhan.grid.Grid`:
    nothing here calls GDAL, which the run is using in its own threads meanwhile.
    """
    from affine import Affine

    from wakhan.dem import hydro

    # a valley with a dam across it on a geographic grid (the pack's coarse layers are in degrees)
    z = (2000.0 - 10.0 * np.arange(8) + 300.0 * np.abs(np.arange(7) - 3)[:, None]).astype(np.float64)
    z[3, 4] = 3000.0
    valid = np.isfinite(z)
    hydro._breach(z, valid)
    geographic: Any = SimpleNamespace(transform=Affine(0.01, 0, 71.0, 0, -0.01, 37.0), is_geographic=True)
    hydro._network(z, geographic).upstream_area("km2")
    # the artefact check's and the bridges' catchments, on the projected DEM
    projected: Any = SimpleNamespace(transform=Affine(90.0, 0, 500000.0, 0, -90.0, 4100000.0), is_geographic=False)
    hydro._network(z, projected).upstream_area("km2")


_Z = (3000.0 + 7.0 * np.arange(36).reshape(6, 6) % 11).astype(np.float32)  # float32, as the DEMs
_CELL_M = (90.0, 90.0)


def _route(model_name: str) -> None:
    """One 16-neighbour least-cost path with ``model_name``: the bucket search's kernels and the step costs."""
    from wakhan.cost import get_model
    from wakhan.solve.api import least_cost_path

    least_cost_path(_Z, get_model(model_name), (0, 0), (5, 5), neighbours=16, cell_size_m=_CELL_M)


def _queue_growth() -> None:
    """The bucket queue's pool growth (a long search outgrows its first pool)."""
    from wakhan.solve.buckets import _grow

    bsize = 8
    pool = np.zeros(2 * bsize, np.int32)
    _grow(pool, np.zeros(2 * bsize), np.zeros(2, np.int32), np.zeros(2, np.int32), bsize)


def _labels() -> None:
    """The nearest-source labels of the remoteness surface (an accumulation from two sources)."""
    from wakhan.cost import get_model
    from wakhan.solve import accumulate, source_index

    acc = accumulate(_Z, get_model("walking"), [(0, 0), (5, 5)], neighbours=16, cell_size_m=_CELL_M, reverse=True)
    source_index(acc)


#: the search kernels, in the order a claims run first needs them
SOLVER_STEPS = (_queue_growth, lambda: _route("highway"), lambda: _route("walking"), _labels)
#: every step, in the order a claims run first needs them
STEPS = (_conditioning, *SOLVER_STEPS)


def warm_claims_kernels(steps=STEPS) -> int:
    """Run the warm-up ``steps`` (in this thread) until told to stop; return how many of them succeeded.

    Examples
    --------
    >>> warm_claims_kernels()
    5
    """
    done = 0
    for step in steps:
        if _stop.is_set():
            break
        try:
            step()
        except Exception:  # noqa: BLE001,S112 - an optimisation only: the run compiles what is missing itself
            continue
        done += 1
    return done


def solver_cache_is_cold() -> bool:
    """Whether Numba's on-disk cache holds no search loop for these sources (False when it cannot tell)."""
    from wakhan.solve import buckets_graded

    index = getattr(getattr(getattr(buckets_graded._loop, "_cache", None), "_cache_file", None), "_index_path", None)
    return isinstance(index, str) and not os.path.exists(index)


def _compile_solver_elsewhere() -> subprocess.Popen | None:
    """Compile the search kernels into the on-disk cache in a child process (None when it cannot start).

    Numba compiles one function at a time per process, so the child's compiles run beside the
    run's own (pyflwdir's, first needed) on another core; the run then loads the kernels from
    the cache when it first calls them (or compiles one itself if the child is not there yet).
    """
    import wakhan

    # these very sources first on the child's path, however this process found them
    root = str(Path(wakhan.__file__).resolve().parents[1])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p))
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "wakhan.solve.warmup"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except OSError:
        return None


def _warm_in_background(child: subprocess.Popen | None) -> None:
    # The warm-up thread's steps call the solver, which re-raises a noted Ctrl-C or SIGTERM
    # (wakhan.interrupt.raise_noted_signal) here too: the run is then ending, and this thread
    # only stops; the main thread reports the signal (else "Exception in thread" reached stderr).
    _in_warmup.quiet = True
    try:
        if child is None:
            warm_claims_kernels()
            return
        warm_claims_kernels((_conditioning,))
        while child.poll() is None and not _stop.is_set():
            _stop.wait(0.1)
        warm_claims_kernels(SOLVER_STEPS)  # loads what the child cached, compiles what it did not
    except BaseException:  # noqa: BLE001,S110 - an optimisation's thread: nothing to report on the way out
        _stop.set()


def start_claims_warmup() -> threading.Thread | None:
    """Start :func:`warm_claims_kernels` in a daemon thread, once per process; None when ``WAKHAN_WARMUP=0``
    (or when Numba's error highlighting, imported before :mod:`wakhan`, would swap the process's streams)."""
    global _thread
    if os.environ.get("WAKHAN_WARMUP", "1").strip() == "0" or _highlighting_swaps_streams():
        return None
    global _child
    with _lock:
        if _thread is None:
            _stop.clear()
            _silence_warmup_warnings()
            _child = _compile_solver_elsewhere() if solver_cache_is_cold() else None
            _thread = threading.Thread(target=_warm_in_background, args=(_child,), name=_WORKER_NAME, daemon=True)
            _thread.start()
            atexit.register(stop_warmup)
    return _thread


def stop_warmup(timeout_s: float | None = None) -> None:
    """Tell the warm-up thread to stop after its current kernel, and wait for it (at most ``timeout_s``)."""
    _stop.set()
    if _child is not None and _child.poll() is None:
        _child.terminate()  # what it compiled so far is cached; the rest is compiled when needed
    t = _thread
    if t is not None and t.is_alive() and t is not threading.current_thread():
        t.join(timeout_s)


def _exit_with_parent() -> None:
    """In the child: leave when the run that started it has gone (killed, or left on a signal)."""
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


if __name__ == "__main__":  # the child of _compile_solver_elsewhere
    _exit_with_parent()
    try:
        warm_claims_kernels(SOLVER_STEPS)
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group: leave quietly
        sys.exit(130)
