"""The floors in pyproject.toml are the versions .ci/run tests as the lowest supported: every ``>=`` of
the runtime dependencies and of the extras that the install installs is pinned at exactly that version
in .ci/constraints-lowest.txt, so raising one without the other fails here."""

import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
CONSTRAINTS = ROOT / ".ci" / "constraints-lowest.txt"
#: the extras installed by the README's command (`.[test]`) and those that repeat its floors
EXTRAS = ("test", "xarray", "geo")


def _floors() -> dict[str, tuple[str, str]]:
    """name -> (floor, marker) for every requirement of the installed extras."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"])
    for extra in EXTRAS:
        reqs += project["optional-dependencies"][extra]
    floors: dict[str, tuple[str, str]] = {}
    for text in reqs:
        req = Requirement(text)
        lows = [s.version for s in req.specifier if s.operator == ">="]
        assert len(lows) == 1, f"{text!r} in pyproject.toml has no single '>=' floor to test"
        name = canonicalize_name(req.name)
        entry = (lows[0], str(req.marker or ""))
        assert floors.setdefault(name, entry) == entry, f"two floors for {name} in pyproject.toml"
        if name == "dask" and "distributed" in req.extras:  # dask[distributed] X pins distributed==X
            floors["distributed"] = entry
    return floors


def _pins() -> dict[str, tuple[str, str]]:
    """name -> (version, marker) for every line of the constraints file; each must be an exact pin."""
    pins: dict[str, tuple[str, str]] = {}
    for line in CONSTRAINTS.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        req = Requirement(line)
        specs = list(req.specifier)
        assert len(specs) == 1 and specs[0].operator == "==", f"{line!r}: pin one exact version (==)"
        name = canonicalize_name(req.name)
        assert name not in pins, f"{name} pinned twice in {CONSTRAINTS.name}"
        pins[name] = (specs[0].version, str(req.marker or ""))
    return pins


def test_every_floor_is_pinned_at_the_floor():
    floors, pins = _floors(), _pins()
    wrong = {
        name: f"pyproject >={floor}, constraints {pins.get(name, ('missing',))[0]}"
        for name, (floor, _) in floors.items()
        if name not in pins or Version(pins[name][0]) != Version(floor)
    }
    assert not wrong, f"pyproject.toml and {CONSTRAINTS.name} disagree: {wrong}"


def test_markers_agree():
    floors, pins = _floors(), _pins()
    for name, (_, marker) in floors.items():
        assert pins[name][1] == marker, name


@pytest.mark.parametrize("name", ["ipython", "matplotlib-inline"])
def test_not_ours_pins_are_not_dependencies(name):
    """The pins that are not project floors are the notebook's old-backend case, nothing else."""
    assert name in _pins() and name not in _floors()
    assert set(_pins()) - set(_floors()) == {"ipython", "matplotlib-inline"}
