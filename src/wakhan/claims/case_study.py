"""The Wakhan case study's constants, in one place: route ids, variants, via-lists, corridor readings.

The generic route layer (:mod:`wakhan.plan.compare`) compares any variants
between any two places; this module names the ones the claims are judged on:

* the route ids (:data:`WAKHAN_HIGHWAY`, :data:`EXISTING_ROAD`,
  :data:`KARAKORAM_HIGHWAY`, :data:`UNCONSTRAINED`, :data:`ON_FOOT`), the keys of
  routes in :class:`wakhan.claims.ClaimsResult`, ``claims.json`` and file names;
* the highway's ends (:data:`START`, :data:`END`) and :data:`HIGHWAY_VARIANTS`
  with the via-lists of the existing roads;
* the walking scenario's start, countries and DEM box;
* :data:`DEFINITIONS`: three readings of "the Wakhan Corridor" by meridian.
"""

from __future__ import annotations

from wakhan.claims.corridor import CorridorDefinition
from wakhan.plan.compare import Variant
from wakhan.plan.existing import bundled_roads_path, bundled_structures_path, portal_places, read_structures

__all__ = [
    "DEFAULT_DEFINITION",
    "DEFAULT_VARIANTS",
    "DEFINITIONS",
    "END",
    "EXISTING_AFGHAN_ROAD_VIA",
    "EXISTING_ROAD",
    "EXISTING_ROAD_FROM",
    "HIGHWAY_ROUTES",
    "HIGHWAY_VARIANTS",
    "INFILTRATION_BBOX",
    "INFILTRATION_COUNTRIES",
    "INFILTRATION_START",
    "KARAKORAM_HIGHWAY",
    "KARAKORAM_HIGHWAY_VIA",
    "ON_FOOT",
    "PUBLISHED_PASS_ELEVATIONS",
    "SALANG_PORTALS",
    "existing_infrastructure",
    "START",
    "UNCONSTRAINED",
    "WAKHAN_HIGHWAY",
    "WALKING_HOURS_PER_DAY",
    "variant",
]

# -- route ids -------------------------------------------------------------------
#: The highway within China and Afghanistan via the Wakhjir Pass: the article's proposal.
WAKHAN_HIGHWAY = "wakhan-highway"
#: The same into Afghanistan, then the existing Afghan road via Faizabad, Kunduz and the Salang.
EXISTING_ROAD = "existing-road"
#: The existing road through Pakistan over the Khunjerab Pass.
KARAKORAM_HIGHWAY = "karakoram-highway"
#: The least-cost route with no via point and no country constraint.
UNCONSTRAINED = "unconstrained"
#: The walk from Sarhad-e Broghil to the first Chinese settlement (the article's infiltration scenario).
ON_FOOT = "infiltration"

# -- the highway -------------------------------------------------------------------
START = "Kashgar"
END = "Kabul"

#: Published heights of the named passes the routes cross (m, source), set beside the grid's
#: heights in the report: a 464 m grid of 15"/30" data lowers a narrow saddle's crest.
PUBLISHED_PASS_ELEVATIONS = {
    "Wakhjir Pass": (4923.0, "Sino-Afghan boundary treaty of 1963, via Wikipedia 'Wakhjir Pass'"),
    "Khunjerab Pass": (4693.0, "Wikipedia 'Khunjerab Pass'"),
    "Salang Pass": (3878.0, "Wikipedia 'Salang Pass'"),
    "Broghil Pass": (3798.0, "Wikipedia 'Broghil Pass'"),
}

#: The existing road from Kashgar to Kabul through Pakistan: the Karakoram Highway over the
#: Khunjerab Pass down the Hunza and Indus valleys to Abbottabad, the N-35/N-5 to Peshawar,
#: and the Khyber Pass (Torkham) to Jalalabad. Without these via points the cheapest
#: CN+PK+AF route turns west at Sost into the Wakhan, which is not the highway's direction.
#: Dasu is not a via point: on GLOBE's 925 m cells the town (on the Indus) sits on the valley
#: wall at 2,628 m while GLOBE's Indus runs at 780-1,150 m 3-5 km west, so a hard waypoint there
#: forced a 1,400 m climb and back (a false 2,578 m "pass"); Chilas and Thakot hold the route in
#: the Indus gorge between them.
KARAKORAM_HIGHWAY_VIA = (
    "Tashkurgan",
    "Khunjerab Pass",
    "Sost",
    "Gilgit",
    "Chilas",
    "Thakot",
    "Abbottabad",
    "Peshawar",
    "Torkham",
    "Jalalabad",
)

#: The Salang tunnel's portals, north then south (data/infrastructure/existing_structures.geojson):
#: the existing road goes through the tunnel, a fixed edge between them, not over the pass.
SALANG_PORTALS = portal_places(read_structures(bundled_structures_path())[0])

