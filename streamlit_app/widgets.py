"""Streamlit widgets shared by several pages: download buttons and the candidate-file input."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st

from geoplan import service
from geoplan.crs import ACCEPTED_EPSG, WORK_EPSG
from geoplan.ui.format import table_styler
from geoplan.ui.i18n import area_system_label, t
from geoplan.ui.import_text import problem_count, problem_rows, problem_text
from geoplan.ui.markdown import md_escape
from geoplan.ui.unit_table import to_csv_bytes, to_xlsx_bytes
from streamlit_app import loaders

# the coordinate systems a page offers: "" (from the file), the working CRS first, then the others
CRS_CHOICES: tuple[str, ...] = ("", *(f"EPSG:{c}" for c in
                                      sorted(ACCEPTED_EPSG, key=lambda c: c != WORK_EPSG)))
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_buttons(table: pd.DataFrame | Callable[[], pd.DataFrame], stem: str, sheet: str,
                     lang: str, key: str | None = None) -> None:
    """Two side-by-side buttons downloading ``table`` as CSV and as Excel.

    ``table`` may be a function returning the frame: it is then made only when a button is
    clicked (the map page does not word a national register's table on every run).
    """
    def frame() -> pd.DataFrame:
        return table() if callable(table) else table

    csv_col, xlsx_col = st.columns(2)
    csv_col.download_button(
        t("download_csv", lang), data=lambda: to_csv_bytes(frame()), file_name=f"{stem}.csv",
        mime="text/csv", on_click="ignore", icon=":material/download:",
        key=f"{key}_csv" if key else None,
    )
    xlsx_col.download_button(
        t("download_xlsx", lang), data=lambda: to_xlsx_bytes(frame(), sheet),
        file_name=f"{stem}.xlsx", on_click="ignore", icon=":material/download:", mime=XLSX_MIME,
        key=f"{key}_xlsx" if key else None,
    )


def _demo_candidates() -> Path | None:
    """The demo's candidate file when the demo package and file are there, else None."""
    try:
        path = service.demo_files()["candidates"]
    except ImportError:
        return None
    return path if path.is_file() else None


def _choose_demo(prefix: str) -> None:
    """Remember that the page should use the demo's candidate file."""
    st.session_state[f"{prefix}_use_demo"] = True


def candidate_source(prefix: str, lang: str) -> pd.DataFrame | None:
    """Upload a candidate file or pick the demo's; return the candidates (None: none or refused).

    A refused file is shown with every problem on its own line.
    """
    upload = st.file_uploader(t("purchase.upload", lang), type=["csv", "txt", "xlsx"],
                              key=f"{prefix}_upload")
    demo = _demo_candidates()
    if demo is not None:
        st.button(t("purchase.use_demo", lang), key=f"{prefix}_demo", on_click=_choose_demo,
                  args=(prefix,), icon=":material/dataset:")
    if upload is not None:
        data, name = upload.getvalue(), upload.name
    elif demo is not None and st.session_state.get(f"{prefix}_use_demo"):
        data, name = demo.read_bytes(), demo.name
    else:
        return None
    st.caption(t("purchase.source", lang, name=md_escape(name)))
    try:
        from streamlit_app import purchase_cache  # only the purchase pages pay for PuLP & co.

        return purchase_cache.candidates(loaders.db_url(), loaders.version(), data, name)
    except service.ImportRefused as exc:
        show_refusal(exc, lang, "purchase.refused")
        return None


# A table with more cells than this is shown without a Styler: its numbers and dates then
# follow the browser's locale (column_config "localized").  Measured (table_styler + Streamlit's
# marshall_styler, 8 number, 2 text, 1 date, 1 count column, on a busy 2-core machine):
# 12 000 cells 0.1 s, 24 000 0.3 s, 60 000 0.7 s, 120 000 (10 000 rows) 2.3 s.
STYLED_CELLS = 20_000


def show_table(frame: pd.DataFrame, lang: str, decimals: dict[str, int] | None = None,
               colours: dict[str, dict[str, str]] | None = None, missing: str = "",
               **kwargs: object) -> None:
    """Show a table by the language's conventions (``geoplan.ui.format.table_styler``): decimal
    comma and thousands space in bokmål, dates dd.mm.åååå, sorting by the numbers; ``colours``
    colour a column's cells by their text, ``missing`` is shown for an unknown number.
    ``kwargs`` go to ``st.dataframe`` (hide_index defaults to True)."""
    kwargs.setdefault("hide_index", True)
    if frame.size <= STYLED_CELLS:
        st.dataframe(table_styler(frame, lang, decimals, colours, missing), **kwargs)
        return
    config = dict(kwargs.pop("column_config", None) or {})
    for col in frame.columns:
        if col in config:
            continue
        if pd.api.types.is_bool_dtype(frame[col]):
            continue
        if pd.api.types.is_numeric_dtype(frame[col]):
            config[col] = st.column_config.NumberColumn(format="localized")
        elif pd.api.types.is_datetime64_any_dtype(frame[col]):
            config[col] = st.column_config.DateColumn(format="DD.MM.YYYY" if lang != "en"
                                                      else "YYYY-MM-DD")
    st.dataframe(frame, column_config=config, **kwargs)


def crs_choice(lang: str, key: str | None = None, disabled: bool = False) -> str | None:
    """A choice of the coordinate system of a file's coordinates (:data:`CRS_CHOICES`); None
    for "from the file"."""
    return st.selectbox(t("import_crs", lang), CRS_CHOICES, key=key, disabled=disabled,
                        format_func=lambda c: c or t("import_crs_from_file", lang)) or None


def sheet_choice(lang: str, key: str, disabled: bool = False) -> str | None:
    """The sheet (XLSX) or layer (GPKG) to read from a file with several; None for the first."""
    return st.text_input(t("import_sheet", lang), key=key, disabled=disabled,
                         placeholder=t("import_sheet_placeholder", lang)) or None


def picked_row(key: str) -> int | None:
    """The row newly picked in the selectable table ``key`` (one click), None when no new
    pick; a cleared pick lets the same row be picked again."""
    state = st.session_state.get(key)
    rows = list(state["selection"]["rows"]) if state else []
    if rows == st.session_state.get(f"{key}_applied", []):
        return None
    st.session_state[f"{key}_applied"] = rows
    return rows[0] if rows else None


def show_refusal(exc: service.ImportRefused, lang: str, head: str = "import_refused") -> None:
    """A refused file: a short head (i18n ``head``) and its problems as a table (row, unit id,
    column, problem), every problem at once; nothing from the file is read as Markdown."""
    st.error(t(head, lang, name=md_escape(exc.filename),
               problems=problem_count(len(exc.problems), lang)))
    show_table(pd.DataFrame(problem_rows(exc.problems, lang, exc.filename)), lang,
               width="stretch")


def show_warnings(warnings: list, lang: str, filename: str = "") -> None:
    """An import's warnings (:class:`service.Problem`), each in words, escaped."""
    for w in warnings:
        st.warning(md_escape(problem_text(w, lang, filename)))


def system_select(key: str, lang: str) -> str | None:
    """A sidebar choice of the stored area systems (grunnkrets first when there); None if none."""
    systems = loaders.area_systems(loaders.db_url(), loaders.version())
    if not systems:
        return None
    return st.sidebar.selectbox(t("area_system", lang), systems,
                                index=systems.index(service.preferred_system(systems)),
                                key=key, format_func=lambda s: area_system_label(s, lang))


def purchase_header(prefix: str, lang: str):
    """Title, intro and area-system choice of a purchase page; return its baseline and areas.

    Stops the page with a note when no area system is stored.
    """
    from streamlit_app import purchase_cache

    url, version = loaders.db_url(), loaders.version()
    st.title(t(f"{prefix}.title", lang))
    st.caption(t(f"{prefix}.intro", lang))
    system = system_select(f"{prefix}_system", lang)
    if system is None:
        st.info(t("purchase.no_systems", lang))
        st.stop()
    base = purchase_cache.baseline(url, version, system, dt.date.today())
    return system, base, loaders.areas(url, version, system)
