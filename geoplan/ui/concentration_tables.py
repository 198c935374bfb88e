"""Display tables and headline figures of the concentration page (no Streamlit).

Tables meant for sorting and downloading keep numbers as numbers; the small tables meant for
reading (indices, change between years) hold formatted text with the bokmål decimal comma.
"""

from __future__ import annotations

import math

import pandas as pd

from geoplan.analytics import trend as trend_mod
from geoplan.analytics.concentration import Concentration
from geoplan.analytics.interpret import interpret, name
from geoplan.missing import is_blank
from geoplan.ui.format import count_text, num, pct
from geoplan.ui.i18n import t
from geoplan.ui.unit_table import address
from geoplan.vocab import TARGET_GROUP, Vocabulary


def _area_name(areas: pd.DataFrame) -> pd.Series:
    return pd.Series([c if is_blank(n) else n for n, c in zip(areas["name"], areas["code"],
                                                              strict=True)],
                     index=areas.index, dtype=object)


def _flagged(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["flag"].fillna("").astype(bool)]


def headline(result: Concentration, lang: str = "nb") -> list[tuple[str, str]]:
    """Return (label, value) of the page's headline figures."""
    return [
        (t("municipal_units", lang), count_text(result.totals["units"])),
        (t("conc_headline_share", lang), pct(result.totals["share"], lang)),
        (name("dissimilarity", lang), num(result.indices["dissimilarity"], lang)),
        (t("areas_over_cap", lang), str(len(_flagged(result.areas)))),
        (t("units_over_cap", lang), str(len(_flagged(result.units)))),
    ]


def indices_table(indices: dict[str, float], lang: str = "nb") -> pd.DataFrame:
    """Return one row per index: its name, its value and what the value means."""
    return pd.DataFrame({
        t("conc_index", lang): [name(k, lang) for k in indices],
        t("conc_value", lang): [num(v, lang, 3) for v in indices.values()],
        t("conc_meaning", lang): [interpret(k, v, lang) for k, v in indices.items()],
    })


def flagged_areas_table(areas: pd.DataFrame, lang: str = "nb") -> pd.DataFrame:
    """Return the areas over the share cap, highest share first, with the reason."""
    flagged = _flagged(areas).sort_values("share", ascending=False)
    return pd.DataFrame({
        t("area_name", lang): _area_name(flagged),
        t("col_share_pct", lang): (100 * flagged["share"]).round(1),
        t("flag_reason", lang): flagged["flag"],
    }).reset_index(drop=True)


def flagged_units_table(units: pd.DataFrame, areas: pd.DataFrame,
                        lang: str = "nb") -> pd.DataFrame:
    """Return the units over a building or radius cap, with their area and the reasons."""
    flagged = _flagged(units).sort_values(["within_250m", "unit_id"], ascending=[False, True])
    names = dict(zip(areas["code"], _area_name(areas), strict=True))
    return pd.DataFrame({
        t("unit_id", lang): flagged["unit_id"],
        t("address", lang): address(flagged),
        t("area_name", lang): flagged["area"].map(names),
        t("col_same_building", lang): flagged["same_building"],
        t("col_within_250m", lang): flagged["within_250m"],
        t("flag_reason", lang): flagged["flag"],
    }).reset_index(drop=True)


def units_proximity_table(units: pd.DataFrame, areas: pd.DataFrame,
                          lang: str = "nb") -> pd.DataFrame:
    """Concentration without areas: every active unit's radius, building and address counts."""
    rows = units.sort_values(["within_250m", "unit_id"], ascending=[False, True])
    names = dict(zip(areas["code"], _area_name(areas), strict=True))
    radius_cols = sorted((c for c in rows.columns if c.startswith("within_")),
                         key=lambda c: float(c.removeprefix("within_").removesuffix("m")))
    table = pd.DataFrame({
        t("unit_id", lang): rows["unit_id"],
        t("address", lang): address(rows),
        t("area_name", lang): rows["area"].map(names),
    })
    for col in radius_cols:
        metres = col.removeprefix("within_").removesuffix("m")
        table[t("col_within_radius", lang, metres=metres)] = rows[col]
    table[t("col_same_building", lang)] = rows["same_building"]
    table[t("col_same_address", lang)] = rows["same_address"]
    return table.reset_index(drop=True)


def area_display_table(areas: pd.DataFrame, types: Vocabulary, lang: str = "nb") -> pd.DataFrame:
    """Return the per-area table, highest share first: numbers stay numbers for sorting."""
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
        t("flag_reason", lang): rows["flag"],
    })
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
    """Return :func:`geoplan.analytics.trend.change` with translated rows and formatted values."""
    change = trend_mod.change(yearly, year_a, year_b)

    def fmt(key: str, value: float) -> str:
        if key == "share":
            return pct(value, lang)
        return count_text(value) if key in ("units", "areas_over_cap") else num(value, lang, 3)

    def fmt_change(key: str, value: float) -> str:
        value = float(value)
        if key == "share":
            return t("percentage_points", lang, value=_signed(num(100 * value, lang, 1), value))
        return _signed(fmt(key, value), value)

    labels = {"units": t("municipal_units", lang), "share": t("conc_headline_share", lang),
              "areas_over_cap": t("areas_over_cap", lang)}
    a, b = str(year_a), str(year_b)
    return pd.DataFrame({
        t("conc_indicator_col", lang): [labels.get(k) or name(k, lang) for k in change.index],
        a: [fmt(k, v) for k, v in change[a].items()],
        b: [fmt(k, v) for k, v in change[b].items()],
        t("conc_change_col", lang): [fmt_change(k, v) for k, v in change["change"].items()],
    })
