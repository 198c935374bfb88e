"""A year's purchase plan as a mixed-integer programme (PuLP with CBC).

Choose purchases from a candidate file to house the most waiting households by target group,
within the budget, the area and building caps and the 250 m cap, and try to reach per-group
targets ("4 units a year for homeless people with substance problems").  Sales in the candidate
file are planned sales: they are part of the plan, bring their price into the budget and free
room under the caps where they are.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from geoplan.analytics.demand_fit import fit_matrix
from geoplan.analytics.proximity import building_key
from geoplan.analytics.purchase import (
    Baseline,
    area_room,
    candidates_frame,
    evaluate_many,
    what_if_indices,
)
from geoplan.policy import Policy
from geoplan.vocab import TARGET_GROUP

SHORTFALL_PENALTY = 1000.0  # per household below a target: targets come first
TIE_BREAK = 1e-3  # prefer lower concentration and lower price among equal plans
# Why a target was missed, in the order they are told: no candidate fits the group at all,
# fewer households wait than the target, fewer candidates fit than the target, caps block
# fitting candidates, the budget does not stretch.
CAUSES = ("none", "waiting", "few", "caps", "budget")


@dataclass(frozen=True)
class Shortfall:
    """Why one target group's target was not reached: the numbers and the cause codes.

    ``target`` and ``reached`` are units; ``waiting`` the group's households; ``fitting`` the
    candidates that fit the group and ``blocked`` how many of those a cap stops; ``budget`` the
    money the plan had (budget plus planned sales); ``causes`` codes from :data:`CAUSES`.
    """

    target: int
    reached: int
    waiting: int
    fitting: int
    blocked: int
    budget: float
    causes: tuple[str, ...]

    def as_dict(self) -> dict:
        """A JSON-ready dict (causes as a list)."""
        return {**asdict(self), "causes": list(self.causes)}


@dataclass
class Plan:
    """The optimiser's answer: what to buy for whom, and what it achieves.

    ``chosen`` carries the candidate columns plus ``target_group`` (the group each purchase
    houses) and ``verdict``; ``sales`` the planned sales; ``before`` and ``after`` the
    :data:`~geoplan.analytics.purchase.WHAT_IF_INDICES`; ``served`` and ``unmet`` households by
    target-group code; ``shortfalls`` a :class:`Shortfall` for each group below its target.
    """

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
    shortfalls: dict[str, Shortfall] = field(default_factory=dict)
    unpriced: int = 0  # candidates left out because they have no price

    def as_dict(self) -> dict:
        """A JSON-ready summary (strict: a missing number is None, never NaN)."""
        return {
            "status": self.status,
            "chosen": _records(self.chosen, ["label", "x", "y", "price", "target_group"]),
            "sales": _records(self.sales, ["label", "price"]),
            "cost": self.cost, "proceeds": self.proceeds, "budget": self.budget,
            "money_used": self.cost - self.proceeds,
            "before": _finite(self.before), "after": _finite(self.after),
            "served": self.served, "unmet": self.unmet,
            "shortfalls": {g: s.as_dict() for g, s in self.shortfalls.items()},
            "unpriced": self.unpriced,
        }


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    part = frame[columns].astype(object)
    return part.where(part.notna(), None).to_dict("records")


def _finite(values: dict[str, float]) -> dict[str, float | None]:
    return {k: v if math.isfinite(v) else None for k, v in values.items()}


@dataclass
class _Inputs:
    """The plan's data, prepared: purchases, sales, their evaluation, prices, groups and fits."""

    base: Baseline
    targets: dict[str, int]
    buys: pd.DataFrame
    sales: pd.DataFrame
    ev: pd.DataFrame  # evaluate_many of the purchases
    price: np.ndarray  # 0 where unpriced
    priced: np.ndarray
    proceeds: float
    budget: float
    groups: list[str]
    waiting: dict[str, int]
    fits: dict[str, np.ndarray]  # per group: which purchases fit it


@dataclass
class _Model:
    """The mixed-integer programme and its variables (buy j; j serves g; g's shortfall)."""

    prob: object
    y: list
    s: dict
    short: dict


def plan_purchases(
    base: Baseline, candidates: pd.DataFrame, budget: float,
    targets: dict[str, int] | None = None, time_limit: int = 60,
) -> Plan:
    """Solve the purchase plan; see the module docstring for the model."""
    inputs = _prepare(base, candidates, budget, targets)
    model = _build_model(inputs)
    status = _solve(model, time_limit)
    return _read_out(inputs, model, status)


def _prepare(base: Baseline, candidates: pd.DataFrame, budget: float,
             targets: dict[str, int] | None) -> _Inputs:
    """Check the targets, split purchases from sales, evaluate them and match them to groups."""
    targets = {g: int(n) for g, n in (targets or {}).items() if n}
    unknown = [g for g in targets if g not in TARGET_GROUP.terms]
    if unknown:
        raise ValueError(f"unknown target group(s): {', '.join(unknown)}; known: "
                         + ", ".join(TARGET_GROUP.terms))
    cands = candidates_frame(candidates)
    is_sale = cands["action"].to_numpy() == "sell"
    buys = cands[~is_sale].reset_index(drop=True)
    sales = cands[is_sale].reset_index(drop=True)
    raw_price = pd.to_numeric(buys["price"], errors="coerce")
    demand = base.demand
    groups = sorted(set(demand.loc[demand["households"] > 0, "target_group"]) | set(targets))
    fit_rows = fit_matrix(buys, demand)
    return _Inputs(
        base=base, targets=targets, buys=buys, sales=sales, ev=evaluate_many(base, buys),
        price=raw_price.fillna(0.0).to_numpy(),
        priced=raw_price.notna().to_numpy(),  # a flat without a price cannot be budgeted
        proceeds=float(pd.to_numeric(sales["price"], errors="coerce").fillna(0.0).sum()),
        budget=budget, groups=groups,
        waiting={g: int(demand.loc[demand["target_group"] == g, "households"].sum())
                 for g in groups},
        fits={g: fit_rows[:, (demand["target_group"] == g).to_numpy()].any(axis=1)
              for g in groups},
    )


