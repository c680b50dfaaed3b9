"""The gazetteer: named places a user can ask for, and ``LAT,LON`` points.

The places live in ``data/places.csv`` (``wakhan/_data/places.csv`` in a wheel;
the environment variable ``WAKHAN_PLACES`` points at another file). Columns:

``name``     the display name
``aliases``  other spellings, separated by ``;``
``lat, lon`` WGS84 degrees
``kind``     city, town, village, pass or lake
``country``  ISO 3166 alpha-2 code
``source``   where the coordinates come from (a Who's On First / GeoNames id, or
             "approximate" with the reason)

Names are matched case-, accent- and punctuation-insensitively: ``"qala-e panja"``,
``"Qala e Panja"`` and ``"QALA E PANJA"`` are the same place.
"""

from __future__ import annotations

import csv
import difflib
import functools
import os
from dataclasses import dataclass
from pathlib import Path

from wakhan.errors import DataError, InputError
from wakhan.latlon import haversine_km, parse_latlon
from wakhan.place_names import COUNTRY_NAMES, is_latin, match_name, normalize_name, with_country

__all__ = [
    "Place",
    "KINDS",
    "places_path",
    "load_places",
    "resolve",
    "nearest_place",
    "normalize_name",
    "gazetteer_name",
    "parse_latlon",
    "haversine_km",
    "COUNTRY_NAMES",
]

KINDS = ("city", "town", "village", "pass", "lake")
_COLUMNS = ("name", "aliases", "lat", "lon", "kind", "country", "source")


@dataclass(frozen=True)
class Place:
    """A named point.

    Parameters
    ----------
    name : str
        Display name.
    aliases : tuple of str
        Other spellings.
    lat, lon : float
        WGS84 degrees.
    kind : str
        One of :data:`KINDS`, or ``"point"`` for an ad-hoc ``LAT,LON``.
    country : str
        ISO alpha-2 code ("" when unknown).
    source : str
        Where the coordinates come from.
    """

    name: str
    aliases: tuple[str, ...]
    lat: float
    lon: float
    kind: str
    country: str
    source: str

    @property
    def lonlat(self) -> tuple[float, float]:
        return (self.lon, self.lat)

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "aliases": list(self.aliases),
            "lat": self.lat,
            "lon": self.lon,
            "kind": self.kind,
            "country": self.country,
            "source": self.source,
        }


def places_path() -> Path:
    """The gazetteer file: ``$WAKHAN_PLACES``, the source tree's ``data/places.csv``, or the wheel's copy."""
    env = os.environ.get("WAKHAN_PLACES")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    for candidate in (here.parents[1] / "data" / "places.csv", here / "_data" / "places.csv"):
        if candidate.is_file():
            return candidate
    return here.parents[1] / "data" / "places.csv"


def load_places(path: str | os.PathLike | None = None) -> list[Place]:
    """Read the gazetteer.

    Parameters
    ----------
    path : path-like, optional
        A places CSV; default :func:`places_path`.

    Raises
    ------
    DataError
        The file is missing, lacks a column, or has a row with bad coordinates.
    """
    path = Path(path) if path is not None else places_path()
    return list(
        _load_cached(str(path.resolve() if path.exists() else path), path.stat().st_mtime_ns if path.exists() else 0)
    )


