"""Shared fixtures: the ../shared reference data, found through WAKHAN_SHARED."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest
from hypothesis import settings

matplotlib.use("Agg")

#: ``WAKHAN_HYPOTHESIS_PROFILE=nojit`` (set by tests/coverage.sh for its run of the oracle suite under
#: ``NUMBA_DISABLE_JIT=1``): few examples, because the kernels then run as plain Python, some 100x slower.
#: Property tests cap their example counts with ``settings.default.max_examples`` so the profile applies.
settings.register_profile("nojit", max_examples=15, deadline=None)
if os.environ.get("WAKHAN_HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["WAKHAN_HYPOTHESIS_PROFILE"])


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared reference-data folder, or skip when WAKHAN_SHARED is unset."""
    value = os.environ.get("WAKHAN_SHARED")
    if not value:
        pytest.skip("WAKHAN_SHARED is unset: point it at the shared data folder (.ci/run sets it to ../shared)")
    path = Path(value)
    if not (path / "data").is_dir():
        pytest.skip(f"WAKHAN_SHARED={value} has no data/ folder")
    return path


@pytest.fixture(scope="session")
def srtm_dir(shared_dir) -> Path:
    return shared_dir / "data" / "srtm"


@pytest.fixture(scope="session")
def settlements_csv(shared_dir) -> Path:
    return shared_dir / "data" / "settlements" / "wof_localities_af_tj_pk.csv"


@pytest.fixture(scope="session")
def claims_session(tmp_path_factory):
    """ONE run of ``wakhan claims --json -o DIR`` for the whole session (it solves every route: the
    slowest step of the suite). Returns a dict: ``doc`` (the JSON on stdout), ``out`` (the report
    folder) and ``result`` (the ClaimsResult the command printed, caught on its way from run_claims,
    so that tests of the text table can replay it without solving again)."""
    import contextlib
    import io
    import json

    import wakhan.claims
    import wakhan.cli.claims_commands as commands
    from wakhan.cli import run

    caught = {}
    real = wakhan.claims.run_claims

    def recording(*args, **kwargs):
        caught["result"] = real(*args, **kwargs)
        return caught["result"]

    out = tmp_path_factory.mktemp("claims") / "report"
    buf = io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(wakhan.claims, "run_claims", recording)
        if hasattr(commands, "run_claims"):  # imported at module top after a refactor
            mp.setattr(commands, "run_claims", recording)
        with contextlib.redirect_stdout(buf):
            status = run(["claims", "--json", "-o", str(out)])
    assert status == 0
    return {"doc": json.loads(buf.getvalue()), "out": out, "result": caught["result"]}
