"""Cut one stretch of road out of a GPX track into a small GeoJSON file for ``tests/data/roads/``.

The stretch runs from the track point nearest the first town to the one nearest the second,
is simplified with Douglas-Peucker at ``--tolerance`` metres (10 m) in UTM 32N, and keeps the
track's length before simplifying as ``length_km``; the source and licence go into the file's
properties (the licence must allow keeping the excerpt: see ``tests/data/roads/README.md``).

    python benchmarks/cut_road.py TRACK.gpx KEY "From" LON,LAT "To" LON,LAT "road words" "source" "licence" [--on-road]

With ``--on-road`` the route ends (``from_lonlat`` / ``to_lonlat``, where the benchmarks start and end
their routes) are the stretch's own end points on the road, and the town points are kept as
``from_town_lonlat`` / ``to_town_lonlat`` with their distance from the road: the PDI joins a route's
ends to the road's, so a town centre 1 km off a 5 km road would add a lobe that is no fault of the
route's line.

It prints how far each town lies from the track and the largest gap between track points, the
checks that the track really passes both towns and is dense enough to stand for the road.
"""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path

ROADS = Path(__file__).resolve().parent.parent / "tests" / "data" / "roads"


def _track(path: str) -> list[tuple[float, float]]:
    """``(lon, lat)`` of every track or route point in a GPX file, in order."""
    text = Path(path).read_text()
    pairs = re.findall(r'<(?:trkpt|rtept)\s+lat="([-0-9.]+)"\s+lon="([-0-9.]+)"', text)
    return [(float(lon), float(lat)) for lat, lon in pairs]


def cut(track, a, b, tolerance_m: float = 10.0) -> tuple[list, dict]:
    """The stretch of ``track`` between the points nearest ``a`` and ``b`` (lon, lat), simplified, and its checks."""
    from pyproj import Geod, Transformer
    from shapely.geometry import LineString

    to_utm = Transformer.from_crs("EPSG:4326", "EPSG:32632", always_xy=True)
    xy = [to_utm.transform(lon, lat) for lon, lat in track]
    ax, ay = to_utm.transform(*a)
    bx, by = to_utm.transform(*b)
    ia = min(range(len(xy)), key=lambda i: math.hypot(xy[i][0] - ax, xy[i][1] - ay))
    ib = min(range(len(xy)), key=lambda i: math.hypot(xy[i][0] - bx, xy[i][1] - by))
    lo, hi = sorted((ia, ib))
    part = xy[lo : hi + 1]
    steps = [math.hypot(q[0] - p[0], q[1] - p[1]) for p, q in zip(part, part[1:])]
    lons, lats = zip(*track[lo : hi + 1])
    length_m = Geod(ellps="WGS84").line_length(lons, lats)  # on the ellipsoid, not in UTM
    simple = LineString(part).simplify(tolerance_m, preserve_topology=False)
    back = Transformer.from_crs("EPSG:32632", "EPSG:4326", always_xy=True)
    coords = [[round(c, 5) for c in back.transform(x, y)] for x, y in simple.coords]
    if ia > ib:
        coords.reverse()
    checks = {
        "length_km": round(length_m / 1000.0, 2),
        "points_before_simplify": len(part),
        "points": len(coords),
        "max_step_m": round(max(steps)),
        "from_off_track_m": round(math.hypot(xy[ia][0] - ax, xy[ia][1] - ay)),
        "to_off_track_m": round(math.hypot(xy[ib][0] - bx, xy[ib][1] - by)),
    }
    return coords, checks


def main(argv: list[str]) -> None:
    on_road = "--on-road" in argv
    gpx, key, name_a, lonlat_a, name_b, lonlat_b, road, source, licence = [v for v in argv if v != "--on-road"]
    a = tuple(float(v) for v in lonlat_a.split(","))
    b = tuple(float(v) for v in lonlat_b.split(","))
    coords, checks = cut(_track(gpx), a, b)
    props = {
        "name": f"{name_a} - {name_b}",
        "road": road,
        "from": name_a,
        "to": name_b,
        "from_lonlat": coords[0] if on_road else list(a),
        "to_lonlat": coords[-1] if on_road else list(b),
        "length_km": checks["length_km"],
        "points_before_simplify": checks["points_before_simplify"],
        "source": source,
        "licence": licence,
    }
    if on_road:
        props["from_town_lonlat"], props["from_town_off_road_m"] = list(a), checks["from_off_track_m"]
        props["to_town_lonlat"], props["to_town_off_road_m"] = list(b), checks["to_off_track_m"]
    feature = {"type": "Feature", "properties": props, "geometry": {"type": "LineString", "coordinates": coords}}
    out = ROADS / f"{key}.geojson"
    out.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}, separators=(",", ":")))
    print(f"{out.name}: {json.dumps(checks)}")


if __name__ == "__main__":
    main(sys.argv[1:])
