"""The route layer's attribute table: every top-level number of a route summary as a flat, typed field.

GIS tools want one typed value per column, the same columns for every route (so
that layers from several runs merge), and shapefile names no longer than 10
characters. :data:`ROUTE_FIELDS` is that table, one :class:`Field` per column:
its long name (GeoJSON, GeoPackage, FlatGeobuf, KML), its explicit shapefile
name, its type and unit, and where in the summary JSON its value comes from. A
value the route does not have (the hairpins of a walking route) is ``None``,
written as a null in every format, never as 0 or "".

Columns that depend on the route (``km_in_XX`` per country crossed, heights of
``km_above_m`` beyond the standard three) follow the table with names built by
:func:`short_name`. The point layers' columns have short names too
(:data:`POINT_SHORT_NAMES`). :func:`field_table_rows` gives the table that is
written beside a shapefile as ``NAME_fields.csv``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wakhan.route.stats import country_words

__all__ = ["Field", "ROUTE_FIELDS", "POINT_SHORT_NAMES", "short_name", "unit_of", "field_table_rows"]


@dataclass(frozen=True)
class Field:
    """One column of the route layer.

    Attributes
    ----------
    name : str
        The long name (every format but the shapefile).
    short : str
        The shapefile name (at most 10 characters, unique).
    type : type
        ``str``, ``int`` or ``float``.
    unit : str
        ``km``, ``m``, ``pct``, ``USD``, ``count``... ("" for text).
    get : callable
        ``summary dict -> value or None``.

    Examples
    --------
    >>> hairpins = next(f for f in ROUTE_FIELDS if f.name == "hairpins")
    >>> hairpins.short, hairpins.type.__name__, hairpins.unit, hairpins.get({"hairpins": 12})
    ('hairpins', 'int', 'count', 12)
    """

    name: str
    short: str
    type: type
    unit: str
    get: Callable[[dict], Any]


def _key(key: str) -> Callable[[dict], Any]:
    return lambda s: s.get(key)


def _count(key: str) -> Callable[[dict], Any]:
    return lambda s: len(s[key]) if isinstance(s.get(key), (list, tuple)) else None


def _item(key: str, i: int) -> Callable[[dict], Any]:
    return lambda s: s[key][i] if isinstance(s.get(key), (list, tuple)) and len(s[key]) > i else None


def _sub(key: str, *path: str) -> Callable[[dict], Any]:
    def get(s: dict):
        v: Any = s.get(key)
        for p in path:
            v = v.get(p) if isinstance(v, dict) else None
        return v

    return get


def _breakdown(item: str, key: str) -> Callable[[dict], Any]:
    """``key`` ("low"/"high") of the cost breakdown row named ``item``, or None."""

    def get(s: dict):
        for row in (s.get("cost_usd") or {}).get("breakdown") or []:
            if isinstance(row, dict) and row.get("item") == item:
                return row.get(key)
        return None

    return get


def _bridges_sum(key: str | None) -> Callable[[dict], Any]:
    """The number of bridges (``key`` None) or the sum of one of their numbers, or None without bridges."""

    def get(s: dict):
        bridges = s.get("bridges")
        if not isinstance(bridges, list):
            return None
        return len(bridges) if key is None else sum(float(b.get(key) or 0) for b in bridges)

    return get


def _codes(key: str) -> Callable[[dict], Any]:
    return lambda s: ",".join(s[key]) if s.get(key) else None


def _joined(key: str) -> Callable[[dict], Any]:
    return lambda s: "; ".join(str(v) for v in s[key]) if s.get(key) else None


def _passes(s: dict):
    passes = s.get("passes")
    if passes is None:
        return None
    return "; ".join(f"{p.get('name') or 'unnamed'} {p['elevation_m']:,.0f} m" for p in passes)


def _highest_pass(field: str) -> Callable[[dict], Any]:
    def get(s: dict):
        passes = [p for p in s.get("passes") or [] if p.get("elevation_m") is not None]
        if not passes:
            return None
        return max(passes, key=lambda p: p["elevation_m"]).get(field)

    return get


def _waypoints(s: dict):
    names = [str(w.get("name")) for w in s.get("waypoints") or []]
    return " > ".join(names) if names else None


def _countries(s: dict):
    countries = s.get("countries_km")
    if countries is None:
        return None
    return "; ".join(f"{country_words(c)} {v:,.1f} km" for c, v in countries.items())


def _tunnel_km(s: dict):
    tunnels = s.get("tunnels")
    if tunnels is None:
        return None
    return sum(float(t.get("length_km") or 0) for t in tunnels)


def _data(s: dict):
    sources = s.get("data_sources")
    if not sources:
        return None
    return "; ".join(f"{d['name']} {d.get('resolution', '')}".strip() for d in sources)


def _shares(s: dict):
    shares = s.get("source_shares")
    if not shares:
        return None
    return "; ".join(f"{d['name']} {d.get('resolution', '')}".strip() + f" {d['share'] * 100:.1f} %" for d in shares)


def _grid(s: dict):
    grid = s.get("grid")
    return f"{grid.get('resolution')} ({grid.get('crs')})" if grid else None


def _cell_m(s: dict):
    size = (s.get("grid") or {}).get("cell_size")
    return max(size) if size else None


F = Field
#: The route layer's columns, in order (see the module docstring).
ROUTE_FIELDS: tuple[Field, ...] = (
    F("name", "name", str, "", _key("name")),
    F("model", "model", str, "", _key("model")),
    F("length_km", "length_km", float, "km", _key("length_km")),
    F("start_elevation_m", "start_m", float, "m", _key("start_elevation_m")),
    F("end_elevation_m", "end_m", float, "m", _key("end_elevation_m")),
    F("min_elevation_m", "min_m", float, "m", _key("min_elevation_m")),
    F("mean_elevation_m", "mean_m", float, "m", _key("mean_elevation_m")),
    F("median_elevation_m", "median_m", float, "m", _key("median_elevation_m")),
    F("max_elevation_m", "max_m", float, "m", _key("max_elevation_m")),
    F("km_above_3500m", "km_gt3500m", float, "km", _sub("km_above_m", "3500")),
    F("km_above_4000m", "km_gt4000m", float, "km", _key("km_above_4000m")),
    F("km_above_4500m", "km_gt4500m", float, "km", _sub("km_above_m", "4500")),
    F("climb_m", "climb_m", float, "m", _key("climb_m")),
    F("descent_m", "descent_m", float, "m", _key("descent_m")),
    F("max_grade_pct", "maxgr_pct", float, "pct", _key("max_grade_pct")),
    F("max_grade_km", "maxgr_km", float, "km", _key("max_grade_km")),
    F("grade_design_length_km", "grlen_km", float, "km", _key("grade_design_length_km")),
    F("smoothing_km", "smooth_km", float, "km", _key("smoothing_km")),
    F("n_passes", "n_passes", int, "count", _count("passes")),
    F("passes", "passes", str, "", _passes),
    F("highest_pass", "top_pass", str, "", _highest_pass("name")),
    F("highest_pass_m", "top_pass_m", float, "m", _highest_pass("elevation_m")),
    F("n_places_along", "n_places", int, "count", _count("places_along")),
    F("n_waypoints", "n_waypts", int, "count", _count("waypoints")),
    F("waypoints", "waypoints", str, "", _waypoints),
    F("countries", "countries", str, "", _countries),
    F("cost", "cost", float, "cost_unit", _key("cost")),
    F("cost_unit", "cost_unit", str, "", _key("cost_unit")),
    F("model_max_grade_pct", "modgr_pct", float, "pct", _key("model_max_grade_pct")),
    F("data", "data", str, "", _data),
    F("grid", "grid", str, "", _grid),
    F("grid_cell_m", "cell_m", float, "m", _cell_m),
    F("n_legs", "n_legs", int, "count", _count("legs")),
    # highway engineering
    F("design_grade_pct", "desgr_pct", float, "pct", _key("design_grade_pct")),
    F("design_grade_3000_4000m_pct", "desgr_3k", float, "pct", _sub("design_grade_pct_by_altitude", "3000_4000m")),
    F("design_grade_4000_5000m_pct", "desgr_4k", float, "pct", _sub("design_grade_pct_by_altitude", "4000_5000m")),
    F("design_grade_above_5000m_pct", "desgr_5k", float, "pct", _sub("design_grade_pct_by_altitude", "above_5000m")),
    F("hairpin_limit_pct", "hairpn_pct", float, "pct", _key("hairpin_limit_pct")),
    F("tunnel_cost_factor", "tun_factor", float, "ratio", _key("tunnel_cost_factor")),
    F("horizontal_length_km", "horiz_km", float, "km", _key("horizontal_length_km")),
    F("built_length_km", "built_km", float, "km", _key("built_length_km")),
    F("road_length_factor", "rd_factor", float, "ratio", _key("road_length_factor")),
    F("estimated_road_km", "est_rd_km", float, "km", _key("estimated_road_km")),
    F("switchback_km", "swb_km", float, "km", _key("switchback_km")),
    F("development_km", "devel_km", float, "km", _key("development_km")),
    F("hairpins", "hairpins", int, "count", _key("hairpins")),
    F("max_built_grade_pct", "bltgr_pct", float, "pct", _key("max_built_grade_pct")),
    F("n_switchback_sections", "n_swb_sec", int, "count", _count("switchback_sections")),
    F("plain_km", "plain_km", float, "km", _sub("built_km_by_class", "plain", "km")),
    F("mountain_km", "mount_km", float, "km", _sub("built_km_by_class", "mountain", "km")),
    F("upgrade_km", "upgr_km", float, "km", _sub("built_km_by_class", "upgrade", "km")),
    F("n_tunnels", "n_tunnels", int, "count", _count("tunnels")),
    F("tunnel_km", "tunnel_km", float, "km", _tunnel_km),
    F("tunnels_allowed", "tunnels_ok", int, "0/1", _key("tunnels_allowed")),
    F("cost_usd_low", "usd_low", float, "USD", _sub("cost_usd", "low")),
    F("cost_usd_high", "usd_high", float, "USD", _sub("cost_usd", "high")),
    F("cost_usd_as_upgrade_low", "upg_usd_lo", float, "USD", _sub("cost_usd_as_upgrade", "low")),
    F("cost_usd_as_upgrade_high", "upg_usd_hi", float, "USD", _sub("cost_usd_as_upgrade", "high")),
    F("max_elevation_ceiling_m", "ceiling_m", float, "m", _key("max_elevation_ceiling_m")),
    F("roads_file", "roads_file", str, "", _key("roads_file")),
    # route km along an existing road (as length_km); upgrade_km above is the built km there, switchbacks included
    F("on_existing_road_km", "on_road_km", float, "km", _key("on_existing_road_km")),
    F("existing_road_from", "road_from", str, "", _key("existing_road_from")),
    F("grade_limit_raised_pct", "raised_pct", float, "pct", _key("grade_limit_raised_pct")),
    F("n_steep_sections", "n_steep", int, "count", _count("steep_sections")),
    # earthworks and bridges (issue 17)
    F("earthworks_m3", "earth_m3", float, "m3", _key("earthworks_m3")),
    F("earthworks_usd_low", "earth_lo", float, "USD", _breakdown("earthworks", "low")),
    F("earthworks_usd_high", "earth_hi", float, "USD", _breakdown("earthworks", "high")),
    F("n_bridges", "n_bridges", int, "count", _bridges_sum(None)),
    F("bridge_m", "bridge_m", float, "m", _bridges_sum("length_m")),
    F("bridges_cost_usd", "bridge_usd", float, "USD", _bridges_sum("cost_usd")),
    F("avalanche_exposed_km", "aval_km", float, "km", _key("avalanche_exposed_km")),
    # deviation from a reference road (issue 17, --reference)
    F("ref_pdi_km", "ref_pdi_km", float, "km", _sub("reference", "pdi_km")),
    F("ref_npdi_pct", "ref_npdi", float, "pct", _sub("reference", "npdi_pct")),
    F("ref_within_0_5km_pct", "ref_in0_5", float, "pct", _sub("reference", "within_pct", "0.5")),
    F("ref_within_1km_pct", "ref_in1", float, "pct", _sub("reference", "within_pct", "1")),
    F("ref_within_2km_pct", "ref_in2", float, "pct", _sub("reference", "within_pct", "2")),
    F("ref_within_5km_pct", "ref_in5", float, "pct", _sub("reference", "within_pct", "5")),
    F("ref_hausdorff_km", "ref_haus", float, "km", _sub("reference", "hausdorff_km")),
    F("ref_length_ratio", "ref_len_r", float, "ratio", _sub("reference", "length_ratio")),
    F("ref_file", "ref_file", str, "", _sub("reference", "file")),
    # the search
    F("within", "within", str, "", _codes("within")),
    F("avoid", "avoid", str, "", _codes("avoid")),
    F("neighbours", "neighbours", int, "count", _key("neighbours")),
    F("optimality_gap_pct", "gap_pct", float, "pct", _key("optimality_gap_pct")),
    F("lower_bound_cost", "lower_cost", float, "cost_unit", _key("lower_bound_cost")),
    # walking
    F("walking_hours", "walk_h", float, "h", _key("walking_hours")),
    F("walking_days", "walk_days", float, "days", _key("walking_days")),
    F("walking_hours_per_day", "walk_h_day", float, "h", _key("walking_hours_per_day")),
    F("walking_days_limited", "walk_dlim", float, "days", _key("walking_days_limited")),
    F("arrival", "arrival", str, "", _key("arrival")),
    # text
    F("notes", "notes", str, "", _joined("notes")),
    # the road-length model's range (issue 17, wakhan.route.road_length)
    F("estimated_road_km_low", "est_rd_lo", float, "km", _item("estimated_road_km_range", 0)),
    F("estimated_road_km_high", "est_rd_hi", float, "km", _item("estimated_road_km_range", 1)),
    # the share of the route's length on each DEM source (issue 17, wakhan.route.source_shares)
    F("source_shares", "src_shares", str, "", _shares),
)

#: Shapefile names of the point layers' columns that are longer than 10 characters.
POINT_SHORT_NAMES = {
    "elevation_m": "elev_m",
    "prominence_m": "prom_m",
    "nearest_place": "near_place",
    "nearest_place_km": "near_km",
}

_UNITS = {"_km": "km", "_m": "m", "_pct": "pct", "_usd": "USD"}


def short_name(name: str) -> str:
    """The shapefile name of a column (table entry, or built for per-route columns).

    Parameters
    ----------
    name : str
        A long column name.

    Returns
    -------
    str
        At most 10 characters.

    Examples
    --------
    >>> short_name("km_above_4500m"), short_name("km_above_5000m"), short_name("km_in_AF"), short_name("km")
    ('km_gt4500m', 'km_gt5000m', 'km_in_AF', 'km')
    """
    for f in ROUTE_FIELDS:
        if f.name == name:
            return f.short
    if name in POINT_SHORT_NAMES:
        return POINT_SHORT_NAMES[name]
    if name.startswith("km_above_") and name.endswith("m"):
        return f"km_gt{name[9:]}"[:10]
    return name[:10]


def unit_of(name: str) -> str:
    """The unit a column's name states (``km``, ``m``, ``pct``; "" when none).

    Examples
    --------
    >>> unit_of("km_in_AF"), unit_of("elevation_m"), unit_of("name")
    ('km', 'm', '')
    """
    for f in ROUTE_FIELDS:
        if f.name == name:
            return f.unit
    if name.startswith("km_"):
        return "km"
    for suffix, unit in _UNITS.items():
        if name.endswith(suffix):
            return unit
    return ""


def field_table_rows(layers: dict[str, list[tuple[str, type]]]) -> list[dict]:
    """Rows ``layer, long_name, short_name, type, unit`` for every column of every layer written.

    Parameters
    ----------
    layers : dict
        Layer name -> list of ``(long name, type)``.

    Returns
    -------
    list of dict

    Examples
    --------
    >>> field_table_rows({"route": [("length_km", float), ("hairpins", int)]})[1]
    {'layer': 'route', 'long_name': 'hairpins', 'short_name': 'hairpins', 'type': 'integer', 'unit': 'count'}
    """
    kinds = {str: "text", int: "integer", float: "real"}
    return [
        {"layer": layer, "long_name": n, "short_name": short_name(n), "type": kinds[t], "unit": unit_of(n)}
        for layer, cols in layers.items()
        for n, t in cols
    ]
