"""Output that leaves GeoPlan as data: strict JSON (never NaN).  Files: geoplan.service.exports."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping

import numpy as np
import pandas as pd


def json_ready(value: object) -> object:
    """Return ``value`` with NumPy and pandas scalars made plain and NaN/infinity made None.

    Dicts, lists, tuples, Series and DataFrames (as records) are converted recursively, so the
    result always passes ``json.dumps(..., allow_nan=False)``.
    """
    if isinstance(value, pd.DataFrame):
        return [json_ready(r) for r in value.to_dict("records")]
    if isinstance(value, pd.Series):
        return json_ready(value.to_dict())
    if isinstance(value, Mapping):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | np.ndarray):
        return [json_ready(v) for v in value]
    if hasattr(value, "as_dict") and callable(value.as_dict):
        return json_ready(value.as_dict())
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NaT or (value is not None and value is pd.NA):
        return None
    if isinstance(value, dt.date | pd.Timestamp):
        return value.isoformat()
    return value
