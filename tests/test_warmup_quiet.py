"""The claims' kernel warm-up thread never writes to the terminal (a bad input stays one sentence on stderr).

Seen in CI once in 8 runs: a bad ``--roads`` test of ``wakhan claims`` got no line, or two, on stderr
while the warm-up thread compiled. Two process-wide states are at stake, each changed by the thread:
``sys.stderr`` (Numba's colorama error highlighting swaps it each time Numba builds an error while
compiling) and the warnings machinery (a warning the thread raises is printed on stderr).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from clirun import env

_HIGHLIGHT = "NUMBA_DISABLE_ERROR_MESSAGE_HIGHLIGHTING"


def _env_without_highlight_setting() -> dict:
    e = env()
    e.pop(_HIGHLIGHT, None)  # as a user's shell has it: set by nobody
    return e


def test_importing_wakhan_turns_off_numbas_stream_swapping_highlighting():
    pytest.importorskip("colorama")  # without colorama Numba never highlights
    code = "import wakhan, numba.core.errors as e; print(hasattr(e, 'ColorShell'))"
    out = subprocess.run(
        [sys.executable, "-c", code], env=_env_without_highlight_setting(), capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_no_warm_up_thread_when_numba_was_imported_first_with_highlighting_on():
    pytest.importorskip("colorama")
    code = "import numba.core.errors; from wakhan.solve import warmup; print(warmup.start_claims_warmup())"
    out = subprocess.run(
        [sys.executable, "-c", code], env=_env_without_highlight_setting(), capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "None"


_INJECTED = """
import sys, warnings
from pathlib import Path
from wakhan.solve import warmup

marker = Path(sys.argv[1])

def warm(steps=None):
    warnings.warn("injected warm-up warning", UserWarning)  # as pyflwdir's or Numba's would be
    marker.write_text("warned")
    return 0

warmup.warm_claims_kernels = warm
warmup._compile_solver_elsewhere = lambda: None
from wakhan.cli import main
sys.argv = ["wakhan", "claims", "--roads", sys.argv[2], "-o", sys.argv[3]]
main()
"""


def test_a_warning_raised_in_the_warm_up_thread_stays_off_the_clis_stderr(tmp_path):
    marker, out = tmp_path / "warned", tmp_path / "out"
    missing = tmp_path / "no-such-roads.geojson"
    run = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_INJECTED), str(marker), str(missing), str(out)],
        env=env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert marker.read_text() == "warned"  # the thread ran and warned (the exit joins it)
    assert run.returncode == 2
    lines = [ln for ln in run.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and str(missing) in lines[0] and "no such file" in lines[0], run.stderr
    assert not out.exists()
