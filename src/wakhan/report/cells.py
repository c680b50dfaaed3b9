"""Table cells of report.md: a number with its unit, or '-' where there is none."""

from __future__ import annotations

__all__ = ["value_cell"]


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
