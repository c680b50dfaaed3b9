"""The typer application and its sub-groups; command modules attach to these."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="wakhan",
    help="Route feasibility analysis over real terrain: elevation data, least-cost routes, "
    "profiles, and checked claims about the Wakhan Corridor.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
tiles_app = typer.Typer(help="SRTM elevation tiles: list sources and cached tiles, fetch tiles.", no_args_is_help=True)
dem_app = typer.Typer(help="Inspect elevation rasters and build the metric DEM the solver uses.", no_args_is_help=True)
app.add_typer(tiles_app, name="tiles")
app.add_typer(dem_app, name="dem")


def _print_version(value: bool) -> None:
    if value:
        from wakhan import __version__  # lazy: per command, keeps `wakhan --help` light

        typer.echo(f"wakhan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", is_eager=True, callback=_print_version, help="Print the wakhan version and exit."
    ),
) -> None:
    """Route feasibility analysis over real terrain: elevation data, least-cost routes, profiles, and
    checked claims about the Wakhan Corridor."""
