"""Looking at data: ``wakhan elevation``, ``wakhan dem info``, ``wakhan pack info``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import numpy as np
import typer
from rasterio.warp import transform_bounds

from wakhan.cli.app import app, dem_app
from wakhan.cli.options import Dem, dem_source
from wakhan.dem.project import crs_text
from wakhan.errors import DataError, InputError

pack_app = typer.Typer(help="The bundled offline region pack: contents and attribution.", no_args_is_help=True)
app.add_typer(pack_app, name="pack")


def _parse_point(lat: str, lon: Optional[str]) -> tuple[float, float]:
    from wakhan.places import parse_latlon  # lazy: per command, keeps `wakhan --help` light

    text = lat if lon is None else f"{lat} {lon}"
    parts = [p for p in text.replace(",", " ").split() if p]
    try:
        la, lo = (float(p) for p in parts)
    except ValueError:
        parsed = parse_latlon(text)  # with hemisphere letters, as wakhan prints points: 37.775N 75.227E
        if parsed is None:
            raise InputError(
                f"point {text!r} is not LAT LON in degrees; write e.g. `wakhan elevation 37.1 74.5` "
                "or `wakhan elevation 37.1,74.5`"
            ) from None
        la, lo = parsed
    return la, lo


@app.command("elevation")
def elevation(
    lat: str = typer.Argument(
        ..., help="Latitude in degrees (or 'LAT,LON'; 37.1N 74.5E and degrees-minutes-seconds also work)."
    ),
    lon: Optional[str] = typer.Argument(None, help="Longitude in degrees."),
    dem: Dem = "pack",
    tiles_dir: Optional[Path] = typer.Option(None, "--tiles-dir", help="SRTM tile cache (default: $WAKHAN_CACHE)."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", hidden=True, help="Old name of --tiles-dir."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Print the elevation at a point in metres and the dataset it came from."""
    from wakhan.dem import elevation_at  # lazy: per command, keeps `wakhan --help` light
    from wakhan.dem.layers import fmt_lat, fmt_lon

    source_given = dem_source(dem, tiles_dir or cache_dir)
    la, lo = _parse_point(lat, lon)
    value, source = elevation_at(lo, la, source=source_given, tiles_dir=tiles_dir or cache_dir)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "lat": la,
                    "lon": lo,
                    "elevation_m": round(value, 1),
                    "source": source.as_dict(),
                    "method": "bilinear on the source's native grid",
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    typer.echo(
        f"{value:.0f} m at {fmt_lat(la, 5)}, {fmt_lon(lo, 5)}  ({source.describe()}; bilinear on its native grid)"
    )
    if dem == "pack":
        typer.echo("source: the bundled region pack (no SRTM tiles given; --dem tiles uses them)")


@dem_app.command("info")
def dem_info(
    path: Path = typer.Argument(..., help="Elevation raster: GeoTIFF, .hgt, .hgt.zip or .hgt.gz."),
    as_json: bool = typer.Option(False, "--json", help="Print the facts as JSON."),
) -> None:
    """Print a raster's size, bounds, resolution, CRS, nodata, share of void cells and the data it holds."""
    from wakhan.dem import read_raster  # lazy: per command, keeps `wakhan --help` light
    from wakhan.dem.layers import fmt_lat, fmt_lon
    from wakhan.dem.voids import count_voids

    grid = read_raster(path)
    n_void, share = count_voids(grid)
    left, bottom, right, top = grid.bounds
    if as_json:
        typer.echo(json.dumps(_dem_facts(path, grid, n_void, share), ensure_ascii=False, indent=2))
        return
    typer.echo(f"file:       {path}")
    typer.echo(f"size:       {grid.width} x {grid.height} cells ({grid.array.dtype})")
    typer.echo(f"bounds:     left {left:.6f}, bottom {bottom:.6f}, right {right:.6f}, top {top:.6f} (outer edges)")
    if not grid.is_geographic:
        w, s, e, n = transform_bounds(grid.crs, "EPSG:4326", left, bottom, right, top, densify_pts=21)
        typer.echo(f"lon/lat:    {fmt_lon(w)}..{fmt_lon(e)}, {fmt_lat(s)}..{fmt_lat(n)}")
    typer.echo(f"resolution: {grid.describe_resolution()}")
    typer.echo(f"CRS:        {crs_text(grid.crs)}")
    typer.echo(f"nodata:     {grid.nodata if grid.nodata is not None else 'NaN / none'}")
    typer.echo(f"voids:      {n_void:,} cells ({share * 100:.2f} %)")
    valid = grid.as_float().array
    if n_void < grid.array.size:
        typer.echo(f"heights:    {np.nanmin(valid):.0f} .. {np.nanmax(valid):.0f} m")
    # the datasets the heights come from (a wakhan GeoTIFF names them; an SRTM tile or other raster is itself)
    typer.echo(f"data:       {'; '.join(src.describe() for src in grid.sources)}")


