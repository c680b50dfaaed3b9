"""DEM error fields: the requested RMSE and correlation length, measured independently.

The expectation is the model's definition, not the code's output: a Gaussian
covariance with standard deviation ``rmse_m`` and correlation ``1/e`` at
``correlation_length_m``, so the semivariogram is
``rmse**2 * (1 - exp(-(h / L)**2))``. The empirical variogram of one large field
is measured along rows and columns and compared with that curve.
"""

import math

import numpy as np
import pytest
from affine import Affine

from wakhan.dem.error import SOURCE_ERRORS, empirical_variogram, error_field, gaussian_field, perturb, resample_to
from wakhan.errors import InputError
from wakhan.grid import Grid

# tolerance: with L = 10 cells on 600 x 600 cells there are ~(60)^2 = 3,600 independent patches, so
# the sample variance is within a few % of the truth; 10 % on the RMSE and 15 % on L leaves room
RMSE_TOL = 0.10
L_TOL = 0.15


def _grid(shape=(600, 600), res=100.0):
    return Grid(np.zeros(shape, np.float32), Affine(res, 0, 500000, 0, -res, 4200000), "EPSG:32643")


def _range_from_variogram(lag_m, gamma, sill):
    """Lag at which gamma reaches sill * (1 - 1/e), by linear interpolation."""
    target = sill * (1 - math.exp(-1))
    i = int(np.argmax(gamma >= target))
    return lag_m[i - 1] + (target - gamma[i - 1]) * (lag_m[i] - lag_m[i - 1]) / (gamma[i] - gamma[i - 1])


def test_field_has_requested_rmse_and_correlation_length():
    g = _grid()
    rmse, L = 20.0, 1000.0
    err = error_field(g, seed=7, rmse_m=rmse, correlation_length_m=L).array.astype(float)
    assert abs(err.mean()) < 0.15 * rmse
    assert abs(err.std() - rmse) / rmse < RMSE_TOL
    lag, gam = empirical_variogram(err, (100.0, 100.0), range(1, 41))
    sill = gam[-5:].mean()  # 3-4 correlation lengths out: the sill
    assert abs(math.sqrt(sill) - rmse) / rmse < RMSE_TOL
    measured_L = _range_from_variogram(lag, gam, sill)
    assert abs(measured_L - L) / L < L_TOL
    # the whole curve follows the Gaussian model, within the same tolerance of the sill
    model = rmse**2 * (1 - np.exp(-((lag / L) ** 2)))
    assert np.max(np.abs(gam - model)) < L_TOL * rmse**2


def test_anisotropic_cells_keep_metric_correlation_length():
    # cells twice as tall as wide: the correlation length in metres is the same both ways
    f = gaussian_field((400, 800), (50.0, 100.0), 1000.0, seed=3)
    gx = np.mean((f[:, 20:] - f[:, :-20]) ** 2) / 2  # 1,000 m along rows
    gy = np.mean((f[10:, :] - f[:-10, :]) ** 2) / 2  # 1,000 m along columns
    expected = 1 - math.exp(-1)
    assert abs(gx - expected) < 0.1 and abs(gy - expected) < 0.1


def test_same_seed_same_field_and_zero_rmse_is_zero():
    g = _grid((64, 64))
    a = error_field(g, 11, rmse_m=10.0).array
    b = error_field(g, 11, rmse_m=10.0).array
    c = error_field(g, 12, rmse_m=10.0).array
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    assert not error_field(g, 11, rmse_m=0.0).array.any()


def test_slope_gain_raises_error_on_steep_ground_only():
    rows = np.arange(200, dtype=np.float32)[:, None] * np.ones((1, 200), np.float32)
    z = np.where(np.arange(200)[None, :] < 100, 0.0, rows * 100.0).astype(np.float32)  # east half: 100 % slope
    g = _grid((200, 200)).with_array(z)
    err = error_field(g, 5, rmse_m=10.0, correlation_length_m=300.0, slope_gain=1.0).array
    flat, steep = err[:, 5:95].std(), err[:, 105:195].std()
    assert abs(flat - 10.0) < 1.5 and abs(steep - 20.0) < 3.0  # rmse * (1 + 1 * tan 45 deg)


def test_perturb_keeps_voids_and_resample_follows_the_field():
    g = _grid((50, 50))
    z = np.full((50, 50), 1000.0, np.float32)
    z[3, 4] = np.nan
    dem = g.with_array(z)
    e = error_field(g, 1, rmse_m=5.0, correlation_length_m=500.0)
    p = perturb(dem, e)
    assert np.isnan(p.array[3, 4]) and np.allclose(p.array[0, 0], 1000.0 + e.array[0, 0])
    same = resample_to(e, g)
    assert np.allclose(same.array[1:-1, 1:-1], e.array[1:-1, 1:-1], atol=1e-4)
    with pytest.raises(InputError):
        perturb(dem, error_field(_grid((10, 10)), 1, rmse_m=1.0))


def test_published_defaults_are_cited():
    for key, m in SOURCE_ERRORS.items():
        assert m.rmse_m > 0 and m.citation, key
    assert SOURCE_ERRORS["srtm1"].rmse_m == 23.5 and SOURCE_ERRORS["srtm3"].rmse_m == 47.2  # Mukul et al. 2017
