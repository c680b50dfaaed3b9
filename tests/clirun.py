"""Run ``wakhan`` as a real subprocess (for exit codes, signals and stdout to a device)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import wakhan

SRC = str(Path(wakhan.__file__).resolve().parents[1])


def env(**extra) -> dict:
    """The environment of a child ``wakhan``: this checkout first on the path."""
    e = dict(os.environ)
    e["PYTHONPATH"] = SRC + (os.pathsep + e["PYTHONPATH"] if e.get("PYTHONPATH") else "")
    e.update({k: str(v) for k, v in extra.items()})
    return e


def argv(*args) -> list[str]:
    return [sys.executable, "-m", "wakhan.cli", *map(str, args)]


def popen(*args, **kw) -> subprocess.Popen:
    kw.setdefault("stdout", subprocess.PIPE)
    kw.setdefault("stderr", subprocess.PIPE)
    return subprocess.Popen(argv(*args), env=env(), text=True, **kw)


def wakhan_run(*args, timeout=120, **kw) -> subprocess.CompletedProcess:
    kw.setdefault("capture_output", True)
    return subprocess.run(argv(*args), env=env(), text=True, timeout=timeout, **kw)
