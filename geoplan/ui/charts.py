"""Plotly figures of the concentration trend (no Streamlit).

The inputs are the two frames of :func:`geoplan.service.trend`: ``yearly`` (one row per year:
``year``, ``units``, ``undated``, ``share`` and one column per index key) and ``by_area`` (share per area,
index ``code``, one column per year).  The trend in words is
:func:`geoplan.ui.wording.trend_text` of :func:`geoplan.service.trend_statement`.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from geoplan import service
from geoplan.missing import is_blank
from geoplan.ui.format import plotly_separators
from geoplan.ui.i18n import t
from geoplan.ui.wording import index_name


def _layout(fig: go.Figure, title: str, lang: str) -> go.Figure:
    fig.update_layout(
        title=title, separators=plotly_separators(lang), hovermode="x unified",
        legend={"orientation": "h", "y": -0.2}, margin={"t": 50, "b": 10},
    )
    fig.update_xaxes(title_text=t("year", lang), dtick=1)
    return fig


def indices_figure(yearly: pd.DataFrame, lang: str = "nb") -> go.Figure:
    """Return one line per charted index of ``service.INDEX_SPECS`` by year."""
    fig = go.Figure([
        go.Scatter(x=yearly["year"], y=yearly[spec.key], mode="lines+markers",
                   name=index_name(spec.key, lang))
        for spec in service.INDEX_SPECS if spec.charted
    ])
    fig.update_yaxes(title_text=t("index_value", lang), rangemode="tozero")
    return _layout(fig, t("indices_title", lang), lang)


def units_figure(yearly: pd.DataFrame, lang: str = "nb") -> go.Figure:
    """Return the number of municipal units (bars) and their share of all dwellings (line).

    With an ``undated`` column the bars stack the units with an acquired date and those without
    one (which count as active in every year), so the undated part is visible.
    """
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    if "undated" in yearly:
        bars = ((yearly["units"] - yearly["undated"], "units_dated", "#9ecae1"),
                (yearly["undated"], "units_undated", "#bdbdbd"))
    else:
        bars = ((yearly["units"], "municipal_units", "#9ecae1"),)
    for values, key, colour in bars:
        fig.add_trace(go.Bar(x=yearly["year"], y=values, name=t(key, lang),
                             marker_color=colour), secondary_y=False)
    fig.update_layout(barmode="stack")
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

