"""The legs of a planned route: solved one by one between consecutive waypoints, joined, explained.

:func:`solve_legs` runs the solver on every leg (two at a time, the kernels release
the GIL, while both legs' arrays fit in half the available memory; else one after the other) and restates a failure with the waypoints' names (:func:`leg_error`);
:func:`joints_km` finds where each waypoint falls on the joined profile and
:func:`edge_note` says when the route runs along the DEM's edge.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from wakhan.cost import MAX_GRADE_LIMIT_PCT
from wakhan.errors import RouteError, option
from wakhan.grid import Grid
from wakhan.interrupt import map_interruptible
from wakhan.memory import concurrent_solves
from wakhan.solve import gentlest_crossing_pct, least_cost_path
from wakhan.solve.refine import certified_path

__all__ = ["solve_legs", "leg_error", "max_grade_hint", "joints_km", "edge_note", "BarrierParts"]


@dataclass(frozen=True, eq=False)
class BarrierParts:
    """The masks a route's barrier is made of (True = closed), so a failure can name the one that cuts a leg.

    ``countries``: outside ``--within`` / inside ``--avoid``; ``ceiling``: above
    ``--max-elevation``; ``water``: lakes (unless ``--cross-water``). Each part is
    kept as the function that computes its mask, called only when a leg fails and
    :func:`leg_error` asks which part cut it: a route that succeeds holds no more
    than its combined barrier (each mask is 538 MB on a 30 m grid).

    Examples
    --------
    >>> lake = np.zeros((2, 3), bool)
    >>> lake[:, 1] = True
    >>> parts = BarrierParts().with_parts(water=lambda: lake, countries=None)
    >>> parts.mask("countries") is None, parts.mask("water").tolist()
    (True, [[False, True, False], [False, True, False]])
    """

    makers: dict = field(default_factory=dict)

    def with_parts(self, **makers) -> BarrierParts:
        """These parts and ``makers`` by name: each a function returning a boolean mask, or None (no such part)."""
        return BarrierParts({**self.makers, **{name: f for name, f in makers.items() if f is not None}})

    def mask(self, name: str) -> np.ndarray | None:
        """The boolean mask of part ``name``, or None when the barrier has no such part."""
        make = self.makers.get(name)
        return None if make is None else make()


def solve_legs(
    grid: Grid,
    model,
    places: Sequence,
    cells: Sequence[tuple[int, int]],
    *,
    neighbours: int,
    barrier=None,
    friction=None,
    refine: bool = False,
    gap_pct: float = 1.0,
    tunnels: bool = False,
    within=None,
    avoid=None,
    max_elevation_m: float | None = None,
    parts: BarrierParts | None = None,
) -> list[tuple]:
    """``(path, certificate)`` of every leg ``cells[i] -> cells[i + 1]``, in order.

    ``certificate`` is None for a leg solved exactly over the full grid; with
    ``refine`` every leg is solved coarse-to-fine to within ``gap_pct``
    (:func:`wakhan.solve.refine.certified_path`). A leg no road can take is
    ``(None, None)`` when ``tunnels`` may still cross it, else the solver's
    :class:`RouteError` is restated by :func:`leg_error`, which names the parts of
    ``barrier`` (``parts``: countries, the ``max_elevation_m`` ceiling, water) that cut the leg.

    Examples
    --------
    Two legs along a row of flat 200 m cells, where a highway metre costs 1: 4 and 5 cells long.

    >>> from affine import Affine
    >>> from wakhan.cost import get_model
    >>> z = np.full((3, 10), 2000.0, np.float32)
    >>> dem = Grid(z, Affine(200.0, 0, 500_000, 0, -200.0, 4_100_000), "EPSG:32643")
    >>> legs = solve_legs(dem, get_model("highway"), ["a", "b", "c"], [(1, 0), (1, 4), (1, 9)], neighbours=16)
    >>> [(len(p), round(p.total_cost), cert) for p, cert in legs]
    [(5, 800, None), (6, 1000, None)]
    """
    n_legs = len(cells) - 1

    def solve_leg(i):
        if refine:
            return certified_path(
                grid,
                model,
                cells[i],
                cells[i + 1],
                neighbours=neighbours,
                barrier=barrier,
                friction=friction,
                gap_pct=gap_pct,
            )
        path = least_cost_path(
            grid, model, cells[i], cells[i + 1], neighbours=neighbours, barrier=barrier, friction=friction
        )
        return path, None

    solved = []
    workers = concurrent_solves(grid.array.size, n_legs)  # two legs at a time while memory allows
    for i, (value, exc) in enumerate(map_interruptible(solve_leg, range(n_legs), workers=workers)):
        if isinstance(exc, RouteError) and tunnels:
            value = (None, None)  # a climb no road can make: the tunnel search may cross it
        elif isinstance(exc, RouteError):
            raise leg_error(
                exc,
                grid,
                model,
                places[i],
                places[i + 1],
                cells[i],
                cells[i + 1],
                neighbours,
                barrier,
                within,
                avoid,
                max_elevation_m=max_elevation_m,
                parts=parts,
            ) from None
        elif exc is not None:
            raise exc
        solved.append(value)
    return solved


def max_grade_hint(needs_pct: float) -> str:
    """The option that allows a grade of ``needs_pct`` (rounded up to 0.1 %), as :func:`leg_error` ends its sentence.

    A caller that raises the limit itself (``compare``) takes it off the sentence it quotes
    (:meth:`str.removesuffix`): its user typed no such limit.

    Examples
    --------
    >>> max_grade_hint(70.04)
    ' (--max-grade 70.1, or max_grade_pct=70.1 in Python)'
    """
    pct = f"{math.ceil(needs_pct * 10) / 10:.1f}"
    return f" ({option(f'--max-grade {pct}', f'max_grade_pct={pct}')})"


def leg_error(
    exc: RouteError,
    dem,
    model,
    a,
    b,
    s,
    g,
    neighbours,
    barrier,
    within,
    avoid,
    *,
    max_elevation_m: float | None = None,
    parts: BarrierParts | None = None,
    via: bool = True,
) -> RouteError:
    """Restate the solver's failure between waypoints ``a`` and ``b`` with their names and the options to change.

    The gentlest possible crossing (a minimax search) is the one the solver
    measured when it diagnosed the failure (``exc.needs_grade_pct``); it is searched
    again only when the solver's error does not carry it. When ``barrier`` cuts the
    waypoints apart, the message names the part of it that does (``parts``: the
    countries outside ``within``/``avoid``, the ``max_elevation_m`` ceiling, the
    lakes; each tried alone, all of them when only together they do) and the
    option that relaxes it, never the solver's cell indices (``via``: whether the
    command takes a --via waypoint to suggest).

    Examples
    --------
    >>> from wakhan.cost import get_model
    >>> from wakhan.places import Place
    >>> a, b = Place("A", (), 37.0, 75.0, "town", "", ""), Place("B", (), 37.0, 75.1, "town", "", "")
    >>> err = RouteError("no route", needs_grade_pct=70.04)
    >>> print(leg_error(err, None, get_model("highway"), a, b, (0, 0), (0, 2), 8, None, None, None))
    no highway route from A to B keeps within the grade limit of 60 %: the gentlest possible crossing on this DEM needs 70.0 %, so allow at least 70.1 % (--max-grade 70.1, or max_grade_pct=70.1 in Python)

    A waypoint on an island: the lakes around it are the barrier.

    >>> from affine import Affine
    >>> island = np.ones((3, 5), bool)
    >>> island[1, 0] = island[1, 4] = False
    >>> dem = Grid(np.zeros((3, 5), np.float32), Affine(200.0, 0, 500_000, 0, -200.0, 4_100_000), "EPSG:32643")
    >>> err = RouteError("the barrier mask separates (1, 0) from (1, 4)")
    >>> parts = BarrierParts().with_parts(water=lambda: island)
    >>> print(leg_error(err, dem, get_model("highway"), a, b, (1, 0), (1, 4), 8, island, None, None, parts=parts))
    no route from A to B stays off the lakes (impassable water) within the DEM around the waypoints; give --cross-water, or cross_water=True in Python, add a via waypoint, or widen the buffer (--buffer-km, or buffer_km in Python)
    """
    gentlest = exc.needs_grade_pct
    if gentlest is None:
        gentlest = gentlest_crossing_pct(dem, s, g, neighbours=neighbours, barrier=barrier)
    limit = float(model.max_grade_pct)
    leg = f"{a.name} to {b.name}"
    if math.isfinite(gentlest) and gentlest > limit:
        allow_pct = math.ceil(gentlest * 10) / 10
        if allow_pct > MAX_GRADE_LIMIT_PCT:
            fix = (
                f"steeper than any grade limit allows ({MAX_GRADE_LIMIT_PCT:g} %, 45 degrees); choose other end points"
            )
        else:
            fix = f"so allow at least {allow_pct:.1f} %{max_grade_hint(gentlest)}"
        return RouteError(
            f"no {model.name} route from {leg} keeps within the grade limit of {limit:g} %: the gentlest "
            f"possible crossing on this DEM needs {gentlest:.1f} %, {fix}",
            needs_grade_pct=float(gentlest),
        )
    if not math.isfinite(gentlest) and barrier is not None:
        why = _barrier_cause(dem, model, s, g, neighbours, within, avoid, max_elevation_m, parts)
        if why:
            add_via = f"add a {option('--via waypoint', 'via waypoint', again=True)}, " if via else ""
            return RouteError(
                f"no route from {leg} stays {why[0]} within the DEM around the waypoints; "
                f"{why[1]}, {add_via}or widen the buffer "
                f"({option('--buffer-km', 'buffer_km')})"
            )
    return RouteError(f"no route from {leg}: {exc}")


def _barrier_cause(dem, model, s, g, neighbours, within, avoid, max_elevation_m, parts) -> tuple[str, str] | None:
    """``(where the route must stay, what to relax)`` for the barrier parts that cut ``s`` from ``g``.

    None when nodata, not the barrier, separates them. Without ``parts`` (a caller
    that only knows ``within``/``avoid``) the countries are named.
    """
    named = []
    if within or avoid:
        opts = " ".join(
            option(f"{k} {','.join(v)}", f"{k[2:]}={','.join(v)!r}", subject=True)
            for k, v in (("--within", within), ("--avoid", avoid))
            if v
        )
        named.append((f"inside the countries allowed by {opts}", "allow more countries", "countries"))
    if max_elevation_m is not None:
        ceiling = option("--max-elevation", "max_elevation_m", again=True)
        tunnels = option("--tunnels", "tunnels=True")
        fix = f"raise {ceiling}" + (f" or add {tunnels}" if model.name == "highway" else "")
        below = option(f"--max-elevation {max_elevation_m:g} m", f"max_elevation_m={max_elevation_m:g}", subject=True)
        named.append((f"below {below}", fix, "ceiling"))
    named.append(("off the lakes (impassable water)", f"give {option('--cross-water', 'cross_water=True')}", "water"))
    if parts is None:
        return named[0][:2] if within or avoid else None
    if not math.isfinite(gentlest_crossing_pct(dem, s, g, neighbours=neighbours)):
        return None  # missing elevation data separates them
    present = [(w, f, m) for w, f, k in named if (m := parts.mask(k)) is not None]

    def cuts(masks) -> bool:
        barrier = np.logical_or.reduce(masks) if masks else None
        return not math.isfinite(gentlest_crossing_pct(dem, s, g, neighbours=neighbours, barrier=barrier))

    cause = [(w, f) for w, f, m in present if cuts([m])]  # a part that cuts the leg on its own
    if not cause:  # only together: the parts without which the rest would let the route through
        cause = [
            (w, f)
            for i, (w, f, _) in enumerate(present)
            if not cuts([m for j, (*_, m) in enumerate(present) if j != i])
        ]
    cause = cause or [(w, f) for w, f, _ in present]
    if not cause:
        return None
    stays = (
        " and ".join(w for w, _ in cause)
        if len(cause) < 3
        else ", ".join(w for w, _ in cause[:-1]) + " and " + cause[-1][0]
    )
    return stays, ", ".join(f for _, f in cause)


def joints_km(profile, grid: Grid, cells: Sequence[tuple[int, int]]) -> list[float]:
    """Km along ``profile`` of each waypoint cell (the first at 0), searched forward from the previous one.

    Examples
    --------
    >>> from affine import Affine
    >>> from wakhan.route.profile import Profile
    >>> dem = Grid(np.zeros((1, 3), np.float32), Affine(1000.0, 0, 0, 0, -1000.0, 1000), "EPSG:32643")
    >>> p = Profile(np.array([0.0, 1.0, 2.0]), np.zeros(3), np.zeros(3), np.zeros(3),
    ...             np.array([500.0, 1500.0, 2500.0]), np.full(3, 500.0))
    >>> joints_km(p, dem, [(0, 0), (0, 1), (0, 2)])
    [0.0, 1.0, 2.0]
    """
    out, start = [0.0], 0
    for r, c in cells[1:]:
        ex, ey = grid.xy(r, c)
        k = start + int(np.argmin(np.hypot(profile.x[start:] - ex, profile.y[start:] - ey)))
        out.append(float(profile.distance_km[k]))
        start = k
    return out


def edge_note(paths, dem: Grid, profile) -> str | None:
    """A note when the route runs along the DEM's edge (a wider buffer might find a better route).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from affine import Affine
    >>> dem = Grid(np.zeros((5, 5), np.float32), Affine(1000.0, 0, 0, 0, -1000.0, 5000), "EPSG:32643")
    >>> path = SimpleNamespace(rows=np.array([2, 1, 2]), cols=np.array([1, 2, 3]))
    >>> prof = SimpleNamespace(x=np.array([1500.0, 2500.0, 3500.0]), y=np.array([2500.0, 3500.0, 2500.0]),
    ...                        distance_km=np.array([0.0, 1.4, 2.8]))
    >>> edge_note([path], dem, prof)
    'the route touches the edge of the DEM near km 1; a larger buffer_km might find a cheaper route'
    """
    for path in paths:
        rows, cols = np.asarray(path.rows), np.asarray(path.cols)
        edge = (rows <= 1) | (cols <= 1) | (rows >= dem.height - 2) | (cols >= dem.width - 2)
        edge[[0, -1]] = False
        if edge.any():
            x, y = dem.xy(rows[edge][0], cols[edge][0])
            k = int(np.argmin(np.hypot(profile.x - x, profile.y - y)))
            return (
                f"the route touches the edge of the DEM near km {profile.distance_km[k]:.0f}; "
                "a larger buffer_km might find a cheaper route"
            )
    return None
