"""Display tables and headline figures of the concentration page (no Streamlit).

Tables meant for sorting and downloading keep numbers as numbers; the small tables meant for
reading (indices, change between years) hold formatted text with the bokmål decimal comma.  The
words come from the cached numbers on each call, so switching the language recomputes nothing.
Functions that name units take ``show_address``: with False no address, unit id or coordinate
appears (the public mode).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

import pandas as pd

from geoplan import service
from geoplan.address import address_line
from geoplan.missing import is_blank
from geoplan.ui.format import count_text, date_text, num, pct
from geoplan.ui.i18n import t
from geoplan.ui.unit_table import address
from geoplan.ui.wording import describe_all, index_meaning, index_name
from geoplan.vocab import TARGET_GROUP, Vocabulary

if TYPE_CHECKING:
    from geoplan.service import Concentration


def _area_name(areas: pd.DataFrame) -> pd.Series:
    return pd.Series([c if is_blank(n) else n for n, c in zip(areas["name"], areas["code"],
                                                              strict=True)],
                     index=areas.index, dtype=object)


def area_flag_texts(areas: pd.DataFrame, lang: str = "nb") -> pd.Series:
    """Return each area's flags in words, after its name ('' when not flagged).

    ``areas`` carries ``code``, ``name`` and ``flag`` (a tuple of reasons per area).
    """
    texts = [describe_all(flags, lang, name)
             for flags, name in zip(areas["flag"], _area_name(areas), strict=True)]
    return pd.Series(texts, index=areas.index, dtype=object)


def unit_flag_texts(units: pd.DataFrame, lang: str = "nb",
                    show_address: bool = True) -> pd.Series:
    """Return each unit's flags in words ('' when not flagged).

    ``units`` carries ``unit_id``, the address parts (``street``, ``house_number``, ``letter``)
    and ``flag`` (a tuple of reasons per unit).  Each reason starts with the unit's address (its
    id when it has none) only when ``show_address``.
    """
    rows = zip(units["street"], units["house_number"], units["letter"], units["unit_id"],
               strict=True)
    places = ([address_line(s, n, x) or str(u) for s, n, x, u in rows]
              if show_address else [None] * len(units))
    texts = [describe_all(flags, lang, place)
             for flags, place in zip(units["flag"], places, strict=True)]
    return pd.Series(texts, index=units.index, dtype=object)


def area_problem_texts(areas: pd.DataFrame, lang: str = "nb") -> pd.Series:
    """Return each area's data problems in words, after its name ('' when none).

    ``areas`` carries ``code``, ``name`` and ``data_problem`` (a tuple of reasons per area).
    """
    texts = [describe_all(problems, lang, name)
             for problems, name in zip(areas["data_problem"], _area_name(areas), strict=True)]
    return pd.Series(texts, index=areas.index, dtype=object)


def data_problem_lines(result: Concentration, lang: str = "nb") -> list[str]:
    """One line per area with more municipal units than dwellings, naming the area."""
    return [text for text in area_problem_texts(result.areas, lang) if text]


def data_problem_markdown(result: Concentration, lang: str = "nb") -> str:
    """The page's warning about areas with more units than dwellings ('' when there are none):
    what such areas count as, then one escaped bullet per area."""
    from geoplan.ui.markdown import bullets

    lines = data_problem_lines(result, lang)
    return f"{t('conc_data_problems', lang)}\n\n{bullets(lines)}" if lines else ""


def coverage_text(result: Concentration, lang: str = "nb") -> str:
    """Which active units the shares and indices rest on, on which date, and why others not.

    E.g. "The shares and indices rest on 2 of 4 active municipal units on 2024-06-30. Left out:
    1 outside every area, 1 in areas with zero or unknown dwellings."
    """
    cov = result.coverage()
    text = t("conc_coverage", lang, used=cov["n_units_in_indices"],
             active=cov["n_units_active"], date=date_text(result.on, lang))
    parts = [t(f"excluded.{code}", lang, n=n) for code, n in cov["excluded"].items() if n]
    return f"{text} {t('conc_excluded', lang, parts=', '.join(parts))}" if parts else text


def undated_text(result: Concentration, lang: str = "nb") -> str:
    """How many units active on the result's date lack an acquired date, and how they count."""
    n = result.n_undated()
    return (t("conc_undated", lang, n=n) if n
            else t("conc_undated_none", lang, date=date_text(result.on, lang)))


