"""SRTM tile names, readers (.hgt/.zip/.gz/GeoTIFF) and the mosaic, on real and built tiles."""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from srtm_build import gz_bytes, height_at, hgt_bytes, tile_heights, zip_bytes

from wakhan.errors import DataError, InputError
from wakhan.sources import srtm


def one_sentence(msg: str) -> bool:
    return "\n" not in msg and len(msg) < 400


# -- names ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "lat, lon, name",
    [
        (57.3, 11.9, "N57E011"),
        (57.0, 11.0, "N57E011"),
        (-0.5, -71.2, "S01W072"),
        (0.0, 0.0, "N00E000"),
        (-0.0001, -0.0001, "S01W001"),
        (36.9, 72.4, "N36E072"),
        (-90.0, -180.0, "S90W180"),
        (89.99, 179.99, "N89E179"),
        (-33.9, 151.2, "S34E151"),
    ],
)
def test_tile_name(lat, lon, name):
    assert srtm.tile_name(lat, lon) == name


@pytest.mark.parametrize("lat, lon", [(90.0, 0.0), (0.0, 180.0), (-91, 0), (float("nan"), 0)])
def test_tile_name_out_of_range(lat, lon):
    with pytest.raises((InputError, ValueError)):
        srtm.tile_name(lat, lon)


@pytest.mark.parametrize(
    "text, corner",
    [
        ("N57E011", (57, 11)),
        ("n57e011.hgt", (57, 11)),
        ("N57E011.hgt.gz", (57, 11)),
        ("N57E011.SRTMGL1.hgt.zip", (57, 11)),
        ("/cache/srtm/S01W072.hgt", (-1, -72)),
        ("s90w180.hgt.zip", (-90, -180)),
        ("N46E008.tif", (46, 8)),
    ],
)
def test_parse_tile_name(text, corner):
    assert srtm.parse_tile_name(text) == corner


@pytest.mark.parametrize("bad", ["X57E011", "N57E", "N95E011", "N57E200", "tile.hgt", "", "N57-E011", "N57E011E"])
def test_parse_tile_name_rejects(bad):
    with pytest.raises(InputError) as exc:
        srtm.parse_tile_name(bad)
    assert repr(bad) in str(exc.value) and one_sentence(str(exc.value))


@given(st.floats(-90, 89.999999), st.floats(-180, 179.999999))
def test_name_roundtrip(lat, lon):
    name = srtm.tile_name(lat, lon)
    s, w = srtm.parse_tile_name(name)
    assert s <= lat < s + 1 and w <= lon < w + 1
    assert srtm.tile_name(s, w) == name


def test_tiles_for_bbox():
    assert srtm.tiles_for_bbox(11, 57, 12, 58) == ["N57E011"]  # edges on whole degrees: one tile
    assert srtm.tiles_for_bbox(11.5, 57.5, 11.5, 57.5) == ["N57E011"]  # a point
    assert srtm.tiles_for_bbox(10.5, 56.5, 12.2, 58) == [
        "N57E010",
        "N57E011",
        "N57E012",
        "N56E010",
        "N56E011",
        "N56E012",
    ]
    assert srtm.tiles_for_bbox(-72.5, -1.5, -71, 0) == ["S01W073", "S01W072", "S02W073", "S02W072"]
    wakhan = srtm.tiles_for_bbox(71, 36.5, 75.5, 37.5)
    assert len(wakhan) == 10 and wakhan[0] == "N37E071" and wakhan[-1] == "N36E075"


@pytest.mark.parametrize("box", [(12, 57, 11, 58), (11, 58, 12, 57), (11, 57, 181, 58), (11, -95, 12, 0)])
def test_tiles_for_bbox_rejects(box):
    with pytest.raises(InputError) as exc:
        srtm.tiles_for_bbox(*box)
    assert "--bbox" in str(exc.value) and one_sentence(str(exc.value))


