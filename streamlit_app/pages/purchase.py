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
from geoplan.crs import CoordinateError, numbers_in_text, to_display
from geoplan.ui import purchase_map as pmap
from geoplan.ui import purchase_view as view
from geoplan.ui.i18n import t
from geoplan.ui.mapview import build_map
from streamlit_app import loaders, map_cache, purchase_cache
from streamlit_app.widgets import (
    candidate_source,
    download_buttons,
    picked_row,
    purchase_header,
    show_table,
)

lang = loaders.lang()
url, version, engine = loaders.db_url(), loaders.version(), loaders.engine()
today = dt.date.today()
units = loaders.units(url, version, today)
types = loaders.unit_types(url, version)

system, base, areas = purchase_header("purchase", lang)


ADDRESS_HITS = 8  # matches listed under the search field while typing


def use_click() -> None:
    """Put the map's last click into the coordinate field (a new place: no address, building)."""
    click = (st.session_state.get("purchase_map") or {}).get("last_clicked")
    if click:
        st.session_state.update(
            cand_coords=view.coordinates_text(float(click["lat"]), float(click["lng"]), lang),
            cand_label="", cand_building="")


def use_address() -> None:
    """Put the picked address's place, text and the register's building there into the inputs;
    the whole page then runs again (the search is a fragment) and shows the verdict."""
    hits = purchase_cache.address_search(url, version, st.session_state.get("addr_query", ""),
                                         ADDRESS_HITS)
    hit = hits[hits["text"] == st.session_state.get("addr_pick")]
    if hit.empty:
        return
    h = hit.iloc[0]
    lon, lat = to_display(np.array([h.x]), np.array([h.y]))
    building = service.building_at_address(base, h.street, h.number, h.letter, h.postal_code)
    st.session_state.update(cand_coords=view.coordinates_text(float(lat[0]), float(lon[0]), lang),
                            cand_label=address_line(h.street, h.number, h.letter),
                            cand_building=building.get("building_id", ""), addr_rerun=True)


def use_candidate(candidate: dict) -> None:
    """Fill the single-candidate test with a ranked or planned candidate (one click on its row)."""
    inputs = view.candidate_inputs(candidate, lang)
    if inputs["cand_type"] not in types.terms:
        inputs["cand_type"] = None
    st.session_state.update(inputs)


@st.fragment
def address_search() -> None:
    """Search as you type (``live``: the field commits after a short pause; only this fragment
    runs); a click on a match fills the test and runs the whole page."""
    query = st.text_input(t("purchase.address_search", lang), key="addr_query", live=True,
                          placeholder=t("purchase.address_placeholder", lang),
                          type="search", icon=":material/search:")
    if query.strip():
        hits = purchase_cache.address_search(url, version, query, ADDRESS_HITS)
        if hits.empty:
            st.caption(t("purchase.address_none", lang, query=view.md_escape(query)))
        else:
            st.radio(t("purchase.address_hits", lang), hits["text"].tolist(), index=None,
                     key="addr_pick", on_change=use_address, label_visibility="collapsed",
                     format_func=view.md_escape)
    if st.session_state.pop("addr_rerun", False):
        st.rerun()


# a candidate sent here by a click on a ranked row (below) or on a planned row (plan page)
sent = st.session_state.pop("purchase_candidate", None)
if sent is not None:
    use_candidate(sent)
    st.toast(t("purchase.ranked_picked", lang, label=view.md_escape(sent.get("label") or "")),
             icon=":material/arrow_upward:")


# ---------------------------------------------------------------- one candidate

