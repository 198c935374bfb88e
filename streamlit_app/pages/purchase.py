"""Purchase test page: one candidate (map click, address or coordinates), many candidates, where to buy.

Nothing here changes the register: every result is a what-if against the cached baseline.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import streamlit as st
from streamlit_folium import st_folium

from geoplan import service
from geoplan.address import address_line
from geoplan.crs import CoordinateError, to_display
from geoplan.ui import purchase_map as pmap
from geoplan.ui import purchase_view as view
from geoplan.ui.i18n import t
from geoplan.ui.mapview import build_map
from streamlit_app import loaders, purchase_cache
from streamlit_app.widgets import candidate_source, download_buttons, purchase_header

lang = loaders.lang()
url, version, engine = loaders.db_url(), loaders.version(), loaders.engine()
today = dt.date.today()
units = loaders.units(url, version, today)
types = loaders.unit_types(url, version)

system, base, areas = purchase_header("purchase", lang)


def use_click() -> None:
    """Put the map's last click into the coordinate inputs (a new place: no address, building)."""
    click = (st.session_state.get("purchase_map") or {}).get("last_clicked")
    if click:
        st.session_state.update(cand_lat=round(float(click["lat"]), 6),
                                cand_lon=round(float(click["lng"]), 6),
                                cand_label="", cand_building="")


def use_address() -> None:
    """Put the picked address's place, text and the register's building there into the inputs."""
    hits = service.search_addresses(engine, st.session_state.get("addr_query", ""), 20)
    hit = hits[hits["text"] == st.session_state.get("addr_pick")]
    if hit.empty:
        return
    h = hit.iloc[0]
    lon, lat = to_display(np.array([h.x]), np.array([h.y]))
    building = service.building_at_address(base, h.street, h.number, h.letter, h.postal_code)
    st.session_state.update(cand_lat=round(float(lat[0]), 6), cand_lon=round(float(lon[0]), 6),
                            cand_label=address_line(h.street, h.number, h.letter),
                            cand_building=building.get("building_id", ""))


# ---------------------------------------------------------------- one candidate

st.header(t("purchase.one", lang))
inputs, map_col = st.columns([2, 3])
with inputs:
    action = st.radio(t("purchase.action", lang), ["buy", "sell"], horizontal=True,
                      key="purchase_action", format_func=lambda a: t(f"purchase.action.{a}", lang))
    evaluation, label = None, None
    if action == "buy":
        query = st.text_input(t("purchase.address_search", lang), key="addr_query",
                              placeholder=t("purchase.address_placeholder", lang))
        if query.strip():
            hits = service.search_addresses(engine, query, 20)
            if hits.empty:
                st.caption(t("purchase.address_none", lang, query=view.md_escape(query)))
            else:
                st.selectbox(t("purchase.address_pick", lang), hits["text"].tolist(), index=None,
                             key="addr_pick", on_change=use_address)
        lat_col, lon_col = st.columns(2)
        lat = lat_col.number_input(t("lat", lang), value=None, format="%.6f", key="cand_lat")
        lon = lon_col.number_input(t("lon", lang), value=None, format="%.6f", key="cand_lon")
        st.caption(t("purchase.click_hint", lang))
        label = st.text_input(t("purchase.label", lang), key="cand_label") or None
        with st.expander(t("purchase.dwelling", lang), expanded=True):
            a, b, c = st.columns(3)
            rooms = a.number_input(t("rooms", lang), value=None, min_value=0, step=1,
                                   key="cand_rooms")
            area_m2 = b.number_input(t("floor_area", lang), value=None, min_value=0.0, step=1.0,
                                     key="cand_m2")
            floor = c.number_input(t("floor", lang), value=None, step=1, key="cand_floor")
            lift = a.checkbox(t("purchase.lift", lang), key="cand_lift")
            universal = b.checkbox(t("universal_design", lang), key="cand_ud")
            staffed = c.checkbox(t("purchase.staffed", lang), key="cand_staffed")
            unit_type = st.selectbox(
                t("unit_type", lang), [None, *types.terms], key="cand_type",
                format_func=lambda c: t("purchase.unknown", lang) if c is None
                else types.label(c, lang))
            building_id = st.text_input(t("building_id", lang), key="cand_building") or None
            price = st.number_input(t("purchase.col.price", lang), value=None, min_value=0.0,
                                    step=100_000.0, format="%.0f", key="cand_price")
        if lat is not None and lon is not None:
            try:
                evaluation = service.evaluate_point(
                    base, lon=lon, lat=lat, label=label, address=label, rooms=rooms,
                    area_m2=area_m2, floor=floor, lift=lift, universal_design=universal,
                    staffed=staffed, unit_type=unit_type, building_id=building_id, price=price)
            except CoordinateError as exc:  # typed numbers that are no coordinates
                st.error(view.coordinate_refusal(exc, lang))
            else:
                note = view.coordinate_note(evaluation, lang)
                if note:
                    st.info(note)
                label = label or f"{lat:.5f}, {lon:.5f}"
    else:
        ids = sorted(base.units["unit_id"].astype(str))
        label = st.selectbox(t("purchase.sale_unit", lang), ids, index=None, key="sale_unit")
        price = st.number_input(t("purchase.sale_price", lang), value=None, min_value=0.0,
                                step=100_000.0, format="%.0f", key="sale_price")
        if label is not None:
            evaluation = service.evaluate_sale(base, label, price)

