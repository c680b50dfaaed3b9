"""What a command wrote: "wrote X" lines on stderr, and the ``--json`` record of the files on stdout.

Standard output carries data (a table, JSON, a route with ``-o -``); messages
about files written go to standard error, so that ``wakhan accumulate ... --json
| jq`` and ``wakhan route ... > table.txt`` get only the data. Every ``--json``
record names the files written with their numbers and the data sources they
come from (:func:`emit_json`). A command whose data has nowhere to go (standard output
closed) stops quietly (:func:`stdout_closed`).
"""

from __future__ import annotations

import json
import os
import sys

import numpy as np
import typer

from wakhan.dem.project import crs_text
from wakhan.plain_json import json_safe
from wakhan.route.absent import or_none

__all__ = ["say_wrote", "emit_json", "stdout_closed", "raster_record", "source_records", "route_record"]


def say_wrote(text: str) -> None:
    """Print ``wrote <text>`` on standard error."""
    typer.echo(f"wrote {text}", err=True)


def emit_json(doc: dict) -> None:
    """Print ``doc`` as JSON on standard output (NaN and infinities as null, paths as text)."""
    typer.echo(json.dumps(json_safe(doc), ensure_ascii=False, indent=2, allow_nan=False, default=str))


def stdout_closed() -> bool:
    """True when standard output is closed (``wakhan ... -o - >&-``): there is nowhere to write."""
    out = sys.stdout
    if out is None:
        return True
    try:
        os.fstat(out.fileno())
    except (OSError, ValueError, AttributeError):
        # not a real file (pytest's capture, io.StringIO): open unless it says it is closed
        return bool(getattr(out, "closed", False))
    return False


def source_records(sources) -> list[dict]:
    """Data sources (:class:`wakhan.grid.DataSource`, or their dicts) as JSON-ready dicts.

    Examples
    --------
    >>> from wakhan.grid import DataSource
    >>> source_records([DataSource("GEBCO_2023", '15"', "public domain"), {"name": "x"}])
    [{'name': 'GEBCO_2023', 'resolution': '15"', 'licence': 'public domain'}, {'name': 'x'}]
    """
    out = []
    for s in sources or ():
        if isinstance(s, dict):
            out.append(dict(s))
        else:
            out.append({k: v for k, v in (s.as_dict() if hasattr(s, "as_dict") else vars(s)).items() if v})
    return out


def raster_record(grid, path, units: str) -> dict:
    """A written GeoTIFF's numbers: path, size, cell size, CRS, transform, bounds, value range, nodata cells.

    Parameters
    ----------
    grid : Grid
        The grid written.
    path : path
    units : str
        The values' unit ("m", "s", "%").

    Returns
    -------
    dict

    Examples
    --------
    >>> from affine import Affine
    >>> from wakhan.grid import Grid
    >>> g = Grid(np.array([[1.0, np.nan]], np.float32), Affine(100.0, 0, 0, 0, -100.0, 0), "EPSG:32643")
    >>> r = raster_record(g, "a.tif", "m")
    >>> r["width"], r["height"], r["min"], r["max"], r["nodata_cells"], r["crs"]
    (2, 1, 1.0, 1.0, 1, 'EPSG:32643')
    """
    valid = np.isfinite(grid.array)
    return {
        "path": str(path),
        "format": "GeoTIFF",
        "width": grid.width,
        "height": grid.height,
        "resolution": grid.describe_resolution(),
        "cell_size": [abs(float(grid.transform.a)), abs(float(grid.transform.e))],
        "crs": crs_text(grid.crs),
        "transform": [float(v) for v in list(grid.transform)[:6]],
        "bounds": [float(v) for v in grid.bounds],
        "units": units,
        "min": float(np.nanmin(grid.array)) if valid.any() else None,
        "max": float(np.nanmax(grid.array)) if valid.any() else None,
        "nodata_cells": int((~valid).sum()),
        "notes": list(grid.notes),
    }


def file_records(paths) -> list[dict]:
    """The ``--json`` record of files written whole (a report, a sweep's outputs): path, format, bytes.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "sweep.json"
    >>> _ = f.write_text("{}")
    >>> [(r["format"], r["bytes"]) for r in file_records([f])]
    [('json', 2)]
    """
    return [{"path": str(f), "format": f.suffix.lstrip(".").lower(), "bytes": f.stat().st_size} for f in paths]


def route_record(route) -> dict:
    """A route's name, headline numbers and data sources, for the ``--json`` of the figure commands.

    Examples
    --------
    >>> from wakhan.route import RouteResult, build_summary, profile_from_lonlat
    >>> p = profile_from_lonlat([71.0, 71.05], [37.0, 37.0], [3000.0, 3400.0])
    >>> route_record(RouteResult(build_summary(p, "r", places=None, country_at=None), p))["max_elevation_m"]
    3400.0
    """
    s = route.summary
    t, prov = s.terrain, s.provenance
    return {
        "name": or_none(s.name),
        "length_km": or_none(t.length_km),
        "min_elevation_m": or_none(t.min_elevation_m),
        "mean_elevation_m": or_none(t.mean_elevation_m),
        "max_elevation_m": or_none(t.max_elevation_m),
        "km_above_4000m": or_none(t.km_above_4000m),
        "data_sources": or_none(prov.data_sources) or [],
        "grid": or_none(prov.grid),
    }
