"""A purchase plan over one to four years as a mixed-integer programme (PuLP with CBC).

Choose purchases from a candidate file to house the most waiting households by target group,
within the budget, the area and building caps and the 250 m cap, and try to reach per-group
targets ("4 units a year for homeless people with substance problems").  Sales in the candidate
file are planned sales: they are part of the plan (in its first year), bring their price into
the first year's budget and free room under the caps where they are.

**Years.**  A plan of ``H`` years (``H`` = 1 … :data:`MAX_YEARS`) has one budget per year and a
binary ``y[j, k]``: candidate ``j`` bought in year ``k``, at most once over the horizon.  Each
year's purchases cost at most that year's budget (no carry-over; a candidate's price is the same
every year).  The caps hold cumulatively: in year ``k`` the purchases of years ``≤ k`` count.
Since rooms under the caps do not change over the years and the purchases only accumulate,
that is the same as the caps holding for all the plan's purchases together, which is how they
are written.  Targets are units a year: over ``H`` years the plan aims at ``H × target``.

**How many households a group can take.**  By default, the households waiting (every year).
With ``gap`` (the demand outlook's projected queue without the plan at the end of each plan
year), the purchases for a group up to year ``k`` are at most its gap at the end of year ``k``,
rounded up; a group with a gap of 0 takes no purchase, unless a target says so (the room is at
least ``k × target``).  An unknown gap (no flows) falls back to the households waiting.  See
:func:`group_capacity`.

The plan tells the truth about what it could not do:

- a flat without a price is never bought (it is not "free"): it is listed apart in
  :attr:`Plan.unpriced` ("needs a price") and counts neither against the budget nor as cheap;
- a flat outside every area, or in an area with zero or unknown dwellings, gets no free pass
  from the area cap: it has no room (it is not bought) and is listed in
  :attr:`Plan.share_unknown`;
- a purchase must keep every circle under the 250 m cap: its own (counting the other
  purchases) and that of every existing unit within 250 m of it.  An existing unit with
  ``c`` municipal units within 250 m (itself included) lets at most ``cap - c`` purchases
  into its circle (none when ``c >= cap``);
- a missed target says why, per group (:data:`CAUSES`); budget and caps are blamed only when
  the plan without that limit would have served the group better (a counterfactual solve).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from geoplan.analytics.demand_fit import fit_matrix
from geoplan.analytics.demand_flow import suitability
from geoplan.analytics.proximity import building_key, radius_counts
from geoplan.analytics.purchase import (
    RADIUS_M,
    Baseline,
    area_room,
    candidates_frame,
    evaluate_many,
    snapshot_needs,
    what_if_indices,
)
from geoplan.vocab import TARGET_GROUP

SHORTFALL_PENALTY = 1000.0  # per household below a target: targets come first
TIE_BREAK = 1e-3  # prefer lower concentration and lower price among equal plans
EARLY = 0.01  # within the tie-break, per year sooner: among equal plans, house households sooner
MAX_YEARS = 4  # a plan covers one to four years, one budget each
# what a plan takes as the households a group can take: those waiting, or the projected gap
BASES = ("waiting", "gap")
# The plan's status: every target met; optimal but a target missed (see the shortfalls);
# no plan meets the constraints; the solver stopped without an answer (e.g. the time limit).
STATUSES = ("optimal", "targets_missed", "infeasible", "not_solved")
# Why a target was missed, in the order they are told: nobody of the group is waiting; no
# candidate fits the group; fewer households wait than the target; fewer candidates fit than
# the target; fitting candidates have no price; fitting candidates lie where the municipal share
# is unknown; caps block fitting candidates on their own ("caps") or leave too little room for
# them together ("room"); the budget does not stretch; the fitting candidates serve other
# groups' targets.
CAUSES = ("nobody", "none", "waiting", "few", "unpriced", "unknown", "caps", "room", "budget",
          "others")
# the limits a counterfactual solve lifts, to learn whether they cost a group its target
RELAXABLE = ("unknown", "caps", "budget")


class PlanError(ValueError):
    """A plan that cannot be made from its input: ``code`` and the target ``groups`` concerned.

    Codes: ``negative_budget``, ``budget_not_a_number``, ``unknown_group``,
    ``negative_target`` and ``bad_horizon`` (not one to :data:`MAX_YEARS` budgets).  The
    message is plain English for logs and the command line; pages word the code themselves
    (``plan.error.<code>``).
    """

    MESSAGES = {
        "negative_budget": "the budget must be zero or more",
        "budget_not_a_number": "the budget must be a number",
        "unknown_group": "unknown target group(s): {groups}; known: {known}",
        "negative_target": "a target must be zero or more: {groups}",
        "bad_horizon": f"a plan covers 1 to {MAX_YEARS} years, one budget each",
    }

    def __init__(self, code: str, groups: tuple[str, ...] = ()):
        self.code = code
        self.groups = tuple(groups)
        super().__init__(self.MESSAGES[code].format(
            groups=", ".join(self.groups), known=", ".join(TARGET_GROUP.terms)))


@dataclass(frozen=True)
class Shortfall:
    """Why one target group's target was not reached: the numbers and the cause codes.

    ``target`` and ``reached`` are units over the plan's years (a target is units a year:
    ``H × target`` over ``H`` years); ``waiting`` the households the group can take (those
    waiting, or its gap at the horizon: :func:`group_capacity`); ``fitting`` the candidates
    that fit the group and ``blocked`` how many of those a cap stops on its own; ``budget`` the
    money the plan had (the budgets of all years plus planned sales); ``causes`` codes from
    :data:`CAUSES`; ``unpriced`` the fitting candidates without a price and ``unknown`` those
    where the municipal share is unknown.
    """

    target: int
    reached: int
    waiting: int
    fitting: int
    blocked: int
    budget: float
    causes: tuple[str, ...]
    unpriced: int = 0
    unknown: int = 0

    def as_dict(self) -> dict:
        """A JSON-ready dict (causes as a list)."""
        return {**asdict(self), "causes": list(self.causes)}


PLACE_RECORD = ["label", "x", "y", "price"]  # the columns of a listed candidate


def _no_places() -> pd.DataFrame:
    return pd.DataFrame({c: [] for c in [*PLACE_RECORD, "target_groups"]})


@dataclass
class Plan:
    """The optimiser's answer: what to buy for whom, and what it achieves.

    ``status`` one of :data:`STATUSES`; ``chosen`` carries the candidate columns plus
    ``target_group`` (the group each purchase houses), ``verdict`` and ``year`` (the year it is
    bought in: ``first_year`` … ``first_year + horizon - 1``); ``sales`` the planned
    sales (in the first year); ``before`` and ``after`` the
    :data:`~geoplan.analytics.purchase.WHAT_IF_INDICES` (after: every year's purchases);
    ``served`` (the chosen purchases per target-group code) and ``unmet`` (what the group could
    take at the horizon, less ``served``); ``cost`` and ``budget`` are over all the years,
    ``budgets`` one per year; ``basis`` (:data:`BASES`) says what ``capacity`` (per group, the
    households it can take by the end of each year, cumulative) was made from;
    ``projection`` (set by the service when flows exist) per group and year the projected
    ``queue`` without and ``queue_with_plan`` with the plan;
    ``shortfalls`` a :class:`Shortfall` for each group below its target; ``unpriced`` and
    ``share_unknown`` the candidates left out because they have no price or lie where the
    municipal share is unknown (columns ``label``, ``x``, ``y``, ``price``, ``target_groups``:
    the codes of the groups they fit); ``targets`` and ``policy`` what the plan was made with.
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
    unpriced: pd.DataFrame = field(default_factory=_no_places)
    share_unknown: pd.DataFrame = field(default_factory=_no_places)
    targets: dict[str, int] = field(default_factory=dict)
    policy: dict[str, float] = field(default_factory=dict)
    horizon: int = 1
    first_year: int = 1
    budgets: list[float] = field(default_factory=list)
    basis: str = "waiting"
    capacity: dict[str, list[int]] = field(default_factory=dict)
    projection: pd.DataFrame | None = None

    def year_money(self) -> list[dict]:
        """Per plan year: ``year``, ``budget``, ``cost``, ``proceeds`` (planned sales: the
        first year), ``money_used`` (cost less proceeds) and ``labels`` of its purchases."""
        years = self.chosen["year"] if "year" in self.chosen else pd.Series(
            self.first_year, index=self.chosen.index)
        price = pd.to_numeric(self.chosen["price"], errors="coerce").fillna(0.0)
        budgets = self.budgets or [self.budget]
        out = []
        for k in range(self.horizon):
            year = self.first_year + k
            mine = (years == year).to_numpy()
            cost = float(price[mine].sum())
            proceeds = self.proceeds if k == 0 else 0.0
            out.append({"year": year, "budget": float(budgets[k]), "cost": cost,
                        "proceeds": proceeds, "money_used": cost - proceeds,
                        "labels": self.chosen.loc[mine, "label"].tolist()})
        return out

    def as_dict(self) -> dict:
        """A JSON-ready summary (strict: a missing number is None, never NaN).

        Besides the one-year keys: ``horizon``, ``first_year``, ``basis``, ``capacity``,
        ``years`` (per year: ``year``, ``budget``, ``cost``, ``proceeds``, ``money_used`` and
        its ``chosen`` purchases) and ``projection`` (per group a list of ``{year, queue,
        queue_with_plan}``; None without flows).
        """
        record = ["label", "x", "y", "price", "target_group", "year"]
        chosen = _records(self.chosen, [c for c in record if c in self.chosen])
        years = [{k: v for k, v in money.items() if k != "labels"}
                 | {"chosen": [c for c in chosen if c.get("year") == money["year"]]}
                 for money in self.year_money()]
        return {
            "status": self.status,
            "chosen": chosen,
            "sales": _records(self.sales, ["label", "price"]),
            "cost": self.cost, "proceeds": self.proceeds, "budget": self.budget,
            "money_used": self.cost - self.proceeds,
            "before": _finite(self.before), "after": _finite(self.after),
            "served": self.served, "unmet": self.unmet,
            "targets": self.targets, "policy": self.policy,
            "shortfalls": {g: s.as_dict() for g, s in self.shortfalls.items()},
            "unpriced": _records(self.unpriced, [*PLACE_RECORD, "target_groups"]),
            "share_unknown": _records(self.share_unknown, [*PLACE_RECORD, "target_groups"]),
            "horizon": self.horizon, "first_year": self.first_year, "basis": self.basis,
            "capacity": self.capacity, "years": years,
            "projection": _projection_records(self.projection),
        }


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    part = frame[columns].astype(object)
    return part.where(part.notna(), None).to_dict("records")


def _finite(values: dict[str, float]) -> dict[str, float | None]:
    return {k: v if math.isfinite(v) else None for k, v in values.items()}


def _projection_records(projection: pd.DataFrame | None) -> dict[str, list[dict]] | None:
    """Per group the list of ``{year, queue, queue_with_plan}`` (None without a projection)."""
    if projection is None:
        return None
    columns = ["year", "queue", "queue_with_plan"]
    return {str(g): _records(rows, columns)
            for g, rows in projection.groupby("target_group", sort=False)}


def group_capacity(waiting: int, gap: Sequence[float] | None, target: int,
                   years: int) -> np.ndarray:
    """Households a group can take by the end of each plan year (cumulative, ``years`` long).

    Without ``gap``, or when any of it is unknown (NaN: a group without flows), the households
    ``waiting``, every year.  With it (the projected queue without the plan at the end of each
    plan year), year ``k``'s room is the gap rounded up (a part of a household still needs a
    home), and at least ``k × target`` (k = 1 … years): a group with a gap of 0 takes no
    purchase unless a target says so.
    """
    values = np.asarray(gap if gap is not None else [np.nan] * years, dtype=float)
    if len(values) != years:
        raise ValueError(f"the gap has {len(values)} years, the plan {years}")
    if np.isnan(values).any():
        return np.full(years, int(waiting), dtype=int)
    rounded = np.ceil(np.maximum(values, 0.0) - 1e-9).astype(int)
    return np.maximum(rounded, target * np.arange(1, years + 1))


@dataclass
class _Caps:
    """The cap constraints as data: ``sum(y[members]) <= room`` for every (members, room) in
    ``limits`` (areas, buildings, the circles of existing units); ``circles`` the purchases'
    own 250 m circles, (j, purchases within 250 m of j, j included, existing units there):
    binding only when j is bought; ``alone`` the purchases a cap stops on their own."""

    limits: list[tuple[np.ndarray, int]]
    circles: list[tuple[int, np.ndarray, int]]
    alone: np.ndarray


@dataclass
class _Inputs:
    """The plan's data, prepared: purchases, sales, their evaluation, prices, groups and fits."""

    base: Baseline
    targets: dict[str, int]  # units a year
    buys: pd.DataFrame
    sales: pd.DataFrame
    ev: pd.DataFrame  # evaluate_many of the purchases
    price: np.ndarray  # NaN where unpriced
    priced: np.ndarray
    unknown: np.ndarray  # outside every area or in one with zero/unknown dwellings
    proceeds: float
    budget: float  # all the years together
    groups: list[str]
    fits: dict[str, np.ndarray]  # per group: which purchases fit it
    caps: _Caps
    budgets: np.ndarray  # one per year
    capacity: dict[str, np.ndarray]  # per group: households it can take by the end of year k
    basis: str = "waiting"
    first_year: int = 1

    @property
    def years(self) -> int:
        return len(self.budgets)

    def total_target(self, group: str) -> int:
        """The group's target over all the plan's years (units a year × years)."""
        return self.targets.get(group, 0) * self.years


@dataclass
class _Model:
    """The mixed-integer programme and its variables: ``y[j][k]`` buy j in year k;
    ``s[j, g, k]`` j serves g (bought in year k); ``short[g]`` g's shortfall."""

    prob: object
    y: list
    s: dict
    short: dict


def plan_purchases(
    base: Baseline, candidates: pd.DataFrame, budget: float | Sequence[float],
    targets: dict[str, int] | None = None, time_limit: int = 60,
    gap: Mapping[str, Sequence[float]] | None = None, first_year: int = 1,
) -> Plan:
    """Solve the purchase plan; see the module docstring for the model.

    ``candidates`` are rows of :func:`~geoplan.analytics.purchase.candidates_frame` (``action``
    "sell" for a planned sale); ``budget`` NOK for a one-year plan, or a sequence of one budget
    per year (1 … :data:`MAX_YEARS`; PlanError when negative, not a number or too many);
    ``targets`` units a year per target-group code (PlanError for an unknown group or a
    negative target); ``gap`` per target-group code the projected queue without the plan at the
    end of each plan year (one number per budget; NaN unknown): the plan then takes it, not the
    households waiting, as what each group can take (:func:`group_capacity`); ``first_year``
    the calendar year of the first budget (``Plan.chosen["year"]``).
    """
    inputs = _prepare(base, candidates, budget, targets, gap, first_year)
    model = _build_model(inputs)
    status = _solve(model, time_limit)
    return _read_out(inputs, model, status, time_limit)


def _checked_budgets(budget: float | Sequence[float]) -> np.ndarray:
    """One budget per year as floats; PlanError for a bad budget or number of years."""
    many = isinstance(budget, (Sequence, np.ndarray, pd.Series)) and not isinstance(budget, str)
    values = list(budget) if many else [budget]
    if not 1 <= len(values) <= MAX_YEARS:
        raise PlanError("bad_horizon")
    out = []
    for value in values:
        try:
            money = float(value)
        except (TypeError, ValueError):
            raise PlanError("budget_not_a_number") from None
        if not math.isfinite(money):
            raise PlanError("budget_not_a_number")
        if money < 0:
            raise PlanError("negative_budget")
        out.append(money)
    return np.asarray(out, dtype=float)


def _checked_targets(targets: dict[str, int] | None) -> dict[str, int]:
    """The targets as whole numbers (zeros dropped); PlanError for a bad target."""
    targets = {g: int(n) for g, n in (targets or {}).items() if n}
    unknown = tuple(g for g in targets if g not in TARGET_GROUP.terms)
    if unknown:
        raise PlanError("unknown_group", unknown)
    negative = tuple(g for g, n in targets.items() if n < 0)
    if negative:
        raise PlanError("negative_target", negative)
    return targets


def _prepare(base: Baseline, candidates: pd.DataFrame, budget: float | Sequence[float],
             targets: dict[str, int] | None, gap: Mapping[str, Sequence[float]] | None = None,
             first_year: int = 1) -> _Inputs:
    """Check the input, split purchases from sales, evaluate them and match them to groups.

    With ``gap``, a candidate fits a group as :func:`_fits` says, even where nobody of the
    group waits today (the gap may still be above 0).
    """
    budgets = _checked_budgets(budget)
    targets = _checked_targets(targets)
    cands = candidates_frame(candidates)
    is_sale = cands["action"].to_numpy() == "sell"
    buys = cands[~is_sale].reset_index(drop=True)
    sales = cands[is_sale].reset_index(drop=True)
    raw_price = pd.to_numeric(buys["price"], errors="coerce").to_numpy(float)
    demand = base.demand
    years = len(budgets)
    waiting = demand.groupby("target_group")["households"].sum()
    capacity = {g: group_capacity(int(waiting.get(g, 0)), (gap or {}).get(g),
                                  targets.get(g, 0), years)
                for g in set(waiting.index) | set(targets) | set(gap or {})}
    groups = sorted(g for g, room in capacity.items() if room[-1] > 0 or g in targets)
    fits = _fits(buys, demand, groups, gap is not None)
    pos = base.positions(buys)
    ev = evaluate_many(base, buys)
    return _Inputs(
        base=base, targets=targets, buys=buys, sales=sales, ev=ev,
        price=raw_price, priced=np.isfinite(raw_price) & (raw_price >= 0),
        unknown=_share_unknown(base, pos),
        proceeds=float(pd.to_numeric(sales["price"], errors="coerce").fillna(0.0).sum()),
        budget=float(budgets.sum()), groups=groups,
        fits=fits, caps=_caps(base, buys, sales, pos, ev),
        budgets=budgets, capacity={g: capacity[g] for g in groups},
        basis="waiting" if gap is None else "gap", first_year=int(first_year),
    )


def _fits(buys: pd.DataFrame, demand: pd.DataFrame, groups: list[str],
          by_gap: bool) -> dict[str, np.ndarray]:
    """Per group, which purchases fit it.

    By households waiting: the need rows with households waiting
    (:func:`~geoplan.analytics.demand_fit.fit_matrix`).  By the gap: the stock the demand
    model would let the unit enter (:func:`~geoplan.analytics.demand_flow.suitability` against
    the snapshot's need rows, as the purchase test reads the gap), whether or not anyone of the
    group waits today.
    """
    if by_gap:
        suits = suitability(buys, snapshot_needs(demand))
        return {g: suits[g].to_numpy(bool) if g in suits else np.zeros(len(buys), dtype=bool)
                for g in groups}
    fit_rows = fit_matrix(buys, demand)
    return {g: fit_rows[:, (demand["target_group"] == g).to_numpy()].any(axis=1)
            for g in groups}


def _share_unknown(base: Baseline, pos: np.ndarray) -> np.ndarray:
    """Rows outside every area or in an area with zero or unknown dwellings."""
    known = np.zeros(len(pos), dtype=bool)
    inside = pos >= 0
    known[inside] = base.ok[pos[inside]]
    return ~known


def _caps(base: Baseline, buys: pd.DataFrame, sales: pd.DataFrame, pos: np.ndarray,
          ev: pd.DataFrame) -> _Caps:
    """Area, building and 250 m caps as data, with room freed by planned sales."""
    pol, n = base.policy, len(buys)
    limits: list[tuple[np.ndarray, int]] = []
    sale_pos = base.positions(sales)
    for area in sorted(set(pos[pos >= 0]) & set(np.flatnonzero(base.ok))):
        freed = int((sale_pos == area).sum())
        room = max(0, int(area_room(pol.max_area_share, base.t[area], base.x[area] - freed)))
        limits.append((np.flatnonzero(pos == area), room))
    keys = building_key(buys).to_numpy()
    sale_keys = building_key(sales).tolist() if len(sales) else []
    for key in sorted({k for k in keys if isinstance(k, str)}):
        left = int(base.building_counts.get(key, 0)) - sale_keys.count(key)
        limits.append((np.flatnonzero(keys == key), max(0, pol.max_per_building - left)))
    circles: list[tuple[int, np.ndarray, int]] = []
    if n:
        limits += _unit_circles(base, buys, sales)
        xy = buys[["x", "y"]].to_numpy(float)
        existing = ev["before_within_250m"].to_numpy(float) - _sold_within(sales, xy)
        for j, near in enumerate(cKDTree(xy).query_ball_point(xy, RADIUS_M)):
            circles.append((j, np.asarray(near, dtype=int), int(existing[j])))
    alone = np.zeros(n, dtype=bool)
    for members, room in limits:
        if room <= 0:
            alone[members] = True
    for j, _, existing in circles:
        alone[j] |= existing + 1 > pol.max_within_250m
    return _Caps(limits, circles, alone)


def _sold_within(sales: pd.DataFrame, xy: np.ndarray) -> np.ndarray:
    """Planned sales within 250 m of each point (they free room in its circle)."""
    sold = sales[["x", "y"]].to_numpy(float) if len(sales) else np.empty((0, 2))
    return radius_counts(sold, RADIUS_M, xy)


def _unit_circles(base: Baseline, buys: pd.DataFrame,
                  sales: pd.DataFrame) -> list[tuple[np.ndarray, int]]:
    """Every existing unit's 250 m circle: the purchases within 250 m of a unit with ``c``
    units there (itself included) number at most ``cap - c`` (none when ``c >= cap``).

    Units being sold are left out (and do not count); circles with the same purchases keep
    the smallest room.
    """
    units = base.units
    if units.empty:
        return []
    xy = units[["x", "y"]].to_numpy(float)
    sold = np.zeros(len(units), dtype=bool)
    if len(sales) and "unit_id" in units:
        sold = units["unit_id"].isin(set(sales["unit_id"].dropna())).to_numpy()
    keep = ~sold
    counts = base.unit_within_250m[keep] - _sold_within(sales, xy[keep])
    near = cKDTree(buys[["x", "y"]].to_numpy(float)).query_ball_point(xy[keep], RADIUS_M)
    rooms: dict[tuple[int, ...], int] = {}
    for members, c in zip(near, counts, strict=True):
        if members:
            key = tuple(sorted(members))
            room = max(0, base.policy.max_within_250m - int(c))
            rooms[key] = min(room, rooms.get(key, room))
    return [(np.asarray(k, dtype=int), r) for k, r in rooms.items()]


def _tie_weights(inp: _Inputs) -> np.ndarray:
    """The tie-break's weight of buying j in year k (purchases × years): a larger fall in D
    and a lower price first; among those, a year sooner by :data:`EARLY`."""
    n, years = len(inp.buys), inp.years
    price = np.where(inp.priced, inp.price, 0.0)
    ev = inp.ev
    d_gain = np.nan_to_num(ev["before_dissimilarity"] - ev["after_dissimilarity"]).astype(float)
    scale = max(float(price.max()) if n else 1.0, 1.0)
    per_j = d_gain * 100 - price / scale
    sooner = EARLY * (years - 1 - np.arange(years))
    return per_j[:, None] + sooner[None, :]


def _build_model(inp: _Inputs, lift: frozenset[str] = frozenset()) -> _Model:
    """The programme: house the most households, targets first, within budgets and caps.

    ``lift`` names limits of :data:`RELAXABLE` left out, for a counterfactual solve.  A
    one-year plan is the same programme with one year (its variables keep their names).
    """
    import pulp  # only a plan pays for PuLP

    prob = pulp.LpProblem("purchase_plan", pulp.LpMaximize)
    n, years = len(inp.buys), inp.years

    def tag(k: int) -> str:
        return "" if years == 1 else f"_{k}"

    price = np.where(inp.priced, inp.price, 0.0)
    y = [[pulp.LpVariable(f"buy_{j}{tag(k)}", cat="Binary") for k in range(years)]
         for j in range(n)]
    s = {(j, g, k): pulp.LpVariable(f"serve_{j}_{i}{tag(k)}", cat="Binary")
         for i, g in enumerate(inp.groups) for j in range(n) if inp.fits[g][j]
         for k in range(years)}
    short = {g: pulp.LpVariable(f"short_{i}", lowBound=0) for i, g in enumerate(inp.groups)
             if g in inp.targets}
    weight = _tie_weights(inp)
    prob += (pulp.lpSum(s.values())
             - SHORTFALL_PENALTY * pulp.lpSum(short.values())
             + TIE_BREAK * pulp.lpSum(weight[j, k] * y[j][k]
                                      for j in range(n) for k in range(years)))
    serves: dict[tuple[int, int], list] = {(j, k): [] for j in range(n) for k in range(years)}
    for (j, _, k), v in s.items():
        serves[j, k].append(v)
    bought = [pulp.lpSum(y[j]) for j in range(n)]  # 1 when j is bought in some year
    for j in range(n):
        # every purchase houses exactly one waiting household, in the year it is bought; a
        # flat is bought once at most; a flat without a price, or where the municipal share is
        # unknown, is not bought
        for k in range(years):
            prob += pulp.lpSum(serves[j, k]) == y[j][k]
        if years > 1:
            prob += bought[j] <= 1
        if not inp.priced[j] or (inp.unknown[j] and "unknown" not in lift):
            prob += bought[j] == 0
    for g in inp.groups:
        for k in range(years):  # the purchases for g up to year k, within its room then
            prob += pulp.lpSum(v for (_, gg, kk), v in s.items()
                               if gg == g and kk <= k) <= int(inp.capacity[g][k])
        if g in short:
            served = pulp.lpSum(v for (_, gg, _), v in s.items() if gg == g)
            prob += served + short[g] >= inp.total_target(g)
    if "budget" not in lift:
        for k in range(years):  # planned sales bring their price into the first year
            prob += (pulp.lpSum(price[j] * y[j][k] for j in range(n))
                     <= inp.budgets[k] + (inp.proceeds if k == 0 else 0.0))
    if "caps" not in lift:
        _add_caps(prob, inp, bought)
    return _Model(prob, y, s, short)


def _add_caps(prob, inp: _Inputs, bought: list) -> None:
    """Add the cap constraints of ``inp.caps`` to ``prob`` on ``bought`` (j bought by the
    horizon): the caps hold in every year for the purchases up to it, and the purchases only
    accumulate while the rooms stay, so the last year's rows imply every earlier year's."""
    import pulp

    for members, room in inp.caps.limits:
        prob += pulp.lpSum(bought[j] for j in members) <= room
    cap = inp.base.policy.max_within_250m
    for j, near, existing in inp.caps.circles:
        big = existing + len(near)  # enough to switch the row off when j is not bought
        prob += existing + pulp.lpSum(bought[k] for k in near) <= cap + big * (1 - bought[j])


def _solve(model: _Model, time_limit: int) -> str:
    """Solve with CBC; return "solved", "infeasible" or "not_solved"."""
    import pulp

    model.prob.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit))
    if model.prob.status == pulp.LpStatusInfeasible:
        return "infeasible"
    if model.prob.status == pulp.LpStatusOptimal and model.prob.sol_status == pulp.LpSolutionOptimal:
        return "solved"
    return "not_solved"


