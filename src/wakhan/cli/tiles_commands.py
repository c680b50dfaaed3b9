"""``wakhan tiles fetch`` and ``wakhan tiles list``: SRTM tiles in the local cache."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Optional

import typer

from wakhan.cli.app import tiles_app

_BBOX_HELP = "Bounding box WEST SOUTH EAST NORTH in degrees (e.g. 71 36.5 75.5 37.5)."
_SOURCE_HELP = (
    "Tile source: a name from `wakhan tiles list` (default: $WAKHAN_TILE_SOURCE or skadi) "
    "or a URL template such as 'https://host/path/{name}.hgt.gz'."
)
_CACHE_HELP = "SRTM tile cache folder (default: $WAKHAN_CACHE or the user's cache folder)."
_OLD_HELP = "Old name of --tiles-dir."


@tiles_app.command("fetch")
def fetch(
    bbox: tuple[float, float, float, float] = typer.Option(..., "--bbox", help=_BBOX_HELP),
    source: Optional[str] = typer.Option(None, "--source", help=_SOURCE_HELP),
    tiles_dir: Optional[Path] = typer.Option(None, "--tiles-dir", help=_CACHE_HELP),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", hidden=True, help=_OLD_HELP),
    offline: bool = typer.Option(False, "--offline", help="Only check the cache; download nothing."),
    retry_missing: bool = typer.Option(
        False, "--retry-missing", help="Ask the server again for tiles it reported missing before."
    ),
    retries: int = typer.Option(3, "--retries", min=0, help="Retries per tile after a failed download."),
    timeout_s: float = typer.Option(
        60.0, "--timeout", min=0.1, help="Seconds to wait for the server to answer or send more data, per read."
    ),
    deadline_s: float = typer.Option(
        600.0,
        "--deadline",
        min=0.1,
        help="Seconds one tile may take in all (every attempt and wait), however the server trickles it.",
    ),
    as_json: bool = typer.Option(
        False, "--json", help="Print the tiles (status, path, size) and their source as JSON."
    ),
) -> None:
    """Download the SRTM tiles covering a bounding box into the cache (cached tiles are kept)."""
    from wakhan.sources import download  # lazy: per command, keeps `wakhan --help` light

    cache_dir = tiles_dir or cache_dir
    result = download.fetch_tiles(
        bbox,
        source,
        cache_dir,
        offline=offline,
        retry_missing=retry_missing,
        retries=retries,
        timeout_s=timeout_s,
        deadline_s=deadline_s,
    )
    if as_json:
        from wakhan.cli.written import emit_json  # lazy: per command, keeps `wakhan --help` light

        emit_json(_fetch_record(bbox, result, download.cache_root(cache_dir), download.srtm.tiles_for_bbox(*bbox)))
        return
    for name in download.srtm.tiles_for_bbox(*bbox):
        if name in result.downloaded:
            typer.echo(f"{name}  downloaded  {result.paths[name]}")
        elif name in result.cached:
            typer.echo(f"{name}  cached      {result.paths[name]}")
        elif name in result.missing:
            typer.echo(f"{name}  missing     (the source has no such tile: ocean or outside its coverage)")
    typer.echo(
        f"{len(result.paths)} tile(s) at hand ({len(result.downloaded)} downloaded, "
        f"{len(result.cached)} already cached), {len(result.missing)} missing at the source; "
        f"cache {download.cache_root(cache_dir)}"
    )


def _fetch_record(bbox, result, cache, names) -> dict:
    """The ``tiles fetch --json`` record: each tile's status and file, the source with its resolution and licence."""
    tiles = []
    for name in names:
        status = (
            "downloaded"
            if name in result.downloaded
            else "cached"
            if name in result.cached
            else "missing"
            if name in result.missing
            else "absent"
        )
        path = result.paths.get(name)
        tiles.append(
            {"name": name, "status": status, "path": path, "bytes": path.stat().st_size if path is not None else None}
        )
    src = result.source
    return {
        "command": "tiles fetch",
        "inputs": {"bbox": list(bbox)},
        "written": [t for t in tiles if t["status"] == "downloaded"],
        "tiles": tiles,
        "counts": {k: sum(t["status"] == k for t in tiles) for k in ("downloaded", "cached", "missing", "absent")},
        "cache": cache,
        "data_sources": [
            {
                "name": src.name,
                "description": src.description,
                "url_template": src.url_template,
                "resolution": src.resolution,
                "licence": src.licence,
            }
        ],
    }