# -- the real tiles ------------------------------------------------------------------
def test_read_real_srtm3_hgt(srtm_dir):
    path = srtm_dir / "N57E011.hgt"
    g = srtm.read_tile(path)
    cell = 1 / 1200
    assert g.shape == (1201, 1201) and g.array.dtype == np.int16
    assert (int(g.array.min()), int(g.array.max())) == (-6, 163)
    assert g.nodata == -32768 and g.crs.to_epsg() == 4326
    t = g.transform
    assert t.a == pytest.approx(cell) and t.e == pytest.approx(-cell)
    assert t.c == pytest.approx(11 - cell / 2, abs=1e-12) and t.f == pytest.approx(58 + cell / 2, abs=1e-12)
    # row 1200, col 0 is the south-west cell, centred on 57N 11E; row 0 col 1200 on 58N 12E
    assert np.allclose(g.xy(1200, 0), (11.0, 57.0), atol=1e-12)
    assert np.allclose(g.xy(0, 1200), (12.0, 58.0), atol=1e-12)
    assert g.rowcol(11.0, 57.0) == (1200, 0)
    # not flipped: the first big-endian int16 in the file is the north-west cell
    raw = np.fromfile(path, dtype=">i2").reshape(1201, 1201)
    assert np.array_equal(g.array, raw)
    assert g.sample(11.0, 58.0, method="nearest")[0] == raw[0, 0]
    assert g.sample(11.5, 57.5, method="nearest")[0] == raw[600, 600]
    (src,) = g.sources
    assert src.resolution == '3" (~90 m)' and src.licence == "public domain" and src.origin == str(path)


def test_read_real_geotiff_pixel_is_point(srtm_dir):
    g = srtm.read_tile(srtm_dir / "N46E008.tif")
    assert g.shape == (1201, 1201)
    assert g.nodata == -32767
    # pixel-is-point: cell centres on whole degrees, not the corner
    assert np.allclose(g.xy(0, 0), (8.0, 47.0), atol=1e-9)
    assert np.allclose(g.xy(1200, 1200), (9.0, 46.0), atol=1e-9)
    assert g.sources[0].resolution == '3" (~90 m)'


# -- built tiles ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def built_srtm1(tmp_path_factory):
    """A built 1" tile N36E071 as .hgt, .hgt.gz, .hgt.zip and an SRTMGL1-style zip name."""
    folder = tmp_path_factory.mktemp("srtm1")
    heights = tile_heights(36, 71, 3601)
    data = hgt_bytes(heights)
    files = {
        "hgt": folder / "N36E071.hgt",
        "gz": folder / "N36E071.hgt.gz",
        "zip": folder / "N36E071.hgt.zip",
        "zip_gl1": folder / "N36E071.SRTMGL1.hgt.zip",
    }
    files["hgt"].write_bytes(data)
    files["gz"].write_bytes(gz_bytes(data))
    files["zip"].write_bytes(zip_bytes(data, "N36E071.hgt"))
    files["zip_gl1"].write_bytes(zip_bytes(data, "N36E071.hgt"))
    return heights, files


def test_built_srtm1_forms_read_identically(built_srtm1):
    heights, files = built_srtm1
    grids = {k: srtm.read_tile(p) for k, p in files.items()}
    ref = grids["hgt"]
    assert ref.shape == (3601, 3601)
    assert np.array_equal(ref.array, heights)
    assert ref.sources[0].resolution == '1" (~30 m)'
    assert np.allclose(ref.xy(3600, 0), (71.0, 36.0), atol=1e-12)
    for key, g in grids.items():
        assert np.array_equal(g.array, ref.array), key
        assert g.transform == ref.transform and g.nodata == ref.nodata and g.crs == ref.crs, key
    # a value at a known position: the surface at the cell centre nearest (71.25, 36.75)
    assert ref.sample(71.25, 36.75, method="nearest")[0] == np.round(height_at(71.25, 36.75))


def test_geotiff_pixel_is_point_written_here_reads_like_hgt(tmp_path):
    import rasterio

    heights = tile_heights(57, 12, 1201)
    hgt = tmp_path / "N57E012.hgt"
    hgt.write_bytes(hgt_bytes(heights))
    ref = srtm.read_tile(hgt)
    tif = tmp_path / "N57E012.tif"
    with rasterio.open(
        tif,
        "w",
        driver="GTiff",
        width=1201,
        height=1201,
        count=1,
        dtype="int16",
        crs="EPSG:4326",
        transform=ref.transform,
        nodata=-32768,
    ) as ds:
        ds.update_tags(AREA_OR_POINT="Point")
        ds.write(heights, 1)
    with rasterio.open(tif) as ds:
        assert ds.tags().get("AREA_OR_POINT") == "Point"
    g = srtm.read_tile(tif)
    assert np.array_equal(g.array, ref.array) and g.transform.almost_equals(ref.transform, precision=1e-12)


