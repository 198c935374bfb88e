"""Purchase and sale testing: before and after for candidates, verdicts with every reason.

The evaluation is incremental.  A :class:`Baseline` is built once from the current stock; it
precomputes, for every area, the dissimilarity and isolation indices the municipality would have
after one more (or one fewer) unit there.  Buying a dwelling on the market turns one of the area's
other dwellings into a municipal one: the area's dwelling count stays, its unit count moves by one.
Evaluating a candidate is then a lookup plus a radius query, and a file of 10,000 candidates is
evaluated in one vectorised pass.  The tests check every after-value against a full recomputation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from geoplan.analytics.demand_fit import fit_matrix, groups_served
from geoplan.analytics.indices import INDEX_SPECS, compute_indices
from geoplan.analytics.per_area import assign_areas, safe_ratio
from geoplan.analytics.proximity import address_key, building_key
from geoplan.analytics.reasons import Reason, ordered, verdict
from geoplan.policy import Policy

VERDICTS = ("green", "amber", "red")
METRICS = ("area_share", "location_quotient", "within_250m", "within_500m", "building_count",
           "dissimilarity", "isolation")
# The segregation indices a what-if recomputes in full (a plan, a scenario): every index that
# needs no spatial weights, in the order of INDEX_SPECS.
WHAT_IF_INDICES: tuple[str, ...] = tuple(spec.key for spec in INDEX_SPECS if not spec.spatial)
# The candidate's own columns an evaluation keeps, so that ui can name the place
PLACE_COLUMNS = ("address", "building_id", "housing_company")


@dataclass
class Baseline:
    """The current stock, prepared for fast what-if evaluation."""

    areas: gpd.GeoDataFrame
    x: np.ndarray  # units per area
    t: np.ndarray  # dwellings per area (NaN unknown)
    units: pd.DataFrame  # active units with x, y, building and address keys
    policy: Policy
    demand: pd.DataFrame
    budget: float | None = None
    tree: cKDTree = field(init=False)
    area_tree: shapely.STRtree = field(init=False)
    building_counts: dict = field(init=False)
    after_buy: dict = field(init=False)
    after_sell: dict = field(init=False)
    before: dict = field(init=False)

    def __post_init__(self) -> None:
        self.x = np.asarray(self.x, dtype=float)
        self.t = np.asarray(self.t, dtype=float)
        xy = self.units[["x", "y"]].to_numpy(float).reshape(-1, 2)
        self.tree = cKDTree(xy if len(xy) else np.empty((0, 2)))
        self.area_tree = shapely.STRtree(self.areas.geometry.to_numpy())
        keys = building_key(self.units)
        self.building_counts = keys.value_counts().to_dict()
        self.ok = np.isfinite(self.t) & (self.t > 0)
        self.before = _global(self.x, self.t, self.ok)
        self.after_buy = _global_after(self.x, self.t, self.ok, +1)
        self.after_sell = _global_after(self.x, self.t, self.ok, -1)

    def positions(self, frame: pd.DataFrame) -> np.ndarray:
        """The area position of each row's x/y (-1 outside every area)."""
        return assign_areas(frame["x"].to_numpy(float), frame["y"].to_numpy(float), self.areas,
                            self.area_tree)

    def units_after(self, buys: pd.DataFrame, sells: pd.DataFrame) -> np.ndarray:
        """Units per area after the given purchases and sales."""
        x = self.x.copy()
        for frame, delta in ((buys, 1), (sells, -1)):
            pos = self.positions(frame)
            np.add.at(x, pos[pos >= 0], delta)
        return x


def _global(x: np.ndarray, t: np.ndarray, ok: np.ndarray) -> dict[str, float]:
    """Today's D and isolation (as :func:`compute_indices` gives them) and the totals X, T."""
    full = compute_indices(x, t)
    return {"dissimilarity": full["dissimilarity"], "isolation": full["isolation"],
            "X": x[ok].sum(), "T": np.maximum(t[ok], x[ok]).sum()}


