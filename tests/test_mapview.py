"""The folium map, filters and tables, tested on six hand-made units (see hand_made_units)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from jinja2.utils import htmlsafe_json_dumps

from geoplan.testing.data import XSS_ADDRESS, hand_made_units, square_areas, units_frame
from geoplan.ui.i18n import LANGS, STRINGS, t
from geoplan.ui.mapview import (
    KARTVERKET_TOPO,
    OSM,
    build_map,
    marker_data,
    safe_color,
    script_json,
)
from geoplan.ui.unit_table import (
    TABLE_COLUMNS,
    filter_units,
    to_csv_bytes,
    to_xlsx_bytes,
    units_table,
)
from geoplan.vocab import DEFAULT_UNIT_TYPES

AREA_NAMES = ["Sentrum", "Nord & <b>Øst</b>"]


def in_folium_json(text: str) -> str:
    """Return ``text`` as folium embeds it in JSON (Jinja's ``tojson``), without the quotes."""
    return str(htmlsafe_json_dumps(text))[1:-1]


@pytest.fixture(scope="module")
def units():
    return units_frame(hand_made_units())


@pytest.fixture(scope="module")
def page(units) -> str:
    areas = square_areas(names=AREA_NAMES)
    return build_map(units, areas, DEFAULT_UNIT_TYPES, "nb").get_root().render()


def test_xss_address_is_shown_as_text(page):
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<img src=x onerror" not in page
    assert XSS_ADDRESS not in page


def test_script_end_in_a_value_cannot_break_out(page):
    assert "&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in page
    assert "<script>alert(2)" not in page
    assert script_json(["</script>"]) == '["<\\/script>"]'


def test_legend_lists_present_types_with_counts(page):
    for label in ("Ordinær utleiebolig (2)", "Omsorgsbolig (2)", "Flyktningbolig (1)",
                  "Ungdomsbolig (1)"):
        assert label in page
    assert "Akuttbolig" not in page  # no emergency unit in the fixture
    assert "geoplan-legend" in page


def test_popup_fields_are_translated(units):
    page = build_map(units, None, DEFAULT_UNIT_TYPES, "en").get_root().render()
    assert "Care home (2)" in page
    assert "Nomination right" in page and "Rent (NOK/month)" in page
    assert "12,500" in page  # H5's rent with English separators (bokmål: 12 500)


def test_both_basemaps_with_attribution(page):
    for basemap in (KARTVERKET_TOPO, OSM):
        assert basemap.url in page
        assert in_folium_json(basemap.attribution) in page
    assert in_folium_json("© Kartverket") in page
    assert in_folium_json("© OpenStreetMap contributors") in page
    assert "L.control.layers" in page


def test_area_names_are_escaped_tooltips(page):
    tips = [f["properties"]["tip"] for f in area_features(page)]
    assert tips[0] == "<table class='geoplan-tip'><tr><th>Område</th><td>Sentrum</td></tr></table>"
    assert "<td>Nord &amp; &lt;b&gt;Øst&lt;/b&gt;</td>" in tips[1]
    assert AREA_NAMES[1] not in page


def area_features(page: str) -> list[dict]:
    """The features of the page's first area layer (AreaShapes), read back from its JSON."""
    start = page.index('{"type":"FeatureCollection"')
    data, _ = json.JSONDecoder().raw_decode(page[start:].replace("<\\/", "</"))
    return data["features"]


def test_area_geometry_round_trips_within_a_tenth_of_a_metre(units):
    areas = square_areas(names=AREA_NAMES)
    page = build_map(units, areas, DEFAULT_UNIT_TYPES, "nb").get_root().render()
    drawn = shapely.from_geojson([json.dumps(f["geometry"]) for f in area_features(page)])
    original = areas.to_crs(4326).geometry.values
    assert len(drawn) == len(original) == 2
    # 1e-6 degrees: at most 0.11 m north-south here
    assert max(shapely.hausdorff_distance(drawn, original)) < 1e-6


def test_map_fits_the_units(page):
    assert "fitBounds" in page
    assert "L.markerClusterGroup" in page and "L.circleMarker" in page


def test_local_assets_replace_cdns(units):
    cdn = build_map(units, None, DEFAULT_UNIT_TYPES).get_root().render()
    assert "cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js" in cdn
    local = build_map(units, None, DEFAULT_UNIT_TYPES, asset_base="/app/static/vendor/")
    text = local.get_root().render()
    assert '<script src="/app/static/vendor/leaflet-1.9.3/leaflet.js"></script>' in text
    assert "leaflet.markercluster-1.1.0/MarkerCluster.Default.css" in text
    assert "cdn.jsdelivr" not in text and "cdnjs" not in text and "code.jquery" not in text


def test_empty_register_gives_a_map_without_markers(units):
    text = build_map(units.iloc[:0], None, DEFAULT_UNIT_TYPES).get_root().render()
    assert "L.markerClusterGroup" not in text and "L.control({position" not in text


def test_colours_are_validated():
    assert safe_color("#1f77b4") == "#1f77b4"
    assert safe_color("red;background:url(x)") == "#777777"
    assert safe_color(None) == "#777777"


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, ["H1", "H2", "H3", "H4", "H5", "H6"]),
        ({"types": ["care"]}, ["H2", "H3"]),
        ({"tenures": ["owned"]}, ["H1", "H3", "H5"]),
        ({"statuses": ["occupied"]}, ["H1", "H3", "H4", "H6"]),
        ({"target_groups": ["elderly"]}, ["H2", "H3"]),
        ({"types": ["care"], "tenures": ["owned"]}, ["H3"]),
        ({"types": ["ordinary", "youth"], "statuses": ["occupied", "repair"]},
         ["H1", "H5", "H6"]),
        ({"types": []}, []),
    ],
)
def test_filters(units, kwargs, expected):
    assert filter_units(units, **kwargs)["unit_id"].tolist() == expected


