"""Avalanche exposure of a route from the DEM alone: release terrain whose alpha-angle runout reaches it.

* **Release terrain.** Cells whose slope lies in the avalanche start-zone band of the
  Avalanche Terrain Exposure Scale's technical model (Statham et al. 2006, ATES) as
  automated by AutoATES (Larsen et al. 2020; Toft et al. 2024, NHESS 24, 1779,
  doi:10.5194/nhess-24-1779-2024): 30 to 60 degrees on a fine DEM.
* **Runout.** The alpha-angle (energy-line) method of Lied & Bakkehoi (1980): an
  avalanche from a release cell reaches a point below it when the line from the
  release cell to the point dips at least ``alpha`` degrees. Their regression gives
  alpha = 0.96 beta - 1.4 degrees (SD 2.3) for paths whose beta angle is ~22-30
  degrees, i.e. alpha ~20-27 degrees; :data:`DEFAULT_ALPHA_DEG` = 20 is the long-runout end.
  The flow path is not traced: any release cell within :data:`MAX_REACH_KM` whose
  energy line reaches the point counts (an upper bound on exposure in that respect).
* **Grid smoothing.** A 464 m grid averages slopes: on the 90 m SRTM tile of the
  Swiss Alps (N46E008) 37.9 % of cells are 30 degrees or steeper, but only 18.5 % of
  the same tile averaged to ~320 x 460 m cells. The coarse-grid band that covers the same
  share of the tile as 30-60 degrees at 90 m is 24.5-51.1 degrees
  (``benchmarks/avalanche_slopes.py``); routes on grids coarser than 200 m use it
  (:func:`release_band_deg`).
"""

from __future__ import annotations

import math

import numpy as np

from wakhan.errors import InputError
from wakhan.route.runs import true_runs

__all__ = [
    "avalanche_exposure",
    "check_alpha",
    "release_band_deg",
    "release_mask",
    "slope_deg",
    "DEFAULT_ALPHA_DEG",
    "FINE_RELEASE_BAND_DEG",
    "COARSE_RELEASE_BAND_DEG",
    "MAX_REACH_KM",
]

#: Alpha angle (degrees): Lied & Bakkehoi (1980), long-runout end (see the module docstring).
DEFAULT_ALPHA_DEG = 20.0
#: Start-zone slope band on a fine DEM (ATES technical model, Statham et al. 2006; AutoATES, Larsen et al. 2020).
FINE_RELEASE_BAND_DEG = (30.0, 60.0)
#: The same share of terrain on a ~460 m grid (matched on the 90 m Swiss tile N46E008; benchmarks/avalanche_slopes.md).
COARSE_RELEASE_BAND_DEG = (24.5, 51.1)
#: Farthest horizontal distance from a release cell to an exposed point (km).
MAX_REACH_KM = 5.0


def check_alpha(value, option: str = "--avalanche-alpha") -> float:
    """``value`` as an alpha angle in degrees, or InputError unless 0 < value < 90.

    Examples
    --------
    >>> check_alpha(20)
    20.0
    >>> check_alpha(-5)
    Traceback (most recent call last):
    wakhan.errors.InputError: --avalanche-alpha -5 must be an angle in degrees between 0 and 90 (Lied & Bakkehoi 1980: about 20-27)
    """
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = float("nan")
    if not (0.0 < v < 90.0):
        raise InputError(
            f"{option} {value} must be an angle in degrees between 0 and 90 (Lied & Bakkehoi 1980: about 20-27)"
        )
    return v


def release_band_deg(cell_m: float) -> tuple[float, float]:
    """The release slope band for a grid of ``cell_m`` metres: the fine band up to 200 m cells, else the coarse one.

    Examples
    --------
    >>> release_band_deg(90.0), release_band_deg(464.0)
    ((30.0, 60.0), (24.5, 51.1))
    """
    return FINE_RELEASE_BAND_DEG if cell_m <= 200.0 else COARSE_RELEASE_BAND_DEG


def slope_deg(z: np.ndarray, dx_m: float, dy_m: float) -> np.ndarray:
    """Slope in degrees by central differences (NaN where the DEM is).

    Examples
    --------
    A plane rising 1 m per metre eastwards is 45 degrees steep:

    >>> z = np.tile(np.arange(4.0) * 10.0, (3, 1))
    >>> float(np.round(slope_deg(z, 10.0, 10.0)[1, 1], 6))
    45.0
    """
    gy, gx = np.gradient(np.asarray(z, dtype=float), dy_m, dx_m)
    return np.degrees(np.arctan(np.hypot(gx, gy)))


def release_mask(z: np.ndarray, dx_m: float, dy_m: float, band=None) -> np.ndarray:
    """True on cells whose slope lies in the release band (default :func:`release_band_deg` for the cell size).

    Examples
    --------
    A 35-degree plane on 100 m cells is release terrain; a 10-degree one is not:

    >>> steep = np.tile(np.arange(5.0) * 100.0 * math.tan(math.radians(35.0)), (3, 1))
    >>> bool(release_mask(steep, 100.0, 100.0).all()), bool(release_mask(steep / 4.0, 100.0, 100.0).any())
    (True, False)
    """
    lo, hi = band or release_band_deg(max(dx_m, dy_m))
    s = slope_deg(z, dx_m, dy_m)
    return np.isfinite(s) & (s >= lo) & (s <= hi)


_RELEASE_CACHE: dict = {}


