"""Words, classes and colours of the dashboard, shared by the page, the PDF and the PNG.

Everything here reads a :class:`geoplan.service.Dashboard` (area aggregates only, small counts
already protected by the service in the public version) and never sees a unit.  The page
(``streamlit_app/pages/dashboard.py``), the meeting papers (``geoplan.ui.report``) and the slide
PNG use these functions, so a figure reads the same on the projector and on paper.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geoplan.missing import is_blank
from geoplan.ui import wording
from geoplan.ui.format import num, pct, plotly_separators
from geoplan.ui.i18n import t
from geoplan.vocab import TARGET_GROUP

if TYPE_CHECKING:
    from geoplan.service import Dashboard

# Colour-blind-safe sequential palette for the municipal share (ColorBrewer YlGnBu, 5 classes),
# grey for unknown, hatched-grey look (light grey) for suppressed areas.
SHARE_PALETTE: tuple[str, ...] = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
UNKNOWN_COLOR = "#bdbdbd"
SUPPRESSED_COLOR = "#f0f0f0"
# Share class upper bounds (fractions): fixed, so the legend means the same on every date and
# in every municipality; the last class is "above the cap" when the cap is 10 %.
SHARE_BINS: tuple[float, ...] = (0.02, 0.04, 0.06, 0.10, 1.0)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def count_text(value: float | None, min_count: int, lang: str = "nb") -> str:
    """A published count: the number, or "under 5" / "færre enn 5" when suppressed."""
    if _missing(value):
        return t("dash.suppressed", lang, n=min_count)
    return num(float(value), lang, 0)


def share_text(value: float | None, lang: str = "nb") -> str:
    """A published share as a percentage, or "–" when it rests on a suppressed count."""
    return "–" if _missing(value) else pct(float(value), lang)


def headline_items(d: Dashboard, lang: str = "nb") -> list[tuple[str, str]]:
    """The headline figures as (label, value) pairs, in the dashboard's order."""
    h = d.headline
    return [
        (t("dash.units", lang), count_text(h["units"], d.min_count, lang)),
        (t("dash.per_1000", lang), "–" if _missing(h["units_per_1000"])
         else num(h["units_per_1000"], lang, 1)),
        (t("dash.over_cap", lang), share_text(h["share_in_areas_over_cap"], lang)),
        (wording.index_name("dissimilarity", lang), "–" if _missing(h["dissimilarity"])
         else num(h["dissimilarity"], lang, 2)),
    ]


def trend_line(d: Dashboard, lang: str = "nb") -> str:
    """D's trend in one sentence (see :func:`geoplan.ui.wording.trend_text`)."""
    return wording.trend_text(d.d_trend, lang)


def share_classes(d: Dashboard) -> np.ndarray:
    """The class of each area for the map: 0..4 by SHARE_BINS, -1 unknown, -2 suppressed."""
    share = d.areas["share"].to_numpy(float)
    classes = np.searchsorted(np.asarray(SHARE_BINS), share, side="left")
    classes = np.where(np.isfinite(share), np.minimum(classes, len(SHARE_BINS) - 1), -1)
    return np.where(d.areas["suppressed"].to_numpy(bool), -2, classes)


def class_color(cls: int) -> str:
    """The fill colour of a class from :func:`share_classes`."""
    if cls == -2:
        return SUPPRESSED_COLOR
    if cls < 0:
        return UNKNOWN_COLOR
    return SHARE_PALETTE[cls]


def legend_items(d: Dashboard, lang: str = "nb") -> list[tuple[str, str]]:
    """(colour, label) for each share class, then suppressed and unknown."""
    lows = (0.0, *SHARE_BINS[:-1])
    items = [(SHARE_PALETTE[i], f"{pct(lo, lang, 0)} – {pct(hi, lang, 0)}" if hi < 1
              else t("dash.legend_above", lang, share=pct(lo, lang, 0)))
             for i, (lo, hi) in enumerate(zip(lows, SHARE_BINS, strict=True))]
    items.append((SUPPRESSED_COLOR, t("dash.legend_suppressed", lang, n=d.min_count)))
    items.append((UNKNOWN_COLOR, t("dash.legend_unknown", lang)))
    return items


