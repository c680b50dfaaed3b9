"""`--max-tunnel-km` without `--tunnels` is refused, not dropped: new tunnels are off by default, so
`wakhan route A B --max-tunnel-km 5` (or `--no-tunnels --max-tunnel-km 5`) solved a route with no
tunnel at all and said nothing, and a road planner read it as a route held to 5 km tunnels."""

from __future__ import annotations

import pytest

import wakhan.plan
from wakhan.cli import run
from wakhan.errors import InputError


@pytest.fixture
def solved(monkeypatch):
    """`plan_route` replaced: records the options it was given and stops there (no solve)."""
    seen = []

    def plan_route(places, options=None, **kw):
        seen.append(options)
        raise InputError("stopped before the solve")

    monkeypatch.setattr(wakhan.plan, "plan_route", plan_route)
    return seen


def _one_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["route", "kashgar", "tashkurgan", "--max-tunnel-km", "5"],
            "--max-tunnel-km 5 applies only with --tunnels (new tunnels are off by default); add --tunnels",
        ),
        (["route", "kashgar", "tashkurgan", "--no-tunnels", "--max-tunnel-km", "5"], "applies only with --tunnels"),
        (
            ["route", "kashgar", "tashkurgan", "--model", "walking", "--max-tunnel-km", "5"],
            "applies to the highway model with --tunnels only, not walking; drop it",
        ),
        (["compare", "--max-tunnel-km", "5"], "applies only with --tunnels"),
    ],
)
def test_max_tunnel_km_without_tunnels_is_refused_before_the_solve(solved, args, message, capsys, monkeypatch):
    import wakhan.plan.compare

    def no_compare(*a, **k):
        raise AssertionError("the routes were compared before the options were checked")

    monkeypatch.setattr(wakhan.plan.compare, "compare_routes", no_compare)
    assert run(args) == 2
    line = _one_line(capsys.readouterr().err)
    assert message in line, line
    assert solved == []  # refused before any route was planned


def test_max_tunnel_km_with_tunnels_reaches_the_planner(solved, capsys):
    assert run(["route", "kashgar", "tashkurgan", "--tunnels", "--max-tunnel-km", "5"]) == 2  # our stop
    assert "stopped before the solve" in capsys.readouterr().err
    assert len(solved) == 1 and solved[0].tunnels and solved[0].max_tunnel_km == 5.0