def test_units_table_labels_and_order(units):
    table = units_table(units, DEFAULT_UNIT_TYPES, "en")
    assert list(table.columns) == [t(c, "en") for c in TABLE_COLUMNS]
    h2 = table.set_index("Unit ID").loc["H2"]
    assert h2["Address"] == "Kirkegata 1B"
    assert (h2["Unit type"], h2["Tenure"], h2["Status"]) == ("Care home", "Leased-in for subletting",
                                                             "Vacant")
    assert h2["Target group"] == "The elderly"
    assert h2["Universal design"] == "No"
    assert 11.5 < h2["Longitude"] < 11.7 and 60.8 < h2["Latitude"] < 60.9
    assert table.set_index("Unit ID").loc["H5", "Target group"] == ""


def test_csv_opens_in_norwegian_excel(units):
    data = to_csv_bytes(units_table(units, DEFAULT_UNIT_TYPES, "nb"))
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    header, first = text.splitlines()[:2]
    assert header.split(";")[:3] == ["Bolig-ID", "Adresse", "Postnr."]
    assert "50,0" in first  # decimal comma


def test_xlsx_is_a_workbook(units):
    assert to_xlsx_bytes(units_table(units, DEFAULT_UNIT_TYPES)).startswith(b"PK")


def test_every_string_has_both_languages():
    assert set(LANGS) == {"nb", "en"}
    assert all(len(pair) == 2 and all(pair) for pair in STRINGS.values())
    assert t("showing", "en", shown=1, total=2) == "Showing 1 of 2 units"
    assert t("unknown-key") == "unknown-key"


def test_area_system_name_in_the_layer_control_is_escaped(units):
    areas = square_areas(names=AREA_NAMES)
    html_page = build_map(units, areas, DEFAULT_UNIT_TYPES, "nb",
                          area_label=XSS_ADDRESS).get_root().render()
    assert in_folium_json("&lt;img src=x onerror=alert(1)&gt;") in html_page
    assert "<img src=x onerror" not in html_page
    assert in_folium_json("<img src=x onerror") not in html_page


def test_addresses_can_be_switched_off(units):
    """A later public mode names no address: the table, popups and tooltips leave them out."""
    full = units_table(units, DEFAULT_UNIT_TYPES, "en")
    hidden = units_table(units, DEFAULT_UNIT_TYPES, "en", show_address=False)
    gone = set(full.columns) - set(hidden.columns)
    assert {"Address", "Longitude", "Latitude"} <= gone
    assert "Unit ID" in hidden.columns and "Unit type" in hidden.columns
    assert hidden.to_dict("records")[1]["Unit type"] == full.to_dict("records")[1]["Unit type"]
    data = marker_data(units, DEFAULT_UNIT_TYPES, "en", show_address=False)
    assert data["tip"] == -1 and data["id"] == units["unit_id"].tolist()  # tooltips: the unit ids
    assert len(data["head"]) == 1 and data["head"][0][1] == ["2408 Elverum"]  # no street line
    words = str(data)
    assert "Kirkegata" not in words and "onerror" not in words
    assert "Kirkegata 1B" in str(marker_data(units, DEFAULT_UNIT_TYPES, "en")["head"][0])
    page = build_map(units, None, DEFAULT_UNIT_TYPES, "en",
                     show_address=False).get_root().render()
    assert "Kirkegata" not in page and "onerror" not in page and "H2" in page


