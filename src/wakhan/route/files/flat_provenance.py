"""The elevation data and grid of a route read back from its flat attributes or profile rows.

A route file without wakhan's full summary (FlatGeobuf, shapefile, KML, a GeoJSON re-saved by a GIS
tool, the profile CSV) still names the data its heights came from: the route layer's ``data``,
``grid`` and ``grid_cell_m`` columns (:data:`wakhan.route.files.fields.ROUTE_FIELDS`; a shapefile
has their short names), or the CSV's ``data_source``, ``source_resolution`` and ``grid_cell_m`` on
every row. Read back, they become the summary's ``data_sources`` and ``grid``, so that a figure
drawn from the file names them as one drawn from the route itself does.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from wakhan.route.files.fields import short_name
from wakhan.route.summary_fields import borders_source

__all__ = ["is_flat", "flat_provenance", "rows_provenance", "describes_line"]


def is_flat(props: Mapping) -> bool:
    """Whether GeoJSON ``props`` are the route layer's flat attributes, not wakhan's nested summary.

    Examples
    --------
    >>> is_flat({"length_km": 10.0, "n_passes": 1, "passes": "unnamed 4,616 m"}), is_flat({"length_km": 10.0})
    (True, False)
    """
    return "n_passes" in props or isinstance(props.get("passes"), str) or isinstance(props.get("grid"), str)


def _value(values: Mapping, name: str):
    for key in (name, short_name(name)):
        v = values.get(key)
        if v is not None and not (isinstance(v, float) and math.isnan(v)) and str(v).strip():
            return v
    return None


def _grid(cell_m) -> dict | None:
    try:
        cell = float(cell_m)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(cell) and cell > 0):
        return None
    return {"resolution": f"{cell:g} m x {cell:g} m", "cell_size": [cell, cell]}


def flat_provenance(values: Mapping, length_km: float | None = None) -> tuple[list[dict], dict | None]:
    """``(data_sources, grid)`` from a route layer's flat attributes (long or shapefile names).

    ``data`` lists the sources as "name resolution; name resolution" (the country borders, which
    measured no height, are left out); ``grid_cell_m`` gives the grid (else the text of ``grid``
    before its CRS). Attributes that do not describe a line of ``length_km`` (:func:`describes_line`)
    give none.

    Parameters
    ----------
    values : mapping
        Column -> value of the route feature.
    length_km : float, optional
        Length of the line read with them (None: not checked).

    Returns
    -------
    (list of dict, dict or None)

    Examples
    --------
    >>> flat_provenance({"data": 'GEBCO_2023 15" (~460 m); Natural Earth 10m admin-0 countries (German view) 1:10 million',
    ...                  "cell_m": 464.0})
    ([{'name': 'GEBCO_2023 15" (~460 m)', 'resolution': ''}], {'resolution': '464 m x 464 m', 'cell_size': [464.0, 464.0]})
    >>> flat_provenance({})
    ([], None)
    >>> flat_provenance({"data": "1000", "length_km": 2400.0}, length_km=9.0)  # columns read shifted
    ([], None)
    """
    if length_km is not None and not describes_line(values, length_km):
        return [], None
    borders = borders_source()["name"]
    data = _value(values, "data")
    sources = [
        {"name": piece.strip(), "resolution": ""}
        for piece in str(data or "").split("; ")
        if piece.strip() and not piece.strip().startswith(borders)
    ]
    grid = _grid(_value(values, "grid_cell_m"))
    text = _value(values, "grid")
    if grid is None and text:
        grid = {"resolution": str(text).split(" (")[0]}
    return sources, grid


def describes_line(values: Mapping, length_km: float, tolerance: float = 0.01) -> bool:
    """Whether a route layer's flat attributes belong to a line of ``length_km``: their ``length_km``
    agrees within ``tolerance`` (relative), or they state none.

    A reader that pairs values with the wrong columns (GDAL 3.11's KML driver shifts ExtendedData
    columns by one) gives a ``length_km`` that is another column's value; such attributes must not be
    read as the route's data sources.

    Parameters
    ----------
    values : mapping
        Column -> value of the route feature (long or shapefile names).
    length_km : float
        Length of the line read with them.
    tolerance : float
        Relative difference allowed (the attribute is rounded to the metre).

    Returns
    -------
    bool

    Examples
    --------
    >>> describes_line({"length_km": 9.0}, 9.004), describes_line({"length_km": 2400.0}, 9.004), describes_line({}, 9.0)
    (True, False, True)
    """
    stated = _value(values, "length_km")
    if stated is None:
        return True
    try:
        stated_km = float(stated)
    except (TypeError, ValueError):
        return False
    return abs(stated_km - length_km) <= tolerance * max(abs(length_km), 1e-3)


def rows_provenance(rows: Iterable[Mapping]) -> tuple[list[dict], dict | None]:
    """``(data_sources, grid)`` from profile CSV rows: each distinct source and resolution, in order.

    Examples
    --------
    >>> rows = [{"data_source": "A", "source_resolution": "3\\"", "grid_cell_m": "90"},
    ...         {"data_source": "B", "source_resolution": "30\\"", "grid_cell_m": "90"},
    ...         {"data_source": "A", "source_resolution": "3\\"", "grid_cell_m": "90"}]
    >>> rows_provenance(rows)
    ([{'name': 'A', 'resolution': '3"'}, {'name': 'B', 'resolution': '30"'}], {'resolution': '90 m x 90 m', 'cell_size': [90.0, 90.0]})

    A row that names several sources (``"A or B"``, its own not known) names each of them:

    >>> rows_provenance([{"data_source": "A or B", "source_resolution": '3" or 30"'}])
    ([{'name': 'A', 'resolution': '3"'}, {'name': 'B', 'resolution': '30"'}], None)
    """
    seen: dict[tuple[str, str], None] = {}
    cell = None
    for row in rows:
        names = [n.strip() for n in (row.get("data_source") or "").split(" or ")]
        resolutions = [r.strip() for r in (row.get("source_resolution") or "").split(" or ")]
        if len(resolutions) != len(names):  # a row naming several sources, its own not known
            resolutions = [""] * len(names)
        for name, resolution in zip(names, resolutions):
            if name:
                seen.setdefault((name, resolution), None)
        cell = cell or (row.get("grid_cell_m") or "").strip() or None
    return [{"name": n, "resolution": r} for n, r in seen], _grid(cell)
