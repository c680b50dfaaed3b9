"""Existing infrastructure: the bundled highway layer and existing structures (tunnels) as fixed edges.

``data/infrastructure/existing_roads.geojson`` holds approximate alignments of the
highways the case study touches (G314 and the Karakoram Highway, the Afghan road
Ishkashim-Faizabad-Kunduz-Pul-i-Khumri-Salang-Charikar-Kabul, the Wakhan road as
far as Sarhad-e Broghil); ``existing_structures.geojson`` holds existing tunnels
(the Salang tunnel) as a line from one portal to the other, with its published
length and height. Both files say where each line comes from and how approximate
it is (``scripts/build_existing_roads.py`` builds the roads). A road may name the
sections of it kept open all year (``open_all_year``: from one via town to another,
with the source that says so); :func:`wakhan.plan.open_sections.read_open_sections` returns them as lines, from
this layer or a user's in any vector format (:mod:`wakhan.plan.open_sections`).

An existing tunnel is used as a *fixed edge*: when two consecutive waypoints of a
route are its portals (:func:`portal_places`), the leg between them is the tunnel
itself (:class:`ExistingTunnel`), not a road over the pass, priced as a
rehabilitation (``tunnel_rehabilitation`` in ``data/unit_costs.csv``).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from wakhan.errors import DataError, InputError
from wakhan.places import Place
from wakhan.solve.tunnels import Tunnel

__all__ = [
    "ExistingTunnel",
    "Structure",
    "bundled_roads_path",
    "bundled_structures_path",
    "fixed_tunnels",
    "infrastructure_dir",
    "portal_places",
    "read_structures",
    "EXISTING_TUNNEL_COST_SHARE",
    "PORTAL_MATCH_KM",
]

#: Cost of an existing tunnel's bore in the solver, as a share of a new one's (the rehabilitation
#: and new-tunnel unit costs of data/unit_costs.csv: about 0.1-0.2); it only decides the route when
#: the tunnel is not a waypoint pair, which the case study never relies on.
EXISTING_TUNNEL_COST_SHARE = 0.15
#: Waypoints within this distance (km) of both of a tunnel's portals make their leg that tunnel.
PORTAL_MATCH_KM = 0.5


def infrastructure_dir() -> Path:
    """``data/infrastructure`` of the repository (or the installed package's copy).

    Examples
    --------
    >>> infrastructure_dir().name
    'infrastructure'
    """
    here = Path(__file__).resolve()
    for base in (here.parents[3] / "data", here.parents[1] / "_data"):
        if (base / "infrastructure").is_dir():
            return base / "infrastructure"
    raise DataError("the bundled infrastructure layers data/infrastructure are missing; reinstall wakhan")


def bundled_roads_path() -> Path:
    """The bundled existing-highway layer (GeoJSON lines, EPSG:4326).

    Examples
    --------
    >>> bundled_roads_path().name
    'existing_roads.geojson'
    """
    return infrastructure_dir() / "existing_roads.geojson"


def bundled_structures_path() -> Path:
    """The bundled existing-structure layer (tunnels as portal-to-portal lines).

    Examples
    --------
    >>> bundled_structures_path().name
    'existing_structures.geojson'
    """
    return infrastructure_dir() / "existing_structures.geojson"


@dataclass(frozen=True)
class Structure:
    """An existing tunnel: portals ``a`` and ``b`` as (lon, lat), published length and height.

    Examples
    --------
    >>> Structure("T", (75.0, 37.0), (75.0, 37.02), 2.2, 3000.0, "").length_km
    2.2
    """

    name: str
    a_lonlat: tuple[float, float]
    b_lonlat: tuple[float, float]
    length_km: float
    elevation_m: float
    source: str
    portal_names: tuple[str, str] = ("a", "b")


@dataclass(frozen=True)
class ExistingTunnel(Tunnel):
    """A :class:`~wakhan.solve.tunnels.Tunnel` that already exists (``existing_name``).

    Examples
    --------
    >>> ExistingTunnel((0, 0), (0, 5), 2670.0, 300.0, 100.0, 3400.0, 3400.0, "Salang Tunnel").grade_pct
    0.0
    """

    existing_name: str = ""


def read_structures(path) -> list[Structure]:
    """Existing tunnels from a GeoJSON file of portal-to-portal lines.

    Each feature needs a LineString geometry (its first and last points are the
    portals) and may give ``name``, ``length_km`` (else the line's length),
    ``elevation_m`` and ``source``.

    Raises
    ------
    InputError
        The file is missing or unreadable, or holds no usable line.

    Examples
    --------
    >>> [(s.name, s.length_km, s.elevation_m) for s in read_structures(bundled_structures_path())]
    [('Salang Tunnel', 2.67, 3400.0)]
    """
    p = Path(path)
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
        features = doc.get("features", []) if isinstance(doc, dict) else []
    except (OSError, ValueError) as exc:
        raise InputError(
            f"structures file {p} could not be read as GeoJSON ({type(exc).__name__}); give a GeoJSON "
            "FeatureCollection of portal-to-portal tunnel lines"
        ) from None
    out: list[Structure] = []
    for f in features:
        geom = (f or {}).get("geometry") or {}
        coords = geom.get("coordinates") or []
        if geom.get("type") != "LineString" or len(coords) < 2:
            continue
        try:
            a = (float(coords[0][0]), float(coords[0][1]))
            b = (float(coords[-1][0]), float(coords[-1][1]))
        except (TypeError, ValueError, IndexError):
            continue
        if not all(math.isfinite(v) for v in (*a, *b)) or a == b:
            continue
        props = f.get("properties") or {}
        length = props.get("length_km")
        length_km = float(length) if isinstance(length, (int, float)) and length > 0 else _km(a, b)
        elev = props.get("elevation_m")
        out.append(
            Structure(
                str(props.get("name") or f"tunnel {len(out) + 1}"),
                a,
                b,
                length_km,
                float(elev) if isinstance(elev, (int, float)) else math.nan,
                str(props.get("source") or ""),
                (str(props.get("portal_a") or "a"), str(props.get("portal_b") or "b")),
            )
        )
    if not out:
        raise InputError(
            f"structures file {p} holds no usable lines (each tunnel is a LineString from one portal to the "
            "other); add them or leave the option out"
        )
    return out


def _km(a, b) -> float:
    lat0 = math.radians(0.5 * (a[1] + b[1]))
    dx = (b[0] - a[0]) * 111.32 * math.cos(lat0)
    dy = (b[1] - a[1]) * 110.57
    return math.hypot(dx, dy)


def portal_places(structure: Structure, reverse: bool = False) -> tuple[Place, Place]:
    """The structure's two portals as waypoints (in travel order; ``reverse`` for b -> a).

    Examples
    --------
    >>> (salang,) = read_structures(bundled_structures_path())
    >>> [p.name for p in portal_places(salang, reverse=True)]
    ['Salang Tunnel south portal', 'Salang Tunnel north portal']
    """
    pts = [(structure.a_lonlat, structure.portal_names[0]), (structure.b_lonlat, structure.portal_names[1])]
    if reverse:
        pts.reverse()
    return tuple(  # type: ignore[return-value]
        Place(f"{structure.name} {side} portal", (), lat, lon, "portal", "", structure.source)
        for (lon, lat), side in pts
    )


def fixed_tunnels(places, cells, grid, model, structures) -> dict[int, ExistingTunnel]:
    """``leg index -> ExistingTunnel`` for every leg whose two waypoints are one structure's portals.

    The bore runs straight between the portal cells at the structure's published
    height (or the DEM's at the portals); its solver cost is its length times the
    model's tunnel cost factor times :data:`EXISTING_TUNNEL_COST_SHARE`.

    Examples
    --------
    Two waypoints that are the Salang tunnel's portals make their leg the tunnel:

    >>> import numpy as np
    >>> from affine import Affine
    >>> from wakhan.cost import get_model
    >>> from wakhan.grid import Grid
    >>> dem = Grid(np.full((3, 9), 3600.0, np.float32), Affine(400.0, 0, 500_000, 0, -400.0, 4_100_000), "EPSG:32642")
    >>> structures = read_structures(bundled_structures_path())
    >>> legs = fixed_tunnels([*portal_places(structures[0])], [(1, 1), (1, 7)], dem, get_model("highway"), structures)
    >>> list(legs), legs[0].length_m, legs[0].existing_name, legs[0].max_cover_m
    ([0], 2670.0, 'Salang Tunnel', 200.0)
    """
    out: dict[int, ExistingTunnel] = {}
    if not structures:
        return out
    names: dict[tuple[str | None, str | None], Structure] = {}
    for s in structures:
        a, b = portal_places(s)
        names[(a.name, b.name)] = s
        names[(b.name, a.name)] = s
    for i in range(len(places) - 1):
        s = names.get((getattr(places[i], "name", None), getattr(places[i + 1], "name", None)))
        if s is None:  # or two waypoints given as coordinates within PORTAL_MATCH_KM of a tunnel's portals
            s = next((t for t in structures if _at_portals(places[i], places[i + 1], t)), None)
        if s is None:
            continue
        length_m = 1000.0 * s.length_km
        (ra, ca), (rb, cb) = cells[i], cells[i + 1]
        za = s.elevation_m if math.isfinite(s.elevation_m) else float(grid.array[ra, ca])
        zb = s.elevation_m if math.isfinite(s.elevation_m) else float(grid.array[rb, cb])
        cover = max(0.0, float(max(grid.array[ra, ca], grid.array[rb, cb])) - max(za, zb))
        factor = float(getattr(model, "tunnel_cost_factor", 1.0))
        out[i] = ExistingTunnel(
            (ra, ca), (rb, cb), length_m, cover, length_m * factor * EXISTING_TUNNEL_COST_SHARE, za, zb, s.name
        )
    return out


def _at_portals(p, q, s: Structure) -> bool:
    a, b = (p.lon, p.lat), (q.lon, q.lat)
    return (_km(a, s.a_lonlat) <= PORTAL_MATCH_KM and _km(b, s.b_lonlat) <= PORTAL_MATCH_KM) or (
        _km(a, s.b_lonlat) <= PORTAL_MATCH_KM and _km(b, s.a_lonlat) <= PORTAL_MATCH_KM
    )