def _global_after(x: np.ndarray, t: np.ndarray, ok: np.ndarray, delta: int) -> dict[str, np.ndarray]:
    """D and isolation after adding ``delta`` units to each area in turn: O(n) for all areas.

    With the municipal share ``P' = (X + delta) / T`` the same whatever the area, the sum
    ``S = sum_k t_k |p_k - P'|`` is computed once and only area i's own term is swapped.
    """
    n = len(x)
    d = np.full(n, np.nan)
    iso = np.full(n, np.nan)
    xs, ts = x[ok], np.maximum(t[ok], x[ok])
    X, T = xs.sum(), ts.sum()
    X2 = X + delta
    if X2 <= 0 or X2 >= T:
        return {"dissimilarity": d, "isolation": iso}
    P2 = X2 / T
    p = xs / ts
    terms = np.abs(xs - ts * P2)
    S = terms.sum()
    new_x = xs + delta
    valid = (new_x >= 0) & (new_x <= ts)
    d_ok = (S - terms + np.abs(new_x - ts * P2)) / (2 * T * P2 * (1 - P2))
    s2 = (xs * p).sum()
    iso_ok = (s2 - xs * p + new_x * new_x / ts) / X2
    d[np.flatnonzero(ok)] = np.where(valid, d_ok, np.nan)
    iso[np.flatnonzero(ok)] = np.where(valid, iso_ok, np.nan)
    # where an area holds more units than dwellings, the indices raise its dwelling count to
    # its unit count, which moves with the unit: recompute those few areas in full
    for i in np.flatnonzero(ok & ((x > t) | (x + delta > t))):
        moved = x.copy()
        moved[i] += delta
        full = compute_indices(moved, t)
        d[i], iso[i] = full["dissimilarity"], full["isolation"]
    return {"dissimilarity": d, "isolation": iso}


def what_if_indices(x: np.ndarray, t: np.ndarray) -> dict[str, float]:
    """The :data:`WHAT_IF_INDICES` for units ``x`` and dwellings ``t`` per area."""
    full = compute_indices(x, t)
    return {key: full[key] for key in WHAT_IF_INDICES}


def area_room(cap: float, dwellings: float | np.ndarray, units: float | np.ndarray):
    """How many more units an area takes before its share passes ``cap`` (may be negative)."""
    return np.floor(cap * np.asarray(dwellings, dtype=float) + 1e-9) - units


def build_baseline(
    units: pd.DataFrame, areas: gpd.GeoDataFrame, policy: Policy, demand: pd.DataFrame,
    budget: float | None = None,
) -> Baseline:
    """Prepare a baseline from the active units and an area system."""
    units = units.reset_index(drop=True).copy()
    idx = assign_areas(units["x"].to_numpy(), units["y"].to_numpy(), areas)
    units["area_pos"] = idx
    units["building_key"] = building_key(units)
    units["address_key"] = address_key(units)
    x = np.bincount(idx[idx >= 0], minlength=len(areas)).astype(float)
    t = pd.to_numeric(areas["dwellings"], errors="coerce").to_numpy(float)
    return Baseline(areas.reset_index(drop=True), x, t, units, policy, demand, budget)


CANDIDATE_COLUMNS = ("label", "address", "action", "unit_id", "x", "y", "rooms", "area_m2", "floor",
                     "lift", "universal_design", "staffed", "unit_type", "building_id",
                     "housing_company", "price")


def candidates_frame(rows: list[dict] | pd.DataFrame) -> pd.DataFrame:
    """Normalise candidate rows: every column present, action 'buy' by default."""
    frame = pd.DataFrame(rows).copy()
    for col in CANDIDATE_COLUMNS:
        if col not in frame:
            frame[col] = None
    frame["action"] = frame["action"].fillna("buy")
    return frame.reset_index(drop=True)


