"""GIS-ready outputs: the route layer carries every top-level number of the route JSON as a flat, typed
column in every format (read back with pyogrio and compared with the JSON itself); missing values are
nulls everywhere; shapefile columns are named from an explicit table written beside the .shp; the
raster commands given ``--dem FILE`` or ``--like FILE`` write on exactly that file's grid (read back
with rasterio), as GRASS r.cost and xarray-spatial do."""

from __future__ import annotations

import csv
import json

import numpy as np
import pyogrio
import pytest
import rasterio

from wakhan.cli import run
from wakhan.route import Profile, RouteResult, build_summary, geodesic_distance_km
from wakhan.route.files import write_route

FORMATS = (".geojson", ".gpkg", ".fgb", ".shp")
TUNNELS = [
    {"length_km": 1.25, "portal_a": {"lat": 37.0, "lon": 72.1, "elevation_m": 4100.0}, "max_cover_m": 300.0},
    {"length_km": 0.5, "portal_a": {"lat": 37.0, "lon": 72.2, "elevation_m": 4200.0}, "max_cover_m": 200.0},
]
# the numbers a highway summary carries at top level (values chosen by hand, as in `wakhan route --json`)
HIGHWAY = {
    "model": "highway",
    "design_grade_pct": 7.0,
    "design_grade_pct_by_altitude": {"below_3000m": 7.0, "3000_4000m": 6.0, "4000_5000m": 5.0, "above_5000m": 4.0},
    "hairpin_limit_pct": 60.0,
    "built_length_km": 52.317,
    "switchback_km": 12.755,
    "hairpins": 29,
    "tunnels": TUNNELS,
    "cost_usd": {"low": 1.28e8, "high": 4.67e8, "currency": "USD", "breakdown": []},
    "neighbours": 16,
    "optimality_gap_pct": 0.0,
}


def _route(highway: bool) -> RouteResult:
    d = np.arange(0, 40.0001, 0.4)
    z = np.where(d <= 20, 3000 + 100 * d, 5000 - 100 * (d - 20))  # one 5,000 m pass, no place named
    lon = 72.0 + d / (111.32 * np.cos(np.radians(37.0)))
    lat = np.full(d.size, 37.0)
    prof = Profile(geodesic_distance_km(lon, lat), lon, lat, z)
    s = build_summary(prof, "Test", places=None, country_at=lambda lo, la: np.full(np.size(lo), "AF"))
    if highway:
        s = s.with_fields(**{k: v for k, v in HIGHWAY.items() if k != "model"}, model="highway")
    return RouteResult(summary=s, profile=prof)


def _read(path, layer=None):
    """(column -> declared type, rows as dicts) of a layer, as pyogrio reads it."""
    info = pyogrio.read_info(path, layer=layer)
    meta, _, _, values = pyogrio.raw.read(path, layer=layer)
    fields = list(meta["fields"])
    rows = [{f: values[i][j] for i, f in enumerate(fields)} for j in range(len(values[0]))]
    return dict(zip(info["fields"], info["dtypes"])), rows


def _is_null(v) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v))


def _names(tmp_path, ext) -> dict:
    """Long column name -> the name in the file (the short-name table for a shapefile)."""
    if ext != ".shp":
        return {}
    with open(tmp_path / "r_fields.csv", newline="") as f:
        return {r["long_name"]: r["short_name"] for r in csv.DictReader(f) if r["layer"] == "route"}


@pytest.mark.parametrize("ext", FORMATS)
def test_route_layer_has_the_json_numbers_as_typed_columns(tmp_path, ext):
    route = _route(highway=True)
    path = write_route(tmp_path / f"r{ext}", route)
    names = _names(tmp_path, ext)
    types, rows = _read(path, None if ext != ".gpkg" else "route")
    row = rows[0] if ext != ".geojson" else next(r for r in rows if r["layer"] == "route")
    s = route.summary
    expected = {
        "built_length_km": s.engineering.built_length_km,
        "switchback_km": s.engineering.switchback_km,
        "hairpins": 29,
        "n_tunnels": 2,
        "tunnel_km": 1.75,
        "cost_usd_low": 1.28e8,
        "cost_usd_high": 4.67e8,
        "design_grade_pct": 7.0,
        "design_grade_above_5000m_pct": 4.0,
        "hairpin_limit_pct": 60.0,
        "km_above_4500m": s.terrain.km_above_m["4500"],
        "km_above_3500m": s.terrain.km_above_m["3500"],
        "length_km": s.terrain.length_km,
        "neighbours": 16,
    }
    for long, value in expected.items():
        col = names.get(long, long)
        assert row[col] == pytest.approx(value, rel=1e-9), long
    if ext != ".geojson":  # GeoJSON's types are JSON's; the others declare them
        assert types[names.get("hairpins", "hairpins")] in ("int32", "int64")
        assert types[names.get("built_length_km", "built_length_km")] == "float64"


