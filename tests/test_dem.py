"""DEM building: CRS choice, priority mosaic, registration after reprojection, SRTM tiles, errors, CLI."""

from __future__ import annotations

import numpy as np
import pytest
from rasterio.crs import CRS
from srtm_build import height_at, hgt_bytes, tile_heights

from wakhan.dem import build_dem, choose_crs, dem_around, elevation_at, lonlat_to_xy, xy_to_lonlat
from wakhan.errors import InputError
from wakhan.sources import pack

KASHGAR = (75.99, 39.47)
KABUL = (69.17, 34.53)
WAKHJIR = (74.5, 37.1)


@pytest.fixture(scope="module")
def big_dem():
    """The Kashgar-Kabul DEM via the Wakhjir Pass, 50 km buffer, from the pack (default resolution)."""
    return dem_around([KASHGAR, WAKHJIR, KABUL], buffer_km=50)


def test_choose_crs_utm_for_small_box():
    crs = choose_crs((74.2, 36.9, 74.8, 37.3))
    assert crs.to_epsg() == 32643
    assert choose_crs((-71.5, -33.6, -70.5, -33.2)).to_epsg() == 32719  # southern hemisphere


def test_choose_crs_azimuthal_for_big_box():
    crs = choose_crs((68.5, 34.0, 76.5, 40.0))
    assert crs.to_epsg() is None and crs.is_projected
    params = crs.to_dict()
    assert params["proj"] == "aeqd"
    # a box inside the region pack (67.5-77E, 33.5-40.5N) is centred on the pack's extent, not on itself
    assert params["lat_0"] == pytest.approx(37.0) and params["lon_0"] == pytest.approx(72.25)
    assert choose_crs((69.0, 34.2, 76.6, 39.9)) == crs  # another box inside it: the same CRS


def test_big_dem_shape_crs_and_provenance(big_dem):
    g = big_dem
    assert g.array.dtype == np.float32 and g.nodata is None and g.crs.is_projected
    assert g.crs.to_dict()["proj"] == "aeqd"
    assert g.res == pytest.approx((464.0, 464.0))  # GEBCO 15" native N-S spacing
    assert 1_000_000 < g.array.size < 6_000_000
    assert np.isfinite(g.array).all()
    names = " ".join(s.name for s in g.sources)
    assert "GEBCO" in names and "GLOBE" in names
    notes = " ".join(g.notes)
    assert "region pack" in notes and "no SRTM tiles given" in notes
    assert 'GLOBE 30" used south of 36.32N' in notes
    # Every waypoint lies inside the grid, at least ~50 km from its edge.
    x, y = lonlat_to_xy(g.crs, *np.array([KASHGAR, WAKHJIR, KABUL]).T)
    left, bottom, right, top = g.bounds
    assert (x - left > 45e3).all() and (right - x > 45e3).all()
    assert (y - bottom > 45e3).all() and (top - y > 45e3).all()


def test_priority_gebco_where_it_covers_globe_elsewhere(big_dem):
    g = big_dem
    gebco, globe = pack.open_gebco(), pack.open_globe()
    rows, cols = np.mgrid[0 : g.height : 7, 0 : g.width : 7]
    x, y = g.xy(rows.ravel(), cols.ravel())
    lon, lat = xy_to_lonlat(g.crs, x, y)
    dem = g.array[rows.ravel(), cols.ravel()]
    v_gebco, v_globe = gebco.sample(lon, lat), globe.sample(lon, lat)
    north = (lat > 36.4) & np.isfinite(v_gebco)
    south = lat < 36.25
    differ = np.abs(v_gebco - v_globe) > 150
    # Where the sources disagree, the DEM follows GEBCO north of its edge and GLOBE south of it.
    sel = north & differ
    assert sel.sum() > 100
    assert np.median(np.abs(dem[sel] - v_gebco[sel])) < np.median(np.abs(dem[sel] - v_globe[sel])) / 5
    sel = south & np.isfinite(v_globe)
    assert sel.sum() > 100
    assert np.median(np.abs(dem[sel] - v_globe[sel])) < 5