def _chosen_groups(inp: _Inputs, model: _Model) -> dict[int, tuple[str, int]]:
    """The chosen purchases (position -> the target group each one houses and its year k)."""
    if model.prob.status != 1:  # no solution to read
        return {}
    best: dict[int, tuple[float, str, int]] = {}
    for (j, g, k), v in model.s.items():
        value = v.value() or 0.0
        if (model.y[j][k].value() or 0) > 0.5 and value > best.get(j, (0.5, "", 0))[0]:
            best[j] = (value, g, k)
    return {j: (g, k) for j, (_, g, k) in sorted(best.items())}


def _served(inp: _Inputs, group_of: dict[int, tuple[str, int]]) -> dict[str, int]:
    """The chosen purchases per group: what ``served`` says is what ``chosen`` shows."""
    return {g: sum(1 for gg, _ in group_of.values() if gg == g) for g in inp.groups}


def _read_out(inp: _Inputs, model: _Model, solved: str, time_limit: int) -> Plan:
    """The chosen purchases, the group each houses, the indices after, and the shortfalls."""
    base = inp.base
    group_of = _chosen_groups(inp, model)
    chosen_idx = list(group_of)
    chosen = inp.buys.loc[chosen_idx].copy()
    chosen["target_group"] = [group_of[j][0] for j in chosen_idx]
    chosen["verdict"] = inp.ev.loc[chosen_idx, "verdict"].to_numpy()
    chosen["year"] = [inp.first_year + group_of[j][1] for j in chosen_idx]
    chosen = chosen.sort_values("year", kind="stable")
    chosen_idx = list(chosen.index)
    served = _served(inp, group_of)
    plan = Plan(
        solved, chosen.reset_index(drop=True), inp.sales,
        float(inp.price[chosen_idx].sum()) if chosen_idx else 0.0, inp.proceeds, inp.budget,
        what_if_indices(base.x, base.t),
        what_if_indices(base.units_after(chosen, inp.sales), base.t), served,
        {g: int(inp.capacity[g][-1]) - served[g] for g in inp.groups},
        unpriced=_listed(inp, ~inp.priced), share_unknown=_listed(inp, inp.unknown),
        targets=dict(inp.targets), policy=base.policy.as_dict(), horizon=inp.years,
        first_year=inp.first_year, budgets=[float(b) for b in inp.budgets], basis=inp.basis,
        capacity={g: [int(c) for c in inp.capacity[g]] for g in inp.groups})
    missed = [g for g in inp.targets if served[g] < inp.total_target(g)]
    if solved == "solved":
        relaxed = _Counterfactuals(inp, time_limit)
        plan.shortfalls = {g: _shortfall(inp, g, served[g], relaxed) for g in missed}
        plan.status = "targets_missed" if missed else "optimal"
    return plan


