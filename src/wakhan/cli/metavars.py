"""Readable value names in ``--help``: ``KM``, ``PCT``, ``CC,CC``, ``FILE`` instead of ``<float>`` or ``<list[str]>``.

One option name means one concept in every command (``--within`` is always
countries, ``--buffer-km`` always a margin in km), so the value names are one
table keyed by option name, applied to every command when the CLI is built
(:func:`apply_metavars`). A flag shows no value name; an argument shows its own
name (``FROM``, ``ROUTE...``) and no Python type. ``tests/test_cli_conventions.py``
checks that every option of every command has a name from this table.
"""

from __future__ import annotations

import types

__all__ = ["METAVARS", "apply_metavars"]

#: Option (its long name, or an argument's name) -> the value name ``--help`` shows.
METAVARS = {
    "--avalanche-alpha": "DEG",
    "--avoid": "CC,CC",
    "--within": "CC,CC",
    "--bbox": "W S E N",
    "--buffer-km": "KM",
    "--cache-dir": "DIR",
    "--catchment": "FILE",
    "--hours": "H,H,H",
    "--isochrones": "FILE",
    "--tiles-dir": "DIR",
    "--output-dir": "DIR",
    "--output": "FILE",
    "--closure-months": "MONTHS",
    "--crs": "EPSG:CODE",
    "--dem": "pack|tiles|FILE",
    "--earthworks": "WEIGHT",
    "--floodplain": "WEIGHT",
    "--design-grade": "PCT",
    "--max-grade": "PCT",
    "--within-pct": "PCT",
    "--gap-pct": "PCT",
    "--format": "geojson|gpx|csv",
    "--kind": "KIND",
    "--like": "FILE",
    "--max-elevation": "M",
    "--max-tunnel-km": "KM",
    "--model": "highway|walking|isotropic",
    "--monte-carlo": "N",
    "--neighbours": "8|16|32",
    "--threads": "1|2",
    "--pad-km": "KM",
    "--rasters": "DIR",
    "--reference": "FILE",
    "--resolution": "M",
    "--retries": "N",
    "--roads": "FILE",
    "--scheduler": "ADDRESS",
    "--seed": "N",
    "--settlements": "SOURCE",
    "--shade": "KM:KM[:LABEL]",
    "--source": "NAME|URL",
    "--structures": "FILE",
    "--deadline": "SECONDS",
    "--timeout": "SECONDS",
    "--title": "TEXT",
    "--via": "PLACE",
    "--width": "INCHES",
    "--workers": "N",
    # arguments that do not name their own value
    "lat": "LAT",
    "lon": "LON",
    "file": "FILE",
    "path": "FILE",
}


def _long_name(param) -> str:
    longs = [o for o in getattr(param, "opts", ()) if o.startswith("--")]
    return longs[0] if longs else str(param.name)


def _no_type(self, ctx):
    """An argument's type column: empty (its name, e.g. ``FROM``, says what it is)."""
    return ""


def apply_metavars(command) -> None:
    """Give every option of ``command`` and its sub-commands its value name from :data:`METAVARS`.

    Flags (``--json``, ``--tunnels/--no-tunnels``, ``--help``) get none; options
    the table does not name keep theirs (the conventions test fails on them).

    Parameters
    ----------
    command : typer's click Command or Group
        As :func:`wakhan.cli.typer_command` builds it; changed in place.

    Examples
    --------
    >>> from wakhan.cli import typer_command
    >>> route = typer_command().commands["route"]
    >>> {p.name: p.metavar for p in route.params if p.name in ("via", "within", "as_json")}
    {'via': 'PLACE', 'within': 'CC,CC', 'as_json': ''}
    """
    for sub in getattr(command, "commands", {}).values():
        apply_metavars(sub)
    params = list(getattr(command, "params", ()))
    help_option = getattr(command, "get_help_option", None)
    if help_option is not None:
        import typer  # lazy: only to build the help option's context

        try:
            params.append(help_option(typer.Context(command)))
        except Exception:  # noqa: BLE001 - a typer without a help option to name; nothing to change
            pass
    for param in params:
        if param is None:
            continue
        if getattr(param, "param_type_name", "") == "argument":
            param.display_type_rich = types.MethodType(_no_type, param)
            if param.metavar is None and param.name in METAVARS:
                param.metavar = METAVARS[param.name]
        elif getattr(param, "is_flag", False) or getattr(param, "count", False):
            param.metavar = ""
        elif param.metavar is None and _long_name(param) in METAVARS:
            param.metavar = METAVARS[_long_name(param)]
