"""Passes that are likely data artefacts: a saddle on a large stream is a dam in the elevation data.

A real pass crosses a divide, where almost nothing drains through. Where a coarse or
blurred DEM puts a dam across a valley, the route climbs over it and the profile shows a
"pass" whose saddle lies on the valley's own river: D8 flow over the depression-filled
heights spills across the dam, so the saddle's cell drains the whole valley above it.
:func:`mark_artefacts` adds ``artefact`` (and, when true, ``artefact_reason``) to every
pass. The catchment is read from the grid's drainage traced over the elevation data around
it when the planner gives one (:func:`wakhan.dem.drainage.route_drainage`: the box grown by
up to 150 km, within the source's data), else measured in a window of the grid around the
pass; either is a lower bound of the true one (the data or the window end somewhere), so a
flagged pass drains at least the stated area.
"""

from __future__ import annotations

import math

import numpy as np
from affine import Affine

from wakhan.dem.hydro import DEFAULT_MIN_CATCHMENT_KM2, upstream_area_km2
from wakhan.dem.project import lonlat_to_xy
from wakhan.grid import Grid

__all__ = ["mark_artefacts", "mark_portal_crests", "WINDOW_KM", "PORTAL_CREST_KM", "PORTAL_CREST_RISE_M"]

#: Half-width of the window whose drainage is measured around each pass (km).
WINDOW_KM = 50.0
#: A crest this close to an existing tunnel's portal along the route (km) ...
PORTAL_CREST_KM = 5.0
#: ... and this far above the portal (m) is the ridge the tunnel was built to pass under.
PORTAL_CREST_RISE_M = 100.0
_MAX_SIDE = 2000  # cells: the window is coarsened no further; a 30 m grid measures +-30 km


