"""Profile and map figures are drawn, legible in size, and written atomically."""
import numpy as np
import pytest
from affine import Affine
from pyproj import Transformer

from wakhan.errors import InputError
from wakhan.figures import data_caption, plot_map, plot_profile
from wakhan.grid import DataSource, Grid
from wakhan.route import Profile, RouteResult, geodesic_distance_km, summarize

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def route():
    t = np.linspace(0, 1, 400)
    lon, lat = 73.0 + 1.5 * t, 37.0 + 0.2 * np.sin(3 * t)
    d = geodesic_distance_km(lon, lat)
    z = 3000 + 1900 * np.exp(-((d - d[-1] / 2) / 20) ** 2)
    prof = Profile(d, lon, lat, z)
    places = [type("P", (), dict(name="Test Pass", lon=lon[200], lat=lat[200], kind="pass"))(),
              type("P", (), dict(name="Startville", lon=lon[0], lat=lat[0], kind="town"))()]
    s = summarize(prof, "Built route", places=places, country_at=None,
                  sources=[DataSource("built", '15" (~460 m)').as_dict()],
                  waypoints=[{"name": "Startville", "lon": lon[0], "lat": lat[0]},
                             {"name": "End", "lon": lon[-1], "lat": lat[-1]}])
    return RouteResult(summary=s, profile=prof)


def small_dem():
    crs = "EPSG:32643"
    x0, y0 = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(72.5, 38.0)
    n, res = 300, 1000.0
    yy, xx = np.mgrid[0:n, 0:n]
    arr = (3000 + 1500 * np.sin(xx / 20.0) * np.cos(yy / 25.0)).astype(np.float32)
    return Grid(arr, Affine(res, 0, x0, 0, -res, y0), crs, sources=(DataSource("built hills", "1 km"),))


@pytest.mark.parametrize("width", [3.5, 7.0])
def test_profile_png(tmp_path, route, width):
    out = plot_profile(route, tmp_path / "p.png", width_in=width, shade=[(10, 40, "gap")], dpi=100)
    assert out.read_bytes()[:8] == PNG
    assert [p.name for p in tmp_path.iterdir()] == ["p.png"]
    import matplotlib.image as mpimg
    h, w = mpimg.imread(out).shape[:2]
    assert w == pytest.approx(width * 100, abs=2)


def test_map_png_with_given_dem(tmp_path, route):
    out = plot_map(route, tmp_path / "m.png", dem=small_dem(), places=None, dpi=80, width_in=5)
    assert out.read_bytes()[:8] == PNG


def test_caption_names_data_and_grid(route):
    s = dict(route.summary, grid={"resolution": "464 m x 464 m"}, model="highway", model_max_grade_pct=12,
             neighbours=16, within=["CN", "AF"])
    text = data_caption(s)
    assert 'built 15" (~460 m)' in text and "464 m x 464 m" in text and "CN+AF" in text and "12 %" in text


def test_bad_figure_paths(tmp_path, route):
    with pytest.raises(InputError, match="format"):
        plot_profile(route, tmp_path / "p.jpg")
    with pytest.raises(InputError, match="does not exist"):
        plot_map(route, tmp_path / "no" / "m.png", dem=small_dem(), places=None)
    assert list(tmp_path.iterdir()) == []
