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

Every download goes to a part file of its own process beside its final place
(``.NAME<suffix>.wk<pid>-<random>.part``), is resumed with an HTTP ``Range``
request after a cut connection, retried with back-off, capped at the size of the
largest valid tile, checked (decompressed, size and format checked, sha256
compared where known) and only then renamed onto its final name, so the cache
never holds a partial or bad tile, also when several runs fetch into one cache at
once. A download that fails for good is kept as ``NAME<suffix>.part`` for a later
run to resume; part files of killed runs are taken over or removed by the next run.
When the server stops answering part-way through a box, :func:`fetch_tiles` stops
with one sentence naming the tile, its URL, what stays in the cache and the exact
command that fetches only the tiles still missing (or: another ``--source``).
A tile the server reports missing (404/410: ocean, outside SRTM's 60S-60N) is
remembered per source in ``missing.json`` and not asked for again unless
``retry_missing``.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import sys
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

from wakhan.errors import DataError, InputError, TilesNotCached
from wakhan.fileio import stale_temps, temp_name
from wakhan.sources import srtm
from wakhan.sources.cache import (  # noqa: F401
    ENV_CACHE,
    _load_missing,
    _record_missing,
    _writable_dir,
    cache_root,
    cached_tile,
    cached_tiles,
    missing_tiles,
    source_dir,
)
from wakhan.sources.http_range import GaveUp, _Missing, _RangeDownloader
from wakhan.sources.tilesource import DEFAULT_SOURCE, ENV_SOURCE, SOURCES, TileSource, get_source  # noqa: F401

__all__ = [
    "TileSource",
    "SOURCES",
    "DEFAULT_SOURCE",
    "ENV_CACHE",
    "ENV_SOURCE",
    "FetchResult",
    "get_source",
    "cache_root",
    "source_dir",
    "cached_tile",
    "cached_tiles",
    "missing_tiles",
    "fetch_tile",
    "fetch_tiles",
    "find_tiles",
    "fetch_command",
    "refetch_command",
    "DEFAULT_DEADLINE_S",
]

#: Seconds one tile may take to download, every attempt and wait included (``--deadline``): a
#: 25 MB SRTM1 tile at 100 kB/s takes about 250 s.
DEFAULT_DEADLINE_S = 600.0


# -- one tile ------------------------------------------------------------------
def _check_hash(path: Path, known: str | None, name: str, url: str) -> None:
    if not known:
        return
    algo, _, want = known.rpartition(":")
    h = hashlib.new(algo or "sha256")
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    if h.hexdigest() != want.lower():
        path.unlink(missing_ok=True)
        raise DataError(
            f"the file downloaded for {name} from {url} does not match its known checksum "
            f"({algo or 'sha256'} {h.hexdigest()[:12]}..., expected {want[:12]}...) and was deleted; "
            "check the source"
        )


def _adopt_part(final: Path, mine: Path) -> None:
    """Take over a resumable part of ``final`` left by an earlier run, if any, as ``mine``.

    The shared resume file ``NAME<suffix>.part`` and the per-process parts of
    killed runs are renamed (an atomic step only one process can win); the
    largest becomes ``mine``, the others are deleted.
    """
    candidates = [final.with_name(final.name + ".part")] + stale_temps(final)
    best = None
    for p in candidates:
        grab = temp_name(final, ".part")
        try:
            os.rename(p, grab)
        except OSError:  # gone (another run took it) or not ours to take
            continue
        if best is None or grab.stat().st_size > best.stat().st_size:
            if best is not None:
                best.unlink(missing_ok=True)
            best = grab
        else:
            grab.unlink(missing_ok=True)
    if best is not None:
        os.replace(best, mine)


def fetch_tile(
    name: str,
    source: TileSource | str | None = None,
    cache_dir=None,
    *,
    retry_missing: bool = False,
    retries: int = 3,
    retry_wait_s: float = 1.0,
    timeout_s: float = 60.0,
    deadline_s: float | None = DEFAULT_DEADLINE_S,
    progress=None,
) -> Path | None:
    """Fetch one tile into the cache (or find it there) and return its path.

    Returns ``None`` when the server reports the tile missing (404/410, e.g.
    ocean); that answer is remembered and the tile not requested again unless
    ``retry_missing``. Raises :class:`DataError` when the download fails after
    ``retries`` retries or the file is not a valid tile (nothing is cached
    then), and :class:`InputError` when the cache cannot be written.

    Safe when several processes fetch into one cache at once: each downloads
    into its own part file, validates it, and renames it onto the tile name
    only if no other process got there first (else it uses the other's tile).
    """
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
    mine = temp_name(final, ".part")
    resume = final.with_name(final.name + ".part")
    try:
        _adopt_part(final, mine)
        dl = _RangeDownloader(
            name,
            src.suffix,
            mine,
            retries=retries,
            retry_wait_s=retry_wait_s,
            timeout_s=timeout_s,
            deadline_s=deadline_s,
            progress=progress,
        )
        dl.fetch(url)
        _check_hash(mine, src.hashes.get(name), name, url)
        if final.is_file():  # another process stored this tile meanwhile: use its file
            mine.unlink(missing_ok=True)
        else:
            os.replace(mine, final)
    except _Missing as exc:
        mine.unlink(missing_ok=True)
        _record_missing(folder, name, url, exc.status)
        return None
    except PermissionError as exc:
        mine.unlink(missing_ok=True)
        raise InputError(
            f"cannot write the tile cache {folder} ({exc.strerror}); choose a writable folder "
            f"with --tiles-dir or the {ENV_CACHE} environment variable"
        ) from None
    except BaseException:
        # a cut connection or an interruption: keep what arrived for the next run to resume
        if mine.is_file() and mine.stat().st_size > 0:
            with contextlib.suppress(OSError):
                os.replace(mine, resume)
        mine.unlink(missing_ok=True)
        raise
    if retry_missing and name in _load_missing(folder):
        _record_missing(folder, name, None, None)
    return final


# -- many tiles ----------------------------------------------------------------
@dataclass
class FetchResult:
    """Outcome of :func:`fetch_tiles`: paths of the tiles at hand and what happened to each."""

    source: TileSource
    paths: dict = field(default_factory=dict)  # tile name -> Path
    cached: list = field(default_factory=list)  # already in the cache
    downloaded: list = field(default_factory=list)  # fetched now
    missing: list = field(default_factory=list)  # the server has no such tile (ocean)


def _fmt(v: float) -> str:
    return f"{v:g}"


def _box_text(bbox) -> str:
    """``W S E N`` rounded outward to 1e-4 degrees (about 11 m), so a command given that text covers the whole box.

    ``:g`` alone keeps six digits and can round an edge across a whole degree (10.9999999 -> 11), and the
    tiles of the printed box would then differ from those of the box.

    Examples
    --------
    >>> _box_text((11 - 1e-7, 57 - 1e-7, 11 + 1e-7, 57 + 1e-7))
    '10.9999 56.9999 11.0001 57.0001'
    >>> _box_text((71, 36.5, 73, 37.5))
    '71 36.5 73 37.5'
    """
    w, s, e, n = (float(v) for v in bbox)
    step = 1e4
    outward = (
        math.floor(round(w * step, 6)) / step,
        math.floor(round(s * step, 6)) / step,
        math.ceil(round(e * step, 6)) / step,
        math.ceil(round(n * step, 6)) / step,
    )
    return " ".join(_fmt(v) for v in outward)


def fetch_command(bbox, source: TileSource | str | None = None, cache_dir=None) -> str:
    """The ``wakhan tiles fetch`` command line that fetches the tiles of ``bbox``."""
    cmd = "wakhan tiles fetch --bbox " + _box_text(bbox)
    if source is not None:
        src = get_source(source)
        cmd += f" --source {src.name if src.name != 'custom' else repr(src.url_template)}"
    if cache_dir:
        cmd += f" --tiles-dir {cache_dir}"
    return cmd


def refetch_command(path: str | os.PathLike, cache_dir=None) -> str:
    """The commands that replace a bad cached tile ``path``: delete it, then fetch its box again.

    Examples
    --------
    >>> refetch_command("/c/srtm/skadi/N57E011.hgt.gz", "/c")
    'rm /c/srtm/skadi/N57E011.hgt.gz && wakhan tiles fetch --bbox 11.1 57.1 11.9 57.9 --source skadi --tiles-dir /c'
    """
    path = Path(path)
    lat, lon = srtm.parse_tile_name(path.name)
    folder = path.parent.name if path.parent.parent.name == "srtm" else None
    source = folder if folder in SOURCES else None
    box = (lon + 0.1, lat + 0.1, lon + 0.9, lat + 0.9)
    cmd = f"rm {path} && " + fetch_command(tuple(round(v, 1) for v in box), source, cache_dir)
    if folder and folder.startswith("custom-"):  # a user template's folder keeps only its hash
        cmd += " --source 'THE_URL_TEMPLATE_IT_CAME_FROM'"
    return cmd


def _progress_bar(enabled: bool):
    if not enabled:
        return nullcontext(None)

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=False,
    )


