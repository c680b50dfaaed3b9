"""What the profile and the map share: pyplot without a display, routes from files, the data caption."""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

from wakhan.errors import InputError
from wakhan.route.files.export import read_route
from wakhan.route.summary import RouteSummary, Search
from wakhan.writable import check_writable

__all__ = ["ROUTE_COLOURS", "data_caption"]

ROUTE_COLOURS = ("#c0392b", "#1f5fa8", "#e67e22", "#6c3483", "#117a65")


def _gui_backends() -> set[str]:
    """The names of matplotlib's own window backends, lower case (its notebook backends excluded)."""
    notebook = {"nbagg", "notebook"}  # matplotlib lists %matplotlib notebook as interactive: it draws in the page
    try:
        from matplotlib.backends import BackendFilter, backend_registry  # lazy: matplotlib >= 3.9
    except ImportError:  # matplotlib 3.7-3.8
        from matplotlib.rcsetup import interactive_bk  # type: ignore[attr-defined]  # lazy; not in matplotlib >= 3.9 stubs

        return {name.lower() for name in interactive_bk} - notebook
    return {name.lower() for name in backend_registry.list_builtin(BackendFilter.INTERACTIVE)} - notebook


def _pyplot():
    """pyplot, kept off any GUI toolkit: a window backend is swapped for Agg, anything else is kept.

    Figures are drawn and saved, never shown in a window, so a GUI backend (TkAgg, QtAgg, ...) only
    costs a toolkit import and fails without a display. Every non-GUI backend stays as it is: the file
    backends (Agg, PDF, SVG, ...) and the notebook ones (``inline`` under IPython 9,
    ``module://matplotlib_inline.backend_inline`` before it, ipympl's ``widget``), so that figures
    still appear in a notebook whatever name matplotlib gives its backend this year.
    """
    import matplotlib  # lazy: matplotlib (~0.3 s) only when a figure is drawn

    if matplotlib.get_backend().lower() in _gui_backends():
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # lazy: as above

    return plt


def _as_route(route):
    """A route to draw: a RouteResult as it is, a route file read; anything else refused in one sentence."""
    if isinstance(route, (str, os.PathLike)):
        return read_route(route)
    if isinstance(route, RouteSummary):
        raise InputError(
            "a figure needs the route, not its summary (which has no profile): pass route, not route.summary"
        )
    if not (hasattr(route, "summary") and hasattr(route, "profile")):
        raise InputError(
            f"a figure needs a RouteResult (from plan_route) or a route file's path, got {type(route).__name__}"
        )
    return route


def _check_size(width_in, height_in, dpi) -> None:
    """Refuse a figure size or resolution matplotlib cannot lay out (0 in raised numpy's 'Singular matrix')."""
    for label, value in (("width_in", width_in), ("height_in", height_in), ("dpi", dpi)):
        if value is None and label == "height_in":
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1000:
            raise InputError(f"{label}={value!r} must be a positive number (a column is 3.5 in wide, a page 7 in)")


def _check_png(out_png) -> Path:
    path = check_writable(out_png)
    if path.suffix.lower() not in (".png", ".pdf", ".svg"):
        raise InputError(f"cannot tell the figure format of {path}: use a .png, .pdf or .svg file name")
    return path


def data_caption(summary: RouteSummary, extra: str = "") -> str:
    """One paragraph naming the elevation data, the grid and how distance was measured.

    Examples
    --------
    >>> s = RouteSummary.from_dict({"name": "r", "data_sources": [{"name": "SRTM", "resolution": "30 m"}],
    ...     "grid": {"resolution": "90 m x 90 m"}, "model": "walking", "model_max_grade_pct": 60.0, "neighbours": 16})
    >>> data_caption(s, "Extra.")
    'Elevation: SRTM 30 m, on a 90 m x 90 m grid. Distance measured along the WGS84 ellipsoid. Least-cost walking route (grade limit 60 %, 16-neighbour moves). Extra.'

    A highway route names its design grade, hairpin limit and countries in one closed parenthesis:

    >>> data_caption(RouteSummary.from_dict({"name": "r", "model": "highway", "model_max_grade_pct": 60.0,
    ...     "design_grade_pct": 7.0, "within": ["CN", "AF"]}))
    'Elevation: unknown source. Distance measured along the WGS84 ellipsoid. Least-cost highway route (design grade 7 %, lower above 3,000 m, switchbacks on terrain up to 60 %, confined to CN+AF).'
    >>> data_caption(RouteSummary.from_dict({"name": "r"}))
    'Elevation: unknown source. Distance measured along the WGS84 ellipsoid.'
    """
    prov = summary.provenance
    design_grade_pct = summary.engineering.design_grade_pct if summary.engineering else None
    search = summary.search or Search()
    dem_sources = [s for s in prov.data_sources or [] if "countries" not in s.get("name", "").lower()]
    names = "; ".join(f"{s['name']} {s.get('resolution', '')}".strip() for s in dem_sources) or "unknown source"
    grid = prov.grid or {}
    text = f"Elevation: {names}"
    if grid.get("resolution"):
        text += f", on a {grid['resolution']} grid"
    text += ". Distance measured along the WGS84 ellipsoid."
    if prov.model:
        lim = prov.model_max_grade_pct or None
        text += f" Least-cost {prov.model} route"
        terms = []  # what the route was held to, in one closed parenthesis
        if design_grade_pct:
            terms.append(f"design grade {design_grade_pct:g} %, lower above 3,000 m")
            if lim is not None:
                terms.append(f"switchbacks on terrain up to {lim:g} %")
        elif lim is not None:
            terms.append(f"grade limit {lim:g} %")
        if search.neighbours:
            terms.append(f"{search.neighbours}-neighbour moves")
        if search.within:
            terms.append(f"confined to {'+'.join(search.within)}")
        if terms:
            text += f" ({', '.join(terms)})"
        text += "."
    return (text + " " + extra).strip()


#: A number and the unit after it ("60 %", "4,000 m", "1.8 bn", "15\" (~460 m)"): never broken across lines.
_NUMBER_UNIT = re.compile(r"(?<=\d) (?=(?:%|m|km|bn|h|days?|s|x)(?![\w]))")


def _wrap(text: str, width_in: float, fontsize: float) -> str:
    """``text`` wrapped to the figure's width in lines; a number stays on the line of its unit.

    Examples
    --------
    >>> lines = _wrap("switchbacks on terrain up to 60 % and 4,000 m " * 3, 3.0, 8.0).splitlines()
    >>> [line for line in lines if line.startswith(("%", "m "))]
    []
    >>> chr(160) + "%" in _wrap("up to 60 %", 3.0, 8.0)
    True
    """
    chars = max(40, int((width_in - 0.2) * 72 / (fontsize * 0.56)))
    return "\n".join(textwrap.wrap(_NUMBER_UNIT.sub("\u00a0", text), chars))