def sale_candidates(base: Baseline, unit_ids: list[str], prices: list | None = None) -> pd.DataFrame:
    """Turn existing units into sale candidates (their place, building and size)."""
    units = base.units.set_index("unit_id")
    missing = [u for u in unit_ids if u not in units.index]
    if missing:
        raise KeyError(f"no active unit with id {', '.join(missing)}")
    rows = []
    for i, uid in enumerate(unit_ids):
        u = units.loc[uid]
        rows.append({"label": uid, "action": "sell", "unit_id": uid, "x": u.x, "y": u.y,
                     "rooms": u.get("rooms"), "area_m2": u.get("floor_area"),
                     "universal_design": u.get("universal_design"), "unit_type": u.unit_type,
                     "building_id": u.building_id, "housing_company": u.housing_company,
                     "price": prices[i] if prices else None, "target_group": u.target_group})
    return candidates_frame(rows)


def evaluate_many(base: Baseline, cands: pd.DataFrame) -> pd.DataFrame:
    """Evaluate candidates (buy or sell) against the baseline; one row each, vectorised.

    Returns one row per candidate with ``label``, ``action``, ``x``, ``y``, ``area_code``,
    ``area_name``, ``price``, the candidate's ``address``, ``building_id`` and
    ``housing_company``, ``before_<m>`` and ``after_<m>`` for every metric ``m`` in
    :data:`METRICS`, ``demand_fit`` (a tuple of (target-group code, households) pairs, most
    households first), ``households_served``, ``verdict`` ("green", "amber" or "red") and
    ``reasons`` (a list of :class:`~geoplan.analytics.reasons.Reason`, red first).
    """
    cands = candidates_frame(cands)
    n = len(cands)
    delta = np.where(cands["action"].to_numpy() == "sell", -1, 1)
    cx, cy = cands["x"].to_numpy(float), cands["y"].to_numpy(float)
    pos = base.positions(cands)
    inside = pos >= 0
    p0 = np.maximum(pos, 0)
    x_i = np.where(inside, base.x[p0], np.nan)
    t_i = np.where(inside, base.t[p0], np.nan)
    share_b = safe_ratio(x_i, t_i)
    share_a = safe_ratio(x_i + delta, t_i)
    P_b = base.before["X"] / base.before["T"] if base.before["T"] else np.nan
    P_a = (base.before["X"] + delta) / base.before["T"] if base.before["T"] else np.nan
    xy = np.column_stack([cx, cy])
    r250 = np.asarray(base.tree.query_ball_point(xy, 250.0, return_length=True), dtype=float)
    r500 = np.asarray(base.tree.query_ball_point(xy, 500.0, return_length=True), dtype=float)
    keys = building_key(cands)
    bcount = np.array([base.building_counts.get(k, 0) if isinstance(k, str) else 0
                       for k in keys], dtype=float)
    # a sale's own unit is in the stock already; a purchase adds itself
    r250_a, r500_a = r250 + delta, r500 + delta
    has_building = np.array([isinstance(k, str) for k in keys])
    b_after = np.where(has_building, bcount + delta, np.nan)
    b_before = np.where(has_building, bcount, np.nan)
    is_sale = delta < 0
    after_d = np.where(is_sale, base.after_sell["dissimilarity"][p0],
                       base.after_buy["dissimilarity"][p0])
    after_iso = np.where(is_sale, base.after_sell["isolation"][p0],
                         base.after_buy["isolation"][p0])
    # outside every area, or in one with unknown dwellings, the indices do not move
    counted = inside & base.ok[p0]
    after_d = np.where(counted, after_d, base.before["dissimilarity"])
    after_iso = np.where(counted, after_iso, base.before["isolation"])
    out = pd.DataFrame({
        "label": cands["label"], "action": cands["action"], "x": cx, "y": cy,
        "area_code": np.where(inside, base.areas["code"].to_numpy()[p0], None),
        "area_name": np.where(inside, base.areas["name"].to_numpy()[p0], None),
        "price": pd.to_numeric(cands["price"], errors="coerce"),
        **{col: cands[col].to_numpy() for col in PLACE_COLUMNS},
        "before_area_share": share_b, "after_area_share": share_a,
        "before_location_quotient": share_b / P_b, "after_location_quotient": share_a / P_a,
        "before_within_250m": r250, "after_within_250m": r250_a,
        "before_within_500m": r500, "after_within_500m": r500_a,
        "before_building_count": b_before, "after_building_count": b_after,
        "before_dissimilarity": np.full(n, base.before["dissimilarity"]),
        "after_dissimilarity": after_d,
        "before_isolation": np.full(n, base.before["isolation"]), "after_isolation": after_iso,
    })
    fit = fit_matrix(cands, base.demand)
    served = groups_served(fit, base.demand)
    out["demand_fit"] = served
    out["households_served"] = [sum(n for _, n in s) for s in served]
    records = cands.to_dict("records")
    reasons = [_judge(base, row, records[i]) for i, row in enumerate(out.itertuples())]
    out["verdict"] = [verdict(r) for r in reasons]
    out["reasons"] = reasons
    return out


