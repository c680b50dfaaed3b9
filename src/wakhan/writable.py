"""Whether a path can be written, checked before any work: one sentence naming the path if not.

:func:`check_writable` checks the destination of an output before the work that makes it: the
parent is a folder, writable, on a file system that holds files, and the target is not a folder
or device, and can be replaced by a rename (:func:`unreplaceable_reason`: not immutable or
append-only, not in an append-only folder, not another user's file in a sticky folder). The
writers of :mod:`wakhan.fileio` call it through their gate, :func:`wakhan.fileio.output_gate`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from wakhan.errors import InputError

__all__ = ["check_writable", "unreplaceable_reason"]


# File systems that hold no user files: writing there fails late, or (as root) changes the system.
_SPECIAL_FS = frozenset(
    "proc sysfs devtmpfs devpts cgroup cgroup2 debugfs securityfs tracefs pstore bpf configfs "
    "fusectl mqueue hugetlbfs efivarfs binfmt_misc autofs rpc_pipefs nsfs".split()
)


def _mount_type(folder: Path) -> str | None:
    """The file-system type of the mount holding ``folder`` (Linux ``/proc/self/mounts``), or None."""
    try:
        lines = Path("/proc/self/mounts").read_text().splitlines()
        real = str(folder.resolve())
    except (OSError, RuntimeError):
        return None
    best, kind = "", None
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount = parts[1].replace("\\040", " ")
        inside = real == mount or real.startswith(mount.rstrip("/") + "/")
        if inside and len(mount) >= len(best):
            best, kind = mount, parts[2]
    return kind


# Linux inode flags (linux/fs.h; set by chattr): a file marked immutable or append-only cannot be
# renamed over, and an append-only folder lets no entry be renamed or removed, whoever runs.
_FS_IMMUTABLE_FL, _FS_APPEND_FL = 0x10, 0x20


def _inode_flags(path: Path) -> int:
    """The Linux inode flags of ``path`` (``lsattr``), 0 where they cannot be read (other systems too)."""
    if not sys.platform.startswith("linux"):
        return 0
    import fcntl  # lazy: POSIX only
    import struct

    get_flags = (2 << 30) | (struct.calcsize("l") << 16) | (ord("f") << 8) | 1  # FS_IOC_GETFLAGS, _IOR('f', 1, long)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except OSError:
        return 0
    try:
        return int.from_bytes(fcntl.ioctl(fd, get_flags, bytes(8))[:4], sys.byteorder)  # the kernel writes an int
    except OSError:  # a file system without flags (tmpfs on older kernels, NFS...)
        return 0
    finally:
        os.close(fd)


def unreplaceable_reason(path: Path, parent: Path, fix: str) -> str | None:
    """Why a finished temporary file could not be renamed onto ``path`` in ``parent``, or None.

    The checks :func:`os.access` misses, so that they fail before the work and not at the
    final rename: an append-only folder, an immutable or append-only target, and a target
    owned by another user in a sticky folder (``/tmp``) that the caller does not own.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / "route.geojson").write_text("{}")
    2
    >>> unreplaceable_reason(folder / "route.geojson", folder, "choose another output path") is None
    True
    """
    if _inode_flags(parent) & _FS_APPEND_FL:
        return (
            f"cannot write {path}: folder {parent} is append-only (chattr +a), so no finished file can be "
            f"renamed into it; {fix}"
        )
    if not os.path.isfile(path) or os.path.islink(path):
        return None
    flags = _inode_flags(path)
    for flag, what, letter in ((_FS_IMMUTABLE_FL, "immutable", "i"), (_FS_APPEND_FL, "append-only", "a")):
        if flags & flag:
            return (
                f"cannot write {path}: the file is {what} (chattr +{letter}), so it cannot be replaced; remove "
                f"the flag (chattr -{letter} {path}) or {fix}"
            )
    euid = os.geteuid() if hasattr(os, "geteuid") else None
    if euid:  # not root (root may replace any file in a sticky folder)
        folder_st, file_st = os.stat(parent), os.stat(path)
        if folder_st.st_mode & 0o1000 and euid not in (folder_st.st_uid, file_st.st_uid):
            return (
                f"cannot write {path}: it belongs to another user in a folder where only a file's owner may "
                f"replace it (sticky bit, as in /tmp); {fix}"
            )
    return None


def _first_existing(folder: Path) -> Path:
    for p in (folder, *folder.parents):
        if os.path.lexists(p):
            return p
    return Path("/")


def check_writable(
    path: str | os.PathLike, *, folder: bool = False, option: str | None = None, replaces: tuple[str, ...] = ()
) -> Path:
    """Return ``path`` as a Path, or raise :class:`InputError` before any work when it cannot be written.

    Parameters
    ----------
    path : str or os.PathLike
        A file to write, or with ``folder=True`` a folder to write files into (created if absent).
    folder : bool
        ``path`` names a folder of outputs, not a file.
    option : str, optional
        The option that named ``path`` (``"-o"``), for the sentence.
    replaces : tuple of str
        With ``folder=True``: glob patterns of the files the writer puts in the folder; those
        already there must be replaceable (not immutable...).

    Raises
    ------
    InputError
        ``-`` given for a folder (standard output holds one stream, not a folder of files); the parent is missing, is a file, is not writable or is on a special file system
        (``/proc``, ``/sys``, ``/dev``); the target is a folder (a file, for ``folder=True``) or a
        device or other special file; the target cannot be replaced by a rename (immutable or
        append-only, in an append-only folder, or another user's file in a sticky folder).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> check_writable(folder / "route.geojson") == folder / "route.geojson"
    True
    >>> check_writable("/no/such/folder/route.geojson", option="-o")
    Traceback (most recent call last):
    ...
    wakhan.errors.InputError: cannot write /no/such/folder/route.geojson: folder /no/such/folder does not exist; create it or choose another output path (-o)
    """
    if folder and str(path) == "-":  # `route -o -` writes to stdout; a folder of files cannot go there
        named = f"{option} " if option else ""
        raise InputError(
            f"{named}- names no folder: this output is several files, which cannot go to standard output; "
            "give a folder name (--json prints the results on stdout)"
        )
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    fix = "choose another output folder" if folder else "choose another output path"
    if option:
        fix += f" ({option})"
    if not parent.is_dir():
        above = _first_existing(parent)
        if os.path.lexists(above) and not above.is_dir():
            raise InputError(f"cannot write {path}: {above} is a file, not a folder; {fix}")
        raise InputError(f"cannot write {path}: folder {parent} does not exist; create it or {fix}")
    kind = _mount_type(parent)
    if kind in _SPECIAL_FS:
        raise InputError(f"cannot write {path}: {parent} is on the special file system {kind!r}, not a disk; {fix}")
    if not os.access(parent, os.W_OK):
        raise InputError(f"cannot write {path}: folder {parent} is not writable; {fix}")
    if folder:
        if path.is_dir() and _inode_flags(path) & _FS_APPEND_FL:
            raise InputError(f"cannot write into {path}: the folder is append-only (chattr +a); {fix}")
        if os.path.lexists(path) and not path.is_dir():
            named = f" ({option})" if option else ""
            raise InputError(f"cannot write into {path}: it is a file, not a folder; give a folder name{named}")
        if path.is_dir() and not os.access(path, os.W_OK):
            raise InputError(f"cannot write into {path}: the folder is not writable; {fix}")
        if path.is_dir():
            for pattern in replaces:
                for old in sorted(path.glob(pattern)):
                    why = unreplaceable_reason(old, path, fix)
                    if why:
                        raise InputError(why)
        return path
    if path.is_dir():
        raise InputError(f"cannot write {path}: it is a folder; give a file name")
    if os.path.lexists(path) and not path.is_file():
        raise InputError(f"cannot write {path}: it is a device or other special file, not a regular file; {fix}")
    why = unreplaceable_reason(path, parent, fix)
    if why:
        raise InputError(why)
    return path