def _listed(inp: _Inputs, mask: np.ndarray) -> pd.DataFrame:
    """The purchases of ``mask`` as a list: label, x, y, price and the groups they fit."""
    rows = np.flatnonzero(mask)
    out = inp.buys.loc[rows, PLACE_RECORD].copy()
    out["price"] = pd.to_numeric(out["price"], errors="coerce")
    out["target_groups"] = [[g for g in inp.groups if inp.fits[g][j]] for j in rows]
    return out.reset_index(drop=True)


class _Counterfactuals:
    """What each group would get with some limits lifted (solved once each, on demand)."""

    def __init__(self, inp: _Inputs, time_limit: int):
        self.inp, self.time_limit = inp, time_limit
        self._served: dict[frozenset[str], dict[str, int]] = {}

    def served(self, lift: frozenset[str]) -> dict[str, int]:
        if lift not in self._served:
            model = _build_model(self.inp, lift)
            _solve(model, self.time_limit)
            self._served[lift] = _served(self.inp, _chosen_groups(self.inp, model))
        return self._served[lift]


def _shortfall(inp: _Inputs, group: str, reached: int, relaxed: _Counterfactuals) -> Shortfall:
    """Why ``group`` reached only ``reached`` of its target: its numbers and cause codes."""
    target, waiting = inp.total_target(group), int(inp.capacity[group][-1])
    fit = inp.fits[group]
    n_fit = int(fit.sum())
    usable = fit & inp.priced & ~inp.unknown
    numbers = {
        "target": target, "reached": reached, "waiting": waiting, "fitting": n_fit,
        "blocked": int((usable & inp.caps.alone).sum()), "budget": inp.budget + inp.proceeds,
        "unpriced": int((fit & ~inp.priced).sum()), "unknown": int((fit & inp.unknown).sum()),
    }
    return Shortfall(**numbers, causes=_causes(inp, group, reached, numbers, relaxed))


def _causes(inp: _Inputs, group: str, reached: int, numbers: dict,
            relaxed: _Counterfactuals) -> tuple[str, ...]:
    """The cause codes of a missed target, in :data:`CAUSES` order."""
    target, waiting, n_fit = numbers["target"], numbers["waiting"], numbers["fitting"]
    if waiting == 0:
        return ("nobody",)
    if n_fit == 0:
        return ("none",)
    causes = [c for c, on in (("waiting", waiting < target), ("few", n_fit < target)) if on]
    if reached >= min(target, waiting, n_fit):
        return tuple(causes)
    if numbers["unpriced"]:
        causes.append("unpriced")
    relevant = [c for c in RELAXABLE if c != "unknown" or numbers["unknown"]]
    lifted = [c for c in relevant if relaxed.served(frozenset({c}))[group] > reached]
    if not lifted and relaxed.served(frozenset(relevant))[group] > reached:
        lifted = relevant  # only together: each limit alone still stops the group
    for c in lifted:
        causes.append("caps" if c == "caps" and numbers["blocked"] else
                      "room" if c == "caps" else c)
    if not lifted and not numbers["unpriced"]:
        causes.append("others")
    return tuple(c for c in CAUSES if c in causes)
