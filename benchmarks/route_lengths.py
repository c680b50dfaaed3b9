"""Route length realism: wakhan's highway routes against published road distances in the region.

Each pair is solved with ``plan_route`` on the bundled pack (GEBCO 15" / GLOBE 30",
464 m grid, highway model at its default 7 % design grade with switchbacks, 16
neighbours, no tunnels), through the towns the road passes where it matters. The
route's geodesic length and its built length (with switchback development) are
compared with the road distance published for the same pair.

    python benchmarks/route_lengths.py            # prints the Markdown table
    python benchmarks/route_lengths.py --write    # also writes benchmarks/results/route_lengths.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

#: (waypoints, published road km, source)
PAIRS = [
    (
        ["Tashkurgan", "Khunjerab Pass"],
        130.0,
        "kashgarguide.com/kashgar-attraction/khunjerab-pass (G314: pass 130 km from Tashkurgan)",
    ),
    (
        ["Kashgar", "Tashkurgan", "Khunjerab Pass"],
        420.0,
        "kashgarguide.com/kashgar-attraction/khunjerab-pass (pass 420 km from Kashgar)",
    ),
    (
        ["Khunjerab Pass", "Sost", "Gilgit"],
        270.0,
        "kashgarguide.com/kashgar-attraction/khunjerab-pass (pass 270 km from Gilgit)",
    ),
    (
        ["Kabul", "Jalalabad"],
        143.0,
        "dangerousroads.org/asia/afghanistan/3217-kabul-jalalabad-highway.html (A01, 143 km)",
    ),
    (
        ["Jalalabad", "Torkham"],
        76.0,
        "NHA via APP: Peshawar-Kabul motorway plan, Torkham-Jalalabad 76 km (defence.pk/threads/416871)",
    ),
    (["Torkham", "Peshawar"], 50.0, "NHA via APP: Peshawar-Torkham section 50 km (defence.pk/threads/416871)"),
    (
        ["Taloqan", "Faizabad"],
        170.0,
        "scottbohlinger.com/theglobalcalifornian/tag/badakhshan (Taluqan-Fayzabad 170 km; a traveller's figure)",
    ),
]


def main(write: bool = False) -> list[dict]:
    from wakhan.plan.plan import plan_route

    rows = []
    for waypoints, published, source in PAIRS:
        s = plan_route(waypoints, buffer_km=30, places=None).summary
        rows.append(
            {
                "route": " - ".join(waypoints),
                "published_km": published,
                "length_km": s.length_km,
                "built_length_km": s.built_length_km,
                "estimated_road_km": s.estimated_road_km,
                "length_ratio": round(s.length_km / published, 3),
                "built_ratio": round(s.built_length_km / published, 3),
                "source": source,
            }
        )
    print("| route | published road km | wakhan length km | ratio | built length km | ratio | source |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['route']} | {r['published_km']:,.0f} | {r['length_km']:,.0f} | {r['length_ratio']:.2f} | "
            f"{r['built_length_km']:,.0f} | {r['built_ratio']:.2f} | {r['source']} |"
        )
    tot = sum(r["published_km"] for r in rows)
    lr = sum(r["length_km"] for r in rows) / tot
    br = sum(r["built_length_km"] for r in rows) / tot
    print(f"| all {len(rows)} | {tot:,.0f} | | {lr:.3f} | | {br:.3f} | length-weighted |")
    if write:
        out = Path(__file__).parent / "results" / "route_lengths.json"
        out.parent.mkdir(exist_ok=True)
        out.write_text(
            json.dumps({"rows": rows, "length_ratio": round(lr, 3), "built_ratio": round(br, 3)}, indent=2) + "\n"
        )
    return rows


if __name__ == "__main__":
    main(write="--write" in sys.argv)
