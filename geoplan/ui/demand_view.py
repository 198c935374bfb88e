"""Words, tables and the chart of the "Behov" page: demand as a flow, per target group.

Everything here reads a :class:`geoplan.service.DemandOutlook` (aggregates per target group:
households waiting, flows per year, suitable units) and never sees a person, an application or
a case.  Numbers are formatted for the language (:mod:`geoplan.ui.format`: "2,5 år" in bokmål);
a figure the model does not know (a group without flows) is said to be unknown, never guessed.
The page (``streamlit_app/pages/demand.py``) escapes every line before Markdown; the chart
escapes its legend texts (plotly reads a little HTML in them).
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from geoplan.ui import wording
from geoplan.ui.dashboard_view import day_text
from geoplan.ui.format import chart_locale, num
from geoplan.ui.i18n import t
from geoplan.vocab import TARGET_GROUP

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from geoplan.service import DemandOutlook

NO_FLOWS = "no_flows"  # the outlook's status of a group without flows in the years used


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def whole(value: float) -> int:
    """A count of households rounded to a whole number, halves up (9.5 → 10)."""
    return int(math.floor(float(value) + 0.5))


def amount(value: float, lang: str = "nb") -> str:
    """A mean count per year: whole when it is (nearly) whole ("6"), else one decimal ("7,7")."""
    if _missing(value):
        return num(float("nan"), lang)
    return num(value, lang, 0 if abs(value - round(value)) < 0.05 else 1)


def _word(key: str, n_text: str, lang: str) -> str:
    """The singular or plural of an ``a|b`` word key for the number as shown ("1" → one)."""
    one, many = t(key, lang).split("|", 1)
    return wording.plural(1 if n_text == "1" else 2, one, many)


def years_text(years: float, lang: str = "nb") -> str:
    """A span in years with one decimal: "2,5 år", "2.5 years", "1 year"."""
    shown = num(years, lang, 1)
    if round(float(years), 1) == 1.0:
        shown = "1"
    return f"{shown} {_word('demand.word.year', shown, lang)}"


def horizon_text(horizon: int, lang: str = "nb") -> str:
    """The horizon in words: "fire år", "four years", "ett år", "one year" (digits above ten)."""
    words = t("demand.number_words", lang).split(",")
    shown = words[horizon - 1] if 1 <= horizon <= len(words) else str(horizon)
    return f"{shown} {_word('demand.word.year', '1' if horizon == 1 else '2', lang)}"


def _last(outlook: DemandOutlook, group: str) -> Mapping | None:
    """The group's projection in the horizon's last year (None without one)."""
    steps = outlook.projection[outlook.projection["target_group"] == group]
    return None if steps.empty else steps.sort_values("year").iloc[-1].to_dict()


def _projection_words(row: Mapping, last: Mapping | None, outlook: DemandOutlook,
                      lang: str) -> str | None:
    """What the queue does by the horizon: with the scenario against without, or without it
    against today; None when the projection is unknown."""
    if last is None or _missing(last["queue"]):
        return None
    h = horizon_text(outlook.horizon, lang)
    base = whole(last["queue"])
    if outlook.scenario is not None and not _missing(last["queue_with_scenario"]):
        planned = whole(last["queue_with_scenario"])
        key = ("demand.line.plan_shortens" if planned < base else
               "demand.line.plan_lengthens" if planned > base else "demand.line.plan_same")
        return t(key, lang, n=planned, h=h, m=base)
    if _missing(row["waiting"]):
        return None
    now = whole(row["waiting"])
    key = ("demand.line.grows" if base > now else
           "demand.line.shrinks" if base < now else "demand.line.stays")
    return t(key, lang, n=base, h=h)


def group_line(row: Mapping, outlook: DemandOutlook, lang: str = "nb") -> str:
    """One group in plain words, e.g. "Flyktninger til bosetting: 15 venter, 6 tildelinger i
    året, ventetid om lag 2,5 år; planen korter køen til 9 om fire år (uten planen 13)".

    ``row`` is a row of ``outlook.groups``.  A group without flows says so and gives no rate,
    wait or projection.  Not escaped: the page escapes it for Markdown.
    """
    label = TARGET_GROUP.label(row["target_group"], lang)
    waiting = (t("demand.line.waiting_unknown", lang) if _missing(row["waiting"])
               else t("demand.line.waiting", lang, n=whole(row["waiting"])))
    if row["status"] == NO_FLOWS:
        return f"{label}: {waiting}; {t('demand.line.no_flows', lang)}"
    parts = [waiting]
    allocations = row["allocations"]
    if _missing(allocations):
        parts.append(t("demand.line.allocations", lang, n=num(float("nan"), lang),
                       word=_word("demand.word.allocation", "2", lang)))
    elif allocations <= 0:
        parts.append(t("demand.line.no_allocations", lang))
    else:
        n = amount(allocations, lang)
        parts.append(t("demand.line.allocations", lang, n=n,
                       word=_word("demand.word.allocation", n, lang)))
        if not _missing(row["expected_wait_years"]):
            parts.append(t("demand.line.wait", lang,
                           years=years_text(row["expected_wait_years"], lang)))
    text = f"{label}: {', '.join(parts)}"
    future = _projection_words(row, _last(outlook, row["target_group"]), outlook, lang)
    return f"{text}; {future}" if future else text


def group_lines(outlook: DemandOutlook, lang: str = "nb") -> list[str]:
    """:func:`group_line` for every group, in the vocabulary's order."""
    return [group_line(row, outlook, lang) for row in outlook.groups.to_dict("records")]


