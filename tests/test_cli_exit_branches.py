"""Every exit branch of the CLI's error boundary (wakhan.cli.run / main), in process.

test_cli_errors.py and test_signals.py drive real usage errors, full disks and signals through
subprocesses (which coverage does not see); here each branch is reached directly by a command that
raises what the real condition raises, and the status and the one stderr line are checked against
the documented contract: 2 for bad input, 130 for Ctrl-C, 143 for SIGTERM, 1 for a closed pipe.
"""

from __future__ import annotations

import errno
import io
import sys

import pytest

import wakhan.cli as cli
from wakhan.errors import DataError, InputError, RouteError


class Raising:
    """A stand-in for the typer command whose main() raises (or returns) what it was given."""

    def __init__(self, outcome):
        self.outcome = outcome

    def main(self, **kw):
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        return self.outcome


def line_of(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def outcome_of(monkeypatch, capsys, outcome):
    monkeypatch.setattr(cli, "typer_command", lambda: Raising(outcome))
    code = cli.run(["anything"])
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    "exc, code",
    [
        (InputError("bad place 'X'; give LAT,LON"), 2),
        (DataError("tile N36E071 is truncated"), 2),
        (RouteError("no route within 2 %"), 2),
    ],
)
def test_wakhan_errors_print_their_sentence(monkeypatch, capsys, exc, code):
    status, err = outcome_of(monkeypatch, capsys, exc)
    assert status == code == exc.exit_code and line_of(err) == f"error: {exc}"


@pytest.mark.parametrize(
    "outcome, code, words",
    [
        (KeyboardInterrupt(), 130, "interrupted by Ctrl-C"),
        (cli.Terminated(), 143, "terminated by SIGTERM"),
        (MemoryError(), 2, "out of memory"),
        (130, 130, "interrupted by Ctrl-C"),  # typer returns 130 for a Ctrl-C it caught itself
    ],
)
def test_interrupts_and_memory(monkeypatch, capsys, outcome, code, words):
    status, err = outcome_of(monkeypatch, capsys, outcome)
    assert status == code and words in line_of(err)


@pytest.mark.parametrize("exit_cls", cli._EXIT, ids=lambda c: c.__module__)
def test_exit_from_either_click(monkeypatch, capsys, exit_cls):
    status, err = outcome_of(monkeypatch, capsys, exit_cls(3))
    assert status == 3 and err == ""  # a command's own exit status
    status, err = outcome_of(monkeypatch, capsys, exit_cls(130))
    assert status == 130 and "interrupted" in line_of(err)


@pytest.mark.parametrize("abort_cls", cli._ABORT, ids=lambda c: c.__module__)
def test_abort_from_either_click_is_ctrl_c(monkeypatch, capsys, abort_cls):
    status, err = outcome_of(monkeypatch, capsys, abort_cls())
    assert status == 130 and "interrupted" in line_of(err)


def test_other_click_exceptions_keep_their_status(monkeypatch, capsys):
    exc = cli._CLICK[0]("the file could not be opened\n  at all")
    exc.exit_code = 4
    status, err = outcome_of(monkeypatch, capsys, exc)
    assert status == 4 and line_of(err) == "error: the file could not be opened at all"


@pytest.mark.parametrize(
    "num, words",
    [
        (errno.ENOSPC, "the disk is full: could not write /out/x.tif"),
        (errno.EDQUOT, "the disk quota is exceeded: could not write /out/x.tif"),
        (errno.EROFS, "could not write /out/x.tif: the file system is read-only"),
        (errno.EACCES, "could not write /out/x.tif (denied); choose a folder you can write"),
        (errno.EPERM, "could not write /out/x.tif (denied); choose a folder you can write"),
    ],
)
def test_write_failures_are_one_sentence(monkeypatch, capsys, num, words):
    status, err = outcome_of(monkeypatch, capsys, OSError(num, "denied", "/out/x.tif"))
    assert status == 2 and words in line_of(err)


def test_write_failure_without_a_file_name_says_the_output(monkeypatch, capsys):
    status, err = outcome_of(monkeypatch, capsys, OSError(errno.ENOSPC, "No space left on device"))
    assert status == 2 and "could not write the output" in line_of(err)


def test_closed_pipe_is_quiet_and_other_os_errors_are_not_swallowed(monkeypatch, capsys):
    status, err = outcome_of(monkeypatch, capsys, BrokenPipeError(errno.EPIPE, "Broken pipe"))
    assert status == 1 and err == ""  # `wakhan places | head`: stop quietly
    monkeypatch.setattr(cli, "typer_command", lambda: Raising(OSError(errno.EIO, "I/O error")))
    with pytest.raises(OSError):  # not a condition the user can fix: a real bug
        cli.run(["anything"])


class _Unflushable(io.StringIO):
    def __init__(self, num):
        super().__init__()
        self.num = num

    def flush(self):
        raise OSError(self.num, "cannot flush")

    def fileno(self):
        raise OSError(errno.EBADF, "no file descriptor")


@pytest.mark.parametrize("num, code", [(errno.EPIPE, 1), (errno.ENOSPC, 2), (errno.EIO, 2)])
def test_main_reports_a_failed_final_flush(monkeypatch, capsys, num, code):
    monkeypatch.setattr(cli, "typer_command", lambda: Raising(0))
    monkeypatch.setattr(sys, "argv", ["wakhan", "places"])
    monkeypatch.setattr(cli.signal, "signal", lambda *a: None)  # leave pytest's own SIGTERM handler alone
    monkeypatch.setattr(sys, "stdout", _Unflushable(num))
    with pytest.raises(SystemExit) as done:
        cli.main()
    assert done.value.code == code
    err = capsys.readouterr().err
    if code == 1:
        assert err == ""
    else:
        assert line_of(err).startswith("error: ")
