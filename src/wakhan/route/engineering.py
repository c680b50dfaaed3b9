"""What a road engineer reads off a highway route: design grade, built length, switchbacks, hairpins.

A solver path is a chain of grid moves; each move is one or two straight
*pieces* (see :mod:`wakhan.cost`). A highway piece steeper than the design grade
``gd`` at its mean elevation is a *switchback section*: the road is built at
``gd``, so its built length is ``horizontal length * |grade| / gd`` (the
development), with one hairpin per ``hairpin_spacing_m`` of developed length.
A piece no steeper than ``gd`` is built as it lies. Tunnels (straight, under the
terrain, :mod:`wakhan.solve.tunnels`) are built at their own length.

:func:`path_pieces` lists the pieces of a path (independently of the kernels, from
the move geometry of :mod:`wakhan.solve.moves`); :func:`engineering_summary`
turns them into the route-summary keys ``design_grade_pct``, ``built_length_km``,
``switchback_km``, ``development_km``, ``hairpins`` and ``switchback_sections``.
"""

from __future__ import annotations

import math

import numpy as np

from wakhan.route.road_length import dem_road_length_model
from wakhan.route.source_shares import source_shares
from wakhan.solve.moves import midpoint_cells

__all__ = [
    "path_pieces",
    "built_pieces",
    "engineering_summary",
    "path_vertex_km",
    "road_steps",
    "ROAD_LENGTH_FACTOR",
    "road_length_factor",
]


def road_length_factor(dem) -> float:
    """Road km per built km for a route on ``dem``: :func:`wakhan.route.road_length.road_length_model`'s factor.

    It depends on the native cell of the DEM's first source (its ``resolution`` words) and on
    the grid's cell (``res``, metres); a grid without sources counts as its own native cell.
    A route's own factor (:func:`engineering_summary`) weights the sources by its length on
    each instead (:func:`wakhan.route.source_shares.source_shares`).

    Parameters
    ----------
    dem : Grid
        The metric DEM (its ``res`` and ``sources`` are read).

    Returns
    -------
    float

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from wakhan.grid import DataSource
    >>> gebco = SimpleNamespace(res=(464.0, 464.0), sources=(DataSource("GEBCO_2023", '15" (~460 m)'),))
    >>> srtm = SimpleNamespace(res=(93.0, 93.0), sources=(DataSource("SRTM", '3" (~90 m)'),))
    >>> road_length_factor(gebco) > 1.0 > road_length_factor(srtm)
    True
    """
    return dem_road_length_model(dem).factor


