"""Build ``data/infrastructure/existing_roads.geojson``: approximate alignments of the existing highways.

Each highway is given as the towns and passes it is published to run through
(the gazetteer ``data/places.csv`` and the Salang tunnel portals of
``existing_structures.geojson``). Between consecutive towns the alignment is the
least-cost highway path on the bundled region pack (464 m grid): the valley a
road of that grade would take, not a surveyed centre line. The lines are
simplified to 0.003 degrees (about 300 m) and stored with their via points, so
that ``wakhan claims`` can price the stretches on them as upgrades.

Run from the repository root::

    PYTHONPATH=src python3 scripts/build_existing_roads.py
"""

from __future__ import annotations

import json
from pathlib import Path

import shapely

from wakhan.fileio import atomic_write
from wakhan.plan.plan import plan_route

OUT = Path(__file__).resolve().parents[1] / "data" / "infrastructure" / "existing_roads.geojson"
SALANG_NORTH = "35.3325,69.0343"
SALANG_SOUTH = "35.3116,69.0196"
HAVELIAN = "34.0530,73.2570"

#: id -> the sections kept open all year (two via towns and the public sources that say so;
#: data/infrastructure/SOURCES.md). ``wakhan claims`` leaves a crossing on one of them open in winter.
OPEN_ALL_YEAR = {
    "g314-kkh": [
        {
            "road": "G314",
            "from": "Kashgar",
            "to": "Tashkurgan",
            "source": (
                "open all year except the Khunjerab Pass beyond Tashkurgan: the Karakoram Highway is open all year "
                "but for the Khunjerab Pass (srchaudhary.com, 2 June 2021); its Xinjiang section is driven in early "
                "February past the frozen Bulungkol (Baisha) lake (China News Service, ecns.cn, 8 February 2022); in "
                "winter the Kashgar-Tashkurgan buses stop and snow can block the road for hours, but hired cars drive"
                " it (kashgartravel.com, 'Winter in Tashkurgan on Pamir Plateau'); the closure is the Khunjerab "
                "border crossing's, 1 December - 1 April by agreement (data/pass_closures.csv)"
            ),
        }
    ],
}

#: id -> the road's surface where it is not a highway, and the public sources that say so. The claims price
#: the road as an upgrade and report it priced as a new road (wakhan.claims.track_cost).
SURFACE = {
    "wakhan-road": {
        "surface": "unpaved track",
        "surface_source": (
            "the Eshkashem-Gaz Khan road, 122 km of it, is unpaved, 4x4 vehicles only, with river crossings "
            "without bridges (dangerousroads.org/asia/afghanistan/6323-eshkashem-gaz-khan-road.html); beyond "
            "Ishkashim the road runs as a track over the stony river bed, the large streams unbridged "
            "(windstopper.com, 'The Wakhan Corridor Journey', adventure diaries); Ishkashim to Sarhad-e Broghil, "
            "194 km, cycled on a dirt road (breakingthecycle.education, 'Into the Wakhan Corridor', blog 27); "
            "priced as an upgrade in the claims, with a sensitivity pricing it as a new road "
            "(wakhan.claims.track_cost)"
        ),
    },
}

#: (id, name, via points, countries, published description with source)
HIGHWAYS = (
    (
        "g314-kkh",
        "China National Highway 314 and the Karakoram Highway (N-35)",
        (
            "Kashgar",
            "Upal",
            "Tashkurgan",
            "Khunjerab Pass",
            "Sost",
            "Karimabad",
            "Gilgit",
            "Chilas",
            "Dasu",
            "Thakot",
            "Abbottabad",
            HAVELIAN,
        ),
        None,
        "G314 Kashgar-Upal-Karakul-Tashkurgan-Khunjerab (Wikipedia 'China National Highway 314'); "
        "KKH/N-35 Khunjerab-Sost-Hunza-Gilgit-Chilas-Dasu-Thakot-Abbottabad-Havelian (Wikipedia 'Karakoram Highway')",
    ),
    (
        "af-ring-north",
        "Afghan road Ishkashim-Faizabad-Kunduz-Pul-i-Khumri-Salang tunnel-Charikar-Kabul",
        ("Ishkashim", "Zebak", "Baharak", "Faizabad", "Keshem", "Taloqan", "Kunduz", "Pul-i-Khumri", SALANG_NORTH),
        ("AF",),
        "Ishkashim-Zebak-Baharak-Faizabad road and the Faizabad-Keshem-Taloqan-Kunduz road (AH76/AH7); Kunduz-"
        "Pul-i-Khumri-Salang-Charikar-Kabul (Wikipedia 'Salang Pass', 'Salang Tunnel'); north of the Salang tunnel",
    ),
    (
        "af-salang-south",
        "Salang road south of the tunnel: Charikar and Kabul",
        (SALANG_SOUTH, "Charikar", "Kabul"),
        ("AF",),
        "Salang tunnel - Jabal Saraj - Charikar - Kabul (Wikipedia 'Salang Pass')",
    ),
    (
        "wakhan-road",
        "Wakhan road as far as built: Ishkashim-Qala-e Panja-Sarhad-e Broghil",
        ("Ishkashim", "Qala-e Panja", "Sarhad-e Broghil"),
        ("AF",),
        "the Wakhan road ends at Sarhad-e Broghil (wakhan.claims.case_study.EXISTING_ROAD_FROM)",
    ),
)


def main() -> None:
    features = []
    for key, name, via, within, source in HIGHWAYS:
        route = plan_route(list(via), within=within, places=None, neighbours=16)
        line = shapely.LineString(list(zip(route.profile.lon.tolist(), route.profile.lat.tolist())))
        line = shapely.simplify(line, 0.003)
        coords = [[round(x, 4), round(y, 4)] for x, y in line.coords]
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "id": key,
                    "name": name,
                    "via": [str(v) for v in via],
                    "length_km": round(float(route.summary.length_km), 1),
                    "source": source,
                    **SURFACE.get(key, {}),
                    **({"open_all_year": OPEN_ALL_YEAR[key]} if key in OPEN_ALL_YEAR else {}),
                    "accuracy": "approximate: least-cost highway path on the region pack's 464 m grid between the "
                    "published towns and passes, simplified to about 300 m; not a surveyed alignment",
                },
                "geometry": {"type": "LineString", "coordinates": coords},
            }
        )
        print(key, route.summary.length_km, len(coords))
    doc = {"type": "FeatureCollection", "name": "existing_roads", "features": features}
    with atomic_write(OUT) as fh:
        fh.write(json.dumps(doc, indent=1) + "\n")


if __name__ == "__main__":
    main()
