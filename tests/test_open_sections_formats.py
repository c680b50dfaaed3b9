"""``open_all_year`` sections from any vector layer pyogrio reads, not only GeoJSON.

The layers are written here with pyogrio from the bundled GeoJSON's G314 (the road's line, its section
from Kashgar to Tashkurgan and that section's source), as GeoPackage, shapefile (whose 10-character field
names cut ``open_all_year`` to ``open_all_y``), FlatGeobuf and a GeoPackage in UTM 43N (EPSG:32643); and as
KML written out by hand, as Google Earth and QGIS write it. The
independent expectation is what the bundled GeoJSON gives: its G314 section, and the exemption that gives
the 4,066 m col near Karakul (38.269731 N 74.916297 E, on the G314 between Kashgar and Tashkurgan) while
the Wakhjir Pass (beyond the section) keeps its closure.
"""

from __future__ import annotations

import json
import re
import warnings

import numpy as np
import pyogrio
import pyogrio.raw
import pytest
import shapely
from pyproj import Transformer

from wakhan.claims.kept_open import kept_open, open_sections_of
from wakhan.cli import run
from wakhan.errors import InputError
from wakhan.plan.existing import bundled_roads_path
from wakhan.plan.open_sections import TOWN_MATCH_KM, read_open_sections

_DOC = json.loads(bundled_roads_path().read_text(encoding="utf-8"))
(_G314,) = [f for f in _DOC["features"] if f["properties"]["id"] == "g314-kkh"]
#: the G314 / Karakoram Highway line of the bundled file, and its one open_all_year section
ROAD = shapely.LineString(_G314["geometry"]["coordinates"])
(SECTION,) = _G314["properties"]["open_all_year"]
COL = {"name": None, "elevation_m": 4066.1, "lat": 38.269731, "lon": 74.916297, "closed_months": 4.1}
WAKHJIR = {"name": "Wakhjir Pass", "elevation_m": 4859.4, "lat": 37.096054, "lon": 74.484096, "closed_months": 4.9}
#: the shapefile format's longest text value
SHAPEFILE_TEXT_CHARS = 254


def _write(path, lines, crs="EPSG:4326", **fields):
    """A line layer at ``path`` (driver from its extension) with one row per line and ``fields``."""
    data = [
        np.asarray(v, dtype=None if all(isinstance(x, (bool, int)) for x in v) else object) for v in fields.values()
    ]
    with warnings.catch_warnings():  # GDAL's expected ones: no CRS, a shapefile's cut names and text
        warnings.simplefilter("ignore")
        pyogrio.raw.write(
            path,
            shapely.to_wkb(np.asarray(lines, dtype=object)),
            geometry_type="LineString",
            field_data=data,
            fields=list(fields),
            crs=crs,
            driver="KML" if path.suffix == ".kml" else None,  # GDAL's own KML writer (LIBKML may be there too)
        )
    return path


def _in_utm43(line):
    to = Transformer.from_crs("EPSG:4326", "EPSG:32643", always_xy=True)
    return shapely.transform(line, lambda xy: np.column_stack(to.transform(xy[:, 0], xy[:, 1])))


def _flag_layer(path, line, crs="EPSG:4326", **extra):
    """The G314 and a second road that is not open (Wakhan road's own line, open_all_year False)."""
    wakhan = shapely.LineString([(72.58075, 37.0007), (73.0, 37.0015), (73.44652, 37.00231)])
    if crs != "EPSG:4326":
        wakhan = _in_utm43(wakhan)
    fields = dict(open_all_year=[True, False], road=["G314", "W1"], source=[SECTION["source"], None])
    fields |= {"from": [SECTION["from"], None], "to": [SECTION["to"], None]}
    return _write(path, [line, wakhan], crs, **(fields | extra))


def _kml_layer(path):
    """The G314 as a KML file written out as Google Earth, QGIS and GDAL write one: the fields in a
    ``Schema``, each placemark's values in ``ExtendedData/SchemaData`` (not through GDAL's KML writer,
    whose mapping of fields differs between versions: GDAL 3.11's puts the first two in name/description)."""
    from xml.sax.saxutils import escape

    fields = {"open_all_year": "true", "road": "G314", "source": SECTION["source"]}
    fields |= {"from": SECTION["from"], "to": SECTION["to"]}
    coords = " ".join(f"{x!r},{y!r}" for x, y in ROAD.coords)
    schema = "".join(f'<SimpleField name="{k}" type="string"/>' for k in fields)
    data = "".join(f'<SimpleData name="{k}">{escape(str(v))}</SimpleData>' for k, v in fields.items())
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        f'<Schema name="roads" id="roads">{schema}</Schema><Folder><name>roads</name><Placemark>'
        f'<ExtendedData><SchemaData schemaUrl="#roads">{data}</SchemaData></ExtendedData>'
        f"<LineString><coordinates>{coords}</coordinates></LineString></Placemark></Folder></Document></kml>",
        encoding="utf-8",
    )
    return path


