"""Fetching SRTM tiles into the local cache: :func:`fetch_tile`, :func:`fetch_tiles`, :func:`find_tiles`.

This module orchestrates a fetch; the pieces live beside it and are re-exported
here: tile sources (URL templates, :data:`SOURCES`, :func:`get_source`) in
:mod:`wakhan.sources.tilesource`, the cache folders and missing-tile memory in
:mod:`wakhan.sources.cache`, the resuming HTTP downloader in
:mod:`wakhan.sources.http_range`.

Tile sources are URL templates (:data:`SOURCES`, or any ``http(s)://...{name}...``
template the user gives). Tiles are cached under
``<cache>/srtm/<source>/<NAME><suffix>``, where ``<cache>`` is ``--tiles-dir``,
else ``$WAKHAN_CACHE``, else the user's cache folder (``pooch.os_cache("wakhan")``).
A folder of tiles the user already has can serve as ``<cache>`` too: tiles lying
directly in it are found.

Every download goes to ``NAME<suffix>.part`` beside its final place and is
resumed from there with an HTTP ``Range`` request after a cut connection (also in
a later run), retried with back-off, checked (decompressed, size and format
checked, sha256 compared where known) and only then moved onto its final name
via :func:`pooch.retrieve`, so the cache never holds a partial or bad tile. A
tile the server reports missing (404/410: ocean, outside SRTM's 60S-60N) is
remembered in ``missing.json`` and not asked for again unless ``retry_missing``.
"""
from __future__ import annotations

import logging
import sys
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from wakhan.errors import DataError, InputError
from wakhan.sources import srtm
from wakhan.sources.cache import (ENV_CACHE, _load_missing, _record_missing, _writable_dir,  # noqa: F401
                                  cache_root, cached_tile, cached_tiles, missing_tiles, source_dir)
from wakhan.sources.http_range import _Missing, _RangeDownloader
from wakhan.sources.tilesource import DEFAULT_SOURCE, ENV_SOURCE, SOURCES, TileSource, get_source  # noqa: F401

__all__ = [
    "TileSource", "SOURCES", "DEFAULT_SOURCE", "ENV_CACHE", "ENV_SOURCE", "FetchResult",
    "get_source", "cache_root", "source_dir", "cached_tile", "cached_tiles", "missing_tiles",
    "fetch_tile", "fetch_tiles", "find_tiles", "fetch_command",
]


# -- one tile ------------------------------------------------------------------
def fetch_tile(name: str, source: TileSource | str | None = None, cache_dir=None, *,
               retry_missing: bool = False, retries: int = 3, retry_wait_s: float = 1.0,
               timeout_s: float = 60.0, progress=None) -> Path | None:
    """Fetch one tile into the cache (or find it there) and return its path.

    Returns ``None`` when the server reports the tile missing (404/410, e.g.
    ocean); that answer is remembered and the tile not requested again unless
    ``retry_missing``. Raises :class:`DataError` when the download fails after
    ``retries`` retries or the file is not a valid tile (nothing is cached
    then), and :class:`InputError` when the cache cannot be written.
    """
    import pooch

    src = get_source(source)
    lat, lon = srtm.parse_tile_name(name)
    name = srtm.tile_name(lat, lon)
    folder = source_dir(src, cache_dir)
    final = folder / f"{name}{src.suffix}"
    if final.is_file():
        return final
    if not retry_missing and name in _load_missing(folder):
        return None
    _writable_dir(folder)
    url = src.url(name)
    part = folder / f"{name}{src.suffix}.part"
    dl = _RangeDownloader(name, src.suffix, part, retries=retries, retry_wait_s=retry_wait_s,
                          timeout_s=timeout_s, progress=progress)
    logger = pooch.get_logger()
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        pooch.retrieve(url, known_hash=src.hashes.get(name), fname=final.name, path=folder,
                       downloader=dl, progressbar=False)
    except _Missing as exc:
        part.unlink(missing_ok=True)
        _record_missing(folder, name, url, exc.status)
        return None
    except ValueError as exc:       # pooch: sha256 mismatch (its temporary file is already gone)
        raise DataError(f"the file downloaded for {name} from {url} does not match its known checksum "
                        f"and was deleted ({str(exc).splitlines()[0]}); check the source") from None
    except PermissionError as exc:
        raise InputError(f"cannot write the tile cache {folder} ({exc.strerror}); choose a writable folder "
                         f"with --tiles-dir or the {ENV_CACHE} environment variable") from None
    finally:
        logger.setLevel(level)
    if retry_missing and name in _load_missing(folder):
        _record_missing(folder, name, None, None)
    return final


