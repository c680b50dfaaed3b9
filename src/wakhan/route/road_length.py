"""How much longer a real road is than the built length of a grid route: a model fitted on real roads.

A least-cost line on a grid misses the bends of a real road below the scale the DEM shows:
a valley that meanders inside a 15" GEBCO cell (built from SRTM averaged to about 460 m) is
a straight line on the grid, while a 3" SRTM tile resampled to the same 464 m spacing still
puts its samples on the valley floor. So the factor from built length to road length
depends on the *native* cell of the DEM source the route runs on (its class: up to
:data:`FINE_MAX_M` as SRTM 1"/3", up to :data:`MEDIUM_MAX_M` as GEBCO 15", coarser as GLOBE 30")
and on how much the grid coarsens that source:

    log(road km / built km) = a[class of native_m] + c * log(grid_m / native_m)

(``grid_m / native_m`` taken as 1 when the grid is finer than its source). A route on a grid
mosaicked from several sources (the region pack: GEBCO 15" north of 36.32 N, GLOBE 30" south
of it; SRTM tiles with voids filled from the pack) takes the length-weighted mean of the
per-source terms: ``log f = sum_k share_k * (a[class_k] + c log(grid_m / native_k))``, the
shares being the route's ``source_shares`` (:func:`wakhan.route.source_shares.source_shares`,
from the grid's per-cell source index). Until that index existed, the grid's first source
classed the whole route (Gilgit - Karimabad, on GLOBE cells, was classed as GEBCO). The classes are
not ordered by size: in the fit, routes on GLOBE 30" (whose large streams wakhan burns into
the grid, :func:`wakhan.dem.hydro.condition_layer`) come out relatively longer than routes on
GEBCO 15" (see the benchmark: a log-linear model in the native cell did worse on held-back roads). The coefficients
and the spread of the residuals (the reported range) are fitted by
``benchmarks/route_lengths.py`` on real roads (published distances in the region pack,
measured tracks on the Swiss SRTM tile) and validated there on roads held back from the fit;
see ``benchmarks/route_lengths.md``.
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

__all__ = [
    "RoadLengthModel",
    "road_length_model",
    "features",
    "native_cell_m",
    "native_cell_m_of",
    "dem_road_length_model",
    "mixed_road_length_model",
    "BEFORE_FACTOR",
]

#: The single factor used before this model (1 / 0.885, fitted on seven pack pairs), on grids of 400 m or coarser.
BEFORE_FACTOR = 1.13
#: Coefficients ``a_fine, a_medium, a_coarse, c`` of the model (``benchmarks/route_lengths.py``, FIT roads).
COEF = (-0.0532, 0.0753, 0.0272, 0.0211)
#: Native cells up to this size (m) are the fine class (SRTM 1" / 3"), up to MEDIUM_MAX_M the medium (GEBCO 15").
FINE_MAX_M, MEDIUM_MAX_M = 200.0, 700.0
#: Smallest and largest residual of ``log(road / built)`` over the FIT roads: the reported range.
RESID_MIN, RESID_MAX = (-0.0835, 0.0835)
#: Metres per arc-second of latitude, to read a native cell given only in arc-seconds.
M_PER_ARCSEC = 30.87


class RoadLengthModel(NamedTuple):
    """Factor from built length to road length, with the range the fit residuals span, and its basis.

    Examples
    --------
    >>> m = road_length_model(460.0, 464.0, "GEBCO_2023")
    >>> m.low < m.factor < m.high
    True
    """

    factor: float
    low: float
    high: float
    basis: str


def features(native_m: float, grid_m: float) -> tuple[float, float, float, float]:
    """The model's regressors: one-hot class of ``native_m`` (fine, medium, coarse) and ``log(grid / native)``.

    Examples
    --------
    >>> [round(v, 3) for v in features(90.0, 90.0)], [round(v, 3) for v in features(90.0, 450.0)]
    ([1.0, 0.0, 0.0, 0.0], [1.0, 0.0, 0.0, 1.609])
    >>> features(460.0, 464.0)[:3], features(925.0, 928.0)[:3]
    ((0.0, 1.0, 0.0), (0.0, 0.0, 1.0))
    """
    fine, medium = native_m <= FINE_MAX_M, FINE_MAX_M < native_m <= MEDIUM_MAX_M
    coarse = not (fine or medium)
    return float(fine), float(medium), float(coarse), math.log(max(grid_m, native_m) / native_m)


def road_length_model(native_m: float, grid_m: float, source: str = "") -> RoadLengthModel:
    """The road-length factor and its range for a route on a grid of ``grid_m`` from a source of ``native_m``.

    Parameters
    ----------
    native_m : float
        Native cell of the DEM source (metres; 15" GEBCO about 460, 3" SRTM about 90).
    grid_m : float
        Cell of the grid the route was solved on (metres).
    source : str
        Name of the DEM source, for the basis in words.

    Returns
    -------
    RoadLengthModel
        ``factor`` (road km per built km), ``low`` and ``high`` (the factor times the
        smallest and largest fit residual), ``basis`` (the inputs, in words).

    Examples
    --------
    >>> m = road_length_model(90.0, 90.0)
    >>> m.low <= m.factor <= m.high
    True
    """
    x = features(native_m, grid_m)
    basis = (
        f"road-length model of benchmarks/route_lengths.md for {source or 'a DEM'} of {native_m:.0f} m native "
        f"cells on a {grid_m:.0f} m grid"
    )
    return _model(x, basis)


def _model(x, basis: str) -> RoadLengthModel:
    """The factor ``exp(COEF . x)`` for the regressors ``x``, with its range from the fit residuals."""
    f = math.exp(sum(c * v for c, v in zip(COEF, x)))
    low = math.floor(f * math.exp(RESID_MIN) * 1000.0) / 1000.0  # rounded outwards: the range holds the fit roads
    high = math.ceil(f * math.exp(RESID_MAX) * 1000.0) / 1000.0
    return RoadLengthModel(round(f, 3), low, high, basis)


def mixed_road_length_model(parts, grid_m: float) -> RoadLengthModel:
    """:func:`road_length_model` for a route whose length lies on several sources: the length-weighted log factor.

    ``log f = sum_k share_k * (a[class of native_k] + c log(grid_m / native_k))``, i.e. the model of
    each source weighted by the share of the route's length on it (the regressors are linear, so
    this is the model at the share-weighted regressors, the form in which it is fitted).

    Parameters
    ----------
    parts : sequence of (native_m, share, name)
        Native cell (m) of each source the route lies on, the share (0..1) of its length there,
        and the source's name in words. Shares are normalised to sum to 1.
    grid_m : float
        Cell of the grid the route was solved on (metres).

    Returns
    -------
    RoadLengthModel
        With one part, exactly :func:`road_length_model` (and its basis); with several, a basis
        naming each source and its share.

    Examples
    --------
    A route half on GEBCO 15" and half on GLOBE 30" (464 m grid) gets the geometric mean of the two factors.

    >>> g, c = road_length_model(460.0, 464.0), road_length_model(925.0, 464.0)
    >>> m = mixed_road_length_model([(460.0, 0.5, "GEBCO"), (925.0, 0.5, "GLOBE")], 464.0)
    >>> abs(m.factor - (g.factor * c.factor) ** 0.5) < 0.001
    True
    >>> print(m.basis)
    road-length model of benchmarks/route_lengths.md, weighted by the route's length on each source: 50 % GEBCO, 460 m native cells; 50 % GLOBE, 925 m native cells; on a 464 m grid
    """
    parts = [(float(n), float(w), str(name)) for n, w, name in parts if w > 0.0]
    if not parts:
        raise ValueError("a road-length model needs at least one source with a positive share of the route")
    if len(parts) == 1:
        return road_length_model(parts[0][0], grid_m, parts[0][2])
    total = sum(w for _, w, _ in parts)
    x = [0.0] * len(COEF)
    for native_m, w, _ in parts:
        x = [acc + w / total * v for acc, v in zip(x, features(native_m, grid_m))]
    words = "; ".join(f"{100.0 * w / total:.0f} % {name or 'a DEM'}, {n:.0f} m native cells" for n, w, name in parts)
    basis = (
        f"road-length model of benchmarks/route_lengths.md, weighted by the route's length on each source: "
        f"{words}; on a {grid_m:.0f} m grid"
    )
    return _model(x, basis)


def _metres(resolution: str) -> float | None:
    """Native cell (m) read from a source's resolution words: ``'15" (~460 m)'`` -> 460, ``'3.0"'`` -> 92.6."""
    m = re.search(r"~\s*([\d.]+)\s*m\b", resolution)
    if m:
        return float(m.group(1))
    m = re.search(r'([\d.]+)\s*"', resolution)
    if m:
        return round(float(m.group(1)) * M_PER_ARCSEC, 1)
    m = re.search(r"([\d.]+)\s*m\b", resolution)
    return float(m.group(1)) if m else None


