"""DEM error: spatially autocorrelated Gaussian error fields, with per-source defaults.

A DEM is one realization of the terrain plus an error. Following R's
leastcostpath ``add_dem_error`` (a Gaussian field scaled by the RMSE and
smoothed over a range) and WhiteboxTools' ``StochasticDepressionAnalysis(rmse,
range)``, an error field here is a zero-mean Gaussian random field with

* standard deviation ``rmse_m`` (the DEM's published vertical RMSE), optionally
  growing with slope: ``rmse_m * (1 + slope_gain * tan(slope))``;
* a Gaussian covariance ``C(h) = rmse_m**2 * exp(-(h / correlation_length_m)**2)``,
  i.e. the semivariogram ``gamma(h) = rmse_m**2 * (1 - exp(-(h / L)**2))``: two
  cells ``L`` apart have correlation ``1/e``.

It is made by filtering white noise in the frequency domain (FFT), on a grid
padded by three correlation lengths on every side so that the periodic wrap of
the FFT does not correlate opposite edges. The noise comes from
``numpy.random.default_rng(seed)``, so the same seed, grid and model give the
same field bit for bit on any machine with the same NumPy.

Per-source defaults (:data:`SOURCE_ERRORS`), high-mountain figures
-------------------------------------------------------------------
* SRTM 1" (C-band, 2014-15 global release): RMSE 23.5 m "as is" against ~200
  static GPS check points in the Indian Himalaya and Peninsula (10.1 m after
  outlier and void filtering) - Mukul, Srivastava, Jade & Mukul (2017),
  *Sci. Rep.* 7, 41672, doi:10.1038/srep41672.
* SRTM 3": RMSE 47.2 m as is (14.4 m filtered), same study.
* GEBCO_2023 15" on land = SRTM15+ v2.5.5 (Tozer et al. 2019, *Earth and Space
  Science* 6, 1847-1864, doi:10.1029/2019EA000658), whose land heights are
  void-filled SRTM averaged to 15". Averaging 25 3" cells removes most of the
  random part, so the residual is taken as the filtered SRTM 3" figure, 14.4 m
  (Mukul et al. 2017); the pack's own check against 30,000 GeoNames heights
  (median absolute difference 12 m, i.e. ~18 m RMSE for a Gaussian) agrees.
* NOAA GLOBE 30" (Hastings & Dunbar 1999, GLOBE documentation, NOAA KGRD 34,
  section 7.B.i): DTED-derived cells meet +-30 m at 90 % (RMSE 18 m) where
  DTED meets its specification, but about half of DTED does not and a quarter
  has 30-50 m; taken as LE90 50 m, RMSE 30 m.

The correlation length is an assumption, not a published figure for this
region: 2 km by default (four to five cells of the 464 m solver grid), the
scale of the ridge-and-valley features a 15" cell mixes; sweeps vary it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from pyproj import Transformer

from wakhan.dem.project import xy_to_lonlat
from wakhan.errors import InputError
from wakhan.grid import Grid
from wakhan.sources import pack

__all__ = [
    "ErrorModel",
    "SOURCE_ERRORS",
    "gaussian_field",
    "error_field",
    "perturb",
    "rmse_map",
    "resample_to",
    "empirical_variogram",
    "DEFAULT_CORRELATION_LENGTH_M",
]

DEFAULT_CORRELATION_LENGTH_M = 2000.0


@dataclass(frozen=True)
class ErrorModel:
    """Vertical error of one DEM source.

    Parameters
    ----------
    rmse_m : float
        Standard deviation of the error on flat ground, metres.
    correlation_length_m : float
        Distance at which the error's correlation falls to ``1/e``, metres.
    slope_gain : float
        Growth of the RMSE with slope: ``rmse_m * (1 + slope_gain * tan(slope))``;
        0 (default) for a uniform RMSE. SRTM errors grow with slope (Falorni et
        al. 2005; Mukul et al. 2017), so 0.5-1 is a plausible range to sweep.
    citation : str
        Where ``rmse_m`` comes from.

    Examples
    --------
    >>> m = ErrorModel(rmse_m=20.0, citation="a test")
    >>> m.scaled(0.5).rmse_m, m.correlation_length_m
    (10.0, 2000.0)
    """

    rmse_m: float
    correlation_length_m: float = DEFAULT_CORRELATION_LENGTH_M
    slope_gain: float = 0.0
    citation: str = ""

    def __post_init__(self):
        for name in ("rmse_m", "correlation_length_m", "slope_gain"):
            v = getattr(self, name)
            if not (isinstance(v, (int, float)) and math.isfinite(v) and v >= 0):
                raise InputError(f"DEM error parameter {name}={v!r} must be zero or a positive number")

    def scaled(self, factor: float) -> ErrorModel:
        """The same model with the RMSE multiplied by ``factor`` (0 = no error)."""
        return replace(self, rmse_m=self.rmse_m * float(factor))

    def as_dict(self) -> dict:
        return {
            "rmse_m": self.rmse_m,
            "correlation_length_m": self.correlation_length_m,
            "slope_gain": self.slope_gain,
            "citation": self.citation,
        }


_MUKUL = "Mukul et al. 2017, Sci. Rep. 7:41672 (Himalayan GPS check points)"
#: Default error model per DEM source (see the module docstring for the figures).
SOURCE_ERRORS = {
    "srtm1": ErrorModel(23.5, citation=f'SRTM 1" C-band as is: RMSE 23.5 m, {_MUKUL}'),
    "srtm3": ErrorModel(47.2, citation=f'SRTM 3" as is: RMSE 47.2 m, {_MUKUL}'),
    "gebco": ErrorModel(
        14.4,
        citation=(
            "GEBCO_2023 = SRTM15+ v2.5.5 on land (Tozer et al. 2019): void-filled SRTM "
            f'averaged to 15"; residual as filtered SRTM 3", RMSE 14.4 m, {_MUKUL}'
        ),
    ),
    "globe": ErrorModel(
        30.0,
        citation=(
            'NOAA GLOBE 30": DTED-derived, LE90 30-50 m (RMSE 18-30 m) - '
            "Hastings & Dunbar 1999, GLOBE documentation s. 7.B.i; 30 m taken"
        ),
    ),
}


def _spacing(grid: Grid) -> tuple[float, float]:
    """Cell size (dx, dy) in metres; geographic grids at their centre latitude."""
    dx, dy = (abs(v) for v in grid.res)
    if grid.is_geographic:
        lat = 0.5 * (grid.bounds[1] + grid.bounds[3])
        return dx * 111320.0 * math.cos(math.radians(lat)), dy * 110574.0
    return dx, dy


def gaussian_field(shape, spacing_m, correlation_length_m: float, seed) -> np.ndarray:
    """Zero-mean, unit-variance Gaussian random field with Gaussian covariance ``exp(-(h/L)**2)``.

    Parameters
    ----------
    shape : (rows, cols)
    spacing_m : (dx, dy)
        Cell size in metres along columns and rows.
    correlation_length_m : float
        ``L``; 0 gives uncorrelated (white) noise.
    seed : int or numpy.random.SeedSequence
        Same seed, same field.

    Returns
    -------
    numpy.ndarray of float64, ``shape``.

    Examples
    --------
    >>> f = gaussian_field((64, 64), (30.0, 30.0), 300.0, seed=1)
    >>> f.shape, bool(np.array_equal(f, gaussian_field((64, 64), (30.0, 30.0), 300.0, seed=1)))
    ((64, 64), True)
    """
    rows, cols = (int(v) for v in shape)
    dx, dy = (float(v) for v in spacing_m)
    rng = np.random.default_rng(seed)
    if correlation_length_m <= 0:
        return rng.standard_normal((rows, cols))
    L = float(correlation_length_m)
    pr, pc = (int(math.ceil(3 * L / d)) for d in (dy, dx))
    nr, nc = rows + 2 * pr, cols + 2 * pc
    noise = rng.standard_normal((nr, nc))
    # Convolving white noise with g(x) = exp(-2 |x|^2 / L^2) gives covariance proportional to
    # exp(-|h|^2 / L^2); g's Fourier transform is proportional to exp(-pi^2 L^2 |k|^2 / 2).
    ky = np.fft.fftfreq(nr, d=dy)[:, None]
    kx = np.fft.rfftfreq(nc, d=dx)[None, :]
    h = np.exp(-0.5 * (math.pi * L) ** 2 * (kx * kx + ky * ky))
    field = np.fft.irfft2(np.fft.rfft2(noise) * h, s=(nr, nc))
    # unit variance: for unit white noise, var = mean over all frequencies of |H|^2 (Parseval);
    # the rfft half-plane counts its interior columns twice
    w = np.full(h.shape[1], 2.0)
    w[0] = 1.0
    if nc % 2 == 0:
        w[-1] = 1.0
    var = float(((h * h) * w[None, :]).sum()) / (nr * nc)
    return field[pr : pr + rows, pc : pc + cols] / math.sqrt(var)


def rmse_map(dem: Grid, models: dict | None = None, source: str = "pack") -> np.ndarray:
    """Per-cell RMSE (metres) of ``dem`` from the model of the source each cell came from.

    ``source="pack"``: GEBCO north of the pack's GEBCO southern edge, GLOBE
    south of it; ``"tiles"``: SRTM 1"; anything else: the ``"gebco"`` model.

    Examples
    --------
    >>> import numpy as np
    >>> from affine import Affine
    >>> from wakhan.grid import Grid
    >>> g = Grid(np.array([[1.0, 2.0], [-9999.0, 4.0]], np.float32), Affine(90, 0, 500000, 0, -90, 4100000),
    ...          "EPSG:32643", nodata=-9999.0)
    >>> rmse_map(g, source="tiles").tolist()   # SRTM 1" everywhere: 23.5 m (Mukul et al. 2017)
    [[23.5, 23.5], [23.5, 23.5]]
    """
    models = {**SOURCE_ERRORS, **(models or {})}
    out = np.full(dem.shape, models["gebco"].rmse_m, dtype=np.float64)
    if source == "tiles":
        out[:] = models["srtm1"].rmse_m
    elif source == "pack":
        south = pack.open_gebco().bounds[1]
        rows = np.arange(dem.height)
        _x, y = dem.xy(rows, np.full(rows.shape, dem.width // 2))
        if dem.is_geographic:
            lat = np.asarray(y)
            out[lat < south, :] = models["globe"].rmse_m
        else:
            cols = np.arange(dem.width)
            rr, cc = np.meshgrid(rows, cols, indexing="ij")
            xx, yy = dem.xy(rr.ravel(), cc.ravel())
            _, lat = xy_to_lonlat(dem.crs, xx, yy)
            out[np.asarray(lat).reshape(dem.shape) < south] = models["globe"].rmse_m
    return out


def _slope_tan(dem: Grid) -> np.ndarray:
    dx, dy = _spacing(dem)
    z = np.asarray(dem.array, dtype=np.float64)
    gy, gx = np.gradient(np.where(np.isfinite(z), z, np.nanmean(z)), dy, dx)
    return np.hypot(gx, gy)


def error_field(
    dem: Grid, seed, *, rmse_m=None, correlation_length_m: float = DEFAULT_CORRELATION_LENGTH_M, slope_gain: float = 0.0
) -> Grid:
    """An error field (metres) on ``dem``'s grid: unit field times the per-cell RMSE.

    ``rmse_m``: a number or an array of ``dem``'s shape (e.g. :func:`rmse_map`);
    default :func:`rmse_map` of the pack.

    Examples
    --------
    >>> import numpy as np
    >>> from affine import Affine
    >>> from wakhan.grid import Grid
    >>> g = Grid(np.array([[1.0, 2.0], [-9999.0, 4.0]], np.float32), Affine(90, 0, 500000, 0, -90, 4100000),
    ...          "EPSG:32643", nodata=-9999.0)
    >>> e = error_field(g, seed=1, rmse_m=0.0)
    >>> e.shape, float(abs(e.array).max())
    ((2, 2), 0.0)
    """
    rmse = rmse_map(dem) if rmse_m is None else np.broadcast_to(np.asarray(rmse_m, dtype=np.float64), dem.shape)
    unit = gaussian_field(dem.shape, _spacing(dem), correlation_length_m, seed)
    scale = rmse * (1.0 + slope_gain * _slope_tan(dem)) if slope_gain else rmse
    return dem.with_array((unit * scale).astype(np.float32), nodata=None)


def perturb(dem: Grid, error: Grid) -> Grid:
    """``dem`` plus an error field on the same grid (nodata becomes NaN and stays so), with a note saying so.

    Examples
    --------
    >>> import numpy as np
    >>> from affine import Affine
    >>> from wakhan.grid import Grid
    >>> g = Grid(np.array([[1.0, 2.0], [-9999.0, 4.0]], np.float32), Affine(90, 0, 500000, 0, -90, 4100000),
    ...          "EPSG:32643", nodata=-9999.0)
    >>> perturb(g, g.with_array(np.ones((2, 2), np.float32), nodata=None)).array.tolist()
    [[2.0, 3.0], [nan, 5.0]]
    """
    if error.shape != dem.shape:
        raise InputError(
            f"error field shape {error.shape} differs from the DEM's {dem.shape}; "
            "make it on the DEM's grid (error_field or resample_to)"
        )
    z = np.asarray(dem.array, dtype=np.float32) + np.asarray(error.array, dtype=np.float32)
    z[~dem.valid_mask()] = np.nan  # a nodata value (not only NaN) stays missing
    return dem.with_array(z, nodata=None).with_note("perturbed by a DEM-error realization (wakhan.dem.error)")


def resample_to(field: Grid, target: Grid) -> Grid:
    """``field`` sampled (bilinear) at the cell centres of ``target``, so one realization serves every grid.

    Cells of ``target`` outside ``field`` get 0 (no error).

    Examples
    --------
    >>> import numpy as np
    >>> from affine import Affine
    >>> from wakhan.grid import Grid
    >>> g = Grid(np.array([[1.0, 2.0], [-9999.0, 4.0]], np.float32), Affine(90, 0, 500000, 0, -90, 4100000),
    ...          "EPSG:32643", nodata=-9999.0)
    >>> field = g.with_array(np.full((2, 2), 5.0, np.float32), nodata=None)
    >>> resample_to(field, g).array.tolist()
    [[5.0, 5.0], [5.0, 5.0]]
    """
    rows, cols = np.meshgrid(np.arange(target.height), np.arange(target.width), indexing="ij")
    x, y = target.xy(rows.ravel(), cols.ravel())
    if target.crs != field.crs:
        t = Transformer.from_crs(target.crs, field.crs, always_xy=True)
        x, y = t.transform(np.asarray(x), np.asarray(y))
    v = np.asarray(field.sample(np.asarray(x), np.asarray(y), method="bilinear"), dtype=np.float64)
    v = np.where(np.isfinite(v), v, 0.0).reshape(target.shape)
    return target.with_array(v.astype(np.float32), nodata=None)


def empirical_variogram(field: np.ndarray, spacing_m, lags_cells) -> tuple[np.ndarray, np.ndarray]:
    """Semivariogram of a field along rows and columns at whole-cell lags.

    Returns ``(lag_m, gamma)``: ``gamma = mean((z[i + h] - z[i])**2) / 2`` over
    all pairs ``h`` cells apart along columns and along rows (averaged; for an
    anisotropic cell size each direction keeps its own metric lag, so give a
    square grid for a single curve).

    Examples
    --------
    A field alternating 0, 1 along its columns and constant down its rows:

    >>> z = np.tile([0.0, 1.0], (4, 2))
    >>> lag_m, gamma = empirical_variogram(z, (10.0, 10.0), [1, 2])
    >>> lag_m.tolist(), gamma.tolist()
    ([10.0, 20.0], [0.25, 0.0])
    """
    z = np.asarray(field, dtype=np.float64)
    dx, dy = (float(v) for v in spacing_m)
    lags, gam = [], []
    for h in lags_cells:
        h = int(h)
        ex = np.nanmean((z[:, h:] - z[:, :-h]) ** 2) / 2
        ey = np.nanmean((z[h:, :] - z[:-h, :]) ** 2) / 2
        lags.append(h * 0.5 * (dx + dy))
        gam.append(0.5 * (ex + ey))
    return np.asarray(lags), np.asarray(gam)
