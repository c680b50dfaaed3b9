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
from typing import Annotated

import typer

from wakhan.errors import InputError

__all__ = [
    "DEFAULT_BUFFER_KM",
    "DEFAULT_NEIGHBOURS",
    "DEM_HELP",
    "AltitudeTerm",
    "AvalancheAlpha",
    "Avoid",
    "BufferKm",
    "ClosureMonths",
    "Dem",
    "DesignGrade",
    "Earthworks",
    "Floodplain",
    "MaxElevation",
    "MaxGrade",
    "MaxTunnelKm",
    "Model",
    "Neighbours",
    "Resolution",
    "Reference",
    "Roads",
    "Settlements",
    "Structures",
    "TerrainFactor",
    "Tunnels",
    "Within",
    "check_neighbours",
    "dem_source",
    "plan_options",
    "check_earthworks",
    "check_floodplain",
]

#: Defaults of the route planner (:data:`wakhan.plan.plan.DEFAULT_NEIGHBOURS` and
#: ``DEFAULT_BUFFER_KM``; a test keeps them equal), repeated here so that ``--help``
#: does not import the solver.
DEFAULT_NEIGHBOURS = 16
DEFAULT_BUFFER_KM = 50.0

DEM_HELP = (
    "Elevation: 'pack' (bundled GEBCO 15\" + GLOBE 30\", the default), 'tiles' (SRTM tile cache) "
    "or a raster PATH / tile folder."
)
SETTLEMENTS_HELP = (
    "Settlement source (repeatable): 'ghs' (bundled GHS-WUP classes >= 12; 'ghs:13' for "
    "rural clusters and up), 'geonames500' (bundled GeoNames cities500 extract), 'wof:PATH' "
    "(Who's On First CSV), 'geonames:PATH' (GeoNames dump), or a CSV/GeoJSON of points. "
    "Several sources are combined and also evaluated one by one (default for claims, remoteness and sweep: "
    "ghs and geonames500)."
)
#: The default settlement sources of every command (= wakhan.settlements.DEFAULT_SETTLEMENT_SPECS;
#: spelt out here so that the CLI does not import the readers to print its help).
DEFAULT_SETTLEMENTS = ("ghs", "geonames500")


def check_neighbours(value: int) -> int:
    """The ``--neighbours`` check (the route planner's own), run as the option is parsed."""
    # lazy: the planner imports the solver, which `wakhan --help` does not need
    from wakhan.plan.plan import check_neighbours as check  # lazy: per command, keeps `wakhan --help` light

    check(value)
    return value


Neighbours = Annotated[int, typer.Option("--neighbours", help="Solver moves: 8, 16 or 32.", callback=check_neighbours)]
Model = Annotated[
    str,
    typer.Option(
        "--model",
        help="Cost model: highway (road building), walking (trekking time) or isotropic "
        "(grade-blind distance, a baseline).",
    ),
]


def check_max_grade(value: float | None) -> float | None:
    """The ``--max-grade`` check, run as the option is parsed: a percentage above 0, at most 100 (45 degrees).

    Examples
    --------
    >>> check_max_grade(12.0), check_max_grade(None)
    (12.0, None)
    """
    from wakhan.plan.options import check_max_grade_pct  # the same check as PlanOptions.max_grade_pct

    check_max_grade_pct(value)
    return value


MaxGrade = Annotated[
    float | None,
    typer.Option(
        "--max-grade",
        help="Hard limit on the terrain's grade, percent, at most 100 (45 degrees): no route crosses steeper ground "
        "(default: highway 60, the steepest terrain its switchbacks climb; walking 100). Not the built road's grade "
        "(the highway's design grade, default 7 %).",
        callback=check_max_grade,
    ),
]
DesignGrade = Annotated[
    float | None,
    typer.Option(
        "--design-grade",
        help="Highway design grade below 3,000 m, percent (default 7; switchbacks on steeper terrain).",
    ),
]


