"""Raster outputs: ``wakhan accumulate``, ``wakhan corridor``, ``wakhan dem build`` (Cloud-Optimized GeoTIFF)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import numpy as np
import typer

from wakhan.cli.app import app, dem_app
from wakhan.cli.options import (
    DEFAULT_BUFFER_KM,
    DEFAULT_NEIGHBOURS,
    AltitudeTerm,
    Avoid,
    BufferKm,
    CrossWater,
    Dem,
    MaxGrade,
    Model,
    Neighbours,
    Resolution,
    TerrainFactor,
    Within,
    dem_source,
    plan_options,
)
from wakhan.cli.progress_bar import progress_bar
from wakhan.cli.written import emit_json, raster_record, say_wrote, source_records
from wakhan.dem.project import crs_text
from wakhan.errors import InputError
from wakhan.writable import check_writable


def _check_tif(output: Path) -> None:

    if output.suffix.lower() not in (".tif", ".tiff"):
        raise InputError(f"cannot tell the format of {output}: rasters are written as GeoTIFF, use a .tif file name")
    check_writable(output)


def _walking_speed(options) -> dict:
    """``{"walking_speed": ...}`` for a walking raster (which speed factor, calibrated where), else ``{}``.

    The same record as a walking route's ``walking_speed`` (:func:`wakhan.cost.walking.walking_speed`).
    """
    from wakhan.cost.walking import WalkingModel, walking_speed  # lazy: per command, keeps `wakhan --help` light

    model = options.cost_model()
    return {"walking_speed": walking_speed(model)} if isinstance(model, WalkingModel) else {}


def _report(grid, output: Path, units: str, command: str, as_json: bool, speed=None, **inputs) -> None:
    """``wrote FILE: ...`` and its data sources on stderr, or (``--json``) the same as JSON on stdout.

    ``speed`` is :func:`_walking_speed`'s record: the JSON names the walking model's factor and the
    text says it on stderr.
    """
    speed = speed or {}
    if as_json:
        emit_json(
            {
                "command": command,
                "inputs": inputs,
                "written": [raster_record(grid, output, units)],
                "data_sources": source_records(grid.sources),
                **speed,
            }
        )
        return
    valid = np.isfinite(grid.array)
    rng = f"{np.nanmin(grid.array):,.1f} .. {np.nanmax(grid.array):,.1f}" if valid.any() else "no valid cells"
    say_wrote(
        f"{output}: {grid.width} x {grid.height} cells, {grid.describe_resolution()} "
        f"({crs_text(grid.crs)}), values {rng}, {(~valid).sum():,} nodata cells"
    )
    typer.echo(f"data: {grid.describe_sources()}", err=True)
    if speed:
        typer.echo(speed["walking_speed"]["description"], err=True)


AsJson = Annotated[
    bool, typer.Option("--json", help="Print what was written (size, grid, value range, data sources) as JSON.")
]


#: ``--like FILE``: the grid the raster commands write on.
Like = Annotated[
    Optional[Path],
    typer.Option(
        "--like",
        metavar="FILE",
        help="Write on this raster's grid (CRS, transform, shape); default: the --dem FILE's grid when one is given.",
    ),
]


#: The planning flags both raster commands take, by their CLI parameter names.
_PLAN_FLAGS = (
    "model",
    "terrain_factor",
    "altitude_term",
    "cross_water",
    "max_grade",
    "neighbours",
    "within",
    "avoid",
    "dem",
    "resolution",
    "buffer_km",
)


def _plan_options(flags: dict):
    """The planning options (:class:`wakhan.plan.options.PlanOptions`) of a raster command's flags.

    ``flags`` is the command's ``locals()``: each of :data:`_PLAN_FLAGS` is taken by name (a
    command without one fails here, not silently), and the three whose option name differs
    are renamed.
    """
    values = {name: flags[name] for name in _PLAN_FLAGS}
    return plan_options(
        max_grade_pct=values.pop("max_grade"),
        dem=dem_source(values.pop("dem")),
        resolution_m=values.pop("resolution"),
        **values,
    )


@app.command("accumulate")
def accumulate_command(
    places: list[str] = typer.Argument(..., metavar="PLACE...", help="Source place(s): names or LAT,LON."),
    output: Path = typer.Option(..., "-o", "--output", help="GeoTIFF to write (.tif)."),
    model: Model = "highway",
    terrain_factor: TerrainFactor = None,
    altitude_term: AltitudeTerm = False,
    cross_water: CrossWater = False,
    max_grade: MaxGrade = None,
    neighbours: Neighbours = DEFAULT_NEIGHBOURS,
    within: Within = None,
    avoid: Avoid = None,
    dem: Dem = "pack",
    resolution: Resolution = None,
    buffer_km: BufferKm = DEFAULT_BUFFER_KM,
    like: Like = None,
    threads: int = typer.Option(
        2,
        "--threads",
        min=1,
        max=2,
        help="Search threads: 2 splits the grid in two bands searched at once where two cores and the "
        "memory for two copies are free (the same costs to the last bit), 1 searches on one.",
    ),
    as_json: AsJson = False,
) -> None:
    """Accumulated least cost from the nearest PLACE to every cell (like GRASS r.cost), as a GeoTIFF."""
    from wakhan.plan.rasters import accumulation_grid  # lazy: per command, keeps `wakhan --help` light

    _check_tif(output)
    options = _plan_options(locals())
    with progress_bar(True) as tell:
        if tell:
            tell(f"accumulating {model} cost from {', '.join(places)}", 0, 1)
        grid = accumulation_grid(places, options, like=like, threads=threads)
    unit = "s" if model == "walking" else "m"
    grid.to_geotiff(output, description=f"accumulated {model} cost from {', '.join(places)}", units=unit)
    _report(
        grid,
        output,
        unit,
        "accumulate",
        as_json,
        _walking_speed(options),
        places=places,
        model=model,
        dem=dem,
        like=like,
    )


@app.command("corridor")
def corridor_command(
    start: str = typer.Argument(..., metavar="FROM", help="Place name or LAT,LON."),
    end: str = typer.Argument(..., metavar="TO", help="Place name or LAT,LON."),
    output: Path = typer.Option(..., "-o", "--output", help="GeoTIFF to write (.tif)."),
    within_pct: float = typer.Option(5.0, "--within-pct", help="Band: routes costing at most this % above the best."),
    model: Model = "highway",
    terrain_factor: TerrainFactor = None,
    altitude_term: AltitudeTerm = False,
    cross_water: CrossWater = False,
    max_grade: MaxGrade = None,
    neighbours: Neighbours = DEFAULT_NEIGHBOURS,
    within: Within = None,
    avoid: Avoid = None,
    dem: Dem = "pack",
    resolution: Resolution = None,
    buffer_km: BufferKm = DEFAULT_BUFFER_KM,
    like: Like = None,
    as_json: AsJson = False,
) -> None:
    """The near-optimal corridor FROM -> TO as a GeoTIFF: percent above the best route's cost, nodata outside."""
    from wakhan.plan.rasters import corridor_grid  # lazy: per command, keeps `wakhan --help` light

    _check_tif(output)
    options = _plan_options(locals())
    with progress_bar(True) as tell:
        if tell:
            tell(f"corridor {start} to {end}", 0, 1)
        grid = corridor_grid(start, end, options, within_pct=within_pct, like=like)
    grid.to_geotiff(output, description=f"percent above the optimal cost {start} to {end}", units="%")
    _report(
        grid,
        output,
        "%",
        "corridor",
        as_json,
        _walking_speed(options),
        start=start,
        end=end,
        within_pct=within_pct,
        model=model,
        dem=dem,
    )


