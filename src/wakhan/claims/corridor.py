"""The Wakhan Corridor as an explicit, printable definition, and its altitude statistics.

The article says the corridor "has an average altitude of more than 4,000
meters". Whether that is true depends on what "the corridor" is and on what is
averaged, so both are explicit here:

* a :class:`CorridorDefinition` is Afghanistan's territory east of a stated
  meridian (from the region pack's Natural Earth polygon), optionally cut at a
  stated latitude; the case study's three readings are
  :data:`wakhan.claims.case_study.DEFINITIONS`;
* :func:`area_statistics` averages the terrain over that area (every square
  kilometre counts the same, peaks and glaciers included);
* :func:`route_statistics` averages the elevation along a route's segment
  inside the area, weighted by length: the altitude at which people actually
  travel.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import shapely
from pyproj import Transformer
from rasterio.features import rasterize

from wakhan.borders import load_countries
from wakhan.dem.project import lonlat_to_xy  # polygon into the grid's CRS
from wakhan.errors import InputError
from wakhan.grid import Grid

__all__ = ["CorridorDefinition", "corridor_region", "AreaStatistics", "area_statistics", "route_statistics"]


@dataclass(frozen=True)
class CorridorDefinition:
    """Afghanistan (or ``country``) east of ``east_of_lon`` degrees E and north of ``north_of_lat``.

    Parameters
    ----------
    key : str
        Short identifier used in tables and JSON.
    east_of_lon : float
        Western limit, degrees east.
    label : str
        The meridian in words (which town or landmark it passes).
    north_of_lat : float
        Southern limit, degrees north; keeps Nuristan and Kunar, which also
        reach east of the Ishkashim meridian far to the south, out of the corridor.
    country : str
        ISO alpha-2 code of the country whose territory is taken.

    Examples
    --------
    >>> CorridorDefinition("east", 71.0, "a meridian").describe()
    'AF territory east of 71.00°E (a meridian) and north of 36.40°N, from the Natural Earth 10m country polygon in the region pack'
    """

    key: str
    east_of_lon: float
    label: str
    north_of_lat: float = 36.40
    country: str = "AF"

    def describe(self) -> str:
        return (
            f"{self.country} territory east of {self.east_of_lon:.2f}\u00b0E ({self.label}) and north of "
            f"{self.north_of_lat:.2f}\u00b0N, from the Natural Earth 10m country polygon in the region pack"
        )

    def as_dict(self) -> dict:
        return {**asdict(self), "definition": self.describe()}


def corridor_region(definition: CorridorDefinition, countries: dict | None = None) -> shapely.Geometry:
    """The corridor polygon in lon/lat degrees: the country clipped east of the meridian.

    Examples
    --------
    A box-shaped country cut at 71 E and 36.4 N:

    >>> countries = {"AF": shapely.box(70.0, 35.0, 75.0, 38.0)}
    >>> shapely.bounds(corridor_region(CorridorDefinition("east", 71.0, "a meridian"), countries)).tolist()
    [71.0, 36.4, 75.0, 38.0]
    """
    if countries is None:
        countries = load_countries()
    if definition.country not in countries:
        raise InputError(
            f"country {definition.country} of corridor definition {definition.key!r} is not in "
            f"the country polygons (have {', '.join(sorted(countries))})"
        )
    country = countries[definition.country]
    w, s, e, n = shapely.bounds(country)
    if definition.east_of_lon >= e:
        raise InputError(
            f"corridor definition {definition.key!r}: nothing of {definition.country} lies east "
            f"of {definition.east_of_lon}\u00b0E (it ends at {e:.2f}\u00b0E)"
        )
    clip = shapely.box(definition.east_of_lon, max(s, definition.north_of_lat) - 0, e + 1, n + 1)
    return shapely.intersection(country, clip)


@dataclass(frozen=True)
class AreaStatistics:
    """Elevation statistics of an area, from one DEM.

    Examples
    --------
    >>> s = AreaStatistics(4300.0, 4400.0, {"4000": 0.7}, 1.0e4, 1000, 2500.0, 7000.0, "built")
    >>> s.as_dict()["share_above_m"], s.as_dict()["data"]
    ({'4000': 0.7}, 'built')
    """

    mean_m: float
    median_m: float
    share_above_m: dict  # threshold (m, as str) -> share of the area (0..1)
    area_km2: float
    cells: int
    min_m: float
    max_m: float
    data: str

    def as_dict(self) -> dict:
        return asdict(self)


def _cell_lonlat(dem: Grid) -> tuple[np.ndarray, np.ndarray]:
    rows, cols = np.indices(dem.shape)
    x, y = dem.xy(rows, cols)
    if dem.is_geographic:
        return x, y
    to_ll = Transformer.from_crs(dem.crs, "EPSG:4326", always_xy=True)
    return to_ll.transform(x, y)


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    order = np.argsort(values, kind="stable")
    cum = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cum, 0.5 * cum[-1])])


def area_statistics(dem: Grid, region: shapely.Geometry, thresholds_m=(3500, 4000, 4500)) -> AreaStatistics:
    """Area-weighted elevation statistics of ``dem`` over ``region`` (lon/lat polygon).

    A cell counts when its centre lies in the region and it holds a height.
    On a geographic grid each cell is weighted by its area (cos latitude); on a
    projected grid cells are taken as equal in area.

    Examples
    --------
    Four 0.1-degree cells, half of them above 4,000 m (the two southern cells weigh a little more,
    being nearer the equator, so the mean is a little nearer their 3,000 and 4,000 m than 4,150 m):

    >>> from affine import Affine
    >>> z = np.array([[3000.0, 5000.0], [4000.0, 4600.0]], np.float32)
    >>> dem = Grid(z, Affine(0.1, 0, 71.0, 0, -0.1, 37.2), "EPSG:4326")
    >>> s = area_statistics(dem, shapely.box(71.0, 37.0, 71.2, 37.2))
    >>> s.cells, s.min_m, s.max_m, s.median_m, s.share_above_m["4000"], round(s.mean_m, 1)
    (4, 3000.0, 5000.0, 4600.0, 0.5, 4150.1)
    """

    geom = region
    if not dem.is_geographic:
        geom = shapely.transform(region, lambda xy: np.column_stack(lonlat_to_xy(dem.crs, xy[:, 0], xy[:, 1])))
    inside = rasterize([(geom, 1)], out_shape=dem.shape, transform=dem.transform, fill=0, dtype="uint8").astype(bool)
    inside &= dem.valid_mask()
    if not inside.any():
        raise InputError(
            f"the corridor area has no cells with heights in this DEM ({dem.describe_sources()}); "
            "use a DEM that covers the corridor"
        )
    z = dem.array[inside].astype(np.float64)
    if dem.is_geographic:
        _, lat = _cell_lonlat(dem)
        dx, dy = dem.res
        weights = np.cos(np.radians(lat[inside])) * (dx * 111.32) * (dy * 110.57)
    else:
        dx, dy = dem.res
        weights = np.full(z.shape, dx * dy / 1e6)
    total = float(weights.sum())
    shares = {str(t): float(weights[z > t].sum() / total) for t in thresholds_m}
    return AreaStatistics(
        mean_m=float(np.sum(z * weights) / total),
        median_m=_weighted_median(z, weights),
        share_above_m=shares,
        area_km2=total,
        cells=int(inside.sum()),
        min_m=float(z.min()),
        max_m=float(z.max()),
        data=dem.describe_sources(),
    )


def route_statistics(profile, region: shapely.Geometry, thresholds_m=(3500, 4000, 4500)) -> dict | None:
    """Length-weighted elevation of the parts of a route profile inside ``region``.

    Each segment between consecutive profile points is assigned to the region
    by its midpoint. Returns ``None`` when the route does not enter the region.

    Examples
    --------
    A route from 3,000 m to 5,000 m through 4,000 m: of its two segments only the eastern one, from
    4,000 m to 5,000 m, has its midpoint inside the region:

    >>> from wakhan.route.profile import profile_from_lonlat
    >>> p = profile_from_lonlat([70.5, 71.5, 72.5], [37.0, 37.0, 37.0], [3000.0, 4000.0, 5000.0])
    >>> s = route_statistics(p, shapely.box(71.0, 36.0, 73.0, 38.0))
    >>> round(s["length_km"], 1), s["mean_elevation_m"], s["share_above_m"]
    (89.0, 4500.0, {'3500': 1.0, '4000': 1.0, '4500': 0.0})
    >>> route_statistics(p, shapely.box(80.0, 36.0, 81.0, 38.0)) is None
    True
    """
    d = np.asarray(profile.distance_km, dtype=np.float64)
    z = np.asarray(profile.elevation_m, dtype=np.float64)
    lon = np.asarray(profile.lon, dtype=np.float64)
    lat = np.asarray(profile.lat, dtype=np.float64)
    seg_len = np.diff(d)
    seg_z = 0.5 * (z[1:] + z[:-1])
    mid = shapely.points(0.5 * (lon[1:] + lon[:-1]), 0.5 * (lat[1:] + lat[:-1]))
    inside = shapely.contains(region, mid) & np.isfinite(seg_z) & (seg_len > 0)
    if not inside.any():
        return None
    w = seg_len[inside]
    zi = seg_z[inside]
    total = float(w.sum())
    return {
        "length_km": total,
        "mean_elevation_m": float(np.sum(w * zi) / total),
        "median_elevation_m": _weighted_median(zi, w),
        "max_elevation_m": float(zi.max()),
        "min_elevation_m": float(zi.min()),
        "share_above_m": {str(t): float(w[zi > t].sum() / total) for t in thresholds_m},
    }