LAYERS = {
    "gpkg": lambda d: _flag_layer(d / "roads.gpkg", ROAD),
    "shapefile": lambda d: _flag_layer(d / "roads.shp", ROAD),
    "flatgeobuf": lambda d: _flag_layer(d / "roads.fgb", ROAD),
    "kml": lambda d: _kml_layer(d / "roads.kml"),
    "gpkg-utm43": lambda d: _flag_layer(d / "utm.gpkg", _in_utm43(ROAD), crs="EPSG:32643"),
    # the list of the GeoJSON as JSON text, as ogr2ogr writes it to a GeoPackage
    "gpkg-json-list": lambda d: _write(d / "list.gpkg", [ROAD], id=["g314-kkh"], open_all_year=[json.dumps([SECTION])]),
    # the section's own line, flagged "yes" in text, named in full: no towns to cut it between
    "gpkg-section-line": lambda d: _write(
        d / "section.gpkg",
        [shapely.LineString(read_open_sections()[0].lonlat)],
        open_all_year=["yes"],
        name=["G314 Kashgar - Tashkurgan"],
        source=[SECTION["source"]],
    ),
}


@pytest.mark.parametrize("kind", list(LAYERS))
def test_each_format_gives_the_bundled_geojsons_section_and_exemption(kind, tmp_path):
    if kind == "kml" and not {"KML", "LIBKML"} & set(pyogrio.list_drivers()):
        pytest.skip("this GDAL reads no KML")
    (bundled,) = read_open_sections()  # the expectation: the bundled GeoJSON
    f = LAYERS[kind](tmp_path)
    (section,) = read_open_sections(f)
    assert section.name == bundled.name == "G314 Kashgar - Tashkurgan"
    if kind == "shapefile":  # the format keeps 254 characters of text: the source arrives cut
        assert pyogrio.read_info(f)["fields"].tolist()[0] == "open_all_y"  # what the shapefile named the field
        assert section.source == bundled.source[:SHAPEFILE_TEXT_CHARS]
    else:
        assert section.source == bundled.source
    assert len(section.lonlat) == len(bundled.lonlat)
    assert np.allclose(section.lonlat, bundled.lonlat, rtol=0, atol=1e-7)  # 1 cm; UTM there and back
    expected = kept_open(COL, [bundled])
    got = kept_open(COL, [section])
    assert expected["closed_months"] == got["closed_months"] == 0.0
    assert got["closure_reason"].startswith("kept open all year: G314 Kashgar - Tashkurgan (")
    if kind != "shapefile":
        assert got == expected
    assert kept_open(WAKHJIR, [section]) == kept_open(WAKHJIR, [bundled]) == WAKHJIR


def test_the_users_gpkg_counts_beside_the_bundled_layer(tmp_path):
    """Through the path the CLI takes: the bundled sections, then the user's (no longer only GeoJSON's)."""
    from wakhan.claims.case_study import existing_infrastructure

    f = _write(
        tmp_path / "wakhan.gpkg",
        [shapely.LineString([(72.58075, 37.0007), (73.0, 37.0015), (73.44652, 37.00231)])],
        open_all_year=[1],
        road=["W1"],
        source=["a hand-built test source"],
    )
    names = [s.name for s in open_sections_of(existing_infrastructure(f)["roads"])]
    assert names == ["G314 Kashgar - Tashkurgan", "W1"]


def test_a_layer_without_open_all_year_or_with_none_open_gives_no_sections(tmp_path):
    assert read_open_sections(_write(tmp_path / "plain.gpkg", [ROAD], name=["G314"])) == []
    assert read_open_sections(_write(tmp_path / "shut.gpkg", [ROAD], crs=None, open_all_year=["No"])) == []


def _bad(tmp_path, **fields):
    base = dict(open_all_year=[True], road=["G314"], source=[SECTION["source"]])
    base |= {"from": ["Kashgar"], "to": ["Tashkurgan"]}
    return (base | fields), tmp_path / "roads.gpkg"


