"""Settlement readers: the real Who's On First file, built GeoNames/CSV/GeoJSON/GeoTIFF files, bad files."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from wakhan.errors import DataError, InputError
from wakhan.grid import DataSource
from wakhan.settlements import (
    Settlements,
    combine,
    read_geonames,
    read_ghs,
    read_points,
    read_settlements,
    read_wof_csv,
)

DATA = Path(__file__).parent / "data"


# -- Who's On First (real file) ---------------------------------------------------
def test_wof_real_file_counts_and_filters(settlements_csv):
    with open(settlements_csv, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    s = read_wof_csv(settlements_csv)
    expected = [
        r
        for r in rows
        if not r["deprecated"]
        and r["is_current"] != "0"
        and r["gn_feature_code"] not in ("PPLQ", "PPLH", "PPLW")
        and r["placetype"] in ("locality", "neighbourhood")
    ]
    assert len(s) == len(expected) == 30489
    assert len(rows) == 30868
    assert any("319 abandoned" in n for n in s.notes)
    # no abandoned/historical/destroyed place survives (matched by wof coordinates and name)
    kept = set(zip(s.names, s.lon.tolist(), s.lat.tolist()))
    gone = [r for r in rows if r["gn_feature_code"] in ("PPLQ", "PPLH", "PPLW")]
    assert len(gone) == 319
    assert not any((r["name"], float(r["lon"]), float(r["lat"])) in kept for r in gone)
    # the Wakhan village Sarhad (GeoNames 1126978) is kept with its coordinates
    j = [k for k, n in enumerate(s.names) if n == "Sarhad" and abs(s.lon[k] - 73.44652) < 1e-6]
    assert len(j) == 1 and s.lat[j[0]] == pytest.approx(37.00231)
    # the abandoned Langar in the Afghan Wakhan (PPLQ) is gone, the Tajik Langar kept
    langar = [(s.lon[k], s.lat[k]) for k, n in enumerate(s.names) if n == "Langar"]
    assert (73.78638, 37.02991) not in langar
    assert any(abs(lo - 72.67169) < 1e-6 for lo, _ in langar)
    assert "China" in s.coverage and s.source.name.startswith("Who's On First")


def test_wof_exclude_codes_parameter(settlements_csv):
    # PPLA2 district centres are kept by default and dropped on request
    s_all = read_wof_csv(settlements_csv)
    s_less = read_wof_csv(settlements_csv, exclude_codes=("PPLQ", "PPLH", "PPLW", "PPLA2"))
    assert len(s_all) - len(s_less) == 109  # 108 PPLA2 with is_current -1, 1 with is_current 1


def test_read_settlements_sniffs_wof(settlements_csv):
    assert len(read_settlements(str(settlements_csv))) == len(read_settlements(f"wof:{settlements_csv}"))


def test_wof_bad_files(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("wof_id,name,latitude\n1,a,2\n", encoding="utf-8")
    with pytest.raises(DataError, match="lacks the column"):
        read_wof_csv(p)
    p.write_text("wof_id,name,lat,lon,is_current\n1,a,37,70,0\n", encoding="utf-8")
    with pytest.raises(DataError, match="no current settlements"):
        read_wof_csv(p)
    p.write_bytes(b"wof_id,name,lat,lon\n1,\xff\xfe,37,70\n")
    with pytest.raises(DataError, match="cannot be read"):
        read_wof_csv(p)
    with pytest.raises(DataError, match="not found"):
        read_wof_csv(tmp_path / "missing.csv")


# -- GeoNames ------------------------------------------------------------------------
def _gn_row(gid, name, lat, lon, fclass, fcode, cc="AF"):
    cols = [
        str(gid),
        name,
        name,
        "",
        f"{lat}",
        f"{lon}",
        fclass,
        fcode,
        cc,
        "",
        "26",
        "",
        "",
        "",
        "0",
        "",
        "3000",
        "Asia/Kabul",
        "2020-01-01",
    ]
    assert len(cols) == 19
    return "\t".join(cols)


def _write_geonames(path: Path) -> None:
    rows = [
        _gn_row(1, "Sarhad", 37.00231, 73.44652, "P", "PPL"),
        _gn_row(2, "Old Fort", 37.1, 73.5, "P", "PPLQ"),
        _gn_row(3, "Ruin", 37.2, 73.6, "P", "PPLH"),
        _gn_row(4, "Wrecked", 37.3, 73.7, "P", "PPLW"),
        _gn_row(5, "Wakhjir Pass", 37.096, 74.487, "T", "PASS"),
        _gn_row(6, "Tashkurgan", 37.775, 75.227, "P", "PPLA3", "CN"),
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_geonames_txt_and_zip(tmp_path):
    txt = tmp_path / "XX.txt"
    _write_geonames(txt)
    s = read_geonames(txt)
    assert s.names == ("Sarhad", "Tashkurgan")
    assert s.lon.tolist() == [73.44652, 75.227] and s.lat.tolist() == [37.00231, 37.775]
    assert "CN" in s.coverage and "GeoNames" in s.source.name
    z = tmp_path / "XX.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(txt, "XX.txt")
        zf.writestr("readme.txt", "about")
    assert read_settlements(f"geonames:{z}").names == s.names
    assert read_settlements(str(txt)).names == s.names  # sniffed by its 19 tab fields


def test_geonames_bad_files(tmp_path):
    p = tmp_path / "bad.txt"
    p.write_text("1\tSarhad\t37\t73\n", encoding="utf-8")
    with pytest.raises(DataError, match="line 1 has 4 tab-separated fields"):
        read_geonames(p)
    p.write_text(_gn_row(5, "Wakhjir Pass", 37.096, 74.487, "T", "PASS") + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="no populated places"):
        read_geonames(p)
    z = tmp_path / "bad.zip"
    z.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(DataError):
        read_geonames(z)


# -- user points --------------------------------------------------------------------------
def test_points_csv_fixture_with_a_malformed_row_names_the_line():
    # issue 18: a malformed row is one sentence naming the file and the line, not a silent drop
    with pytest.raises(DataError, match=r"settlement_?s?_points.csv line 4: lat 'not-a-number' is not a number"):
        read_points(DATA / "settlements_points.csv")


def test_points_csv_drops_rows_without_coordinates(tmp_path):
    p = tmp_path / "pts.csv"
    p.write_text("lat,lon,name\n37.0,73.4,Alpha\n37.1,73.5,Beta\n,73.6,Gamma\n", encoding="utf-8")
    s = read_points(p)
    assert s.names == ("Alpha", "Beta")
    assert s.lat.tolist() == [37.0, 37.1] and s.lon.tolist() == [73.4, 73.5]
    assert any("dropped 1" in n for n in s.notes)


def test_wof_csv_malformed_row_names_the_line(tmp_path):
    p = tmp_path / "wof.csv"
    p.write_text("wof_id,name,lat,lon\n1,Sarhad,37.0,73.4\n2,Chartash,37.2x,74.1\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"wof.csv line 3: lat '37.2x' is not a number"):
        read_wof_csv(p)


@pytest.mark.parametrize("header, sep", [("Latitude,Longitude", ","), ("y;x", ";"), ("LAT\tLNG", "\t")])
def test_points_csv_column_names(tmp_path, header, sep):
    p = tmp_path / "pts.csv"
    p.write_text(header.replace(",", sep).replace(";", sep) + "\n36.5" + sep + "71.25\n", encoding="utf-8")
    s = read_settlements(str(p))
    assert (s.lat[0], s.lon[0]) == (36.5, 71.25)


def test_points_roundtrip_csv_and_geojson(tmp_path):
    rng = np.random.default_rng(3)
    lon = rng.uniform(70, 76, 50)
    lat = rng.uniform(35, 39, 50)
    names = [f"p{i}" for i in range(50)]
    p = tmp_path / "pts.csv"
    with open(p, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "lon", "lat"])
        w.writerows(zip(names, lon.tolist(), lat.tolist()))
    s = read_settlements(f"points:{p}")
    np.testing.assert_array_equal(s.lon, lon)
    np.testing.assert_array_equal(s.lat, lat)
    assert list(s.names) == names
    g = tmp_path / "pts.geojson"
    feats = [
        {"type": "Feature", "properties": {"name": n}, "geometry": {"type": "Point", "coordinates": [x, y]}}
        for n, x, y in zip(names, lon.tolist(), lat.tolist())
    ]
    feats.append(
        {"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}}
    )
    g.write_text(json.dumps({"type": "FeatureCollection", "features": feats}), encoding="utf-8")
    t = read_settlements(str(g))
    np.testing.assert_array_equal(t.lon, lon)
    assert list(t.names) == names


def test_points_geopackage_via_pyogrio(tmp_path):
    import pyogrio.raw
    import shapely

    pts = shapely.points([71.0, 72.0], [36.0, 37.0])
    path = tmp_path / "pts.gpkg"
    pyogrio.raw.write(
        path,
        shapely.to_wkb(pts),
        field_data=[np.array(["a", "b"], dtype=object)],
        fields=["name"],
        geometry_type="Point",
        crs="EPSG:4326",
        driver="GPKG",
    )
    s = read_settlements(str(path))
    assert s.names == ("a", "b") and s.lon.tolist() == [71.0, 72.0]


def test_points_bad_files(tmp_path):
    p = tmp_path / "pts.csv"
    p.write_text("name,east,north\na,1,2\n", encoding="utf-8")
    with pytest.raises(DataError, match="latitude/longitude"):
        read_points(p)
    p.write_text("lat,lon\nx,y\n", encoding="utf-8")
    with pytest.raises(DataError, match="pts.csv line 2: lon 'y' is not a number"):  # issue 18: name the line
        read_points(p)
    p.write_text("lat,lon\n,\n", encoding="utf-8")
    with pytest.raises(DataError, match="no rows with valid coordinates"):
        read_points(p)
    g = tmp_path / "bad.geojson"
    g.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    with pytest.raises(DataError, match="not valid GeoJSON"):
        read_points(g)
    g.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    with pytest.raises(DataError, match="holds no points"):
        read_points(g)
    with pytest.raises(InputError, match="neither a file"):
        read_settlements(str(tmp_path / "nothing.csv"))
    with pytest.raises(InputError):
        read_settlements("")


# -- GHS classes ---------------------------------------------------------------------------
def _write_ghs(path: Path) -> None:
    import rasterio
    from rasterio.transform import from_origin

    arr = np.array([[0, 11, 12, 13], [10, 21, 30, 11]], dtype=np.uint8)
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=4,
        height=2,
        count=1,
        dtype="uint8",
        crs="EPSG:4326",
        transform=from_origin(70.0, 37.0, 0.01, 0.01),
        nodata=0,
    ) as ds:
        ds.write(arr, 1)


def test_ghs_built_raster(tmp_path):
    path = tmp_path / "ghs.tif"
    _write_ghs(path)
    s = read_ghs(path=path)
    # classes >= 12 at (row, col) (0,2) (0,3) (1,1) (1,2), centres of 0.01 degree cells
    assert sorted(zip(np.round(s.lon, 6), np.round(s.lat, 6))) == sorted(
        [(70.025, 36.995), (70.035, 36.995), (70.015, 36.985), (70.025, 36.985)]
    )
    assert "hamlets" in s.coverage and "China included" in s.coverage
    assert len(read_ghs(13, path=path)) == 3
    assert len(read_settlements(f"ghs:{path}")) == 4
    with pytest.raises(InputError, match="class 11"):
        read_ghs(11, path=path)


def test_ghs_bad_raster(tmp_path):
    bad = tmp_path / "bad.tif"
    bad.write_bytes(b"II*\x00garbage")
    with pytest.raises(DataError, match="cannot be read"):
        read_ghs(path=bad)


def test_ghs_region_pack():
    try:
        from wakhan.sources.pack import ghs_path

        ghs_path()
    except (ImportError, DataError) as exc:
        pytest.skip(f"region pack GHS file unavailable: {exc}")
    s = read_settlements("ghs")
    s13 = read_settlements("ghs:13")
    assert len(s) > len(s13) > 0
    # Tashkurgan town (37.775N 75.227E) lies within 2 km of a settled GHS cell
    d = np.hypot((s.lon - 75.227) * np.cos(np.radians(37.775)), s.lat - 37.775) * 111.2
    assert d.min() < 2.0
    assert "GHS" in s.source.name and s.source.licence.startswith("CC BY")


def test_combine():
    a = Settlements([70.0], [36.0], ["a"], DataSource("A"), "cov a")
    b = Settlements([71.0, 72.0], [37.0, 38.0], ["b", "c"], DataSource("B"), "cov b")
    c = combine(a, b)
    assert len(c) == 3 and c.names == ("a", "b", "c") and c.source.name == "A + B"
    assert "cov a" in c.coverage and "cov b" in c.coverage
    assert len(c.within(70.5, 36.5, 71.5, 37.5)) == 1


def test_combined_coverage_keeps_each_sources_sentence_apart():
    # the report printed "... below its thresholds GeoNames cities500 ...: ...", two sources run together
    a = Settlements([70.0], [36.0], ["a"], DataSource("A"), "towns only; no hamlets")
    b = Settlements([71.0], [37.0], ["b"], DataSource("B"), "China included.")
    assert combine(a, b).coverage == "A: towns only; no hamlets. B: China included."


def test_user_points_say_their_licence_is_unknown(tmp_path):
    """A user's points file carries no licence wakhan can read: its provenance says so, as a user's own DEM
    does ("your own file; licence unknown"), instead of a blank licence in the report and the JSON."""
    p = tmp_path / "villages.csv"
    p.write_text("name,lat,lon\nQala-e Panja,37.03,72.63\n", encoding="utf-8")
    s = read_settlements(f"points:{p}")
    assert s.source.as_dict()["licence"] == "your own file; licence unknown"
    assert s.source.describe() == "user points villages.csv, points (your own file; licence unknown)"
    both = combine(s, read_points(p, name="more"))  # combined with another file: said once
    assert both.source.licence == "your own file; licence unknown"


def test_an_elevation_raster_given_as_settlements_is_refused(tmp_path, capsys):
    """An SRTM-like tile read as DEGURBA classes made every cell of 12 m or higher a settlement."""
    import rasterio
    from rasterio.transform import from_origin

    dem = tmp_path / "heights.tif"
    heights_m = np.array([[1473, 2210, 3187], [398, 12, 30]], dtype=np.int16)
    with rasterio.open(
        dem, "w", driver="GTiff", width=3, height=2, count=1, dtype="int16", crs="EPSG:4326",
        transform=from_origin(71.5, 37.1, 0.1, 0.1), nodata=-32767,
    ) as ds:  # fmt: skip
        ds.write(heights_m, 1)
    with pytest.raises(InputError, match=r"not GHS-WUP DEGURBA class codes \(e\.g\. 398;"):
        read_settlements(str(dem))
    from wakhan.cli import run

    out = tmp_path / "hours.tif"
    assert run(["remoteness", "-o", str(out), "--bbox", "71.5", "36.8", "72", "37.1", "-s", str(dem)]) == 2
    assert "give a GHS-WUP class GeoTIFF or a CSV/GeoJSON of points" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [dem]  # nothing written
