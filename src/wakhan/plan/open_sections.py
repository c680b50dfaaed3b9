"""Sections of a roads layer kept open all year (``open_all_year``), from any vector file pyogrio reads.

A road may say that part of it is kept open through winter, with the public source that says so; a
crossing on such a section is exempt from the winter closure rule (:mod:`wakhan.claims.kept_open`).
The layer may be GeoJSON, GeoPackage, shapefile, FlatGeobuf, KML or any other format GDAL reads; a layer
in another CRS is reprojected to WGS84. A row says it in one of two ways:

* **a list**, as the bundled ``data/infrastructure/existing_roads.geojson`` does on the G314:
  ``"open_all_year": [{"road": "G314", "from": "Kashgar", "to": "Tashkurgan", "source": "..."}]``.
  Each item is the road's line between the points nearest its two towns, named
  ``"{road, else the row's id} {from} - {to}"``. In a GeoPackage the list is a text field holding
  that JSON (what ``ogr2ogr`` writes from the GeoJSON).
* **a flag**, for fields that hold one value: ``open_all_year`` true or false (``true``/``false``,
  ``yes``/``no``, ``y``/``n``, ``t``/``f``, ``1``/``0``, any case; empty is false). An open row needs
  its ``source`` (the public source saying the road is kept open) and may give ``from`` and ``to``:
  then the section is the line between them, as in the list, else the whole line (each piece of a
  MultiLineString). It is named after the row's ``road``, else ``name``, else ``id``, with
  ``" {from} - {to}"`` when they are given.

Field names are matched in any case. A shapefile cuts them to 10 characters: its ``open_all_y`` is
read as ``open_all_year`` (the only truncated name needed; ``source``, ``road``, ``from``, ``to``
are short). It also cuts text to 254 characters, so a long ``source`` arrives cut and a list in
JSON does not fit: give a shapefile the flag form.

A section's towns (gazetteer names or ``"LAT,LON"``) must lie within :data:`TOWN_MATCH_KM` of the
road's line, so that a mistyped town cannot cut the section somewhere else and exempt the wrong
crossing. A layer with open rows but no CRS, an ``open_all_year`` that is neither a flag nor a list,
an open row with no source: one sentence naming the file and the row (:class:`~wakhan.errors.InputError`).
"""

from __future__ import annotations

import json
import math
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from wakhan.errors import InputError, library_reason
from wakhan.plan.geopackage import check_geopackage

__all__ = ["OpenSection", "read_open_sections", "OPEN_SECTION_MATCH_KM", "TOWN_MATCH_KM", "FIELD_NAMES"]

#: A crossing within this distance (km) of a section kept open all year lies on it: the bundled lines are
#: least-cost paths on a 464 m grid simplified to about 300 m, so a route on the same road runs within a
#: few cells of them (data/infrastructure/SOURCES.md).
OPEN_SECTION_MATCH_KM = 2.0
#: A section's town lies on its road when within this distance (km) of the road's line. The bundled lines
#: pass within 0.5 km of every town they name; a gazetteer point is a town's centre, which a real road
#: passes within a few km of. A town farther off is a typo or another road's; give the end as LAT,LON.
TOWN_MATCH_KM = 5.0
#: The field names read as ``open_all_year`` (any case): the name, and a shapefile's 10-character cut of it.
FIELD_NAMES = ("open_all_year", "open_all_y")

_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0", ""}
_WHAT = (
    'true/false (yes/no, 1/0; with the row\'s source) nor a list of {"from": town, "to": town, "source": text} objects'
)


@dataclass(frozen=True)
class OpenSection:
    """A section of an existing road kept open all year: its name, the source saying so, its line (lon, lat).

    Examples
    --------
    >>> s = OpenSection("G314 Kashgar - Tashkurgan", "a source", ((75.0, 37.0), (75.0, 38.0)))
    >>> round(s.distance_km(75.01, 37.5), 2)
    0.88
    """

    name: str
    source: str
    lonlat: tuple[tuple[float, float], ...]

    def distance_km(self, lon: float, lat: float) -> float:
        """Distance (km) from ``lon``, ``lat`` to the section's line (local equirectangular)."""
        import shapely  # lazy: shapely only where a section is measured

        k = math.cos(math.radians(lat))
        line = shapely.LineString([((x - lon) * 111.32 * k, (y - lat) * 110.57) for x, y in self.lonlat])
        return float(line.distance(shapely.Point(0.0, 0.0)))


