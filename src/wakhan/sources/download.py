"""Downloading SRTM tiles into a local cache: sources, retries, resume, validation.

Tile sources are URL templates (:data:`SOURCES`, or any ``http(s)://...{name}...``
template the user gives). Tiles are cached under
``<cache>/srtm/<source>/<NAME><suffix>``, where ``<cache>`` is ``--cache-dir``,
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

import datetime as _dt
import hashlib
import http.client
import json
import logging
import os
import string
import sys
import time
import urllib.error
import urllib.request
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from wakhan.errors import DataError, InputError
from wakhan.fileio import atomic_write
from wakhan.sources import srtm

__all__ = [
    "TileSource", "SOURCES", "DEFAULT_SOURCE", "ENV_CACHE", "ENV_SOURCE", "FetchResult",
    "get_source", "cache_root", "source_dir", "cached_tile", "cached_tiles", "missing_tiles",
    "fetch_tile", "fetch_tiles", "find_tiles", "fetch_command",
]

ENV_CACHE = "WAKHAN_CACHE"
ENV_SOURCE = "WAKHAN_TILE_SOURCE"
DEFAULT_SOURCE = "skadi"
MISSING_FILE = "missing.json"
TILE_SUFFIXES = (".hgt.gz", ".hgt.zip", ".hgt", ".tif", ".tiff", ".zip")
_FIELDS = {"name", "name_lower", "lat_band", "lon_band"}
_USER_AGENT = "wakhan/0.1 (SRTM tile fetcher; Python urllib)"


@dataclass(frozen=True)
class TileSource:
    """Where tiles come from: a URL template filled per tile.

    Template fields: ``{name}`` (``N57E011``), ``{name_lower}`` (``n57e011``),
    ``{lat_band}`` (``N57``), ``{lon_band}`` (``E011``).
    """

    name: str
    url_template: str
    description: str = ""
    resolution: str = ""
    licence: str = ""
    hashes: dict = field(default_factory=dict, hash=False, compare=False)  # tile -> "sha256:..."

    @property
    def key(self) -> str:
        """Cache folder name: the source name, or ``custom-<hash>`` for a user template."""
        if self.name != "custom":
            return self.name
        return "custom-" + hashlib.sha256(self.url_template.encode()).hexdigest()[:10]

    @property
    def suffix(self) -> str:
        """File suffix of the tiles this source serves (``.hgt.gz``, ``.hgt.zip``, ...)."""
        path = self.url_template.split("?", 1)[0].lower()
        for suf in TILE_SUFFIXES:
            if path.endswith(suf):
                return suf
        return ".hgt"

    def url(self, tile: str) -> str:
        lat, lon = srtm.parse_tile_name(tile)
        tile = srtm.tile_name(lat, lon)
        return self.url_template.format(name=tile, name_lower=tile.lower(),
                                        lat_band=tile[:3], lon_band=tile[3:])


SOURCES: dict[str, TileSource] = {
    "skadi": TileSource(
        "skadi", "https://s3.amazonaws.com/elevation-tiles-prod/skadi/{lat_band}/{name}.hgt.gz",
        "AWS Open Data terrain tiles (Mapzen/Tilezen), skadi layout: 1\" SRTM-based .hgt.gz tiles",
        srtm.resolution_words(1),
        "SRTM public domain; attribution: Mapzen terrain tiles (tilezen/joerd docs/attribution.md)"),
}


def get_source(spec: str | TileSource | None = None) -> TileSource:
    """The tile source for a name in :data:`SOURCES` or a URL template; default ``$WAKHAN_TILE_SOURCE`` or skadi."""
    if isinstance(spec, TileSource):
        return spec
    spec = spec or os.environ.get(ENV_SOURCE) or DEFAULT_SOURCE
    if spec in SOURCES:
        return SOURCES[spec]
    if "://" not in spec:
        raise InputError(f"unknown tile source {spec!r}: use one of {', '.join(SOURCES)} or a URL template "
                         "such as 'https://host/path/{name}.hgt.gz'")
    if not spec.lower().startswith(("http://", "https://")):
        raise InputError(f"tile source {spec!r} is not an http(s) URL template: "
                         "give one like 'https://host/path/{name}.hgt.gz'")
    try:
        used = {f for _, f, _, _ in string.Formatter().parse(spec) if f is not None}
    except ValueError as exc:
        raise InputError(f"tile source template {spec!r} is malformed ({exc}); use fields like {{name}}") from None
    if not used or not used <= _FIELDS:
        raise InputError(f"tile source template {spec!r} must use only the fields "
                         f"{', '.join('{' + f + '}' for f in sorted(_FIELDS))}, and at least {{name}}")
    return TileSource("custom", spec, "user-supplied URL template", "", "")


# -- the cache -----------------------------------------------------------------
def cache_root(cache_dir: str | os.PathLike | None = None) -> Path:
    """The cache folder: ``cache_dir``, else ``$WAKHAN_CACHE``, else the user's cache folder."""
    if cache_dir:
        return Path(cache_dir).expanduser()
    if os.environ.get(ENV_CACHE):
        return Path(os.environ[ENV_CACHE]).expanduser()
    import pooch
    return Path(pooch.os_cache("wakhan"))