SUPPLY_COLUMNS = ("households", "vacant", "gap")  # the waiting list against supply


def supply_header(d: Dashboard, lang: str = "nb") -> tuple[str, str, str, str]:
    """The headers of :func:`supply_rows`: group, waiting, vacant, unmet in N years."""
    return (t("dash.col_group", lang), t("dash.col_waiting", lang), t("dash.col_vacant", lang),
            t("dash.col_gap", lang, h=d.gap_horizon))


def supply_rows(d: Dashboard, lang: str = "nb") -> list[tuple[str, str, str, str]]:
    """(target group, households waiting, vacant suitable units, gap) as published texts.

    A suppressed count reads "færre enn 5"; a gap the demand model does not know (no flows)
    reads "ukjent"/"unknown".  A dashboard without the supply columns shows "–" for them.
    """
    w = d.waiting
    rows = []
    for i, g in enumerate(w["target_group"]):
        cells = []
        for col in SUPPLY_COLUMNS:
            if col not in w:
                cells.append("–")
            elif col == "gap" and bool(w.get("gap_unknown", pd.Series(False, index=w.index))
                                       .iloc[i]):
                cells.append(num(float("nan"), lang))
            else:
                cells.append(count_text(w[col].iloc[i], d.min_count, lang))
        rows.append((TARGET_GROUP.label(g, lang), *cells))
    return rows


def this_year_rows(d: Dashboard, lang: str = "nb") -> list[tuple[str, str]]:
    """(label, count) of this year's purchases and sales."""
    return [(t(f"dash.{k}", lang, year=d.on.year), count_text(v, d.min_count, lang))
            for k, v in d.this_year.items()]


def title(d: Dashboard, lang: str = "nb") -> str:
    """The dashboard's title: municipality and date (dd.mm.åååå in bokmål)."""
    return t("dash.title", lang, municipality=d.municipality or "", date=day_text(d.on, lang))


def day_text(day: dt.date | None, lang: str = "nb") -> str:
    """A date as dd.mm.åååå in bokmål, YYYY-MM-DD in English; "–" when there is none."""
    if day is None:
        return "–"
    return day.strftime("%d.%m.%Y") if lang != "en" else day.isoformat()


def area_name(code: object, name: object) -> str:
    """An area's name, or its code when it has none (grid cells)."""
    return str(code) if is_blank(name) else str(name)


def area_rows(d: Dashboard, lang: str = "nb", limit: int | None = None) -> tuple[list[dict], int]:
    """The per-area table, highest published share first (unknown shares last).

    Returns
    -------
    rows : one dict per area with ``name``, ``dwellings``, ``units``, ``share``, ``per_1000``
        (texts; a suppressed count reads "færre enn 5") and ``over_cap`` (bool).
    more : how many areas ``limit`` left out (0 without a limit).
    """
    frame = d.areas.assign(_order=d.areas["share"].fillna(-1.0)).sort_values(
        ["_order", "dwellings"], ascending=[False, False], kind="stable")
    shown = frame if limit is None else frame.head(limit)
    rows = [{
        "name": area_name(r.code, r.name),
        "dwellings": "–" if _missing(r.dwellings) else num(float(r.dwellings), lang, 0),
        "units": count_text(r.units, d.min_count, lang),
        "share": share_text(r.share, lang),
        "per_1000": "–" if _missing(r.per_1000) else num(float(r.per_1000), lang, 1),
        "over_cap": bool(r.over_cap),
    } for r in shown.itertuples(index=False)]
    return rows, len(frame) - len(shown)


# ---------------------------------------------------------------- the dashboard page (HTML, chart)


def headline_html(d: Dashboard, lang: str = "nb") -> str:
    """The headline tiles as HTML for the page (every text escaped; CSS classes ``dash-*``).

    One tile per :func:`headline_items` entry; the last one (D) carries :func:`trend_line`.
    """
    items = headline_items(d, lang)
    tiles = []
    for i, (label, value) in enumerate(items):
        note = (f'<div class="dash-note">{html.escape(trend_line(d, lang))}</div>'
                if i == len(items) - 1 else "")
        tiles.append(f'<div class="dash-tile"><div class="dash-value">{html.escape(value)}</div>'
                     f'<div class="dash-label">{html.escape(label)}</div>{note}</div>')
    return f'<div class="dash-tiles">{"".join(tiles)}</div>'