def test_no_half_cell_shift_after_reprojection():
    g = build_dem((74.3, 36.9, 74.8, 37.3), resolution_m=200)
    assert g.crs.to_epsg() == 32643
    gebco = pack.open_gebco()
    rng = np.random.default_rng(7)
    rows = rng.integers(5, g.height - 5, 400)
    cols = rng.integers(5, g.width - 5, 400)
    lon, lat = xy_to_lonlat(g.crs, *g.xy(rows, cols))
    dem = g.array[rows, cols]
    err = np.median(np.abs(dem - gebco.sample(lon, lat)))
    assert err < 6.0  # bilinear both ways; GDAL's approximate transformer adds a little
    half = gebco.res[0] / 2
    for dx, dy in ((half, 0), (0, half), (-half, 0), (0, -half)):
        assert np.median(np.abs(dem - gebco.sample(lon + dx, lat + dy))) > err + 20


def test_elevation_at_uses_finest_source():
    v, src = elevation_at(*KASHGAR)
    # published heights (Wikipedia): Kashgar 1,289 m, Kabul 1,791 m; see test_pack for tolerances
    assert "GEBCO" in src.name and abs(v - 1289) <= 25
    v, src = elevation_at(*KABUL)
    assert "GLOBE" in src.name and abs(v - 1791) <= 30


def test_resolution_and_crs_overrides():
    g = build_dem((74.3, 36.9, 74.8, 37.3), resolution_m=1000, crs="EPSG:32643")
    assert g.res == (1000.0, 1000.0) and g.crs == CRS.from_epsg(32643)
    g = build_dem((69.0, 34.4, 69.4, 34.7))  # Kabul only: GLOBE is the finest source here
    assert g.res == pytest.approx((928.0, 928.0)) and [s.name for s in g.sources] == ["NOAA GLOBE"]


def _write_tile(folder, lat_s, lon_w, void_block=None):
    h = tile_heights(lat_s, lon_w, 1201)
    if void_block is not None:
        r0, r1, c0, c1 = void_block
        h[r0:r1, c0:c1] = -32768
    name = f"N{lat_s:02d}E{lon_w:03d}.hgt"
    (folder / name).write_bytes(hgt_bytes(h))
    return folder / name


def test_srtm_tiles_take_priority_and_keep_registration(tmp_path):
    _write_tile(tmp_path, 37, 74)
    bbox = (74.2, 37.2, 74.6, 37.5)
    g = build_dem(bbox, source="tiles", tiles_dir=tmp_path)
    assert g.sources[0].name == "SRTM" and g.res[0] == pytest.approx(93.0)
    rows, cols = np.mgrid[3 : g.height - 3 : 17, 3 : g.width - 3 : 17]
    lon, lat = xy_to_lonlat(g.crs, *g.xy(rows.ravel(), cols.ravel()))
    err = np.abs(g.array[rows.ravel(), cols.ravel()] - height_at(lon, lat))
    assert np.median(err) < 3.0
    # A folder path works like source="tiles".
    g2 = build_dem(bbox, source=tmp_path, resolution_m=500)
    assert g2.sources[0].name == "SRTM"


def test_srtm_voids_filled_or_kept_not_papered_over(tmp_path):
    _write_tile(tmp_path, 37, 74, void_block=(400, 500, 400, 500))  # ~37.58-37.67N, 74.33-74.42E
    bbox = (74.3, 37.55, 74.45, 37.7)
    filled = build_dem(bbox, source="tiles", tiles_dir=tmp_path, resolution_m=100)
    kept = build_dem(bbox, source="tiles", tiles_dir=tmp_path, resolution_m=100, fill_voids=False)
    assert np.isfinite(filled.array).all()
    lon, lat = xy_to_lonlat(kept.crs, *kept.xy(*np.indices(kept.shape).reshape(2, -1)))
    inside = ((lat < 37.66) & (lat > 37.59) & (lon > 74.34) & (lon < 74.41)).reshape(kept.shape)
    assert np.isnan(kept.array[inside]).all()  # not filled from GEBCO
    assert any("void" in n for n in filled.notes) and any("void" in n for n in kept.notes)