def check_earthworks(value: float | None) -> float | None:
    """The ``--earthworks`` check, run as the option is parsed: a finite weight >= 0.

    Examples
    --------
    >>> check_earthworks(2.0), check_earthworks(None)
    (2.0, None)
    """
    import math

    from wakhan.errors import InputError

    if value is not None and not (math.isfinite(value) and value >= 0):
        raise InputError(
            f"--earthworks {value:g} must be a weight of zero or more (0 prices the grade only, 1 the "
            "earthworks at their unit cost), e.g. --earthworks 1"
        )
    return value


Earthworks = Annotated[
    float | None,
    typer.Option(
        "--earthworks",
        metavar="WEIGHT",
        help="Weight of the highway's earthworks across the side slope in the route search (0 = grade only; "
        "default calibrated, see benchmarks/road_realism.md).",
        callback=check_earthworks,
    ),
]


def check_floodplain(value: float) -> float:
    """The ``--floodplain`` check, run as the option is parsed: a finite weight >= 0.

    Examples
    --------
    >>> check_floodplain(1.0), check_floodplain(0.0)
    (1.0, 0.0)
    """
    import math

    from wakhan.errors import InputError

    if not (math.isfinite(value) and value >= 0):
        raise InputError(
            f"--floodplain {value:g} must be a weight of zero or more (0 = off; 1 doubles the cost of a "
            "floodplain cell), e.g. --floodplain 1"
        )
    return value


Floodplain = Annotated[
    float,
    typer.Option(
        "--floodplain",
        metavar="WEIGHT",
        help="Highway only: cells within 5 m above a stream draining >= 100 km2 (HAND on the grid's D8 drainage) "
        "cost 1 + WEIGHT times as much (default 0 = off: on 22 real Swiss roads it brought no route closer to its road; "
        "benchmarks/road_realism.md).",
        callback=check_floodplain,
    ),
]


def check_terrain_factor(value: float | None) -> float | None:
    """The ``--terrain-factor`` check, run as the option is parsed: a positive, finite speed factor.

    Examples
    --------
    >>> check_terrain_factor(1.0), check_terrain_factor(None)
    (1.0, None)
    """
    import math

    from wakhan.errors import InputError

    if value is not None and not (math.isfinite(value) and value > 0):
        raise InputError(
            f"--terrain-factor {value:g} must be a positive walking speed factor "
            "(1 = Tobler's hiking function as published; default 0.616, calibrated on published treks)"
        )
    return value


TerrainFactor = Annotated[
    float | None,
    typer.Option(
        "--terrain-factor",
        metavar="F",
        help="Walking speed factor on Tobler's hiking function (1 = as published; default 0.616, "
        "calibrated on published treks, see benchmarks/walking.md). Walking model only.",
        callback=check_terrain_factor,
    ),
]


AltitudeTerm = Annotated[
    bool,
    typer.Option(
        "--altitude-term/--no-altitude-term",
        help="Walk with the altitude term (speed falls 7.6 % per 1,000 m above 580 m) at its own calibrated "
        "factor (0.753, unless --terrain-factor is given), as the claims' second walk. Walking model only.",
    ),
]


CrossWater = Annotated[
    bool,
    typer.Option(
        "--cross-water",
        help="Let the route cross lakes (by default water is impassable: GHS-WUP water on the pack, "
        "SRTM's flat lake surfaces of 0.5 km2 or more on tiles).",
    ),
]


Tunnels = Annotated[bool, typer.Option("--tunnels/--no-tunnels", help="Let the highway tunnel under crossings.")]
MaxTunnelKm = Annotated[
    float | None, typer.Option("--max-tunnel-km", help="Longest new tunnel, km, with --tunnels (default 25).")
]
MaxElevation = Annotated[
    float | None, typer.Option("--max-elevation", help="Ceiling for the road, metres (tunnels pass beneath).")
]
Roads = Annotated[
    Path | None,
    typer.Option(
        "--roads",
        help="Line layer of existing roads (GeoJSON, GPKG, OSM...): upgrading them costs less. For claims and "
        "compare, a row may mark a section open_all_year (with its source): its crossings keep no winter closure.",
    ),
]
Structures = Annotated[
    Path | None,
    typer.Option(
        "--structures",
        help="GeoJSON of existing tunnels (portal-to-portal lines): a leg between a tunnel's two portals uses it.",
    ),
]


