"""What a claims report states besides its prose: the claims.json document, the parameters, how to cite it."""

from __future__ import annotations

import datetime as _dt
import shlex

from wakhan import __version__
from wakhan.claims.depopulated import BUFFERS_KM, HEADLINE_BUFFER_KM
from wakhan.claims.evaluate import ClaimsResult
from wakhan.claims.highway_measures import DESIGN_GRADES_PCT
from wakhan.plain_json import json_safe
from wakhan.report.citations import ARTICLE
from wakhan.route.summary import RouteSummary
from wakhan.sweep.outputs import uncertainty_json

__all__ = ["claims_json", "parameters", "how_to_cite", "public_command"]


def claims_json(result: ClaimsResult) -> dict:
    """The ``wakhan claims --json`` document."""
    routes = []
    for key, r in result.routes.items():
        routes.append({"id": key, **r.summary.to_dict()})
    doc = json_safe(
        {
            "claims": [c.as_dict() for c in result.claims],
            "routes": routes,
            "definitions": result.definitions,
            "data_sources": result.data_sources,
            "infiltration": result.infiltration,
            "generated": {"tool": f"wakhan {__version__}", "date": _dt.date.today().isoformat()},
            "article": ARTICLE,
        }
    )
    if getattr(result, "uncertainty", None):
        uncertainty_json(doc, result.uncertainty)
    return doc


def public_command(command: str) -> str:
    """``command`` without its output folder (a local path is no part of a citable report)."""
    try:
        words = shlex.split(command)
    except ValueError:
        return command
    out, skip = [], False
    for w in words:
        if skip:
            skip = False
            continue
        if w in ("-o", "--output-dir", "--output"):
            skip = True
            continue
        if w.startswith(("--output-dir=", "--output=")) or (w.startswith("-o") and len(w) > 2):
            continue
        out.append(w)
    return " ".join(shlex.quote(w) for w in out)


def _is_settlement_source(data_source: dict, settlements: list) -> bool:
    """Whether a dataset is one of the settlement sources (named as their sources, or a prefix of it).

    >>> _is_settlement_source({"name": "GeoNames cities500"}, [{"name": "GeoNames cities500 (v3)"}])
    True
    >>> _is_settlement_source({"name": "NOAA GLOBE"}, [{"name": "GeoNames cities500 (v3)"}])
    False
    """
    return any(str(s.get("name", "")).startswith(data_source["name"]) for s in settlements)


def parameters(result: ClaimsResult) -> list[tuple[str, str]]:
    """The analysis parameters a reader needs to reproduce the report, as (name, value) rows.

    The elevation row names the elevation data only: not the borders (their own row) nor a
    settlement source (GHS-WUP, GeoNames: the settlement row), whatever the sources' names.
    """
    first = next(iter(result.routes.values()), None)
    s = first.summary if first is not None else RouteSummary()
    grid = (s.provenance.grid or {}).get("resolution", "-")
    sets = result.settlements or []

    def borders(d: dict) -> bool:
        return "countries" in d["name"].lower()

    def named(d: dict) -> str:
        return f"{d['name']} {d.get('resolution', '')}".strip()

    return [
        (
            "elevation",
            "; ".join(
                named(d)
                for d in result.data_sources
                if not borders(d) and "ghs" not in d["name"].lower() and not _is_settlement_source(d, sets)
            ),
        ),
        ("borders", "; ".join(named(d) for d in result.data_sources if borders(d)) or "-"),
        ("solver grid", f"{grid}, {(s.search.neighbours if s.search else None) or '-'}-neighbour moves"),
        (
            "highway model",
            "its parameters are listed below the table" if result.definitions.get("highway_model") else "-",
        ),
        (
            "walking model",
            "its parameters are listed below the table" if result.definitions.get("walking_model") else "-",
        ),
        ("settlement sources", _settlement_sources(result.settlements)),
        (
            "depopulated-stretch buffers",
            f"{', '.join(f'{b:g}' for b in BUFFERS_KM)} km (headline {HEADLINE_BUFFER_KM:g} km)",
        ),
        ("design grades", f"{', '.join(f'{g:g}' for g in DESIGN_GRADES_PCT)} %"),
    ]


def how_to_cite(result: ClaimsResult, command: str) -> str:
    """The "how to cite this report" line: tool, version, command, data, parameters, date.

    The data are the routes' (elevation, borders) with their resolution, then the settlement
    sources, each once (their union, the headline source, is said in words).
    """
    today = _dt.date.today()
    first = next(iter(result.routes.values()), None)
    provenance = first.summary.provenance if first is not None else None
    grid = ((provenance.grid if provenance is not None else None) or {}).get("resolution", "")
    data = [
        f"{d['name']} {d.get('resolution', '')}".strip()
        for d in ((provenance.data_sources if provenance is not None else None) or [])
    ]
    names = [x["name"] for x in result.settlements]
    if len(names) > 2 and names[-1] == " + ".join(names[:-1]):
        names = [*names[:-1], "all together"]
    return (
        f"The Wakhan Corridor claims, tested with data. Generated with wakhan {__version__} "
        f"(`{public_command(command)}`; data {', '.join(data)}; settlements {', '.join(names)}; "
        f"solver grid {grid}; buffers {', '.join(f'{b:g}' for b in BUFFERS_KM)} km), {today.isoformat()}."
    )


def _settlement_sources(settlements) -> str:
    """The settlement sources for the parameters table: each by name, their union said in words.

    Examples
    --------
    >>> _settlement_sources([{"name": "A"}, {"name": "B"}, {"name": "A + B"}])
    'A; B; all together (the headline)'
    >>> _settlement_sources([{"name": "A"}])
    'A'
    """
    names = [x["name"] for x in settlements]
    if len(names) > 2 and names[-1] == " + ".join(names[:-1]):
        return "; ".join(names[:-1]) + "; all together (the headline)"
    return "; ".join(names)
