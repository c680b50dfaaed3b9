"""Atomic file writes: output appears complete or not at all.

Every file wakhan writes (downloads, GeoJSON, figures, reports) goes through
:func:`atomic_path` or :func:`atomic_write`: data is written to a temporary
file in the destination folder and renamed over the target only when writing
succeeded, so an error or an interrupted run leaves no partial file behind.
"""
from __future__ import annotations

import contextlib
import math
import os
import tempfile
from pathlib import Path

import numpy as np

from wakhan.errors import InputError

__all__ = ["atomic_path", "atomic_write", "check_writable", "json_safe"]


def check_writable(path: str | os.PathLike) -> Path:
    """Return ``path`` as a Path, raising :class:`InputError` if its folder cannot be written."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.exists():
        raise InputError(f"cannot write {path}: folder {folder} does not exist; create it or choose another output path")
    if not os.access(folder, os.W_OK):
        raise InputError(f"cannot write {path}: folder {folder} is not writable; choose another output path")
    if path.is_dir():
        raise InputError(f"cannot write {path}: it is a folder; give a file name")
    return path


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, suffix: str | None = None):
    """Yield a temporary path beside ``path``; rename it onto ``path`` on success.

    Use for libraries that write by file name (matplotlib, rasterio). The
    temporary file keeps ``path``'s suffix unless ``suffix`` is given, so that
    format detection by extension still works.
    """
    path = check_writable(path)
    suffix = path.suffix if suffix is None else suffix
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=f".part{suffix}", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp)
    # mkstemp creates the file private (0600); give it the permissions a plain open() would
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8"):
    """Open a temporary file for writing; it replaces ``path`` when the block succeeds."""
    if "b" in mode:
        encoding = None
    with atomic_path(path) as tmp:
        with open(tmp, mode, encoding=encoding) as fh:
            yield fh


def json_safe(value):
    """A copy that ``json.dumps(..., allow_nan=False)`` accepts.

    NaN and infinities become ``None`` (JSON ``null``), numpy scalars and arrays
    become Python numbers and lists, tuples become lists, keys become strings.
    """
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, np.ndarray):
        return json_safe(value.tolist())
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
