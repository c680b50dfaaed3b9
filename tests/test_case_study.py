"""The case study's constants live in wakhan.claims.case_study alone; the route layer stays generic."""

import ast
import inspect
import pathlib

from wakhan.claims import case_study as cs
from wakhan.places import resolve

SRC = pathlib.Path(__file__).resolve().parents[1] / "src" / "wakhan"


def test_compare_routes_has_no_case_study_defaults():
    from wakhan.plan import compare

    sig = inspect.signature(compare.compare_routes)
    for name in ("start", "end", "variants"):
        assert sig.parameters[name].default is inspect.Parameter.empty
    assert not hasattr(compare, "DEFAULT_VARIANTS") and not hasattr(compare, "KARAKORAM_HIGHWAY_VIA")


def test_route_ids_and_ends_are_written_only_in_case_study():
    # "infiltration" is left out: it is also the name of a claims.json section, not only a route id
    ids = {cs.WAKHAN_HIGHWAY, cs.EXISTING_ROAD, cs.KARAKORAM_HIGHWAY, cs.UNCONSTRAINED, cs.START, cs.END}
    found = []
    for path in SRC.rglob("*.py"):
        if path.name == "case_study.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in ids:
                found.append(f"{path.relative_to(SRC)}:{node.lineno} {node.value!r}")
    assert not found, found


def test_via_points_are_gazetteer_places_in_order_of_the_roads():
    # every via point resolves, and each road runs the right way: the Karakoram Highway leaves China over
    # the Khunjerab Pass (4,693 m, the CN-PK border) and ends at Jalalabad, west of Torkham
    # (the existing road's via list holds the Salang tunnel's portals as Places, not gazetteer names: issue 19)
    from wakhan.plan.waypoints import resolve_waypoints

    for v in cs.HIGHWAY_VARIANTS:
        places = resolve_waypoints([cs.START, *v.via, cs.END])
        assert places[0].name == "Kashgar" and places[-1].name == "Kabul"
    kkh = [resolve(n) for n in cs.KARAKORAM_HIGHWAY_VIA]
    assert kkh.index(resolve("Khunjerab Pass")) < kkh.index(resolve("Gilgit")) < kkh.index(resolve("Peshawar"))
    road = cs.variant(cs.EXISTING_ROAD)
    assert road.existing_from in road.via and road.via[0] == "Wakhjir Pass"
    assert cs.HIGHWAY_ROUTES == (cs.WAKHAN_HIGHWAY, cs.EXISTING_ROAD, cs.KARAKORAM_HIGHWAY, cs.UNCONSTRAINED)


def test_corridor_readings_run_west_to_east_inside_afghanistan():
    # Ishkashim lies near 71.6 E and the Wakhjir Pass (the AF-CN border) near 74.6 E: every meridian between
    east = [d.east_of_lon for d in cs.DEFINITIONS]
    assert east == sorted(east)
    assert resolve("Ishkashim").lon < east[0] + 0.1 and east[-1] < resolve("Wakhjir Pass").lon
    assert cs.DEFAULT_DEFINITION is cs.DEFINITIONS[0]
