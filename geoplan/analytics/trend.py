"""Indicators and indices year by year, from the acquired and disposed dates."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp

from geoplan.analytics.active import active_mask, undated_mask
from geoplan.analytics.indices import compute_indices
from geoplan.analytics.per_area import area_table, totals

DIRECTIONS: tuple[str, ...] = ("falling", "rising", "flat", "unknown")


@dataclass(frozen=True)
class TrendStatement:
    """Whether an index fell, rose or stayed flat: data that ``geoplan.ui`` words.

    ``index`` is an :data:`~geoplan.analytics.indices.INDEX_SPECS` key; ``direction`` one of
    :data:`DIRECTIONS`; ``start`` (in ``start_year``) and ``end`` (in ``end_year``) are the two
    values compared, None when ``direction`` is "unknown".
    """

    index: str
    direction: str
    start: float | None = None
    end: float | None = None
    start_year: int | None = None
    end_year: int | None = None


def year_dates(start: int, end: dt.date) -> list[dt.date]:
    """31 December of each year from ``start``, and ``end`` itself for its own year."""
    return [dt.date(y, 12, 31) for y in range(start, end.year)] + [end]


def yearly(
    units: pd.DataFrame, areas: gpd.GeoDataFrame, area_index: np.ndarray,
    dates: Iterable[dt.date], w: sp.spmatrix | None = None, cap: float = 0.10,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (municipality per year, area share per year).

    The first frame has one row per date: ``year``, ``date``, ``units`` (active on the date),
    ``units_in_indices`` (those in areas with known dwellings), ``undated`` (active units without
    an acquired date: they count on every date, see :mod:`geoplan.analytics.active`), ``share``,
    ``areas_over_cap`` and one column per index key.  The second has the share per area (index
    ``code``, one column per year).  Dwelling and population counts are the areas' current ones:
    the register dates move the units, not the rest of the housing stock.
    """
    undated = undated_mask(units).to_numpy()
    rows, shares = [], {}
    for day in dates:
        mask = active_mask(units, day).to_numpy()
        table = area_table(units[mask], areas, area_index[mask])
        tot = totals(table)
        idx = compute_indices(table["units"].to_numpy(float),
                              table["dwellings"].to_numpy(float), w)
        rows.append({"year": day.year, "date": day, "units": int(mask.sum()),
                     "units_in_indices": int(tot["units"]), "undated": int((mask & undated).sum()),
                     "share": tot["share"], "areas_over_cap": int((table.share > cap).sum())}
                    | idx)
        shares[day.year] = table["share"].to_numpy()
    by_area = pd.DataFrame(shares, index=areas["code"].to_numpy())
    by_area.index.name = "code"
    return pd.DataFrame(rows), by_area


def change(trend: pd.DataFrame, year_a: int, year_b: int) -> pd.DataFrame:
    """Return the indicators in ``year_a`` and ``year_b`` side by side, with the difference."""
    t = trend.set_index("year").drop(columns=["date"])
    out = pd.DataFrame({str(year_a): t.loc[year_a], str(year_b): t.loc[year_b]})
    out["change"] = out[str(year_b)] - out[str(year_a)]
    return out


def statement(
    trend: pd.DataFrame, index: str = "dissimilarity", years: int = 5, tolerance: float = 0.01,
) -> TrendStatement:
    """Say whether ``index`` has fallen, risen or stayed flat over the last ``years`` years.

    ``trend`` is :func:`yearly`'s first frame (columns ``year`` and ``index``).  The last year
    with a finite value is compared with the last one at least ``years`` earlier (or the first
    year with a value when the series is shorter); a change smaller than ``tolerance`` counts as
    flat, fewer than two years with a value as unknown.
    """
    rows = trend[["year", index]].dropna()
    rows = rows[rows[index].map(math.isfinite)]
    if len(rows) < 2:
        return TrendStatement(index, "unknown")
    end_year, end = rows.iloc[-1]
    earlier = rows[rows["year"] <= end_year - years]
    start_year, start = earlier.iloc[-1] if len(earlier) else rows.iloc[0]
    if start_year == end_year:
        return TrendStatement(index, "unknown")
    direction = ("flat" if abs(end - start) < tolerance
                 else "falling" if end < start else "rising")
    return TrendStatement(index, direction, float(start), float(end), int(start_year),
                          int(end_year))
