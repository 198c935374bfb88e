"""Plotly figures of the concentration trend, and the trend in one sentence (no Streamlit).

The inputs are the two frames of :func:`geoplan.service.concentration.trend`: ``yearly`` (one row
per year: units, share and the indices) and ``by_area`` (share per area, one column per year).
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from geoplan.analytics.interpret import name
from geoplan.missing import is_blank
from geoplan.ui.format import num
from geoplan.ui.i18n import t

TREND_INDICES: tuple[str, ...] = ("dissimilarity", "isolation", "gini", "theil",
                                  "spatial_dissimilarity")
SYMBOLS: dict[str, str] = {"dissimilarity": "D", "isolation": "xPx", "exposure": "xPy",
                           "gini": "Gini", "theil": "H", "spatial_dissimilarity": "D(adj)"}


def _layout(fig: go.Figure, title: str, lang: str) -> go.Figure:
    fig.update_layout(
        title=title, separators=", " if lang != "en" else ".,", hovermode="x unified",
        legend={"orientation": "h", "y": -0.2}, margin={"t": 50, "b": 10},
    )
    fig.update_xaxes(title_text=t("year", lang), dtick=1)
    return fig


def indices_figure(yearly: pd.DataFrame, lang: str = "nb") -> go.Figure:
    """Return one line per segregation index (D, isolation, Gini, Theil, spatial D) by year."""
    fig = go.Figure([
        go.Scatter(x=yearly["year"], y=yearly[key], mode="lines+markers", name=name(key, lang))
        for key in TREND_INDICES
    ])
    fig.update_yaxes(title_text=t("index_value", lang), rangemode="tozero")
    return _layout(fig, t("indices_title", lang), lang)


def units_figure(yearly: pd.DataFrame, lang: str = "nb") -> go.Figure:
    """Return the number of municipal units (bars) and their share of all dwellings (line)."""
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(go.Bar(x=yearly["year"], y=yearly["units"], name=t("municipal_units", lang),
                         marker_color="#9ecae1"), secondary_y=False)
    fig.add_trace(go.Scatter(x=yearly["year"], y=100 * yearly["share"], mode="lines+markers",
                             name=t("share_pct_axis", lang), line_color="#d7301f"),
                  secondary_y=True)
    fig.update_yaxes(title_text=t("municipal_units", lang), rangemode="tozero", secondary_y=False)
    fig.update_yaxes(title_text=t("share_pct_axis", lang), rangemode="tozero", secondary_y=True,
                     tickmode="auto", tickformat=".1f", showgrid=False)
    return _layout(fig, t("units_title", lang), lang)


def area_share_figure(
    by_area: pd.DataFrame, names: Mapping[str, str], lang: str = "nb", top: int = 8,
) -> go.Figure:
    """Return the share per year of the ``top`` areas with the highest share in the last year.

    ``names`` maps area codes to names (codes without a name are shown as the code).
    """
    latest = by_area[by_area.columns[-1]] if len(by_area.columns) else pd.Series(dtype=float)
    codes = latest.dropna().sort_values(ascending=False).index[:top]
    fig = go.Figure([
        go.Scatter(x=list(by_area.columns), y=100 * by_area.loc[code], mode="lines+markers",
                   name=html.escape(str(code if is_blank(names.get(code)) else names[code])))
        for code in codes
    ])
    fig.update_yaxes(title_text=t("share_pct_axis", lang), rangemode="tozero")
    return _layout(fig, t("area_share_title", lang, n=len(codes)), lang)


def trend_sentence(
    yearly: pd.DataFrame, lang: str = "nb", index: str = "dissimilarity", years: int = 5,
    tolerance: float = 0.01,
) -> str:
    """Say whether ``index`` has fallen, risen or stayed flat over the last ``years`` years.

    The last year with a value is compared with the last one at least ``years`` earlier (or the
    first year with a value when the series is shorter); a change smaller than ``tolerance``
    counts as flat.  E.g. "D har falt fra 0,25 til 0,19 siden 2020."
    """
    rows = yearly[["year", index]].dropna()
    rows = rows[rows[index].map(math.isfinite)]
    if len(rows) < 2:
        return t("trend_unknown", lang)
    end_year, end = rows.iloc[-1]
    earlier = rows[rows["year"] <= end_year - years]
    start_year, start = earlier.iloc[-1] if len(earlier) else rows.iloc[0]
    if start_year == end_year:
        return t("trend_unknown", lang)
    key = ("trend_flat" if abs(end - start) < tolerance
           else "trend_falling" if end < start else "trend_rising")
    return t(key, lang, symbol=SYMBOLS[index], start=num(start, lang), end=num(end, lang),
             year=int(start_year))