def native_cell_m_of(sources, grid_m: float) -> float:
    """Native cell (m) of the first (finest, highest-priority) source that states one; else ``grid_m``.

    Parameters
    ----------
    sources : sequence of DataSource or dict
        The grid's sources in priority order (``resolution`` in words).
    grid_m : float
        The grid's cell, used when no source states its resolution.

    Examples
    --------
    >>> native_cell_m_of([{"resolution": '15" (~460 m)'}, {"resolution": '30" (~925 m)'}], 464.0)
    460.0
    >>> native_cell_m_of([{"resolution": '3.0"'}], 93.0), native_cell_m_of([], 250.0)
    (92.6, 250.0)
    """
    for s in sources or ():
        words = s.get("resolution", "") if isinstance(s, dict) else getattr(s, "resolution", "")
        metres = _metres(str(words or ""))
        if metres:
            return metres
    return float(grid_m)


def native_cell_m(dem) -> float:
    """:func:`native_cell_m_of` for a metric :class:`~wakhan.grid.Grid` (its ``sources`` and ``res``).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from wakhan.grid import DataSource
    >>> native_cell_m(SimpleNamespace(res=(464.0, 464.0), sources=(DataSource("SRTM", '3.0"'),)))
    92.6
    """
    return native_cell_m_of(getattr(dem, "sources", ()), min(float(v) for v in dem.res))