@functools.lru_cache(maxsize=8)
def _load_cached(path_text: str, _mtime: int) -> tuple[Place, ...]:
    path = Path(path_text)
    if not path.is_file():
        raise DataError(f"gazetteer {path} not found; reinstall wakhan or set WAKHAN_PLACES to a places CSV")
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in _COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise DataError(
                    f"gazetteer {path} lacks the column(s) {', '.join(missing)}; it needs {', '.join(_COLUMNS)}"
                )
            places = []
            for lineno, row in enumerate(reader, start=2):
                try:
                    lat, lon = float(row["lat"]), float(row["lon"])
                except (TypeError, ValueError):
                    raise DataError(
                        f"gazetteer {path} line {lineno} has lat/lon that are not numbers; fix that row"
                    ) from None
                if not (-90 <= lat <= 90 and -180 <= lon <= 180) or not row["name"].strip():
                    raise DataError(
                        f"gazetteer {path} line {lineno} has no name or coordinates out of range; fix that row"
                    )
                aliases = tuple(a.strip() for a in (row["aliases"] or "").split(";") if a.strip())
                places.append(
                    Place(
                        row["name"].strip(),
                        aliases,
                        lat,
                        lon,
                        (row["kind"] or "").strip(),
                        (row["country"] or "").strip().upper(),
                        (row["source"] or "").strip(),
                    )
                )
    except UnicodeDecodeError:
        raise DataError(f"gazetteer {path} is not UTF-8 text; save it as UTF-8 CSV") from None
    if not places:
        raise DataError(f"gazetteer {path} has no places; add rows or point WAKHAN_PLACES elsewhere")
    return tuple(places)


def _parse_latlon(text: str) -> Place | None:
    parsed = parse_latlon(text)
    if parsed is None:
        return None
    lat, lon = parsed
    if not -90 <= lat <= 90:
        raise InputError(f"{text!r}: latitude {lat:g} is outside -90..90; give LAT,LON (latitude first)")
    if not -180 <= lon <= 180:
        raise InputError(f"{text!r}: longitude {lon:g} is outside -180..180; give LAT,LON in degrees")
    return Place(f"{lat:.5f},{lon:.5f}", (), lat, lon, "point", "", "coordinates given by the user")


def resolve(text: str, places: list[Place] | None = None) -> Place:
    """The place a user means by ``text``: a name, an alias, or ``"LAT,LON"``.

    Names are compared after :func:`normalize_name` (so accents are ignored); a display name wins
    over an alias of another place. A name may be followed by its country, ``"Kabul, Afghanistan"``
    or ``"Kabul, AF"``; a country that is not the place's own is refused.

    Parameters
    ----------
    text : str
        What the user typed.
    places : list of Place, optional
        The gazetteer (default :func:`load_places`).

    Returns
    -------
    Place

    Raises
    ------
    InputError
        Unknown name (the message lists the closest matches, or for a name in a script the
        gazetteer barely knows, asks for the Latin spelling), the wrong country, or coordinates
        out of range.

    Examples
    --------
    >>> resolve("Tāshqurghān").name, resolve("Kabul, Afghanistan").name, resolve("喀什").name
    ('Tashkurgan', 'Kabul', 'Kashgar')
    >>> resolve("Kabul, China")
    Traceback (most recent call last):
    ...
    wakhan.errors.InputError: place 'Kabul, China': Kabul is in Afghanistan, not 'China'; give 'Kabul' alone or with ', Afghanistan'
    """
    text = (text or "").strip()
    if not text:
        raise InputError("an empty place name was given; give a name from `wakhan places` or LAT,LON")
    point = _parse_latlon(text)
    if point is not None:
        return point
    places = load_places() if places is None else places
    key = normalize_name(text)
    found = match_name(key, places) or with_country(text, places)
    if found is not None:
        return found
    if not is_latin(text):
        example = next((p.name for p in places if p.kind == "city"), places[0].name)
        raise InputError(
            f"unknown place {text!r}: the gazetteer knows only a few names outside the Latin alphabet; "
            f"try the Latin spelling, e.g. {example.lower()} (run `wakhan places` for the list)"
        )
    names: dict[str, str] = {}
    for p in places:
        for label in (p.name, *p.aliases):
            names.setdefault(normalize_name(label), p.name)
    close = difflib.get_close_matches(key, list(names), n=8, cutoff=0.6)
    suggestions = list(dict.fromkeys(names[c] for c in close))[:3]
    hint = f"did you mean {' or '.join(suggestions)}?" if suggestions else "no similar name is known"
    raise InputError(f"unknown place {text!r} ({hint}); run `wakhan places` for the list or give LAT,LON")


