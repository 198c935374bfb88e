"""Which units count on a given date.

The convention: a unit is active from its acquired date (inclusive) until its disposed date
(exclusive).  A unit without an acquired date counts as active on every date before its
disposal, since nothing says when it came; :func:`undated_mask` finds those units so that every
past date and trend can say how many there are.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd


def active_mask(units: pd.DataFrame, on: dt.date) -> pd.Series:
    """Units acquired on or before ``on`` (or undated) and not disposed by then."""
    acquired = pd.to_datetime(units["acquired"])
    disposed = pd.to_datetime(units["disposed"])
    day = pd.Timestamp(on)
    return (undated_mask(units) | (acquired <= day)) & (disposed.isna() | (disposed > day))


def undated_mask(units: pd.DataFrame) -> pd.Series:
    """Units without an acquired date (they count as active on every date before disposal)."""
    return pd.to_datetime(units["acquired"]).isna()


def active_units(units: pd.DataFrame, on: dt.date | None = None) -> pd.DataFrame:
    """Return the units active on ``on`` (default: today)."""
    return units[active_mask(units, on or dt.date.today())]
