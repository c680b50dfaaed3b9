"""The result of planning a route: its summary numbers, profile and the data behind them."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from wakhan.errors import InputError
from wakhan.grid import Grid
from wakhan.route.absent import ABSENT, present
from wakhan.route.profile import Profile
from wakhan.route.summary import RouteSummary

__all__ = ["RouteResult"]


def _lonlat_line(points, name: str):
    """A sequence of (lon, lat) pairs as a line, or one sentence saying what a reference may be."""
    from shapely.geometry import LineString  # lazy: shapely only for a comparison

    try:
        xy = np.asarray(points, dtype=float)
    except (TypeError, ValueError):
        xy = np.empty((0,))
    if xy.ndim != 2 or xy.shape[0] < 2 or xy.shape[1] not in (2, 3):
        raise InputError(
            f"{name or 'the reference'} must be a line: a file path, a shapely LineString, a GeoSeries with a CRS, "
            f"or two or more (lon, lat) pairs; got {type(points).__name__}"
        )
    return LineString(xy[:, :2])


def _check_lonlat(line, name: str) -> None:
    """Refuse a line whose coordinates cannot be degrees (a projected line given without its CRS)."""
    xy = np.asarray(line.coords)[:, :2]
    if xy.size and not (np.all(np.abs(xy[:, 0]) <= 180) and np.all(np.abs(xy[:, 1]) <= 90)):
        raise InputError(
            f"{name or 'the reference'} has coordinates that are not longitude/latitude (up to "
            f"{np.abs(xy).max():,.0f}); give it in degrees, or as a GeoSeries with its CRS"
        )


@dataclass(frozen=True, eq=False)
class RouteResult:
    """One route, as planned (:func:`wakhan.plan.plan_route`) or read back from a file.

    Attributes
    ----------
    summary : RouteSummary
        The numbers of ``wakhan route --json`` (see :func:`wakhan.route.build_summary`);
        a dict given here is read with :meth:`RouteSummary.from_dict`.
    profile : Profile
        Points along the route with geodesic distance and elevation.
    dem : Grid or None
        The metric DEM the route was solved on (None when read from a file).
    paths : tuple
        The solver's :class:`wakhan.solve.Path` per leg (empty when read from a file).
    waypoints : tuple
        The resolved waypoints (:class:`wakhan.places.Place`), in order.
    model : object or None
        The cost model used.

    Examples
    --------
    A summary given as a dict (e.g. from JSON) is read into a :class:`RouteSummary`:

    >>> from wakhan.route.profile import profile_from_lonlat
    >>> p = profile_from_lonlat([71.0, 71.1], [37.0, 37.0], [3000.0, 3500.0])
    >>> r = RouteResult({"name": "example", "length_km": 8.901, "max_elevation_m": 3500.0, "passes": []}, p)
    >>> r.summary.terrain.length_km, r
    (8.901, <RouteResult 'example': 8.9 km, highest 3,500 m, 0 pass(es), 2 profile points>)
    """

    summary: RouteSummary
    profile: Profile
    dem: Grid | None = None
    paths: tuple = field(default=())
    waypoints: tuple = field(default=())
    model: object = None

    def __post_init__(self):
        if isinstance(self.summary, dict):
            object.__setattr__(self, "summary", RouteSummary.from_dict(self.summary))

    @property
    def name(self) -> str:
        name = self.summary.name
        return "route" if name is ABSENT else str(name)

    @property
    def length_km(self) -> float:
        return float(present(self.summary.terrain.length_km, "length_km"))

    def __repr__(self) -> str:
        s = self.summary
        try:
            length_km = float(present(s.terrain.length_km, "length_km"))
            top_m = float(present(s.terrain.max_elevation_m, "max_elevation_m"))
            nums = (
                f"{length_km:,.1f} km, highest {top_m:,.0f} m, "
                f"{len(s.terrain.passes or [])} pass(es), {self.profile.distance_km.size:,} profile points"
            )
        except (KeyError, TypeError, ValueError):
            nums = f"{self.profile.distance_km.size:,} profile points"
        return f"<RouteResult {self.name!r}: {nums}>"

    def compare_to(self, line, *, name: str = "") -> dict:
        """How far this route runs from a reference line (a real road): PDI, buffer shares, Hausdorff.

        Parameters
        ----------
        line : shapely.LineString, sequence of (lon, lat), geopandas.GeoSeries/GeoDataFrame, or path
            The reference: a line or two or more points in longitude/latitude (degrees, longitude
            first), a GeoSeries with a CRS, or any line layer pyogrio reads
            (:func:`wakhan.route.deviation.read_reference`).
        name : str
            What the reference is, recorded as ``file`` (a path's name by default).

        Returns
        -------
        dict
            The ``reference`` field of ``wakhan route --reference``: ``pdi_km``, ``npdi_pct``,
            ``within_pct``, ``hausdorff_km``, ``length_ratio`` (see :mod:`wakhan.route.deviation`).

        Examples
        --------
        >>> from shapely.geometry import LineString
        >>> from wakhan.route.profile import profile_from_lonlat
        >>> p = profile_from_lonlat([8.0, 8.05, 8.1], [46.0, 46.0, 46.0], [1000.0, 1000.0, 1000.0])
        >>> r = RouteResult({"name": "r"}, p)
        >>> r.compare_to(LineString([(8.0, 46.0), (8.05, 46.0), (8.1, 46.0)]))["pdi_km"]
        0.0
        >>> r.compare_to([(8.0, 46.0), (8.1, 46.0)])["within_pct"]["0.5"]
        100.0
        """
        from shapely.geometry import LineString  # lazy: shapely only for a comparison

        from wakhan.route.deviation import read_reference, reference_fields  # lazy: shapely/pyogrio

        if hasattr(line, "geometry") or hasattr(line, "to_crs"):  # a GeoSeries / GeoDataFrame
            from wakhan.route.deviation import _as_line

            geo = line.geometry if hasattr(line, "geometry") else line
            if geo.crs is None:
                raise InputError(f"{name or 'the reference'} has no CRS; set one (e.g. .set_crs('EPSG:4326'))")
            line = _as_line(list(geo.to_crs("EPSG:4326")), name or "the reference")
        elif isinstance(line, (str, bytes)) or hasattr(line, "__fspath__"):
            name = name or str(line)
            line = read_reference(line)
        elif not hasattr(line, "coords"):
            line = _lonlat_line(line, name)
        _check_lonlat(line, name)
        try:
            return reference_fields(self.profile.lon, self.profile.lat, line, name=name)
        except InputError as err:  # a (lat, lon) line misses both ends; say so when swapping fits
            swapped = LineString([(y, x) for x, y, *_ in line.coords])
            try:
                reference_fields(self.profile.lon, self.profile.lat, swapped, name=name)
            except InputError:
                raise err from None
            raise InputError(f"{err}; it fits with each point's two numbers swapped: give (lon, lat) pairs") from None

    @property
    def __geo_interface__(self) -> dict:
        """GeoJSON FeatureCollection: the route line (flat attributes) and its point layers (``layer`` property)."""
        from wakhan.route.files.layers import feature_collection  # lazy: the record does not need its files

        return feature_collection(self)

    def to_geodataframe(self, layer: str = "route"):
        """One layer (``"route"``, ``"passes"``, ``"places"``, ``"waypoints"``, ``"tunnels"``) as a GeoDataFrame.

        Needs geopandas (``pip install wakhan[geo]``); CRS EPSG:4326.
        """
        try:
            import geopandas  # lazy: geopandas, an optional extra
        except ImportError:  # pragma: no cover - optional extra
            raise InputError("RouteResult.to_geodataframe needs geopandas; install wakhan[geo]") from None
        from wakhan.route.files.layers import LAYER_FIELDS  # lazy: the record does not need its files

        feats = [f for f in self.__geo_interface__["features"] if f["properties"]["layer"] == layer]
        if not feats and layer not in LAYER_FIELDS and layer != "route":
            raise InputError(f"unknown layer {layer!r}; use route, {', '.join(LAYER_FIELDS)}")
        columns = ["layer", *LAYER_FIELDS.get(layer, {})] if not feats else None
        return geopandas.GeoDataFrame.from_features(feats, crs="EPSG:4326", columns=columns)
