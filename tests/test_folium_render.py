"""Folium pages render their elements once: data that look like Jinja stay text
(geoplan.ui.folium_render), on the unit map, the choropleths, legends and in streamlit-folium's
strings, and an ordinary page is the same as with folium's own rendering."""

from __future__ import annotations

import re

import folium
import folium.map
import pytest
import streamlit_folium
from branca.element import MacroElement

from geoplan.testing.data import hand_made_units, square_areas, units_frame
from geoplan.ui import folium_render
from geoplan.ui.mapview import build_map
from geoplan.vocab import DEFAULT_UNIT_TYPES, Term, Vocabulary

EXPRESSION = "Storgata {{ 7*7 }} {{ this.__class__.__name__ }}"
BROKEN = "Bakgata {% if %} {# x"


def _units(street: str):
    records = hand_made_units()
    records[1]["street"] = street
    return units_frame(records)


@pytest.mark.parametrize("street", [EXPRESSION, BROKEN])
def test_a_street_that_looks_like_a_template_stays_text(street):
    m = build_map(_units(street), None, DEFAULT_UNIT_TYPES)
    page = m.get_root().render()  # folium's own rendering: once stopped by "{% if %}"
    assert street in page
    assert "Storgata 49" not in page
    leaflet = streamlit_folium._get_map_string(m)  # what st_folium sends to the browser
    assert street in leaflet


def test_an_area_name_and_a_type_label_stay_text():
    areas = square_areas(names=["Nord {{ 6*7 }}", "Sør {% raw %}"])
    types = Vocabulary([Term("ordinary", "Bolig {{ 2+2 }}", "Unit {{ 2+2 }}")])
    page = build_map(units_frame(hand_made_units()), areas, types).get_root().render()
    assert "Nord {{ 6*7 }}" in page and "Nord 42" not in page
    assert "Sør {% raw %}" in page
    assert "Bolig {{ 2+2 }}" in page and "Bolig 4" not in page


def test_a_popup_with_braces_stays_text():
    m = folium.Map()
    folium.Marker([60.9, 11.6], popup=folium.Popup("Pris {{ 1+1 }}")).add_to(m)
    page = m.get_root().render()
    assert "Pris {{ 1+1 }}" in page and "Pris 2" not in page


def _ids_free(text: str) -> str:
    """The page without its random element ids and with whitespace collapsed."""
    return " ".join(re.sub(r"_[0-9a-f]{32}", "_ID", text).split())


def test_an_ordinary_page_is_the_same_as_folium_renders_it(monkeypatch):
    areas = square_areas(names=["Sentrum", "Leiret"])

    def page() -> str:
        return build_map(units_frame(hand_made_units()), areas, DEFAULT_UNIT_TYPES).get_root().render()

    ours = page()
    monkeypatch.setattr(MacroElement, "render", folium_render.ORIGINAL_MACRO_RENDER)
    monkeypatch.setattr(folium.map.Popup, "render", folium_render.ORIGINAL_POPUP_RENDER)
    theirs = page()
    assert _ids_free(ours) == _ids_free(theirs)
    assert len(ours) > 10_000


def test_install_is_idempotent():
    folium_render.install()
    folium_render.install()
    assert MacroElement.render is folium_render.render_macro
    assert folium.map.Popup.render is folium_render.render_popup