def popup_of(data: dict, i: int) -> list[tuple[str, str]]:
    """The popup's table of unit ``i`` as MARKER_SCRIPT builds it: (label, text) when not blank."""
    return [(label, words[k]) for label, words, index in data["rows"]
            if (k := index[i]) >= 0]


def test_marker_data_are_columns_worded_once(units):
    """Six hand-made units: every value worded and escaped once, each unit an index into them."""
    data = marker_data(units, DEFAULT_UNIT_TYPES, "en")
    assert data["id"] == ["H1", "H2", "H3", "H4", "H5", "H6"]
    assert data["lat"] == [60.8819, 60.8839, 60.8859, 60.8819, 60.8839, 60.8859]
    assert data["lon"] == [11.5623, 11.5663, 11.5703, 11.5743, 11.5783, 11.5823]
    colors = DEFAULT_UNIT_TYPES.colors()
    assert [data["colors"][k] for k in data["fill"]] == [
        colors[c] for c in ("ordinary", "care", "care", "refugee", "ordinary", "youth")]
    street, place = data["head"]
    assert street == ["", ["&lt;img src=x onerror=alert(1)&gt;", "Kirkegata 1B", "Storgata 1"],
                      [0, 1, 2, 2, 2, 2]]
    assert place == ["", ["2408 Elverum"], [0] * 6]
    assert data["tip"] == 0  # the tooltip is the address line
    status = next(r for r in data["rows"] if r[0] == "Status")
    assert status == ["Status", ["Occupied", "Vacant", "Under repair"], [0, 1, 0, 0, 2, 0]]
    group = next(r for r in data["rows"] if r[0] == "Target group")
    assert group[2][4] == -1  # H5 has no target group: the row is left out of its popup
    assert ("Rent (NOK/month)", "12,500") in popup_of(data, 4)
    assert ("m²", "31.5") in popup_of(data, 5)
    assert ("Universal design", "Yes") in popup_of(data, 2)
    assert ("Housing company", "&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;") in popup_of(
        data, 3)
    assert [label for label, _ in popup_of(data, 0)] == [
        "Unit type", "Tenure", "Status", "Target group", "Rooms", "m²", "Floor",
        "Universal design", "Wheelchair accessible", "Rent (NOK/month)", "Acquired"]


def test_unknown_unit_type_and_missing_coordinates(units):
    odd = units.copy()
    odd.loc[odd.index[0], "unit_type"] = "houseboat"
    odd.loc[odd.index[1], "x"] = float("nan")
    data = marker_data(odd, DEFAULT_UNIT_TYPES, "nb")
    assert data["id"] == ["H1", "H3", "H4", "H5", "H6"]  # H2 has no place on the map
    assert data["colors"][data["fill"][0]] == "#777777"
    assert len(data["head"][0][2]) == len(data["lat"]) == 5


def test_map_html_for_10000_units_is_small():
    """The map of 10,000 units stays under 1.5 MB (issue 14; it was 6.6 MB with one popup each)."""
    from geoplan.testing.data import synthetic_units

    many = units_frame(synthetic_units(10_000, seed=20240))
    text = build_map(many, None, DEFAULT_UNIT_TYPES).get_root().render()
    assert len(text.encode()) < 1_500_000
    assert text.count("L.circleMarker(") == 1  # one marker factory, not one call per unit


def test_many_units_are_counted_per_grid_cell(units):
    """Four units in one 250 m cell and two in the next: counts, types and the cell's size."""
    from geoplan.ui.mapview import cell_data

    cells = units.copy()
    base_x, base_y = 300_000.0, 6_750_000.0  # the south-west corner of a 250 m cell
    cells["x"] = [base_x + 10, base_x + 20, base_x + 30, base_x + 240, base_x + 260, base_x + 400]
    cells["y"] = [base_y + 10, base_y + 50, base_y + 90, base_y + 240, base_y + 10, base_y + 200]
    data = cell_data(cells, DEFAULT_UNIT_TYPES, "en", limit=10)
    assert data["size"] == 250.0 and data["n"] == [4, 2]
    # H1 ordinary, H2 care, H3 care, H4 refugee | H5 ordinary, H6 youth; most common first
    types = data["types"]
    first = [(types[data["mix"][0][k]], data["mix"][0][k + 1]) for k in range(0, 6, 2)]
    assert first == [("Care home", 2), ("Ordinary rental", 1), ("Refugee housing", 1)]
    assert data["tip"] == "{n} units in the cell (250 m)"
    assert "H1" not in str(data) and "Kirkegata" not in str(data)  # a cell names no unit
    one = cell_data(cells, DEFAULT_UNIT_TYPES, "nb", limit=1)
    assert one["n"] == [6] and one["size"] == 500.0