def date_notes(result: Concentration, lang: str = "nb",
               today: dt.date | None = None) -> list[str]:
    """The sentences every display of the result carries: coverage, and undated units when the
    date is in the past (today's register needs no date to be read)."""
    notes = [coverage_text(result, lang)]
    if result.on < (today or dt.date.today()):
        notes.append(undated_text(result, lang))
    return notes


def trend_undated_text(yearly: pd.DataFrame, lang: str = "nb") -> str:
    """How many units in :func:`geoplan.service.trend`'s years lack an acquired date."""
    n = int(yearly["undated"].max()) if len(yearly) else 0
    return t("trend_undated", lang, n=n) if n else t("trend_undated_none", lang)


def headline(result: Concentration, lang: str = "nb") -> list[tuple[str, str]]:
    """Return (label, value) of the page's headline figures (units: all active units)."""
    return [
        (t("municipal_units", lang), count_text(result.coverage()["n_units_active"])),
        (t("conc_headline_share", lang), pct(result.totals["share"], lang)),
        (index_name("dissimilarity", lang), num(result.indices["dissimilarity"], lang)),
        (t("areas_over_cap", lang), str(len(result.flagged_areas()))),
        (t("units_over_cap", lang), str(len(result.flagged_units()))),
    ]


def indices_table(indices: dict[str, float], lang: str = "nb") -> pd.DataFrame:
    """Return one row per index of ``indices`` (key -> value): name, value and meaning."""
    return pd.DataFrame({
        t("conc_index", lang): [index_name(k, lang) for k in indices],
        t("conc_value", lang): [num(v, lang, 3) for v in indices.values()],
        t("conc_meaning", lang): [index_meaning(k, v, lang) for k, v in indices.items()],
    })


def flagged_areas_table(areas: pd.DataFrame, lang: str = "nb") -> pd.DataFrame:
    """Return the areas over the share cap, highest share first, with the reason.

    ``areas`` is :attr:`Concentration.areas` (``code``, ``name``, ``share``, ``flag``).
    """
    flagged = service.flagged(areas).sort_values("share", ascending=False)
    return pd.DataFrame({
        t("area_name", lang): _area_name(flagged),
        t("col_share_pct", lang): (100 * flagged["share"]).round(1),
        t("flag_reason", lang): area_flag_texts(flagged, lang),
    }).reset_index(drop=True)


def _unit_columns(rows: pd.DataFrame, areas: pd.DataFrame, lang: str,
                  show_address: bool) -> pd.DataFrame:
    """The columns that say which unit a row is: id and address (when shown) and area name."""
    names = dict(zip(areas["code"], _area_name(areas), strict=True))
    table = pd.DataFrame(index=rows.index)
    if show_address:
        table[t("unit_id", lang)] = rows["unit_id"]
        table[t("address", lang)] = address(rows)
    table[t("area_name", lang)] = rows["area"].map(names)
    return table


def flagged_units_table(units: pd.DataFrame, areas: pd.DataFrame, lang: str = "nb",
                        show_address: bool = True) -> pd.DataFrame:
    """Return the units over a building or radius cap, with their area and the reasons.

    ``units`` is :attr:`Concentration.units` (``unit_id``, address parts, ``area``,
    ``same_building``, ``within_250m``, ``flag``); ``areas`` gives the area names.  Without
    ``show_address`` no unit id or address appears.
    """
    flagged = service.flagged(units).sort_values(["within_250m", "unit_id"],
                                                 ascending=[False, True])
    table = _unit_columns(flagged, areas, lang, show_address)
    table[t("col_same_building", lang)] = flagged["same_building"]
    table[t("col_within_250m", lang)] = flagged["within_250m"]
    table[t("flag_reason", lang)] = unit_flag_texts(flagged, lang, show_address)
    return table.reset_index(drop=True)


