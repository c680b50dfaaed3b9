"""Every InputError sentence ends as the rest do: without a full stop (a static check over the source).

Most of wakhan's sentences (about 220 of 250) ended bare and 31, in the solver and the cost models, ended
with a full stop, so the same CLI printed both forms. The check reads each ``InputError(...)`` call's
message in the source: the last piece of text a literal or f-string ends with.
"""

from __future__ import annotations

import ast
from pathlib import Path

import wakhan

SRC = Path(wakhan.__file__).parent


def _message_tails():
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            if getattr(node.func, "id", getattr(node.func, "attr", "")) != "InputError":
                continue
            arg = node.args[0]
            if isinstance(arg, ast.JoinedStr) and arg.values:
                arg = arg.values[-1]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                yield f"{path.relative_to(SRC)}:{node.lineno}", arg.value


def test_the_check_sees_the_messages():
    tails = dict(_message_tails())
    assert len(tails) > 150  # the scan reads the calls, not nothing
    assert any(t.endswith("use 8, 16 or 32") for t in tails.values())  # solve/moves.py's literal sentence


def test_no_input_error_sentence_ends_with_a_full_stop():
    dotted = [where for where, tail in _message_tails() if tail.rstrip().endswith(".")]
    assert dotted == [], dotted