def test_cells_match_a_pandas_groupby_of_the_grid(units):
    """cell_data numbers its cells with one integer each (for speed); a pandas groupby on the
    cell's (column, row), sorted the same way, gives the same counts and mean places, for
    10,000 synthetic units and for cells west and south of the first unit (negative offsets)."""
    from geoplan.crs import to_display
    from geoplan.testing.data import synthetic_units
    from geoplan.ui.mapview import cell_data

    many = units_frame(synthetic_units(10_000, seed=20240))
    shifted = many.copy()
    shifted["x"], shifted["y"] = -shifted["x"] + 50_000.0, -shifted["y"]  # mirrored grid
    for frame in (many, shifted):
        for limit in (5_000, 40):
            data = cell_data(frame, DEFAULT_UNIT_TYPES, "nb", limit=limit)
            size = data["size"]
            grid = pd.DataFrame({"col": np.floor(frame["x"] / size), "row": np.floor(frame["y"] / size),
                                 "x": frame["x"], "y": frame["y"]})
            groups = grid.groupby(["col", "row"], sort=True).agg(n=("x", "size"), x=("x", "mean"),
                                                                  y=("y", "mean"))
            assert len(groups) <= limit
            assert data["n"] == groups["n"].tolist()
            lon, lat = to_display(groups["x"].to_numpy(), groups["y"].to_numpy())
            assert data["lon"] == np.round(np.asarray(lon), 6).tolist()
            assert data["lat"] == np.round(np.asarray(lat), 6).tolist()


def test_a_register_over_the_limit_is_drawn_as_cells(units):
    page = build_map(units, None, DEFAULT_UNIT_TYPES, "en", max_markers=5).get_root().render()
    assert "iconCreateFunction" in page and "units in the cell" in page
    assert "Kirkegata" not in page and "onerror" not in page
    assert "Care home (2)" in page  # the legend still counts the units by type


def test_popup_numbers_and_dates_follow_bokmal_conventions(units):
    """In bokmål: a space between thousands, a decimal comma, dates as dd.mm.åååå."""
    data = marker_data(units, DEFAULT_UNIT_TYPES, "nb")
    rent = t("monthly_rent", "nb")
    assert (rent, "12\u00a0500") in popup_of(data, 4)
    assert ("m²", "31,5") in popup_of(data, 5)
    dates = [text for i in range(6) for label, text in popup_of(data, i)
             if label == t("acquired", "nb")]
    assert dates and all(re.fullmatch(r"\d\d\.\d\d\.\d{4}", d) for d in dates)


def test_preload_hints_name_every_map_file_under_the_base_path(monkeypatch):
    """The preload hints (streamlit_app.map_preload) point at the vendored files,
    streamlit-folium's bundle and Streamlit's own chunks for a component's frame, below the
    app's base path when it has one."""
    import streamlit as st

    from geoplan.ui.map_assets import LOCAL_ASSETS
    from streamlit_app import map_preload

    options = {"server.baseUrlPath": "geoplan", "server.enableStaticServing": True}
    monkeypatch.setattr(st, "get_option", options.__getitem__)
    links = re.findall(r'<link rel="preload" href="([^"]+)" as="(script|style)">',
                       map_preload.hints())
    assert links[0][0].startswith("/geoplan/component/streamlit_folium.st_folium/static/js/main.")
    assert links[1:] == [(f"/geoplan/app/static/vendor/{path}",
                          "style" if path.endswith(".css") else "script")
                         for path in LOCAL_ASSETS.values()]
    # Streamlit's own chunks for a component's frame, as files of this Streamlit version
    modules = re.findall(r'<link rel="modulepreload" href="/geoplan/static/js/([^"]+)">',
                         map_preload.hints())
    assert [m.split(".")[0] for m in modules] == list(map_preload.STREAMLIT_CHUNKS)
    folder = Path(st.__file__).parent / "static" / "static" / "js"
    assert all((folder / m).is_file() for m in modules)


def test_preload_links_escape_and_mark_modules():
    """Scripts and style sheets get rel=preload with their kind, modules rel=modulepreload;
    every URL is escaped."""
    from geoplan.ui.map_assets import preload_links

    assert preload_links(['/a"b.js', "/c.css"], ["/m&n.js"]) == (
        '<link rel="preload" href="/a&quot;b.js" as="script">'
        '<link rel="preload" href="/c.css" as="style">'
        '<link rel="modulepreload" href="/m&amp;n.js">')
