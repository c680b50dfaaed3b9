"""Country borders from the region pack: polygons, raster masks, point lookup.

The polygons are Natural Earth 10m admin-0 countries (German point of view),
clipped to the region pack's box plus one degree (see ``data/pack/manifest.json``).
Keys are ISO 3166-1 alpha-2 codes (``"AF"``, ``"CN"``, ``"PK"``, ``"TJ"`` ...).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np
import shapely
from pyproj import Transformer
from rasterio.features import rasterize

from wakhan.errors import DataError, InputError
from wakhan.grid import Grid
from wakhan.gridio import as_grid
from wakhan.sources import pack

__all__ = ["load_countries", "country_mask", "country_at", "known_codes", "layer_covers"]


@functools.lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> dict:
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
        out: dict[str, shapely.Geometry] = {}
        for feat in doc["features"]:
            iso = str(feat["properties"]["iso_a2"]).upper()
            geom = shapely.from_geojson(json.dumps(feat["geometry"]))
            out[iso] = shapely.union(out[iso], geom) if iso in out else geom
    except (OSError, ValueError, KeyError, TypeError, shapely.errors.GEOSException) as exc:
        raise DataError(
            f"country file {path} cannot be read ({exc}); rebuild the region pack with scripts/build_region_pack.py"
        ) from None
    for geom in out.values():
        shapely.prepare(geom)
    return out


def load_countries(path=None) -> dict[str, shapely.Geometry]:
    """ISO alpha-2 code -> (multi)polygon in lon/lat degrees, from the pack (or ``path``)."""
    if path is None:
        path = pack.countries_path()
    path = Path(path)
    if not path.is_file():
        raise DataError(f"country file {path} does not exist; reinstall wakhan or rebuild the region pack")
    return dict(_load(str(path), path.stat().st_mtime))


def known_codes() -> list[str]:
    """ISO codes available in the pack, sorted."""
    return sorted(load_countries())


def _codes(iso_codes) -> list[str]:
    if isinstance(iso_codes, str):
        iso_codes = [iso_codes]
    try:
        codes = [str(c).strip().upper() for c in iso_codes]
    except TypeError:
        raise InputError(f"country codes {iso_codes!r} are not a list of ISO alpha-2 codes like 'AF'") from None
    if not codes:
        raise InputError("no country codes given: name at least one ISO alpha-2 code, e.g. 'AF'")
    countries = load_countries()
    unknown = [c for c in codes if c not in countries]
    if unknown:
        raise InputError(
            f"unknown country code(s) {', '.join(unknown)}: the region pack has {', '.join(sorted(countries))}"
        )
    return codes


def country_mask(grid: Grid, iso_codes) -> np.ndarray:
    """Boolean array of ``grid``'s shape, True where a cell's centre lies in any of the countries.

    Polygons are transformed to the grid's CRS and burnt in with
    :func:`rasterio.features.rasterize` (cell-centre rule).
    """

    grid = as_grid(grid)
    if not isinstance(grid, Grid):
        raise InputError(f"country_mask needs a wakhan Grid, got {type(grid).__name__}")
    codes = _codes(iso_codes)
    countries = load_countries()
    geoms = [countries[c] for c in codes]
    if not grid.is_geographic:
        t = Transformer.from_crs("EPSG:4326", grid.crs.to_wkt(), always_xy=True)
        # Densify first so long straight edges follow the projection's curvature.
        geoms = [
            shapely.transform(shapely.segmentize(g, 0.05), lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))
            for g in geoms
        ]
    mask = rasterize(
        ((g, 1) for g in geoms),
        out_shape=grid.shape,
        transform=grid.transform,
        fill=0,
        dtype="uint8",
        all_touched=False,
    )
    return mask.astype(bool)


def country_at(lon, lat) -> np.ndarray:
    """ISO alpha-2 code of the country holding each point (``""`` outside all), as a str array.

    Parameters
    ----------
    lon, lat : float or array_like
        Degrees WGS84, broadcast together.
    """
    try:
        lon_a, lat_a = np.broadcast_arrays(np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64))
    except (TypeError, ValueError):
        raise InputError("country_at needs numeric longitudes and latitudes of the same length") from None
    if not (np.isfinite(lon_a).all() and np.isfinite(lat_a).all()):
        raise InputError("country_at got a non-finite longitude or latitude; give degrees")
    if (np.abs(lon_a) > 180).any() or (np.abs(lat_a) > 90).any():
        raise InputError("country_at got a point off the globe: longitude -180..180, latitude -90..90")
    countries = load_countries()
    out = np.full(lon_a.shape, "", dtype="<U2")
    flat = out.ravel()
    for code in sorted(countries):
        inside = shapely.contains_xy(countries[code], lon_a.ravel(), lat_a.ravel()) & (flat == "")
        flat[inside] = code
    return flat.reshape(lon_a.shape)


def layer_covers(lon, lat) -> np.ndarray:
    """True where the bundled country layer covers a point: inside the box it was clipped to.

    The pack's Natural Earth layer holds only the countries around the region (the pack's box plus
    one degree, ``bounds`` of ``countries.geojson`` in the manifest). A point outside that box is in
    no country of the layer because the layer stops there, not because it lies in no country.

    Parameters
    ----------
    lon, lat : float or array_like
        Degrees WGS84, broadcast together.

    Returns
    -------
    numpy.ndarray of bool

    Examples
    --------
    >>> layer_covers([71.5, 8.6], [36.9, 46.6]).tolist()  # Ishkashim; Andermatt in the Swiss Alps
    [True, False]
    """
    west, south, east, north = (float(v) for v in pack.manifest()["files"][pack.COUNTRIES_FILE]["bounds"])
    lon_a, lat_a = np.broadcast_arrays(np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64))
    return (lon_a >= west) & (lon_a <= east) & (lat_a >= south) & (lat_a <= north)
