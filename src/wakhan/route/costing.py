"""Construction cost of a highway route from the unit-cost table ``data/unit_costs.csv``.

Each row of the table is a cost item (``plain_road``, ``mountain_road``,
``switchback_road``, ``tunnel``, ``upgrade_road`` per km, and the
``altitude_factor`` multiplier) with a low and a high value in US dollars of the
year named, and its source (published projects in the region, or an estimate said
to be one). Prices are nominal, not adjusted for inflation or exchange rates.

A route's cost is, for the low and the high end separately::

    sum over classes of  km * rate * (1 + (altitude_factor - 1) * above_4000m_km / km)

with the km per class from :func:`wakhan.route.engineering.engineering_summary`
(switchbacks by their built length).
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from wakhan.errors import DataError

__all__ = [
    "load_unit_costs",
    "route_cost",
    "unit_costs_path",
    "CLASS_ITEMS",
    "add_earthworks_cost",
    "add_bridges_cost",
    "split_tunnels",
]

#: engineering class -> unit-cost item
CLASS_ITEMS = {
    "plain": "plain_road",
    "mountain": "mountain_road",
    "switchback": "switchback_road",
    "upgrade": "upgrade_road",
    "tunnel": "tunnel",
    "existing_tunnel": "tunnel_rehabilitation",
}
#: Items listed in every breakdown, at 0 km when the route has none (so a reader sees there is none).
ALWAYS_LISTED = ("tunnel",)


def unit_costs_path() -> Path:
    """``data/unit_costs.csv`` in the repository (or the installed package's data).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    DataError
        The table is missing.

    Examples
    --------
    >>> unit_costs_path().name
    'unit_costs.csv'
    """
    here = Path(__file__).resolve()
    for base in (here.parents[3] / "data", here.parents[1] / "_data"):
        if (base / "unit_costs.csv").exists():
            return base / "unit_costs.csv"
    raise DataError("the unit-cost table data/unit_costs.csv is missing; reinstall wakhan from its repository")


@lru_cache(maxsize=4)
def load_unit_costs(path: str | None = None) -> dict:
    """``item -> {low, high, unit, currency, year, source, note}`` from the table.

    Parameters
    ----------
    path : str, optional
        Another table of the same columns; default :func:`unit_costs_path`.

    Returns
    -------
    dict
        ``low``/``high`` as floats (US dollars per ``unit``), ``year`` as int.

    Examples
    --------
    The Kashgar-Yecheng expressway row: 1 to 2.5 million US dollars per km.

    >>> row = load_unit_costs()["plain_road"]
    >>> row["unit"], row["low"], row["high"]
    ('USD per km', 1000000.0, 2500000.0)
    """
    p = Path(path) if path else unit_costs_path()
    try:
        rows = list(csv.DictReader(p.open(encoding="utf-8")))
        out = {r["item"]: {**r, "low": float(r["low"]), "high": float(r["high"]), "year": int(r["year"])} for r in rows}
    except (OSError, KeyError, ValueError) as exc:
        raise DataError(f"unit-cost table {p} is unreadable ({exc}); restore it from the repository") from None
    missing = sorted((set(CLASS_ITEMS.values()) | {"altitude_factor"}) - set(out))
    if missing:
        raise DataError(f"unit-cost table {p} lacks the item {missing[0]!r}; restore it from the repository")
    return out


def route_cost(built_km_by_class: dict, costs: dict | None = None) -> dict:
    """Cost range of a route: ``{low, high, currency, breakdown: [...], basis}`` in US dollars.

    Parameters
    ----------
    built_km_by_class : dict
        ``class -> {"km", "above_4000m_km"}`` (an engineering summary's
        ``built_km_by_class``); classes are the keys of :data:`CLASS_ITEMS`.
    costs : dict, optional
        Unit costs as :func:`load_unit_costs` returns them (default: the table).

    Returns
    -------
    dict
        Totals rounded to the million, one breakdown row per class with km.

    Examples
    --------
    10 km of plain road at 1-2 M USD/km, 2 km of it above 4,000 m at a 1.5 altitude
    factor: low 10 x 1 + 2 x 1 x 0.5 = 11 M, high 10 x 2 + 2 x 2 x 0.5 = 22 M.

    >>> costs = {item: {"low": 1e6, "high": 2e6, "year": 2020} for item in CLASS_ITEMS.values()}
    >>> costs["altitude_factor"] = {"low": 1.5, "high": 1.5, "year": 2020}
    >>> c = route_cost({"plain": {"km": 10.0, "above_4000m_km": 2.0}}, costs)
    >>> c["low"], c["high"], [row["item"] for row in c["breakdown"]]
    (11000000.0, 22000000.0, ['plain_road', 'tunnel'])
    """
    costs = costs or load_unit_costs()
    alt = costs["altitude_factor"]
    total = {"low": 0.0, "high": 0.0}
    breakdown = []
    for cls, item in CLASS_ITEMS.items():
        km = float(built_km_by_class.get(cls, {}).get("km", 0.0))
        high_km = float(built_km_by_class.get(cls, {}).get("above_4000m_km", 0.0))
        if km <= 0 and item not in ALWAYS_LISTED:
            continue
        row = {"item": item, "km": round(km, 1), "above_4000m_km": round(high_km, 1)}
        for end in ("low", "high"):
            usd = km * costs[item][end] + high_km * costs[item][end] * (alt[end] - 1.0)
            row[end] = round(usd, -5)
            total[end] += usd
        breakdown.append(row)
    years = sorted({costs[CLASS_ITEMS[c]]["year"] for c in CLASS_ITEMS})
    return {
        "low": round(total["low"], -6),
        "high": round(total["high"], -6),
        "currency": "USD",
        "breakdown": breakdown,
        "basis": (
            f"unit costs of published projects in the region, {years[0]}-{years[-1]} US dollars "
            "(nominal), altitude factor above 4,000 m; see data/unit_costs.csv"
        ),
    }


def add_earthworks_cost(cost: dict, earthworks_m3: float, costs: dict | None = None) -> dict:
    """``cost`` (a :func:`route_cost` result) with an ``earthworks`` breakdown row added to its totals.

    The row prices the route's cut across the side slope (``earthworks_m3``, from
    :func:`wakhan.route.earthworks.route_earthworks_m3`) at the ``earthworks`` item of the
    table (US dollars per m3); a table without that item leaves ``cost`` as it is.

    Examples
    --------
    >>> base = {"low": 1e6, "high": 2e6, "breakdown": [], "basis": "b"}
    >>> c = add_earthworks_cost(base, 1_000_000.0, {"earthworks": {"low": 3.0, "high": 12.0}})
    >>> c["low"], c["high"], c["breakdown"][-1]["item"], c["breakdown"][-1]["m3"]
    (4000000.0, 14000000.0, 'earthworks', 1000000.0)
    """
    costs = costs or load_unit_costs()
    if "earthworks" not in costs or not earthworks_m3 > 0:
        return cost
    row: dict = {"item": "earthworks", "m3": round(float(earthworks_m3), -2)}
    out = dict(cost)
    for end in ("low", "high"):
        usd = float(earthworks_m3) * costs["earthworks"][end]
        row[end] = round(usd, -5)
        out[end] = round(float(cost[end]) + usd, -6)
    out["breakdown"] = [*cost.get("breakdown", []), row]
    out["basis"] = (
        cost.get("basis", "")
        + "; earthworks of the bench cut across the side slope per m3"
        + _year(costs["earthworks"])
    )
    return out


def add_bridges_cost(cost: dict, bridges: list[dict], costs: dict | None = None) -> dict:
    """``cost`` with a ``bridges`` breakdown row: the bridges' total length at the ``bridge`` item (US$ per m).

    Examples
    --------
    >>> base = {"low": 1e6, "high": 2e6, "breakdown": [], "basis": "b"}
    >>> c = add_bridges_cost(base, [{"length_m": 100.0}, {"length_m": 50.0}], {"bridge": {"low": 2e4, "high": 6e4}})
    >>> c["low"], c["high"], c["breakdown"][-1]
    (4000000.0, 11000000.0, {'item': 'bridges', 'n': 2, 'length_m': 150.0, 'low': 3000000.0, 'high': 9000000.0})
    """
    costs = costs or load_unit_costs()
    if "bridge" not in costs or not bridges:
        return cost
    metres = float(sum(float(b["length_m"]) for b in bridges))
    row: dict = {"item": "bridges", "n": len(bridges), "length_m": round(metres, 0)}
    out = dict(cost)
    for end in ("low", "high"):
        usd = metres * costs["bridge"][end]
        row[end] = round(usd, -5)
        out[end] = round(float(cost[end]) + usd, -6)
    out["breakdown"] = [*cost.get("breakdown", []), row]
    out["basis"] = (
        cost.get("basis", "") + "; bridges over streams from the DEM's drainage per metre" + _year(costs["bridge"])
    )
    return out


def _year(row: dict) -> str:
    """The price year of a unit-cost row outside the road classes' span, for the cost basis (the bridge
    row is 2007 US dollars, the earthworks row a 2024 estimate; the basis named only the road classes' years).

    >>> _year({"year": 2007}), _year({})
    (' (2007 US dollars)', '')
    """
    return f" ({row['year']} US dollars)" if row.get("year") else ""


def split_tunnels(tunnel_dicts) -> tuple[list[dict], dict]:
    """New tunnels, and the existing ones as a cost class ``{km, above_4000m_km}``.

    Examples
    --------
    >>> new, old = split_tunnels([{"length_km": 2.0, "existing": "Salang Tunnel",
    ...                            "portal_a": {"elevation_m": 3400.0}, "portal_b": {"elevation_m": 3400.0}},
    ...                           {"length_km": 5.0, "portal_a": {"elevation_m": 4100.0},
    ...                            "portal_b": {"elevation_m": 4000.0}}])
    >>> [t["length_km"] for t in new], old
    ([5.0], {'km': 2.0, 'above_4000m_km': 0.0})
    """
    new = [t for t in tunnel_dicts if not t.get("existing")]
    old = [t for t in tunnel_dicts if t.get("existing")]
    km = float(sum(t["length_km"] for t in old))
    high = float(
        sum(t["length_km"] for t in old if 0.5 * (t["portal_a"]["elevation_m"] + t["portal_b"]["elevation_m"]) > 4000.0)
    )
    return new, {"km": km, "above_4000m_km": high}