#: The existing Afghan road from the Wakhan to Kabul: down the Wakhan valley from Sarhad-e Broghil
#: (where the road ends) to Ishkashim, over Zebak and Baharak to Faizabad, west through Keshem and
#: Taloqan to Kunduz, south to Pul-i-Khumri and through the Salang tunnel to Charikar and Kabul.
EXISTING_AFGHAN_ROAD_VIA = (
    "Wakhjir Pass",
    "Sarhad-e Broghil",
    "Ishkashim",
    "Zebak",
    "Baharak",
    "Faizabad",
    "Keshem",
    "Taloqan",
    "Kunduz",
    "Pul-i-Khumri",
    *SALANG_PORTALS,
    "Charikar",
)
#: Where the existing Afghan road begins (the Wakhan road's end).
EXISTING_ROAD_FROM = "Sarhad-e Broghil"


def existing_infrastructure(roads=None) -> dict:
    """``roads`` and ``structures`` for :func:`wakhan.plan.plan.plan_route`: the bundled existing
    highways (priced as upgrades) plus ``roads`` (a user's layer or layers), and the Salang tunnel.

    Examples
    --------
    >>> from pathlib import Path
    >>> layers = existing_infrastructure("my_roads.gpkg")
    >>> [Path(p).name for p in layers["roads"]], Path(layers["structures"]).name
    (['existing_roads.geojson', 'my_roads.gpkg'], 'existing_structures.geojson')
    """
    layers = [bundled_roads_path()]
    layers += [roads] if isinstance(roads, (str, bytes)) or hasattr(roads, "__fspath__") else list(roads or [])
    return {"roads": layers, "structures": bundled_structures_path()}


#: The highway variants from :data:`START` to :data:`END`, all solved on one DEM.
HIGHWAY_VARIANTS = (
    Variant("Wakhan: CN+AF via Wakhjir Pass", ("Wakhjir Pass",), ("CN", "AF"), key=WAKHAN_HIGHWAY),
    Variant(
        "Wakhan + existing Afghan road: Ishkashim, Faizabad, Kunduz, Salang",
        EXISTING_AFGHAN_ROAD_VIA,
        ("CN", "AF"),
        key=EXISTING_ROAD,
        existing_from=EXISTING_ROAD_FROM,
    ),
    Variant(
        "Karakoram Highway alignment: Khunjerab Pass, Gilgit, Peshawar (Pakistan)",
        KARAKORAM_HIGHWAY_VIA,
        ("CN", "PK", "AF"),
        key=KARAKORAM_HIGHWAY,
    ),
    Variant("Unconstrained optimum (any country, no via)", (), key=UNCONSTRAINED),
)
#: Old name of :data:`HIGHWAY_VARIANTS` (``wakhan compare``'s default set).
DEFAULT_VARIANTS = HIGHWAY_VARIANTS
#: The route ids of :data:`HIGHWAY_VARIANTS`, in order.
HIGHWAY_ROUTES = tuple(v.key for v in HIGHWAY_VARIANTS)


def variant(key: str) -> Variant:
    """The highway variant whose id is ``key`` (one of :data:`HIGHWAY_ROUTES`).

    Examples
    --------
    >>> variant(WAKHAN_HIGHWAY).via
    ('Wakhjir Pass',)
    """
    return next(v for v in HIGHWAY_VARIANTS if v.key == key)


# -- on foot -------------------------------------------------------------------------
INFILTRATION_START = "Sarhad-e Broghil"
#: The walker crosses from Afghanistan straight into China, as the article's scenario has it
#: (a detour through Tajikistan or Pakistan would mean crossing two more borders).
INFILTRATION_COUNTRIES = ("AF", "CN")
#: (west, south, east, north) of the walking DEM: the upper Wakhan, the
#: Little Pamir and the Tashkurgan valley, with room for detours.
INFILTRATION_BBOX = (72.9, 36.55, 75.9, 38.2)
#: Hours of walking a day used to turn walking time into days.
WALKING_HOURS_PER_DAY = 8.0

# -- the corridor ----------------------------------------------------------------------
#: Three readings of "the Wakhan Corridor", widest first.
DEFINITIONS = (
    CorridorDefinition(
        "wakhan",
        71.65,
        "just east of Ishkashim, where the Panj turns north: the whole Wakhan district and the Afghan Pamirs",
    ),
    CorridorDefinition("upper-wakhan", 72.55, "the meridian of Qala-e Panja, where the Pamir and Wakhan rivers meet"),
    CorridorDefinition(
        "pamir-knot",
        73.50,
        "just east of Sarhad-e Broghil, where the Wakhan road ends: the "
        "Little Pamir (Bozai Gumbaz, near 74.0\u00b0E) and the Wakhjir valley up to the Chinese "
        "border",
    ),
)
DEFAULT_DEFINITION = DEFINITIONS[0]
