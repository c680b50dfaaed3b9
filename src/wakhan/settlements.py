"""Settlements: points where people live, from several sources, each with its coverage.

Readers return :class:`Settlements` (lon/lat arrays, names, the
:class:`~wakhan.grid.DataSource`, and a sentence saying what the source covers
and misses), so that every gap computed from them can name its data.

``read_settlements(spec)`` dispatches on a short spec:

==================  ==========================================================
``"ghs"``            the region pack's GHS-WUP DEGURBA classes, cells of class >= 12
``"ghs:13"``         the same with another minimum class
``"wof:PATH"``       a Who's On First style CSV (as in ../shared/data/settlements)
``"geonames:PATH"``  a GeoNames dump (AF.txt, cities500.txt, or their .zip)
``"points:PATH"``    a user CSV (lat/lon columns) or GeoJSON / GeoPackage of points
``PATH``             sniffed: WOF CSV by its columns, GeoNames by 19 tab fields,
                     other CSVs and GeoJSON as points
==================  ==========================================================

Places that are abandoned, historical or destroyed (GeoNames feature codes PPLQ,
PPLH, PPLW) are excluded by default.
"""
from __future__ import annotations

import csv
import io
import json
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from wakhan.errors import DataError, InputError
from wakhan.grid import DataSource

__all__ = ["Settlements", "EXCLUDED_CODES", "read_wof_csv", "read_geonames", "read_points", "read_ghs",
           "read_settlements", "combine"]

#: GeoNames feature codes of places nobody lives in today: abandoned, historical, destroyed.
EXCLUDED_CODES = ("PPLQ", "PPLH", "PPLW")
#: Default minimum GHS DEGURBA class: 12 = low-density rural cells (>= ~50 people per km2)
#: and everything denser. Class 11 (very low density) also covers empty land, so it is never used.
GHS_DEFAULT_MIN_CLASS = 12
_GHS_LABELS = {11: "very low density rural", 12: "low density rural", 13: "rural cluster",
               21: "suburban or peri-urban", 22: "semi-dense urban cluster", 23: "dense urban cluster",
               30: "urban centre"}
_LAT_NAMES = ("lat", "latitude", "y")
_LON_NAMES = ("lon", "lng", "long", "longitude", "x")
_NAME_NAMES = ("name", "title", "label", "place", "asciiname")


@dataclass(frozen=True, eq=False)
class Settlements:
    """Settlement points from one (or several combined) sources.

    Parameters
    ----------
    lon, lat : numpy.ndarray
        WGS84 degrees, float64, same length.
    names : tuple of str
        A name per point ("" when the source has none).
    source : DataSource
        Where the points come from.
    coverage : str
        What the source covers and misses, in one sentence for a report.
    notes : tuple of str
        What the reader dropped and why.
    """

    lon: np.ndarray
    lat: np.ndarray
    names: tuple[str, ...]
    source: DataSource
    coverage: str = ""
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self):
        lon = np.asarray(self.lon, dtype=np.float64).ravel()
        lat = np.asarray(self.lat, dtype=np.float64).ravel()
        names = tuple(str(n) for n in self.names)
        if not (len(lon) == len(lat) == len(names)):
            raise ValueError(f"lon, lat and names differ in length ({len(lon)}, {len(lat)}, {len(names)})")
        object.__setattr__(self, "lon", lon)
        object.__setattr__(self, "lat", lat)
        object.__setattr__(self, "names", names)
        object.__setattr__(self, "notes", tuple(self.notes))

    def __len__(self) -> int:
        return len(self.lon)

    @property
    def name(self) -> str:
        """The source's short name."""
        return self.source.name

    def subset(self, mask) -> "Settlements":
        """The points where ``mask`` is True (same source and coverage)."""
        mask = np.asarray(mask, dtype=bool)
        names = tuple(n for n, keep in zip(self.names, mask) if keep)
        return Settlements(self.lon[mask], self.lat[mask], names, self.source, self.coverage, self.notes)

    def within(self, west: float, south: float, east: float, north: float) -> "Settlements":
        """The points inside a lon/lat box."""
        return self.subset((self.lon >= west) & (self.lon <= east) & (self.lat >= south) & (self.lat <= north))