BAD = {
    # Kabul (34.53 N 69.17 E) lies 340-350 km from the road's nearest town, Thakot (34.86 N 72.92 E: 3.75 degrees
    # of longitude at 91.6 km, 0.33 of latitude at 110.6 km), and a mistake for Tashkurgan would exempt the
    # whole Karakoram Highway south of Kashgar, the Khunjerab included
    "a town off the road": ({"to": ["Kabul"]}, r"names Kabul, which lies 3[34]\d km from the road's line"),
    "a town not in the gazetteer": ({"to": ["Tashkurgn"]}, "towns named in the gazetteer"),
    "one town only": ({"to": [None]}, "needs 'from' and 'to' towns"),
    "no source": ({"source": [None]}, "names no source"),
    "a flag that is no flag": ({"open_all_year": ["maybe"]}, "open_all_year is 'maybe', which is neither true/false"),
    "a number that is no flag": ({"open_all_year": [2]}, "open_all_year is 2, which is neither true/false"),
}


def _one_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def _no_work(monkeypatch):
    import wakhan.claims
    import wakhan.plan.compare

    def started(*a, **k):
        raise AssertionError("work started before --roads was checked")

    monkeypatch.setattr(wakhan.claims, "run_claims", started)
    monkeypatch.setattr(wakhan.plan.compare, "compare_routes", started)


@pytest.mark.parametrize("case", list(BAD))
@pytest.mark.parametrize("command", ["claims", "compare"])
def test_a_bad_gpkg_section_is_one_sentence_naming_file_and_row_exit_2_no_output(
    command, case, tmp_path, capsys, monkeypatch
):
    _no_work(monkeypatch)
    change, words = BAD[case]
    fields, f = _bad(tmp_path, **change)
    _write(f, [ROAD], **fields)
    out = tmp_path / "out"
    assert run([command, "--roads", str(f), "-o", str(out)]) == 2
    line = _one_line(capsys.readouterr().err)
    assert f"roads file {f}, feature 1 (G314)" in line and re.search(words, line), line
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("command", ["claims", "compare"])
def test_a_shapefile_without_crs_is_refused_when_it_has_open_sections(command, tmp_path, capsys, monkeypatch):
    """No .prj: where the section lies is unknown, so it cannot exempt anything (without sections the
    same file is read as longitude/latitude for routing, :func:`wakhan.plan.roads.read_roads`)."""
    _no_work(monkeypatch)
    fields, _ = _bad(tmp_path)
    f = _write(tmp_path / "roads.shp", [ROAD], crs=None, **fields)
    assert not f.with_suffix(".prj").exists()
    out = tmp_path / "out"
    assert run([command, "--roads", str(f), "-o", str(out)]) == 2
    line = _one_line(capsys.readouterr().err)
    assert str(f) in line and "no coordinate reference system" in line and "give the file its CRS" in line
    assert not out.exists() or not any(out.iterdir())
    assert read_open_sections(_write(tmp_path / "plain.shp", [ROAD], crs=None, road=["G314"])) == []


def test_metres_labelled_as_degrees_are_refused(tmp_path):
    f = _flag_layer(tmp_path / "roads.gpkg", _in_utm43(ROAD), crs="EPSG:4326")
    f2 = _write(tmp_path / "r2.gpkg", [_in_utm43(ROAD)], **_bad(tmp_path)[0])
    for path in (f, f2):
        with pytest.raises(InputError, match="do not fall on Earth in it"):
            read_open_sections(path)


def test_an_end_just_within_the_stated_distance_cuts_the_section(tmp_path):
    """The Wakhan road from Qala-e Panja to Sarhad-e Broghil runs east at 37.00 N: an end given as LAT,LON
    due north of Sarhad-e Broghil (73.44652 E 37.00231 N) by 0.1 km less than TOWN_MATCH_KM is on the road,
    by 0.1 km more it is not (110.6-111.0 km a degree of latitude: 0.4 %, well inside 0.1 km in 5)."""
    line = shapely.LineString([(72.58075, 37.0007), (73.0, 37.0015), (73.44652, 37.00231)])
    for off_km, ok in ((TOWN_MATCH_KM - 0.1, True), (TOWN_MATCH_KM + 0.1, False)):
        end = f"{37.00231 + off_km / 111.0:.5f},73.44652"
        f = _write(
            tmp_path / f"{ok}.gpkg",
            [line],
            open_all_year=["y"],
            road=["W1"],
            source=["s"],
            **{"from": ["Qala-e Panja"], "to": [end]},
        )
        if ok:
            (s,) = read_open_sections(f)
            assert s.name == f"W1 Qala-e Panja - {end}"
            assert np.allclose([s.lonlat[0], s.lonlat[-1]], [line.coords[0], line.coords[-1]], atol=1e-6)
        else:
            with pytest.raises(InputError, match="km from the road's line"):
                read_open_sections(f)
