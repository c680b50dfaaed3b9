#!/usr/bin/env python
"""SYNTHETIC SRTM-format tiles for scale tests: the region pack plus documented fractal detail.

    python scripts/synthetic_srtm_tiles.py OUT [--arcsec 3|1] [--bbox W S E N] [--serve PORT]

Real 1" / 3" SRTM tiles of the Kabul-Kashgar box cannot be downloaded here, so
this writes tiles of the same format and size for the box (default 67.5-77E,
33.5-40.5N): ``OUT/SYNTHETIC-skadi/N37/N37E074.hgt.gz`` (gzipped big-endian
int16, 1201 x 1201 cells at 3", 3601 x 3601 at 1", row 0 at the north edge,
cells centred on whole arc-seconds: the skadi layout), plus
``OUT/SYNTHETIC-README.txt``. They are for exercising the downloader, the tile
cache and ``--dem tiles`` at full size and for timing; **never for a verdict**.

Heights: the region pack's GEBCO_2023 15" grid (GLOBE 30" south of its 36.32N
edge) interpolated bilinearly at every cell centre, plus fractal detail, a
fixed function of (lon, lat) so that neighbouring tiles agree on their shared
edge lines::

    detail = sum over octaves o = 0..4 and directions d = 0..2 of
             A * 2 ** (-0.8 * o) * sin(2 pi f_o (lon cos t_od + lat sin t_od) + p_od)

with ``A = 25 m``, ``f_o = 240 * 2 ** o`` cycles per degree (wavelengths from
the pack's 15" spacing down to about 1"), ``t_od = 0.7 o + 2.1 d`` radians and
``p_od = 1.3 o + 0.4 d``. Nodata (sea, outside both grids) is -32768.

``--serve PORT`` then serves OUT on 127.0.0.1 only and prints the environment
to use it, e.g.::

    WAKHAN_TILE_SOURCE='http://127.0.0.1:PORT/SYNTHETIC-skadi/{lat_band}/{name}.hgt.gz' \\
    WAKHAN_CACHE=/tmp/SYNTHETIC-srtm-cache wakhan route kashgar kabul --dem tiles ...

Every tile a route reads from there is cited with its cache path, which says SYNTHETIC.
"""

from __future__ import annotations

import argparse
import gzip
import math
import os
import sys
from pathlib import Path

import numpy as np

BOX = (67.5, 33.5, 77.0, 40.5)
LABEL = "SYNTHETIC"


def detail_m(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """The documented fractal detail (metres) at ``(lon, lat)`` in degrees."""
    out = np.zeros(np.broadcast(lon, lat).shape, dtype=np.float64)
    for o in range(5):
        f = 240.0 * 2**o
        a = 25.0 * 2 ** (-0.8 * o)
        for d in range(3):
            t = 0.7 * o + 2.1 * d
            out += a * np.sin(2 * math.pi * f * (lon * math.cos(t) + lat * math.sin(t)) + 1.3 * o + 0.4 * d)
    return out


def _sample(grid, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Bilinear heights of an EPSG:4326 pack grid at ``(lon, lat)``; NaN outside it or on nodata."""
    from scipy.ndimage import map_coordinates

    arr = grid.array.astype(np.float32)
    if grid.nodata is not None:
        arr[grid.array == grid.nodata] = np.nan
    t = grid.transform  # north-up: lon = c + col * a, lat = f + row * e
    col, row = (lon - t.c) / t.a, (lat - t.f) / t.e
    return map_coordinates(arr, [row - 0.5, col - 0.5], order=1, mode="constant", cval=np.nan)


def tile(lat_south: int, lon_west: int, arcsec: int, gebco, globe) -> np.ndarray:
    """int16 heights of one synthetic tile (row 0 at the north edge)."""
    side = 3600 // arcsec + 1
    k = np.arange(side)
    lat = (lat_south + 1) - k[:, None] * arcsec / 3600.0
    lon = lon_west + k[None, :] * arcsec / 3600.0
    lat, lon = np.broadcast_arrays(lat, lon)
    z = _sample(gebco, lon, lat)
    missing = np.isnan(z)
    if missing.any():
        z[missing] = _sample(globe, lon[missing], lat[missing])
    z = z + detail_m(lon, lat)
    out = np.full(z.shape, -32768, dtype=np.int16)
    ok = np.isfinite(z)
    out[ok] = np.clip(np.rint(z[ok]), -32767, 32767).astype(np.int16)
    return out


def build(out: Path, arcsec: int, bbox=BOX, progress=print) -> list[Path]:
    """Write every tile of ``bbox`` under ``out``; returns their paths."""
    from wakhan.sources import pack, srtm

    gebco, globe = pack.open_gebco(), pack.open_globe()
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{LABEL}-README.txt").write_text(
        f'{LABEL} SRTM-format tiles ({arcsec}"), built by scripts/synthetic_srtm_tiles.py from the wakhan '
        'region pack (GEBCO_2023 15", GLOBE 30") plus documented fractal detail.\n'
        "For scale and speed tests only: never for a verdict.\n",
        encoding="utf-8",
    )
    paths = []
    names = srtm.tiles_for_bbox(*bbox)
    for i, name in enumerate(names):
        lat, lon = srtm.parse_tile_name(name)
        path = out / f"{LABEL}-skadi" / name[:3] / f"{name}.hgt.gz"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = gzip.compress(tile(lat, lon, arcsec, gebco, globe).astype(">i2").tobytes(), compresslevel=1)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        paths.append(path)
        progress(f"{i + 1}/{len(names)} {path}")
    return paths


def serve(out: Path, port: int) -> None:
    """Serve ``out`` on 127.0.0.1:``port`` until interrupted."""
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    handler = partial(SimpleHTTPRequestHandler, directory=str(out))
    with ThreadingHTTPServer(("127.0.0.1", port), handler) as httpd:
        port = httpd.server_address[1]
        print(
            f"serving {LABEL} tiles from {out} on 127.0.0.1:{port}; use\n"
            f"  WAKHAN_TILE_SOURCE='http://127.0.0.1:{port}/{LABEL}-skadi/{{lat_band}}/{{name}}.hgt.gz' "
            f"WAKHAN_CACHE=/tmp/{LABEL}-srtm-cache wakhan ... --dem tiles",
            flush=True,
        )
        httpd.serve_forever()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--arcsec", type=int, choices=(1, 3), default=3)
    ap.add_argument("--bbox", type=float, nargs=4, default=BOX, metavar=("W", "S", "E", "N"))
    ap.add_argument("--serve", type=int, metavar="PORT", help="then serve OUT on 127.0.0.1:PORT (0: any free port)")
    ap.add_argument("--no-build", action="store_true", help="only serve tiles built before")
    args = ap.parse_args(argv)
    if not args.no_build:
        build(args.out, args.arcsec, tuple(args.bbox))
    if args.serve is not None:
        serve(args.out, args.serve)
    return 0


if __name__ == "__main__":
    sys.exit(main())
