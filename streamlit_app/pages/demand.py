"""Demand page ("Behov"): per target group the waiting list against supply, and its projection.

Aggregates only (households waiting per group, flows per year, the register's suitable units):
the figures are :func:`geoplan.service.demand_outlook`'s, the words and the chart
:mod:`geoplan.ui.demand_view`'s.  A saved scenario (a purchase plan) can be chosen to see the
queue with and without it.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from geoplan import service
from geoplan.ui import demand_view as view
from geoplan.ui.format import date_input_format, num
from geoplan.ui.i18n import t
from geoplan.ui.purchase_view import bullets, md_escape
from streamlit_app import demand_cache, loaders
from streamlit_app.widgets import download_buttons, show_table

lang = loaders.lang()
url, version = loaders.db_url(), loaders.version()
engine = loaders.engine()

st.title(t("demand.title", lang))
st.caption(t("demand.intro", lang))
on = st.sidebar.date_input(t("demand.date", lang), value=dt.date.today(),
                           min_value=dt.date(2000, 1, 1), key="demand_date",
                           format=date_input_format(lang))
horizon = int(st.sidebar.number_input(t("demand.horizon", lang), 1, service.MAX_HORIZON, 4, 1,
                                      key="demand_horizon"))
names = service.scenario_names(engine)
scenario = st.selectbox(t("demand.scenario", lang), [None, *names], key="demand_scenario",
                        format_func=lambda n: t("demand.no_scenario", lang) if n is None else n)

with st.spinner():
    try:
        outlook = demand_cache.outlook(url, version, on, horizon, scenario,
                                       demand_cache.scenario_key(url, scenario))
    except KeyError:  # deleted on the plan page since the list was read
        st.warning(t("demand.scenario_gone", lang, name=md_escape(scenario)))
        outlook = demand_cache.outlook(url, version, on, horizon, None, None)

if outlook.snapshot is None and not outlook.years_used:
    st.info(t("demand.empty", lang))
    st.stop()

st.caption(md_escape(view.coverage_text(outlook, lang)))
for col, (label, value) in zip(st.columns(3), view.headline(outlook, lang), strict=True):
    col.metric(label, value)

st.subheader(t("demand.words", lang))
if (text := view.scenario_text(outlook, lang)) is not None:
    st.markdown(md_escape(text))
st.markdown(bullets(view.group_lines(outlook, lang)))

st.subheader(t("demand.chart", lang))
st.plotly_chart(view.projection_figure(outlook, lang), key="demand_chart")
st.caption(t("demand.chart_note", lang))

st.subheader(t("demand.table", lang))
table = view.groups_table(outlook, lang)
show_table(table, lang, view.table_decimals(table), missing=num(float("nan"), lang))
download_buttons(table, f"{t('demand.file_stem', lang)}-{on:%Y-%m-%d}", t("demand.table", lang),
                 lang, key="demand_table")
