"""Place names as users type them: the matching key, a trailing ", <country>", and the script.

:mod:`wakhan.places` holds the gazetteer and resolves names with these; they need only a place's
``name``, ``aliases`` and ``country``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Protocol, TypeVar

from wakhan.errors import InputError

__all__ = ["COUNTRY_NAMES", "normalize_name", "match_name", "with_country", "is_latin"]


class _Place(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def aliases(self) -> tuple[str, ...]: ...
    @property
    def country(self) -> str: ...


_Named = TypeVar("_Named", bound=_Place)


def normalize_name(text: str) -> str:
    """Matching key: accents removed, lower case, letters and digits only.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> normalize_name("Qal'ah-ye Panjah"), normalize_name("Kondūz"), normalize_name("Tāshqurghān")
    ('qalahyepanjah', 'konduz', 'tashqurghan')
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in stripped.casefold() if c.isalnum())


#: Country names a user may put after a place name ("Kabul, Afghanistan"), by ISO alpha-2 code; the
#: code itself ("Kabul, AF") is accepted too.
COUNTRY_NAMES = {
    "AF": ("Afghanistan",),
    "CN": ("China", "People's Republic of China", "PRC"),
    "IN": ("India",),
    "KG": ("Kyrgyzstan", "Kyrgyz Republic"),
    "PK": ("Pakistan",),
    "TJ": ("Tajikistan",),
}


def _country_code(text: str) -> str | None:
    """The ISO code a country name or code stands for, or None when it is not one wakhan knows."""
    key = normalize_name(text)
    for code, names in COUNTRY_NAMES.items():
        if key == code.casefold() or any(key == normalize_name(n) for n in names):
            return code
    return None


def match_name(key: str, places: Sequence[_Named]) -> _Named | None:
    """The place whose display name, or else whose alias, has this matching key.

    Parameters
    ----------
    key : str
        A :func:`normalize_name` key.
    places : sequence of Place
        The gazetteer.

    Returns
    -------
    Place or None

    Examples
    --------
    >>> from wakhan.places import load_places
    >>> match_name("taxkorgan", load_places()).name, match_name("paris", load_places())
    ('Tashkurgan', None)
    """
    for p in places:
        if normalize_name(p.name) == key:
            return p
    for p in places:
        if any(normalize_name(a) == key for a in p.aliases):
            return p
    return None


def with_country(text: str, places: Sequence[_Named]) -> _Named | None:
    """``"Kabul, Afghanistan"``: the place named before the last comma, if the country after it is its own.

    Parameters
    ----------
    text : str
        What the user typed.
    places : sequence of Place
        The gazetteer.

    Returns
    -------
    Place or None
        None when ``text`` has no comma or no known place before it.

    Raises
    ------
    InputError
        The country is not the place's own (a place with no country accepts any).

    Examples
    --------
    >>> from wakhan.places import load_places
    >>> with_country("Kabul, AF", load_places()).name, with_country("Kabul", load_places())
    ('Kabul', None)
    """
    head, sep, country = text.rpartition(",")
    if not sep or not head.strip() or not country.strip():
        return None
    place = match_name(normalize_name(head), places)
    if place is None:
        return None
    code = _country_code(country)
    if place.country and code != place.country:
        own = COUNTRY_NAMES.get(place.country, (place.country,))[0]
        raise InputError(
            f"place {text!r}: {place.name} is in {own}, not {country.strip()!r}; "
            f"give {place.name!r} alone or with ', {own}'"
        )
    return place


def is_latin(text: str) -> bool:
    """Whether every letter of ``text`` is a Latin letter (accented or not).

    Parameters
    ----------
    text : str

    Returns
    -------
    bool

    Examples
    --------
    >>> is_latin("Tāshqurghān"), is_latin("Qala-e Panja 2"), is_latin("喀什"), is_latin("کابل")
    (True, True, False, False)
    """
    return all("LATIN" in unicodedata.name(c, "") for c in text if c.isalpha())