st.header(t("purchase.one", lang))
inputs, map_col = st.columns([2, 3])
with inputs:
    action = st.radio(t("purchase.action", lang), ["buy", "sell"], horizontal=True,
                      key="purchase_action", format_func=lambda a: t(f"purchase.action.{a}", lang))
    evaluation, label = None, None
    if action == "buy":
        address_search()
        coords = st.text_input(t("purchase.coords", lang), key="cand_coords",
                               placeholder=t("purchase.coords_placeholder", lang),
                               help=t("purchase.coords_help", lang))
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
        if coords.strip():
            try:
                lat, lon = numbers_in_text(coords)  # the first number is read as the latitude
                evaluation = service.evaluate_point(
                    base, lon=lon, lat=lat, label=label, address=label, rooms=rooms,
                    area_m2=area_m2, floor=floor, lift=lift, universal_design=universal,
                    staffed=staffed, unit_type=unit_type, building_id=building_id, price=price)
            except CoordinateError as exc:  # no two numbers, or numbers that are no place
                st.error(view.coordinate_refusal(exc, lang))
            else:
                st.caption(view.coordinate_read(evaluation, lang))
                label = label or coords.strip()
    else:
        ids = sorted(base.units["unit_id"].astype(str))
        label = st.selectbox(t("purchase.sale_unit", lang), ids, index=None, key="sale_unit",
                             placeholder=t("choose_one", lang))
        price = st.number_input(t("purchase.sale_price", lang), value=None, min_value=0.0,
                                step=100_000.0, format="%.0f", key="sale_price")
        if label is not None:
            evaluation = service.evaluate_sale(base, label, price)

with map_col:
    show_where = st.toggle(t("purchase.show_where", lang), value=True, key="show_where")
    overlays = [pmap.shapes_layer(purchase_cache.where_shapes(url, version, system, lang), lang)] \
        if show_where else []
    # The map of units and areas is the same for every candidate, so the browser keeps it; the
    # candidate is a group added to it, and the view moves to it (issue 14: no redraw per
    # verdict).  Only a click on the map runs this page again (returned_objects).
    m = build_map(units, None if show_where else areas, types, lang, overlays=overlays,
                  asset_base=loaders.asset_base(),
                  markers=map_cache.markers(*map_cache.key(url, version, today, lang)))
    center, zoom = (pmap.focus_view(evaluation["x"], evaluation["y"]) if evaluation is not None
                    else (None, None))
    st_folium(m, key="purchase_map", returned_objects=["last_clicked"], on_change=use_click,
              feature_group_to_add=pmap.candidate_group(evaluation, label, lang),
              center=center, zoom=zoom, use_container_width=True, height=560)

if evaluation is None:
    st.info(t("purchase.pick_point", lang))
else:
    box = {"green": st.success, "amber": st.warning}.get(evaluation["verdict"], st.error)
    sections = "\n\n".join(f"**{view.md_escape(title)}**\n\n{view.bullets(texts)}"
                           for title, texts in view.reason_sections(evaluation, lang))
    box(f"**{view.md_escape(view.headline(evaluation, lang))}**\n\n{sections}",
        icon=view.verdict_icon(evaluation["verdict"]))
    left, right = st.columns(2)
    with left:
        st.subheader(t("purchase.before_after", lang))
        show_table(view.before_after_table(evaluation, lang), lang, width="stretch")
    with right:
        st.subheader(t("purchase.demand", lang))
        if evaluation["demand_fit"]:
            show_table(view.demand_fit_table(evaluation, lang), lang, width="stretch")
        else:
            st.info(t("purchase.no_demand", lang))
        if evaluation["action"] == "buy":  # the one budget: the policy's, also the plan's default
            st.subheader(t("purchase.money", lang))
            st.markdown(view.md_escape(view.budget_text(evaluation["price"], base.budget, lang)))
            st.caption(view.md_escape(view.budget_status_text(
                purchase_cache.budget(url, version), lang)) + " "
                + view.md_escape(t("purchase.budget_where", lang)))

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
    show_table(view.ranked_display(flat, lang), lang, colours=view.verdict_colours(lang),
               width="stretch", key="ranked_pick", on_select="rerun", selection_mode="single-row")
    st.caption(t("purchase.ranked_pick_hint", lang))
    row = picked_row("ranked_pick")
    if row is not None:  # one click on a row: that flat in the single-candidate test above
        st.session_state["purchase_candidate"] = ranked.iloc[row].to_dict()
        st.rerun()
    download_buttons(view.ranked_export(flat, lang),
                     f"{t('purchase.file_stem', lang)}-{today:%Y-%m-%d}",
                     t("purchase.sheet", lang), lang, key="ranked")

# ---------------------------------------------------------------- where to buy

st.divider()
st.header(t("purchase.where", lang))
st.caption(t("purchase.where_intro", lang))
show_table(view.where_display(purchase_cache.where(url, version, system), lang), lang,
           colours=view.class_colours(lang), width="stretch")
