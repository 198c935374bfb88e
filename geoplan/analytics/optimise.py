"""A year's purchase plan as a mixed-integer programme (PuLP with CBC).

Choose purchases from a candidate file to house the most waiting households by target group,
within the budget, the area and building caps and the 250 m cap, and try to reach per-group
targets ("4 units a year for homeless people with substance problems").  Sales in the candidate
file are planned sales: they are part of the plan, bring their price into the budget and free
room under the caps where they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pulp
from scipy.spatial import cKDTree

from geoplan.analytics.demand_fit import fit_matrix
from geoplan.analytics.format import num
from geoplan.analytics.indices import compute_indices
from geoplan.analytics.proximity import building_key
from geoplan.analytics.purchase import Baseline, area_room, candidates_frame, evaluate_many
from geoplan.policy import Policy
from geoplan.vocab import TARGET_GROUP

SHORTFALL_PENALTY = 1000.0  # per household below a target: targets come first
TIE_BREAK = 1e-3  # prefer lower concentration and lower price among equal plans


@dataclass
class Plan:
    """The optimiser's answer: what to buy for whom, and what it achieves."""

    status: str
    chosen: pd.DataFrame  # chosen purchases with the target group each one serves
    sales: pd.DataFrame
    cost: float
    proceeds: float
    budget: float
    before: dict[str, float]
    after: dict[str, float]
    served: dict[str, int]
    unmet: dict[str, int]
    shortfalls: dict[str, str] = field(default_factory=dict)
    unpriced: int = 0  # candidates left out because they have no price

    def as_dict(self) -> dict:
        """A JSON-ready summary."""
        return {
            "status": self.status,
            "chosen": self.chosen[["label", "x", "y", "price", "target_group"]]
            .to_dict("records"),
            "sales": self.sales[["label", "price"]].to_dict("records"),
            "cost": self.cost, "proceeds": self.proceeds, "budget": self.budget,
            "money_used": self.cost - self.proceeds,
            "before": self.before, "after": self.after,
            "served": self.served, "unmet": self.unmet, "shortfalls": self.shortfalls,
            "unpriced": self.unpriced,
        }


def plan_purchases(
    base: Baseline, candidates: pd.DataFrame, budget: float,
    targets: dict[str, int] | None = None, lang: str = "nb", time_limit: int = 60,
) -> Plan:
    """Solve the purchase plan; see the module docstring for the model."""
    targets = {g: int(n) for g, n in (targets or {}).items() if n}
    unknown = [g for g in targets if g not in TARGET_GROUP.terms]
    if unknown:
        raise ValueError(f"unknown target group(s): {', '.join(unknown)}; known: "
                         + ", ".join(TARGET_GROUP.terms))
    cands = candidates_frame(candidates)
    is_sale = cands["action"].to_numpy() == "sell"
    buys = cands[~is_sale].reset_index(drop=True)
    sales = cands[is_sale].reset_index(drop=True)
    ev = evaluate_many(base, buys, lang)
    raw_price = pd.to_numeric(buys["price"], errors="coerce")
    priced = raw_price.notna().to_numpy()  # a flat without a price cannot be budgeted
    price = raw_price.fillna(0.0).to_numpy()
    proceeds = float(pd.to_numeric(sales["price"], errors="coerce").fillna(0.0).sum())
    demand = base.demand
    groups = sorted(set(demand.loc[demand["households"] > 0, "target_group"]) | set(targets))
    waiting = {g: int(demand.loc[demand["target_group"] == g, "households"].sum())
               for g in groups}
    fit_rows = fit_matrix(buys, demand)
    fits = {g: fit_rows[:, (demand["target_group"] == g).to_numpy()].any(axis=1)
            for g in groups}

    prob = pulp.LpProblem("purchase_plan", pulp.LpMaximize)
    n = len(buys)
    y = [pulp.LpVariable(f"buy_{j}", cat="Binary") for j in range(n)]
    s = {(j, g): pulp.LpVariable(f"serve_{j}_{i}", cat="Binary")
         for i, g in enumerate(groups) for j in range(n) if fits[g][j]}
    short = {g: pulp.LpVariable(f"short_{i}", lowBound=0) for i, g in enumerate(groups)
             if g in targets}
    d_gain = np.nan_to_num(ev["before_dissimilarity"] - ev["after_dissimilarity"])
    scale = max(float(price.max()) if n else 1.0, 1.0)
    prob += (pulp.lpSum(s.values())
             - SHORTFALL_PENALTY * pulp.lpSum(short.values())
             + TIE_BREAK * pulp.lpSum((d_gain[j] * 100 - price[j] / scale) * y[j]
                                      for j in range(n)))
    for j in range(n):
        # every purchase houses exactly one waiting household; unpriced flats are left out
        prob += pulp.lpSum(v for (jj, _), v in s.items() if jj == j) == y[j]
        if not priced[j]:
            prob += y[j] == 0
    for g in groups:
        served = pulp.lpSum(v for (_, gg), v in s.items() if gg == g)
        prob += served <= waiting[g]
        if g in short:
            prob += served + short[g] >= targets[g]
    prob += pulp.lpSum(price[j] * y[j] for j in range(n)) <= budget + proceeds
    _caps(prob, base, buys, sales, y, ev)
    prob.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit))
    status = pulp.LpStatus[prob.status]
    chosen_idx = [j for j in range(n) if (y[j].value() or 0) > 0.5]
    group_of = {j: g for (j, g), v in s.items() if (v.value() or 0) > 0.5}
    chosen = buys.loc[chosen_idx].copy()
    chosen["target_group"] = [group_of.get(j) for j in chosen_idx]
    chosen["verdict"] = ev.loc[chosen_idx, "verdict"].to_numpy()
    served = {g: sum(1 for gg in group_of.values() if gg == g) for g in groups}
    after = _indices(base.units_after(chosen, sales), base.t)
    plan = Plan(status, chosen.reset_index(drop=True), sales, float(price[chosen_idx].sum()),
                proceeds, budget, _indices(base.x, base.t), after, served,
                {g: waiting[g] - served[g] for g in groups}, unpriced=int((~priced).sum()))
    plan.shortfalls = {g: _why(targets[g], served[g], waiting[g], fits[g], ev, price,
                               budget + proceeds, base.policy, lang)
                       for g in targets if served[g] < targets[g]}
    return plan


