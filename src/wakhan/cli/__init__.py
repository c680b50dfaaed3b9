"""Command-line interface: a thin layer over the library.

``main`` runs the typer app behind one error boundary (:func:`run`):

- a :class:`wakhan.errors.WakhanError` prints its one sentence, exit status 2;
- a usage error (unknown option, bad value, missing argument, no command) is
  one line on stderr, exit status 2, whether it comes from the standalone
  ``click`` package or the copy bundled in newer typer releases;
- Ctrl-C (SIGINT) exits 130 and SIGTERM 143, each with one line; temporary
  files are removed on the way out (they are written through
  :mod:`wakhan.fileio`, whose context managers clean up on any exception);
- a full disk, a closed pipe or an unwritable output is one sentence, not a traceback.
"""

from __future__ import annotations

import errno
import math
import os
import re
import signal
import sys
from typing import TYPE_CHECKING, cast

import typer.main

# importing a module registers its commands, and --help lists them in that order: the route commands
# (route, profile, map, compare) before the raster ones (accumulate, corridor, remoteness)
from wakhan.cli import claims_commands, data_commands, places_commands, route_commands  # noqa: F401

# isort: split
from wakhan.cli import raster_commands, remoteness_commands, sweep_commands, tiles_commands  # noqa: F401
from wakhan.cli.app import app
from wakhan.cli.repeated import check_repeated
from wakhan.errors import WakhanError, cli_caller
from wakhan.interrupt import clear_noted_signal, note_signal, workers_running

if TYPE_CHECKING:
    from click.exceptions import ClickException

__all__ = ["app", "main", "run", "Terminated"]


class Terminated(BaseException):
    """Raised in the main thread by the SIGTERM handler so that cleanup code runs."""


def _exception_classes(name: str) -> tuple[type[BaseException], ...]:
    """``name`` from click.exceptions and from typer's bundled click / typer.exceptions, where present."""
    found: list[type[BaseException]] = []
    for module in ("click.exceptions", "typer._click.exceptions", "typer.exceptions"):
        try:
            mod = __import__(module, fromlist=[name])
        except ImportError:
            continue
        cls = getattr(mod, name, None)
        if isinstance(cls, type) and issubclass(cls, BaseException) and cls not in found:
            found.append(cls)
    return tuple(found)


_EXIT = _exception_classes("Exit")
_ABORT = _exception_classes("Abort")
_NO_ARGS = _exception_classes("NoArgsIsHelpError")
_USAGE = _exception_classes("UsageError")
# click's ClickException and typer's bundled copy of it: the same interface (format_message, exit_code)
_CLICK = cast("tuple[type[ClickException], ...]", _exception_classes("ClickException"))


_INTERRUPTED = "interrupted by Ctrl-C (SIGINT); no partial output was kept"