def _judge(base: Baseline, r, cand: dict) -> list[Reason]:
    """Return every reason for one evaluated candidate, red first, then amber, then green.

    ``r`` is the candidate's row of :func:`evaluate_many`, ``cand`` its input row.  The reasons
    carry codes and numbers only (see the rules in ``geoplan.ui.wording``): never an address.
    """
    pol = base.policy
    reasons = [_area_reason(r, pol.max_area_share)]
    sale = r.action == "sell"
    if not sale:
        if np.isfinite(r.after_building_count) and r.after_building_count > pol.max_per_building:
            reasons.append(Reason("building_over", "red", count=int(r.after_building_count),
                                  cap=pol.max_per_building))
        if r.after_within_250m > pol.max_within_250m:
            reasons.append(Reason("radius_over", "red", count=int(r.after_within_250m),
                                  cap=pol.max_within_250m))
    db, da = r.before_dissimilarity, r.after_dissimilarity
    if np.isfinite(db) and np.isfinite(da) and abs(da - db) > 1e-12:
        change = {"before": float(db), "after": float(da)}
        reasons.append(Reason("d_up", "amber", **change) if da > db
                       else Reason("d_down", "green", **change))
    if sale:
        group = cand.get("target_group")
        waiting = base.demand.loc[base.demand["target_group"] == group, "households"].sum() \
            if group else 0
        if waiting:
            reasons.append(Reason("sale_demand", "amber", group=group, count=int(waiting)))
    elif r.demand_fit:
        reasons.append(Reason("demand", "green", groups=tuple(r.demand_fit)))
    else:
        reasons.append(Reason("no_demand", "amber"))
    if not sale and base.budget is not None and np.isfinite(r.price):
        money = {"value": float(r.price), "cap": float(base.budget)}
        reasons.append(Reason("budget_over", "red", **money) if r.price > base.budget
                       else Reason("budget_ok", "green", **money))
    return ordered(reasons)


def _area_reason(r, cap: float) -> Reason:
    """The area-share reason: the candidate's area with its share before and after, and the cap."""
    b, a = float(r.before_area_share), float(r.after_area_share)
    area = r.area_code
    if not np.isfinite(a):
        return Reason("area_unknown", "amber")
    if r.action == "sell":
        if b > cap >= a:
            return Reason("area_under_cap", "green", area=area, before=b, after=a, cap=cap)
        return Reason("area_ok", "green", area=area, before=b, after=a, cap=cap)
    if a > cap and b <= cap:
        return Reason("area_up_over", "red", area=area, before=b, after=a, cap=cap)
    if a > cap:
        return Reason("area_already_over", "red", area=area, before=b, after=a, cap=cap)
    return Reason("area_ok", "green", area=area, before=b, after=a, cap=cap)
