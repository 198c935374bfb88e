"""Concentration per area: counts by type and target group, share, per 1,000, location quotient.

Also which active units enter the area measures at all (:func:`exclusions`): a unit outside
every area, or in an area with zero or unknown dwellings, is left out of the shares, the
location quotient, Gi* and the indices, and is counted by its reason instead of disappearing.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geoplan.analytics.reasons import Reason

AREA_COLUMNS = ("code", "name", "population", "dwellings", "dwellings_reported", "units",
                "units_over_dwellings", "share", "per_1000", "lq")

# Why an active unit is left out of the area measures (codes; ``geoplan.ui`` words them).
OUTSIDE_AREAS = "outside_areas"
UNKNOWN_DWELLINGS = "unknown_dwellings"
EXCLUSION_REASONS: tuple[str, ...] = (OUTSIDE_AREAS, UNKNOWN_DWELLINGS)


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
    their area position from :func:`assign_areas` (computed when not given).

    Columns: ``code``, ``name``, ``population``, ``dwellings`` (the count every measure uses:
    :func:`effective_dwellings`), ``dwellings_reported`` (the area's own count, NaN when
    unknown), ``units``, ``units_over_dwellings`` (True where the register holds more units
    than the area has dwellings: a data problem, counted as fully municipal), ``share``
    (``units / dwellings``, at most 1), ``per_1000`` (units per 1,000 inhabitants), ``lq``
    (``share`` over the share of :func:`totals`), and ``type:<code>`` / ``group:<code>`` counts
    for each of ``type_codes`` and ``group_codes``.  Areas with zero or unknown dwellings or
    population get NaN share, per-1,000 and location quotient.
    """
    if area_index is None:
        area_index = assign_areas(units["x"].to_numpy(), units["y"].to_numpy(), areas)
    n = len(areas)
    inside = area_index >= 0
    idx = area_index[inside]
    counts = np.bincount(idx, minlength=n)
    reported = pd.to_numeric(areas["dwellings"], errors="coerce").to_numpy(float)
    dwellings = effective_dwellings(counts, reported)
    population = pd.to_numeric(areas["population"], errors="coerce").to_numpy(float)
    share = safe_ratio(counts, dwellings)
    table = pd.DataFrame({
        "code": areas["code"].to_numpy(), "name": areas["name"].to_numpy(),
        "population": population, "dwellings": dwellings, "dwellings_reported": reported,
        "units": counts, "units_over_dwellings": units_over_dwellings(counts, reported),
        "share": share, "per_1000": safe_ratio(counts, population, 1000.0),
    })
    overall = totals(table)["share"]
    table["lq"] = share / overall if overall and np.isfinite(overall) else np.full(n, np.nan)
    for column, codes, prefix in (("unit_type", type_codes, "type"),
                                  ("target_group", group_codes, "group")):
        values = units[column].to_numpy()[inside]
        for code in codes:
            table[f"{prefix}:{code}"] = np.bincount(idx[values == code], minlength=n)
    return table


def totals(table: pd.DataFrame) -> dict[str, float]:
    """Municipality totals over the areas that enter the measures (known, positive dwellings).

    ``table`` is :func:`area_table`'s.  ``units`` are the units in those areas, ``dwellings``
    the dwellings every measure uses there (raised where units exceed dwellings, so this is the
    total the indices use) and ``share`` their ratio.
    """
    known = np.isfinite(table["share"].to_numpy(float))
    units = float(table["units"].to_numpy()[known].sum())
    dwellings = float(table["dwellings"].to_numpy()[known].sum())
    return {"units": units, "dwellings": dwellings,
            "share": units / dwellings if dwellings else float("nan")}


def exclusions(area_index: np.ndarray, table: pd.DataFrame) -> np.ndarray:
    """Why each unit is left out of the area measures: an :data:`EXCLUSION_REASONS` code or None.

    ``area_index`` is the units' area position (:func:`assign_areas`, -1 outside every area);
    ``table`` is :func:`area_table`'s for the same areas (its ``share`` is NaN where the
    dwellings are zero or unknown).  None means the unit enters the shares and the indices.
    """
    area_index = np.asarray(area_index, dtype=np.int64)
    known = np.isfinite(table["share"].to_numpy(float))
    inside = area_index >= 0
    out = np.full(len(area_index), None, dtype=object)
    out[~inside] = OUTSIDE_AREAS
    out[inside & ~known[np.maximum(area_index, 0)]] = UNKNOWN_DWELLINGS
    return out


def coverage(excluded: Sequence[str | None]) -> dict[str, object]:
    """How many active units there are, how many enter the indices, and why the rest do not.

    ``excluded`` is :func:`exclusions`'s result for the active units.  Returns
    ``n_units_active``, ``n_units_in_indices`` and ``excluded`` (a dict with a count for each
    of :data:`EXCLUSION_REASONS`, zeros included).
    """
    codes = pd.Series(list(excluded), dtype=object)
    counts = {reason: int((codes == reason).sum()) for reason in EXCLUSION_REASONS}
    return {"n_units_active": len(codes), "n_units_in_indices": int(codes.isna().sum()),
            "excluded": counts}


def data_problems(table: pd.DataFrame) -> pd.Series:
    """Each area's data problems: a ``units_over_dwellings`` reason, or ``()`` when none.

    ``table`` is :func:`area_table`'s; the reason carries the area ``code``, ``count`` (its
    municipal units, also the dwellings the measures use) and ``value`` (its reported dwellings).
    The result has the index of ``table``.
    """
    problems = [(Reason("units_over_dwellings", "amber", area=str(code), count=int(x),
                        value=float(t)),) if over else ()
                for code, x, t, over in zip(table["code"], table["units"],
                                            table["dwellings_reported"],
                                            table["units_over_dwellings"], strict=True)]
    return pd.Series(problems, index=table.index, dtype=object)