def dem_road_length_model(dem, shares=None) -> RoadLengthModel:
    """:func:`road_length_model` for a route solved on the metric ``dem`` (its first source names the basis).

    With ``shares`` (a route's ``source_shares``: ``[{"name", "resolution", "share"}, ...]``,
    :func:`wakhan.route.source_shares.source_shares`), the length-weighted model of
    :func:`mixed_road_length_model` over the sources the route lies on; without them (a grid
    with no per-cell source index), the grid's first source classes the whole route.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from wakhan.grid import DataSource
    >>> dem = SimpleNamespace(res=(464.0, 464.0), sources=(DataSource("GEBCO_2023", '15" (~460 m)'),))
    >>> dem_road_length_model(dem).basis
    'road-length model of benchmarks/route_lengths.md for GEBCO_2023 15" (~460 m) of 460 m native cells on a 464 m grid'
    """
    grid_m = min(float(v) for v in dem.res)
    if shares:
        parts = [
            (native_cell_m_of([s], grid_m), float(s["share"]), str(s["name"]))  # the native cells say the resolution
            for s in shares
        ]
        return mixed_road_length_model(parts, grid_m)
    sources = getattr(dem, "sources", ())
    name = f"{sources[0].name} {sources[0].resolution}".strip() if sources else ""
    return road_length_model(native_cell_m(dem), grid_m, name)