def check_closure_months(value: float) -> float:
    """The ``--closure-months`` check (0-12 months), run as the option is parsed."""
    from wakhan.claims.closure import check_closure_months as check  # lazy: keeps `wakhan --help` light

    return check(value)


def check_avalanche_alpha(value: float) -> float:
    """The ``--avalanche-alpha`` check (an angle between 0 and 90 degrees), run as the option is parsed."""
    from wakhan.claims.avalanche import check_alpha  # lazy: keeps `wakhan --help` light

    return check_alpha(value)


ClosureMonths = Annotated[
    float,
    typer.Option(
        "--closure-months",
        help="All-season variant: tunnel every crossing predicted to close longer than this (months, 0-12).",
        callback=check_closure_months,
    ),
]
AvalancheAlpha = Annotated[
    float,
    typer.Option(
        "--avalanche-alpha",
        help="Alpha angle of the avalanche runout, degrees (Lied & Bakkehoi 1980; default 20).",
        callback=check_avalanche_alpha,
    ),
]
Reference = Annotated[
    Path | None,
    typer.Option(
        "--reference",
        help="Line layer of the real road (GeoJSON, GPX, KML, GPKG...): adds its deviation (PDI, km within) to the route.",
    ),
]
Within = Annotated[str | None, typer.Option("--within", help="Stay inside these countries, e.g. CN,AF.")]
Avoid = Annotated[str | None, typer.Option("--avoid", help="Stay out of these countries, e.g. PK,TJ.")]
Dem = Annotated[str, typer.Option("--dem", help=DEM_HELP)]
Resolution = Annotated[float | None, typer.Option("--resolution", help="DEM cell size in metres.")]
BufferKm = Annotated[float, typer.Option("--buffer-km", help="Margin of the DEM around the waypoints or places, km.")]
Settlements = Annotated[list[str], typer.Option("--settlements", "-s", help=SETTLEMENTS_HELP)]


def dem_source(dem: str, tiles_dir: Path | None = None):
    """The ``--dem`` value as a DEM source: ``"pack"``, ``"tiles"`` or a path.

    ``tiles_dir`` (``--tiles-dir``) is read only with ``--dem tiles``: with any other
    ``--dem`` it would be ignored in silence, so the combination is refused.

    Examples
    --------
    >>> dem_source("pack"), dem_source("x.tif"), dem_source("tiles", Path("srtm"))
    ('pack', PosixPath('x.tif'), 'tiles')
    >>> dem_source("pack", Path("srtm"))
    Traceback (most recent call last):
    ...
    wakhan.errors.InputError: --tiles-dir srtm is read only with --dem tiles, not --dem pack; add --dem tiles to use that tile folder, or drop --tiles-dir
    """
    if tiles_dir is not None and dem != "tiles":
        raise InputError(
            f"--tiles-dir {tiles_dir} is read only with --dem tiles, not --dem {dem}; "
            "add --dem tiles to use that tile folder, or drop --tiles-dir"
        )
    return dem if dem in ("pack", "tiles") else Path(dem)


def plan_options(**values):
    """The :class:`wakhan.plan.options.PlanOptions` of a command's flags, checked before any data is read.

    Examples
    --------
    >>> plan_options(model="walking", within="CN").within
    ('CN',)

    A flag that would change nothing is refused, not dropped in silence:

    >>> plan_options(max_tunnel_km=5.0)
    Traceback (most recent call last):
    ...
    wakhan.errors.InputError: --max-tunnel-km 5 applies only with --tunnels (new tunnels are off by default); add --tunnels or drop --max-tunnel-km
    """
    from wakhan.plan.options import PlanOptions  # lazy: per command, keeps `wakhan --help` light

    options = PlanOptions(**values)
    if options.max_tunnel_km is not None and not options.tunnels:
        model = options.cost_model().name
        flag = f"--max-tunnel-km {options.max_tunnel_km:g}"
        if model != "highway":
            raise InputError(f"{flag} applies to the highway model with --tunnels only, not {model}; drop it")
        raise InputError(
            f"{flag} applies only with --tunnels (new tunnels are off by default); add --tunnels or drop --max-tunnel-km"
        )
    return options
