"""Concentration without areas: units within a radius, in the same building, at the same address."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

DEFAULT_RADII = (250.0, 500.0)


def radius_counts(
    unit_xy: np.ndarray, radius: float, query_xy: np.ndarray | None = None
) -> np.ndarray:
    """Count units within ``radius`` metres of each query point (default: of each unit itself).

    A unit's own count includes the unit: it is the number of units in the circle around it.
    """
    unit_xy = np.asarray(unit_xy, dtype=float).reshape(-1, 2)
    query = unit_xy if query_xy is None else np.asarray(query_xy, dtype=float).reshape(-1, 2)
    if not len(unit_xy):
        return np.zeros(len(query), dtype=np.int64)
    tree = cKDTree(unit_xy)
    return np.asarray(tree.query_ball_point(query, r=radius, return_length=True), dtype=np.int64)


def building_key(units: pd.DataFrame) -> pd.Series:
    """The building a unit belongs to: its building id, else its housing company, else none."""
    bid = units["building_id"].astype("string").str.strip()
    company = "company:" + units["housing_company"].astype("string").str.strip().str.lower()
    key = bid.where(bid.notna() & (bid != ""), company)
    return _none_for_missing(key.where(key.notna() & (key != "company:")))


def _none_for_missing(keys: pd.Series) -> pd.Series:
    """Plain object strings with None for missing (no pandas NA in comparisons)."""
    out = keys.astype(object)
    return out.where(keys.notna(), None)


def address_key(units: pd.DataFrame) -> pd.Series:
    """A normalised address: street, number, letter and postal code."""
    parts = [units[c].astype("string").fillna("").str.strip().str.lower()
             for c in ("street", "house_number", "letter", "postal_code")]
    key = parts[0] + " " + parts[1] + parts[2] + " " + parts[3]
    return _none_for_missing(key.where(parts[0] != ""))


def group_sizes(keys: pd.Series) -> np.ndarray:
    """For each row, how many rows share its key (NaN keys count as 1)."""
    sizes = keys.map(keys.value_counts())
    return sizes.fillna(1).to_numpy(dtype=np.int64)


def proximity_table(units: pd.DataFrame, radii=DEFAULT_RADII) -> pd.DataFrame:
    """Per unit: units within each radius, in the same building and at the same address."""
    xy = units[["x", "y"]].to_numpy(float)
    out = pd.DataFrame({"unit_id": units["unit_id"].to_numpy()})
    for r in radii:
        out[f"within_{int(r)}m"] = radius_counts(xy, r)
    out["same_building"] = group_sizes(building_key(units))
    out["same_address"] = group_sizes(address_key(units))
    return out
