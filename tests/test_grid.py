import numpy as np
import pytest
from affine import Affine

from wakhan.grid import DataSource, Grid


def make_grid():
    arr = np.arange(12, dtype=np.float64).reshape(3, 4)
    return Grid(arr, Affine(10.0, 0, 1000.0, 0, -20.0, 5000.0), "EPSG:32643", sources=(DataSource("test", "10 m"),))


def test_cell_centres_and_rowcol_round_trip():
    g = make_grid()
    x, y = g.xy(2, 3)
    assert (x, y) == (1035.0, 4950.0)
    assert tuple(int(v) for v in g.rowcol(x, y)) == (2, 3)
    assert g.bounds == (1000.0, 4940.0, 1040.0, 5000.0)
    assert not g.contains(999.0, 4990.0)


def test_bilinear_sampling_at_centres_and_between():
    g = make_grid()
    x, y = g.xy(1, 1)
    assert g.sample(x, y)[0] == pytest.approx(5.0)
    # halfway between (1,1)=5 and (1,2)=6
    assert g.sample(x + 5.0, y)[0] == pytest.approx(5.5)
    assert np.isnan(g.sample(5000.0, 0.0)[0])


def test_nodata_is_missing():
    g = Grid(np.array([[1, -32768], [3, 4]], dtype=np.int16), Affine.identity(), "EPSG:4326", nodata=-32768)
    assert g.valid_mask().tolist() == [[True, False], [True, True]]
    assert np.isnan(g.as_float().array[0, 1])
    with pytest.raises(ValueError):
        Grid(np.zeros(3), Affine.identity(), "EPSG:4326")


def test_json_safe_turns_numpy_and_nan_into_plain_json():
    import json

    from wakhan.plain_json import json_safe

    doc = json_safe({"a": np.float32(1.5), "b": np.array([1, 2]), 3: (np.nan, float("inf")), "c": np.int64(4)})
    assert doc == {"a": 1.5, "b": [1, 2], "3": [None, None], "c": 4}
    json.dumps(doc, allow_nan=False)
