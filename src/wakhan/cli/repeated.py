"""An option that takes one value, given twice on a command line, is refused.

click keeps the last of ``-o a.tif -o b.tif`` without a word, so a command would quietly write
somewhere the user did not mean (or ignore one of two ``--max-grade`` values). :func:`check_repeated`
reads the command line against the command's own options before click parses it and refuses such
a repeat in one sentence. Options that may repeat (``--via``), flags and arguments are left alone.
"""

from __future__ import annotations

from wakhan.errors import InputError

__all__ = ["check_repeated"]


def check_repeated(command, argv: list[str]) -> None:
    """Refuse a one-value option of the invoked (sub)command given more than once in ``argv``.

    Parameters
    ----------
    command : click Command or Group
        As :func:`wakhan.cli.typer_command` builds it.
    argv : list of str
        The command line after the program name.

    Raises
    ------
    InputError
        ``"-o given twice (a.tif, b.tif); give it once"``.

    Examples
    --------
    >>> from wakhan.cli import typer_command
    >>> check_repeated(typer_command(), ["route", "kabul", "kashgar", "--via", "a", "--via", "b"])
    >>> check_repeated(typer_command(), ["dem", "build", "-o", "a.tif", "--output=b.tif"])
    Traceback (most recent call last):
    ...
    wakhan.errors.InputError: -o given twice (a.tif, b.tif); give it once
    """
    seen: dict[int, list[tuple[str, str]]] = {}
    index = 0
    while index < len(argv):
        token = argv[index]
        index += 1
        if token == "--":
            break
        sub = getattr(command, "commands", {}).get(token) if not token.startswith("-") else None
        if sub is not None:
            _refuse(seen)  # a group's own options, before its sub-command's
            command, seen = sub, {}
            continue
        name, eq, inline = token.partition("=") if token.startswith("--") else (token[:2], "", token[2:])
        option = _value_option(command, name)
        if option is None:
            continue
        if eq or (inline and not token.startswith("--")):
            value = inline
        elif index + option.nargs <= len(argv):
            value, index = " ".join(argv[index : index + option.nargs]), index + option.nargs
        else:
            break  # click reports the missing value
        if option.multiple:
            continue
        seen.setdefault(id(option), []).append((name, value))
    _refuse(seen)


def _refuse(seen: dict[int, list[tuple[str, str]]]) -> None:
    """Raise for the first option given more than once: ``{id: [(flag as typed, value), ...]}``."""
    for given in seen.values():
        if len(given) > 1:
            raise InputError(
                f"{given[0][0]} given {'twice' if len(given) == 2 else f'{len(given)} times'} "
                f"({', '.join(v for _, v in given)}); give it once"
            )


def _value_option(command, name: str):
    """The option of ``command`` called ``name`` if it takes values (not a flag), else None."""
    if not name.startswith("-"):
        return None
    for param in getattr(command, "params", ()):
        if name in getattr(param, "opts", ()) and getattr(param, "param_type_name", "") == "option":
            if param.is_flag or param.count or param.nargs < 1:
                return None
            return param
    return None
