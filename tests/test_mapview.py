"""The folium map, filters and tables, tested on six hand-made units (see hand_made_units)."""

from __future__ import annotations

import html

import pytest
from jinja2.utils import htmlsafe_json_dumps

from geoplan.testing.data import XSS_ADDRESS, hand_made_units, square_areas, units_frame
from geoplan.ui.i18n import LANGS, STRINGS, t
from geoplan.ui.mapview import KARTVERKET_TOPO, OSM, build_map, marker_rows, safe_color, script_json
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
    assert "12\u00a0500" in page  # H5's rent with a Norwegian thousands separator


def test_both_basemaps_with_attribution(page):
    for basemap in (KARTVERKET_TOPO, OSM):
        assert basemap.url in page
        assert in_folium_json(basemap.attribution) in page
    assert in_folium_json("© Kartverket") in page
    assert in_folium_json("© OpenStreetMap contributors") in page
    assert "L.control.layers" in page


def test_area_names_are_escaped_tooltips(page):
    assert in_folium_json("Sentrum") in page
    assert in_folium_json(html.escape(AREA_NAMES[1])) in page
    assert in_folium_json(AREA_NAMES[1]) not in page


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
    rows = marker_rows(units, DEFAULT_UNIT_TYPES, "en", show_address=False)
    assert [r[4] for r in rows] == units["unit_id"].tolist()  # tooltips: the unit ids
    assert all("Kirkegata" not in r[3] and "onerror" not in r[3] for r in rows)
    assert any("Kirkegata" in r[3] for r in marker_rows(units, DEFAULT_UNIT_TYPES, "en"))
    page = build_map(units, None, DEFAULT_UNIT_TYPES, "en",
                     show_address=False).get_root().render()
    assert "Kirkegata" not in page and "onerror" not in page and "H2" in page
