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
import shutil
import tempfile
from pathlib import Path

import numpy as np

from wakhan.errors import InputError

__all__ = [
    "atomic_path",
    "atomic_write",
    "check_writable",
    "json_safe",
    "temp_dir_beside",
    "temp_name",
    "stale_temps",
    "remove_stale_temps",
]

# Temporary files and folders are named ``.<target name>.wk<pid>-<random><suffix>`` beside their
# target, so that a later run can tell the leftovers of a killed process (its pid is gone) from
# the work in progress of a live one, and remove them.
_TMP_TAG = ".wk"


def temp_name(path: str | os.PathLike, suffix: str = "") -> Path:
    """A temporary path beside ``path`` owned by this process (not created)."""
    path = Path(path)
    return path.parent / f".{path.name}{_TMP_TAG}{os.getpid()}-{os.urandom(3).hex()}{suffix}"


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def stale_temps(path: str | os.PathLike) -> list[Path]:
    """Temporary files and folders beside ``path`` left by processes that no longer run."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    head = f".{path.name}{_TMP_TAG}"
    out = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return out
    for p in entries:
        if not p.name.startswith(head):
            continue
        pid = p.name[len(head) :].split("-", 1)[0]
        if pid.isdigit() and not _pid_alive(int(pid)):
            out.append(p)
    return out


def remove_stale_temps(path: str | os.PathLike) -> list[Path]:
    """Remove the leftovers of killed runs beside ``path`` (see :func:`stale_temps`); return them."""

    gone = stale_temps(path)
    for p in gone:
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                p.unlink()
    return gone


def temp_dir_beside(path: str | os.PathLike) -> Path:
    """Create and return a temporary folder beside ``path`` (after removing stale ones of killed runs).

    The caller moves its content in place and removes the folder, also on error
    (``try/finally``); a folder left by a killed process is removed by the next run.
    """
    path = Path(path)
    remove_stale_temps(path)
    return Path(tempfile.mkdtemp(prefix=temp_name(path).name.rsplit("-", 1)[0] + "-", dir=path.parent))


def check_writable(path: str | os.PathLike) -> Path:
    """Return ``path`` as a Path, raising :class:`InputError` if its folder cannot be written."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.exists():
        raise InputError(
            f"cannot write {path}: folder {folder} does not exist; create it or choose another output path"
        )
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
    remove_stale_temps(path)
    fd, tmp = tempfile.mkstemp(
        prefix=temp_name(path).name.rsplit("-", 1)[0] + "-", suffix=f".part{suffix}", dir=path.parent
    )
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
