"""Command-line interface: a thin layer over the library.

``main`` runs the typer app and turns a :class:`wakhan.errors.WakhanError` into
one sentence on stderr and exit status 2.
"""
from __future__ import annotations

import sys

import click

from wakhan.cli.app import app
from wakhan.cli import (  # noqa: F401  (importing registers the commands)
    claims_commands,
    data_commands,
    places_commands,
    raster_commands,
    route_commands,
    tiles_commands,
)
from wakhan.errors import WakhanError

__all__ = ["app", "main", "run"]


def run(argv: list[str] | None = None) -> int:
    """Run the CLI with ``argv`` and return the exit status (for tests and ``main``)."""
    command = typer_command()
    try:
        command.main(args=argv, prog_name="wakhan", standalone_mode=False)
    except WakhanError as exc:
        click.echo(f"error: {exc}", err=True)
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 1
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    return 0


def typer_command() -> click.Command:
    import typer.main
    return typer.main.get_command(app)


def main() -> None:
    sys.exit(run(sys.argv[1:]))
