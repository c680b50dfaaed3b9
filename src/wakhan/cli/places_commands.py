"""`wakhan places`: list the gazetteer."""

from __future__ import annotations

import json
import sys
from typing import Optional

import typer

from wakhan.cli.app import app
from wakhan.errors import InputError


@app.command("places")
def places_command(
    kind: Optional[str] = typer.Option(None, "--kind", help="Only this kind: city, town, village, pass or lake."),
    as_json: bool = typer.Option(False, "--json", help="Print the places as JSON."),
) -> None:
    """List the named places a route can start, end or pass at (names, aliases, coordinates, sources)."""
    from wakhan.places import KINDS, load_places  # lazy: per command, keeps `wakhan --help` light

    places = load_places()
    if kind is not None:
        kind = kind.strip().lower()
        if kind not in KINDS:
            raise InputError(f"--kind {kind!r} is not a kind of place; use one of {', '.join(KINDS)}")
        places = [p for p in places if p.kind == kind]
    if as_json:
        typer.echo(json.dumps([p.as_dict() for p in places], ensure_ascii=False, indent=2))
        return
    from rich.console import Console  # lazy: per command, keeps `wakhan --help` light
    from rich.table import Table

    table = Table(title=f"{len(places)} places (names match case- and accent-insensitively; LAT,LON also works)")
    for col in ("name", "aliases", "lat", "lon", "kind", "country", "source"):
        table.add_column(col, overflow="fold")
    for p in places:
        table.add_row(p.name, "; ".join(p.aliases), f"{p.lat:.4f}", f"{p.lon:.4f}", p.kind, p.country, p.source)

    Console(file=sys.stdout).print(table)  # fits the terminal; long cells wrap
