"""Purchase and sale testing: before and after for candidates, verdicts with every reason.

The evaluation is incremental.  A :class:`Baseline` is built once from the current stock; it
precomputes, for every area, the dissimilarity and isolation indices the municipality would have
after one more (or one fewer) unit there.  Buying a dwelling on the market turns one of the area's
other dwellings into a municipal one: the area's dwelling count stays, its unit count moves by one.
Evaluating a candidate is then a lookup plus a radius query, and a file of 10,000 candidates is
evaluated in one vectorised pass.  The tests check every after-value against a full recomputation.

The verdict rests on local measures only (see :func:`_judge` and the README's Methods): red when a
cap is broken after the purchase (the area's share, the building, the candidate's own 250 m circle
or the circle of any existing unit the purchase enters), when the point is outside the
municipality or the price is over the remaining budget; amber on a warning (the area's share
after above :data:`NEAR_CAP` of its cap, its location quotient after above :data:`LQ_WARN`, a
250 m count at its cap, an unknown share, no group with unmet need fits); green otherwise.
The change in D and isolation is information (the ``info_reasons``) and never moves the verdict.

Unmet need is the demand model's gap (:mod:`geoplan.analytics.demand_flow`) when the baseline
carries one (:attr:`Baseline.gap`): a purchase meets unmet demand when it suits (the model's
:func:`~geoplan.analytics.demand_flow.suitability`) a group whose projected queue at the horizon
is above 0; one that suits only groups with a gap of 0 does not.  A group whose gap is unknown
(no flows) counts by its households waiting, as a baseline without a gap counts every group.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from geoplan.analytics.demand_fit import fit_matrix, groups_served
from geoplan.analytics.demand_flow import GROUPS, group_needs, suitability
from geoplan.analytics.indices import INDEX_SPECS, compute_indices
from geoplan.analytics.per_area import assign_areas, effective_dwellings, safe_ratio
from geoplan.analytics.proximity import DEFAULT_RADII, address_key, building_key
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
RADIUS_M = DEFAULT_RADII[0]  # the circle of the policy's max_within_250m cap
# An area whose municipal share after the purchase is above this fraction of its cap is close
# to the cap: a warning (amber), not a break.
NEAR_CAP = 0.8
# An area whose location quotient after the purchase is above this is markedly above the
# municipal share: a warning (amber).  Between 1 and this it is a pass, at most 1 a positive.
LQ_WARN = 1.5
# How a page groups a purchase's reasons: rules broken (every red reason), rules passed (amber
# warnings first, then green checks) and what speaks for the purchase (POSITIVE_RULES).
REASON_GROUPS = ("breaks", "passes", "positives")
POSITIVE_RULES = frozenset({"area_below_mean", "area_under_cap", "demand", "demand_gap",
                            "budget_ok"})


def reason_group(reason: Reason) -> str:
    """The group of :data:`REASON_GROUPS` a purchase or sale reason belongs to."""
    if reason.level == "red":
        return "breaks"
    return "positives" if reason.rule in POSITIVE_RULES else "passes"


@dataclass
class Baseline:
    """The current stock, prepared for fast what-if evaluation.

    ``boundary`` is the municipality's boundary (a shapely geometry in EPSG:25833, None when
    none is loaded) and ``municipality`` its name; a purchase outside the boundary is red.
    ``unit_within_250m`` holds, per row of ``units``, the municipal units within
    :data:`RADIUS_M` of that unit (itself included), as the concentration page counts them.

    ``gap`` (None: not known) is the demand model's outlook without a scenario, one row per
    target group (index: the group's code): ``waiting`` (households waiting now) and ``gap``
    (the projected queue ``gap_horizon`` years ahead, floored at 0: need not yet covered; NaN
    when the group has no flows).  With it, ``needs`` holds the need rows a purchase is tested
    against (:func:`~geoplan.analytics.demand_flow.group_needs` of ``demand``), so a purchase
    fits exactly the groups whose stock the demand model would let it enter.
    """

    areas: gpd.GeoDataFrame
    x: np.ndarray  # units per area
    t: np.ndarray  # dwellings per area (NaN unknown)
    units: pd.DataFrame  # active units with x, y, building and address keys
    policy: Policy
    demand: pd.DataFrame
    budget: float | None = None
    boundary: object | None = None
    municipality: str | None = None
    gap: pd.DataFrame | None = None
    gap_horizon: int | None = None
    tree: cKDTree = field(init=False)
    unit_within_250m: np.ndarray = field(init=False)
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
        self.unit_within_250m = np.asarray(
            self.tree.query_ball_point(xy, RADIUS_M, return_length=True), dtype=float
        ).reshape(-1) if len(xy) else np.zeros(0)
        if self.boundary is not None:
            shapely.prepare(self.boundary)
        self.area_tree = shapely.STRtree(self.areas.geometry.to_numpy())
        keys = building_key(self.units)
        self.building_counts = keys.value_counts().to_dict()
        self.ok = np.isfinite(self.t) & (self.t > 0)
        self.before = _global(self.x, self.t, self.ok)
        self.after_buy = _global_after(self.x, self.t, self.ok, +1)
        self.after_sell = _global_after(self.x, self.t, self.ok, -1)
        self.needs = None if self.gap is None else snapshot_needs(self.demand)

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
            "X": x[ok].sum(), "T": effective_dwellings(x[ok], t[ok]).sum()}


def _global_after(x: np.ndarray, t: np.ndarray, ok: np.ndarray, delta: int) -> dict[str, np.ndarray]:
    """D and isolation after adding ``delta`` units to each area in turn: O(n) for all areas.

    With the municipal share ``P' = (X + delta) / T`` the same whatever the area, the sum
    ``S = sum_k t_k |p_k - P'|`` is computed once and only area i's own term is swapped.
    """
    n = len(x)
    d = np.full(n, np.nan)
    iso = np.full(n, np.nan)
    xs, ts = x[ok], effective_dwellings(x[ok], t[ok])
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


def radius_room(base: Baseline) -> np.ndarray:
    """Per existing unit (row of ``base.units``): how many more municipal units its 250 m circle
    takes before its count passes the ``max_within_250m`` cap (negative when already over)."""
    return base.policy.max_within_250m - base.unit_within_250m


def units_near(base: Baseline, xy: np.ndarray, radius: float = RADIUS_M) -> list[np.ndarray]:
    """Per point (rows of ``xy``, EPSG:25833), the rows of ``base.units`` within ``radius``.

    A unit is within 250 m of a point exactly when the point is within 250 m of the unit, so
    these are also the existing units whose 250 m circle a purchase at the point enters.
    """
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    if not len(xy) or not len(base.units):
        return [np.zeros(0, dtype=np.int64) for _ in range(len(xy))]
    return [np.asarray(hits, dtype=np.int64) for hits in base.tree.query_ball_point(xy, radius)]


def neighbour_room(base: Baseline, xy: np.ndarray) -> pd.DataFrame:
    """What one purchase at each point does to the 250 m circles of the existing units.

    Returns one row per point of ``xy`` (EPSG:25833) with ``neighbours`` (existing units within
    :data:`RADIUS_M`), ``neighbours_over`` (how many of them one more unit puts over the
    ``max_within_250m`` cap: their own count, itself included, is at the cap or above),
    ``neighbours_at_cap`` (how many it brings exactly to the cap), ``neighbour_max_after`` (the
    largest 250 m count among them after the purchase; NaN without neighbours) and
    ``neighbour_room`` (the smallest :func:`radius_room` among them: how many purchases may
    still enter every one of their circles; NaN without neighbours).  The optimiser's 250 m
    constraint for existing units is ``sum of purchases near u <= max(0, radius_room(u))``
    with ``units_near`` giving "near".
    """
    near = units_near(base, xy)
    n = len(near)
    sizes = np.array([len(h) for h in near], dtype=np.int64)
    owner = np.repeat(np.arange(n), sizes)
    hits = np.concatenate(near) if n else np.zeros(0, dtype=np.int64)
    after = base.unit_within_250m[hits] + 1
    cap = base.policy.max_within_250m
    worst = np.full(n, -np.inf)
    np.maximum.at(worst, owner, after)
    room = np.full(n, np.inf)
    np.minimum.at(room, owner, radius_room(base)[hits])
    none = sizes == 0
    return pd.DataFrame({
        "neighbours": sizes,
        "neighbours_over": np.bincount(owner, weights=after > cap, minlength=n).astype(int),
        "neighbours_at_cap": np.bincount(owner, weights=after == cap, minlength=n).astype(int),
        "neighbour_max_after": np.where(none, np.nan, worst),
        "neighbour_room": np.where(none, np.nan, room),
    })


def snapshot_needs(demand: pd.DataFrame) -> pd.DataFrame:
    """The need rows of one demand snapshot as the demand model tests units against them.

    ``demand``: the rows of one snapshot (columns ``target_group``, ``households``,
    ``rooms_needed``, ``universal_design``, ``staffed``; ``snapshot_date`` may be absent).
    Returns :func:`~geoplan.analytics.demand_flow.group_needs` of those rows.
    """
    rows = demand.assign(snapshot_date=0)  # one snapshot: every row is of the same day
    return group_needs(rows, 0 if len(rows) else None)


def build_baseline(
    units: pd.DataFrame, areas: gpd.GeoDataFrame, policy: Policy, demand: pd.DataFrame,
    budget: float | None = None, boundary=None, municipality: str | None = None,
    gap: pd.DataFrame | None = None, gap_horizon: int | None = None,
) -> Baseline:
    """Prepare a baseline from the active units and an area system (and the boundary).

    ``gap`` and ``gap_horizon``: the demand model's gap per group (see :class:`Baseline`).
    """
    units = units.reset_index(drop=True).copy()
    idx = assign_areas(units["x"].to_numpy(), units["y"].to_numpy(), areas)
    units["area_pos"] = idx
    units["building_key"] = building_key(units)
    units["address_key"] = address_key(units)
    x = np.bincount(idx[idx >= 0], minlength=len(areas)).astype(float)
    t = pd.to_numeric(areas["dwellings"], errors="coerce").to_numpy(float)
    return Baseline(areas.reset_index(drop=True), x, t, units, policy, demand, budget,
                    boundary, municipality, gap, gap_horizon)


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
    ``area_name``, ``price``, ``area_m2``, the candidate's ``address``, ``building_id`` and
    ``housing_company``, ``in_municipality`` (False outside the boundary), ``before_<m>`` and
    ``after_<m>`` for every metric ``m`` in :data:`METRICS` (shares on
    :func:`~geoplan.analytics.per_area.effective_dwellings`), the columns of
    :func:`neighbour_room`, ``demand_fit`` (a tuple of (target-group code, households waiting)
    pairs of the groups it fits: see :func:`fitting_groups`), ``demand_gap`` (the same groups'
    (code, gap) pairs; gap None when unknown), ``gap_horizon`` (the years ahead at which the
    gap is read; None without a gap), ``households_waiting`` (their sum: context only),
    ``houses`` (1 when a purchase fits a group with unmet need: one flat houses one household;
    0 otherwise), ``verdict`` ("green", "amber" or "red"), ``reasons`` (a list of
    :class:`~geoplan.analytics.reasons.Reason`, red first; see :func:`reason_group`) and
    ``info_reasons`` (the change in D and isolation as "info" reasons, outside the verdict).
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
    eff_b, eff_a = effective_dwellings(x_i, t_i), effective_dwellings(x_i + delta, t_i)
    share_b, share_a = safe_ratio(x_i, eff_b), safe_ratio(x_i + delta, eff_a)
    # outside every area, or in one with unknown dwellings, the totals and indices do not move
    counted = inside & base.ok[p0]
    X, T = base.before["X"], base.before["T"]
    P_b = X / T if T else np.nan
    T_a = T + np.where(counted, eff_a - eff_b, 0.0)
    P_a = np.where(counted, safe_ratio(X + delta, T_a), P_b)
    xy = np.column_stack([cx, cy])
    r250 = np.asarray(base.tree.query_ball_point(xy, RADIUS_M, return_length=True), dtype=float)
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
    after_d = np.where(counted, after_d, base.before["dissimilarity"])
    after_iso = np.where(counted, after_iso, base.before["isolation"])
    in_municipality = np.ones(n, dtype=bool) if base.boundary is None \
        else shapely.intersects_xy(base.boundary, cx, cy)
    out = pd.DataFrame({
        "label": cands["label"], "action": cands["action"], "x": cx, "y": cy,
        "area_code": np.where(inside, base.areas["code"].to_numpy()[p0], None),
        "area_name": np.where(inside, base.areas["name"].to_numpy()[p0], None),
        "price": pd.to_numeric(cands["price"], errors="coerce"),
        "area_m2": pd.to_numeric(cands["area_m2"], errors="coerce"),
        **{col: cands[col].to_numpy() for col in PLACE_COLUMNS},
        "in_municipality": in_municipality,
        "before_area_share": share_b, "after_area_share": share_a,
        "before_location_quotient": share_b / P_b, "after_location_quotient": share_a / P_a,
        "before_within_250m": r250, "after_within_250m": r250_a,
        "before_within_500m": r500, "after_within_500m": r500_a,
        "before_building_count": b_before, "after_building_count": b_after,
        "before_dissimilarity": np.full(n, base.before["dissimilarity"]),
        "after_dissimilarity": after_d,
        "before_isolation": np.full(n, base.before["isolation"]), "after_isolation": after_iso,
        "municipal_share_after": P_a,
    })
    out = pd.concat([out, neighbour_room(base, xy)], axis=1)
    served = fitting_groups(base, cands)
    out["demand_fit"] = [tuple((g, w) for g, w, _ in s) for s in served]
    out["demand_gap"] = [tuple((g, gap) for g, _, gap in s) for s in served]
    out["households_waiting"] = [sum(w for _, w, _ in s) for s in served]
    out["houses"] = np.where(is_sale, 0, [int(any(_unmet(g) for g in s)) for s in served])
    out["gap_horizon"] = base.gap_horizon
    records = cands.to_dict("records")
    judged = [_judge(base, row, records[i]) for i, row in enumerate(out.itertuples())]
    out["reasons"] = [reasons for reasons, _ in judged]
    out["info_reasons"] = [info for _, info in judged]
    out["verdict"] = [verdict(r) for r in out["reasons"]]
    return out


def fitting_groups(base: Baseline, cands: pd.DataFrame
                   ) -> list[tuple[tuple[str, int, float | None], ...]]:
    """Per candidate, the target groups it fits: (code, households waiting, gap) triples.

    With the demand model's gap (``base.gap``), a candidate fits the groups it suits
    (:func:`~geoplan.analytics.demand_flow.suitability` against ``base.needs``), listed when
    the group's gap is known or households wait; households waiting is the group's, and the gap
    is None when unknown.  Order: unmet need first (gap > 0, largest first; then unknown gaps
    with households waiting), then the groups with a gap of 0; ties by households waiting, then
    the vocabulary.  Without a gap, the groups whose need rows with households waiting it fits
    (:func:`~geoplan.analytics.demand_fit.fit_matrix`), with the households of those rows, most
    first, and every gap None.
    """
    if base.gap is None:
        served = groups_served(fit_matrix(cands, base.demand), base.demand)
        return [tuple((g, int(n), None) for g, n in s) for s in served]
    suits = suitability(cands, base.needs).to_numpy()
    table = base.gap.reindex(list(GROUPS))
    waiting = table["waiting"].to_numpy(float)
    gap = table["gap"].to_numpy(float)
    listed = ~np.isnan(gap) | (np.nan_to_num(waiting) > 0)
    entries = [(g, int(np.nan_to_num(waiting[k])), None if np.isnan(gap[k]) else float(gap[k]))
               for k, g in enumerate(GROUPS)]

    def order(k: int) -> tuple:
        g, w, v = entries[k]
        return (not _unmet(entries[k]), v is None, -(v or 0.0), -w, k)

    return [tuple(entries[k] for k in sorted(np.flatnonzero(row & listed), key=order))
            for row in suits]


def _unmet(entry: tuple[str, int, float | None]) -> bool:
    """Whether a (code, waiting, gap) entry is unmet need: gap > 0, or unknown with households
    waiting."""
    _, waiting, gap = entry
    return gap > 0 if gap is not None else waiting > 0


def _demand_reason(base: Baseline, fit: tuple, gaps: tuple) -> Reason:
    """What a purchase does for the demand: houses one household of a group with unmet need
    (``demand_gap`` with the gaps; ``demand`` when every such gap is unknown), fits only groups
    whose gap is 0 (``demand_covered``, amber) or fits no group (``no_demand``, amber)."""
    entries = [(g, w, v) for (g, w), (_, v) in zip(fit, gaps, strict=True)]
    unmet = [e for e in entries if _unmet(e)]
    horizon = base.gap_horizon
    if not entries:
        return Reason("no_demand", "amber")
    if not unmet:
        return Reason("demand_covered", "amber", count=horizon, groups=tuple(entries))
    if all(v is None for _, _, v in unmet):
        return Reason("demand", "green", groups=tuple((g, w) for g, w, _ in unmet))
    return Reason("demand_gap", "green", count=horizon, groups=tuple(unmet))


def _judge(base: Baseline, r, cand: dict) -> tuple[list[Reason], list[Reason]]:
    """Return one evaluated candidate's reasons (red first, then amber, then green) and its info.

    ``r`` is the candidate's row of :func:`evaluate_many`, ``cand`` its input row.  The reasons
    carry codes and numbers only (see the rules in ``geoplan.ui.wording``): never an address.
    The info reasons (the change in D and isolation) never move the verdict.
    """
    pol = base.policy
    sale = r.action == "sell"
    if not r.in_municipality:
        reasons = [Reason("outside_municipality", "red")]
    elif sale:
        reasons = _sale_area_reasons(r, pol.max_area_share)
    else:
        reasons = [*_area_reasons(r, pol.max_area_share), *_building_reasons(r, pol),
                   *_radius_reasons(r, pol)]
    if sale:
        group = cand.get("target_group")
        waiting = base.demand.loc[base.demand["target_group"] == group, "households"].sum() \
            if group else 0
        if waiting:
            reasons.append(Reason("sale_demand", "amber", group=group, count=int(waiting)))
    else:
        reasons.append(_demand_reason(base, r.demand_fit, r.demand_gap))
    if not sale and base.budget is not None and np.isfinite(r.price):
        money = {"value": float(r.price), "cap": float(base.budget)}
        reasons.append(Reason("budget_over", "red", **money) if r.price > base.budget
                       else Reason("budget_ok", "green", **money))
    info = _index_info(r) if r.in_municipality else []
    return ordered(reasons), info


def _index_info(r) -> list[Reason]:
    """The change in D and isolation, as "info" reasons (never part of the verdict)."""
    info = []
    for key, up, down in (("dissimilarity", "d_up", "d_down"),
                          ("isolation", "isolation_up", "isolation_down")):
        b, a = getattr(r, f"before_{key}"), getattr(r, f"after_{key}")
        if np.isfinite(b) and np.isfinite(a) and abs(a - b) > 1e-12:
            info.append(Reason(up if a > b else down, "info", before=float(b), after=float(a)))
    return info


def _area_reasons(r, cap: float) -> list[Reason]:
    """A purchase's area reasons: the share against the cap, and against the municipal share.

    Red above the cap; amber above :data:`NEAR_CAP` of it; green otherwise.  When the cap
    holds, a second reason compares the share after with the municipal share after: the
    location quotient after above :data:`LQ_WARN` is amber, above 1 a green pass, at most 1 a
    green positive (the purchase spreads the units).
    """
    b, a = float(r.before_area_share), float(r.after_area_share)
    area = r.area_code
    if not np.isfinite(a):
        return [Reason("area_unknown", "amber")]
    shares = {"area": area, "before": b, "after": a, "cap": cap}
    if a > cap:
        return [Reason("area_up_over" if b <= cap else "area_already_over", "red", **shares)]
    out = [Reason("area_near_cap", "amber", **shares) if a > NEAR_CAP * cap
           else Reason("area_ok", "green", **shares)]
    mean = float(r.municipal_share_after)
    if np.isfinite(mean) and mean > 0:
        shares = {"area": area, "after": a, "value": mean}
        if a > LQ_WARN * mean + 1e-12:
            out.append(Reason("area_far_above_mean", "amber", cap=LQ_WARN, **shares))
        else:
            out.append(Reason("area_above_mean" if a > mean + 1e-12 else "area_below_mean",
                              "green", **shares))
    return out


def _sale_area_reasons(r, cap: float) -> list[Reason]:
    """A sale's area reason: its share before and after, and whether it brings it under the cap."""
    b, a = float(r.before_area_share), float(r.after_area_share)
    if not np.isfinite(a):
        return [Reason("area_unknown", "amber")]
    rule = "area_under_cap" if b > cap >= a else "area_ok"
    return [Reason(rule, "green", area=r.area_code, before=b, after=a, cap=cap)]


def _building_reasons(r, pol: Policy) -> list[Reason]:
    """The building cap after the purchase (it holds for every unit in the building alike)."""
    count = r.after_building_count
    if not np.isfinite(count):
        return []
    level, rule = ("red", "building_over") if count > pol.max_per_building else ("green",
                                                                                 "building_ok")
    return [Reason(rule, level, count=int(count), cap=pol.max_per_building)]


def _radius_reasons(r, pol: Policy) -> list[Reason]:
    """The 250 m cap after the purchase, for the candidate's own circle and every existing
    unit whose circle it enters: red over the cap, amber at it, green below."""
    cap = pol.max_within_250m
    own = int(r.after_within_250m)
    out = []
    if own > cap:
        out.append(Reason("radius_over", "red", count=own, cap=cap))
    if r.neighbours_over:
        out.append(Reason("neighbours_over", "red", count=int(r.neighbours_over),
                          after=float(r.neighbour_max_after), cap=cap))
    if out:
        return out
    if own == cap:
        out.append(Reason("radius_at_cap", "amber", count=own, cap=cap))
    if r.neighbours_at_cap:
        out.append(Reason("neighbours_at_cap", "amber", count=int(r.neighbours_at_cap), cap=cap))
    return out or [Reason("radius_ok", "green", count=own, cap=cap)]
