"""Held-back Swiss roads that both road benchmarks re-route (`road_realism.py`, `route_lengths.py`).

Never used to fit anything: the earthworks weight and the road-length model were fixed before they
were added. Source and licence of each file: tests/data/roads/README.md.
"""

#: Three more stretches of the Grand Tour track (MIT), short valley roads at the tile's edges.
LATER = ("schuepfheim-entlebuch", "osogna-biasca", "moerel-bitsch")
#: Fourteen pass and foothill roads from a second public source, OpenStreetMap roads as drawn into
#: Strava routes (ODbL), 4.6-27 km, none sharing road with the fit roads.
OSM = (
    "innertkirchen-susten",
    "innertkirchen-grimsel",
    "airolo-nufenen",
    "linthal-klausen",
    "disentis-oberalp",
    "wassen-susten",
    "olivone-lukmanier",
    "willigen-grosse-scheidegg",
    "buerglen-urigen",
    "sarnen-glaubenberg",
    "ulrichen-nufenen",
    "muotathal-pragel",
    "andermatt-oberalp",
    "meiringen-hohfluh",
)
