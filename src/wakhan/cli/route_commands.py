"""`wakhan route`, `wakhan profile`, `wakhan map`, `wakhan compare`: routes by place name, figures, comparisons."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from wakhan.cli.app import app
from wakhan.cli.options import (
    DEFAULT_BUFFER_KM,
    DEFAULT_NEIGHBOURS,
    AltitudeTerm,
    Avoid,
    BufferKm,
    ClosureMonths,
    CrossWater,
    Dem,
    DesignGrade,
    Earthworks,
    Floodplain,
    MaxElevation,
    MaxGrade,
    MaxTunnelKm,
    Model,
    Neighbours,
    Reference,
    Resolution,
    Roads,
    Structures,
    TerrainFactor,
    Tunnels,
    Within,
    plan_options,
)
from wakhan.cli.progress_bar import progress_bar
from wakhan.cli.written import emit_json, route_record, say_wrote, source_records, stdout_closed
from wakhan.errors import InputError
from wakhan.plain_json import json_safe
from wakhan.writable import check_writable


def _check_output(output: Optional[Path], kinds: tuple[str, ...]) -> None:
    """Fail before the long computation when the output cannot be written."""
    if output is None:
        return

    check_writable(output)
    if output.suffix.lower() not in kinds:
        raise InputError(f"cannot tell the format of {output}: use a file name ending in {', '.join(kinds)}")


def _json(obj) -> str:

    return json.dumps(json_safe(obj), ensure_ascii=False, indent=2, allow_nan=False)


@app.command("route")
def route_command(
    start: str = typer.Argument(
        ...,
        metavar="FROM",
        help="Place name (see `wakhan places`) or LAT,LON in degrees (37.1,74.5; also 37.1N 74.5E or 37°06′N 74°30′E).",
    ),
    end: str = typer.Argument(..., metavar="TO", help="Place name or LAT,LON."),
    via: list[str] = typer.Option([], "--via", help="Waypoint to pass through (repeatable, in order)."),
    model: Model = "highway",
    terrain_factor: TerrainFactor = None,
    altitude_term: AltitudeTerm = False,
    cross_water: CrossWater = False,
    max_grade: MaxGrade = None,
    design_grade: DesignGrade = None,
    earthworks: Earthworks = None,
    floodplain: Floodplain = 0.0,
    tunnels: Tunnels = False,
    max_tunnel_km: MaxTunnelKm = None,
    max_elevation: MaxElevation = None,
    roads: Roads = None,
    structures: Structures = None,
    reference: Reference = None,
    neighbours: Neighbours = DEFAULT_NEIGHBOURS,
    within: Within = None,
    avoid: Avoid = None,
    dem: Dem = "pack",
    resolution: Resolution = None,
    buffer_km: BufferKm = DEFAULT_BUFFER_KM,
    output: Optional[Path] = typer.Option(
        None,
        "-o",
        "--output",
        help="Write the route: .geojson, .gpkg, .fgb, .kml, .shp (line + passes/places/waypoints layers), "
        ".gpx (track + waypoints) or .csv (profile); '-' writes GeoJSON (or --format) to stdout.",
    ),
    fmt: Optional[str] = typer.Option(
        None, "--format", help="Format for -o -: geojson (default), gpx or csv; a file's extension gives its own."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON on stdout."),
    bridges: bool = typer.Option(
        False,
        "--bridges",
        help="List every bridge in the table (by default one row: count, total length and cost, the largest); "
        "--json always lists them.",
    ),
    rasters: Optional[Path] = typer.Option(
        None,
        "--rasters",
        metavar="DIR",
        help="Also write the route's dem.tif, accumulation.tif and corridor.tif (5 % band) into DIR.",
    ),
    gap_pct: float = typer.Option(
        1.0,
        "--gap-pct",
        help="Certified optimality-gap tolerance, percent, for grids routed coarse-to-fine (> 100 M cells).",
    ),
) -> None:
    """The least-cost route FROM -> TO (through every --via), its profile numbers and passes."""
    from wakhan.cli.route_tables import print_summary  # lazy: rich tables and the route layer, per command
    from wakhan.plan import plan_route  # lazy: per command, keeps `wakhan --help` light
    from wakhan.route.files import write_route
    from wakhan.route.files.export import FORMATS, TEXT_FORMATS, route_text
    from wakhan.route.files.ogr import layer_files

    to_stdout = output is not None and str(output) == "-"
    if fmt is not None and not to_stdout and (output is None or FORMATS.get(output.suffix.lower()) != fmt):
        raise InputError(
            f"--format {fmt} applies only to -o - (stdout); a file's extension gives its format "
            f"(e.g. -o route.{fmt if fmt in TEXT_FORMATS else 'geojson'}), so drop --format or write -o -"
        )
    fmt = fmt or "geojson"
    if to_stdout:
        if fmt not in TEXT_FORMATS:
            raise InputError(f"--format {fmt!r} cannot go to stdout; use {', '.join(TEXT_FORMATS)}")
        if as_json:
            raise InputError("-o - and --json both write to stdout; choose one")
        if stdout_closed():
            raise typer.Exit(1)  # nobody reads the route (`>&-`): stop quietly, as on a closed pipe
    else:
        _check_output(output, tuple(FORMATS))
    if rasters is not None:
        check_writable(rasters, folder=True, option="--rasters")  # before -o is written, before the route is solved
    options = plan_options(
        model=model,
        terrain_factor=terrain_factor,
        altitude_term=altitude_term,
        cross_water=cross_water,
        max_grade_pct=max_grade,
        design_grade_pct=design_grade,
        earthworks_weight=earthworks,
        floodplain_weight=floodplain,
        neighbours=neighbours,
        within=within,
        avoid=avoid,
        dem=dem,
        resolution_m=resolution,
        buffer_km=buffer_km,
        tunnels=tunnels,
        max_tunnel_km=max_tunnel_km,
        max_elevation_m=max_elevation,
        roads=roads,
        structures=structures,
        gap_pct=gap_pct,
    )
    ref_line = _read_reference(reference, [start, end])
    with progress_bar(True) as tell:
        result = plan_route([start, *via, end], options, progress=tell)
    if ref_line is not None and reference is not None:
        result = _with_reference(result, ref_line, reference)
    files = []
    if to_stdout:
        sys.stdout.write(route_text(result, fmt))
        output = None
    written = []
    if rasters is not None:  # before -o: a raster that cannot be written leaves no route file behind
        from wakhan.plan.rasters import write_route_rasters  # lazy: per command, keeps `wakhan --help` light

        written = list(write_route_rasters(result, rasters).values())  # all three or none
    if output is not None:
        try:
            write_route(output, result)
        except BaseException:  # nor a route file that cannot be written the rasters: all of the output or none
            for path in written:
                path.unlink(missing_ok=True)
            raise
        files = layer_files(output, result) if FORMATS[output.suffix.lower()] == "ogr" else [output]
    if to_stdout:
        return
    if as_json:  # the route's summary, as `route.summary.to_dict()`; the files are named on stderr either way
        typer.echo(_json(result.summary.to_dict()))
    else:
        print_summary(result.summary, bridges=bridges)
    if files:  # a .shp or .fgb route is a file per layer: name them all, the first the route line
        say_wrote(f"{files[0]}" + (f" (+ {', '.join(f.name for f in files[1:])})" if files[1:] else ""))
    for path in written:
        say_wrote(str(path))


def _read_reference(reference: Optional[Path], ends: list[str]):
    """The ``--reference`` line, read and checked against the route's two ends before any routing."""
    if reference is None:
        return None
    from wakhan.plan.plan import resolve_waypoints
    from wakhan.route.deviation import check_reference_lonlat, read_reference  # lazy: shapely/pyogrio

    line = read_reference(reference)
    a, b = resolve_waypoints(ends)
    check_reference_lonlat(line, (a.lon, a.lat), (b.lon, b.lat), str(reference))
    return line