def _caps(prob, base: Baseline, buys: pd.DataFrame, sales: pd.DataFrame, y, ev) -> None:
    """Area, building and 250 m caps, with room freed by planned sales."""
    pol = base.policy
    pos = base.positions(buys)
    sale_pos = base.positions(sales)
    for area in set(pos[pos >= 0]):
        t = base.t[area]
        if not np.isfinite(t) or t <= 0:
            continue
        freed = int((sale_pos == area).sum())
        room = max(0, area_room(pol.max_area_share, t, base.x[area] - freed))
        prob += pulp.lpSum(y[j] for j in np.flatnonzero(pos == area)) <= room
    keys = building_key(buys).to_numpy()
    sale_keys = building_key(sales).tolist() if len(sales) else []
    for key in {k for k in keys if isinstance(k, str)}:
        left = int(base.building_counts.get(key, 0)) - sale_keys.count(key)
        room = max(0, pol.max_per_building - left)
        members = [j for j in range(len(buys)) if keys[j] == key]
        prob += pulp.lpSum(y[j] for j in members) <= room
    # 250 m: a purchase must not see more than the cap around it, counting other purchases
    if len(buys):
        xy = buys[["x", "y"]].to_numpy(float)
        near = cKDTree(xy).query_ball_point(xy, 250.0)
        existing = ev["before_within_250m"].to_numpy(float)
        for j, others in enumerate(near):
            big = existing[j] + len(others)  # enough to switch the row off when j is not bought
            prob += (existing[j] + pulp.lpSum(y[k] for k in others)
                     <= pol.max_within_250m + big * (1 - y[j]))


def _indices(x: np.ndarray, t: np.ndarray) -> dict[str, float]:
    res = compute_indices(x, t)
    return {"dissimilarity": res["dissimilarity"], "isolation": res["isolation"],
            "gini": res["gini"], "theil": res["theil"]}


def over_caps(ev: pd.DataFrame, pol: Policy) -> np.ndarray:
    """Candidates that a purchase would put over the area, building or 250 m cap."""
    return ((ev["after_area_share"] > pol.max_area_share).fillna(False).to_numpy()
            | (ev["after_building_count"] > pol.max_per_building).fillna(False).to_numpy()
            | (ev["after_within_250m"] > pol.max_within_250m).to_numpy())


_WHY = {
    "nb": {"none": "ingen kandidater passer målgruppen (rom, universell utforming, bemanning "
                   "eller boligtype)",
           "few": "bare {fit} kandidat(er) passer målgruppen",
           "caps": "{blocked} av {fit} passende kandidater er stoppet av tak (område, bygning "
                   "eller 250 m)",
           "budget": "budsjettet ({budget}) rekker ikke til flere",
           "waiting": "bare {waiting} husstander venter",
           "head": "mål {target}, nådd {got}: "},
    "en": {"none": "no candidate fits the group (rooms, universal design, staffing or type)",
           "few": "only {fit} candidate(s) fit the group",
           "caps": "{blocked} of {fit} fitting candidates are blocked by a cap (area, building "
                   "or 250 m)",
           "budget": "the budget ({budget}) does not stretch further",
           "waiting": "only {waiting} households are waiting",
           "head": "target {target}, reached {got}: "},
}


def _why(target: int, got: int, waiting: int, fit: np.ndarray, ev: pd.DataFrame,
         price: np.ndarray, budget: float, pol: Policy, lang: str) -> str:
    """Explain in words why a group's target was not reached."""
    w = _WHY["en" if lang == "en" else "nb"]
    head = w["head"].format(target=target, got=got)
    n_fit = int(fit.sum())
    if n_fit == 0:
        return head + w["none"]
    blocked = int((fit & over_caps(ev, pol)).sum())
    parts = []
    if waiting < target:
        parts.append(w["waiting"].format(waiting=waiting))
    if n_fit < target:
        parts.append(w["few"].format(fit=n_fit))
    if blocked:
        parts.append(w["caps"].format(blocked=blocked, fit=n_fit))
    cheapest = np.sort(price[fit])[:target].sum()
    if cheapest > budget or not parts:
        parts.append(w["budget"].format(budget=num(budget, lang, 0)))
    return head + "; ".join(parts)