def _echo_err(line: str) -> None:
    try:
        print(line, file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass


def _command_path(command, argv: list[str] | None) -> str:
    """``wakhan route`` from ``argv``: the commands named before the first option or argument."""
    words = ["wakhan"]
    for word in argv or ():
        sub = getattr(command, "commands", {}).get(word)
        if sub is None:
            break
        words.append(word)
        command = sub
    return " ".join(words)


def _usage_line(exc, command=None, argv: list[str] | None = None) -> str:
    ctx = getattr(exc, "ctx", None)  # None for an option missing its value (`--output` last)
    path = ctx.command_path if ctx is not None else _command_path(command, argv)
    if _NO_ARGS and isinstance(exc, _NO_ARGS):
        return f"error: `{path}` needs a command; run `{path} --help` to list them"
    option = str(getattr(exc, "option_name", "") or "")
    param = getattr(exc, "param", None)
    if option == "--bbox" or (param is not None and "--bbox" in getattr(param, "opts", ())):
        return _BBOX_LINE  # four values after one flag: a comma list or a quoted string is one value
    if path == "wakhan places" and "unexpected extra argument" in str(exc.format_message()):
        return (  # a journalist looks a place up by name: the list is the look-up
            "error: `wakhan places` takes no place name, it lists every place; "
            "filter the list, e.g. `wakhan places | grep -i kabul`"
        )
    number = _number_line(exc, path)
    if number is not None:
        return number
    message = " ".join(str(exc.format_message()).split())
    if len(option) > 1 and option[0] == "-" and (option[1].isdigit() or option[1] == "."):
        example = "-33.9 18.4" if path.endswith(" elevation") else "-33.9,18.4 ..."
        return (  # south and west are negative: click reads -33.9 as the short options -3 -3 ...
            f"error: {message}: a negative number is read as an option; put the options first, then `--` "
            f"before the arguments, e.g. `{path} [OPTIONS] -- {example}`"
        )
    return f"error: {message} (run `{path} --help` for the options)"


_BBOX_LINE = (
    "error: --bbox takes four plain numbers in degrees separated by spaces, WEST SOUTH EAST NORTH, "
    "e.g. `--bbox 71 36 72 36.5` (no commas, quotes or N/E letters)"
)
#: an option's value name (wakhan.cli.metavars) -> the unit its number is in
_UNIT_WORDS = {"PCT": "in percent", "KM": "in km", "M": "in metres", "DEG": "in degrees", "SECONDS": "in seconds"}
_LEADING_NUMBER = re.compile(r"\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+))")


def _number_line(exc, path: str) -> str | None:
    """The line for a number option given a value with a unit or a word (``--max-grade 7%``), else None.

    typer 0.29 checks numbers with pydantic, whose message ("Input should be a valid number, unable
    to parse string as a number") names neither the value nor the unit; the value is in its error.
    """
    param = getattr(exc, "param", None)
    errors = getattr(exc.__cause__, "errors", None)
    if param is None or getattr(param, "param_type_name", "") != "option" or not callable(errors):
        return None
    try:
        first = errors()[0]
    except Exception:  # noqa: BLE001 - not a pydantic error: leave the message as it is
        return None
    kind = str(first.get("type", ""))
    if kind not in ("float_parsing", "int_parsing", "int_from_float"):
        return None
    value = str(first.get("input", ""))
    longs = [o for o in param.opts if o.startswith("--")] or list(param.opts)
    flag = longs[0]
    whole = kind != "float_parsing"
    unit = _UNIT_WORDS.get(str(param.metavar or ""), "")
    what = ("a whole number" if whole else "a plain number") + (f" {unit}" if unit else "")
    lead = _LEADING_NUMBER.match(value.replace(",", ".", 1))  # 7,5 is a decimal comma
    if lead is not None and not (whole and "." in lead.group(1)):
        number = lead.group(1)
        rest = value[lead.end() :].strip().lower()
        if unit == "in percent" and rest[:1] in ("°", "d"):  # 7° or 7deg: an angle given for a grade
            if not 0 <= float(number) < 90:
                return f"error: {flag} takes a grade in percent, not an angle ({value!r}) (run `{path} --help`)"
            grade_pct = 100 * math.tan(math.radians(float(number)))
            return f"error: {flag} takes a grade in percent, not an angle ({value!r}); {number}° is {grade_pct:.1f} %, e.g. `{flag} {grade_pct:.1f}`"
        return f"error: {flag} takes {what}, not {value!r}; write it without the unit, e.g. `{flag} {number}`"
    return f"error: {flag} takes {what}, not {value!r} (run `{path} --help` for the options)"


def _os_error_line(exc: OSError) -> str | None:
    where = f" {exc.filename}" if getattr(exc, "filename", None) else " the output"
    if exc.errno == errno.ENOSPC:
        return (
            f"error: the disk is full: could not write{where} ({exc.strerror}); free some space or "
            "write to another disk (no partial output was kept)"
        )
    if exc.errno == errno.EDQUOT:
        return f"error: the disk quota is exceeded: could not write{where}; free some space or write elsewhere"
    if exc.errno == errno.EROFS:
        return f"error: could not write{where}: the file system is read-only; write to another folder"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"error: could not write{where} ({exc.strerror}); choose a folder you can write"
    return None


def _on_sigterm(signum, frame):
    note_signal(Terminated)  # re-raised at the next wait should this raise be lost in C code
    raise Terminated()


def _on_sigint(signum, frame):
    note_signal(KeyboardInterrupt)
    raise KeyboardInterrupt


def _signal_cause(exc: BaseException | None) -> BaseException | None:
    """The KeyboardInterrupt or Terminated among ``exc``'s causes and contexts, if any."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, (KeyboardInterrupt, Terminated)):
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


def _signal_exit(cause: BaseException) -> int:
    """The one line and the exit status of an interrupt (130) or a SIGTERM (143)."""
    if isinstance(cause, Terminated):
        _echo_err("terminated by SIGTERM; no partial output was kept")
        return 143
    _echo_err(_INTERRUPTED)
    return 130


def run(argv: list[str] | None = None) -> int:
    """Run the CLI with ``argv`` and return the exit status (for tests and ``main``)."""
    command = typer_command()
    clear_noted_signal()
    try:
        with cli_caller():  # error sentences name options by their flags
            check_repeated(command, list(sys.argv[1:] if argv is None else argv))
            rv = command.main(args=argv, prog_name="wakhan", standalone_mode=False)
    except WakhanError as exc:
        _echo_err(f"error: {exc}")
        return exc.exit_code
    except _EXIT as exc:
        code = int(getattr(exc, "exit_code", 0) or 0)
        if code == 130:
            _echo_err(_INTERRUPTED)
        return code
    except _USAGE as exc:
        _echo_err(_usage_line(exc, command, argv))
        return 2
    except _CLICK as exc:
        _echo_err(f"error: {' '.join(str(exc.format_message()).split())}")
        return int(getattr(exc, "exit_code", 1) or 1)
    except _ABORT:
        _echo_err(_INTERRUPTED)
        return 130
    except (KeyboardInterrupt, Terminated) as exc:
        return _signal_exit(exc)
    except MemoryError:
        _echo_err("error: out of memory; use a smaller area (--bbox / --buffer-km) or a coarser --dem")
        return 2
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            return 1  # the reader went away (`wakhan places | head`): stop quietly
        line = _os_error_line(exc)
        if line is None:
            raise
        _echo_err(line)
        return 2
    except Exception as exc:
        # a signal that lands in C code calling back into Python (Numba unpickling a cached kernel)
        # comes back as another error (a SystemError) caused by the KeyboardInterrupt or Terminated
        cause = _signal_cause(exc)
        if cause is None:
            raise
        return _signal_exit(cause)
    if isinstance(rv, int) and rv == 130:  # typer turns Ctrl-C into a returned 130
        _echo_err(_INTERRUPTED)
        return 130
    return rv if isinstance(rv, int) else 0


def typer_command():

    from wakhan.cli.metavars import apply_metavars  # value names for --help (KM, PCT, CC,CC, FILE)

    command = typer.main.get_command(app)
    apply_metavars(command)
    return command


def _flush_stdout() -> int:
    """Flush stdout now, so that a full disk or a closed pipe is reported here and not at exit."""
    try:
        if sys.stdout is not None:  # None when started with stdout closed (`>&-`)
            sys.stdout.flush()
    except OSError as exc:
        try:  # stop Python's final flush from printing a second error
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except OSError:
            pass
        if exc.errno == errno.EPIPE:
            return 1
        _echo_err(_os_error_line(exc) or f"error: could not write the output ({exc.strerror})")
        return 2
    return 0


def main() -> None:
    signal.signal(signal.SIGINT, _on_sigint)
    if sys.platform != "win32":
        signal.signal(signal.SIGTERM, _on_sigterm)
    code = run(sys.argv[1:])
    flushed = _flush_stdout()
    if code in (130, 143) and workers_running():
        # a search abandoned on the signal still runs in a worker thread; Python's shutdown would tear
        # down the compiled code under it (a crash under numba 0.61): the output gate has already removed
        # every temporary file on the way out, so leave at once
        try:
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
        os._exit(code)
    sys.exit(code or flushed)
