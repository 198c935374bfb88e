"""Import page: upload any register or layer (refused whole on bad rows) and export."""

from __future__ import annotations

import streamlit as st

from geoplan import service
from geoplan.ssb_grid import SIZES
from geoplan.ui.i18n import area_system_label, t
from geoplan.ui.import_text import import_summary
from streamlit_app import loaders

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
crs = st.selectbox(t("import_crs", lang), ["", "EPSG:25833", "EPSG:25832", "EPSG:25835",
                                           "EPSG:4326"]) if spec.takes_crs else ""
upload = st.file_uploader(t("import_file", lang),
                          type=["csv", "txt", "xlsx", "geojson", "json", "gpkg", "zip"],
                          key="import_upload")

if upload is not None and st.button(t("import_button", lang), type="primary",
                                    key="import_button"):
    try:
        summary = service.import_bytes(engine, loaders.actor(), kind, upload.getvalue(),
                                       upload.name, system=system, crs=crs or None, size=size)
    except service.AccessDenied as exc:
        st.error(t("access_denied", lang, role=t(f"signin.role.{exc.actor.role}", lang)
                   if exc.actor else "-"))
    except service.ImportRefused as exc:
        st.error(t("import_refused", lang, n=len(exc.problems)))
        st.code("\n".join(exc.problems), language=None)
    except ValueError as exc:
        st.error(str(exc))
    else:
        st.cache_data.clear()
        st.success(t("import_done", lang, summary=import_summary(summary, lang)))
        for warning in summary.warnings:
            st.warning(warning)

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
