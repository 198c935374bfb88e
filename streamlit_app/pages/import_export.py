"""Import page: upload any register or layer (refused whole on bad rows) and export."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from geoplan.io.errors import ImportRefused
from geoplan.io.export import export_areas, export_units
from geoplan.io.registry import IMPORTERS, import_file
from geoplan.ui.i18n import area_system_label, t
from streamlit_app import loaders

lang = loaders.lang()
engine = loaders.engine()
st.title(t("import_title", lang))
st.caption(t("import_intro", lang))

kind = st.selectbox(t("import_kind", lang), list(IMPORTERS), key="import_kind",
                    format_func=lambda k: t(f"kind.{k}", lang))
spec = IMPORTERS[kind]
system = None
if kind == "grid":
    system = st.radio(t("import_grid_size", lang), ["ssb250m", "ssb1km"], horizontal=True,
                      format_func=lambda s: area_system_label(s, lang))
elif spec.needs_system:
    system = st.text_input(t("import_system", lang), placeholder=t("import_system_from_file", lang),
                           key="import_system") or None
crs = st.selectbox(t("import_crs", lang), ["", "EPSG:25833", "EPSG:25832", "EPSG:25835",
                                           "EPSG:4326"]) if spec.takes_crs else ""
upload = st.file_uploader(t("import_file", lang),
                          type=["csv", "txt", "xlsx", "geojson", "json", "gpkg", "zip"])

if upload is not None and st.button(t("import_button", lang), type="primary"):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        try:
            summary = import_file(engine, kind, path, upload.name, system, crs or None)
        except ImportRefused as exc:
            st.error(t("import_refused", lang, n=len(exc.problems)))
            st.code("\n".join(exc.problems), language=None)
        except ValueError as exc:
            st.error(str(exc))
        else:
            st.cache_data.clear()
            st.success(t("import_done", lang, summary=summary))

st.divider()
st.subheader(t("export_title", lang))
fmt = st.radio(t("export_format", lang), [".xlsx", ".csv", ".geojson", ".gpkg"], horizontal=True)
systems = loaders.area_systems(loaders.db_url(), loaders.version())
what = st.selectbox(t("export_areas", lang) + " / " + t("export_units", lang),
                    ["units", *systems],
                    format_func=lambda s: t("export_units", lang) if s == "units"
                    else area_system_label(s, lang))


def _export_bytes(target: str, suffix: str) -> bytes:
    """Write the export to a temporary file and return its bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"export{suffix}"
        if target == "units":
            export_units(engine, path)
        else:
            export_areas(engine, path, target)
        return path.read_bytes()


st.download_button(t("export_button", lang), data=lambda: _export_bytes(what, fmt),
                   file_name=f"geoplan-{what}{fmt}", on_click="ignore",
                   icon=":material/download:")
