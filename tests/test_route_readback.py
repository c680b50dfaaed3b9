"""A route file read back without wakhan's own summary still draws, and still names its elevation data.

Only GeoJSON (foreign member ``wakhan``), GPX (extensions) and GeoPackage (layer metadata) carry
wakhan's full summary. A route GeoJSON re-saved by a GIS tool (QGIS, ogr2ogr, geopandas drop the
foreign member) kept only the flat attributes of the route line, which the reader took for the
nested summary: ``wakhan profile`` then failed with a traceback on the ``passes`` text. FlatGeobuf,
shapefile, KML and the profile CSV were read back as bare lines: the figure's caption said
"Elevation: unknown source" although every one of those files names the data and the grid (the
route layer's ``data``/``grid``/``grid_cell_m`` columns, the CSV's ``data_source``/
``source_resolution``/``grid_cell_m`` on every row).
"""

from __future__ import annotations

import json

import numpy as np
import pyogrio
import pytest
from affine import Affine
from clirun import wakhan_run

from wakhan.cost import get_model
from wakhan.figures.common import data_caption
from wakhan.grid import DataSource, Grid
from wakhan.route import RouteResult, build_summary
from wakhan.route.files import read_route, write_route
from wakhan.route.profile import profile_from_path
from wakhan.solve import least_cost_path

FINE = DataSource("Fine DEM", '3" (~90 m)')
COARSE = DataSource("Coarse DEM", '30" (~930 m)')


@pytest.fixture(scope="module")
def route():
    """A 10 km walk across a ramp on a 1 km UTM grid whose western half is FINE's, eastern half COARSE's."""
    index = np.zeros((3, 10), np.uint8)
    index[:, 5:] = 1
    heights = np.tile(1500.0 + 100.0 * np.arange(10, dtype=np.float32), (3, 1))
    dem = Grid(
        heights,
        Affine(1000.0, 0, 500_000, 0, -1000.0, 4_100_000),
        "EPSG:32643",
        sources=(FINE, COARSE),
        source_index=index,
    )
    path = least_cost_path(dem, get_model("walking"), (1, 0), (1, 9))
    profile = profile_from_path([path], dem)
    return RouteResult(build_summary(profile, "ramp", dem, places=None, country_at=None), profile, dem=dem)


def _gis_resaved(src, dst):
    """``src`` as a GIS tool saves it again: GDAL's GeoJSON driver keeps the features, not the foreign member."""
    import pyogrio

    frame = pyogrio.read_dataframe(src)
    pyogrio.write_dataframe(frame.iloc[:1], dst, driver="GeoJSON")  # the route line, as a user exports one layer
    assert "wakhan" not in json.loads(dst.read_text())
    return dst


def test_a_route_geojson_resaved_by_a_gis_tool_reads_back(tmp_path, route):
    resaved = _gis_resaved(write_route(tmp_path / "ramp.geojson", route), tmp_path / "resaved.geojson")
    back = read_route(resaved, places=None, country_at=None)
    # the line carries every profile point: the numbers are those of the route written
    assert back.summary.terrain.length_km == pytest.approx(route.summary.terrain.length_km, abs=0.001)
    assert back.summary.terrain.max_elevation_m == pytest.approx(2400.0, abs=0.1)  # the ramp's top cell, 1500 + 9 x 100
    assert back.summary.name == "ramp"


def test_profile_of_a_resaved_geojson_is_drawn_not_a_traceback(tmp_path, route):
    resaved = _gis_resaved(write_route(tmp_path / "ramp.geojson", route), tmp_path / "resaved.geojson")
    run = wakhan_run("profile", resaved, "-o", tmp_path / "p.png")
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert (tmp_path / "p.png").stat().st_size > 0


@pytest.mark.parametrize("ext", [".shp", ".fgb", ".kml", ".csv", ".resaved.geojson"])
def test_a_route_file_without_the_summary_still_names_its_data_and_grid(tmp_path, route, ext):
    if ext == ".resaved.geojson":
        path = _gis_resaved(write_route(tmp_path / "ramp.geojson", route), tmp_path / "ramp.resaved.geojson")
    else:
        path = write_route(tmp_path / f"ramp{ext}", route)
    caption = data_caption(read_route(path, places=None, country_at=None).summary)
    if ext == ".kml" and pyogrio.__gdal_version__ < (3, 12, 0):
        # GDAL 3.11's KML driver reads the ExtendedData columns shifted by one (length_km holds another
        # column's value): the attributes disagree with the line, so none is taken as the data source
        assert caption.startswith("Elevation: unknown source"), caption
        return
    assert "unknown source" not in caption
    # both datasets under the route, each with its resolution, and the 1 km grid it was sampled on
    assert 'Fine DEM 3" (~90 m)' in caption and 'Coarse DEM 30" (~930 m)' in caption
    assert "on a 1000 m x 1000 m grid" in caption