def mark_artefacts(
    passes, dem: Grid | None, min_catchment_km2: float = DEFAULT_MIN_CATCHMENT_KM2, drainage=None
) -> list[dict]:
    """``passes`` with ``artefact`` (bool) and, for artefacts, ``artefact_reason``; unchanged without a DEM.

    ``drainage`` (a :class:`wakhan.dem.drainage.Drainage` of ``dem``), when given, supplies the
    catchments, counted over the data around the grid; else a window of ``dem`` around each pass does.

    Examples
    --------
    A valley of 1 km cells falling east from a high head, dammed at column 30; the route down
    it "passes" the dam:

    >>> from affine import Affine
    >>> z = (3000 - 10 * np.arange(60) + 100 * np.abs(np.arange(61) - 30)[:, None]).astype(np.float32)
    >>> z[:, 0] += 5000
    >>> z[:, 30] += 400
    >>> dem = Grid(z, Affine(1000.0, 0, 500_000, 0, -1000.0, 4_130_000), "EPSG:32643")
    >>> from wakhan.dem.project import xy_to_lonlat
    >>> lon, lat = xy_to_lonlat(dem.crs, 500_000 + 30_500, 4_130_000 - 30_500)
    >>> (p,) = mark_artefacts([{"lon": float(lon), "lat": float(lat), "elevation_m": 3100.0}], dem, 500)
    >>> p["artefact"], p["artefact_reason"][:51]  # the lake above the dam: ~29 x 59 cells of 1 km2
    (True, 'the saddle lies on a stream draining at least 1,834')
    >>> mark_artefacts([{"lon": float(lon), "lat": float(lat)}], dem, 5000)[0]["artefact"]
    False
    """
    if dem is None or not passes or dem.is_geographic:
        return list(passes or [])
    res = float(max(dem.res))
    half = min(int(math.ceil(WINDOW_KM * 1000.0 / res)), _MAX_SIDE // 2)
    if drainage is not None and tuple(drainage.shape) != tuple(dem.shape):
        drainage = None
    out = []
    for p in passes:
        entry = dict(p)
        x, y = lonlat_to_xy(dem.crs, [entry["lon"]], [entry["lat"]])
        r, c = (int(v[0]) for v in dem.rowcol(x, y))
        if not (0 <= r < dem.height and 0 <= c < dem.width):
            out.append(entry)
            continue
        if drainage is not None:
            upa, rr, cc = drainage.upstream_area_km2(), r, c
        else:
            r0, c0 = max(r - half, 0), max(c - half, 0)
            r1, c1 = min(r + half + 1, dem.height), min(c + half + 1, dem.width)
            window = Grid(
                np.asarray(dem.array[r0:r1, c0:c1], dtype=np.float32),
                dem.transform @ Affine.translation(c0, r0),
                dem.crs,
            )
            upa, rr, cc = upstream_area_km2(window), r - r0, c - c0
        near = upa[max(rr - 1, 0) : rr + 2, max(cc - 1, 0) : cc + 2]
        area = float(np.nanmax(near)) if near.size else 0.0
        entry["artefact"] = bool(area >= min_catchment_km2)
        if entry["artefact"]:
            src = "; ".join(s.name for s in dem.sources) or "the DEM"
            entry["artefact_reason"] = (
                f"the saddle lies on a stream draining at least {area:,.0f} km2: a valley the elevation "
                f"data ({src}, {dem.describe_resolution()} grid) dams, not a crossing of a divide"
            )
        out.append(entry)
    return out


def mark_portal_crests(passes, waypoints, dem: Grid | None = None) -> list[dict]:
    """Flag a crest just beyond an existing tunnel's portal, well above it, as a likely data artefact.

    A tunnel is bored so that its road need not climb over the ridge above it: past the portal
    the real road descends. A route whose profile climbs again to a crest within
    ``PORTAL_CREST_KM`` of a portal (a waypoint of kind ``"portal"``) and ``PORTAL_CREST_RISE_M``
    above it is crossing that ridge on the grid because the elevation data do not resolve the
    valley below the portal (the Salang tunnel's south portal on 925 m GLOBE cells, issue 18).
    The pass stays in the list, flagged with ``artefact`` and ``artefact_reason``; passes
    already flagged keep their reason.

    Parameters
    ----------
    passes : list of dict
        Passes with ``km`` and ``elevation_m`` (as :func:`mark_artefacts` returns them).
    waypoints : list of dict
        The route's waypoints with ``km``, ``elevation_m``, ``name`` and ``kind``.
    dem : Grid, optional
        The grid the route ran on, named in the reason.

    Examples
    --------
    >>> portal = {"name": "Salang Tunnel south portal", "kind": "portal", "km": 1235.1, "elevation_m": 3400.0}
    >>> crest = {"name": "Salang Pass", "km": 1239.8, "elevation_m": 3853.0, "artefact": False}
    >>> (p,) = mark_portal_crests([crest], [portal])
    >>> p["artefact"], p["artefact_reason"][:57]
    (True, '4.7 km from Salang Tunnel south portal and 453 m above it')
    >>> mark_portal_crests([dict(crest, km=1245.0)], [portal])[0]["artefact"]  # 9.9 km on: a ridge of its own
    False
    """
    portals = [w for w in waypoints or () if w.get("kind") == "portal" and w.get("km") is not None]
    out = []
    for p in passes or ():
        entry = dict(p)
        if not entry.get("artefact") and entry.get("km") is not None and entry.get("elevation_m") is not None:
            for w in sorted(portals, key=lambda w: abs(float(w["km"]) - float(entry["km"]))):
                gap_km = abs(float(entry["km"]) - float(w["km"]))
                rise_m = float(entry["elevation_m"]) - float(w["elevation_m"])
                if gap_km <= PORTAL_CREST_KM and rise_m >= PORTAL_CREST_RISE_M:
                    data = (
                        f"elevation data ({'; '.join(s.name for s in dem.sources) or 'the DEM'}, "
                        f"{dem.describe_resolution()} grid)"
                        if dem is not None
                        else "elevation data"
                    )
                    entry["artefact"] = True
                    entry["artefact_reason"] = (
                        f"{gap_km:.1f} km from {w['name']} and {rise_m:,.0f} m above it: the tunnel carries the road "
                        f"under this ridge, and the {data} does not resolve the valley below the portal"
                    )
                    break
        out.append(entry)
    return out
