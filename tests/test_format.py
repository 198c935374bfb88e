"""Norwegian number and date formats in tables, charts and texts (issue 13), values by hand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from geoplan.ui.format import (
    CELL_COLOURS,
    chart_locale,
    column_decimals,
    date_input_format,
    date_text,
    num,
    plotly_separators,
    table_styler,
)
from geoplan.ui.i18n import t

NBSP = "\u00a0"


def test_numbers_and_dates_in_words():
    assert num(1234.5, "nb", 1) == f"1{NBSP}234,5" and num(1234.5, "en", 1) == "1,234.5"
    assert num(float("nan"), "nb") == "ukjent"
    assert date_text(dt.date(2026, 1, 5), "nb") == "05.01.2026"
    assert date_text(dt.date(2026, 1, 5), "en") == "2026-01-05"
    at = dt.datetime(2026, 1, 5, 14, 3, 9)
    assert date_text(at, "nb", clock=True) == "05.01.2026 14:03:09"
    assert date_text(at, "nb") == "05.01.2026" and date_text(None) == ""
    assert date_input_format("nb") == "DD.MM.YYYY" and date_input_format("en") == "YYYY-MM-DD"


def test_column_decimals():
    assert column_decimals([1.0, 2.0, np.nan]) == 0
    assert column_decimals([0.064, 0.5]) == 3
    assert column_decimals([8.1, 1234.5]) == 1


def _cells(styler) -> list[list[str]]:
    """The shown text of every body cell of a Styler."""
    styler._compute()
    body = styler._translate(False, False)["body"]
    return [[c["display_value"] for c in row if c["type"] == "td"] for row in body]


def test_the_table_shows_norwegian_numbers_but_keeps_the_numbers():
    frame = pd.DataFrame({
        "Område": ["Lillemoen", "Sentrum"],
        "Areal (m²)": [8.1, 1234.5],
        "Andel": [0.064, 0.5],
        "Boliger": [3, 1200],
        "Dato": [dt.date(2026, 1, 5), None],
        "Når": pd.to_datetime(["2026-01-05 14:03:09", "2026-02-01 08:00:00"]),
        "Ukjent": [np.nan, 2.5],
    })
    styler = table_styler(frame, "nb", missing="ukjent")
    assert _cells(styler) == [
        ["Lillemoen", "8,1", "0,064", "3", "05.01.2026", "05.01.2026 14:03:09", "ukjent"],
        ["Sentrum", f"1{NBSP}234,5", "0,500", f"1{NBSP}200", "ukjent", "01.02.2026 08:00:00",
         "2,5"],
    ]
    assert styler.data["Areal (m²)"].dtype == float  # still numbers: the table sorts by them
    english = _cells(table_styler(frame, "en", decimals={"Andel": 2}))
    assert english[1][1:4] == ["1,234.5", "0.50", "1,200"] and english[0][4] == "2026-01-05"


def test_the_table_colours_cells_by_their_word():
    frame = pd.DataFrame({"Vurdering": ["Grønt", "Rødt"], "Rang": [1, 2]})
    styler = table_styler(frame, "nb", colours={"Vurdering": {"Grønt": CELL_COLOURS["green"]}})
    styler._compute()
    css = {k: v for k, v in styler.ctx.items() if v}
    assert css == {(0, 0): [("background-color", "#c7e9c0"), ("color", "#000000")]}
    assert _cells(styler)[0][0] == "Grønt"  # the word stays


def test_charts_take_a_decimal_comma_and_norwegian_dates():
    assert plotly_separators("nb") == ", " and plotly_separators("en") == ".,"
    fig = chart_locale(go.Figure(go.Scatter(x=[dt.date(2026, 1, 5)], y=[0.5])), "nb", ("x",))
    assert fig.layout.separators == ", "
    assert fig.layout.xaxis.tickformat == "%d.%m.%Y" and fig.layout.xaxis.hoverformat == "%d.%m.%Y"
    assert chart_locale(go.Figure(), "en").layout.separators == ".,"


def test_plurals_in_ui_strings():
    assert t("showing", "nb", shown=1, total=1) == "Viser 1 av 1 bolig"
    assert t("showing", "nb", shown=5, total=1234) == f"Viser 5 av 1{NBSP}234 boliger"
    assert t("showing", "en", shown=1, total=1) == "Showing 1 of 1 unit"
    assert t("admin.verify_ok", "nb", n=1) == "Kjeden er hel: 1 rad."
    assert t("admin.verify_ok", "en", n=7) == "The chain is whole: 7 rows."
    assert t("purchase.ranked_summary", "nb", n=1, green=1, amber=0, red=2) == \
        "1 kandidat: 1 grønn, 0 gule, 2 røde"
    assert t("report.areas_more", "en", n=1) == "… and 1 more area with a lower share."
    assert t("plan.summary", "en", n=1, cost="2", money="3") == "1 purchase for 2 of 3"