def rows_html(heading: str, rows: list[tuple[str, str]], empty: str = "") -> str:
    """A heading and (label, value) rows as an HTML table (escaped; ``empty`` when no rows)."""
    body = "".join(f'<tr><th>{html.escape(label)}</th><td>{html.escape(value)}</td></tr>'
                   for label, value in rows)
    table = f'<table class="dash-rows">{body}</table>' if rows else \
        f'<p class="dash-label">{html.escape(empty)}</p>'
    return f'<div class="dash-block"><h3>{html.escape(heading)}</h3>{table}</div>'


def waiting_html(d: Dashboard, lang: str = "nb") -> str:
    """The waiting list against supply per target group (:func:`supply_rows` under
    :func:`supply_header`), with a note on what "vacant" and "unmet" mean; escaped."""
    heading = html.escape(t("dash.waiting_title", lang, date=day_text(d.waiting_date, lang)))
    rows = supply_rows(d, lang)
    if not rows:
        return (f'<div class="dash-block"><h3>{heading}</h3><p class="dash-label">'
                f'{html.escape(t("dash.waiting_none", lang))}</p></div>')
    head = "".join(f"<th>{html.escape(h)}</th>" if i == 0 else
                   f'<th class="dash-num">{html.escape(h)}</th>'
                   for i, h in enumerate(supply_header(d, lang)))
    body = "".join("<tr>" + "".join(f"<th>{html.escape(c)}</th>" if i == 0 else
                                    f"<td>{html.escape(c)}</td>" for i, c in enumerate(r))
                   + "</tr>" for r in rows)
    note = html.escape(t("dash.supply_note", lang, h=d.gap_horizon))
    return (f'<div class="dash-block"><h3>{heading}</h3><table class="dash-rows dash-supply">'
            f'<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
            f'<p class="dash-supply-note">{note}</p></div>')


def this_year_html(d: Dashboard, lang: str = "nb") -> str:
    """This year's purchases and sales, as :func:`rows_html`."""
    return rows_html(t("dash.this_year_title", lang, year=d.on.year), this_year_rows(d, lang))


TREND_BAR_COLOR = SHARE_PALETTE[2]
TREND_LINE_COLOR = "#000000"


def trend_figure(d: Dashboard, lang: str = "nb", height: int = 330, font_px: int = 18):
    """A plotly figure of :attr:`Dashboard.trend`: published units (bars) and D (line) by year.

    Suppressed counts (None) leave a gap; plotly is imported here so the PDF does not pay for it.
    """
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    years = d.trend
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(go.Bar(x=years["year"], y=years["units"], name=t("dash.units", lang),
                         marker_color=TREND_BAR_COLOR, marker_line_color="#222222",
                         marker_line_width=0.5), secondary_y=False)
    fig.add_trace(go.Scatter(x=years["year"], y=years["dissimilarity"], mode="lines+markers",
                             name=wording.index_name("dissimilarity", lang),
                             line={"color": TREND_LINE_COLOR, "width": 3}), secondary_y=True)
    fig.update_layout(
        title={"text": t("dash.trend_title", lang), "font": {"size": font_px + 6}, "x": 0,
               "xanchor": "left", "y": 0.98, "yanchor": "top"},
        height=height, margin={"t": 60, "b": 10, "l": 10, "r": 10, "autoexpand": True},
        font={"size": font_px, "color": "#000000"}, separators=plotly_separators(lang),
        legend={"orientation": "h", "y": 1.0, "x": 1, "xanchor": "right", "yanchor": "bottom"},
        plot_bgcolor="#ffffff", paper_bgcolor="#ffffff", hovermode="x unified",
    )
    fig.update_xaxes(dtick=2, showgrid=False, automargin=True)
    fig.update_yaxes(rangemode="tozero", gridcolor="#dddddd", automargin=True, secondary_y=False)
    fig.update_yaxes(rangemode="tozero", showgrid=False, tickformat=".2f", nticks=5,
                     automargin=True, secondary_y=True)
    return fig
