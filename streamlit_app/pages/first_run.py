"""First-run page: an empty database starts here, never on a demo loaded by surprise.

Two ways, for planners and admins: (a) your own municipality: its boundary (upload, number,
name: :func:`geoplan.service.init_municipality`), then its register of units (upload); a
refused file is shown as a table of problems, never a traceback; or (b) the synthetic demo.
Other roles read one sentence: the database is empty, ask a planner.  After either way the
shell shows the normal pages (it registers this page only while the register has no units).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from geoplan import service
from geoplan.roles import may
from geoplan.ui.i18n import t
from geoplan.ui.import_text import problem_text
from geoplan.ui.markdown import md_escape
from geoplan.ui.setup_text import setup_refusal_text
from streamlit_app import loaders, widgets

lang = loaders.lang()
engine = loaders.engine()
who = loaders.actor()
st.title(t("setup.title", lang))


def _done() -> None:
    """Forget the cached data and run again: the shell then shows the normal pages."""
    st.cache_data.clear()
    st.rerun()


def _refused(exc: Exception) -> None:
    """Show a refusal in words (never a traceback)."""
    if isinstance(exc, service.SetupRefused):
        st.error(md_escape(setup_refusal_text(exc, lang)))
    elif isinstance(exc, service.ImportRefused):
        widgets.show_refusal(exc, lang)
    elif isinstance(exc, service.WriterBusy):
        st.error(problem_text(service.Problem("database_busy"), lang))
    else:
        raise exc


if who is None or not may(who.role, "import"):
    st.info(t("setup.ask_planner", lang))
    st.stop()

state = service.setup_state(engine)
if state.empty:
    st.write(t("setup.intro", lang))
own, demo = st.columns(2, gap="large")

with own:
    st.subheader(t("setup.own.header", lang))
    st.caption(t("setup.own.help", lang))
    st.markdown(f"**{t('setup.step_boundary', lang)}**")
    if state.number is not None:
        st.success(t("setup.boundary_done", lang, name=md_escape(state.name),
                     number=state.number))
    else:
        number = st.text_input(t("setup.number", lang), max_chars=4, key="setup_number")
        name = st.text_input(t("setup.name", lang), max_chars=100, key="setup_name")
        boundary = st.file_uploader(t("setup.boundary_file", lang),
                                    type=["geojson", "json", "gpkg", "zip"],
                                    key="setup_boundary")
        crs = widgets.crs_choice(lang, "setup_boundary_crs")
        layer = widgets.sheet_choice(lang, "setup_boundary_layer")
        if st.button(t("setup.boundary_button", lang), type="primary", key="setup_boundary_button",
                     disabled=boundary is None):
            try:
                with tempfile.TemporaryDirectory(prefix="geoplan-upload-") as tmp:
                    path = Path(tmp) / (Path(boundary.name).name or "boundary.geojson")
                    path.write_bytes(boundary.getvalue())
                    service.init_municipality(engine, who, number, name, path, boundary.name,
                                              crs=crs, sheet=layer)
            except (service.SetupRefused, service.ImportRefused, service.WriterBusy) as exc:
                _refused(exc)
            else:
                _done()

    st.markdown(f"**{t('setup.step_register', lang)}**")
    register = st.file_uploader(t("setup.register_file", lang),
                                type=["csv", "txt", "xlsx", "geojson", "json", "gpkg", "zip"],
                                key="setup_register", disabled=state.number is None)
    register_crs = widgets.crs_choice(lang, "setup_register_crs", state.number is None)
    register_sheet = widgets.sheet_choice(lang, "setup_register_sheet", state.number is None)
    if st.button(t("setup.register_button", lang), type="primary", key="setup_register_button",
                 disabled=register is None or state.number is None):
        try:
            service.import_bytes(engine, who, "units", register.getvalue(), register.name,
                                 crs=register_crs, sheet=register_sheet)
        except (service.ImportRefused, service.WriterBusy) as exc:
            _refused(exc)
        else:
            _done()

with demo:
    st.subheader(t("setup.demo.header", lang))
    st.caption(t("setup.demo.help", lang))
    if st.button(t("setup.demo_button", lang), key="setup_demo_button",
                 disabled=not state.empty):
        try:
            with st.spinner(t("starting", lang)):
                loaders.load_demo(engine, who)
        except (service.SetupRefused, service.WriterBusy) as exc:
            _refused(exc)
        else:
            _done()
