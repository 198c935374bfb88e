"""Concentration page: where the municipal units cluster, the indices, flags, caps and trend."""

from __future__ import annotations

import datetime as dt

import streamlit as st
from streamlit_folium import st_folium

from geoplan import service
from geoplan.policy import COUNT, POLICY_FIELDS, SHARE
from geoplan.roles import may
from geoplan.ui import admin_view, charts, concentration_tables, wording
from geoplan.ui.format import date_input_format
from geoplan.ui.i18n import t
from geoplan.ui.layers import INDICATORS, SCHEMES, concentration_map, indicator_label
from streamlit_app import concentration_cache, loaders
from streamlit_app.widgets import download_buttons, show_table, system_select

lang = loaders.lang()
url, version = loaders.db_url(), loaders.version()
engine = loaders.engine()

st.title(t("conc_title", lang))
system = system_select("conc_system", lang)
if system is None:
    st.info(t("conc_no_areas", lang))
    st.stop()
today = dt.date.today()
on = st.sidebar.date_input(t("conc_date", lang), value=today, min_value=dt.date(2000, 1, 1),
                           key="conc_date", format=date_input_format(lang))
indicator = st.sidebar.selectbox(t("conc_indicator", lang), INDICATORS, key="conc_indicator",
                                 format_func=lambda k: indicator_label(k, lang))
scheme = st.sidebar.selectbox(t("conc_scheme", lang), SCHEMES, key="conc_scheme",
                              format_func=lambda s: t(f"scheme.{s}", lang))
radius = st.sidebar.number_input(t("conc_radius", lang), 50, 5000, 500, 50, key="conc_radius")

# The caps form is drawn below the results but runs first, so a save shows in this run.
results, caps, trend = st.container(), st.container(), st.container()

with caps:
    st.subheader(t("conc_policy", lang))
    st.caption(t("conc_policy_help", lang))
    current = service.policy(engine)
    policy = current.as_dict()
    actor = loaders.actor()
    if not may(actor.role if actor else None, "set_policy"):  # the service checks again
        st.caption(t("policy_read_only", lang))
    with st.form("policy_form"):
        entered = {}
        for col, field in zip(st.columns(len(POLICY_FIELDS)), POLICY_FIELDS, strict=True):
            label, key, value = t(f"policy.{field.name}", lang), f"policy_{field.name}", policy[field.name]
            if field.kind == SHARE:  # shown in %, stored as a fraction
                entered[field.name] = col.number_input(label, 0.0, 100.0, 100 * value, 0.5,
                                                       format="%.1f", key=key) / 100
            elif field.kind == COUNT:
                entered[field.name] = col.number_input(label, 0, None, int(value), key=key)
            else:  # MONEY, whole kroner
                entered[field.name] = col.number_input(label, 0.0, None, float(value), 100_000.0,
                                                       format="%.0f", key=key)
        saving = st.form_submit_button(t("policy_save", lang), key="policy_save",
                                       disabled=not may(actor.role if actor else None,
                                                        "set_policy"))
    if saving:  # "Lagre tak" only shows the changes; "Bekreft" stores them
        try:
            st.session_state["policy_pending"] = current.replace(**entered).as_dict()
        except service.PolicyError as exc:
            st.session_state.pop("policy_pending", None)
            st.error(wording.policy_refusal(exc.problems, lang))
    pending = st.session_state.get("policy_pending")
    if pending is not None:
        changes = admin_view.policy_changes(policy, pending, lang)
        if changes.empty:
            st.info(t("policy_unchanged", lang))
            del st.session_state["policy_pending"]
        else:
            st.write(t("policy_confirm_intro", lang))
            show_table(changes, lang)
            confirm, cancel = st.columns([1, 6])
            if cancel.button(t("policy_cancel", lang), key="policy_cancel"):
                del st.session_state["policy_pending"]
                st.rerun()
            if confirm.button(t("policy_confirm", lang), type="primary", key="policy_confirm"):
                del st.session_state["policy_pending"]
                try:
                    service.set_policy(engine, actor, **pending)
                except service.PolicyError as exc:
                    st.error(wording.policy_refusal(exc.problems, lang))
                except service.AccessDenied:
                    st.error(t("access_denied", lang, role=t(
                        f"signin.role.{actor.role}" if actor else "signin.role.viewer", lang)))
                else:
                    concentration_cache.clear()
                    st.success(t("policy_saved", lang))

with results:
    st.caption(t("conc_intro", lang))
    with st.spinner():
        result = concentration_cache.result(url, version, system, on, float(radius))
    for col, (label, value) in zip(st.columns(5), concentration_tables.headline(result, lang),
                                   strict=True):
        col.metric(label, value)
    st.caption(" ".join(concentration_tables.date_notes(result, lang, today)))
    if problems := concentration_tables.data_problem_markdown(result, lang):
        st.warning(problems)

    types = loaders.unit_types(url, version)
    st.subheader(t("conc_map", lang))
    st_folium(concentration_map(result, indicator, scheme, types, lang, loaders.asset_base()),
              returned_objects=[], use_container_width=True, height=600)

    st.subheader(t("conc_indices", lang))
    show_table(concentration_tables.indices_table(result.indices, lang), lang)

    wide = st.column_config.TextColumn(width="large")
    for key, table in (
        ("areas_over_cap", concentration_tables.flagged_areas_table(result.areas, lang)),
        ("units_over_cap", concentration_tables.flagged_units_table(result.units, result.areas,
                                                                    lang)),
    ):
        st.subheader(t(key, lang))
        if table.empty:
            st.caption(t("conc_none_flagged", lang))
        else:
            show_table(table, lang, column_config={t("flag_reason", lang): wide})

    st.subheader(t("conc_units_table", lang))
    st.caption(t("conc_units_help", lang))
    units_table = concentration_tables.units_proximity_table(result.units, result.areas, lang)
    show_table(units_table, lang)
    download_buttons(units_table, f"{t('conc_file_stem', lang)}-units-{on:%Y-%m-%d}",
                     t("conc_units_table", lang), lang, key="conc_units")

    st.subheader(t("conc_area_table", lang))
    table = concentration_tables.area_display_table(result.areas, types, lang)
    show_table(table, lang)
    download_buttons(table, f"{t('conc_file_stem', lang)}-{system}-{on:%Y-%m-%d}",
                     t("conc_area_table", lang), lang, key="conc_areas")

with trend:
    st.subheader(t("conc_trend", lang))
    yearly, by_area = concentration_cache.trend(url, version, system, on)
    st.markdown(f"**{wording.trend_text(service.trend_statement(yearly), lang)}**")
    st.caption(concentration_tables.trend_undated_text(yearly, lang))
    st.plotly_chart(charts.indices_figure(yearly, lang))
    st.plotly_chart(charts.units_figure(yearly, lang))
    names = dict(zip(result.areas["code"], result.areas["name"], strict=True))
    st.plotly_chart(charts.area_share_figure(by_area, names, lang))

    st.subheader(t("conc_change", lang))
    years = yearly["year"].tolist()
    col_a, col_b = st.columns(2)
    year_a = col_a.selectbox(t("conc_year_a", lang), years, key="conc_year_a",
                             index=years.index(max(years[0], years[-1] - 5)))
    year_b = col_b.selectbox(t("conc_year_b", lang), years, key="conc_year_b",
                             index=len(years) - 1)
    show_table(concentration_tables.change_table(yearly, year_a, year_b, lang), lang)