# -- mosaic -------------------------------------------------------------------------------
def _built_grid(tmp_path, lat, lon, side=1201):
    path = tmp_path / f"{srtm.tile_name(lat, lon)}.hgt"
    path.write_bytes(hgt_bytes(tile_heights(lat, lon, side)))
    return srtm.read_tile(path)


def test_mosaic_of_adjacent_tiles_has_no_seam_or_shift(tmp_path):
    tiles = {(lat, lon): _built_grid(tmp_path, lat, lon) for lat in (57, 58) for lon in (11, 12)}
    m = srtm.mosaic_tiles(list(tiles.values()))
    assert m.shape == (2401, 2401)  # shared edges written once
    assert m.transform.c == pytest.approx(11 - 1 / 2400) and m.transform.f == pytest.approx(59 + 1 / 2400)
    # every cell holds the surface at its own centre: no duplicated row, no half-cell shift
    rows = np.arange(2401)
    lat = (59 * 3600 - rows * 3) / 3600.0
    lon = (11 * 3600 + rows * 3) / 3600.0
    assert np.array_equal(m.array, np.round(height_at(lon[None, :], lat[:, None])).astype(np.int16))
    # a point on the shared meridian 12E and one on the shared parallel 58N
    west, east = tiles[(57, 11)], tiles[(57, 12)]
    a, b = west.sample(12.0, 57.4, method="nearest")[0], east.sample(12.0, 57.4, method="nearest")[0]
    assert a == b == m.sample(12.0, 57.4, method="nearest")[0] == np.round(height_at(12.0, 57.4))
    # between cell centres along the edge: bilinear agrees to float rounding (a shift would be metres)
    a, b = west.sample(12.0, 57.4013, method="bilinear")[0], east.sample(12.0, 57.4013, method="bilinear")[0]
    assert a == pytest.approx(b, abs=1e-6) and m.sample(12.0, 57.4013)[0] == pytest.approx(a, abs=1e-6)
    assert west.array[round(0.6 * 1200), 1200] == east.array[round(0.6 * 1200), 0]
    south, north = tiles[(57, 11)], tiles[(58, 11)]
    vals = [g.sample(11.3004, 58.0)[0] for g in (south, north, m)]
    assert vals == pytest.approx([vals[0]] * 3, abs=1e-6)
    assert m.sources[0].name == "SRTM" and m.sources[0].origin.count(".hgt") == 4


def test_mosaic_fills_a_void_from_the_neighbour_and_leaves_gaps_nodata(tmp_path):
    west = _built_grid(tmp_path, 57, 11)
    east = _built_grid(tmp_path, 57, 12)
    arr = west.array.copy()
    arr[:, -1] = srtm.HGT_VOID  # void along the shared edge in the first tile
    west = west.with_array(arr)
    far = _built_grid(tmp_path, 58, 13)  # diagonal: leaves two empty quadrants
    m = srtm.mosaic_tiles([west, east, far])
    assert m.shape == (2401, 3601)
    r, c = m.rowcol(12.0, 57.5)
    assert m.array[r, c] == east.array[600, 0] != srtm.HGT_VOID
    r, c = m.rowcol(11.5, 58.5)  # no tile there
    assert m.array[r, c] == m.nodata == srtm.HGT_VOID


def test_mosaic_refuses_mixed_resolutions(tmp_path):
    with pytest.raises(InputError):
        srtm.mosaic_tiles([_built_grid(tmp_path, 57, 11), _built_grid(tmp_path, 57, 12, side=3601)])
    with pytest.raises(InputError):
        srtm.mosaic_tiles([])


# -- bad input ---------------------------------------------------------------------------
def _listing(folder):
    return sorted(os.listdir(folder))


