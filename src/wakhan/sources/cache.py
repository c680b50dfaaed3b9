"""The tile cache on disk: its folders, the tiles already in it, and the memory of missing tiles.

Tiles are cached under ``<cache>/srtm/<source>/<NAME><suffix>``, where
``<cache>`` is ``--tiles-dir``, else ``$WAKHAN_CACHE``, else the user's cache
folder (``pooch.os_cache("wakhan")``). Tiles lying directly in ``<cache>`` are
found too. Tiles a server reported missing (404/410: ocean) are remembered per
source in ``missing.json``.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from pathlib import Path

import pooch

from wakhan.errors import InputError
from wakhan.fileio import atomic_write
from wakhan.sources import srtm
from wakhan.sources.tilesource import TILE_SUFFIXES, TileSource, get_source

__all__ = ["ENV_CACHE", "MISSING_FILE", "cache_root", "source_dir", "cached_tile", "cached_tiles", "missing_tiles"]

ENV_CACHE = "WAKHAN_CACHE"
MISSING_FILE = "missing.json"


def cache_root(cache_dir: str | os.PathLike | None = None) -> Path:
    """The cache folder: ``cache_dir``, else ``$WAKHAN_CACHE``, else the user's cache folder.

    :class:`InputError` when that path is an existing file (a folder that does not exist yet is fine).
    """
    if cache_dir:
        root, given = Path(cache_dir).expanduser(), "--tiles-dir"
    elif os.environ.get(ENV_CACHE):
        root, given = Path(os.environ[ENV_CACHE]).expanduser(), f"${ENV_CACHE}"
    else:
        return Path(pooch.os_cache("wakhan"))
    if root.exists() and not root.is_dir():
        raise InputError(f"tile cache {root} is a file, not a folder; give {given} a folder (it is created if needed)")
    return root


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
        data[name] = {
            "url": url,
            "status": status,
            "checked": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        }
    with atomic_write(folder / MISSING_FILE) as fh:
        json.dump(data, fh, indent=1, sort_keys=True)


def _writable_dir(folder: Path) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".wakhan-write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise InputError(
            f"cannot write the tile cache {folder} ({exc.strerror or exc}); choose a writable "
            f"folder with --tiles-dir or the {ENV_CACHE} environment variable"
        ) from None
    return folder
