"""Which target groups with unmet demand a dwelling could house (aggregates only, no persons)."""

from __future__ import annotations

import numpy as np
import pandas as pd

# The unit types a target group can be housed in.  A candidate of unknown type fits any.
GROUP_TYPES: dict[str, frozenset[str]] = {
    "homeless_substance": frozenset({"ordinary", "transitional", "substance_mental",
                                     "emergency"}),
    "mental_health": frozenset({"ordinary", "substance_mental", "staffed_shared"}),
    "refugees": frozenset({"ordinary", "refugee", "transitional"}),
    "youth": frozenset({"ordinary", "youth", "transitional"}),
    "families": frozenset({"ordinary", "refugee"}),
    "elderly": frozenset({"ordinary", "care"}),
    "disabilities": frozenset({"care", "staffed_shared", "ordinary"}),
}
STAFFED_TYPES = frozenset({"care", "staffed_shared"})
EXTRA_ROOMS = 1  # a dwelling may have one room more than needed, not more
# Years ahead at which the purchase test, where-to-buy and the dashboard read each group's gap
# (the demand model's projected queue without a scenario: need not yet covered).
GAP_HORIZON = 4


def fit_matrix(candidates: pd.DataFrame, demand: pd.DataFrame) -> np.ndarray:
    """Boolean matrix (candidates x demand rows): can the candidate house that row's households?

    Matches rooms (needed to needed + 1; unknown rooms fit), universal design and staffing
    (required ones must be present) and type (the group's acceptable unit types).
    """
    n, m = len(candidates), len(demand)
    if not n or not m:
        return np.zeros((n, m), dtype=bool)
    rooms = pd.to_numeric(candidates.get("rooms"), errors="coerce").to_numpy(float)[:, None] \
        if "rooms" in candidates else np.full((n, 1), np.nan)
    need = pd.to_numeric(demand["rooms_needed"], errors="coerce").to_numpy(float)[None, :]
    room_ok = np.isnan(rooms) | np.isnan(need) | ((rooms >= need) & (rooms <= need + EXTRA_ROOMS))
    ud = _flag(candidates, "universal_design")[:, None]
    ud_ok = ~demand["universal_design"].astype(bool).to_numpy()[None, :] | ud
    types = candidates["unit_type"] if "unit_type" in candidates else pd.Series([None] * n)
    staffed = _flag(candidates, "staffed") | types.isin(STAFFED_TYPES).to_numpy()
    staff_ok = ~demand["staffed"].astype(bool).to_numpy()[None, :] | staffed[:, None]
    unknown_type = types.isna().to_numpy()
    type_ok = np.column_stack([unknown_type | types.isin(GROUP_TYPES.get(g, ())).to_numpy()
                               for g in demand["target_group"]])
    waiting = demand["households"].to_numpy() > 0
    return room_ok & ud_ok & staff_ok & type_ok & waiting[None, :]


def _flag(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame:
        return np.zeros(len(frame), dtype=bool)
    return frame[column].fillna(False).astype(bool).to_numpy()


def groups_served(fit: np.ndarray, demand: pd.DataFrame) -> list[tuple[tuple[str, int], ...]]:
    """For each candidate (row of ``fit``), its fitting target groups, most households first.

    Each item is a tuple of (target-group code, households waiting in the rows it fits) pairs.
    """
    groups = list(dict.fromkeys(demand["target_group"]))
    onehot = (demand["target_group"].to_numpy()[:, None] == np.array(groups)[None, :])
    per_group = fit.astype(float) @ (onehot * demand["households"].to_numpy(float)[:, None])
    fits_group = fit.astype(float) @ onehot.astype(float) > 0
    out = []
    for row, hit in zip(per_group, fits_group, strict=True):
        items = [(groups[k], int(row[k])) for k in np.flatnonzero(hit)]
        out.append(tuple(sorted(items, key=lambda g: (-g[1], g[0]))))
    return out


def unmet_by_group(demand: pd.DataFrame) -> pd.Series:
    """Households waiting per target group on the snapshot."""
    return demand.groupby("target_group")["households"].sum().astype(int)
