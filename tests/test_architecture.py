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
    0: {
        "__init__",
        "errors",
        "grid",
        "fileio",
        "plain_json",
        "writable",
        "memory",
        "interrupt",
        "gridio",
        "source_index",
        "latlon",
        "place_names",
    },
    1: {"sources", "places"},
    2: {"dem", "borders", "settlements"},
    3: {"cost"},
    4: {"solve"},
    5: {"route", "gaps", "remoteness"},
    6: {"plan"},
    7: {"claims", "figures"},
    8: {"sweep"},
    9: {"report"},
    10: {"cli", "__main__"},
}
STAGE_OF = {name: stage for stage, names in STAGES.items() for name in names}


# inside a package: sub-package or module -> the packages or modules it must never import (lazily or not)
NEVER_IMPORTS = {
    # the route record is what planning produces; it never calls planning
    "route": {"plan"},
    # the file formats read and write the record; planning is not theirs to call
    "route.files": {"plan"},
}
# the solver's Numba layer (the kernels, their priority queues and labels, the intrinsics and the
# cache key) sits below the validating wrappers that set up and call it: it never imports them
SOLVE_WRAPPERS = {
    "solve.api",
    "solve.graph",
    "solve.moves",
    "solve.search",
    "solve.results",
    "solve.refine",
    "solve.band",
    "solve.tunnels",
    "solve.bidirectional",
}
SOLVE_KERNELS = {
    "_cache",
    "_intrinsics",
    "kernels",
    "edges",
    "earthworks",
    "path_costs",
    "heap",
    "buckets",
    "buckets_graded",
    "buckets_flat",
    "labels",
}
NEVER_IMPORTS |= {f"solve.{name}": SOLVE_WRAPPERS for name in SOLVE_KERNELS}
# sub-package -> the ones it may import only inside a function (the files import the record at module
# level, so the record's GeoJSON view, ``RouteResult.__geo_interface__``, reaches its layers lazily)
ONLY_LAZILY = {"route": {"route.files"}}


def _top_name(path: pathlib.Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0].removesuffix(".py")


def _part_of(path: pathlib.Path) -> str:
    """``route``, ``route.files``, ... : the package (dotted, below ``wakhan``) a source file belongs to."""
    parts = path.relative_to(SRC).with_suffix("").parts[:-1]
    return ".".join(parts) if parts else path.stem


def _module_of(path: pathlib.Path) -> str:
    """``solve.kernels``, ``route.files.gpx``, ... : the dotted name (below ``wakhan``) of a source file."""
    return ".".join(path.relative_to(SRC).with_suffix("").parts)


def _is_module(dotted: str) -> bool:
    rel = pathlib.Path(*dotted.split("."))
    return (SRC / rel).is_dir() or (SRC / rel).with_suffix(".py").exists()


def _wakhan_modules(path: pathlib.Path, module_level: bool = False):
    """(line, dotted module below ``wakhan``) for every ``wakhan.X.Y`` import in a file, lazy ones too.

    ``from wakhan.solve import heap`` counts as an import of ``solve.heap`` (a submodule named in
    the import list), ``from wakhan.solve import accumulate`` as one of ``solve``. With
    ``module_level``, only the imports that run when the module is imported (not in functions).
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    nodes = ast.walk(tree)
    if module_level:
        nodes = (n for top in tree.body if not isinstance(top, (ast.FunctionDef, ast.ClassDef)) for n in ast.walk(top))
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("wakhan."):
            base = node.module.removeprefix("wakhan.")
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}" if _is_module(f"{base}.{alias.name}") else base
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("wakhan."):
                    yield node.lineno, alias.name.removeprefix("wakhan.")


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


def _within(mod: str, packages) -> bool:
    return any(mod == n or mod.startswith(n + ".") for n in packages)


def _forbidden(path: pathlib.Path) -> list[tuple[int, str]]:
    part = _part_of(path)
    rules = NEVER_IMPORTS.get(part, set()) | NEVER_IMPORTS.get(_module_of(path), set())
    never = [(ln, m) for ln, m in _wakhan_modules(path) if _within(m, rules)]
    eager = [(ln, m) for ln, m in _wakhan_modules(path, module_level=True) if _within(m, ONLY_LAZILY.get(part, ()))]
    return never + eager


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_imports_what_its_package_must_not(path):
    """``route`` and ``route.files`` never import ``plan``; ``route`` reaches its ``files`` only lazily (no circle);
    the solver's kernels never import its wrappers."""
    bad = _forbidden(path)
    assert not bad, f"{path.relative_to(SRC)} ({_part_of(path)}) imports " + ", ".join(
        f"line {ln}: wakhan.{m}" for ln, m in bad
    )


def test_package_checker_sees_a_forbidden_import(tmp_path):
    """The inner check must catch a record module that reaches up to planning or to its files."""
    probe_dir = tmp_path / "route"
    probe_dir.mkdir()
    probe = probe_dir / "stats.py"
    probe.write_text(
        "from wakhan.route.files import write_route\n\n\ndef f():\n    from wakhan.plan.plan import plan_route\n"
    )
    assert [m for _, m in _wakhan_modules(probe)] == ["route.files", "plan.plan"]
    assert [m for _, m in _wakhan_modules(probe, module_level=True)] == ["route.files"]
    assert _within("plan.plan", NEVER_IMPORTS["route"]) and _within("route.files", ONLY_LAZILY["route"])
    assert not _within("route.filesystem", ONLY_LAZILY["route"])


def test_package_checker_sees_a_kernel_importing_a_wrapper(tmp_path):
    """A Numba-layer module of ``solve`` that imports a wrapper (by module or by name from the package) is caught."""
    probe_dir = tmp_path / "solve"
    probe_dir.mkdir()
    probe = probe_dir / "heap.py"
    probe.write_text("from wakhan.solve import _cache, graph\nfrom wakhan.solve.search import run_search\n")
    found = [m for _, m in _wakhan_modules(probe)]
    assert found == ["solve._cache", "solve.graph", "solve.search"]
    rules = NEVER_IMPORTS["solve.heap"]
    assert [m for m in found if _within(m, rules)] == ["solve.graph", "solve.search"]
