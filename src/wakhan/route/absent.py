"""The value of a route summary's field that the route does not have, and the two ways to read a field.

A field of :class:`wakhan.route.summary.RouteSummary` holds :data:`ABSENT` where the
route has none (it is then left out of the JSON), so that a field present with the
value ``None`` stays distinct from a missing one. :func:`present` reads a field every
route of its kind has, :func:`or_none` one it may lack.
"""

from __future__ import annotations

import enum
from typing import Literal, TypeVar

__all__ = ["ABSENT", "Absent", "or_none", "present"]


class _Absent(enum.Enum):
    """The type of :data:`ABSENT` (an enum, so that type checkers know its one value)."""

    ABSENT = "absent"

    def __bool__(self) -> Literal[False]:  # so that `summary.terrain.passes or []` is typed as a list
        return False

    def __repr__(self) -> str:
        return "ABSENT"


#: The value of a summary field the route does not have; such a field is not written to JSON.
ABSENT = _Absent.ABSENT
Absent = Literal[_Absent.ABSENT]

_T = TypeVar("_T")


def present(value: _T | Absent, name: str) -> _T:
    """``value`` of the summary field ``name``; a TypeError naming it when the route has none.

    For readers of a field every route of their kind has (a highway's ``cost_usd``, any
    route's ``passes``): it states that, and says which field is missing if it is not.

    Examples
    --------
    >>> from wakhan.route.summary import RouteSummary
    >>> present(RouteSummary.of(length_km=8.9).terrain.length_km, "length_km")
    8.9
    >>> present(RouteSummary().terrain.climb_m, "climb_m")
    Traceback (most recent call last):
    ...
    TypeError: the route summary has no climb_m
    """
    if isinstance(value, _Absent):
        raise TypeError(f"the route summary has no {name}")
    return value


def or_none(value: _T | Absent) -> _T | None:
    """``value`` of a summary field, or None where the route has none (what ``.get`` gives on its JSON).

    Examples
    --------
    >>> from wakhan.route.summary import RouteSummary
    >>> or_none(RouteSummary.of(length_km=8.9).terrain.length_km), or_none(RouteSummary().terrain.climb_m)
    (8.9, None)
    """
    return None if isinstance(value, _Absent) else value
