"""A memory guard: refuse a raster that cannot fit before reading or allocating it.

:func:`check_raster_fits` estimates the bytes of a raster (cells x bytes per
cell x working copies) and compares them with the memory the system has
available; a raster that does not fit is one :class:`wakhan.errors.InputError`
sentence instead of a ``MemoryError`` traceback (or the machine swapping).
"""

from __future__ import annotations

import os

from wakhan.errors import InputError

__all__ = ["available_bytes", "check_raster_fits", "concurrent_solves", "SOLVE_BYTES_PER_CELL"]

#: Working memory of one exact solve over a grid, bytes per cell: cost (float64, 8), heap
#: positions (int32, 4), backlink (1), passable and valid masks (2) and the used part of the queue
#: (Kashgar-Kabul at 90 m: 11-13 B/cell a leg, benchmarks/scale.py).
SOLVE_BYTES_PER_CELL = 16

# a raster is held as its file dtype, then as float64 with a mask and the solver's arrays: ~4 copies of 8 bytes
WORKING_BYTES_PER_CELL = 32


def available_bytes() -> int:
    """Memory this process may still use: ``WAKHAN_MEMORY_GB`` if set, else the kernel's MemAvailable.

    Examples
    --------
    >>> import os
    >>> os.environ["WAKHAN_MEMORY_GB"] = "2"
    >>> available_bytes() == 2 * 2**30
    True
    >>> del os.environ["WAKHAN_MEMORY_GB"]
    """
    env = os.environ.get("WAKHAN_MEMORY_GB")
    if env:
        try:
            return int(float(env) * 2**30)
        except ValueError:
            raise InputError(f"WAKHAN_MEMORY_GB={env!r} is not a number of gigabytes; give e.g. 12") from None
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, AttributeError):
        return 1 << 62  # unknown: do not refuse


def check_raster_fits(
    nrows: int,
    ncols: int,
    what: str,
    *,
    bytes_per_cell: int = WORKING_BYTES_PER_CELL,
    hint: str = "use a smaller area or a coarser resolution",
) -> int:
    """Raise :class:`InputError` when ``nrows x ncols`` cells need more memory than is available.

    Returns the estimated bytes. ``what`` names the raster in the message.
    """
    nrows, ncols = int(nrows), int(ncols)
    if nrows <= 0 or ncols <= 0:
        raise InputError(f"{what} has {nrows} x {ncols} cells; give a raster with at least one cell")
    need = nrows * ncols * int(bytes_per_cell)
    have = available_bytes()
    if need > have:
        raise InputError(
            f"{what} has {nrows:,} x {ncols:,} cells, which needs about {need / 2**30:,.1f} GiB of "
            f"memory but only {have / 2**30:,.1f} GiB is available; {hint}"
        )
    return need


def concurrent_solves(cells: int, jobs: int, workers: int = 2, share: float = 0.5) -> int:
    """How many independent solves over a ``cells``-cell grid to run at once (1 to ``workers``).

    Solves in threads use both cores (the kernels release the GIL) but each holds
    its own arrays (:data:`SOLVE_BYTES_PER_CELL`); they run side by side only
    while all of them fit in ``share`` of the available memory, else one at a
    time, so a 30 m grid (540 M cells, about 8.6 GB a solve) is routed leg after
    leg instead of running out of memory.

    Examples
    --------
    >>> import os
    >>> os.environ["WAKHAN_MEMORY_GB"] = "24"
    >>> concurrent_solves(60_000_000, jobs=2), concurrent_solves(540_000_000, jobs=2), concurrent_solves(10, jobs=1)
    (2, 1, 1)
    >>> del os.environ["WAKHAN_MEMORY_GB"]
    """
    n = max(1, min(int(workers), int(jobs)))
    while n > 1 and n * int(cells) * SOLVE_BYTES_PER_CELL > share * available_bytes():
        n -= 1
    return n
