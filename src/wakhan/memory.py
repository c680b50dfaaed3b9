"""A memory guard: refuse a raster that cannot fit before reading or allocating it.

:func:`check_raster_fits` estimates the bytes of a raster (cells x bytes per
cell x working copies) and compares them with the memory the system has
available; a raster that does not fit is one :class:`wakhan.errors.InputError`
sentence instead of a ``MemoryError`` traceback (or the machine swapping).
"""

from __future__ import annotations

import os

from wakhan.errors import InputError

__all__ = ["available_bytes", "check_raster_fits"]

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
