"""Numba's on-disk cache for the solver's kernels, keyed by the kernels' sources.

Numba's ``cache=True`` stamps each file's cache with that file alone (its
modification time and size). A kernel compiled in ``buckets_graded.py`` inlines
:func:`~wakhan.solve.edges.edge_cost_z` and the ``KIND_*`` constants of
:mod:`wakhan.cost`, so after an upgrade that edits ``edges.py`` or
``cost/kinds.py`` but not ``buckets_graded.py`` its cache would silently keep the old code.

:class:`KeyedCacheLocator` puts the cache of every kernel in this package in a
subfolder ``wakhan-<key>`` of the folder Numba would have chosen (``__pycache__``
beside the sources, ``NUMBA_CACHE_DIR``, or the user-wide cache), where
``<key>`` is :func:`source_key`: a hash of the text of every module of the
package that defines Numba functions, and of ``cost/kinds.py``. Any edit to one of
them gives every kernel a new, empty cache folder, so nothing stale is loaded;
the folders of earlier keys are deleted when the first kernel claims its folder
(:func:`prune_stale`).
It is registered (first in Numba's list of locators) when this module is
imported, which every module of the package that defines kernels does before it
defines them. A user who sets ``NUMBA_CACHE_LOCATOR_CLASSES`` chooses Numba's
locators instead.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path

from numba.core import caching

__all__ = ["KeyedCacheLocator", "kernel_source_files", "prune_stale", "source_key"]

SOLVE_DIR = Path(__file__).resolve().parent
COST_FILE = SOLVE_DIR.parent / "cost" / "kinds.py"  # the KIND_* constants the kernels compile in


def kernel_source_files(solve_dir: Path = SOLVE_DIR, cost_file: Path = COST_FILE) -> list[Path]:
    """The files whose text the compiled kernels depend on.

    Every module of ``solve_dir`` that defines Numba functions or intrinsics (a
    line starts with ``@njit`` or ``@intrinsic``), and ``cost_file`` (the
    ``KIND_*`` constants the kernels inline).

    Examples
    --------
    >>> sorted(p.name for p in kernel_source_files())
    ['_intrinsics.py', 'buckets.py', 'buckets_flat.py', 'buckets_graded.py', 'earthworks.py', 'edges.py', 'heap.py', 'kernels.py', 'kinds.py', 'labels.py', 'parallel.py', 'path_costs.py', 'refine.py', 'tunnels.py']
    """
    files = [
        p
        for p in sorted(Path(solve_dir).glob("*.py"))
        if re.search(r"^@(njit|intrinsic)\b", p.read_text(encoding="utf-8"), re.MULTILINE)
    ]
    return files + [Path(cost_file)]


def source_key(files=None) -> str:
    """A 16-hex-digit hash of the names and texts of ``files`` (default: :func:`kernel_source_files`).

    Examples
    --------
    >>> key = source_key()
    >>> len(key), key == source_key()
    (16, True)
    """
    h = hashlib.sha256()
    for p in kernel_source_files() if files is None else files:
        p = Path(p)
        h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def _numba_locators() -> list:
    impl = getattr(caching, "CacheImpl", None) or getattr(caching, "_CacheImpl")  # noqa: B009 (older Numba)
    return impl._locator_classes


class KeyedCacheLocator(caching._CacheLocator):
    """Numba cache locator: Numba's own choice of folder plus a ``wakhan-<source_key>`` subfolder.

    Claims only functions defined in this package (``wakhan.solve``); others
    fall through to Numba's locators.

    Examples
    --------
    >>> from wakhan.solve import path_costs
    >>> func = getattr(path_costs.path_step_costs, "py_func", path_costs.path_step_costs)  # a kernel's Python function
    >>> loc = KeyedCacheLocator.from_function(func, path_costs.__file__)
    >>> Path(loc.get_cache_path()).name == "wakhan-" + KEY
    True
    """

    def __init__(self, inner, key: str):
        self._inner = inner
        self._key = key

    def get_cache_path(self) -> str:
        return os.path.join(self._inner.get_cache_path(), f"wakhan-{self._key}")

    def get_source_stamp(self):
        return self._inner.get_source_stamp()

    def get_disambiguator(self) -> str:
        return self._inner.get_disambiguator()

    @classmethod
    def from_function(cls, py_func, py_file):
        if KEY is None or not py_file or Path(py_file).resolve().parent != SOLVE_DIR:
            return None
        for inner_cls in _numba_locators():
            if inner_cls is cls:
                continue
            inner = inner_cls.from_function(py_func, py_file)
            if inner is None:
                continue
            loc = cls(inner, KEY)
            try:
                loc.ensure_cache_path()
            except OSError:
                continue
            prune_stale(inner.get_cache_path(), KEY)
            return loc
        return None


_PRUNED: set[str] = set()


def prune_stale(folder: str, key: str) -> list[str]:
    """Delete the ``wakhan-<other key>`` subfolders of ``folder`` (caches of earlier sources); once per folder.

    Each folder Numba chooses belongs to one installed copy of the sources, so
    a folder for another key holds code no run of this copy will load again.
    Returns the folders deleted.

    Examples
    --------
    >>> import tempfile
    >>> top = tempfile.mkdtemp()
    >>> for k in ("0123456789abcdef", "fedcba9876543210"):
    ...     os.mkdir(os.path.join(top, "wakhan-" + k))
    >>> [os.path.basename(p) for p in prune_stale(top, "0123456789abcdef")]
    ['wakhan-fedcba9876543210']
    >>> os.listdir(top)
    ['wakhan-0123456789abcdef']
    """
    if folder in _PRUNED:
        return []
    _PRUNED.add(folder)
    removed: list[str] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        if re.fullmatch(r"wakhan-[0-9a-f]{16}", name) and name != f"wakhan-{key}":
            path = os.path.join(folder, name)
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


try:
    KEY: str | None = source_key()
except OSError:  # sources not readable as files (e.g. a zipped install): Numba's own locators
    KEY = None

if not any(c.__module__ == __name__ and c.__name__ == "KeyedCacheLocator" for c in _numba_locators()):
    _numba_locators().insert(0, KeyedCacheLocator)