@pytest.mark.parametrize("ext", FORMATS)
def test_missing_values_are_nulls_in_every_format(tmp_path, ext):
    path = write_route(tmp_path / f"r{ext}", _route(highway=False))
    names = _names(tmp_path, ext)
    if ext == ".geojson":  # read the JSON itself: null, not "" or 0
        doc = json.loads(path.read_text())
        route = doc["features"][0]["properties"]
        passes = [f["properties"] for f in doc["features"] if f["properties"]["layer"] == "passes"]
    else:
        _, rows = _read(path, "route" if ext == ".gpkg" else None)
        route = rows[0]
        pass_file = path if ext == ".gpkg" else tmp_path / f"r_passes{ext}"
        _, passes = _read(pass_file, "passes" if ext == ".gpkg" else None)
    assert len(passes) == 1 and _is_null(passes[0]["name"])  # the pass has no name in the gazetteer
    for long in ("hairpins", "n_tunnels", "cost_usd_low", "built_length_km", "highest_pass"):
        assert _is_null(route[names.get(long, long)]), long  # a walking-style route has none: null, not 0
    assert route[names.get("n_passes", "n_passes")] == 1


def test_shapefile_names_come_from_a_table_written_beside_it(tmp_path):
    path = write_route(tmp_path / "r.shp", _route(highway=True))
    table = tmp_path / "r_fields.csv"
    assert table.is_file()
    with open(table, newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["layer", "long_name", "short_name", "type", "unit"]
    by_layer: dict = {}
    for r in rows:
        by_layer.setdefault(r["layer"], []).append(r)
    for layer, cols in by_layer.items():
        shorts = [c["short_name"] for c in cols]
        assert len(set(shorts)) == len(shorts) and max(map(len, shorts)) <= 10, layer
        file = path if layer == "route" else tmp_path / f"r_{layer}.shp"
        assert list(pyogrio.read_info(file)["fields"]) == shorts, layer  # the DBF holds exactly these names
    route = {r["long_name"]: r for r in by_layer["route"]}
    # no GDAL-style truncation (km_above_4500m -> km_above_1); each name still says what it is
    assert route["km_above_4500m"]["short_name"] == "km_gt4500m" and route["km_above_4500m"]["unit"] == "km"
    assert not any(s["short_name"].endswith(("_1", "_2")) for s in rows)
    assert route["hairpins"]["type"] == "integer" and route["cost_usd_high"]["unit"] == "USD"
    # the same long names as the GeoJSON route feature carries
    doc = json.loads(write_route(tmp_path / "r.geojson", _route(highway=True)).read_text())
    assert set(route) == set(doc["features"][0]["properties"]) - {"layer"}


def _assert_same_grid(out, like):
    with rasterio.open(out) as a, rasterio.open(like) as b:
        assert a.crs == b.crs
        assert a.transform.almost_equals(b.transform, precision=1e-9)
        assert (a.height, a.width) == (b.height, b.width)
        return a.read(1, masked=True)


@pytest.mark.slow
def test_raster_commands_write_on_the_dem_files_grid(tmp_path):
    dem = tmp_path / "dem.tif"
    assert run(["dem", "build", "--bbox", "75.1", "37.65", "75.35", "37.85", "-o", str(dem)]) == 0
    acc, cor = tmp_path / "acc.tif", tmp_path / "cor.tif"
    assert run(["accumulate", "Tashkurgan", "--dem", str(dem), "-o", str(acc)]) == 0
    band = _assert_same_grid(acc, dem)
    assert band.count() > 0.5 * band.size and float(band.min()) == 0.0  # solved on the file's own cells
    # a DEM in degrees (the same heights warped to EPSG:4326): the costs come back on its grid
    geo = tmp_path / "geo.tif"
    with rasterio.open(dem) as src:
        from rasterio.warp import Resampling, calculate_default_transform, reproject

        t, w, h = calculate_default_transform(src.crs, "EPSG:4326", src.width, src.height, *src.bounds)
        out = np.full((h, w), np.nan, np.float32)
        reproject(
            src.read(1).astype(np.float32),
            out,
            src_transform=src.transform,
            src_crs=src.crs,
            dst_transform=t,
            dst_crs="EPSG:4326",
            resampling=Resampling.bilinear,
        )
    with rasterio.open(
        geo, "w", driver="GTiff", width=w, height=h, count=1, dtype="float32", crs="EPSG:4326", transform=t
    ) as ds:
        ds.write(out, 1)
    assert run(["corridor", "Tashkurgan", "37.72,75.25", "--dem", str(geo), "-o", str(cor)]) == 0
    band = _assert_same_grid(cor, geo)
    assert 0 < band.count() < band.size
    # --like: any raster's grid, whatever DEM the search used
    acc2 = tmp_path / "acc2.tif"
    assert run(["accumulate", "Tashkurgan", "--buffer-km", "10", "--like", str(geo), "-o", str(acc2)]) == 0
    _assert_same_grid(acc2, geo)


def test_shapefile_text_over_the_dbase_limit_is_cut_visibly_without_a_warning(tmp_path):
    """A dBase text field holds 254 bytes (the shapefile specification); a longer note (a real route's
    notes run to 400+) is cut by wakhan to 254 bytes ending in ' ...', not by GDAL with a RuntimeWarning
    on stderr, and the GeoPackage keeps it whole."""
    import warnings

    long_note = "water masked as impassable: " + "é" * 300  # 628 UTF-8 bytes
    base = _route(highway=False)
    route = RouteResult(summary=base.summary.with_fields(notes=(long_note,)), profile=base.profile)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        write_route(tmp_path / "r.shp", route)
    _, rows = _read(tmp_path / "r.shp")
    note = rows[0][_names(tmp_path, ".shp")["notes"]]
    assert len(note.encode("utf-8")) <= 254 and note.endswith(" ...") and long_note.startswith(note[:-4]), note
    write_route(tmp_path / "r.gpkg", route)
    assert _read(tmp_path / "r.gpkg", "route")[1][0]["notes"] == long_note
