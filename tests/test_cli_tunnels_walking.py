"""`--model walking --tunnels`: the fix offered is to drop --tunnels (no tunnels is already the default)."""

from __future__ import annotations

import re

from wakhan.cli import run


def test_walking_with_tunnels_says_drop_tunnels(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    assert run(["route", "--help"]) == 0
    help_line = next(ln for ln in capsys.readouterr().out.splitlines() if "--tunnels" in ln and "--no-tunnels" in ln)
    assert re.search(r"\[default: no-tunnels\]", help_line), help_line  # asking for --no-tunnels would change nothing

    assert run(["route", "a", "b", "--model", "walking", "--tunnels"]) == 2
    err = capsys.readouterr().err.strip()
    assert "drop --tunnels" in err and "--no-tunnels" not in err and "walking" in err, err
