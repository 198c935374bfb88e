"""Filtering the register and turning it into display and download tables (no Streamlit)."""

from __future__ import annotations

from collections.abc import Collection

import geopandas as gpd
import numpy as np
import pandas as pd

from geoplan import service
from geoplan.crs import to_display
from geoplan.missing import is_blank
from geoplan.ui.i18n import t
from geoplan.unit_fields import BOOL, CODE, INT, UnitField, shown_in, vocabularies
from geoplan.vocab import Vocabulary

# The display table's columns in order (keys of geoplan.ui.i18n.STRINGS): the unit fields shown
# in the table, by their position there.
TABLE_FIELDS: tuple[UnitField, ...] = shown_in("table")
TABLE_COLUMNS: tuple[str, ...] = tuple(f.name for f in TABLE_FIELDS)
INT_COLUMNS = tuple(f.name for f in TABLE_FIELDS if f.kind == INT)
BOOL_COLUMNS = tuple(f.name for f in TABLE_FIELDS if f.kind == BOOL)
CODE_COLUMNS = tuple(f.name for f in TABLE_FIELDS if f.kind == CODE)

def _text(value: object) -> str:
    return "" if is_blank(value) else str(value).strip()


def address(units: pd.DataFrame) -> pd.Series:
    """Return each unit's street address, e.g. ``Storgata 12B`` (empty when no street)."""
    if units.empty:
        return pd.Series([], index=units.index, dtype=object)
    rows = zip(units["street"].tolist(), units["house_number"].tolist(),  # lists: a column's
               units["letter"].tolist(), strict=True)  # own iterator is slow for 10,000 values
    values = [
        " ".join(p for p in (_text(street), _text(number) + _text(letter)) if p)
        for street, number, letter in rows
    ]
    return pd.Series(values, index=units.index, dtype=object)


def lonlat(units: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return the units' longitudes and latitudes from their EPSG:25833 ``x``/``y``."""
    if units.empty:
        return np.empty(0), np.empty(0)
    lon, lat = to_display(units["x"].to_numpy(float), units["y"].to_numpy(float))
    return np.asarray(lon), np.asarray(lat)


def filter_units(
    units: gpd.GeoDataFrame,
    types: Collection[str] | None = None,
    tenures: Collection[str] | None = None,
    statuses: Collection[str] | None = None,
    target_groups: Collection[str] | None = None,
) -> gpd.GeoDataFrame:
    """Return the units whose codes are in every given collection (None means no filter)."""
    mask = pd.Series(True, index=units.index)
    for column, allowed in (
        ("unit_type", types), ("tenure", tenures), ("status", statuses),
        ("target_group", target_groups),
    ):
        if allowed is not None:
            mask &= units[column].isin(list(allowed))
    return units[mask]


def _labelled(values: pd.Series, vocab: Vocabulary, lang: str) -> pd.Series:
    return values.map(lambda c: "" if is_blank(c) else vocab.label(c, lang))


def units_table(units: gpd.GeoDataFrame, types: Vocabulary, lang: str = "nb",
                show_address: bool = True) -> pd.DataFrame:
    """Return a display table of the units: translated labels and headers, lon/lat, no geometry.

    Columns: :data:`TABLE_COLUMNS` as headers in ``lang``; without ``show_address``, the columns
    that name a unit's address or exact place (``locates`` fields) are left out.
    """
    df = pd.DataFrame(index=units.index)
    for col in TABLE_COLUMNS:
        if col in units.columns:
            df[col] = units[col]
    df["address"] = address(units)
    vocabs = vocabularies(types)
    for col in CODE_COLUMNS:
        df[col] = _labelled(units[col], vocabs[col], lang)
    for col in INT_COLUMNS:
        df[col] = pd.to_numeric(units[col], errors="coerce").round().astype("Int64")
    yes, no = t("yes", lang), t("no", lang)
    for col in BOOL_COLUMNS:
        df[col] = units[col].map(lambda v: "" if is_blank(v) else (yes if bool(v) else no))
    lon, lat = lonlat(units)
    df["lon"], df["lat"] = np.round(lon, 6), np.round(lat, 6)
    shown = [f.name for f in TABLE_FIELDS if show_address or not f.locates]
    df = df[shown].reset_index(drop=True)
    return df.rename(columns={c: t(c, lang) for c in shown})

def to_csv_bytes(table: pd.DataFrame) -> bytes:
    """Return ``table`` as CSV that Norwegian Excel opens: UTF-8 with BOM, ';' and decimal comma.

    Formula injection is neutralised (``service.table_bytes``): a text cell that begins with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a quote in front.
    """
    return service.table_bytes(table, ".csv", decimal=",")


def to_xlsx_bytes(table: pd.DataFrame, sheet: str = "Boliger") -> bytes:
    """Return ``table`` as an Excel workbook with one sheet; no cell is a formula.

    Formula injection is neutralised as in :func:`to_csv_bytes` (``service.table_bytes``).
    """
    return service.table_bytes(table, ".xlsx", sheet)
