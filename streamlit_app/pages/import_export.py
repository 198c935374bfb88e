"""Import page: upload any register or layer (refused whole on bad rows) and export."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geoplan import service
from geoplan.ssb_grid import SIZES
from geoplan.ui.format import date_input_format, date_text
from geoplan.ui.i18n import area_system_label, t
from geoplan.ui.import_text import import_summary, problem_text, units_count
from geoplan.ui.markdown import md_escape
from streamlit_app import loaders, widgets

lang = loaders.lang()
engine = loaders.engine()
st.title(t("import_title", lang))
st.caption(t("import_intro", lang))

kind = st.selectbox(t("import_kind", lang), list(service.IMPORTERS), key="import_kind",
                    format_func=lambda k: t(f"kind.{k}", lang))
spec = service.IMPORTERS[kind]
system = size = None
if spec.sizes:
    size = st.radio(t("import_grid_size", lang), spec.sizes, horizontal=True, key="import_size",
                    format_func=lambda s: area_system_label(SIZES[s], lang))
elif spec.takes_system:
    system = st.text_input(t("import_system", lang), placeholder=t("import_system_from_file", lang),
                           key="import_system") or None
crs = widgets.crs_choice(lang) if spec.takes_crs else None
sheet = widgets.sheet_choice(lang, "import_sheet")
missing, dispose_date = "report", None
if kind == "units":
    missing = st.radio(t("import_missing", lang), service.MISSING_CHOICES, horizontal=True,
                       key="import_missing", format_func=lambda m: t(f"import_missing.{m}", lang))
    if missing == "dispose":
        dispose_date = st.date_input(t("import_missing_date", lang),
                                     format=date_input_format(lang), key="import_missing_date")
upload = st.file_uploader(t("import_file", lang),
                          type=["csv", "txt", "xlsx", "geojson", "json", "gpkg", "zip"],
                          key="import_upload", help=t("import_file_help", lang))

if upload is not None and st.button(t("import_button", lang), type="primary",
                                    key="import_button"):
    options = {"system": system, "crs": crs, "size": size, "sheet": sheet}
    if kind == "units":
        options |= {"missing": missing, "dispose_date": dispose_date}
    try:
        summary = service.import_bytes(engine, loaders.actor(), kind, upload.getvalue(),
                                       upload.name, **options)
    except service.AccessDenied as exc:
        st.error(t("access_denied", lang, role=t(f"signin.role.{exc.actor.role}", lang)
                   if exc.actor else "-"))
    except service.ImportRefused as exc:
        widgets.show_refusal(exc, lang)
    except service.WriterBusy:
        st.error(problem_text(service.Problem("database_busy"), lang))
    else:
        st.cache_data.clear()
        st.success(t("import_done", lang, summary=md_escape(import_summary(summary, lang))))
        widgets.show_warnings(summary.warnings, lang, summary.filename)
        if summary.missing:
            key = "import_missing_disposed" if summary.disposed else "import_missing_found"
            st.info(t(key, lang, units=units_count(len(summary.missing), lang),
                      date=date_text(dispose_date, lang) if dispose_date else ""))
            widgets.show_table(pd.DataFrame({t("unit_id", lang): summary.missing}), lang)

st.divider()
st.subheader(t("export_title", lang))
fmt = st.radio(t("export_format", lang), service.EXPORT_FORMATS, horizontal=True)
systems = loaders.area_systems(loaders.db_url(), loaders.version())
what = st.selectbox(t("export_areas", lang) + " / " + t("export_units", lang),
                    [None, *systems],
                    format_func=lambda s: t("export_units", lang) if s is None
                    else area_system_label(s, lang))
st.download_button(t("export_button", lang),
                   data=lambda: service.export_bytes(engine, fmt, what),
                   file_name=f"geoplan-{what or 'units'}{fmt}", on_click="ignore",
                   icon=":material/download:")