with map_col:
    show_where = st.toggle(t("purchase.show_where", lang), value=True, key="show_where")
    overlays = [pmap.where_layer(areas, purchase_cache.where(url, version, system), lang)] \
        if show_where else []
    if evaluation is not None:
        overlays.append(pmap.candidate_layer(evaluation, label, lang))
    m = build_map(units, None if show_where else areas, types, lang, overlays=overlays,
                  asset_base=loaders.asset_base())
    if evaluation is not None:
        pmap.focus(m, evaluation["x"], evaluation["y"])
    st_folium(m, key="purchase_map", returned_objects=["last_clicked"], on_change=use_click,
              use_container_width=True, height=560)

if evaluation is None:
    st.info(t("purchase.pick_point", lang))
else:
    box = {"green": st.success, "amber": st.warning}.get(evaluation["verdict"], st.error)
    sections = "\n\n".join(f"**{view.md_escape(title)}**\n\n{view.bullets(texts)}"
                           for title, texts in view.reason_sections(evaluation, lang))
    box(f"**{view.md_escape(view.headline(evaluation, lang))}**\n\n{sections}")
    left, right = st.columns(2)
    left.subheader(t("purchase.before_after", lang))
    left.dataframe(view.before_after_table(evaluation, lang), hide_index=True, width="stretch")
    right.subheader(t("purchase.demand", lang))
    if evaluation["demand_fit"]:
        right.dataframe(view.demand_fit_table(evaluation, lang), hide_index=True, width="stretch")
    else:
        right.info(t("purchase.no_demand", lang))
    if evaluation["action"] == "buy":
        right.subheader(t("purchase.money", lang))
        right.markdown(view.md_escape(view.budget_text(evaluation["price"], base.budget, lang)))

# ---------------------------------------------------------------- many candidates

st.divider()
st.header(t("purchase.many", lang))
candidates = candidate_source("purchase", lang)
if candidates is not None:
    ranked = service.rank(base, candidates)
    flat = view.ranked_table(ranked, lang)
    counts = ranked["verdict"].value_counts()
    st.markdown(t("purchase.ranked_summary", lang, n=len(ranked), green=counts.get("green", 0),
                  amber=counts.get("amber", 0), red=counts.get("red", 0)))
    ranked_map = build_map(units.iloc[0:0], areas, types, lang,
                           overlays=[pmap.ranked_layer(ranked, lang)],
                           asset_base=loaders.asset_base())
    st_folium(ranked_map, key="ranked_map", returned_objects=[], use_container_width=True,
              height=480)
    st.dataframe(view.ranked_display(flat, lang), hide_index=True, width="stretch")
    download_buttons(view.ranked_export(flat, lang),
                     f"{t('purchase.file_stem', lang)}-{today:%Y-%m-%d}",
                     t("purchase.sheet", lang), lang, key="ranked")

# ---------------------------------------------------------------- where to buy

st.divider()
st.header(t("purchase.where", lang))
st.caption(t("purchase.where_intro", lang))
st.dataframe(view.where_display(purchase_cache.where(url, version, system), lang),
             hide_index=True, width="stretch")
