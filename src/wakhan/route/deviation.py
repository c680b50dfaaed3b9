"""How far a route runs from a real road: path deviation index, buffer shares, Hausdorff distance.

``wakhan route A B --reference FILE`` and :meth:`wakhan.route.RouteResult.compare_to`
measure a route against a reference line (a surveyed road, a GPS track) in a
metric CRS chosen for the route (:func:`wakhan.dem.choose_crs`):

* **PDI**, the path deviation index of Jan, Horowitz & Peng (1999), *Using GPS
  data to understand variations in path choice*, Transportation Research Record
  1660: the area enclosed between the two paths divided by the straight distance
  between their end points; the mean separation of the paths, in km.
  **Normalised PDI** is PDI over that same straight distance, in percent. This is
  the definition of leastcostpath's ``PDI_validation`` (R, Joseph Lewis): the
  route is joined to the reference's two end points (leastcostpath replaces the
  route's ends by them: the same ring when the ends meet), so the two lines close
  into one ring, and the straight distance is the reference's. leastcostpath takes
  the signed (shoelace) area of that ring, in which the lobes on either side of a
  crossing partly cancel; here every face enclosed between the paths counts
  positively (the two agree whenever the paths do not cross).
* **within_pct**: the share of the route's length within 0.5, 1, 2 and 5 km of the
  reference (measured on 50 m pieces of the route).
* **hausdorff_km**: the largest distance from either line to the other (both
  densified to 100 m).
* **length_ratio**: route length over reference length, both between the route's ends.

The reference is clipped to the stretch between the points nearest the route's
start and end (a road file may run on beyond them) and turned to run the same way.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import shapely
from pyproj import Geod, Transformer
from shapely.geometry import LineString, MultiLineString
from shapely.ops import linemerge, substring

from wakhan.dem import choose_crs
from wakhan.dem.project import crs_text
from wakhan.errors import InputError, library_reason, option

__all__ = [
    "WITHIN_KM",
    "check_reference_ends",
    "check_reference_lonlat",
    "read_reference",
    "path_deviation",
    "reference_fields",
]

#: Distances (km) of the ``within_pct`` shares.
WITHIN_KM = (0.5, 1.0, 2.0, 5.0)
#: A reference must pass this close (km) to both ends of the route.
MAX_END_GAP_KM = 10.0
#: Parts of a reference farther apart than this (km) are refused rather than joined. Digitising gaps at
#: junctions, bridges and between GPS track segments are tens to hundreds of metres; a straight join of
#: over 2 km is made-up road long enough to move the ``within_pct`` shares (bands of 0.5 to 5 km).
MAX_PART_GAP_KM = 2.0
_GEOD = Geod(ellps="WGS84")
_PIECE_M = 50.0
_DENSIFY_M = 100.0


def _reference_label(name: str, *, subject: bool = True) -> str:
    """How a sentence names the reference file ``name``: ``--reference FILE`` (the Python call too outside the CLI)."""
    return option(f"--reference {name}", f"compare_to({name!r})", subject=subject) if name else "the reference line"


def _chain(parts: list[LineString], label: str) -> LineString:
    """One line through several parts (lon/lat), grown at either end by the part whose end lies nearest.

    The first part in the file starts the line; each step joins, at the line's head or its tail,
    whichever remaining part has an end nearest to one of them (reversed where needed). A line grown
    at its tail alone went wrong when the file lists a middle part first: the parts before it were
    joined after the last one, by a jump back along the whole road. The line runs in the first
    part's direction; :func:`reference_fields` orients it from the route's start.

    Refuses a jump of more than :data:`MAX_PART_GAP_KM` between consecutive parts: that is not a
    digitising gap but a second road (or the wrong file), which would otherwise be joined by a
    straight line or silently clipped away.

    Examples
    --------
    Three parts of the 8th meridian, 46.0-46.3 N with 0.0005 degree (56 m) gaps, the middle one first
    and the southern one reversed:

    >>> parts = [LineString([(8, 46.1005), (8, 46.2)]), LineString([(8, 46.1), (8, 46.0)]),
    ...          LineString([(8, 46.2005), (8, 46.3)])]
    >>> [lat for _, lat in _chain(parts, "road").coords]
    [46.0, 46.1, 46.1005, 46.2, 46.2005, 46.3]
    """
    coords = [c[:2] for c in parts[0].coords]
    rest = [[c[:2] for c in p.coords] for p in parts[1:]]
    while rest:
        # (part, joins at the head, reversed, the part's end that meets the line, the line's end it meets)
        joins = [
            (i, head, rev, part[-1 if rev else 0], coords[0] if head else coords[-1])
            for i, part in enumerate(rest)
            for head in (False, True)
            for rev in (False, True)
        ]
        _, _, gaps_m = _GEOD.inv(
            [t[0] for *_, t in joins],
            [t[1] for *_, t in joins],
            [e[0] for *_, e, _ in joins],
            [e[1] for *_, e, _ in joins],
        )
        k = int(np.argmin(gaps_m))
        gap_km = float(gaps_m[k]) / 1000
        if gap_km > MAX_PART_GAP_KM:
            raise InputError(
                f"{label} holds lines {gap_km:,.1f} km apart (more than {MAX_PART_GAP_KM:g} km between "
                "consecutive parts), so it is not one road; give one road, or join its parts into one line"
            )
        best, head, rev, _, _ = joins[k]
        part = rest.pop(best)
        part = part[::-1] if rev else part  # now starts at the end that meets the line
        coords = part[::-1] + coords if head else coords + part
    return LineString(coords)


def _as_line(geoms, label: str) -> LineString:
    lines: list[LineString] = []
    for g in geoms:
        if g is None or g.is_empty:
            continue
        if isinstance(g, LineString):
            lines.append(g)
        elif isinstance(g, MultiLineString):
            lines.extend(g.geoms)
    lines = [ln for ln in lines if len(ln.coords) >= 2]
    if not lines:
        raise InputError(f"{label} holds no lines; give a layer with the road's centre line (LineString)")
    merged = linemerge(MultiLineString(lines)) if len(lines) > 1 else lines[0]
    if isinstance(merged, MultiLineString):
        merged = _chain(list(merged.geoms), label)
    return LineString([c[:2] for c in merged.coords])


def read_reference(path) -> LineString:
    """The reference line of a vector file, in longitude/latitude (EPSG:4326).

    Every line of the file's first layer that holds lines (a GPX file's
    ``tracks`` or ``routes``) is merged into one line; parts that do not touch
    are joined end to nearest end, if no more than ``MAX_PART_GAP_KM`` (2 km) apart.

    Parameters
    ----------
    path : str or os.PathLike
        Any vector file pyogrio reads (GeoJSON, GPX, KML, GeoPackage, shapefile...).

    Returns
    -------
    shapely.LineString

    Raises
    ------
    InputError
        When the file is missing, unreadable, empty, holds no lines, has no CRS, or holds
        parts more than ``MAX_PART_GAP_KM`` apart (two roads, not one).

    Examples
    --------
    >>> import json, tempfile
    >>> fc = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
    ...       "geometry": {"type": "LineString", "coordinates": [[8.0, 46.0], [8.1, 46.0]]}}]}
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     f = Path(folder) / "road.geojson"
    ...     _ = f.write_text(json.dumps(fc))
    ...     read_reference(f).coords[:]
    [(8.0, 46.0), (8.1, 46.0)]
    """
    p = Path(path)
    label = _reference_label(str(p))
    if not p.exists():
        raise InputError(
            f"{_reference_label(str(p), subject=False)}: no such file; give a line layer of the real road (GeoJSON, GPX, KML, GeoPackage)"
        )
    if p.is_file() and p.stat().st_size == 0:
        raise InputError(f"{label} is an empty file (0 bytes); give a line layer of the real road (GeoJSON, GPX, KML)")
    try:
        import pyogrio  # lazy: GDAL vector drivers, only for reference files

        layers: list[str | None] = [str(name) for name, _ in pyogrio.list_layers(p)]
        frame = None
        for layer in layers or [None]:
            f = pyogrio.read_dataframe(p, layer=layer)
            if "geometry" not in f.columns:  # a table (CSV) without geometries: pandas, not geopandas
                raise InputError(
                    f"{label} is a table without geometries, so it holds no line; give a line layer of the "
                    "real road (GeoJSON, GPX, KML, GeoPackage)"
                )
            kinds = set(f.geometry.dropna().geom_type)
            if frame is None or kinds & {"LineString", "MultiLineString"}:
                frame = f
            if kinds & {"LineString", "MultiLineString"}:
                break
    except InputError:
        raise
    except Exception as exc:  # pyogrio raises several error types for unreadable files
        raise InputError(
            f"{label} could not be read as a vector layer ({library_reason(exc)}); give a GeoJSON, GPX, KML, "
            "GeoPackage or other file GDAL reads"
        ) from None
    if frame is None or len(frame) == 0:
        raise InputError(
            f"{label} is a valid vector file but holds no line (it has no features); give a file holding "
            "the real road's line (LineString features)"
        )
    if frame.crs is None:
        raise InputError(
            f"{label} has no coordinate reference system; set one (e.g. ogr2ogr -a_srs EPSG:4326) "
            "or save it as GeoJSON or GPX (longitude/latitude)"
        )
    found = ", ".join(sorted(set(frame.geometry.dropna().geom_type))) or "no geometries"
    if not set(frame.geometry.dropna().geom_type) & {"LineString", "MultiLineString"}:
        raise InputError(f"{label} holds no lines ({found}); give a layer with the road's centre line")
    frame = frame.to_crs("EPSG:4326")
    return _as_line(list(frame.geometry), label)


def _enclosed_area(ring_coords) -> float:
    """Area (m2) of every face enclosed by a closed, possibly self-crossing, line."""
    noded = shapely.union_all([LineString(ring_coords)])
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    return float(sum(f.area for f in faces))


def path_deviation(route_xy: LineString, reference_xy: LineString) -> dict:
    """PDI and its normalised form of a route against a reference, both in one metric CRS.

    Parameters
    ----------
    route_xy, reference_xy : shapely.LineString
        Metric coordinates (m), both running the same way between (about) the same ends.

    Returns
    -------
    dict
        ``area_km2``, ``straight_km`` (between the reference's ends), ``pdi_km``
        (area over straight distance) and ``npdi_pct`` (PDI over straight distance, %).

    Examples
    --------
    Two parallel lines 2 km apart, 10 km long: the area is 20 km2, the PDI 2 km, 20 %:

    >>> path_deviation(LineString([(0, 2000), (10_000, 2000)]), LineString([(0, 0), (10_000, 0)]))
    {'area_km2': 20.0, 'straight_km': 10.0, 'pdi_km': 2.0, 'npdi_pct': 20.0}
    """
    ref = list(reference_xy.coords)
    route = list(route_xy.coords)
    # leastcostpath replaces the route's ends by the reference's; joining them keeps a route's first and
    # last pieces (the same ring whenever the ends already meet)
    route = [ref[0], *route, ref[-1]]
    straight = float(np.hypot(ref[-1][0] - ref[0][0], ref[-1][1] - ref[0][1]))
    if straight <= 0:
        raise InputError("the reference starts and ends at one point; give a road between two places")
    area = _enclosed_area([*route, *ref[::-1], route[0]])
    pdi = area / straight
    return {
        "area_km2": round(area / 1e6, 6),
        "straight_km": round(straight / 1000, 6),
        "pdi_km": round(pdi / 1000, 6),
        "npdi_pct": round(100.0 * pdi / straight, 6),
    }


def _within_pct(route_xy: LineString, reference_xy: LineString) -> dict[str, float]:
    pts = np.asarray(shapely.segmentize(route_xy, _PIECE_M).coords)[:, :2]
    seg = np.hypot(*np.diff(pts, axis=0).T)
    mids = shapely.points(0.5 * (pts[1:] + pts[:-1]))
    dist = shapely.distance(mids, reference_xy)
    total = float(seg.sum())
    return {f"{d:g}": round(100.0 * float(seg[dist <= d * 1000].sum()) / total, 2) for d in WITHIN_KM}


def check_reference_ends(reference_xy, start_xy, end_xy, name: str = "", max_end_gap_km: float = MAX_END_GAP_KM):
    """Raise :class:`InputError` when the reference passes farther than ``max_end_gap_km`` from either end.

    Parameters
    ----------
    reference_xy : shapely.LineString
        The reference in the CRS of the two points (metres).
    start_xy, end_xy : (x, y)
        The route's ends.
    name : str
        The reference file, for the message.
    max_end_gap_km : float

    Examples
    --------
    >>> check_reference_ends(LineString([(0, 0), (10_000, 0)]), (0, 30_000), (10_000, 0), "road.gpx")
    Traceback (most recent call last):
    ...
    wakhan.errors.InputError: --reference road.gpx, or compare_to('road.gpx') in Python, passes 30.0 km from the route's start (more than 10 km); \
give a reference line of the road between the route's two ends
    """
    label = _reference_label(name)
    for which, pt in (("start", start_xy), ("end", end_xy)):
        gap = reference_xy.distance(shapely.Point(pt)) / 1000
        if not gap <= max_end_gap_km:
            raise InputError(
                f"{label} passes {gap:,.1f} km from the route's {which} (more than {max_end_gap_km:g} km); "
                "give a reference line of the road between the route's two ends"
            )


def check_reference_lonlat(reference: LineString, start_lonlat, end_lonlat, name: str = "") -> None:
    """:func:`check_reference_ends` for a reference and two ends in longitude/latitude (before routing).

    Examples
    --------
    >>> check_reference_lonlat(LineString([(8.0, 46.0), (8.2, 46.0)]), (8.0, 46.01), (8.2, 46.0))  # 1.1 km: fine
    """
    (x0, y0), (x1, y1) = start_lonlat, end_lonlat
    pad = 1e-3
    crs = choose_crs((min(x0, x1) - pad, min(y0, y1) - pad, max(x0, x1) + pad, max(y0, y1) + pad))
    fwd = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    rx, ry = fwd.transform(*np.asarray(reference.coords)[:, :2].T)
    check_reference_ends(LineString(np.column_stack([rx, ry])), fwd.transform(x0, y0), fwd.transform(x1, y1), name)


def reference_fields(lon, lat, reference: LineString, *, name: str = "", max_end_gap_km: float = MAX_END_GAP_KM):
    """The ``reference`` field of a route summary: how far the route runs from a reference line.

    Parameters
    ----------
    lon, lat : array_like
        The route's points, degrees WGS84, in travel order.
    reference : shapely.LineString
        The reference line in longitude/latitude (:func:`read_reference`).
    name : str
        What the reference is (a file name), for messages and the field's ``file``.
    max_end_gap_km : float
        The reference must pass within this distance of the route's start and end.

    Returns
    -------
    dict
        ``pdi_km``, ``npdi_pct``, ``within_pct`` (``{"0.5", "1", "2", "5"}``: % of the
        route's length within that many km), ``hausdorff_km``, ``length_ratio`` (route
        over reference between the route's ends), ``route_km``, ``reference_km``,
        ``straight_km``, ``area_km2``, ``crs``, ``file``.

    Raises
    ------
    InputError
        When the reference passes farther than ``max_end_gap_km`` from either end.

    Examples
    --------
    A route along the 46th parallel and a road 0.01 degree (1.11 km) north of it:

    >>> road = LineString([(7.9, 46.01), (8.0, 46.01), (8.1, 46.01), (8.2, 46.01), (8.3, 46.01)])
    >>> f = reference_fields([8.0, 8.1, 8.2], [46.0, 46.0, 46.0], road)
    >>> round(f["pdi_km"], 2), f["within_pct"], round(f["length_ratio"], 3)
    (1.11, {'0.5': 0.0, '1': 0.0, '2': 100.0, '5': 100.0}, 1.0)
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    pad = 1e-3  # a route along a parallel or meridian still makes a box
    crs = choose_crs((float(lon.min()) - pad, float(lat.min()) - pad, float(lon.max()) + pad, float(lat.max()) + pad))
    fwd = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    x, y = fwd.transform(lon, lat)
    route = LineString(np.column_stack([x, y]))
    rx, ry = fwd.transform(*np.asarray(reference.coords)[:, :2].T)
    ref_full = LineString(np.column_stack([rx, ry]))
    check_reference_ends(ref_full, route.coords[0], route.coords[-1], name, max_end_gap_km)
    s0 = ref_full.project(shapely.Point(route.coords[0]))
    s1 = ref_full.project(shapely.Point(route.coords[-1]))
    if s0 > s1:
        ref_full = ref_full.reverse()
        # clamped: L - L can round to -7e-12, which substring reads as counted from the far end (no length)
        s0, s1 = max(ref_full.length - s0, 0.0), max(ref_full.length - s1, 0.0)
    ref = substring(ref_full, s0, s1)
    if not isinstance(ref, LineString) or ref.length <= 0:
        label = _reference_label(name)
        raise InputError(f"{label} has no length between the route's ends; give the road between them")
    pdi = path_deviation(route, ref)
    hausdorff = shapely.hausdorff_distance(shapely.segmentize(route, _DENSIFY_M), shapely.segmentize(ref, _DENSIFY_M))
    return {
        "pdi_km": round(pdi["pdi_km"], 3),
        "npdi_pct": round(pdi["npdi_pct"], 3),
        "within_pct": _within_pct(route, ref_full),
        "hausdorff_km": round(float(hausdorff) / 1000, 3),
        "length_ratio": round(route.length / ref.length, 4),
        "route_km": round(route.length / 1000, 3),
        "reference_km": round(ref.length / 1000, 3),
        "straight_km": round(pdi["straight_km"], 3),
        "area_km2": round(pdi["area_km2"], 3),
        "crs": crs_text(crs),
        "file": name,
    }
