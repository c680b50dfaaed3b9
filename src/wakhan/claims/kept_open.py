"""Crossings the all-season variant does not tunnel: those on a road kept open all year, and data artefacts.

* A crossing within :data:`~wakhan.plan.open_sections.OPEN_SECTION_MATCH_KM` of a section of an
  existing road that a public source says is kept open all year (``open_all_year`` in
  ``data/infrastructure/existing_roads.geojson``, the G314 from Kashgar to Tashkurgan, or in a
  user's ``--roads`` layer of any format, :mod:`wakhan.plan.open_sections`) is
  open in winter whatever the closure rule predicts for its height: ``closed_months`` 0,
  with the reason (:func:`kept_open`).
* A crossing the route flags as a likely data artefact (``artefact``: a dam or a crest the
  elevation data does not resolve, :mod:`wakhan.route.artefacts`) is no crossing to price; next
  to an existing tunnel's portal, that tunnel is the real crossing (:func:`exemption`).
"""

from __future__ import annotations

from wakhan.plan.open_sections import OPEN_SECTION_MATCH_KM, OpenSection, read_open_sections
from wakhan.route.artefacts import PORTAL_CREST_KM

__all__ = ["bundled_open_sections", "exemption", "kept_open", "exempt_text", "open_sections_of"]


def bundled_open_sections() -> list[OpenSection]:
    """The sections of the bundled existing roads kept open all year (:func:`~wakhan.plan.open_sections.read_open_sections`).

    Examples
    --------
    >>> [s.name for s in bundled_open_sections()]
    ['G314 Kashgar - Tashkurgan']
    """
    return read_open_sections()


def open_sections_of(layers) -> list[OpenSection]:
    """The sections kept open all year of every roads layer a run uses (``layers``: paths, as
    :func:`wakhan.claims.case_study.existing_infrastructure` gives them: the bundled layer and the user's).

    Each layer, in any vector format pyogrio reads (GeoJSON, GeoPackage, shapefile, FlatGeobuf, KML...),
    is read with :func:`~wakhan.plan.open_sections.read_open_sections`: its ``open_all_year`` lists or flags.

    Raises
    ------
    InputError
        A layer cannot be read, has open sections but no CRS, or a section is bad (not a flag or a list, no
        source, a town not in the gazetteer or off the road): one sentence naming the file and the row.

    Examples
    --------
    >>> from wakhan.plan.existing import bundled_roads_path
    >>> [s.name for s in open_sections_of([bundled_roads_path()])], open_sections_of([])
    (['G314 Kashgar - Tashkurgan'], [])
    """
    out: list[OpenSection] = []
    for layer in layers or ():
        out += read_open_sections(layer)
    return out


def kept_open(crossing: dict, sections, within_km: float = OPEN_SECTION_MATCH_KM) -> dict:
    """``crossing`` with ``closed_months`` 0 and ``closure_reason`` when it lies on a section kept open all year.

    The closure rule's figure stays beside them as ``rule_closed_months``. Without ``lon``/``lat``,
    or away from every section, the crossing comes back unchanged.

    Examples
    --------
    >>> section = OpenSection("G314 A - B", "a road authority", ((75.0, 38.0), (75.0, 38.5)))
    >>> c = kept_open({"lat": 38.2, "lon": 75.01, "closed_months": 4.1}, [section])
    >>> c["closed_months"], c["rule_closed_months"], c["closure_reason"]
    (0.0, 4.1, 'kept open all year: G314 A - B (a road authority)')
    >>> kept_open({"lat": 38.2, "lon": 75.1, "closed_months": 4.1}, [section])["closed_months"]  # 8.7 km off
    4.1
    """
    lon, lat = crossing.get("lon"), crossing.get("lat")
    if lon is None or lat is None:
        return crossing
    for s in sections or ():
        if s.distance_km(float(lon), float(lat)) <= within_km:
            rule = {"rule_closed_months": crossing["closed_months"]} if "closed_months" in crossing else {}
            return (
                crossing | rule | {"closed_months": 0.0, "closure_reason": f"kept open all year: {s.name} ({s.source})"}
            )
    return crossing


def exemption(crossing: dict, sections, existing_tunnels=()) -> str | None:
    """Why the all-season variant leaves ``crossing`` untunnelled, or None: kept open all year, or a data artefact.

    ``existing_tunnels``: the route's existing tunnels (``existing`` name, ``start_km``, ``end_km``);
    an artefact within :data:`~wakhan.route.artefacts.PORTAL_CREST_KM` of one's portal names it as
    the real crossing.

    Examples
    --------
    >>> crest = {"name": "Salang Pass", "km": 1239.8, "lat": 35.3, "lon": 69.0, "artefact": True}
    >>> salang = {"existing": "Salang Tunnel", "start_km": 1232.4, "end_km": 1235.1}
    >>> exemption(crest, [], [salang])
    'not priced, being a likely data artefact: the existing Salang Tunnel is the real crossing'
    >>> exemption(crest, []), exemption(dict(crest, artefact=False), [], [salang]) is None
    ('not priced, being a likely data artefact', True)
    """
    reason = kept_open(crossing, sections).get("closure_reason")
    if reason:
        return reason
    if not crossing.get("artefact"):
        return None
    km = crossing.get("km")
    for t in existing_tunnels or ():
        ends = [t.get("start_km"), t.get("end_km")]
        if km is not None and any(e is not None and abs(float(km) - float(e)) <= PORTAL_CREST_KM for e in ends):
            return f"not priced, being a likely data artefact: the existing {t['existing']} is the real crossing"
    return "not priced, being a likely data artefact"


def exempt_text(exempt: list[dict]) -> str:
    """The all-season verdict's words for the crossings left untunnelled.

    Examples
    --------
    >>> exempt_text([{"name": None, "elevation_m": 4066.1, "reason": "kept open all year: G314 Kashgar - Tashkurgan (x)"},
    ...              {"name": "Salang Pass", "elevation_m": 3853.2,
    ...               "reason": "not priced, being a likely data artefact: the existing Salang Tunnel is the real crossing"}])
    'not tunnelled: an unnamed col (4,066 m), on the G314 Kashgar - Tashkurgan, kept open all year, and the Salang Pass (3,853 m), not priced, being a likely data artefact: the existing Salang Tunnel is the real crossing'
    >>> exempt_text([])
    ''
    """
    parts = []
    for c in exempt:
        name = f"the {c['name']}" if c.get("name") else "an unnamed col"
        reason = c["reason"]
        if reason.startswith("kept open all year: "):
            road = reason.removeprefix("kept open all year: ").split(" (")[0]
            reason = f"on the {road}, kept open all year"
        parts.append(f"{name} ({c['elevation_m']:,.0f} m), {reason}")
    if len(parts) > 1:
        parts = [", ".join(parts[:-1]) + ", and " + parts[-1]]
    return "not tunnelled: " + parts[0] if parts else ""
