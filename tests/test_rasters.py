"""Rasters a GIS opens: every GeoTIFF wakhan writes reads back with rasterio with the right CRS,
transform, nodata and values; xarray DataArrays go in and out of Grids."""

from __future__ import annotations

import math

import numpy as np
import pytest
import rasterio
from affine import Affine
from pyproj import Transformer

from wakhan.cli import run
from wakhan.cost import IsotropicModel
from wakhan.errors import InputError
from wakhan.grid import DataSource, Grid
from wakhan.places import resolve
from wakhan.solve import accumulate, corridor

UTM43 = "EPSG:32643"


def flat_grid(nrows=40, ncols=50, res=100.0):
    t = Affine(res, 0, 400_000.0, 0, -res, 4_100_000.0)
    return Grid(np.zeros((nrows, ncols), np.float32), t, UTM43, sources=(DataSource("flat test plane", "100 m"),))


def test_geotiff_is_a_compressed_cog_with_crs_transform_nodata_and_provenance(tmp_path):
    g = flat_grid()
    arr = np.arange(g.height * g.width, dtype=np.float32).reshape(g.shape)
    arr[3, 4] = np.nan
    arr[5, 6] = np.inf
    g = g.with_array(arr, notes=("a note",))
    out = g.to_geotiff(tmp_path / "x.tif", description="test values", units="m")
    assert [p.name for p in tmp_path.iterdir()] == ["x.tif"]
    with rasterio.open(out) as ds:
        assert ds.crs.to_epsg() == 32643
        assert ds.transform == g.transform
        assert ds.nodata == -9999.0
        assert ds.tags(ns="IMAGE_STRUCTURE")["LAYOUT"] == "COG"
        assert ds.profile["compress"].lower() == "deflate"
        assert ds.descriptions == ("test values",) and ds.units == ("m",)
        tags = ds.tags()
        assert "flat test plane" in tags["WAKHAN_SOURCES"] and "a note" in tags["WAKHAN_NOTES"]
        band = ds.read(1, masked=True)
    assert band.mask[3, 4] and band.mask[5, 6] and band.mask.sum() == 2
    ok = np.isfinite(arr)
    np.testing.assert_array_equal(band.data[ok], arr[ok])


def test_geotiff_refuses_other_extensions_and_leaves_nothing(tmp_path):
    with pytest.raises(InputError, match=".tif"):
        flat_grid().to_geotiff(tmp_path / "x.png")
    assert list(tmp_path.iterdir()) == []


def test_accumulated_cost_raster_is_georeferenced(tmp_path):
    """On a flat plane with a grade-blind model the 8-neighbour cost is the octile distance (hand formula);
    read back at map coordinates, the GeoTIFF holds it at the right place."""
    g = flat_grid()
    src = (10, 20)
    acc = accumulate(g, IsotropicModel(), src, neighbours=8)
    out = acc.cost_grid().to_geotiff(tmp_path / "acc.tif")
    with rasterio.open(out) as ds:
        band = ds.read(1)
        for r, c in [(0, 0), (39, 49), (10, 20), (25, 3)]:
            x, y = g.xy(r, c)
            rr, cc = ds.index(float(x), float(y))
            dr, dc = abs(r - src[0]), abs(c - src[1])
            octile = (max(dr, dc) - min(dr, dc) + math.sqrt(2) * min(dr, dc)) * 100.0
            assert band[rr, cc] == pytest.approx(octile, rel=1e-5)


def test_corridor_raster_marks_the_band(tmp_path):
    g = flat_grid()
    cor = corridor(g, IsotropicModel(), (20, 5), (20, 45), within_pct=2.0, neighbours=8)
    out = cor.excess_grid().to_geotiff(tmp_path / "c.tif")
    with rasterio.open(out) as ds:
        band = ds.read(1, masked=True)
        assert ds.transform == g.transform and ds.crs.to_epsg() == 32643
    # the straight row between the ends is optimal (0 % extra); the far corners are outside the band
    assert np.allclose(band[20, 5:46].filled(np.nan), 0.0)
    assert band.mask[0, 0] and band.mask[39, 49]
    assert float(band.max()) <= 2.0 + 1e-6


def test_xarray_round_trip_and_dem_accepted_by_solver():
    pytest.importorskip("rioxarray")
    g = flat_grid()
    g = g.with_array(np.linspace(0, 100, g.width * g.height, dtype=np.float32).reshape(g.shape))
    da = g.to_xarray()
    assert da.rio.crs.to_epsg() == 32643 and da.rio.transform() == g.transform
    # cell-centre coordinates: the first x is half a cell east of the left edge
    assert float(da.x[0]) == pytest.approx(400_050.0) and float(da.y[0]) == pytest.approx(4_099_950.0)
    back = Grid.from_xarray(da)
    assert back.transform == g.transform and back.crs == g.crs
    np.testing.assert_array_equal(back.array, g.array)
    a = accumulate(da, IsotropicModel(), (0, 0), neighbours=8)
    b = accumulate(g, IsotropicModel(), (0, 0), neighbours=8)
    np.testing.assert_array_equal(a.cost, b.cost)


