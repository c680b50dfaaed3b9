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
