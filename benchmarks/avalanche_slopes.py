"""How much a ~460 m grid smooths slopes: the 90 m SRTM tile of the Swiss Alps against itself averaged to ~460 m.

Needs ``$WAKHAN_SHARED/data/srtm/N46E008.tif`` (3" SRTM, 8-9 E, 46-47 N). Writes
``benchmarks/avalanche_slopes.md`` and ``.json``: the share of cells in the ATES /
AutoATES release band (30-60 degrees) at 90 m and at ~460 m (5 x 5 block means),
and the coarse-grid band that covers the same share of the tile (quantile matching),
used by :data:`wakhan.claims.avalanche.COARSE_RELEASE_BAND_DEG`.

    WAKHAN_SHARED=/path/to/shared PYTHONPATH=src python3 benchmarks/avalanche_slopes.py
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import numpy as np
import rasterio

from wakhan.claims.avalanche import FINE_RELEASE_BAND_DEG, slope_deg
from wakhan.fileio import atomic_write

HERE = Path(__file__).resolve().parent


def main() -> None:
    tile = Path(os.environ["WAKHAN_SHARED"]) / "data/srtm/N46E008.tif"
    with rasterio.open(tile) as f:
        z = f.read(1).astype(float)
        if f.nodata is not None:
            z[z == f.nodata] = np.nan
        t = f.transform
    dy = abs(t.e) * 110_574.0
    dx = t.a * 111_320.0 * math.cos(math.radians(46.5))
    fine = slope_deg(z, dx, dy)
    k = 5
    h, w = (z.shape[0] // k) * k, (z.shape[1] // k) * k
    coarse = slope_deg(np.nanmean(z[:h, :w].reshape(h // k, k, w // k, k), axis=(1, 3)), dx * k, dy * k)
    fine, coarse = fine[np.isfinite(fine)], coarse[np.isfinite(coarse)]
    lo, hi = FINE_RELEASE_BAND_DEG
    share_lo, share_hi = float(np.mean(fine >= lo)), float(np.mean(fine > hi))
    band = (float(np.percentile(coarse, 100 * (1 - share_lo))), float(np.percentile(coarse, 100 * (1 - share_hi))))
    out = {
        "tile": "N46E008 (SRTM 3 arc-second, Swiss Alps), 1201 x 1201",
        "fine_cell_m": [round(dx, 1), round(dy, 1)],
        "coarse_cell_m": [round(dx * k, 1), round(dy * k, 1)],
        "share_at_least_30deg": {"fine": round(share_lo, 4), "coarse": round(float(np.mean(coarse >= lo)), 4)},
        "median_slope_deg": {"fine": round(float(np.median(fine)), 2), "coarse": round(float(np.median(coarse)), 2)},
        "p90_slope_deg": {
            "fine": round(float(np.percentile(fine, 90)), 2),
            "coarse": round(float(np.percentile(coarse, 90)), 2),
        },
        "coarse_release_band_deg": [round(band[0], 1), round(band[1], 1)],
    }
    with atomic_write(HERE / "avalanche_slopes.json") as fh:
        fh.write(json.dumps(out, indent=2) + "\n")
    md = f"""# Avalanche release terrain on a ~460 m grid: how much slopes are smoothed

`benchmarks/avalanche_slopes.py` on the 90 m SRTM tile N46E008 (Swiss Alps, `$WAKHAN_SHARED`), against the
same tile averaged in 5 x 5 blocks ({dx * k:.0f} x {dy * k:.0f} m, about the region pack's 464 m grid).

| | 90 m | ~460 m |
|---|---|---|
| cells 30 degrees or steeper | {out["share_at_least_30deg"]["fine"]:.1%} | {out["share_at_least_30deg"]["coarse"]:.1%} |
| median slope | {out["median_slope_deg"]["fine"]:.1f} deg | {out["median_slope_deg"]["coarse"]:.1f} deg |
| 90th percentile slope | {out["p90_slope_deg"]["fine"]:.1f} deg | {out["p90_slope_deg"]["coarse"]:.1f} deg |

The ATES / AutoATES release band (30-60 degrees; Statham et al. 2006, Larsen et al. 2020) covers the same share
of the tile on the coarse grid as **{band[0]:.1f}-{band[1]:.1f} degrees** (quantile matching): the band
`wakhan.claims.avalanche` uses on grids coarser than 200 m. It restores the *amount* of release terrain, not its
place: short steep walls above a road are still blurred into their valley sides, so exposure along a route on
the 464 m pack is an estimate at the scale of kilometres, not of single gullies.
"""
    with atomic_write(HERE / "avalanche_slopes.md") as fh:
        fh.write(md)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