def read_open_sections(path=None) -> list[OpenSection]:
    """The sections of the roads in ``path`` (default: the bundled layer) kept open all year.

    ``path`` is any line layer pyogrio reads; its rows give ``open_all_year`` as a list of
    ``{"from", "to", "source"}`` or as a flag (the module's docstring says how).

    Raises
    ------
    InputError
        The file cannot be read; it has open rows but no CRS; a row's ``open_all_year`` is neither
        a flag nor a list; a section names no source, a town not in the gazetteer or one farther
        than :data:`TOWN_MATCH_KM` from its road, or lies on a row that is no line.

    Examples
    --------
    >>> (s,) = read_open_sections()
    >>> s.name, s.source[:37], s.distance_km(75.9898, 39.4704) < 1, s.distance_km(75.227, 37.775) < 1
    ('G314 Kashgar - Tashkurgan', 'open all year except the Khunjerab Pa', True, True)
    >>> s.distance_km(75.428, 36.85) > 50  # the Khunjerab Pass, beyond Tashkurgan: not on it
    True
    """
    if path is None:
        from wakhan.plan.existing import bundled_roads_path  # lazy: existing re-exports this module

        path = bundled_roads_path()
    p = Path(path)
    crs, geoms, fields = _read_layer(p)
    flag = next((fields[n] for n in FIELD_NAMES if n in fields), None)
    if flag is None:
        return []
    rows = [(i, _flag(p, i, _label(fields, i), flag[i])) for i in range(len(geoms))]
    rows = [(i, v) for i, v in rows if v]
    if rows:
        geoms = _to_wgs84(p, crs, geoms)
    out: list[OpenSection] = []
    for i, value in rows:
        where = f"roads file {p}, feature {i + 1} ({_label(fields, i)})"
        lines = _lines(where, geoms[i])
        if isinstance(value, list):  # the GeoJSON list: {"road", "from", "to", "source"} per section
            line = _one_line(where, lines)
            for sec in value:
                ends = (sec.get("from") or None, sec.get("to") or None)  # both needed: never the whole line
                name = sec.get("road") or _text(fields.get("id"), i) or f"road {i + 1}"
                out.append(_section(where, line, ends, sec.get("source"), name))
        else:  # the flag: the row's own source, from and to
            ends = (_text(fields.get("from"), i), _text(fields.get("to"), i))
            source = _text(fields.get("source"), i)
            name = next((_text(fields.get(k), i) for k in ("road", "name", "id") if _text(fields.get(k), i)), "")
            name = name or f"road {i + 1}"
            if ends == ("", ""):
                out += [_section(where, line, ends, source, name) for line in lines]
            else:
                out.append(_section(where, _one_line(where, lines), ends, source, name))
    return out


def _read_layer(p: Path):
    """The layer's CRS (or None), its geometries (shapely, None where empty) and fields ``{lower name: values}``."""
    if not p.exists():
        raise InputError(f"roads file {p}: no such file; give a line layer (GeoJSON, GeoPackage, shapefile...)")
    check_geopackage(p, f"roads file {p}")  # before GDAL, which would print its own warning first
    try:
        import pyogrio.raw  # lazy: pyogrio (GDAL vector drivers), only where roads are read
        import shapely

        with warnings.catch_warnings():  # GDAL's warnings (a bad GeoPackage header): the error below says it
            warnings.simplefilter("ignore")
            meta, _fids, wkb, values = pyogrio.raw.read(p)
        rows = len(values[0]) if len(values) else 0
        geoms = list(shapely.from_wkb(wkb)) if wkb is not None else [None] * rows  # a table: no lines
    except Exception as exc:  # pyogrio raises several error types for unreadable files
        raise InputError(
            f"roads file {p} could not be read as a vector layer ({library_reason(exc)}); give a GeoJSON, "
            "GeoPackage, shapefile or other line layer GDAL reads"
        ) from None
    fields: dict = {}
    for name, column in zip(meta["fields"], values):
        fields.setdefault(str(name).lower(), column)  # the first of two names differing in case only
    return meta.get("crs"), geoms, fields


def _missing(value) -> bool:
    return value is None or value is np.ma.masked or (isinstance(value, float) and math.isnan(value))


def _text(column, i: int) -> str:
    """Row ``i`` of a field as stripped text ('' where the field or the value is missing)."""
    if column is None or _missing(column[i]):
        return ""
    value = column[i]
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        value = int(value)  # an id read as 7.0
    return str(value).strip()


def _label(fields, i: int) -> str:
    return next((_text(fields.get(k), i) for k in ("name", "road", "id") if _text(fields.get(k), i)), "no name")


