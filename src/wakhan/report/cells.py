"""Table cells of report.md: a number with its unit, or '-' where there is none; a settlement's name."""

from __future__ import annotations

import re

from wakhan.places import gazetteer_name, whereabouts

__all__ = ["value_cell", "settlement_cell"]

#: A settlement named by its grid cell (GHS-WUP: "GHS low density rural cell at 36.98N 73.45E").
_CELL_AT = re.compile(r"cell at (-?\d+(?:\.\d+)?)N (-?\d+(?:\.\d+)?)E$")


def value_cell(v, unit="", digits=0) -> str:
    """``v`` with thousands separators, ``digits`` decimals and ``unit``; ``-`` for None.

    Examples
    --------
    >>> value_cell(4859.4, "m"), value_cell(24.29, "%", 1), value_cell(12), value_cell(None, "km")
    ('4,859 m', '24.3 %', '12', '-')
    """
    if v is None:
        return "-"
    return f"{v:,.{digits}f}{(' ' + unit) if unit else ''}"


def settlement_cell(name: str | None) -> str:
    """A settlement as a reader finds it on a map: the gazetteer's spelling of a named place, and a
    settlement known only by its grid cell placed from the nearest named place.

    Parameters
    ----------
    name : str or None
        The settlement source's name.

    Returns
    -------
    str

    Examples
    --------
    >>> settlement_cell("GHS low density rural cell at 36.98N 73.45E")
    'GHS low density rural cell at 36.98N 73.45E (2 km S of Sarhad-e Broghil)'
    >>> settlement_cell("Tashqorghan"), settlement_cell(None)
    ('Tashkurgan', '-')
    """
    shown = gazetteer_name(name)
    at = _CELL_AT.search(shown)
    if at is None:
        return shown
    return f"{shown} ({whereabouts(float(at.group(2)), float(at.group(1)), n=1)})"
