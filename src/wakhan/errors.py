"""Errors a user can act on.

A :class:`WakhanError` carries one sentence that names the input at fault and
what to do about it. The CLI prints that sentence and exits with status 2; no
traceback, no half-written output.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

__all__ = [
    "WakhanError",
    "DataError",
    "RouteError",
    "InputError",
    "TilesNotCached",
    "library_reason",
    "option",
    "cli_caller",
]

# True while the CLI runs (wakhan.cli.run): a sentence then names an option by its flag alone, as the
# CLI user typed it; a Python caller (a notebook, a script) gets the keyword beside the flag. A process-wide
# flag, not a context variable, so that worker threads started under the CLI name flags too.
_cli_running = False


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


@contextmanager
def cli_caller() -> Iterator[None]:
    """While inside, :func:`option` names options by their CLI flag alone (the CLI runs under it).

    Examples
    --------
    >>> with cli_caller():
    ...     option("--max-grade 7.5", "max_grade_pct=7.5")
    '--max-grade 7.5'
    """
    global _cli_running
    before, _cli_running = _cli_running, True
    try:
        yield
    finally:
        _cli_running = before


def option(flag: str, keyword: str, *, again: bool = False, subject: bool = False) -> str:
    """How an error sentence names an option: ``flag`` to a CLI user, both spellings to anyone else.

    A Python caller cannot pass ``--max-grade``; the CLI user should not read Python. Outside
    :func:`cli_caller` the caller is unknown (a notebook, a script, a test), so both are named.

    Parameters
    ----------
    flag : str
        The CLI spelling, with its value if any (``"--max-grade 7.5"``).
    keyword : str
        The Python spelling (``"max_grade_pct=7.5"``).
    again : bool
        The sentence named both spellings already: outside the CLI, the keyword alone.
    subject : bool
        The option is the sentence's subject, a verb follows: outside the CLI, the aside
        ``, or ... in Python`` is closed by a comma.

    Examples
    --------
    >>> option("--max-grade 7.5", "max_grade_pct=7.5")
    '--max-grade 7.5, or max_grade_pct=7.5 in Python'
    >>> option("--avoid", "avoid", again=True)
    'avoid'
    >>> option("--tunnels", "tunnels=True", subject=True) + " applies to the highway model only"
    '--tunnels, or tunnels=True in Python, applies to the highway model only'
    """
    if _cli_running:
        return flag
    if again:
        return keyword
    return f"{flag}, or {keyword} in Python" + ("," if subject else "")


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
