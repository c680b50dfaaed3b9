"""Errors a user can act on.

A :class:`WakhanError` carries one sentence that names the input at fault and
what to do about it. The CLI prints that sentence and exits with status 2; no
traceback, no half-written output.
"""

from __future__ import annotations

__all__ = ["WakhanError", "DataError", "RouteError", "InputError", "TilesNotCached", "library_reason"]


class WakhanError(Exception):
    """A problem with the user's input or data, explained in one sentence."""

    exit_code = 2


class InputError(WakhanError, ValueError):
    """An argument the user gave cannot be used (unknown place, bad number, ...)."""


class DataError(WakhanError):
    """A data file or download is missing, truncated or malformed."""


class TilesNotCached(DataError):
    """Offline, the SRTM ``tiles`` of a box are neither in the tile cache ``cache_dir`` nor known to be missing.

    :func:`wakhan.sources.download.fetch_tiles` raises it; ``source`` is the tile source it was given.

    Examples
    --------
    >>> TilesNotCached("N47E008 is not in the tile cache", ["N47E008"], None, None).tiles
    ['N47E008']
    """

    def __init__(self, message: str, tiles, cache_dir, source):
        super().__init__(message)
        self.tiles, self.cache_dir, self.source = list(tiles), cache_dir, source


class RouteError(WakhanError):
    """No route satisfies the constraints (barriers, grade limit, missing data).

    ``needs_grade_pct`` is set when the grade limit is the cause: the smallest
    limit under which a route exists (the gentlest possible crossing).
    """

    def __init__(self, message: str, *, needs_grade_pct: float | None = None):
        super().__init__(message)
        self.needs_grade_pct = needs_grade_pct


def library_reason(exc: BaseException) -> str:
    """The first clause of a library's error message, to quote in a one-sentence error.

    Only the first line is kept, and GDAL's advice to prefix the path with a driver
    name (which no wakhan option takes) is dropped; rasterio's "See previous exception
    for details" is replaced by that exception's message (GDAL's own reason).

    Examples
    --------
    >>> library_reason(OSError("'a.gpx' not recognized as being in a supported file format.; It might "
    ...                        "help to specify the correct driver explicitly by prefixing the file path "
    ...                        "with '<DRIVER>:', e.g. 'CSV:path'."))
    "'a.gpx' not recognized as being in a supported file format"
    >>> library_reason(ValueError())
    'ValueError'
    >>> try:
    ...     try:
    ...         raise OSError("a.tif, band 1: IReadBlock failed at X offset 0, Y offset 0")
    ...     except OSError as gdal:
    ...         raise OSError("Read failed. See previous exception for details.") from gdal
    ... except OSError as exc:
    ...     library_reason(exc)
    'a.tif, band 1: IReadBlock failed at X offset 0, Y offset 0'
    """
    text = str(exc).strip()
    inner = exc.__cause__ or exc.__context__
    if "See previous exception" in text and inner is not None and str(inner).strip():
        return library_reason(inner)
    if not text:
        return type(exc).__name__
    first = text.splitlines()[0].split("; It might help")[0]
    return first.rstrip(" .;") or type(exc).__name__