def combine(*items: Settlements, name: str | None = None) -> Settlements:
    """One set holding the points of several sources (e.g. WOF for AF/TJ/PK plus GHS for China)."""
    if not items:
        raise InputError("combine() needs at least one settlement set")
    if len(items) == 1:
        return items[0]
    src = DataSource(name=name or " + ".join(s.source.name for s in items),
                     resolution="; ".join(s.source.resolution for s in items if s.source.resolution),
                     licence="; ".join(dict.fromkeys(s.source.licence for s in items if s.source.licence)),
                     origin="; ".join(s.source.origin for s in items if s.source.origin))
    return Settlements(np.concatenate([s.lon for s in items]), np.concatenate([s.lat for s in items]),
                       tuple(n for s in items for n in s.names), src,
                       " ".join(f"{s.source.name}: {s.coverage}" for s in items if s.coverage),
                       tuple(n for s in items for n in s.notes))


# -- helpers ------------------------------------------------------------------
def _check_file(path) -> Path:
    path = Path(path)
    if not path.is_file():
        raise DataError(f"settlement file {path} not found; check the path")
    return path


def _valid_coords(lon, lat, path: Path) -> np.ndarray:
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    ok = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    if not ok.any():
        raise DataError(f"settlement file {path} has no rows with valid coordinates; check its lat/lon values")
    return ok


def _float(text) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        return float("nan")


def _coverage_by_country(countries, lon, lat) -> str:
    codes = sorted({c for c in countries if c})
    box = (f"{np.min(lat):.1f}-{np.max(lat):.1f}N, {np.min(lon):.1f}-{np.max(lon):.1f}E"
           if len(lon) else "no points")
    if not codes:
        return f"points in {box}; countries not recorded"
    text = f"{', '.join(codes)} only, within {box}"
    if "CN" not in codes:
        text += ": no places in China, so a gap that reaches China runs on for want of data"
    return text


# -- Who's On First --------------------------------------------------------------
WOF_COLUMNS = ("name", "lat", "lon")


def read_wof_csv(path, exclude_codes=EXCLUDED_CODES) -> Settlements:
    """Read a Who's On First style CSV of localities.

    Kept: rows of placetype ``locality`` or ``neighbourhood`` (a ``campus`` is an
    airport or university, not a settlement) that are not deprecated (WOF's
    ``deprecated`` holds the date a duplicate or bad record was retired), not
    ceased (``is_current == 0``: WOF says the place no longer exists; ``-1`` is
    "unknown" and kept, as almost all GeoNames-derived rows carry it), and whose
    ``gn_feature_code`` is not in ``exclude_codes``. Missing optional columns
    simply do not filter. The filters are applied in that order and counted in
    ``notes``; in the shared file every PPLQ/PPLH/PPLW row is also marked ceased,
    so ``exclude_codes=()`` does not bring them back.

    Raises
    ------
    DataError
        Unreadable file, missing name/lat/lon columns, or no valid row.
    """
    path = _check_file(path)
    exclude = {c.upper() for c in exclude_codes}
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            fields = reader.fieldnames or []
            missing = [c for c in WOF_COLUMNS if c not in fields]
            if missing:
                raise DataError(f"settlement file {path} lacks the column(s) {', '.join(missing)}; "
                                "a Who's On First CSV needs name, lat and lon")
            rows = list(reader)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise DataError(f"settlement file {path} cannot be read as CSV ({exc}); check that it is a UTF-8 "
                        "Who's On First CSV") from None
    dropped = dict.fromkeys(["deprecated", f"abandoned, historical or destroyed ({'/'.join(sorted(exclude))})",
                             "ceased (is_current=0)", "not a settlement placetype"], 0)
    lon, lat, names, countries = [], [], [], []
    for row in rows:
        if (row.get("deprecated") or "").strip():
            dropped["deprecated"] += 1
        elif (row.get("gn_feature_code") or "").strip().upper() in exclude:
            dropped[f"abandoned, historical or destroyed ({'/'.join(sorted(exclude))})"] += 1
        elif (row.get("is_current") or "").strip() == "0":
            dropped["ceased (is_current=0)"] += 1
        elif (row.get("placetype") or "locality").strip() not in ("locality", "neighbourhood"):
            dropped["not a settlement placetype"] += 1
        else:
            lon.append(_float(row.get("lon")))
            lat.append(_float(row.get("lat")))
            names.append((row.get("name") or "").strip())
            countries.append((row.get("country") or "").strip().upper())
    if not lon:
        raise DataError(f"settlement file {path} has no current settlements after filtering; "
                        "check that it is a Who's On First localities CSV")
    ok = _valid_coords(lon, lat, path)
    lon, lat = np.asarray(lon)[ok], np.asarray(lat)[ok]
    names = tuple(n for n, k in zip(names, ok) if k)
    countries = [c for c, k in zip(countries, ok) if k]
    notes = [f"read {len(rows)} rows, kept {len(lon)}"]
    notes += [f"dropped {n} {why}" for why, n in dropped.items() if n]
    if (~ok).sum():
        notes.append(f"dropped {int((~ok).sum())} without valid coordinates")
    src = DataSource(name="Who's On First localities", resolution="points",
                     licence="CC0 (Who's On First); GeoNames CC BY 4.0", origin=str(path))
    return Settlements(lon, lat, names, src, _coverage_by_country(countries, lon, lat), tuple(notes))