def test_truncated_and_oversized_hgt(tmp_path):
    data = hgt_bytes(tile_heights(57, 11, 1201))
    short = tmp_path / "N57E011.hgt"
    short.write_bytes(data[:1_000_000])
    before = _listing(tmp_path)
    with pytest.raises(DataError) as exc:
        srtm.read_tile(short)
    msg = str(exc.value)
    assert "truncated" in msg and "1000000 bytes" in msg and "2884802" in msg and str(short) in msg
    assert "fetch again" in msg and one_sentence(msg)
    big = tmp_path / "N58E011.hgt"
    big.write_bytes(data + b"\0\0")
    with pytest.raises(DataError) as exc:
        srtm.read_tile(big)
    assert "2884804 bytes" in str(exc.value) and one_sentence(str(exc.value))
    assert _listing(tmp_path) == sorted(before + ["N58E011.hgt"])  # nothing written by the reader
    gz = tmp_path / "N59E011.hgt.gz"
    gz.write_bytes(gz_bytes(data)[:50_000])
    with pytest.raises(DataError) as exc:
        srtm.read_tile(gz)
    assert "gzip" in str(exc.value) and one_sentence(str(exc.value))


def test_zip_without_a_tile(tmp_path):
    path = tmp_path / "N57E011.hgt.zip"
    path.write_bytes(zip_bytes(b"hello", "readme.txt"))
    with pytest.raises(DataError) as exc:
        srtm.read_tile(path)
    assert "zip without a .hgt" in str(exc.value) and one_sentence(str(exc.value))
    notzip = tmp_path / "N58E011.hgt.zip"
    notzip.write_bytes(b"PK not really")
    with pytest.raises(DataError):
        srtm.read_tile(notzip)


def test_bad_names_and_missing_files(tmp_path):
    path = tmp_path / "tile.hgt"
    path.write_bytes(hgt_bytes(tile_heights(57, 11, 1201)))
    with pytest.raises(InputError) as exc:
        srtm.read_tile(path)
    assert "'tile.hgt'" in str(exc.value)
    with pytest.raises(DataError) as exc:
        srtm.read_tile(tmp_path / "N10E010.hgt")
    assert "does not exist" in str(exc.value)
    other = tmp_path / "N10E010.dem"
    other.write_bytes(b"x")
    with pytest.raises(InputError):
        srtm.read_tile(other)


@pytest.mark.parametrize(
    "lat, lon, row, col",
    [
        (47.0, 8.5, 0, 600),  # the north edge of N46E008: its top row (N47E008's bottom row)
        (46.5, 9.0, 600, 1200),  # the east edge: its last column (N46E009's first)
        (47.0, 9.0, 0, 1200),  # the north-east corner, shared by four tiles
    ],
)
def test_a_point_on_a_tiles_edge_is_served_by_that_tile(srtm_dir, tmp_path, capsys, lat, lon, row, col):
    """SRTM tiles share their edge rows and columns: with only N46E008 cached, a point on its north or
    east edge reads the tile's own edge cell (it asked for the missing neighbour, N47E008 or N46E009)."""
    import shutil

    import rasterio

    from wakhan.cli import run
    from wakhan.dem.build import elevation_at

    tiles = tmp_path / "tiles"
    tiles.mkdir()
    shutil.copy(srtm_dir / "N46E008.tif", tiles / "N46E008.tif")
    with rasterio.open(tiles / "N46E008.tif") as ds:  # the cell centred on the point, read directly
        expected = float(ds.read(1)[row, col])
    value, source = elevation_at(lon, lat, source="tiles", tiles_dir=tiles)
    assert value == pytest.approx(expected, abs=0.01)
    assert run(["elevation", str(lat), str(lon), "--dem", "tiles", "--tiles-dir", str(tiles)]) == 0
    assert capsys.readouterr().out.split()[:2] == [f"{expected:.0f}", "m"]
    # a point beyond the edge still needs the neighbour, and says which
    with pytest.raises(DataError, match="N47E008"):
        elevation_at(8.5, 47.001, source="tiles", tiles_dir=tiles)


@pytest.mark.parametrize("renamed", ["my tile.hgt", "N57E011 (1).hgt"])
def test_a_renamed_hgt_file_says_to_rename_it_back(renamed, tmp_path, capsys):
    """A .hgt tile is georeferenced by its name only; a browser's `N57E011 (1).hgt` is one a user has."""
    with pytest.raises(InputError, match=r"rename it to its tile's name, e\.g\. N57E011\.hgt"):
        srtm.parse_tile_name(renamed)
    from wakhan.cli import run

    path = tmp_path / renamed
    path.write_bytes(hgt_bytes(tile_heights(57, 11, 1201)))
    assert run(["elevation", "57.5", "11.5", "--dem", str(path)]) == 2
    assert "rename it to its tile's name" in capsys.readouterr().err