def units_proximity_table(units: pd.DataFrame, areas: pd.DataFrame, lang: str = "nb",
                          show_address: bool = True) -> pd.DataFrame:
    """Concentration without areas: every active unit's radius, building and address counts.

    ``units`` is :attr:`Concentration.units` (``within_<r>m``, ``same_building``,
    ``same_address``); without ``show_address`` no unit id or address appears.
    """
    rows = units.sort_values(["within_250m", "unit_id"], ascending=[False, True])
    radius_cols = sorted((c for c in rows.columns if c.startswith("within_")),
                         key=lambda c: float(c.removeprefix("within_").removesuffix("m")))
    table = _unit_columns(rows, areas, lang, show_address)
    for col in radius_cols:
        metres = col.removeprefix("within_").removesuffix("m")
        table[t("col_within_radius", lang, metres=metres)] = rows[col]
    table[t("col_same_building", lang)] = rows["same_building"]
    table[t("col_same_address", lang)] = rows["same_address"]
    return table.reset_index(drop=True)


def area_display_table(areas: pd.DataFrame, types: Vocabulary, lang: str = "nb") -> pd.DataFrame:
    """Return the per-area table, highest share first: numbers stay numbers for sorting.

    ``areas`` is :attr:`Concentration.areas`; its dwellings are those the shares use (raised to
    the unit count where the register holds more units).  With a ``data_problem`` column the
    table says so in a column of its own.
    """
    rows = areas.sort_values(["share", "code"], ascending=[False, True], na_position="last")
    table = pd.DataFrame({
        t("col_code", lang): rows["code"],
        t("area_name", lang): _area_name(rows),
        t("col_population", lang): rows["population"].round().astype("Int64"),
        t("dwellings", lang): rows["dwellings"].round().astype("Int64"),
        t("municipal_units", lang): rows["units"],
        t("col_share_pct", lang): (100 * rows["share"]).round(1),
        t("col_per_1000", lang): rows["per_1000"].round(1),
        t("col_lq", lang): rows["lq"].round(2),
        t("col_z", lang): rows["z"].round(2),
        t("col_p", lang): rows["p"].round(3),
        t("cluster", lang): rows["cluster"].map(lambda c: t(f"cluster.{c}", lang)),
        t("flag_reason", lang): area_flag_texts(rows, lang),
    })
    if "data_problem" in rows:
        table[t("col_data_problem", lang)] = area_problem_texts(rows, lang).to_numpy()
    for column in rows.columns:
        kind, _, code = column.partition(":")
        if kind == "type":
            table[t("col_type", lang, label=types.label(code, lang))] = rows[column]
        elif kind == "group":
            table[t("col_group", lang, label=TARGET_GROUP.label(code, lang))] = rows[column]
    return table.reset_index(drop=True)


def _signed(text: str, value: float) -> str:
    return f"+{text}" if isinstance(value, float) and math.isfinite(value) and value > 0 else text


def change_table(yearly: pd.DataFrame, year_a: int, year_b: int,
                 lang: str = "nb") -> pd.DataFrame:
    """Return :func:`geoplan.service.trend_change` with translated rows and formatted values."""
    change = service.trend_change(yearly, year_a, year_b)

    def fmt(key: str, value: float) -> str:
        if key == "share":
            return pct(value, lang)
        counts = ("units", "units_in_indices", "undated", "areas_over_cap")
        return count_text(value) if key in counts else num(value, lang, 3)

    def fmt_change(key: str, value: float) -> str:
        value = float(value)
        if key == "share":
            return t("percentage_points", lang, value=_signed(num(100 * value, lang, 1), value))
        return _signed(fmt(key, value), value)

    labels = {"units": t("municipal_units", lang), "share": t("conc_headline_share", lang),
              "units_in_indices": t("units_in_indices", lang),
              "undated": t("units_undated", lang), "areas_over_cap": t("areas_over_cap", lang)}
    a, b = str(year_a), str(year_b)
    return pd.DataFrame({
        t("conc_indicator_col", lang): [labels.get(k) or index_name(k, lang)
                                        for k in change.index],
        a: [fmt(k, v) for k, v in change[a].items()],
        b: [fmt(k, v) for k, v in change[b].items()],
        t("conc_change_col", lang): [fmt_change(k, v) for k, v in change["change"].items()],
    })