# -- GeoNames --------------------------------------------------------------------
def _geonames_text(path: Path) -> io.TextIOBase:
    if zipfile.is_zipfile(path):
        zf = zipfile.ZipFile(path)
        members = [n for n in zf.namelist() if n.endswith(".txt") and "readme" not in n.lower()]
        if len(members) != 1:
            raise DataError(f"settlement file {path} is a zip without exactly one GeoNames .txt inside; "
                            "unzip it and pass the .txt")
        return io.TextIOWrapper(zf.open(members[0]), encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")


def read_geonames(path, exclude_codes=EXCLUDED_CODES) -> Settlements:
    """Read a GeoNames dump (tab-separated, 19 columns, no header; ``.txt`` or ``.zip``).

    Keeps feature class ``P`` (populated places) minus ``exclude_codes``.

    Raises
    ------
    DataError
        A line without 19 fields, undecodable text, or no populated place.
    """
    path = _check_file(path)
    exclude = {c.upper() for c in exclude_codes}
    lon, lat, names, countries = [], [], [], []
    n_rows = n_other = n_excluded = 0
    try:
        with _geonames_text(path) as fh:
            for lineno, line in enumerate(fh, start=1):
                line = line.rstrip("\r\n")
                if not line or line.startswith("#"):
                    continue
                parts = line.split("\t")
                if len(parts) != 19:
                    raise DataError(f"settlement file {path} line {lineno} has {len(parts)} tab-separated fields, "
                                    "not the 19 of a GeoNames dump; pass a GeoNames .txt such as AF.txt")
                n_rows += 1
                if parts[6] != "P":
                    n_other += 1
                    continue
                if parts[7].upper() in exclude:
                    n_excluded += 1
                    continue
                names.append(parts[1])
                lat.append(_float(parts[4]))
                lon.append(_float(parts[5]))
                countries.append(parts[8].upper())
    except (UnicodeDecodeError, zipfile.BadZipFile, OSError) as exc:
        raise DataError(f"settlement file {path} cannot be read as a GeoNames dump ({exc}); "
                        "download it again") from None
    if not lon:
        raise DataError(f"settlement file {path} holds no populated places (feature class P); "
                        "pass a GeoNames dump of places")
    ok = _valid_coords(lon, lat, path)
    lon, lat = np.asarray(lon)[ok], np.asarray(lat)[ok]
    names = tuple(n for n, k in zip(names, ok) if k)
    countries = [c for c, k in zip(countries, ok) if k]
    notes = (f"read {n_rows} rows, kept {len(lon)} populated places",
             f"dropped {n_other} that are not populated places (feature class other than P)",
             f"dropped {n_excluded} abandoned, historical or destroyed ({', '.join(sorted(exclude))})")
    src = DataSource(name=f"GeoNames {path.stem}", resolution="points", licence="CC BY 4.0 (GeoNames)",
                     origin=str(path))
    return Settlements(lon, lat, names, src, _coverage_by_country(countries, lon, lat), notes)


# -- user points -----------------------------------------------------------------
def _pick(fields, candidates):
    lower = {f.strip().lower(): f for f in fields}
    for c in candidates:
        if c in lower:
            return lower[c]
    return None


def _read_points_csv(path: Path):
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            sample = fh.read(8192)
            fh.seek(0)
            try:
                dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
            except csv.Error:
                dialect = csv.excel
            reader = csv.DictReader(fh, dialect=dialect)
            fields = reader.fieldnames or []
            lat_f, lon_f = _pick(fields, _LAT_NAMES), _pick(fields, _LON_NAMES)
            if lat_f is None or lon_f is None:
                raise DataError(f"settlement file {path} has no latitude/longitude columns (found "
                                f"{', '.join(fields) or 'none'}); name them lat and lon")
            name_f = _pick(fields, _NAME_NAMES)
            lon, lat, names = [], [], []
            for row in reader:
                lon.append(_float(row.get(lon_f)))
                lat.append(_float(row.get(lat_f)))
                names.append((row.get(name_f) or "").strip() if name_f else "")
    except (UnicodeDecodeError, csv.Error) as exc:
        raise DataError(f"settlement file {path} cannot be read as CSV ({exc}); save it as UTF-8 CSV") from None
    return lon, lat, names


def _read_points_geojson(path: Path):
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise DataError(f"settlement file {path} is not valid GeoJSON ({exc}); check the file") from None
    if isinstance(doc, dict) and doc.get("type") == "FeatureCollection":
        features = doc.get("features") or []
    elif isinstance(doc, dict) and doc.get("type") == "Feature":
        features = [doc]
    else:
        raise DataError(f"settlement file {path} is not a GeoJSON FeatureCollection; give point features")
    lon, lat, names = [], [], []
    for feat in features:
        geom = (feat or {}).get("geometry") or {}
        props = (feat or {}).get("properties") or {}
        name = next((str(props[k]) for k in props if k.lower() in _NAME_NAMES and props[k] is not None), "")
        coords = geom.get("coordinates")
        if geom.get("type") == "Point" and coords:
            coords = [coords]
        elif geom.get("type") != "MultiPoint" or not coords:
            continue
        for c in coords:
            if isinstance(c, (list, tuple)) and len(c) >= 2:
                lon.append(_float(c[0]))
                lat.append(_float(c[1]))
                names.append(name)
    return lon, lat, names


def _read_points_ogr(path: Path):
    try:
        import pyogrio.raw
        import shapely
        meta, _fids, wkb, field_data = pyogrio.raw.read(path)
    except Exception as exc:  # pyogrio raises several error types for unreadable files
        raise DataError(f"settlement file {path} cannot be read as a vector file ({exc}); "
                        "give a CSV, GeoJSON or GeoPackage of points") from None
    geoms = shapely.from_wkb(wkb)
    fields = [str(f) for f in meta["fields"]]
    name_f = _pick(fields, _NAME_NAMES)
    name_vals = field_data[fields.index(name_f)] if name_f else None
    lon, lat, names = [], [], []
    crs = meta.get("crs")
    for i, g in enumerate(geoms):
        if g is None or shapely.get_type_id(g) not in (0, 4):
            continue
        for p in shapely.get_parts(g):
            lon.append(float(shapely.get_x(p)))
            lat.append(float(shapely.get_y(p)))
            names.append("" if name_vals is None or name_vals[i] is None else str(name_vals[i]))
    if crs and lon:
        from pyproj import CRS, Transformer
        if not CRS.from_user_input(crs).equals(CRS.from_epsg(4326), ignore_axis_order=True):
            tr = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
            lon, lat = (list(v) for v in tr.transform(np.asarray(lon), np.asarray(lat)))
    return lon, lat, names


def read_points(path, name: str | None = None) -> Settlements:
    """Read the user's own settlement points.

    A CSV needs latitude and longitude columns (``lat``/``latitude``/``y`` and
    ``lon``/``lng``/``long``/``longitude``/``x``, any case; ``,``, ``;`` or tab
    separated) and may have a ``name`` column. GeoJSON (``.geojson``/``.json``)
    Point or MultiPoint features in WGS84; other vector formats (GeoPackage,
    shapefile) via pyogrio, reprojected to WGS84. Rows without valid coordinates
    are dropped and counted in ``notes``.
    """
    path = _check_file(path)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        lon, lat, names = _read_points_csv(path)
    elif suffix in (".geojson", ".json"):
        lon, lat, names = _read_points_geojson(path)
    else:
        lon, lat, names = _read_points_ogr(path)
    if not lon:
        raise DataError(f"settlement file {path} holds no points; give point features or lat/lon rows")
    ok = _valid_coords(lon, lat, path)
    lon_a, lat_a = np.asarray(lon)[ok], np.asarray(lat)[ok]
    names = tuple(n for n, k in zip(names, ok) if k)
    notes = [f"read {len(lon)} points, kept {int(ok.sum())}"]
    if (~ok).sum():
        notes.append(f"dropped {int((~ok).sum())} without valid coordinates")
    src = DataSource(name=name or f"user points {path.name}", resolution="points", licence="",
                     origin=str(path))
    coverage = (f"the user's points within {lat_a.min():.1f}-{lat_a.max():.1f}N, "
                f"{lon_a.min():.1f}-{lon_a.max():.1f}E; what it misses is the user's to say")
    return Settlements(lon_a, lat_a, names, src, coverage, tuple(notes))


# -- GHS-WUP DEGURBA classes --------------------------------------------------------
def read_ghs(min_class: int = GHS_DEFAULT_MIN_CLASS, path=None) -> Settlements:
    """Settlement points at the centres of GHS-WUP DEGURBA cells of class >= ``min_class``.

    Parameters
    ----------
    min_class : int
        12 (default) keeps low-density rural cells (roughly 50+ people per km2)
        and everything denser; 13 keeps only rural clusters (300+ per km2 and
        500+ people) and urban classes, and misses most Wakhan villages. Class 11
        covers empty land as well and is refused; 10 is water, 0 no data.
    path : path-like, optional
        A uint8 class GeoTIFF in a geographic CRS; default the region pack's
        ``ghs_degurba_2025.tif`` (:func:`wakhan.sources.pack.ghs_path`).
    """
    min_class = int(min_class)
    if min_class not in (12, 13, 21, 22, 23, 30):
        raise InputError(f"GHS minimum class {min_class} is not usable; give 12 (low-density rural and up), "
                         "13 (rural clusters and up) or an urban class 21, 22, 23 or 30")
    if path is None:
        from wakhan.sources import pack
        path = pack.ghs_path()
        try:
            base = pack.source_of(Path(path).name)
        except DataError:
            base = None
    else:
        base = None
    path = _check_file(path)
    try:
        import rasterio
        with rasterio.open(path) as ds:
            classes = ds.read(1)
            transform, crs = ds.transform, ds.crs
    except Exception as exc:  # rasterio raises RasterioIOError and others
        raise DataError(f"settlement raster {path} cannot be read ({exc}); rebuild the region pack or "
                        "pass a GHS class GeoTIFF") from None
    if crs is None or not crs.is_geographic:
        raise DataError(f"settlement raster {path} is not in geographic (lon/lat) coordinates; "
                        "reproject it to EPSG:4326")
    if not np.issubdtype(classes.dtype, np.integer):
        raise DataError(f"settlement raster {path} holds {classes.dtype} values, not DEGURBA class codes; "
                        "pass a GHS-WUP class GeoTIFF")
    rows, cols = np.nonzero(classes >= min_class)
    xs = transform.c + (cols + 0.5) * transform.a + (rows + 0.5) * transform.b
    ys = transform.f + (cols + 0.5) * transform.d + (rows + 0.5) * transform.e
    vals = classes[rows, cols]
    names = tuple(f"GHS {_GHS_LABELS.get(int(v), f'class {int(v)}')} cell at {y:.2f}N {x:.2f}E"
                  for v, x, y in zip(vals.tolist(), xs.tolist(), ys.tolist()))
    src = base or DataSource(name="GHS-WUP DEGURBA classes", resolution="1 km classes",
                             licence="CC BY 4.0 (European Commission, JRC)", origin=str(path))
    src = DataSource(name=f"{src.name}, class >= {min_class}", resolution=src.resolution,
                     licence=src.licence, origin=src.origin or str(path))
    cell_km = abs(transform.a) * 111.32
    west, north = transform.c, transform.f
    east, south = west + classes.shape[1] * transform.a, north + classes.shape[0] * transform.e
    coverage = (f"all countries within {south:.1f}-{north:.1f}N, {west:.1f}-{east:.1f}E, China included; 1 km classes sampled every {abs(transform.a):g} degree (~{cell_km:.1f} km), "
                f"cells of class {min_class} and above; misses hamlets and yurt camps below its thresholds")
    notes = (f"{len(vals)} of {classes.size} cells have class >= {min_class}",)
    return Settlements(xs, ys, names, src, coverage, notes)


# -- dispatch ----------------------------------------------------------------------
def _sniff(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".geojson", ".json", ".gpkg", ".shp"):
        return "points"
    if suffix in (".tif", ".tiff"):
        return "ghs"
    if suffix == ".zip":
        return "geonames"
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as fh:
            head = fh.readline()
    except OSError as exc:
        raise DataError(f"settlement file {path} cannot be read ({exc}); check the path") from None
    if head.count("\t") == 18:
        return "geonames"
    fields = {f.strip().lower() for f in head.split(",")}
    if {"wof_id", "name", "lat", "lon"} <= fields or {"gn_feature_code", "lat", "lon"} <= fields:
        return "wof"
    return "points"


def read_settlements(spec: str) -> Settlements:
    """Settlements from a spec: ``ghs``, ``ghs:13``, ``ghs:PATH``, ``wof:PATH``, ``geonames:PATH``,
    ``points:PATH`` or a file path whose kind is sniffed.

    Raises
    ------
    InputError
        An unknown spec.
    DataError
        The file is missing or unreadable.
    """
    spec = (spec or "").strip()
    if not spec:
        raise InputError("an empty settlement source was given; use ghs, wof:PATH, geonames:PATH or a file path")
    kind, _, rest = spec.partition(":")
    kind = kind.lower()
    if len(kind) == 1 and os.name == "nt":  # a Windows drive letter, not a prefix
        kind, rest = "", spec
    if kind == "ghs" and not rest:
        return read_ghs()
    if kind == "ghs":
        if rest.isdigit():
            return read_ghs(int(rest))
        return read_ghs(path=rest)
    if kind == "wof":
        return read_wof_csv(rest)
    if kind == "geonames":
        return read_geonames(rest)
    if kind == "points":
        return read_points(rest)
    path = Path(spec)
    if not path.exists():
        raise InputError(f"settlement source {spec!r} is neither a file nor a known kind; use ghs, ghs:13, "
                         "wof:PATH, geonames:PATH, points:PATH or the path of an existing file")
    kind = _sniff(path)
    return {"points": read_points, "geonames": read_geonames, "wof": read_wof_csv,
            "ghs": lambda p: read_ghs(path=p)}[kind](path)
