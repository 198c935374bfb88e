"""What counts as a missing value in a cell, a frame or a form: one definition for every layer."""

from __future__ import annotations

import math


def is_blank(value: object) -> bool:
    """Return True for None, NaN, NaT and empty or whitespace-only strings."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if type(value).__name__ in {"NaTType", "NAType"}:
        return True
    return isinstance(value, str) and not value.strip()