def coverage_text(outlook: DemandOutlook, lang: str = "nb") -> str:
    """Which counts the figures rest on: the snapshot (and the one before it), the flow years
    and the projection's years, in one line."""
    parts = []
    if outlook.snapshot is None:
        parts.append(t("demand.no_snapshot", lang))
    else:
        text = t("demand.snapshot", lang, date=day_text(outlook.snapshot, lang))
        if outlook.previous_snapshot is not None:
            before = day_text(outlook.previous_snapshot, lang)
            text += f" ({t('demand.snapshot_previous', lang, date=before)})"
        parts.append(text + ".")
    years = list(outlook.years_used)
    if years:
        span = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
        parts.append(t("demand.years", lang, years=span) + ".")
    else:
        parts.append(t("demand.no_years", lang))
    first = outlook.on.year + 1
    parts.append(t("demand.projection_years", lang, first=first,
                   last=first + outlook.horizon - 1) + ".")
    return " ".join(parts)


def headline(outlook: DemandOutlook, lang: str = "nb") -> list[tuple[str, str]]:
    """(label, value) of the page's metrics: households waiting, unmet need at the horizon
    (the sum of the known gaps) and the groups without flows."""
    g = outlook.groups
    waiting = g["waiting"].dropna()
    gaps = g["gap"].dropna()
    return [
        (t("demand.total_waiting", lang),
         str(whole(waiting.sum())) if len(waiting) else num(float("nan"), lang)),
        (t("demand.total_gap", lang, h=horizon_text(outlook.horizon, lang)),
         str(whole(gaps.sum())) if len(gaps) else num(float("nan"), lang)),
        (t("demand.no_flow_groups", lang), str(int((g["status"] == NO_FLOWS).sum()))),
    ]


def _number(value: object, whole_count: bool = False) -> float:
    """A table cell as a number: NaN when unknown, a whole count rounded halves up."""
    if _missing(value):
        return float("nan")
    return float(whole(value)) if whole_count else float(value)


# The table's columns: i18n key under "demand.col.", the outlook's column, and how it is shown
# (whole: a count of households; pct: a share shown in percent; else a mean a year).
TABLE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("waiting", "waiting", "whole"), ("trend", "waiting_trend", "whole"),
    ("inflow", "inflow", "mean"), ("inflow_min", "inflow_min", "whole"),
    ("inflow_max", "inflow_max", "whole"), ("allocations", "allocations", "mean"),
    ("withdrawals", "withdrawals", "mean"), ("stock", "suitable_stock", "whole"),
    ("vacant", "vacant", "whole"), ("turnover", "turnover_rate", "pct"),
    ("supply", "supply", "mean"), ("wait", "expected_wait_years", "mean"),
    ("need", "net_annual_need", "mean"), ("gap", "gap", "whole"),
)


