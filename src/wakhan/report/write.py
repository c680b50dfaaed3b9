"""The report's files written in place: a temporary folder beside the output folder, moved in when complete."""

from __future__ import annotations

import json
from pathlib import Path

from wakhan.claims.case_study import (
    DEFAULT_DEFINITION,
    EXISTING_ROAD,
    KARAKORAM_HIGHWAY,
    ON_FOOT,
    UNCONSTRAINED,
    WAKHAN_HIGHWAY,
)
from wakhan.claims.corridor import corridor_region
from wakhan.claims.depopulated import HEADLINE_BUFFER_KM
from wakhan.claims.evaluate import ClaimsResult
from wakhan.fileio import staged_files
from wakhan.report.document import claims_json
from wakhan.report.html import report_html
from wakhan.report.markdown import blindness_markdown, report_markdown, walking_realism_markdown
from wakhan.report.remoteness_section import remoteness_markdown
from wakhan.route.files.export import write_route
from wakhan.sweep.outputs import uncertainty_markdown, write_uncertainty_files
from wakhan.writable import check_writable

__all__ = ["ROUTE_FILES", "check_output_dir", "route_file_stem", "write_report"]

#: Route key -> file stem of its GeoJSON and profile figure.
ROUTE_FILES = {
    WAKHAN_HIGHWAY: "route_wakhan_highway",
    KARAKORAM_HIGHWAY: "route_karakoram_highway",
    EXISTING_ROAD: "route_existing_afghan_road",
    UNCONSTRAINED: "route_unconstrained",
    ON_FOOT: "route_on_foot_sarhad_to_china",
}


def route_file_stem(key: str) -> str:
    """The file stem of a route's GeoJSON and profile figure, the same in `wakhan claims -o` and `compare -o`.

    Parameters
    ----------
    key : str
        The route's key (``"wakhan-highway"``, ``"wakhan-highway-all-season"``...).

    Returns
    -------
    str
        From :data:`ROUTE_FILES`, else ``route_`` and the key with underscores for hyphens.

    Examples
    --------
    >>> route_file_stem("existing-road"), route_file_stem("wakhan-highway-all-season")
    ('route_existing_afghan_road', 'route_wakhan_highway_all_season')
    """
    return ROUTE_FILES.get(key, "route_" + key.replace("-", "_"))


#: The files `wakhan claims -o` / `wakhan compare -o` may replace in an existing folder (checked up front).
REPLACES = ("route_*", "report.*", "claims.json", "sweep.json", "*.png", "*.tif")


def check_output_dir(out_dir) -> Path:
    """``out_dir`` as a Path, or :class:`InputError` when the report cannot be written there.

    Call it before a long computation so that a bad ``-o`` fails at once
    (:func:`wakhan.writable.check_writable` with ``folder=True``).
    """
    return check_writable(out_dir, folder=True, option="-o", replaces=REPLACES)


def write_report(
    result: ClaimsResult,
    out_dir,
    *,
    command: str = "wakhan claims",
    figures: bool = True,
    written: list[Path] | None = None,
) -> Path:
    """Write report.md, report.html (self-contained), claims.json, one GeoJSON per route and the figures.

    Files are written into a temporary folder beside ``out_dir`` first and
    moved in at the end; an existing ``out_dir`` keeps its other files. ``written``,
    a list, receives the path of every file written (for ``wakhan claims --json``).
    """
    out_dir = check_output_dir(out_dir)
    with staged_files(out_dir, folder=True) as tmp:  # every file or none
        names = {}
        for key, route in result.routes.items():
            stem = route_file_stem(key)
            write_route(tmp / f"{stem}.geojson", route)
        if figures:
            names = _figures(result, tmp)
        (tmp / "claims.json").write_text(
            json.dumps(claims_json(result), indent=2, ensure_ascii=False, allow_nan=False), encoding="utf-8"
        )
        markdown = (
            report_markdown(result, names, command)
            + walking_realism_markdown(result.infiltration)
            + blindness_markdown(result.settlements)
            + remoteness_markdown(result.claim("depopulated").details.get("remoteness"))
        )
        if getattr(result, "uncertainty", None):
            markdown += uncertainty_markdown(
                result.uncertainty, write_uncertainty_files(result.uncertainty, tmp) if figures else {}
            )
        (tmp / "report.md").write_text(markdown, encoding="utf-8")
        (tmp / "report.html").write_text(report_html(markdown, tmp), encoding="utf-8")
        files = sorted(f.name for f in tmp.iterdir())
    if written is not None:
        written += [out_dir / name for name in files]
    return out_dir


def _figures(result: ClaimsResult, folder: Path) -> dict:
    """Profiles with the headline depopulated stretches shaded, and a map of all routes."""
    from wakhan.figures import plot_map, plot_profile  # lazy: matplotlib, only when figures are drawn

    c2 = result.claim("depopulated")
    head_source = c2.details["headline"]["source"]
    out = {}
    for key, route in result.routes.items():
        shade = [
            (r["start_km"], r["end_km"], f"no settlement within {r['buffer_km']:g} km")
            for r in c2.details["gaps"].get(key, [])
            if r["source"] == head_source and r["buffer_km"] == HEADLINE_BUFFER_KM and r["length_km"] > 0
        ]
        name = f"{route_file_stem(key)}_profile.png"
        plot_profile(route, folder / name, shade=shade, km_above=True)  # the altitude claim's statistic
        caption = f"Elevation profile: {route.summary.name}"
        if shade:
            caption += f" (shaded: longest stretch with no settlement within {HEADLINE_BUFFER_KM:g} km, {head_source})"
        out[caption] = name
    d = DEFAULT_DEFINITION
    label = (
        f"Wakhan Corridor as measured ('{d.key}'): {d.country} east of {d.east_of_lon:.2f}\u00b0E, "
        f"north of {d.north_of_lat:.2f}\u00b0N"
    )
    plot_map(map_routes(result.routes), folder / "map.png", title="Routes tested", corridor=(label, corridor_region(d)))
    out["Map of the routes tested"] = "map.png"
    if getattr(result, "remoteness", None) is not None:
        out.update(_remoteness_figure(result.remoteness, folder))
    return out


def map_routes(routes: dict) -> list:
    """The routes the claims map draws, in order: every route but the all-season variant, whose line is
    the existing-road variant's (its bores are listed in the report), so the on-foot route stays last,
    on top and in its own colour."""
    from wakhan.claims.all_season import ALL_SEASON_SUFFIX  # lazy: as the figures above

    return [r for key, r in routes.items() if not key.endswith(ALL_SEASON_SUFFIX)]


def _remoteness_figure(cr, folder: Path) -> dict:
    """The corridor's remoteness surface with its settlements, outlines and most remote points."""
    from wakhan.figures.remoteness import plot_remoteness  # lazy: matplotlib, only when figures are drawn

    outlines = [(f"corridor '{k}'", g) for k, g in cr.regions.items()]
    seen, points = set(), []
    for key, p in cr.points.items():
        if (p["lat"], p["lon"]) not in seen:
            seen.add((p["lat"], p["lon"]))
            where = f"\n{p['whereabouts']}" if p.get("whereabouts") else ""  # as claims.json and the report
            points.append(
                (f"most remote ('{key}'): {p['hours']:.0f} h, {p['path_km']:.0f} km{where}", p["lon"], p["lat"])
            )
    plot_remoteness(cr.surface, folder / "remoteness.png", outlines=outlines, points=points)
    return {
        "Walking time to the nearest settlement, with the corridor readings and their most remote points": (
            "remoteness.png"
        )
    }
