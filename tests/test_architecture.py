"""The one-way data flow of docs/ARCHITECTURE.md, checked on the source.

Each top-level module or package of ``wakhan`` sits on a stage; a module may
import from its own stage or lower ones, never from a higher one. The stages
are the ones drawn in docs/ARCHITECTURE.md; a new top-level module must be
placed on a stage here (the test fails until it is), so the diagram and the
code cannot drift apart silently.
"""

from __future__ import annotations

import ast
import pathlib

import pytest

SRC = pathlib.Path(__file__).resolve().parents[1] / "src" / "wakhan"

# stage number -> top-level names (modules or packages under src/wakhan)
STAGES = {
    0: {"__init__", "__main__", "errors", "grid", "fileio", "memory", "interrupt", "gridio"},
    1: {"sources", "places", "citations"},
    2: {"dem", "borders", "settlements"},
    3: {"cost"},
    4: {"solve"},
    5: {"route", "gaps", "remoteness"},
    6: {"claims", "figures", "figure_layout", "figure_marks", "map_layers"},
    7: {"sweep"},
    8: {"report", "report_html"},
    9: {"cli"},
}
STAGE_OF = {name: stage for stage, names in STAGES.items() for name in names}


def _top_name(path: pathlib.Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0].removesuffix(".py")


def _wakhan_imports(path: pathlib.Path):
    """(line, imported top-level name) for every ``wakhan.X`` import in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            parts = node.module.split(".")
            if parts[0] == "wakhan":
                if len(parts) > 1:
                    yield node.lineno, parts[1]
                else:  # from wakhan import x, y
                    for alias in node.names:
                        name = (
                            alias.name
                            if (SRC / alias.name).exists() or (SRC / f"{alias.name}.py").exists()
                            else "__init__"
                        )
                        yield node.lineno, name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "wakhan":
                    yield node.lineno, parts[1] if len(parts) > 1 else "__init__"


def _sources():
    return sorted(p for p in SRC.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_top_level_module_has_a_stage():
    tops = {_top_name(p) for p in _sources()}
    unplaced = sorted(tops - set(STAGE_OF))
    assert not unplaced, f"place {unplaced} on a stage in tests/test_architecture.py and docs/ARCHITECTURE.md"


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_imports_a_higher_stage(path):
    top = _top_name(path)
    own = STAGE_OF.get(top)
    if own is None:
        pytest.fail(f"{top} has no stage")
    upward = [
        (line, name, STAGE_OF.get(name))
        for line, name in _wakhan_imports(path)
        if name != top and STAGE_OF.get(name, -1) > own
    ]
    assert not upward, f"{path.relative_to(SRC)} (stage {own}) imports a higher stage: " + ", ".join(
        f"line {ln}: wakhan.{n} (stage {s})" for ln, n, s in upward
    )


def test_checker_sees_an_upward_import(tmp_path):
    """The checker itself must catch a violation (guards against a vacuous pass)."""
    bad = SRC / "cost" / "highway.py"
    text = bad.read_text(encoding="utf-8") + "\nfrom wakhan.route import plan_route\n"
    probe = tmp_path / "highway.py"
    probe.write_text(text, encoding="utf-8")
    found = [name for _, name in _wakhan_imports(probe)]
    assert "route" in found and STAGE_OF["route"] > STAGE_OF["cost"]