def _with_reference(result, line, reference: Path):
    """``result`` with the summary's ``reference`` field (its deviation from the reference line)."""
    from dataclasses import replace

    fields = result.compare_to(line, name=str(reference))
    return replace(result, summary=replace(result.summary, reference=fields))


def _shade(specs: list[str]) -> list[tuple[float, float, str]]:
    out = []
    for spec in specs:
        parts = spec.split(":", 2)
        try:
            a, b = float(parts[0]), float(parts[1])
        except (ValueError, IndexError):
            raise InputError(f"--shade {spec!r} is not START_KM:END_KM[:LABEL], e.g. 120:310:no settlement") from None
        out.append((a, b, parts[2] if len(parts) > 2 else ""))
    return out


@app.command("profile")
def profile_command(
    route: Path = typer.Argument(
        ..., metavar="ROUTE", help="Route file from `wakhan route -o` (.geojson/.gpkg/.gpx/.csv/...)."
    ),
    output: Path = typer.Option(..., "-o", "--output", help="Figure to write (.png, .pdf or .svg)."),
    shade: list[str] = typer.Option([], "--shade", help="Shade START_KM:END_KM[:LABEL] (repeatable)."),
    width: float = typer.Option(7.0, "--width", min=1.0, max=100.0, help="Figure width in inches (3.5 = one column)."),
    title: Optional[str] = typer.Option(None, "--title", help="Title; default the route's name."),
    as_json: bool = typer.Option(False, "--json", help="Print what was drawn (the route's numbers, data) as JSON."),
) -> None:
    """Draw the elevation profile of a route file: distance vs elevation, 4,000 m line, passes, places."""
    from wakhan.figures import plot_profile  # lazy: per command, keeps `wakhan --help` light
    from wakhan.route.files import read_route

    _check_output(output, (".png", ".pdf", ".svg"))
    shaded = _shade(shade)
    result = read_route(route)
    plot_profile(result, output, shade=shaded, width_in=width, title=title)
    if as_json:
        record = route_record(result)
        emit_json(
            {
                "command": "profile",
                "inputs": {"route": route, "shade": [list(s) for s in shaded], "width_in": width},
                "written": [{"path": output, "format": output.suffix.lstrip(".").lower(), "route": record}],
                "data_sources": record["data_sources"],
            }
        )
        return
    say_wrote(str(output))