def _build_model(inp: _Inputs) -> _Model:
    """The programme: house the most households, targets first, within budget and caps."""
    import pulp  # only a plan pays for PuLP

    prob = pulp.LpProblem("purchase_plan", pulp.LpMaximize)
    n, price, ev = len(inp.buys), inp.price, inp.ev
    y = [pulp.LpVariable(f"buy_{j}", cat="Binary") for j in range(n)]
    s = {(j, g): pulp.LpVariable(f"serve_{j}_{i}", cat="Binary")
         for i, g in enumerate(inp.groups) for j in range(n) if inp.fits[g][j]}
    short = {g: pulp.LpVariable(f"short_{i}", lowBound=0) for i, g in enumerate(inp.groups)
             if g in inp.targets}
    d_gain = np.nan_to_num(ev["before_dissimilarity"] - ev["after_dissimilarity"])
    scale = max(float(price.max()) if n else 1.0, 1.0)
    prob += (pulp.lpSum(s.values())
             - SHORTFALL_PENALTY * pulp.lpSum(short.values())
             + TIE_BREAK * pulp.lpSum((d_gain[j] * 100 - price[j] / scale) * y[j]
                                      for j in range(n)))
    for j in range(n):
        # every purchase houses exactly one waiting household; unpriced flats are left out
        prob += pulp.lpSum(v for (jj, _), v in s.items() if jj == j) == y[j]
        if not inp.priced[j]:
            prob += y[j] == 0
    for g in inp.groups:
        served = pulp.lpSum(v for (_, gg), v in s.items() if gg == g)
        prob += served <= inp.waiting[g]
        if g in short:
            prob += served + short[g] >= inp.targets[g]
    prob += pulp.lpSum(price[j] * y[j] for j in range(n)) <= inp.budget + inp.proceeds
    _caps(prob, inp.base, inp.buys, inp.sales, y, ev)
    return _Model(prob, y, s, short)


def _solve(model: _Model, time_limit: int) -> str:
    """Solve with CBC; return PuLP's status name ("Optimal", "Infeasible" …)."""
    import pulp

    model.prob.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit))
    return pulp.LpStatus[model.prob.status]


def _read_out(inp: _Inputs, model: _Model, status: str) -> Plan:
    """The chosen purchases, the group each houses, the indices after, and the shortfalls."""
    base = inp.base
    chosen_idx = [j for j in range(len(inp.buys)) if (model.y[j].value() or 0) > 0.5]
    group_of = {j: g for (j, g), v in model.s.items() if (v.value() or 0) > 0.5}
    chosen = inp.buys.loc[chosen_idx].copy()
    chosen["target_group"] = [group_of.get(j) for j in chosen_idx]
    chosen["verdict"] = inp.ev.loc[chosen_idx, "verdict"].to_numpy()
    served = {g: sum(1 for gg in group_of.values() if gg == g) for g in inp.groups}
    plan = Plan(status, chosen.reset_index(drop=True), inp.sales,
                float(inp.price[chosen_idx].sum()), inp.proceeds, inp.budget,
                what_if_indices(base.x, base.t),
                what_if_indices(base.units_after(chosen, inp.sales), base.t), served,
                {g: inp.waiting[g] - served[g] for g in inp.groups},
                unpriced=int((~inp.priced).sum()))
    plan.shortfalls = {g: _shortfall(inp, g, served[g])
                       for g in inp.targets if served[g] < inp.targets[g]}
    return plan


def _caps(prob, base: Baseline, buys: pd.DataFrame, sales: pd.DataFrame, y, ev) -> None:
    """Area, building and 250 m caps, with room freed by planned sales."""
    import pulp

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


def over_caps(ev: pd.DataFrame, pol: Policy) -> np.ndarray:
    """Candidates that a purchase would put over the area, building or 250 m cap."""
    return ((ev["after_area_share"] > pol.max_area_share).fillna(False).to_numpy()
            | (ev["after_building_count"] > pol.max_per_building).fillna(False).to_numpy()
            | (ev["after_within_250m"] > pol.max_within_250m).to_numpy())


def _shortfall(inp: _Inputs, group: str, reached: int) -> Shortfall:
    """Why ``group`` reached only ``reached`` of its target: its numbers and cause codes."""
    target, waiting, fit = inp.targets[group], inp.waiting[group], inp.fits[group]
    n_fit = int(fit.sum())
    blocked = int((fit & over_caps(inp.ev, inp.base.policy)).sum())
    money = inp.budget + inp.proceeds
    causes = []
    if n_fit == 0:
        causes.append("none")
    else:
        if waiting < target:
            causes.append("waiting")
        if n_fit < target:
            causes.append("few")
        if blocked:
            causes.append("caps")
        if np.sort(inp.price[fit])[:target].sum() > money or not causes:
            causes.append("budget")
    return Shortfall(target, reached, waiting, n_fit, blocked, float(money), tuple(causes))