@pytest.mark.parametrize("bbox", [(10, 10, 11, 11), (80, 45, 81, 46)])
def test_bbox_outside_every_source(bbox):
    with pytest.raises(InputError, match="outside every elevation source") as err:
        build_dem(bbox)
    assert "36.32-40.50N" in str(err.value)


@pytest.mark.parametrize("bbox", [(75, 37, 74, 38), (74, 38, 75, 37), ("a", 1, 2, 3), (1, 2, 3), (0, 0, 1, np.nan)])
def test_bad_bbox(bbox):
    with pytest.raises(InputError):
        build_dem(bbox)


def test_bad_points(monkeypatch):
    with pytest.raises(InputError, match="outside the elevation data"):
        elevation_at(20.0, 20.0)
    with pytest.raises(InputError):
        elevation_at(200.0, 37.0)
    with pytest.raises(InputError):
        dem_around([])
    with pytest.raises(InputError):
        dem_around([(74.5, 37.1)], buffer_km=-5)
    # a 30 m grid of this box has about 540 M cells: routed lean at 12 B a cell (benchmarks/README.md, the 30 m
    # route measured at 6,133 MiB for 538 M cells), about 6 GB
    monkeypatch.setenv("WAKHAN_MEMORY_GB", "4")
    with pytest.raises(InputError, match="cells and needs about"):
        build_dem((68.5, 34.0, 76.5, 40.0), resolution_m=30)


def test_cli_elevation_and_dem_info(capsys, tmp_path):
    from wakhan.cli import run

    assert run(["elevation", "39.47", "75.99"]) == 0
    out = capsys.readouterr().out
    assert "1297 m" in out and "GEBCO" in out and "region pack" in out
    assert run(["elevation", "34.53,69.17"]) == 0
    assert "GLOBE" in capsys.readouterr().out
    assert run(["elevation", "20", "20"]) == 2
    assert "outside the elevation data" in capsys.readouterr().err
    tile = _write_tile(tmp_path, 37, 74, void_block=(0, 10, 0, 10))
    assert run(["dem", "info", str(tile)]) == 0
    out = capsys.readouterr().out
    assert "1201 x 1201" in out and "EPSG:4326" in out and "100 cells" in out
    assert run(["elevation", "37.5", "74.5", "--dem", str(tile)]) == 0
    assert "SRTM" in capsys.readouterr().out
    assert run(["pack", "info"]) == 0
    out = capsys.readouterr().out
    assert "all files match" in out and "CC BY 4.0" in out
    assert run(["dem", "info", str(tmp_path / "nope.tif")]) == 2


def test_a_grid_that_does_not_fit_in_memory_is_refused_before_it_is_built(monkeypatch):
    """The memory estimate names the size needed and a resolution that fits, before any allocation."""
    from wakhan.dem.project import ROUTE_BYTES_PER_CELL, target_grid

    box = (73.0, 36.5, 75.0, 37.5)
    _, (h, w) = target_grid(box, "EPSG:32643", 1000.0)
    monkeypatch.setenv("WAKHAN_MEMORY_GB", str(h * w * ROUTE_BYTES_PER_CELL * 4 / 2**30))
    target_grid(box, "EPSG:32643", 1000.0)  # fits in 4x its need
    with pytest.raises(
        InputError,
        match=r"needs about .* GB of memory .* use --resolution \d+, or resolution_m=\d+ in Python, or coarser",
    ) as info:
        target_grid(box, "EPSG:32643", 250.0)  # 16x the cells: 4x too many
    fit = float(info.value.args[0].split("--resolution ")[1].split(",")[0])
    assert 500 <= fit <= 600  # sqrt(4) x 250 m, rounded up
    target_grid(box, "EPSG:32643", fit)