def _dem_facts(path: Path, grid, n_void: int, share: float) -> dict:

    left, bottom, right, top = grid.bounds
    valid = grid.as_float().array
    facts = {
        "file": path.name,
        "width": grid.width,
        "height": grid.height,
        "dtype": str(grid.array.dtype),
        "bounds": [left, bottom, right, top],
        "transform": list(grid.transform)[:6],
        "resolution": grid.describe_resolution(),
        "res": list(grid.res),
        "crs": crs_text(grid.crs),
        "nodata": grid.nodata,
        "void_cells": int(n_void),
        "void_share": float(share),
        "min_m": float(np.nanmin(valid)) if n_void < grid.array.size else None,
        "max_m": float(np.nanmax(valid)) if n_void < grid.array.size else None,
        "data_sources": [src.as_dict() for src in grid.sources],
    }
    if not grid.is_geographic:
        facts["bounds_lonlat"] = list(transform_bounds(grid.crs, "EPSG:4326", left, bottom, right, top, densify_pts=21))
    return facts


@pack_app.command("info")
def pack_info(
    as_json: bool = typer.Option(False, "--json", help="Print the manifest, checks and attribution as JSON."),
) -> None:
    """Print where the region pack is, what it holds and whom to credit."""
    from wakhan.sources import pack  # lazy: per command, keeps `wakhan --help` light

    m = pack.manifest()
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "region_bounds": list(pack.region_bounds()),
                    "manifest": m,
                    "checksum_mismatches": pack.verify(),
                    "attribution": [s.as_dict() for s in pack.attribution()],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    w, s, e, n = pack.region_bounds()
    typer.echo(f"region pack: {pack.pack_dir()}")
    typer.echo(f"covers {s}-{n}N, {w}-{e}E; elevation priority: {', '.join(m.get('priority', []))}")
    for name, entry in m.get("files", {}).items():
        b = entry.get("bounds", [])
        extent = f"{b[1]:.4f}-{b[3]:.4f}N, {b[0]:.4f}-{b[2]:.4f}E" if len(b) == 4 else "?"
        typer.echo(f"\n{name}  ({entry.get('pack_bytes', 0) / 1e6:.2f} MB)")
        typer.echo(f"  {entry['name']}, {entry['resolution']}, {entry['licence']}")
        typer.echo(f"  from PyPI {entry['source_package']}=={entry['source_version']}: {entry['source_file']}")
        typer.echo(f"  source sha256 {entry['source_sha256']}")
        typer.echo(f"  extent {extent}")
        typer.echo(f"  {entry.get('notes', '')}")
    bad = pack.verify()
    typer.echo("\nchecksums: " + ("all files match the manifest" if not bad else f"MISMATCH in {', '.join(bad)}"))
    typer.echo("\nAttribution:")
    for src in pack.attribution():
        typer.echo(f"  {src.describe()}")
    if bad:
        raise DataError(
            f"region pack files {', '.join(bad)} in {pack.pack_dir()} do not match their manifest "
            "checksums (damaged or edited); reinstall wakhan or restore the pack"
        )