@app.command("map")
def map_command(
    routes: list[Path] = typer.Argument(..., metavar="ROUTE...", help="One or more route files."),
    output: Path = typer.Option(..., "-o", "--output", help="Figure to write (.png, .pdf or .svg)."),
    width: float = typer.Option(7.0, "--width", min=1.0, max=100.0, help="Figure width in inches."),
    pad_km: float = typer.Option(40.0, "--pad-km", help="Margin around the routes, km (0 or more)."),
    title: Optional[str] = typer.Option(None, "--title", help="Title."),
    as_json: bool = typer.Option(False, "--json", help="Print what was drawn (routes, terrain source) as JSON."),
) -> None:
    """Draw a hillshaded map of route files with country borders and named places (terrain from the pack)."""
    from wakhan.figures import plot_map  # lazy: per command, keeps `wakhan --help` light
    from wakhan.route.files import read_route

    _check_output(output, (".png", ".pdf", ".svg"))
    results = [read_route(r) for r in routes]
    plot_map(results, output, width_in=width, pad_km=pad_km, title=title)
    if as_json:
        from wakhan.sources import pack  # lazy: per command, keeps `wakhan --help` light

        records = [route_record(r) for r in results]
        terrain = source_records([pack.source_of(f) for f in ("gebco_2023_15s.tif", "globe_30s.tif")])  # hillshade
        emit_json(
            {
                "command": "map",
                "inputs": {"routes": routes, "width_in": width, "pad_km": pad_km},
                "written": [{"path": output, "format": output.suffix.lstrip(".").lower(), "routes": records}],
                "data_sources": {"terrain": terrain, "routes": [r["data_sources"] for r in records]},
            }
        )
        return
    say_wrote(str(output))