def _flag(p: Path, i: int, label: str, value):
    """``open_all_year`` of one row: False, True (the flag) or a list of section dicts; InputError otherwise."""
    if isinstance(value, np.generic):
        value = value.item()  # numpy's scalars print as np.int64(2)
    if _missing(value):
        return False
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, (int, float)) and float(value) in (0.0, 1.0):
        return bool(value)
    if isinstance(value, str):
        text = value.strip()
        if text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        try:
            value = json.loads(text) if text[:1] in "[{" else value
        except ValueError:
            pass
    if isinstance(value, (list, tuple, np.ndarray)):
        if all(isinstance(sec, dict) for sec in value):
            return list(value)
    shown = repr(value) if isinstance(value, str) else json.dumps(np.asarray(value).tolist(), default=str)
    raise InputError(
        f"roads file {p}, feature {i + 1} ({label}): open_all_year is {shown if len(shown) <= 60 else shown[:56] + '...'}, "
        f"which is neither {_WHAT}; "
        "write it so or leave it empty"
    )


def _to_wgs84(p: Path, crs, geoms):
    """The geometries in longitude/latitude; InputError for a layer without CRS or not on Earth."""
    import shapely
    from pyproj import CRS, Transformer

    if not crs:
        raise InputError(
            f"roads file {p} has open_all_year sections but no coordinate reference system, so where they lie "
            "is unknown; give the file its CRS (e.g. ogr2ogr -a_srs EPSG:4326 fixed.gpkg in.shp)"
        )
    if not CRS.from_user_input(crs).equals(CRS.from_epsg(4326), ignore_axis_order=True):
        to = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
        geoms = [
            None if g is None else shapely.transform(g, lambda xy: np.column_stack(to.transform(xy[:, 0], xy[:, 1])))
            for g in geoms
        ]
    xy = np.concatenate([shapely.get_coordinates(g) for g in geoms if g is not None] or [np.zeros((0, 2))])
    if len(xy) and not (np.isfinite(xy).all() and (np.abs(xy[:, 0]) <= 180).all() and (np.abs(xy[:, 1]) <= 90).all()):
        raise InputError(
            f"roads file {p} says its CRS is {crs} but its coordinates do not fall on Earth in it (metres "
            "given as degrees?); give the file its true CRS (e.g. ogr2ogr -a_srs EPSG:32643 fixed.gpkg in.gpkg)"
        )
    return geoms


def _lines(where: str, geom) -> list:
    """The row's line(s): a LineString, or a MultiLineString's pieces joined where they meet."""
    import shapely

    kind = None if geom is None else geom.geom_type
    if kind == "MultiLineString":
        geom = shapely.line_merge(geom)
        kind = geom.geom_type
    parts = [geom] if kind == "LineString" else list(geom.geoms) if kind == "MultiLineString" else []
    parts = [shapely.force_2d(g) for g in parts if len(g.coords) >= 2 and g.length > 0]
    if not parts:
        raise InputError(
            f"{where} has open_all_year sections but its geometry is no line of two points or more "
            f"({kind or 'none'}); give the road as a LineString"
        )
    return parts


def _one_line(where: str, lines: list):
    if len(lines) > 1:
        raise InputError(
            f"{where} is {len(lines)} separate lines, so its open_all_year section cannot be cut between two "
            "towns; join the road into one LineString or give one row per piece"
        )
    return lines[0]


def _section(where: str, line, ends, source, name: str) -> OpenSection:
    """The section of ``line`` between its two towns ``ends`` (the whole line for ``("", "")``)."""
    import shapely
    from shapely.ops import substring

    from wakhan.places import resolve

    what = f"the open_all_year section {ends[0] or '?'} - {ends[1] or '?'}" if any(ends) else "this open_all_year road"
    if not source or not str(source).strip():
        raise InputError(f"{where}: {what} names no source; give the public source that says it is kept open")
    coords = tuple((float(x), float(y)) for x, y in line.coords)
    if ends == ("", ""):
        return OpenSection(str(name), str(source), coords)
    try:
        towns = [resolve(str(e)) for e in ends if e]
    except (LookupError, ValueError):
        towns = []
    if len(towns) < 2:
        raise InputError(
            f"{where}: {what} needs 'from' and 'to' towns named in the gazetteer (data/places.csv) or given "
            "as LAT,LON; name two of the road's via towns"
        )
    whole = OpenSection("", "", coords)
    for town in towns:
        off_km = whole.distance_km(town.lon, town.lat)
        if off_km > TOWN_MATCH_KM:
            raise InputError(
                f"{where}: {what} names {town.name}, which lies {off_km:,.0f} km from the road's line (more "
                f"than {TOWN_MATCH_KM:g} km); name a town the road passes, or give the end as LAT,LON on the line"
            )
    a, b = sorted(line.project(shapely.Point(t.lon, t.lat)) for t in towns)
    part = substring(line, a, b)
    if part.geom_type != "LineString" or part.length <= 0:
        raise InputError(
            f"{where}: {what} has no length on the road (both are nearest the same point of the "
            "line); name two towns apart along the road"
        )
    lonlat = tuple((float(x), float(y)) for x, y in part.coords)
    return OpenSection(f"{name} {towns[0].name} - {towns[1].name}", str(source), lonlat)