def test_xarray_from_a_geotiff_read_by_rioxarray(tmp_path):
    rioxarray = pytest.importorskip("rioxarray")
    g = flat_grid()
    arr = np.full(g.shape, 3000.0, np.float32)
    arr[0, 0] = np.nan
    g.with_array(arr).to_geotiff(tmp_path / "d.tif")
    da = rioxarray.open_rasterio(tmp_path / "d.tif")  # band dimension, nodata -9999
    back = Grid.from_xarray(da)
    assert back.shape == g.shape and back.transform == g.transform
    assert not back.valid_mask()[0, 0] and back.valid_mask().sum() == g.width * g.height - 1
    assert back.sources[0].name == "flat test plane"  # provenance travels in the tags


def _lonlat_bounds(ds):
    from rasterio.warp import transform_bounds

    return transform_bounds(ds.crs, "EPSG:4326", *ds.bounds, densify_pts=21)


def test_cli_dem_build_covers_the_box(tmp_path):
    out = tmp_path / "dem.tif"
    assert run(["dem", "build", "--bbox", "74.2", "36.9", "74.7", "37.2", "-o", str(out)]) == 0
    with rasterio.open(out) as ds:
        assert ds.crs.is_projected and ds.crs.linear_units in ("metre", "meter")
        assert abs(ds.transform.a) == pytest.approx(abs(ds.transform.e))
        w, s, e, n = _lonlat_bounds(ds)
        assert w <= 74.2 and s <= 36.9 and e >= 74.7 and n >= 37.2
        z = ds.read(1, masked=True)
        assert "GEBCO" in ds.tags()["WAKHAN_SOURCES"]
    # The Wakhjir area: valleys around 4,000 m, peaks above 5,500 m (published heights of the region).
    assert 3000 < float(z.min()) < 4500 and 5500 < float(z.max()) < 7500


@pytest.mark.slow
def test_cli_accumulate_and_corridor(tmp_path):
    acc, cor = tmp_path / "acc.tif", tmp_path / "cor.tif"
    # 40 km around Tashkurgan reaches Tajikistan (the border is ~27 km west), which --within CN excludes
    assert run(["accumulate", "Tashkurgan", "-o", str(acc), "--buffer-km", "40", "--within", "CN"]) == 0
    assert run(["corridor", "Tashkurgan", "Dafdar", "-o", str(cor), "--within-pct", "4", "--buffer-km", "15"]) == 0
    tash, dafdar = resolve("Tashkurgan"), resolve("Dafdar")
    with rasterio.open(acc) as ds:
        x, y = Transformer.from_crs("EPSG:4326", ds.crs, always_xy=True).transform(tash.lon, tash.lat)
        band = ds.read(1, masked=True)
        r, c = ds.index(x, y)
        assert band[r, c] == 0.0  # the source cell
        assert ds.nodata == -9999.0
        # cells whose centres lie outside China (bundled borders, looked up independently) are nodata
        from wakhan.borders import country_at

        rows, cols = np.mgrid[0 : ds.height : 5, 0 : ds.width : 5]
        xs, ys = rasterio.transform.xy(ds.transform, rows.ravel(), cols.ravel())
        lon, lat = Transformer.from_crs(ds.crs, "EPSG:4326", always_xy=True).transform(xs, ys)
        outside = np.asarray(country_at(np.asarray(lon), np.asarray(lat))) != "CN"
        assert outside.sum() > 10
        assert band.mask[rows.ravel()[outside], cols.ravel()[outside]].all()
        assert ds.descriptions[0].startswith("accumulated highway cost")
    with rasterio.open(cor) as ds:
        band = ds.read(1, masked=True)
        t = Transformer.from_crs("EPSG:4326", ds.crs, always_xy=True)
        for p in (tash, dafdar):
            r, c = ds.index(*t.transform(p.lon, p.lat))
            assert band[r, c] == pytest.approx(0.0, abs=1e-6)  # both ends lie on the optimal route
        assert 0 < band.count() < band.size and float(band.max()) <= 4.0 + 1e-6


