"""Map page: filter the units, show them over an area system, list and download them."""

from __future__ import annotations

import datetime as dt

import streamlit as st
from streamlit_folium import st_folium

from geoplan.service import preferred_system
from geoplan.ui.format import num
from geoplan.ui.i18n import area_system_label, t
from geoplan.ui.mapview import build_map
from geoplan.ui.unit_table import filter_units
from geoplan.vocab import STATUS, TARGET_GROUP, TENURE, Vocabulary
from streamlit_app import loaders, map_cache, warmup
from streamlit_app.widgets import download_buttons, show_table

TABLE_ROWS = 10_000  # rows shown in the table; the downloads have every unit

lang = loaders.lang()
st.title(t("map_title", lang))  # first paint before the register is read
url, version, today = loaders.db_url(), loaders.version(), dt.date.today()
units = loaders.units(url, version, today)
types = loaders.unit_types(url, version)

if units.empty:
    st.info(t("no_units", lang))
    st.stop()


def choose(key: str, column: str, vocab: Vocabulary) -> list[str] | None:
    """Return the codes picked in a sidebar multiselect of ``column``, or None for all."""
    present = set(units[column].dropna().unique())  # 10,000 units: 2 ms for four, not 41
    options = [c for c in vocab.terms if c in present] + sorted(present - set(vocab.terms))
    picked = st.sidebar.multiselect(
        t(key, lang), options, format_func=lambda c: vocab.label(c, lang), key=key,
        placeholder=t("all", lang),
    )
    return picked or None


st.sidebar.subheader(t("filters", lang))
picked = {
    "types": choose("filter_type", "unit_type", types),
    "tenures": choose("filter_tenure", "tenure", TENURE),
    "statuses": choose("filter_status", "status", STATUS),
    "target_groups": choose("filter_target_group", "target_group", TARGET_GROUP),
}
shown = filter_units(units, **picked)
systems = loaders.area_systems(url, version)
system = st.sidebar.selectbox(
    t("area_system", lang), [None, *systems], index=[None, *systems].index(preferred_system(systems)),
    key="area_system",
    format_func=lambda s: t("no_areas", lang) if s is None else area_system_label(s, lang),
)
areas = loaders.areas(url, version, system) if system else None

st.markdown(t("showing", lang, shown=len(shown), total=len(units)))
key = map_cache.key(url, version, today, lang, **picked)
markers = map_cache.markers(*key)
m = build_map(
    shown, areas, types, lang,
    area_label=area_system_label(system, lang) if system else None,
    asset_base=loaders.asset_base(), markers=markers,
)
# returned_objects=[]: panning, zooming and hovering the map never run this script again.
st_folium(m, returned_objects=[], use_container_width=True, height=600)

st.subheader(t("table", lang))
# The table is drawn when asked for: on a first visit its grid and rows would compete with the
# map for the browser (measured in benchmarks/bench_map.py).  The downloads are always there.
TABLE_WANTED = "map_table_wanted"  # outlives the toggle, whose state goes when the page is left


def remember_table() -> None:
    """Keep the toggle's choice for the next visit to this page."""
    st.session_state[TABLE_WANTED] = st.session_state["map_show_table"]


if st.toggle(t("show_table", lang, n=len(shown)), key="map_show_table", on_change=remember_table,
             value=bool(st.session_state.get(TABLE_WANTED, False))):
    table = map_cache.table(*key)
    if len(table) > TABLE_ROWS:  # the browser draws a national register's table slowly
        st.caption(t("table_first_rows", lang, n=num(TABLE_ROWS, lang, 0),
                     total=num(len(table), lang, 0)))
    show_table(table.head(TABLE_ROWS), lang, width="stretch")
download_buttons(lambda: map_cache.table(*key), f"{t('file_stem', lang)}-{today:%Y-%m-%d}",
                 t("table", lang), lang)
warmup.start()  # the other pages' heavy imports, once per server, now that this page is drawn