@app.command("compare")
def compare_command(
    start: Optional[str] = typer.Argument(None, metavar="[FROM]", help="Start (default: the case study's, Kashgar)."),
    end: Optional[str] = typer.Argument(None, metavar="[TO]", help="End (default: the case study's, Kabul)."),
    model: Model = "highway",
    terrain_factor: TerrainFactor = None,
    altitude_term: AltitudeTerm = False,
    cross_water: CrossWater = False,
    max_grade: MaxGrade = None,
    design_grade: DesignGrade = None,
    earthworks: Earthworks = None,
    tunnels: Tunnels = False,
    max_tunnel_km: MaxTunnelKm = None,
    max_elevation: MaxElevation = None,
    roads: Roads = None,
    closure_months: ClosureMonths = 1.0,
    reference: Reference = None,
    neighbours: Neighbours = DEFAULT_NEIGHBOURS,
    dem: Dem = "pack",
    resolution: Resolution = None,
    output_dir: Optional[Path] = typer.Option(
        None,
        "-o",
        "--output-dir",
        help="Folder (created if needed) for each route's GeoJSON "
        "(route_<id>.geojson, as `wakhan claims -o`) and map.png.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the routes' summaries as JSON on stdout."),
) -> None:
    """The Wakhan route (CN+AF via Wakhjir) beside the Karakoram Highway direction (via Khunjerab) and the
    unconstrained optimum, on one DEM, in one table; existing highways are priced as upgrades, the Salang
    tunnel is used, and the highway model adds the Wakhan route's all-season variant."""
    from wakhan.claims.all_season import ALL_SEASON_SUFFIX, all_season_route
    from wakhan.claims.case_study import (  # lazy: claims imports the solver
        END,
        EXISTING_ROAD,
        HIGHWAY_VARIANTS,
        START,
        WAKHAN_HIGHWAY,
        existing_infrastructure,
    )
    from wakhan.claims.kept_open import open_sections_of
    from wakhan.cli.route_tables import print_comparison  # lazy: per command, keeps `wakhan --help` light
    from wakhan.plan.compare import compare_routes, comparison_rows
    from wakhan.route.files import write_route

    if output_dir is not None:
        from wakhan.report import check_output_dir  # lazy: per command, keeps `wakhan --help` light

        check_output_dir(output_dir)
    infrastructure = existing_infrastructure(roads)
    options = plan_options(
        model=model,
        terrain_factor=terrain_factor,
        altitude_term=altitude_term,
        cross_water=cross_water,
        max_grade_pct=max_grade,
        design_grade_pct=design_grade,
        earthworks_weight=earthworks,
        neighbours=neighbours,
        dem=dem,
        resolution_m=resolution,
        tunnels=tunnels,
        max_tunnel_km=max_tunnel_km,
        max_elevation_m=max_elevation,
        **infrastructure,
    )
    open_sections = open_sections_of(infrastructure["roads"])  # the user's roads' too: a bad one refused now
    ref_line = _read_reference(reference, [start or START, end or END])
    with progress_bar(True) as tell:
        routes = compare_routes(start or START, end or END, HIGHWAY_VARIANTS, options, progress=tell)
    keys = [v.key for v in HIGHWAY_VARIANTS]
    if model == "highway" and WAKHAN_HIGHWAY in keys:
        keys.append(WAKHAN_HIGHWAY + ALL_SEASON_SUFFIX)
        base = EXISTING_ROAD if EXISTING_ROAD in keys else WAKHAN_HIGHWAY  # through the Salang tunnel
        routes.append(
            all_season_route(routes[keys.index(base)], base, closure_months=closure_months, open_sections=open_sections)
        )
    if ref_line is not None:
        routes = [_with_reference(r, ref_line, reference) for r in routes]  # type: ignore[arg-type]
    names = []
    if output_dir is not None:
        from wakhan.figures import plot_map  # lazy: per command, keeps `wakhan --help` light
        from wakhan.fileio import staged_files  # lazy: per command, keeps `wakhan --help` light
        from wakhan.report.write import route_file_stem  # lazy: per command, keeps `wakhan --help` light

        with staged_files(output_dir, folder=True) as tmp:  # every file or none
            for key, r in zip(keys, routes):
                names.append(f"{route_file_stem(key)}.geojson")
                write_route(tmp / names[-1], r)
            plot_map(routes, tmp / "map.png")
    if as_json:
        typer.echo(_json({"routes": [r.summary.to_dict() for r in routes], "table": comparison_rows(routes)}))
        return
    print_comparison(routes)
    if model == "highway" and not tunnels:  # one route, one answer: say where the options differ from the claims'
        typer.echo(
            "note: `wakhan claims` solves these routes with new tunnels allowed where they are cheaper; "
            "add --tunnels for its exact options"
        )
    if output_dir is not None:
        say_wrote(f"{', '.join(names)} and map.png into {output_dir}")