def source_dir(source: TileSource | str | None = None, cache_dir=None) -> Path:
    """Folder holding one source's cached tiles and its ``missing.json``."""
    return cache_root(cache_dir) / "srtm" / get_source(source).key


def _tile_dirs(cache_dir, source: TileSource | None) -> list[Path]:
    root = cache_root(cache_dir)
    dirs = [root]
    if source is not None:
        dirs.append(source_dir(source, cache_dir))
    srtm_dir = root / "srtm"
    if srtm_dir.is_dir():
        dirs += sorted(p for p in srtm_dir.iterdir() if p.is_dir() and p not in dirs)
    return dirs


def cached_tile(name: str, cache_dir=None, source: TileSource | str | None = None) -> Path | None:
    """Path of a cached tile (any source, any format), ``source``'s folder first; None if absent."""
    lat, lon = srtm.parse_tile_name(name)
    name = srtm.tile_name(lat, lon)
    src = get_source(source) if source is not None else None
    for folder in _tile_dirs(cache_dir, src):
        for suf in TILE_SUFFIXES:
            for candidate in (folder / f"{name}{suf}", folder / f"{name.lower()}{suf}"):
                if candidate.is_file():
                    return candidate
    return None


def cached_tiles(cache_dir=None) -> dict[str, list[Path]]:
    """Cached tile files by folder name (``"."`` for tiles lying directly in the cache folder)."""
    root = cache_root(cache_dir)
    out: dict[str, list[Path]] = {}
    for folder in _tile_dirs(cache_dir, None):
        if not folder.is_dir():
            continue
        files = []
        for p in sorted(folder.iterdir()):
            if p.is_file() and p.name.lower().endswith(TILE_SUFFIXES):
                try:
                    srtm.parse_tile_name(p.name)
                except InputError:
                    continue
                files.append(p)
        if files:
            out["." if folder == root else folder.name] = files
    return out


def _load_missing(folder: Path) -> dict:
    path = folder / MISSING_FILE
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def missing_tiles(cache_dir=None, source: TileSource | str | None = None) -> dict[str, dict]:
    """Tiles a server reported missing (ocean): name -> {url, status, checked}; all sources if none given."""
    if source is not None:
        return _load_missing(source_dir(source, cache_dir))
    out: dict[str, dict] = {}
    for folder in _tile_dirs(cache_dir, None):
        out.update(_load_missing(folder))
    return out


def _record_missing(folder: Path, name: str, url: str | None, status: int | None) -> None:
    data = _load_missing(folder)
    if url is None:
        data.pop(name, None)
    else:
        data[name] = {"url": url, "status": status,
                      "checked": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")}
    with atomic_write(folder / MISSING_FILE) as fh:
        json.dump(data, fh, indent=1, sort_keys=True)


def _writable_dir(folder: Path) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".wakhan-write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise InputError(f"cannot write the tile cache {folder} ({exc.strerror or exc}); choose a writable "
                         f"folder with --cache-dir or the {ENV_CACHE} environment variable") from None
    return folder