def nearest_place(
    lon: float, lat: float, max_km: float, kinds=None, places: list[Place] | None = None
) -> tuple[Place, float] | None:
    """The gazetteer place nearest to ``(lon, lat)`` within ``max_km``, with its distance in km.

    Parameters
    ----------
    kinds : iterable of str, optional
        Only consider these kinds (e.g. ``("pass",)``).

    Returns
    -------
    (Place, float) or None
        None when no place of those kinds lies within ``max_km``.
    """
    places = load_places() if places is None else places
    if kinds is not None:
        kinds = {kinds} if isinstance(kinds, str) else set(kinds)
        places = [p for p in places if p.kind in kinds]
    best = None
    for p in places:
        d = float(haversine_km(lon, lat, p.lon, p.lat))
        if d <= max_km and (best is None or d < best[1]):
            best = (p, d)
    return best


def gazetteer_name(name: str | None, places: list[Place] | None = None) -> str:
    """A data source's spelling of a place as the gazetteer's display name, for tables a reader compares.

    Settlement sources spell places their own way (GeoNames' "Tashqorghan" and "Khandūd" beside the
    gazetteer's "Tashkurgan" and "Khandud"). A name that is one of the gazetteer's names or aliases
    (compared as :func:`resolve` does) becomes its display name; any other name is returned unchanged.

    Parameters
    ----------
    name : str or None
        The source's name; None or "" gives "-".
    places : list of Place, optional
        The gazetteer (default :func:`load_places`).

    Returns
    -------
    str

    Examples
    --------
    >>> gazetteer_name("Tashqorghan"), gazetteer_name("Khandūd"), gazetteer_name("Gahkuch"), gazetteer_name(None)
    ('Tashkurgan', 'Khandud', 'Gahkuch', '-')
    >>> gazetteer_name("37.1,74.2")  # coordinates are not a name: kept as given
    '37.1,74.2'
    """
    if not name:
        return "-"
    try:
        if parse_latlon(name) is not None:
            return name
        return resolve(name, places).name
    except InputError:
        return name


_COMPASS_8 = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")


def _compass(lon1: float, lat1: float, lon2: float, lat2: float) -> str:
    """The 8-point compass direction of the initial bearing from point 1 to point 2 (pyproj's WGS84 geodesic)."""
    from pyproj import Geod  # lazy: only the report's whereabouts need it

    bearing = float(Geod(ellps="WGS84").inv(lon1, lat1, lon2, lat2)[0]) % 360.0
    return _COMPASS_8[int((bearing + 22.5) // 45) % 8]


def whereabouts(lon: float, lat: float, n: int = 2, places: list[Place] | None = None) -> str:
    """Where a point lies, in words a reader can check on a map: its distance and direction from the
    ``n`` nearest gazetteer places.

    A point in open country (the corridor's most remote cell) has no name of its own; naming it
    after a valley it is not in misleads, so it is placed from named places instead.

    Parameters
    ----------
    lon, lat : float
        WGS84 degrees.
    n : int
        How many places to name (nearest first).
    places : list of Place, optional
        The gazetteer (default :func:`load_places`).

    Returns
    -------
    str
        e.g. "35 km N of Wakhjir Pass, 42 km NE of Bozai Gumbaz" (distances rounded to the km).

    Examples
    --------
    >>> whereabouts(74.35, 37.39)
    '35 km N of Wakhjir Pass, 42 km NE of Bozai Gumbaz'
    """
    places = load_places() if places is None else places
    named = [p for p in places if p.kind != "point"]
    if not named:
        raise InputError("the gazetteer has no named places to describe a point by; add rows to it")
    dist = [float(haversine_km(lon, lat, p.lon, p.lat)) for p in named]
    order = sorted(range(len(named)), key=dist.__getitem__)[: max(1, n)]
    return ", ".join(
        f"{dist[i]:.0f} km {_compass(named[i].lon, named[i].lat, lon, lat)} of {named[i].name}" for i in order
    )
