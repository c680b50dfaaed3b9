"""Atomic file writes: output appears complete or not at all.

Every file wakhan writes (downloads, GeoJSON, figures, rasters, reports) goes through one gate,
:func:`output_gate`: it checks the destination before any work
(:func:`wakhan.writable.check_writable`: the parent is a folder, writable, on a file system that
holds files, the target is not a folder or device) and turns an ``OSError`` or a GDAL error
raised while writing into one sentence naming the path (:class:`~wakhan.errors.InputError`, exit 2). :func:`atomic_path` / :func:`atomic_write`
(one file) and :func:`staged_files` (several files, or a folder) write through it into temporary
files beside the target, renamed over it only when writing succeeded, so an error or an
interrupted run leaves no partial file behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from wakhan.errors import InputError, WakhanError
from wakhan.writable import check_writable, unreplaceable_reason

__all__ = [
    "output_gate",
    "staged_files",
    "write_error",
    "atomic_path",
    "atomic_write",
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
    out: list[Path] = []
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


def _is_gdal_error(exc: BaseException) -> bool:
    """An exception raised by GDAL through rasterio, pyogrio, fiona or osgeo."""
    return type(exc).__module__.split(".")[0] in ("rasterio", "pyogrio", "fiona", "osgeo")


def write_error(path: str | os.PathLike, exc: BaseException) -> InputError:
    """One sentence naming ``path`` for an ``OSError`` or GDAL error raised while writing it."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        what = "the disk is full" if exc.errno == errno.ENOSPC else "the disk quota is exceeded"
        return InputError(
            f"cannot write {path}: {what} ({exc.strerror}); free some space or write to another disk "
            "(no partial output was kept)"
        )
    if isinstance(exc, OSError) and exc.errno == errno.EROFS:
        return InputError(f"cannot write {path}: the file system is read-only; write to another folder")
    if isinstance(exc, OSError) and exc.errno in (errno.EPERM, errno.EACCES):
        return InputError(
            f"cannot write {path}: {exc.strerror or 'permission denied'}; check the permissions and attributes "
            "(lsattr) of the file and its folder, or write to another folder (no partial output was kept)"
        )
    if isinstance(exc, OSError) and exc.strerror:
        detail = exc.strerror
    else:
        text = " ".join(str(exc).split())
        detail = text[:200] or type(exc).__name__
        if "disk space" in text.lower() or "no space" in text.lower():
            detail = f"the disk is full ({detail})"
    return InputError(
        f"cannot write {path}: {detail}; check the folder and the free space (no partial output was kept)"
    )


@contextlib.contextmanager
def output_gate(path: str | os.PathLike, *, folder: bool = False) -> Iterator[Path]:
    """The gate every writer goes through: check ``path`` first, then translate write errors.

    Yields ``path`` as a Path after :func:`wakhan.writable.check_writable`; an ``OSError`` (full
    disk, quota, read-only, I/O error) or a GDAL error raised inside the block becomes one
    :class:`InputError` sentence naming ``path`` (see :func:`write_error`). The block cleans up
    its own temporary files (:func:`atomic_path`, :func:`staged_files` do).
    """
    path = check_writable(path, folder=folder)
    try:
        yield path
    except WakhanError:
        raise
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            raise
        raise write_error(path, exc) from exc
    except Exception as exc:
        if _is_gdal_error(exc):
            raise write_error(path, exc) from exc
        raise


@contextlib.contextmanager
def staged_files(path: str | os.PathLike, *, folder: bool = False):
    """Yield a temporary folder beside ``path``; move everything written in it into place at the end.

    Parameters
    ----------
    path : str or os.PathLike
        With ``folder=False``, a file: the block writes files named after it (``NAME.shp``,
        ``NAME.dbf``, ``NAME_passes.fgb``, ...) and they are moved into ``path``'s folder. With
        ``folder=True``, a folder of outputs (created at the end if absent; files already there
        and not rewritten are kept).
    folder : bool

    Checked and translated by :func:`output_gate`; on any error the temporary folder is removed
    and nothing was moved, so no partial output is kept.
    """
    with output_gate(path, folder=folder) as path:
        tmp = temp_dir_beside(path)  # also removes the leftovers of a killed run
        dest = path if folder else (path.parent if str(path.parent) else Path("."))
        try:
            try:
                yield tmp
            except InputError as exc:  # a writer's own gate named its file in the hidden folder: name the real one
                if type(exc) is InputError and str(tmp) in str(exc):
                    raise InputError(str(exc).replace(str(tmp), str(dest))) from exc
                raise
            dest.mkdir(exist_ok=True)
            done = sorted(tmp.iterdir())
            for f in done:  # a file that cannot be replaced stops the move before the first file moves
                why = unreplaceable_reason(dest / f.name, dest, "choose another output folder")
                if why:
                    raise InputError(why)
            for f in done:
                os.replace(f, dest / f.name)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, suffix: str | None = None):
    """Yield a temporary path beside ``path``; rename it onto ``path`` on success.

    Use for libraries that write by file name (matplotlib, rasterio). The
    temporary file keeps ``path``'s suffix unless ``suffix`` is given, so that
    format detection by extension still works.
    """
    with output_gate(path) as path:
        suffix = path.suffix if suffix is None else suffix
        remove_stale_temps(path)
        fd, name = tempfile.mkstemp(
            prefix=temp_name(path).name.rsplit("-", 1)[0] + "-", suffix=f".part{suffix}", dir=path.parent
        )
        os.close(fd)
        tmp = Path(name)
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