# -- one download --------------------------------------------------------------
class _Missing(Exception):
    def __init__(self, status: int):
        self.status = status


class _Transient(Exception):
    pass


class _RangeDownloader:
    """A pooch downloader: resumable (``.part`` + HTTP Range), retried, validated."""

    def __init__(self, tile: str, suffix: str, part: Path, *, retries: int, retry_wait_s: float,
                 timeout_s: float, progress=None):
        self.tile, self.suffix, self.part = tile, suffix, part
        self.retries, self.retry_wait_s, self.timeout_s = retries, retry_wait_s, timeout_s
        self.progress = progress
        self.task = None

    def __call__(self, url, output_file, pooch_obj=None, check_only=False):
        last = None
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.retry_wait_s * 2 ** (attempt - 1))
            try:
                self._once(url)
                break
            except _Transient as exc:
                last = exc
        else:
            raise DataError(f"could not download {self.tile} from {url} after {self.retries + 1} attempts "
                            f"({last}); run the same `wakhan tiles fetch` again to resume the partial download")
        try:
            srtm.read_tile(self.part, name=f"{self.tile}{self.suffix}")
        except srtm.BadTileError as exc:
            self.part.unlink(missing_ok=True)
            raise DataError(f"the file downloaded for {self.tile} from {url} {exc.reason} and was deleted; "
                            "check the source template or try again later") from None
        except (DataError, InputError) as exc:
            self.part.unlink(missing_ok=True)
            raise DataError(f"the file downloaded for {self.tile} from {url} is not a readable tile "
                            f"({exc}) and was deleted; check the source template") from None
        os.replace(self.part, output_file)

    def _once(self, url: str) -> None:
        start = self.part.stat().st_size if self.part.exists() else 0
        headers = {"User-Agent": _USER_AGENT, "Accept-Encoding": "identity"}
        if start:
            headers["Range"] = f"bytes={start}-"
        req = urllib.request.Request(url, headers=headers)
        try:
            resp = urllib.request.urlopen(req, timeout=self.timeout_s)
        except urllib.error.HTTPError as exc:
            if exc.code in (404, 410):
                raise _Missing(exc.code) from None
            if exc.code == 416 and start:
                return          # nothing beyond what we have: the part is complete (validation decides)
            if exc.code >= 500 or exc.code in (408, 429):
                raise _Transient(f"HTTP {exc.code}") from None
            raise DataError(f"the tile server refused {url} with HTTP {exc.code} {exc.reason}; "
                            "check the source template or try another --source") from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            raise _Transient(getattr(exc, "reason", None) or exc) from None
        with resp:
            if resp.status == 206:
                crange = resp.headers.get("Content-Range", "")
                if not crange.startswith(f"bytes {start}-"):
                    self.part.unlink(missing_ok=True)
                    raise _Transient(f"server answered range {crange!r} to a resume from byte {start}")
                mode, have = "ab", start
            else:
                mode, have = "wb", 0
            length = resp.headers.get("Content-Length")
            total = have + int(length) if length and length.isdigit() else None
            self._progress(total=total, completed=have)
            try:
                with open(self.part, mode) as fh:
                    while True:
                        chunk = resp.read(1 << 16)
                        if not chunk:
                            break
                        fh.write(chunk)
                        have += len(chunk)
                        self._progress(advance=len(chunk))
            except (OSError, http.client.HTTPException) as exc:
                if isinstance(exc, PermissionError):
                    raise
                raise _Transient(f"connection lost after {have} bytes ({exc})") from None
            if total is not None and have < total:
                raise _Transient(f"connection closed after {have} of {total} bytes")

    def _progress(self, total=None, completed=None, advance=None):
        if self.progress is None:
            return
        if self.task is None:
            self.task = self.progress.add_task(self.tile, total=total)
        if completed is not None:
            self.progress.update(self.task, total=total, completed=completed)
        if advance:
            self.progress.advance(self.task, advance)


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
                         f"with --cache-dir or the {ENV_CACHE} environment variable") from None
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
        cmd += f" --cache-dir {cache_dir}"
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