def _stopped_answering(exc: GaveUp, result: FetchResult, n_tiles: int, bbox, source, cache_dir) -> DataError:
    """The one sentence for a server that stopped answering part-way through a box: what is kept, what to run."""
    have = len(result.paths)
    left = n_tiles - have - len(result.missing)
    kept = [exc.kept()] if exc.kept_bytes else []
    if have:
        kept.insert(
            0, f"the {have} of the box's {n_tiles} tiles already in the cache {cache_root(cache_dir)} stay there"
        )
    said = f"{' and '.join(kept)}, so " if kept else ""
    return DataError(
        f"{exc.failure()}; {said}when the server answers again, run "
        f"`{fetch_command(bbox, source, cache_dir)}` again to fetch only the {left} tile(s) still missing, "
        "or fetch them from another --source"
    )


def fetch_tiles(
    bbox,
    source: TileSource | str | None = None,
    cache_dir=None,
    *,
    offline: bool = False,
    retry_missing: bool = False,
    progress: bool | None = None,
    retries: int = 3,
    retry_wait_s: float = 1.0,
    timeout_s: float = 60.0,
    deadline_s: float | None = DEFAULT_DEADLINE_S,
) -> FetchResult:
    """Make sure every tile of ``bbox = (west, south, east, north)`` is in the cache.

    Cached tiles (from any source) are used as they are; the others are
    downloaded from ``source`` unless ``offline``, in which case a
    :class:`TilesNotCached` lists them with the command that fetches them. Tiles
    the server reports missing are listed in ``FetchResult.missing``.
    ``progress`` shows a rich progress bar on stderr (default: when stderr is
    a terminal).
    """
    w, s, e, n = (float(v) for v in bbox)
    names = srtm.tiles_for_bbox(w, s, e, n)
    src = get_source(source)
    result = FetchResult(src)
    # a download asks `source` unless *it* said the tile is missing (another mirror's 404 is no answer
    # for this one); offline, any source's 404 marks the tile as ocean
    known_missing = {} if retry_missing else missing_tiles(cache_dir, None if offline else src)
    todo = []
    for name in names:
        path = cached_tile(name, cache_dir, src)
        if path is not None:
            if path.name.lower().endswith(".hgt"):  # a cut raw tile is not at hand: say so (a stat) before any work
                srtm.hgt_side(path.stat().st_size, str(path))
            result.paths[name] = path
            result.cached.append(name)
        elif name in known_missing:
            result.missing.append(name)
        else:
            todo.append(name)
    if todo and offline:
        shown = ", ".join(todo[:12]) + (f" and {len(todo) - 12} more" if len(todo) > 12 else "")
        raise TilesNotCached(
            f"{len(todo)} SRTM tile(s) for the box {_box_text((w, s, e, n))} are not "
            f"in the tile cache {cache_root(cache_dir)} ({shown}); fetch them with: "
            f"{fetch_command((w, s, e, n), source, cache_dir)}",
            todo,
            cache_dir,
            source,
        )
    if progress is None:
        progress = bool(todo) and sys.stderr.isatty()
    with _progress_bar(progress and bool(todo)) as bar:
        for name in todo:
            try:
                path = fetch_tile(
                    name,
                    src,
                    cache_dir,
                    retry_missing=retry_missing,
                    retries=retries,
                    retry_wait_s=retry_wait_s,
                    timeout_s=timeout_s,
                    deadline_s=deadline_s,
                    progress=bar,
                )
            except GaveUp as exc:
                raise _stopped_answering(exc, result, len(names), (w, s, e, n), source, cache_dir) from None
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