@dem_app.command("build")
def dem_build(
    bbox: tuple[float, float, float, float] = typer.Option(..., "--bbox", help="WEST SOUTH EAST NORTH in degrees."),
    output: Path = typer.Option(..., "-o", "--output", help="GeoTIFF to write (.tif)."),
    dem: Dem = "pack",
    resolution: Optional[float] = typer.Option(None, "--resolution", help="Cell size in metres (default native)."),
    crs: Optional[str] = typer.Option(
        None, "--crs", help="Projected CRS, e.g. EPSG:32643 (default chosen for the box)."
    ),
    keep_voids: bool = typer.Option(False, "--keep-voids", help="Leave SRTM voids as nodata instead of filling."),
    tiles_dir: Optional[Path] = typer.Option(None, "--tiles-dir", help="SRTM tile cache (default: $WAKHAN_CACHE)."),
    as_json: AsJson = False,
) -> None:
    """Build the metric DEM the solver uses over a box and write it as a GeoTIFF (heights in m)."""
    from wakhan.dem import build_dem  # lazy: per command, keeps `wakhan --help` light

    source = dem_source(dem, tiles_dir)
    _check_tif(output)
    grid = build_dem(
        tuple(bbox),
        source=source,
        resolution_m=resolution,
        crs=crs,
        fill_voids=not keep_voids,
        tiles_dir=tiles_dir,
    )
    grid.to_geotiff(output, description="elevation", units="m")
    _report(grid, output, "m", "dem build", as_json, bbox=list(bbox), dem=dem, resolution_m=resolution, crs=crs)
    if not as_json:  # the voids of the box asked for (the JSON has them in the raster's notes)
        for note in grid.notes:
            if "void cells" in note:
                typer.echo(f"voids: {note}", err=True)
