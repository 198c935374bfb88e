"""Concentration per area: counts by type and target group, share, per 1,000, location quotient."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

AREA_COLUMNS = ("code", "name", "population", "dwellings", "units", "share", "per_1000", "lq")


def assign_areas(
    x: np.ndarray, y: np.ndarray, areas: gpd.GeoDataFrame, tree: shapely.STRtree | None = None
) -> np.ndarray:
    """Return, for each point, the position of the area containing it (-1 when outside all).

    Pass ``tree`` (an STRtree of ``areas.geometry``) to reuse it across calls.
    """
    out = np.full(len(x), -1, dtype=np.int64)
    if not len(x) or areas.empty:
        return out
    tree = tree or shapely.STRtree(areas.geometry.to_numpy())
    pts = shapely.points(np.asarray(x, float), np.asarray(y, float))
    src, dst = tree.query(pts, predicate="intersects")
    # a point on a shared edge belongs to the first area found, consistently
    first = np.unique(src, return_index=True)[1]
    out[src[first]] = dst[first]
    return out


def effective_dwellings(units: np.ndarray, dwellings: np.ndarray) -> np.ndarray:
    """The dwelling count every measure uses: the area's count, raised to its unit count.

    An area whose register holds more municipal units than the area has dwellings is a data
    problem (see :func:`units_over_dwellings`); it is counted as fully municipal, with as many
    dwellings as units, in the shares, the location quotient, Gi*, the indices and the purchase
    test alike.  Unknown (NaN) or non-positive counts stay as they are: such areas are unknown.
    """
    t = np.asarray(dwellings, dtype=float)
    x = np.asarray(units, dtype=float)
    known = np.isfinite(t) & (t > 0)
    return np.where(known, np.maximum(t, x), t)


def units_over_dwellings(units: np.ndarray, dwellings: np.ndarray) -> np.ndarray:
    """Mask of areas with known dwellings but more municipal units than dwellings."""
    t = np.asarray(dwellings, dtype=float)
    x = np.asarray(units, dtype=float)
    return np.isfinite(t) & (t > 0) & (x > t)


def safe_ratio(num: np.ndarray, den: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """``scale * num / den`` where ``den`` is known and positive, else NaN ("unknown")."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    ok = np.isfinite(den) & (den > 0)
    return np.divide(num * scale, den, out=np.full(len(num), np.nan), where=ok)


def area_table(
    units: pd.DataFrame,
    areas: gpd.GeoDataFrame,
    area_index: np.ndarray | None = None,
    type_codes: Sequence[str] = (),
    group_codes: Sequence[str] = (),
) -> pd.DataFrame:
    """Return one row per area with unit counts and concentration indicators.

    ``units`` are the active units (columns x, y, unit_type, target_group); ``area_index`` is
    their area position from :func:`assign_areas` (computed when not given).  Areas with zero or
    unknown dwellings or population get NaN share, per-1,000 and location quotient.
    """
    if area_index is None:
        area_index = assign_areas(units["x"].to_numpy(), units["y"].to_numpy(), areas)
    n = len(areas)
    inside = area_index >= 0
    idx = area_index[inside]
    counts = np.bincount(idx, minlength=n)
    dwellings = pd.to_numeric(areas["dwellings"], errors="coerce").to_numpy(float)
    population = pd.to_numeric(areas["population"], errors="coerce").to_numpy(float)
    share = safe_ratio(counts, dwellings)
    known = np.isfinite(share)
    overall = counts[known].sum() / dwellings[known].sum() if known.any() else np.nan
    table = pd.DataFrame({
        "code": areas["code"].to_numpy(), "name": areas["name"].to_numpy(),
        "population": population, "dwellings": dwellings, "units": counts,
        "share": share, "per_1000": safe_ratio(counts, population, 1000.0),
        "lq": share / overall if overall and np.isfinite(overall) else np.full(n, np.nan),
    })
    for column, codes, prefix in (("unit_type", type_codes, "type"),
                                  ("target_group", group_codes, "group")):
        values = units[column].to_numpy()[inside]
        for code in codes:
            table[f"{prefix}:{code}"] = np.bincount(idx[values == code], minlength=n)
    return table


def totals(table: pd.DataFrame) -> dict[str, float]:
    """Municipality totals over areas with known dwellings: units, dwellings and the share."""
    known = np.isfinite(table["share"].to_numpy(float))
    units = float(table["units"].to_numpy()[known].sum())
    dwellings = float(table["dwellings"].to_numpy()[known].sum())
    return {"units": units, "dwellings": dwellings,
            "share": units / dwellings if dwellings else float("nan")}