def groups_table(outlook: DemandOutlook, lang: str = "nb") -> pd.DataFrame:
    """One row per target group, translated headers with the unit in the header, numbers as
    numbers (so the table sorts by them; the page shows them by the language's conventions).

    Columns: the group (text); households waiting and the change since the previous snapshot;
    new applications a year (mean, lowest, highest); allocations and withdrawals a year;
    suitable and vacant units; the re-let rate (%); supply a year; the expected wait (years);
    the net need a year; the gap at the horizon; and a note (text) for a group without flows.
    Counts of households are whole; an unknown figure is NaN (the page shows "ukjent").
    """
    h = horizon_text(outlook.horizon, lang)
    rows = []
    for r in outlook.groups.to_dict("records"):
        row = {t("demand.col.group", lang): TARGET_GROUP.label(r["target_group"], lang)}
        for key, column, kind in TABLE_COLUMNS:
            value = r[column]
            if kind == "pct" and not _missing(value):
                value = 100 * float(value)
            row[t(f"demand.col.{key}", lang, h=h)] = _number(value, kind == "whole")
        row[t("demand.col.status", lang)] = (t("demand.status.no_flows", lang)
                                            if r["status"] == NO_FLOWS else "")
        rows.append(row)
    return pd.DataFrame(rows)


def table_decimals(table: pd.DataFrame) -> dict[str, int]:
    """The decimals of :func:`groups_table`'s number columns: counts whole, means and rates one."""
    return {col: 0 if kind == "whole" else 1
            for (_, _, kind), col in zip(TABLE_COLUMNS, table.columns[1:-1], strict=True)}


def scenario_text(outlook: DemandOutlook, lang: str = "nb") -> str | None:
    """The scenario's purchases, the groups they go to (one each), the purchases that fit no
    group, and the groups whose stock its sales reduce (a sale leaves every group it suits);
    None without a scenario.  Not escaped: the scenario's name is the user's."""
    if outlook.scenario is None:
        return None
    units = outlook.scenario_units
    codes = list(units["target_group"]) if len(units) else []
    bought = [(g, int(n)) for g, n in zip(codes, units.get("bought", []), strict=True) if n > 0]
    sold = [(g, int(n)) for g, n in zip(codes, units.get("sold", []), strict=True) if n > 0]
    n = sum(k for _, k in bought) + int(outlook.unassigned)
    parts = [t("demand.scenario_counts", lang, name=outlook.scenario,
               buys=f"{n} {_word('demand.word.purchase', str(n), lang)}")]
    if bought:
        parts.append(t("demand.scenario_groups", lang, groups=wording.group_counts(bought, lang)))
    if outlook.unassigned:
        k = int(outlook.unassigned)
        parts.append(t("demand.unassigned", lang,
                       n=f"{k} {_word('demand.word.purchase', str(k), lang)}"))
    if sold:
        parts.append(t("demand.scenario_sold", lang, groups=wording.group_counts(sold, lang)))
    return " ".join(parts)


def projection_figure(outlook: DemandOutlook, lang: str = "nb") -> go.Figure:
    """The projected queue per group: households waiting on the date, then each projected
    year; a solid line without new units, a dashed one with the scenario (when one is chosen).
    Groups without a projection (no flows) are left out.  Legend texts are escaped."""
    import plotly.graph_objects as go

    colours = TARGET_GROUP.colors()
    fig = go.Figure()
    for row in outlook.groups.to_dict("records"):
        g = row["target_group"]
        steps = outlook.projection[outlook.projection["target_group"] == g].sort_values("year")
        if steps["queue"].isna().all():
            continue
        label = html.escape(TARGET_GROUP.label(g, lang))
        years = [outlook.on.year, *steps["year"].tolist()]
        line = {"color": colours.get(g)}
        fig.add_trace(go.Scatter(x=years, y=[row["waiting"], *steps["queue"].tolist()],
                                 mode="lines+markers", name=label, legendgroup=g, line=line))
        if outlook.scenario is not None:
            name = html.escape(t("demand.chart_with", lang, group=TARGET_GROUP.label(g, lang),
                                 name=outlook.scenario))
            fig.add_trace(go.Scatter(
                x=years, y=[row["waiting"], *steps["queue_with_scenario"].tolist()],
                mode="lines+markers", name=name, legendgroup=g,
                line={**line, "dash": "dash"}))
    fig.update_layout(
        title=t("demand.chart_title", lang), hovermode="x unified", legend={"orientation": "h", "y": -0.2},
        margin={"t": 50, "b": 10}, yaxis_tickformat=".0f")
    fig.update_xaxes(title_text=t("year", lang), dtick=1)
    fig.update_yaxes(title_text=t("demand.chart_axis", lang), rangemode="tozero")
    return chart_locale(fig, lang)
