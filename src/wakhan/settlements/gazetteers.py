"""Gazetteer readers: Who's On First CSVs and GeoNames dumps -> :class:`~wakhan.settlements.Settlements`.

Both drop places nobody lives in today (GeoNames feature codes in
:data:`EXCLUDED_CODES`) and describe their coverage by the countries they hold.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import numpy as np

from wakhan.errors import DataError
from wakhan.grid import DataSource
from wakhan.settlements._common import _check_file, _coord, _float, _keep_valid
from wakhan.settlements.model import Settlements

__all__ = ["EXCLUDED_CODES", "WOF_COLUMNS", "read_wof_csv", "read_geonames"]

#: GeoNames feature codes of places nobody lives in today: abandoned, historical, destroyed.
EXCLUDED_CODES = ("PPLQ", "PPLH", "PPLW")


def _coverage_by_country(countries, lon, lat) -> str:
    codes = sorted({c for c in countries if c})
    box = f"{np.min(lat):.1f}-{np.max(lat):.1f}N, {np.min(lon):.1f}-{np.max(lon):.1f}E" if len(lon) else "no points"
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
                raise DataError(
                    f"settlement file {path} lacks the column(s) {', '.join(missing)}; "
                    "a Who's On First CSV needs name, lat and lon"
                )
            rows = [(reader.line_num, row) for row in reader]
    except (UnicodeDecodeError, csv.Error) as exc:
        raise DataError(
            f"settlement file {path} cannot be read as CSV ({exc}); check that it is a UTF-8 Who's On First CSV"
        ) from None
    dropped = dict.fromkeys(
        [
            "deprecated",
            f"abandoned, historical or destroyed ({'/'.join(sorted(exclude))})",
            "ceased (is_current=0)",
            "not a settlement placetype",
        ],
        0,
    )
    lon, lat, names, countries = [], [], [], []
    for line, row in rows:
        if (row.get("deprecated") or "").strip():
            dropped["deprecated"] += 1
        elif (row.get("gn_feature_code") or "").strip().upper() in exclude:
            dropped[f"abandoned, historical or destroyed ({'/'.join(sorted(exclude))})"] += 1
        elif (row.get("is_current") or "").strip() == "0":
            dropped["ceased (is_current=0)"] += 1
        elif (row.get("placetype") or "locality").strip() not in ("locality", "neighbourhood"):
            dropped["not a settlement placetype"] += 1
        else:
            lon.append(_coord(row.get("lon"), path, line, "lon"))
            lat.append(_coord(row.get("lat"), path, line, "lat"))
            names.append((row.get("name") or "").strip())
            countries.append((row.get("country") or "").strip().upper())
    if not lon:
        raise DataError(
            f"settlement file {path} has no current settlements after filtering; "
            "check that it is a Who's On First localities CSV"
        )
    lon, lat, (names, countries), bad = _keep_valid(path, lon, lat, names, countries)
    notes = [f"read {len(rows)} rows, kept {len(lon)}"]
    notes += [f"dropped {n} {why}" for why, n in dropped.items() if n]
    if bad:
        notes.append(f"dropped {bad} without valid coordinates")
    src = DataSource(
        name="Who's On First localities",
        resolution="points",
        licence="CC0 (Who's On First); GeoNames CC BY 4.0",
        origin=str(path),
    )
    return Settlements(lon, lat, names, src, _coverage_by_country(countries, lon, lat), tuple(notes))


# -- GeoNames --------------------------------------------------------------------
def _geonames_text(path: Path) -> io.TextIOBase:
    if zipfile.is_zipfile(path):
        zf = zipfile.ZipFile(path)
        members = [n for n in zf.namelist() if n.endswith(".txt") and "readme" not in n.lower()]
        if len(members) != 1:
            raise DataError(
                f"settlement file {path} is a zip without exactly one GeoNames .txt inside; unzip it and pass the .txt"
            )
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
                    raise DataError(
                        f"settlement file {path} line {lineno} has {len(parts)} tab-separated fields, "
                        "not the 19 of a GeoNames dump; pass a GeoNames .txt such as AF.txt"
                    )
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
        raise DataError(
            f"settlement file {path} cannot be read as a GeoNames dump ({exc}); download it again"
        ) from None
    if not lon:
        raise DataError(
            f"settlement file {path} holds no populated places (feature class P); pass a GeoNames dump of places"
        )
    lon, lat, (names, countries), bad = _keep_valid(path, lon, lat, names, countries)
    notes: tuple[str, ...] = (
        f"read {n_rows} rows, kept {len(lon)} populated places",
        f"dropped {n_other} that are not populated places (feature class other than P)",
        f"dropped {n_excluded} abandoned, historical or destroyed ({', '.join(sorted(exclude))})",
    )
    if bad:
        notes += (f"dropped {bad} without valid coordinates",)
    src = DataSource(
        name=f"GeoNames {path.stem}", resolution="points", licence="CC BY 4.0 (GeoNames)", origin=str(path)
    )
    return Settlements(lon, lat, names, src, _coverage_by_country(countries, lon, lat), notes)