def path_pieces(path, dem) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The graded pieces of a solver path on ``dem``.

    Returns
    -------
    step, length_m, z_from, z_to : numpy.ndarray
        For every piece: the index of the path step it belongs to, its
        horizontal metric length, and the elevations at its ends (a long move's
        midpoint is the bilinear mean of the cells around it).

    Examples
    --------
    Two east moves on a plane rising 100 m per 1,000 m cell: two pieces of 1,000 m.

    >>> from types import SimpleNamespace
    >>> from affine import Affine
    >>> from wakhan.grid import Grid
    >>> dem = Grid(np.tile(np.array([0.0, 100.0, 200.0], np.float32), (3, 1)),
    ...            Affine(1000.0, 0, 500_000, 0, -1000.0, 4_100_000), "EPSG:32643")
    >>> step, length, z_from, z_to = path_pieces(SimpleNamespace(rows=[1, 1, 1], cols=[0, 1, 2]), dem)
    >>> step.tolist(), length.tolist(), z_from.tolist(), z_to.tolist()
    ([0, 1], [1000.0, 1000.0], [0.0, 100.0], [100.0, 200.0])
    """
    z = dem.array  # read in place (heights are taken one by one as float): no copy of the whole grid
    dx, dy = (float(v) for v in dem.res)
    rows, cols = np.asarray(path.rows), np.asarray(path.cols)
    step: list[int] = []
    length: list[float] = []
    za: list[float] = []
    zb: list[float] = []
    for i in range(rows.size - 1):
        r, c = int(rows[i]), int(cols[i])
        dr, dc = int(rows[i + 1]) - r, int(cols[i + 1]) - c
        full = float(np.hypot(dr * dy, dc * dx))
        z0, z1 = float(z[r, c]), float(z[r + dr, c + dc])
        around = midpoint_cells(dr, dc)
        if not around:
            step.append(i)
            length.append(full)
            za.append(z0)
            zb.append(z1)
            continue
        zm = sum(w * float(z[r + a, c + b]) for (a, b), w in around)
        step += [i, i]
        length += [full / 2, full / 2]
        za += [z0, zm]
        zb += [zm, z1]
    return (
        np.array(step, dtype=np.int64),
        np.array(length),
        np.array(za, dtype=np.float64),
        np.array(zb, dtype=np.float64),
    )


def built_pieces(length_m, z_from, z_to, model):
    """Built length (m), design grade (percent) and built grade (percent) of each piece.

    Parameters
    ----------
    length_m, z_from, z_to : numpy.ndarray
        Horizontal length (m) and end elevations (m) of each piece.
    model : HighwayModel
        Supplies ``design_grade_at(elevation_m)``.

    Returns
    -------
    built_m, design_grade_pct, built_grade_pct : numpy.ndarray
        A piece steeper than its design grade is developed to it (switchbacks):
        ``built = length x grade / design``; a gentler one is built as it lies.

    Examples
    --------
    A 12 % piece is built at the 6 % design grade over twice its length; a 3 % piece as it lies:

    >>> from wakhan.cost import get_model
    >>> built, design, grade = built_pieces(np.array([1000.0, 1000.0]), np.array([1000.0, 1000.0]),
    ...                                     np.array([1120.0, 1030.0]), get_model("highway", design_grade_pct=6.0))
    >>> built.round(1).tolist(), design.tolist(), grade.round(2).tolist()
    ([2000.0, 1000.0], [6.0, 6.0], [6.0, 3.0])
    """
    grade = np.abs(100.0 * (z_to - z_from) / length_m)
    design = model.design_grade_at(0.5 * (z_from + z_to))
    built = length_m * np.maximum(1.0, grade / design)
    return built, design, 100.0 * np.abs(z_to - z_from) / built


def road_steps(path, on_road: np.ndarray) -> np.ndarray:
    """Which moves of ``path`` run on an existing road: those between two ``on_road`` cells.

    The one rule for "on a road": the upgrade cost class (:func:`engineering_summary`) and the
    route's km along existing roads both count these moves.

    Parameters
    ----------
    path : wakhan.solve.Path
        A leg, with its cells ``rows, cols``.
    on_road : numpy.ndarray of bool
        Cells an existing road touches, on the DEM the path was solved on.

    Returns
    -------
    numpy.ndarray of bool
        One value per move (``len(path) - 1``).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> on = np.array([[True, True, False, True]])
    >>> road_steps(SimpleNamespace(rows=[0, 0, 0, 0], cols=[0, 1, 2, 3]), on).tolist()
    [True, False, False]
    """
    r, c = np.asarray(path.rows), np.asarray(path.cols)
    return on_road[r[:-1], c[:-1]] & on_road[r[1:], c[1:]]


def path_vertex_km(paths, profile) -> list[np.ndarray]:
    """Distance (km) along ``profile`` of every vertex of each path (the profile passes through them).

    Parameters
    ----------
    paths : sequence of wakhan.solve.Path
        Legs in order, with map coordinates ``x, y``.
    profile : Profile
        The route's profile, with the same map coordinates.

    Returns
    -------
    list of numpy.ndarray
        One array of km per path.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from wakhan.route.profile import Profile
    >>> prof = Profile([0.0, 0.5, 1.0, 1.5], [71.0] * 4, [37.0] * 4, [0.0] * 4,
    ...                x=[0.0, 500.0, 1000.0, 1500.0], y=[0.0] * 4)
    >>> legs = [SimpleNamespace(x=[0.0, 1000.0], y=[0.0, 0.0]), SimpleNamespace(x=[1000.0, 1500.0], y=[0.0, 0.0])]
    >>> [k.tolist() for k in path_vertex_km(legs, prof)]
    [[0.0, 1.0], [1.0, 1.5]]
    """
    out, k = [], 0
    px, py = np.asarray(profile.x), np.asarray(profile.y)
    finite = bool(np.isfinite(px).all() and np.isfinite(py).all())
    for path in paths:
        kms = np.empty(len(path.x))
        for i, (x, y) in enumerate(zip(path.x, path.y)):
            # vertices appear in order; search forward from the last match
            j = _exact_match(px, py, x, y, k) if finite and math.isfinite(x) and math.isfinite(y) else None
            if j is None:
                j = k + int(np.argmin(np.hypot(px[k:] - x, py[k:] - y)))
            kms[i] = profile.distance_km[j]
            k = j
        out.append(kms)
    return out


def _exact_match(px: np.ndarray, py: np.ndarray, x: float, y: float, k: int, near: int = 64) -> int | None:
    """The first profile point from ``k`` on at exactly ``(x, y)`` (None if none), looked for near ``k`` first.

    With finite coordinates the nearest point's distance is 0 exactly there, so this is the index
    ``argmin`` of the distances gives, found without computing a distance to every later point.
    """
    for stop in (min(k + near, px.size), px.size):
        hit = np.flatnonzero((px[k:stop] == x) & (py[k:stop] == y))
        if hit.size:
            return k + int(hit[0])
    return None


def _merge(spans):
    merged = []
    for s in sorted(spans, key=lambda s: s["start_km"]):
        if merged and s["start_km"] <= merged[-1]["end_km"] + 1e-9:
            m = merged[-1]
            m["end_km"] = max(m["end_km"], s["end_km"])
            m["built_km"] += s["built_km"]
            m["hairpins"] += s["hairpins"]
        else:
            merged.append(dict(s))
    for m in merged:
        m["length_km"] = round(m["end_km"] - m["start_km"], 3)
        m["start_km"], m["end_km"] = round(m["start_km"], 3), round(m["end_km"], 3)
        m["built_km"] = round(m["built_km"], 3)
        m["hairpins"] = int(round(m["hairpins"]))
    return merged


#: The single road-length factor used before the model of :mod:`wakhan.route.road_length` (kept for reference).
ROAD_LENGTH_FACTOR = 1.13
#: Pieces up to this grade (percent) count as plain (valley) road in the cost breakdown.
PLAIN_GRADE_PCT = 3.0
#: Height above which the altitude cost factor of ``data/unit_costs.csv`` applies.
HIGH_ALTITUDE_M = 4000.0


def engineering_summary(paths, dem, model, profile, tunnels=(), on_road=None) -> dict:
    """Design grade, built length, switchback km and hairpins of a highway route.

    Parameters
    ----------
    paths : sequence of wakhan.solve.Path
        The surface legs (tunnels excluded) in order.
    dem : Grid
        The metric DEM they were solved on.
    model : HighwayModel
    profile : Profile
        The route's profile (for the km position of each switchback section).
    tunnels : sequence of dict
        Tunnels of the route (``length_km``, ``portal_a``/``portal_b`` with
        ``elevation_m``), built at their own length.
    on_road : bool array, optional
        Cells on an existing road: pieces between two such cells are upgrades.

    Returns
    -------
    dict
        ``design_grade_pct`` (the model's below 3,000 m), ``design_grade_pct_by_altitude``,
        ``horizontal_length_km`` (sum of grid move lengths, metric), ``built_length_km``
        (the route's geodesic length plus the development), ``switchback_km`` (route
        length of the switchback sections), ``development_km`` (extra length they
        build), ``hairpins``, ``switchback_sections`` [{start_km, end_km, length_km,
        built_km, hairpins}], ``max_built_grade_pct``, and ``built_km_by_class``:
        km of road to build per cost class (``plain`` up to :data:`PLAIN_GRADE_PCT`,
        ``mountain`` up to the design grade, ``switchback`` (built length),
        ``upgrade`` (on an existing road), ``tunnel``), each ``{km, above_4000m_km}``, surface
        classes times ``road_length_factor`` (:func:`road_length_factor`), as is ``estimated_road_km``;
        ``estimated_road_km_range`` ([low, high] km: the factor's range over the roads it was
        fitted on) and ``road_length_basis`` (the model and its inputs, in words).

    Examples
    --------
    Two 1,000 m moves up a 12 % plane with a 6 % design grade: each is built over
    twice its length (2 km of development, one hairpin per 200 m of it: 10), at 6 %.

    >>> from affine import Affine
    >>> from wakhan.cost import get_model
    >>> from wakhan.grid import Grid
    >>> from wakhan.route.profile import profile_from_path
    >>> from wakhan.solve.api import Path
    >>> dem = Grid(np.tile(np.array([1000.0, 1120.0, 1240.0], np.float32), (3, 1)),
    ...            Affine(1000.0, 0, 500_000, 0, -1000.0, 4_100_000), "EPSG:32643")
    >>> path = Path(np.array([1, 1, 1]), np.array([0, 1, 2]), np.zeros(2), 0.0, "m",
    ...             np.array([500_500.0, 501_500.0, 502_500.0]), np.full(3, 4_098_500.0))
    >>> e = engineering_summary([path], dem, get_model("highway", design_grade_pct=6.0), profile_from_path(path, dem))
    >>> e["horizontal_length_km"], e["development_km"], e["hairpins"], e["max_built_grade_pct"], e["switchback_km"]
    (2.0, 2.0, 10, 6.0, 2.0)
    """
    classes = {k: [0.0, 0.0] for k in ("plain", "mountain", "switchback", "upgrade", "tunnel")}
    horizontal = development = sw = hairpins = 0.0
    top_built = 0.0
    spans = []
    vertex_km = path_vertex_km(paths, profile)
    for path, kms in zip(paths, vertex_km):
        if len(path) < 2:
            continue
        step, length, za, zb = path_pieces(path, dem)
        built, design, built_grade = built_pieces(length, za, zb, model)
        horizontal += float(length.sum())
        extra = built - length
        steep = extra > 1e-9
        development += float(extra.sum())
        sw += float(length[steep].sum())
        pins = extra / float(model.hairpin_spacing_m)
        hairpins += float(pins.sum())
        top_built = max(top_built, float(built_grade.max()))
        grade = np.abs(100.0 * (zb - za) / length)
        high = 0.5 * (za + zb) > HIGH_ALTITUDE_M
        kind = np.where(steep, "switchback", np.where(grade <= PLAIN_GRADE_PCT, "plain", "mountain"))
        if on_road is not None:
            kind = np.where(road_steps(path, on_road)[step], "upgrade", kind)
        for k in classes:
            sel = kind == k
            classes[k][0] += float(built[sel].sum()) / 1000.0
            classes[k][1] += float(built[sel & high].sum()) / 1000.0
        for i in np.unique(step[steep]):
            on = step == i
            spans.append(
                {
                    "start_km": float(kms[i]),
                    "end_km": float(kms[i + 1]),
                    "built_km": float(built[on].sum()) / 1000.0,
                    "hairpins": float(pins[on].sum()),
                }
            )
    length_model = dem_road_length_model(dem, source_shares(dem, profile))  # weighted by the line's length per source
    factor = length_model.factor
    for k in classes:  # surface roads follow curves the grid does not resolve; tunnels are straight
        classes[k] = [v * factor for v in classes[k]]
    tunnel_km = float(sum(t["length_km"] for t in tunnels))
    classes["tunnel"] = [
        tunnel_km,
        float(
            sum(
                t["length_km"]
                for t in tunnels
                if 0.5 * (t["portal_a"]["elevation_m"] + t["portal_b"]["elevation_m"]) > HIGH_ALTITUDE_M
            )
        ),
    ]
    length_km = float(profile.distance_km[-1] - profile.distance_km[0])
    surface_km = length_km - tunnel_km + development / 1000.0
    return {
        "design_grade_pct": float(model.design_grade_pct),
        "design_grade_pct_by_altitude": {
            "below_3000m": float(model.design_grade_at(0)),
            "3000_4000m": float(model.design_grade_at(3500)),
            "4000_5000m": float(model.design_grade_at(4500)),
            "above_5000m": float(model.design_grade_at(5500)),
        },
        "hairpin_limit_pct": float(model.max_grade_pct),
        "tunnel_cost_factor": float(model.tunnel_cost_factor),
        "horizontal_length_km": round((horizontal / 1000.0) + tunnel_km, 3),
        "built_length_km": round(length_km + development / 1000.0, 3),
        "road_length_factor": factor,
        "estimated_road_km": round(surface_km * factor + tunnel_km, 1),
        "switchback_km": round(sw / 1000.0, 3),
        "development_km": round(development / 1000.0, 3),
        "hairpins": int(round(hairpins)),
        "max_built_grade_pct": round(top_built, 2),
        "switchback_sections": _merge(spans),
        "built_km_by_class": {k: {"km": round(v[0], 3), "above_4000m_km": round(v[1], 3)} for k, v in classes.items()},
        "estimated_road_km_range": [
            round(surface_km * length_model.low + tunnel_km, 1),
            round(surface_km * length_model.high + tunnel_km, 1),
        ],
        "road_length_basis": length_model.basis,
    }
