"""The shared CLI options (wakhan.cli.options): one definition and one check for every command that takes them."""

import pytest
import typer

from wakhan.cli import app, options, run


def _params(command_name: str) -> dict:
    group = typer.main.get_command(app)
    cmd = group.commands[command_name]
    return {opt: p for p in cmd.params for opt in p.opts}


SOLVER_COMMANDS = ("route", "compare", "accumulate", "corridor", "claims", "sweep")


@pytest.mark.parametrize("name", SOLVER_COMMANDS)
def test_neighbours_is_the_shared_option(name):
    p = _params(name)["--neighbours"]
    assert p.default == 16
    assert p.callback is not None and p.help == "Solver moves: 8, 16 or 32."


@pytest.mark.parametrize(
    "argv",
    [
        ["route", "kashgar", "kabul"],
        ["compare"],
        ["accumulate", "kashgar", "-o", "OUT/a.tif"],
        ["corridor", "kashgar", "kabul", "-o", "OUT/c.tif"],
        ["claims"],
        # the sweep file does not exist: the option is checked as the command line is parsed, before any file is read
        ["sweep", "no-such-sweep.toml"],
    ],
)
def test_bad_neighbours_fails_at_once_with_one_sentence(argv, capsys, tmp_path):
    argv = [a.replace("OUT", str(tmp_path)) for a in argv]
    assert run([*argv, "--neighbours", "12"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "error: --neighbours 12 is not supported; use 8, 16 or 32"
    assert not list(tmp_path.iterdir())  # nothing written


def test_defaults_are_the_route_planners():
    from wakhan.plan.plan import DEFAULT_BUFFER_KM, DEFAULT_NEIGHBOURS

    assert options.DEFAULT_NEIGHBOURS == DEFAULT_NEIGHBOURS
    assert options.DEFAULT_BUFFER_KM == DEFAULT_BUFFER_KM


@pytest.mark.parametrize(
    "flag", ["--model", "--max-grade", "--dem", "--resolution", "--within", "--avoid", "--buffer-km"]
)
def test_routing_options_read_the_same_in_every_command(flag):
    takes = [n for n in ("route", "accumulate", "corridor", "compare") if flag in _params(n)]
    assert len(takes) >= 3
    helps = {_params(n)[flag].help for n in takes}
    defaults = {_params(n)[flag].default for n in takes}
    assert len(helps) == 1 and len(defaults) == 1


@pytest.mark.parametrize(
    "flag", ["--design-grade", "--tunnels", "--max-tunnel-km", "--max-elevation", "--roads", "--cross-water"]
)
def test_engineering_options_shared_by_route_and_compare(flag):
    a, b = _params("route")[flag], _params("compare")[flag]
    assert (a.help, a.default) == (b.help, b.default)


def test_dem_source():
    assert options.dem_source("pack") == "pack" and options.dem_source("tiles") == "tiles"
    assert str(options.dem_source("some/file.tif")) == "some/file.tif"


def test_settlements_defaults_are_the_bundled_sources():
    # claims judges on every bundled source together (issue 18), and so do remoteness and sweep: one default,
    # so that `wakhan remoteness` and a sweep see the settlements the depopulated claim sees
    for command in ("claims", "remoteness", "sweep"):
        opt = _params(command)["--settlements"]
        assert list(opt.default) == ["ghs", "geonames500"] and opt.multiple, command


def test_claims_default_settlement_sources_match_the_claims():
    # the CLI spells the default out so that `wakhan --help` does not import the claims
    import inspect

    from wakhan.claims.evidence import DEFAULT_SETTLEMENT_SPECS
    from wakhan.cli.options import DEFAULT_SETTLEMENTS
    from wakhan.remoteness import remoteness
    from wakhan.sweep import monte_carlo_uncertainty, sweep_uncertainty
    from wakhan.sweep.inputs import prepare_inputs

    assert tuple(DEFAULT_SETTLEMENTS) == tuple(DEFAULT_SETTLEMENT_SPECS)
    # the Python functions default to the same sources as the commands
    for fn, name in [
        (remoteness, "settlements"),
        (prepare_inputs, "settlement_specs"),
        (sweep_uncertainty, "settlement_specs"),
        (monte_carlo_uncertainty, "settlement_specs"),
    ]:
        assert tuple(inspect.signature(fn).parameters[name].default) == tuple(DEFAULT_SETTLEMENT_SPECS), fn


def test_max_grade_help_says_it_limits_the_terrain_and_gives_each_models_default():
    """`--max-grade` said "Steepest allowed grade, percent.": a road planner reads the road's grade (that is
    --design-grade, 7 %) and cannot tell what applies when it is not given. The defaults quoted are the
    models' own (HighwayModel's hairpin limit, after USDA guidance; WalkingModel's 100 %)."""
    from wakhan.cli import typer_command
    from wakhan.cost import get_model

    highway, walking = get_model("highway").max_grade_pct, get_model("walking").max_grade_pct
    for name in ("route", "compare", "accumulate", "corridor"):
        (param,) = [p for p in typer_command().commands[name].params if p.name == "max_grade"]
        text = " ".join(param.help.split())
        assert "terrain" in text and "Not the built road's grade" in text, (name, text)
        assert f"highway {highway:g}" in text and f"walking {walking:g}" in text, (name, text)


def _max_grade_commands():
    from wakhan.cli import typer_command

    todo, found = [((), typer_command())], []
    while todo:
        path, cmd = todo.pop()
        subs = getattr(cmd, "commands", None)
        if subs:
            todo += [((*path, name), sub) for name, sub in subs.items()]
        elif any("--max-grade" in p.opts for p in cmd.params):
            found.append((path, cmd))
    return found


def test_every_max_grade_option_is_the_shared_one_with_its_bound():
    """--max-grade accepted 200 %: every command that takes it now runs the one check, bounded at 100 % (45 degrees)."""
    found = _max_grade_commands()
    assert {" ".join(path) for path, _ in found} >= {"route", "compare", "accumulate", "corridor"}
    for path, cmd in found:
        (p,) = [p for p in cmd.params if "--max-grade" in p.opts]
        assert p.callback is not None and p.callback.__name__ == options.check_max_grade.__name__, path
    assert options.check_max_grade(100.0) == 100.0 and options.check_max_grade(0.5) == 0.5


@pytest.mark.parametrize("value", ["200", "100.1", "inf"])
@pytest.mark.parametrize(
    "command",
    [["route", "kashgar", "tashkurgan"], ["compare"], ["accumulate", "kashgar"], ["corridor", "kashgar", "tashkurgan"]],
)
def test_a_grade_limit_steeper_than_45_degrees_is_refused_as_the_option_is_parsed(command, value, tmp_path, capsys):
    out = tmp_path / ("out.tif" if command[0] in ("accumulate", "corridor") else "out.geojson")
    argv = [*command, f"--max-grade={value}"] + (["-o", str(out)] if command[0] != "compare" else [])
    assert run(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"--max-grade {value}" in err and "at most 100" in err, err
    assert not out.exists()


def test_plan_options_take_the_same_bound():
    from wakhan.errors import InputError
    from wakhan.plan.options import PlanOptions

    assert PlanOptions(max_grade_pct=100).max_grade_pct == 100
    with pytest.raises(InputError, match="--max-grade 150, or max_grade_pct=150 in Python, must be .* at most 100"):
        PlanOptions(max_grade_pct=150)


def test_a_crossing_steeper_than_any_limit_does_not_suggest_one():
    """A leg whose gentlest crossing needs 130 % cannot be opened by --max-grade: the sentence says so."""
    from wakhan.cost import get_model
    from wakhan.errors import RouteError
    from wakhan.places import Place
    from wakhan.plan.legs import leg_error

    a, b = Place("A", (), 37.0, 75.0, "town", "", ""), Place("B", (), 37.0, 75.1, "town", "", "")
    text = str(
        leg_error(
            RouteError("no route", needs_grade_pct=130.0),
            None,
            get_model("highway"),
            a,
            b,
            (0, 0),
            (0, 2),
            8,
            None,
            None,
            None,
        )
    )
    assert "130.0 %" in text and "--max-grade" not in text and "choose other end points" in text