def _release_cells(dem, band):
    """Release cells of ``dem`` (x, y, z, KD-tree), computed once per DEM array and band (routes share a DEM)."""
    from scipy.spatial import cKDTree  # lazy: scipy, only for this step

    key = (id(dem.array), dem.array.shape, tuple(dem.transform)[:6], band)
    hit = _RELEASE_CACHE.get(key)
    if hit is not None and hit[0] is dem.array:
        return hit[1]
    dx, dy = (abs(float(v)) for v in dem.res)
    z = np.asarray(dem.array, dtype=float)
    rows, cols = np.nonzero(release_mask(z, dx, dy, band))
    if rows.size == 0:
        out = (None, None, None, None)
    else:
        rx, ry = (np.asarray(v, float) for v in dem.xy(rows, cols))
        out = (rx, ry, z[rows, cols], cKDTree(np.column_stack([rx, ry])))
    _RELEASE_CACHE.clear()  # one DEM at a time: the cache never holds more than one grid's cells
    _RELEASE_CACHE[key] = (dem.array, out)
    return out


def avalanche_exposure(
    profile, dem, *, alpha_deg: float = DEFAULT_ALPHA_DEG, band=None, max_reach_km: float = MAX_REACH_KM, skip=None
) -> dict:
    """Kilometres of ``profile`` reached by the alpha-angle runout of release terrain on ``dem``.

    Parameters
    ----------
    profile : Profile
        The route (``x``, ``y`` in the DEM's CRS, ``elevation_m``, ``distance_km``).
    dem : Grid
        The metric DEM the route was solved on.
    alpha_deg : float
        Alpha angle in degrees (default :data:`DEFAULT_ALPHA_DEG`).
    band : (float, float), optional
        Release slope band in degrees (default :func:`release_band_deg` for the grid).
    max_reach_km : float
        Farthest release cell considered from each point.
    skip : bool array, optional
        Profile points not exposed whatever the terrain (inside tunnels).

    Returns
    -------
    dict
        ``avalanche_exposed_km``, ``exposed_sections`` (``[{start_km, end_km}]``, at least
        0.5 km), ``alpha_deg``, ``release_band_deg``, ``method``.

    Examples
    --------
    A 40-degree slope 1,000 m high rising west of a flat valley floor, 100 m cells: a
    road along the foot is exposed; one 3 km out on the floor is not, since
    1,000 m over 3 km is an 18-degree energy line, below a 20-degree alpha (the
    slope's toe is 3,000 m from it, its top farther still).

    >>> from affine import Affine
    >>> from wakhan.grid import Grid
    >>> from wakhan.route.profile import Profile
    >>> cols = np.arange(60) * 100.0
    >>> z = np.clip((1200.0 - cols) * math.tan(math.radians(40.0)), 0.0, 1000.0)
    >>> dem = Grid(np.tile(z, (40, 1)).astype(np.float32), Affine(100.0, 0, 0, 0, -100.0, 4000.0), "EPSG:32643")
    >>> def road(x):
    ...     y = 4000.0 - 50.0 - 100.0 * np.arange(10, 30)
    ...     return Profile(np.abs(y - y[0]) / 1000.0, y * 0, y * 0, np.zeros(20), np.full(20, x), y)
    >>> avalanche_exposure(road(1250.0), dem)["avalanche_exposed_km"]
    1.9
    >>> avalanche_exposure(road(4250.0), dem)["avalanche_exposed_km"]
    0.0
    """
    dx, dy = (abs(float(v)) for v in dem.res)
    band = tuple(band or release_band_deg(max(dx, dy)))
    rx, ry, rz, tree = _release_cells(dem, band)
    px, py = np.asarray(profile.x, float), np.asarray(profile.y, float)
    pz = np.asarray(profile.elevation_m, float)
    exposed = np.zeros(px.size, dtype=bool)
    if tree is not None:
        tan_alpha = math.tan(math.radians(alpha_deg))
        near = tree.query_ball_point(np.column_stack([px, py]), max_reach_km * 1000.0)
        for i, idx in enumerate(near):
            if not idx or not np.isfinite(pz[i]):
                continue
            cells = np.asarray(idx)
            d = np.hypot(rx[cells] - px[i], ry[cells] - py[i])
            drop = rz[cells] - pz[i]
            exposed[i] = bool(np.any((drop > 0) & (drop >= tan_alpha * np.maximum(d, 0.5 * min(dx, dy)))))
    if skip is not None:
        exposed &= ~np.asarray(skip, bool)
    d = np.asarray(profile.distance_km, float)
    seg = np.diff(d)
    weight = 0.5 * (exposed[:-1].astype(float) + exposed[1:].astype(float))
    km = float(np.sum(seg * weight)) if seg.size else 0.0
    sections = [
        {"start_km": round(float(d[i]), 1), "end_km": round(float(d[stop - 1]), 1)}
        for i, stop in true_runs(exposed)
        if d[stop - 1] - d[i] >= 0.5
    ]
    return {
        "avalanche_exposed_km": round(km, 1),
        "exposed_sections": sections,
        "alpha_deg": float(alpha_deg),
        "release_band_deg": [float(band[0]), float(band[1])],
        "method": (
            f"release cells: slope {band[0]:g}-{band[1]:g} degrees on the {dx:.0f} m grid (ATES/AutoATES start "
            f"zones, Statham et al. 2006, Larsen et al. 2020; band corrected for grid smoothing on the 90 m Swiss "
            f"tile, benchmarks/avalanche_slopes.md); runout: alpha-angle energy line of {alpha_deg:g} degrees "
            f"(Lied & Bakkehoi 1980) within {max_reach_km:g} km; flow paths not traced; a 464 m grid "
            "smooths slopes, so short steep walls above a road are missed or blurred"
        ),
    }
