"""Dashboard page: the council's figures on one 1920×1080 screen, area aggregates only.

The public instance (``GEOPLAN_PUBLIC=1``) serves it as "Dashbord"; the internal app registers
it as "Presentasjon".  Both show the public version of :func:`geoplan.service.dashboard` (small
counts protected), so what is projected in a meeting is exactly what the public sees.  Every
text goes through ``html.escape`` (in :mod:`geoplan.ui.dashboard_view`) before it is written as
HTML here.
"""

from __future__ import annotations

import datetime as dt
import html
import importlib.util

import streamlit as st
from streamlit_folium import st_folium

from geoplan import service
from geoplan.ui.dashboard_map import dashboard_map
from geoplan.ui.dashboard_view import (
    headline_html,
    this_year_html,
    title,
    trend_figure,
    waiting_html,
)
from geoplan.ui.i18n import t
from streamlit_app import loaders

MAP_HEIGHT = 740  # px; with the title and the tiles the page fits 1080 px without scrolling
CHART_HEIGHT = 360
# Headline values 80 px and labels 26 px (the issue asks for at least 72 and 24), black on white.
STYLE = """
<style>
[data-testid="stMainBlockContainer"] {padding: 0.6rem 2rem 0 2rem; max-width: 100%;}
[data-testid="stHeader"] {background: transparent; height: 2.5rem;}
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] {gap: 0.6rem;}
.dash-title {font-size: 40px; font-weight: 700; color: #000 !important; margin: 0 0 0 3rem; padding: 0;
    line-height: 1.2;}
.dash-tiles {display: flex; gap: 1.2rem; margin-bottom: 1.4rem;}
.dash-tile {flex: 1 1 0; border: 2px solid #253494; border-radius: 8px; padding: 6px 18px;
    background: #fff; color: #000;}
.dash-value {font-size: 80px; font-weight: 700; line-height: 1.05; color: #000;}
.dash-label {font-size: 26px; line-height: 1.25; color: #000;}
.dash-note {font-size: 24px; line-height: 1.25; color: #253494; font-weight: 600;}
.dash-block h3 {font-size: 28px; font-weight: 700; color: #000; margin: 0 0 4px 0; padding: 0;}
.dash-rows {border-collapse: collapse; width: 100%; font-size: 24px; color: #000;}
.dash-rows th {text-align: left; font-weight: 400; padding: 2px 12px 2px 0; border: none;}
.dash-rows td {text-align: right; font-weight: 700; padding: 2px 0; border: none;}
.dash-rows tr {border: none; border-bottom: 1px solid #bbb;}
.dash-small {font-size: 20px; color: #222; line-height: 1.3;}
.dash-supply {font-size: 20px; line-height: 1.2;}
.dash-supply th, .dash-supply td {padding-top: 1px; padding-bottom: 1px;}
.dash-supply tbody th {white-space: nowrap;}
.dash-supply thead th {font-size: 17px; font-weight: 700; padding: 0 0 2px 10px; line-height: 1.1;
    vertical-align: bottom;}
.dash-supply thead th:first-child {padding-left: 0;}
.dash-supply thead th.dash-num {text-align: right; width: 4.8em;}
.dash-supply td {padding-left: 10px;}
.dash-supply-note {font-size: 17px; color: #222; line-height: 1.2; margin: 4px 0 8px 0;}
</style>
"""



@st.cache_data(show_spinner=False, max_entries=4)
def papers(url: str, version: tuple, on: dt.date, lang: str) -> bytes:
    """The meeting papers (PDF) of the public dashboard on ``on`` in ``lang``."""
    from geoplan.ui.report import report_pdf

    return report_pdf(loaders.dashboard(url, version, on), lang)


def record_papers(file_name: str, d: service.Dashboard, lang: str) -> None:
    """Record the download of the meeting papers in the audit trail (a report leaving GeoPlan)."""
    service.record_export(loaders.engine(), loaders.actor(), "report", file_name,
                          after={"public": d.public, "system": d.system, "date": d.on,
                                 "lang": lang, "pdf": True, "png": False},
                          counts={"files": 1})


lang = loaders.lang()
public = service.public_mode()
url, version = loaders.db_url(), loaders.version()
d = loaders.dashboard(url, version, dt.date.today())

st.markdown(STYLE, unsafe_allow_html=True)
if d is None:
    st.info(t("dash.no_data", lang))
    st.stop()

st.markdown(f'<h1 class="dash-title">{html.escape(title(d, lang))}</h1>',
            unsafe_allow_html=True)
st.markdown(headline_html(d, lang), unsafe_allow_html=True)

left, right = st.columns([1.25, 1], gap="medium")
with left:
    st_folium(dashboard_map(d, lang, asset_base=loaders.asset_base()), height=MAP_HEIGHT,
              returned_objects=[], use_container_width=True, key="dashboard-map")
with right:
    st.plotly_chart(trend_figure(d, lang, height=CHART_HEIGHT), width="stretch",
                    theme=None, config={"displayModeBar": False}, key="dashboard-trend")
    waiting, this_year = st.columns([2.4, 1], gap="medium")
    waiting.markdown(waiting_html(d, lang), unsafe_allow_html=True)
    this_year.markdown(this_year_html(d, lang), unsafe_allow_html=True)
    notes = [t("dash.public_note", lang, below=d.min_count - 1, n=d.min_count,
               base=d.rounding_base)]
    if not public:
        notes.append(t("dash.presentation_note", lang))
    st.markdown("".join(f'<p class="dash-small">{html.escape(n)}</p>' for n in notes),
                unsafe_allow_html=True)
    # The meeting papers (issue 9, h9c): geoplan.ui.report.report_pdf(d, lang) -> bytes.
    # Offered in the internal presentation only, once that module exists.
    if not public and importlib.util.find_spec("geoplan.ui.report") is not None:
        file_name = f"geoplan-{d.on:%Y-%m-%d}-{lang}.pdf"
        st.download_button(t("dash.download_pdf", lang), data=papers(url, version, d.on, lang),
                           file_name=file_name, mime="application/pdf",
                           icon=":material/picture_as_pdf:", key="dash_papers",
                           on_click=record_papers, args=(file_name, d, lang))
