"""One call that computes all concentration results for a date: frames in, frames out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp

from geoplan.analytics.active import active_mask, undated_mask
from geoplan.analytics.hotspots import (
    DEFAULT_ALPHA,
    DEFAULT_CORRECTION,
    DEFAULT_PERMUTATIONS,
    hot_spots,
)
from geoplan.analytics.indices import compute_indices
from geoplan.analytics.per_area import (
    area_table,
    assign_areas,
    coverage,
    data_problems,
    exclusions,
    totals,
)
from geoplan.analytics.proximity import DEFAULT_RADII, proximity_table
from geoplan.analytics.reasons import Reason
from geoplan.analytics.thresholds import area_flags, flagged, unit_flags
from geoplan.analytics.weights import ISLANDS_UNLINKED, contiguity
from geoplan.policy import Policy


@dataclass
class Concentration:
    """Everything the concentration page, the CLI and the purchase test need for one date.

    ``areas`` carries the area polygons with the columns of
    :func:`geoplan.analytics.per_area.area_table`, the hot spots (``z``, ``p_raw``, ``p``,
    ``cluster``: :func:`~geoplan.analytics.hotspots.hot_spots`), ``flag`` and
    ``data_problem`` (:func:`~geoplan.analytics.per_area.data_problems`);
    ``units`` the active units with ``area`` (code), ``excluded`` (why the unit is left out of
    the area measures: a :data:`~geoplan.analytics.per_area.EXCLUSION_REASONS` code, missing
    when it counts), the proximity counts (``within_<r>m``, ``same_building``, ``same_address``) and
    ``flag``.  A ``flag`` or ``data_problem`` is a tuple of
    :class:`~geoplan.analytics.reasons.Reason` (empty when there is none).  ``totals`` are
    :func:`~geoplan.analytics.per_area.totals` (the units and dwellings the indices use).
    Numbers and codes only: the same result serves every language.
    """

    on: dt.date
    areas: gpd.GeoDataFrame
    units: gpd.GeoDataFrame
    indices: dict[str, float]
    totals: dict[str, float]
    policy: Policy
    weights: sp.csr_matrix
    alpha: float = DEFAULT_ALPHA
    permutations: int = DEFAULT_PERMUTATIONS
    correction: str = DEFAULT_CORRECTION  # hotspots.CORRECTIONS: how p is corrected for many tests
    islands: str = ISLANDS_UNLINKED  # weights.ISLAND_RULES: how areas without neighbours are linked

    def coverage(self) -> dict[str, object]:
        """``n_units_active``, ``n_units_in_indices`` and ``excluded`` (count per reason)."""
        return coverage(self.units["excluded"])

    def n_undated(self) -> int:
        """How many active units have no acquired date (counted as active on every date)."""
        return int(undated_mask(self.units).sum())

    def data_problems(self) -> tuple[Reason, ...]:
        """A ``units_over_dwellings`` reason per area with more units than dwellings."""
        return tuple(r for problems in self.areas["data_problem"] for r in problems)

    def summary(self) -> dict[str, object]:
        """The indices with the counts they rest on, as one dict (JSON-ready via json_ready).

        Keys: ``date``, each index key, :meth:`coverage`'s keys, ``n_units_undated``,
        ``n_dwellings`` (the dwellings the indices use), ``n_areas`` (areas that enter them) and
        ``units_over_dwellings`` (codes of the areas with more units than dwellings).
        """
        known = np.isfinite(self.areas["share"].to_numpy(float))
        return {"date": self.on} | self.indices | self.coverage() | {
            "n_units_undated": self.n_undated(),
            "n_dwellings": int(self.totals["dwellings"]), "n_areas": int(known.sum()),
            "units_over_dwellings": [r.area for r in self.data_problems()]}

    def flagged_areas(self) -> gpd.GeoDataFrame:
        """The areas over the share cap (rows of :attr:`areas` with a flag)."""
        return flagged(self.areas)

    def flagged_units(self) -> gpd.GeoDataFrame:
        """The units over a building or radius cap (rows of :attr:`units` with a flag)."""
        return flagged(self.units)


def analyse(
    units: gpd.GeoDataFrame,
    areas: gpd.GeoDataFrame,
    on: dt.date,
    policy: Policy | None = None,
    radii: Sequence[float] = DEFAULT_RADII,
    type_codes: Sequence[str] = (),
    group_codes: Sequence[str] = (),
    w: sp.spmatrix | None = None,
    permutations: int = DEFAULT_PERMUTATIONS,
    alpha: float = DEFAULT_ALPHA,
    correction: str = DEFAULT_CORRECTION,
    islands: str = ISLANDS_UNLINKED,
) -> Concentration:
    """Compute per-area indicators, indices, hot spots, proximity counts and flags on ``on``."""
    policy = policy or Policy()
    radii = tuple(sorted({*radii, 250.0}))
    active = units[active_mask(units, on).to_numpy()].reset_index(drop=True)
    idx = assign_areas(active["x"].to_numpy(), active["y"].to_numpy(), areas)
    table = area_table(active, areas, idx, type_codes, group_codes)
    w = contiguity(areas, islands) if w is None else sp.csr_matrix(w)
    indices = compute_indices(table["units"].to_numpy(float),
                              table["dwellings"].to_numpy(float), w)
    hs = hot_spots(table["share"].to_numpy(float), w, alpha, permutations,
                   dwellings=table["dwellings"].to_numpy(float),
                   min_dwellings=policy.min_hotspot_dwellings, correction=correction)
    table = pd.concat([table, hs], axis=1)
    table["flag"] = area_flags(table, policy)
    table["data_problem"] = data_problems(table)
    area_out = gpd.GeoDataFrame(
        table, geometry=areas.geometry.to_numpy(), crs=areas.crs)
    prox = proximity_table(active, radii)
    unit_out = active.copy()
    codes = areas["code"].to_numpy()
    unit_out["area"] = np.where(idx >= 0, codes[np.maximum(idx, 0)], None)
    unit_out["excluded"] = exclusions(idx, table)
    for col in prox.columns.drop("unit_id"):
        unit_out[col] = prox[col].to_numpy()
    unit_out["flag"] = unit_flags(active, prox, policy).to_numpy()
    return Concentration(on, area_out, gpd.GeoDataFrame(unit_out, geometry=active.geometry,
                                                        crs=units.crs),
                         indices, totals(table), policy, w, alpha, permutations, correction,
                         islands)
