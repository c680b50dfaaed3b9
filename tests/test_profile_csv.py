"""The profile CSV names, on every row, the elevation data its number came from and their resolution.

The project's rule is that every number wakhan reports names its data source and resolution; the
profile CSV (``wakhan route -o r.csv``) gave ``distance_km,lat,lon,elevation_m`` alone. The source
is per row (not a ``#`` comment line, which pandas and QGIS read as data or a broken header), taken
from the grid's per-cell source index where there is one.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from affine import Affine

from wakhan.cost import get_model
from wakhan.grid import DataSource, Grid
from wakhan.route import RouteResult, build_summary
from wakhan.route.files import read_route, write_route
from wakhan.route.files.export import route_text
from wakhan.route.profile import profile_from_path
from wakhan.route.summary import RouteSummary
from wakhan.solve import least_cost_path

A = DataSource("Fine DEM", '3" (~90 m)')
B = DataSource("Coarse DEM", '30" (~930 m)')


def _mosaic_route():
    """A flat 10 x 1 km strip, columns 0-4 from A and 5-9 from B; the route runs along row 1 from west to east."""
    index = np.zeros((3, 10), np.uint8)
    index[:, 5:] = 1
    dem = Grid(
        np.full((3, 10), 1500.0, np.float32),
        Affine(1000.0, 0, 500_000, 0, -1000.0, 4_100_000),
        "EPSG:32643",
        sources=(A, B),
        source_index=index,
    )
    path = least_cost_path(dem, get_model("walking"), (1, 0), (1, 9))
    profile = profile_from_path([path], dem)
    return RouteResult(build_summary(profile, "strip", dem, places=None, country_at=None), profile, dem=dem)


def test_each_row_names_the_source_of_its_cell_and_the_grid_cell(tmp_path):
    route = _mosaic_route()
    out = write_route(tmp_path / "strip.csv", route)
    table = pd.read_csv(out)  # a plain table: the header is the first line
    assert list(table.columns[:4]) == ["distance_km", "lat", "lon", "elevation_m"]
    assert table["elevation_m"].eq(1500.0).all() and table["grid_cell_m"].eq(1000.0).all()
    # points in the western five cells (x < 505,000 m: the first 4.5 km from the centre of column 0) are A's
    west = table["distance_km"] < 4.5 - 0.01
    east = table["distance_km"] > 4.5 + 0.01
    assert west.sum() >= 4 and east.sum() >= 4
    assert set(table.loc[west, "data_source"]) == {"Fine DEM"} and set(table.loc[west, "source_resolution"]) == {
        A.resolution
    }
    assert set(table.loc[east, "data_source"]) == {"Coarse DEM"} and set(table.loc[east, "source_resolution"]) == {
        B.resolution
    }
    back = read_route(out, places=None, country_at=None)  # the reader still takes the file
    assert back.summary.terrain.length_km == route.summary.terrain.length_km


def test_a_route_without_per_cell_sources_names_its_summary_sources():
    """Read back from a file, a route knows its sources only from its summary: every row names them all."""
    route = _mosaic_route()
    summary = RouteSummary.from_dict(route.summary.to_dict())
    text = route_text(RouteResult(summary, route.profile), "csv")
    table = pd.read_csv(io.StringIO(text))
    assert set(table["data_source"]) == {"Fine DEM or Coarse DEM"}
    assert set(table["source_resolution"]) == {f"{A.resolution} or {B.resolution}"}
    assert table["grid_cell_m"].eq(1000.0).all()


def test_a_profile_read_from_csv_names_the_sources_and_grid_of_the_route_it_came_from(tmp_path):
    """Round trip: the sources read back are the source route's own data_sources (per-row columns)."""
    from wakhan.figures.common import data_caption

    route = _mosaic_route()
    back = read_route(write_route(tmp_path / "strip.csv", route), places=None, country_at=None)
    pairs = [(s["name"], s["resolution"]) for s in route.summary.provenance.data_sources]  # what the CSV carries
    assert [(s["name"], s["resolution"]) for s in back.summary.provenance.data_sources] == pairs
    assert pairs == [(A.name, A.resolution), (B.name, B.resolution)]
    assert back.summary.provenance.grid["resolution"] == route.summary.provenance.grid["resolution"]  # 1 km cells
    caption = data_caption(back.summary)
    assert caption.startswith(
        f"Elevation: Fine DEM {A.resolution}; Coarse DEM {B.resolution}, on a 1000 m x 1000 m grid."
    ), caption


def test_a_csv_whose_rows_name_all_sources_reads_them_each_once(tmp_path):
    route = _mosaic_route()
    summary = RouteSummary.from_dict(route.summary.to_dict())  # no DEM: every row says "Fine DEM or Coarse DEM"
    (tmp_path / "strip.csv").write_text(route_text(RouteResult(summary, route.profile), "csv"))
    back = read_route(tmp_path / "strip.csv", places=None, country_at=None)
    assert back.summary.provenance.data_sources == [
        {"name": "Fine DEM", "resolution": A.resolution},
        {"name": "Coarse DEM", "resolution": B.resolution},
    ]


def test_an_older_csv_without_source_columns_still_reads(tmp_path):
    old = tmp_path / "old.csv"
    old.write_text("distance_km,lat,lon,elevation_m\n0.0,37.0,71.0,3000.0\n4.4506,37.0,71.05,3400.0\n")
    back = read_route(old, places=None, country_at=None)
    assert back.summary.terrain.max_elevation_m == 3400.0
    assert not back.summary.provenance.data_sources and not back.summary.provenance.grid
