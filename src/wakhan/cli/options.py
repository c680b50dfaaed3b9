"""Options shared by several commands, each defined and validated once.

Each option is an ``Annotated`` type for typer: a command declares
``neighbours: Neighbours = DEFAULT_NEIGHBOURS`` and gets the same flag, help
text and check as every other command that takes it. Checks run while the
command line is parsed (a typer callback), before any data is read, and raise
:class:`wakhan.errors.InputError`, which the CLI prints as one sentence
(exit status 2).
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, List, Optional

import typer

__all__ = ["DEFAULT_NEIGHBOURS", "DEFAULT_BUFFER_KM", "DEM_HELP", "Neighbours", "Model", "MaxGrade", "DesignGrade",
           "Tunnels", "MaxTunnelKm", "MaxElevation", "Roads", "Within", "Avoid", "Dem", "Resolution", "BufferKm",
           "Settlements", "dem_source", "check_neighbours"]

#: Defaults of the route planner (:data:`wakhan.route.plan.DEFAULT_NEIGHBOURS` and
#: ``DEFAULT_BUFFER_KM``; a test keeps them equal), repeated here so that ``--help``
#: does not import the solver.
DEFAULT_NEIGHBOURS = 16
DEFAULT_BUFFER_KM = 50.0

DEM_HELP = ("Elevation: 'pack' (bundled GEBCO 15\" + GLOBE 30\", the default), 'tiles' (SRTM tile cache) "
            "or a raster PATH / tile folder.")
SETTLEMENTS_HELP = ("Settlement source (repeatable): 'ghs' (bundled GHS-WUP classes >= 12; 'ghs:13' for "
                    "rural clusters and up), 'wof:PATH' (Who's On First CSV), 'geonames:PATH' (GeoNames dump), "
                    "or a CSV/GeoJSON of points. Several sources are also evaluated together.")


def check_neighbours(value: int) -> int:
    """The ``--neighbours`` check (the route planner's own), run as the option is parsed."""
    from wakhan.route.plan import check_neighbours as check  # lazy: the planner imports the solver
    check(value)
    return value


Neighbours = Annotated[int, typer.Option("--neighbours", help="Solver moves: 8, 16 or 32.",
                                         callback=check_neighbours)]
Model = Annotated[str, typer.Option("--model", help="Cost model: highway or walking.")]
MaxGrade = Annotated[Optional[float], typer.Option("--max-grade", help="Steepest allowed grade, percent.")]
DesignGrade = Annotated[Optional[float], typer.Option(
    "--design-grade", help="Highway design grade below 3,000 m, percent (default 7; switchbacks on steeper terrain).")]
Tunnels = Annotated[bool, typer.Option("--tunnels/--no-tunnels", help="Let the highway tunnel under crossings.")]
MaxTunnelKm = Annotated[Optional[float], typer.Option("--max-tunnel-km", help="Longest tunnel, km (default 25).")]
MaxElevation = Annotated[Optional[float], typer.Option(
    "--max-elevation", help="Ceiling for the road, metres (tunnels pass beneath).")]
Roads = Annotated[Optional[Path], typer.Option(
    "--roads", help="Line layer of existing roads (GeoJSON, GPKG, OSM...): upgrading them costs less.")]
Within = Annotated[Optional[str], typer.Option("--within", help="Stay inside these countries, e.g. CN,AF.")]
Avoid = Annotated[Optional[str], typer.Option("--avoid", help="Stay out of these countries, e.g. PK,TJ.")]
Dem = Annotated[str, typer.Option("--dem", help=DEM_HELP)]
Resolution = Annotated[Optional[float], typer.Option("--resolution", help="DEM cell size in metres.")]
BufferKm = Annotated[float, typer.Option("--buffer-km", help="Margin of the DEM around the waypoints or places, km.")]
Settlements = Annotated[List[str], typer.Option("--settlements", "-s", help=SETTLEMENTS_HELP)]


def dem_source(dem: str):
    """The ``--dem`` value as a DEM source: ``"pack"``, ``"tiles"`` or a path.

    Examples
    --------
    >>> dem_source("pack"), dem_source("x.tif")
    ('pack', PosixPath('x.tif'))
    """
    return dem if dem in ("pack", "tiles") else Path(dem)