# -- many tiles ----------------------------------------------------------------
@dataclass
class FetchResult:
    """Outcome of :func:`fetch_tiles`: paths of the tiles at hand and what happened to each."""

    source: TileSource
    paths: dict = field(default_factory=dict)        # tile name -> Path
    cached: list = field(default_factory=list)       # already in the cache
    downloaded: list = field(default_factory=list)   # fetched now
    missing: list = field(default_factory=list)      # the server has no such tile (ocean)


def _fmt(v: float) -> str:
    return f"{v:g}"


def fetch_command(bbox, source: TileSource | str | None = None, cache_dir=None) -> str:
    """The ``wakhan tiles fetch`` command line that fetches the tiles of ``bbox``."""
    cmd = "wakhan tiles fetch --bbox " + " ".join(_fmt(v) for v in bbox)
    if source is not None:
        src = get_source(source)
        cmd += f" --source {src.name if src.name != 'custom' else repr(src.url_template)}"
    if cache_dir:
        cmd += f" --tiles-dir {cache_dir}"
    return cmd


def _progress_bar(enabled: bool):
    if not enabled:
        return nullcontext(None)
    from rich.console import Console
    from rich.progress import (BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn,
                               TransferSpeedColumn)
    return Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                    TimeRemainingColumn(), console=Console(stderr=True), transient=False)


def fetch_tiles(bbox, source: TileSource | str | None = None, cache_dir=None, *, offline: bool = False,
                retry_missing: bool = False, progress: bool | None = None, retries: int = 3,
                retry_wait_s: float = 1.0, timeout_s: float = 60.0) -> FetchResult:
    """Make sure every tile of ``bbox = (west, south, east, north)`` is in the cache.

    Cached tiles (from any source) are used as they are; the others are
    downloaded from ``source`` unless ``offline``, in which case a
    :class:`DataError` lists them with the command that fetches them. Tiles
    the server reports missing are listed in ``FetchResult.missing``.
    ``progress`` shows a rich progress bar on stderr (default: when stderr is
    a terminal).
    """
    w, s, e, n = (float(v) for v in bbox)
    names = srtm.tiles_for_bbox(w, s, e, n)
    src = get_source(source)
    result = FetchResult(src)
    known_missing = {} if retry_missing else missing_tiles(cache_dir)
    todo = []
    for name in names:
        path = cached_tile(name, cache_dir, src)
        if path is not None:
            result.paths[name] = path
            result.cached.append(name)
        elif name in known_missing:
            result.missing.append(name)
        else:
            todo.append(name)
    if todo and offline:
        shown = ", ".join(todo[:12]) + (f" and {len(todo) - 12} more" if len(todo) > 12 else "")
        raise DataError(f"{len(todo)} SRTM tile(s) for the box {' '.join(_fmt(v) for v in (w, s, e, n))} are not "
                        f"in the tile cache {cache_root(cache_dir)} ({shown}); fetch them with: "
                        f"{fetch_command((w, s, e, n), source, cache_dir)}")
    if progress is None:
        progress = bool(todo) and sys.stderr.isatty()
    with _progress_bar(progress and bool(todo)) as bar:
        for name in todo:
            path = fetch_tile(name, src, cache_dir, retry_missing=retry_missing, retries=retries,
                              retry_wait_s=retry_wait_s, timeout_s=timeout_s, progress=bar)
            if path is None:
                result.missing.append(name)
            else:
                result.paths[name] = path
                result.downloaded.append(name)
    return result


def find_tiles(bbox, cache_dir=None, offline: bool = True, source: TileSource | str | None = None) -> list[Path]:
    """Paths of the cached tiles covering ``bbox = (west, south, east, north)``, north row first.

    With ``offline=True`` (the default) nothing is downloaded: a tile neither
    cached nor known to be missing raises :class:`DataError` naming it and the
    exact ``wakhan tiles fetch`` command. With ``offline=False`` such tiles are
    fetched from ``source``. Tiles known not to exist (ocean) are left out, so
    the list may be shorter than :func:`wakhan.sources.srtm.tiles_for_bbox`, or empty.
    """
    result = fetch_tiles(bbox, source, cache_dir, offline=offline)
    order = srtm.tiles_for_bbox(*(float(v) for v in bbox))
    return [result.paths[n] for n in order if n in result.paths]