@tiles_app.command("list")
def list_tiles(
    tiles_dir: Optional[Path] = typer.Option(None, "--tiles-dir", help=_CACHE_HELP),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", hidden=True, help=_OLD_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print sources, cached tiles and known-missing tiles as JSON."),
    strict: bool = typer.Option(
        False, "--strict", help="Exit with status 1 when a cached tile is truncated or corrupt (default: 0)."
    ),
) -> None:
    """Show the tile sources and the tiles in the cache, each checked as a route would read it.

    A truncated or corrupt tile (a raw .hgt of the wrong size, a cut .hgt.gz/.zip or GeoTIFF) is
    marked BAD with the reason and the commands that replace it; a route over it would fail. The
    listing itself succeeds, so the exit status is 0 unless --strict is given: then 1 when any
    tile is bad. Compressed tiles and GeoTIFFs are read in full to check them (about 0.1 s each).
    """

    from wakhan.sources import download  # lazy: per command, keeps `wakhan --help` light

    cache_dir = tiles_dir or cache_dir
    default = os.environ.get(download.ENV_SOURCE) or download.DEFAULT_SOURCE
    tiles = download.cached_tiles(cache_dir)
    problems = {p: download.srtm.tile_problem(p) for paths in tiles.values() for p in paths}
    bad = {p: e for p, e in problems.items() if e is not None}
    if as_json:
        doc = {
            "default_source": default,
            "sources": {
                name: {
                    "url_template": src.url_template,
                    "description": src.description,
                    "resolution": src.resolution,
                    "licence": src.licence,
                }
                for name, src in download.SOURCES.items()
            },
            "cache": str(download.cache_root(cache_dir)),
            "tiles": {
                str(folder): [_tile_record(p, bad.get(p), cache_dir) for p in paths] for folder, paths in tiles.items()
            },
            "bad_tiles": len(bad),
            "known_missing": sorted(download.missing_tiles(cache_dir)),
        }
        typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        _exit_if_bad(bad, strict)
        return
    typer.echo("Sources:")
    for name, src in download.SOURCES.items():
        mark = " (default)" if name == default else ""
        typer.echo(f"  {name}{mark}: {src.url_template}")
        typer.echo(f"      {src.description}; {src.resolution}; {src.licence}")
    if default not in download.SOURCES:
        typer.echo(f"  custom (default, from ${download.ENV_SOURCE}): {default}")
    typer.echo(
        "  any URL template: --source 'https://host/path/{name}.hgt.gz' "
        "(fields {name}, {name_lower}, {lat_band}, {lon_band})"
    )
    root = download.cache_root(cache_dir)
    typer.echo(f"Cache: {root}")
    if not tiles:
        typer.echo("  no tiles cached yet; fetch some with: wakhan tiles fetch --bbox W S E N")
    for folder, paths in tiles.items():
        size_mb = sum(p.stat().st_size for p in paths) / 1e6
        n_bad = sum(p in bad for p in paths)
        typer.echo(f"  {folder}: {len(paths)} tile(s), {size_mb:.1f} MB" + (f", {n_bad} BAD" if n_bad else ""))
        for p in paths:
            line = f"    {p.name}  {p.stat().st_size / 1e6:.1f} MB"
            if p in bad:
                line += f"  BAD: {bad[p].reason}; replace it: {download.refetch_command(p, cache_dir)}"
            typer.echo(line)
    missing = download.missing_tiles(cache_dir)
    if missing:
        typer.echo(
            f"Known missing at the source (not fetched again; --retry-missing overrides): {', '.join(sorted(missing))}"
        )
    if bad:
        typer.echo(
            f"{len(bad)} cached tile(s) BAD (truncated or corrupt): a route over them fails until each is "
            "deleted and fetched again (commands above)"
        )
    _exit_if_bad(bad, strict)


def _tile_record(path: Path, problem, cache_dir) -> dict:
    """A cached tile in ``tiles list --json``: name, size, and whether it reads (the reason and fix if not)."""
    from wakhan.sources import download  # lazy: per command, keeps `wakhan --help` light

    record = {"name": path.name, "bytes": path.stat().st_size, "ok": problem is None}
    if problem is not None:
        record |= {"problem": problem.reason, "fix": download.refetch_command(path, cache_dir)}
    return record


def _exit_if_bad(bad: dict, strict: bool) -> None:
    """``--strict``: exit 1 when a cached tile is bad (the listing, already printed, says which)."""
    if strict and bad:
        raise typer.Exit(1)