def test_cli_route_rasters_share_one_grid(tmp_path):
    folder = tmp_path / "rasters"
    route = tmp_path / "r.geojson"
    assert run(["route", "Tashkurgan", "Dafdar", "--buffer-km", "10", "-o", str(route), "--rasters", str(folder)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["accumulation.tif", "corridor.tif", "dem.tif"]
    grids = {}
    for name in ("dem", "accumulation", "corridor"):
        with rasterio.open(folder / f"{name}.tif") as ds:
            grids[name] = (ds.crs, ds.transform, ds.shape, ds.read(1, masked=True))
    assert len({(str(c), t, s) for c, t, s, _ in grids.values()}) == 1  # one georeferencing for all three
    from wakhan.route.files import read_route

    r = read_route(route)
    crs, transform, _, cor = grids["corridor"]
    xs, ys = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(r.profile.lon, r.profile.lat)
    rows, cols = rasterio.transform.rowcol(transform, xs, ys)
    on_route = cor[np.asarray(rows), np.asarray(cols)]
    # the route lies in its corridor, on cells costing (almost) nothing extra; a few profile points between
    # the cells of a knight's move fall in a neighbouring cell
    assert np.ma.getmaskarray(on_route).mean() < 0.02
    assert float(np.ma.median(on_route)) < 0.05 and float(on_route.max()) <= 5.0 + 1e-6
    dem = grids["dem"][3]
    assert abs(float(dem[np.asarray(rows), np.asarray(cols)].max()) - r.summary.terrain.max_elevation_m) < 60


def test_integer_grid_keeps_its_nodata(tmp_path):
    g = flat_grid()
    arr = np.full(g.shape, 1200, np.int16)
    arr[0, :5] = -32768
    out = g.with_array(arr, nodata=-32768).to_geotiff(tmp_path / "i.tif")
    with rasterio.open(out) as ds:
        assert ds.dtypes[0] == "int16" and ds.nodata == -32768
        band = ds.read(1, masked=True)
    assert band.mask.sum() == 5 and int(band.max()) == 1200


def test_plan_route_accepts_an_xarray_dem():
    pytest.importorskip("rioxarray")
    from wakhan.dem import dem_around
    from wakhan.plan import plan_route

    tash, dafdar = resolve("Tashkurgan"), resolve("Dafdar")
    grid = dem_around([(tash.lon, tash.lat), (dafdar.lon, dafdar.lat)], 8.0)
    a = plan_route(["Tashkurgan", "Dafdar"], dem=grid)
    b = plan_route(["Tashkurgan", "Dafdar"], dem=grid.to_xarray())
    assert (
        b.summary.terrain.length_km == a.summary.terrain.length_km
        and b.summary.provenance.cost == a.summary.provenance.cost
    )


def test_cli_accumulate_on_two_threads_writes_the_one_thread_costs(tmp_path, monkeypatch):
    """``wakhan accumulate --threads 2`` (the default) searches two bands at once; the GeoTIFF holds
    only costs, which must equal the one-thread search's to the last bit (issue 23 item 3)."""
    from wakhan.solve import parallel

    calls = []
    two = parallel.accumulate_two
    monkeypatch.setattr(parallel, "accumulate_two", lambda *a, **k: calls.append(1) or two(*a, **k))
    one_tif, two_tif = tmp_path / "one.tif", tmp_path / "two.tif"
    args = ["accumulate", "Tashkurgan", "--buffer-km", "25", "--within", "CN"]
    assert run([*args, "-o", str(one_tif), "--threads", "1"]) == 0
    assert not calls  # one thread: the band split was not used
    assert run([*args, "-o", str(two_tif)]) == 0
    assert calls == [1]  # the default used the two-band search
    with rasterio.open(one_tif) as a, rasterio.open(two_tif) as b:
        one, two = a.read(1), b.read(1)
    assert (one != -9999.0).sum() > 10_000  # a real surface, most of it reached
    np.testing.assert_array_equal(one, two)


def test_cli_accumulate_refuses_three_threads(tmp_path, capsys):
    out = tmp_path / "acc.tif"
    assert run(["accumulate", "Tashkurgan", "-o", str(out), "--threads", "3"]) == 2
    assert "--threads" in capsys.readouterr().err and not out.exists()


@pytest.mark.parametrize("pct", ["-5", "nan", "inf"])
def test_a_bad_within_pct_is_refused_by_its_option_name_before_any_work(pct, tmp_path, capsys, monkeypatch):
    """It said "within_pct=-5.0 must be zero or ..." (the Python name, no example) after the DEM was built and
    the forward search run; a CLI message names the option, and the check comes before the DEM."""
    import wakhan.plan.rasters as rasters

    def no_work(*args, **kwargs):
        raise AssertionError("the DEM was set up before --within-pct was checked")

    monkeypatch.setattr(rasters, "set_up", no_work)
    out = tmp_path / "band.tif"
    assert run(["corridor", "tashkurgan", "wakhjir pass", "-o", str(out), "--within-pct", pct]) == 2
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and "--within-pct" in lines[0] and "e.g. --within-pct 5" in lines[0], err
    assert not out.exists()
