"""Which units count on a given date."""

from __future__ import annotations

import datetime as dt

import pandas as pd


def active_mask(units: pd.DataFrame, on: dt.date) -> pd.Series:
    """Units acquired on or before ``on`` (or undated) and not disposed by then."""
    acquired = pd.to_datetime(units["acquired"])
    disposed = pd.to_datetime(units["disposed"])
    day = pd.Timestamp(on)
    return (acquired.isna() | (acquired <= day)) & (disposed.isna() | (disposed > day))


def active_units(units: pd.DataFrame, on: dt.date | None = None) -> pd.DataFrame:
    """Return the units active on ``on`` (default: today)."""
    return units[active_mask(units, on or dt.date.today())]
