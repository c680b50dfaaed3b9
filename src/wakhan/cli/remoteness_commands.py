"""`wakhan remoteness`: walking hours to the nearest settlement over an area, catchments and isochrones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from wakhan.cli.app import app
from wakhan.cli.options import (
    DEFAULT_NEIGHBOURS,
    DEFAULT_SETTLEMENTS,
    CrossWater,
    Dem,
    Neighbours,
    Settlements,
    Within,
    dem_source,
)
from wakhan.cli.written import say_wrote
from wakhan.errors import InputError
from wakhan.writable import check_writable


def _check_tif(path: Path, what: str) -> Path:
    if path.suffix.lower() not in (".tif", ".tiff"):
        raise InputError(f"cannot tell the format of {path}: the {what} is written as GeoTIFF, use a .tif file name")
    return check_writable(path)


def catchment_table_path(catchment: Path) -> Path:
    """The lookup CSV written beside the catchment raster: ``catch.tif`` -> ``catch.csv``."""
    return catchment.with_suffix(".csv")


@app.command("remoteness")
def remoteness_command(
    output: Path = typer.Option(..., "-o", "--output", help="GeoTIFF of walking hours to the nearest settlement."),
    settlements: Settlements = DEFAULT_SETTLEMENTS,  # type: ignore[assignment]  # typer reads a tuple default
    model: str = typer.Option(
        "walking",
        "--model",
        metavar="walking",
        help="Cost model: walking (the only one measured in time), at the speed fitted on published treks.",
    ),
    within: Within = None,
    bbox: Optional[tuple[float, float, float, float]] = typer.Option(
        None, "--bbox", help="WEST SOUTH EAST NORTH in degrees (default: the whole region pack)."
    ),
    dem: Dem = "pack",
    neighbours: Neighbours = DEFAULT_NEIGHBOURS,
    cross_water: CrossWater = False,
    catchment: Optional[Path] = typer.Option(
        None, "--catchment", help="GeoTIFF of the nearest settlement's id per cell; its lookup CSV is written beside."
    ),
    isochrones: Optional[Path] = typer.Option(
        None, "--isochrones", help="Polygons of the area within each --hours of a settlement (.gpkg, .geojson, .fgb)."
    ),
    hours: str = typer.Option("8,24,48", "--hours", help="Isochrone and area-share thresholds, hours."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON on stdout."),
) -> None:
    """Walking hours from every cell to its nearest settlement (one multi-source search), as a COG."""
    # lazy imports: per command, keeps `wakhan --help` light
    from contextlib import ExitStack

    from wakhan.cost import get_model
    from wakhan.cost.walking import TREK_TERRAIN_FACTOR, walking_speed
    from wakhan.dem.project import check_bbox
    from wakhan.fileio import atomic_path
    from wakhan.plain_json import json_safe
    from wakhan.remoteness import check_thresholds, remoteness, summarize
    from wakhan.remoteness import isochrones as make_isochrones
    from wakhan.remoteness.isochrones import check_vector_path, write_isochrones
    from wakhan.settlements import read_settlements

    # every input is checked before any work starts
    thresholds = check_thresholds(hours)
    _check_tif(output, "remoteness raster")
    outputs = [output.resolve()]
    if catchment is not None:
        _check_tif(catchment, "catchment raster")
        outputs += [catchment.resolve(), catchment_table_path(catchment).resolve()]
    if isochrones is not None:
        check_writable(check_vector_path(isochrones))
        outputs.append(isochrones.resolve())
    if len(set(outputs)) < len(outputs):
        raise InputError("two outputs name the same file; give -o, --catchment and --isochrones different names")
    if model != "walking":
        get_model(model)  # an unknown name is refused with the models' list
        raise InputError(f"remoteness is measured in walking time, not with the {model} model; use --model walking")
    box = check_bbox(bbox) if bbox is not None else None
    if box is None and dem != "pack":
        raise InputError(f"give the area as --bbox WEST SOUTH EAST NORTH to build a DEM from {dem}")
    sets = [read_settlements(s) for s in settlements]

    # the trek-calibrated walking speed, as the depopulated claim's walk and remoteness (benchmarks/walking.md)
    walking = get_model("walking", terrain_factor=TREK_TERRAIN_FACTOR)
    result = remoteness(
        sets,
        model=walking,
        dem=dem_source(dem),
        bbox=box,
        within=within,
        neighbours=neighbours,
        cross_water=cross_water,
    )
    summary = summarize(result, thresholds)
    features = make_isochrones(result, thresholds) if isochrones is not None else None
    label = "walking hours to the nearest settlement"
    with ExitStack() as stack:  # every file renamed into place only once all are written
        tmp = stack.enter_context(atomic_path(output))
        _write_grid(result.hours, tmp, label, "h")
        if catchment is not None:
            tmp_c = stack.enter_context(atomic_path(catchment))
            _write_grid(result.catchment, tmp_c, "id of the nearest settlement (see the CSV beside)", "")
            tmp_t = stack.enter_context(atomic_path(catchment_table_path(catchment)))
            _write_table(result.table, tmp_t)
        if isochrones is not None:
            tmp_i = stack.enter_context(atomic_path(isochrones))
            write_isochrones(isochrones, features or [], tmp=tmp_i)
    summary["outputs"] = [str(p) for p in outputs]
    summary["written"] = _written(result, outputs[0], catchment, isochrones, features)
    summary["walking_speed"] = walking_speed(walking)  # the factor and where it was calibrated, as a route's
    if result.reach:  # how far beyond --bbox settlements counted, or why none did
        summary["search_reach"] = result.reach
    if as_json:
        typer.echo(json.dumps(json_safe(summary), indent=2, ensure_ascii=False, allow_nan=False))
        return
    top = summary["most_remote"]
    near = top["nearest_settlement"]
    shares = summary["share_beyond_hours"]
    say_wrote(
        f"{output}: {result.hours.width} x {result.hours.height} cells, {summary['resolution']}, "
        f"{len(result.table):,} settlement cells ({summary['settlements']['source']})"
    )
    for p in outputs[1:]:
        say_wrote(str(p))
    typer.echo(
        f"most remote cell: {top['lat']:.4f}N {top['lon']:.4f}E, {top['hours']:.1f} h "
        f"({top['walking_days']:.1f} walking days), {top['path_km']:.0f} km along its path to {near['name']}"
    )
    if top.get("upper_bound"):
        typer.echo(
            f"  an upper bound: the edge of the data is {top['edge_hours']:.1f} h from it, nearer than {near['name']}; "
            "a settlement beyond the edge is not in the data and could be nearer"
        )
    exact = summary["edge"].get("most_remote_exact")
    if exact:
        typer.echo(
            f"most remote cell the edge cannot shorten: {exact['lat']:.4f}N {exact['lon']:.4f}E, "
            f"{exact['hours']:.1f} h ({exact['walking_days']:.1f} walking days), {exact['path_km']:.0f} km along its "
            f"path to {exact['nearest_settlement']['name']}"
        )
    typer.echo(
        "area beyond: "
        + ", ".join(f"{k} h {v * 100:.1f} %" for k, v in shares.items() if k != "unreachable")
        + f" (unreachable {shares['unreachable'] * 100:.1f} %) of {summary['area_km2']:,.0f} km2"
        + f"; {summary['edge']['upper_bound_share'] * 100:.1f} % of it nearer the data's edge than its settlement"
        " (upper bounds)"
    )
    typer.echo(f"data: {result.hours.describe_sources()}")
    if result.reach:
        typer.echo(f"search: {result.reach}")


def _written(result, output: Path, catchment: Path | None, isochrones: Path | None, features) -> list[dict]:
    """The ``--json`` record of each file written: path, grid and value range of the rasters, rows, features."""
    import numpy as np

    from wakhan.cli.written import raster_record

    records = [raster_record(result.hours, output, "h")]
    if catchment is not None:  # the settlement ids (0 is the raster's nodata) and their lookup table
        c = result.catchment
        ids = c.with_array(np.where(c.array == c.nodata, np.nan, c.array).astype(np.float32))
        records.append({**raster_record(ids, catchment.resolve(), ""), "format": "GeoTIFF (int32 settlement id)"})
        table = catchment_table_path(catchment).resolve()
        records.append({"path": str(table), "format": "CSV", "rows": len(result.table)})
    if isochrones is not None:
        records.append(
            {
                "path": str(isochrones.resolve()),
                "format": isochrones.suffix.lstrip(".").lower(),
                "features": len(features),
            }
        )
    return records


def _write_grid(grid, tmp: Path, description: str, units: str) -> None:
    from wakhan.gridio import write_geotiff  # lazy: rasterio, only when writing

    # write_geotiff is atomic itself; here it writes the ExitStack's temporary name, renamed at the end
    write_geotiff(grid, tmp, description=description, units=units)


def _write_table(table, tmp: Path) -> None:
    import csv  # lazy: only this output

    with open(tmp, "w", newline="", encoding="utf-8") as fh:
        rows = [e.as_dict() for e in table]
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]) if rows else ["id", "name"])
        writer.writeheader()
        writer.writerows(rows)
