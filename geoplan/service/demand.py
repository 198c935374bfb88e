"""Demand as a flow over time, per target group: the outlook the "Behov" page and the CLI show.

Aggregates only (households waiting per group and date, flows per group and year, the register's
units).  The model and its definitions are in :mod:`geoplan.analytics.demand_flow`; this module
reads the database, applies a saved scenario and returns a :class:`DemandOutlook` of numbers and
codes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine

from geoplan.analytics import demand_flow as model
from geoplan.analytics.active import active_mask
from geoplan.service.output import json_ready
from geoplan.service.scenarios import load_scenario
from geoplan.storage import repo

MAX_HORIZON = 10
GROUP_KEYS = ("waiting", "waiting_trend", "inflow", "inflow_min", "inflow_max", "allocations",
              "withdrawals", "withdrawals_min", "withdrawals_max", "relets", "suitable_stock",
              "vacant", "turnover_rate", "turnover_min", "turnover_max", "expected_wait_years",
              "backlog_per_year", "newly_arising", "supply", "net_annual_need", "gap", "status")
PROJECTION_KEYS = ("year", "queue", "queue_with_scenario")


@dataclass(frozen=True, eq=False)
class DemandOutlook:
    """Demand per target group on a date, and its projection ``horizon`` years ahead.

    Attributes
    ----------
    on : the date of the figures (the register's units and the latest snapshot on or before it).
    horizon : years projected (the projection's years are ``on.year + 1 … on.year + horizon``).
    years_used : the flow years averaged (the last ``flow_mean_years`` complete years with flows).
    groups : one row per target group (vocabulary order); columns ``target_group, waiting,
        waiting_trend, inflow, inflow_min, inflow_max, allocations, withdrawals, relets,
        suitable_stock, vacant, turnover_rate, expected_wait_years, backlog_per_year,
        newly_arising, supply, net_annual_need, gap, status`` and the ranges
        ``withdrawals_min, withdrawals_max, turnover_min, turnover_max``.  NaN = unknown.
    projection : one row per group and year; columns ``target_group, year, queue,
        queue_with_scenario, stock, stock_with_scenario, allocations,
        allocations_with_scenario``.
    scenario : the scenario's name, or None.
    snapshot, previous_snapshot : the snapshot dates used for ``waiting`` and its trend.
    scenario_units : per group the scenario's purchases assigned to it (``bought``) and the
        units its sales take out of its stock (``sold``).
    unassigned : the scenario's purchases that fit no group.
    policy : ``years_to_clear_backlog`` and ``flow_mean_years`` used.
    """

    on: dt.date
    horizon: int
    years_used: list[int]
    groups: pd.DataFrame
    projection: pd.DataFrame
    scenario: str | None = None
    snapshot: dt.date | None = None
    previous_snapshot: dt.date | None = None
    scenario_units: pd.DataFrame = field(default_factory=pd.DataFrame)
    unassigned: int = 0
    policy: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        """Strict-JSON-ready dict (``null`` for unknown): the dates, the years used and per
        group (by code) the keys of :data:`GROUP_KEYS` and ``projection``, a list of
        ``{year, queue, queue_with_scenario}``."""
        groups = {}
        for row in self.groups.to_dict("records"):
            g = row["target_group"]
            steps = self.projection[self.projection["target_group"] == g]
            groups[g] = {k: row[k] for k in GROUP_KEYS} | {
                "projection": steps[list(PROJECTION_KEYS)].to_dict("records")}
        return json_ready({
            "on": self.on, "horizon": self.horizon, "years_used": list(self.years_used),
            "scenario": self.scenario, "snapshot": self.snapshot,
            "previous_snapshot": self.previous_snapshot, "unassigned": self.unassigned,
            "policy": self.policy, "groups": groups})


def demand_outlook(engine: Engine, on: dt.date | None = None, horizon: int = 4,
                   scenario: str | None = None, plan_units: pd.DataFrame | None = None,
                   plan_sales: pd.DataFrame | None = None) -> DemandOutlook:
    """Demand per target group on ``on`` (default today) and ``horizon`` years ahead.

    With ``scenario`` (a saved scenario's name; KeyError when unknown) its purchases enter the
    suitable stock of one group each (the fitting group with the largest gap) and its sales
    leave the stock of every group they suit, in the first projected year.  ValueError for a
    horizon outside 1 … :data:`MAX_HORIZON`.

    A plan over several years (:func:`geoplan.service.plan_over_years`) enters the same way,
    in its own years: ``plan_units`` its purchases per group and year (columns
    ``target_group``, ``year``, ``units``: the group the plan houses with each, in the year it
    buys it) and ``plan_sales`` its planned sales (candidate rows; they leave the stock of
    every group they suit in the first projected year).  The ``*_with_scenario`` columns and
    ``gap`` are then with the plan (and the scenario, if both are given).
    """
    if not isinstance(horizon, int) or not 1 <= horizon <= MAX_HORIZON:
        raise ValueError(f"the horizon must be a whole number of years from 1 to {MAX_HORIZON}")
    on = on or dt.date.today()
    policy = repo.policy(engine)
    demand = repo.load_demand(engine, latest_only=False)
    flows = repo.load_flows(engine)
    units = repo.load_units(engine)
    snapshot, previous = model.snapshot_dates(demand, on)
    needs = model.group_needs(demand, snapshot)
    suits = model.suitability(units, needs)
    years = model.years_used(flows, on, policy.flow_mean_years)
    by_year = pd.DataFrame({y: model.suitable_stock(units, suits, dt.date(y, 12, 31))
                            for y in years}, index=list(model.GROUPS)).T
    summary = model.flow_summary(flows, years, by_year)
    waiting = model.waiting_on(demand, snapshot)
    stock = model.suitable_stock(units, suits, on)
    groups = model.group_table(
        waiting, model.waiting_on(demand, previous) if previous else None, summary, stock,
        model.suitable_stock(units, suits, on, vacant_only=True), policy.years_to_clear_backlog)
    start = pd.DataFrame({"queue": waiting, "stock": stock.astype(float),
                          "inflow": summary["inflow"], "withdrawals": summary["withdrawals"],
                          "turnover_rate": summary["turnover_rate"]})
    first = on.year + 1
    base = model.project(start, horizon, first)
    new, sold, bought_by, unassigned = _scenario(engine, scenario, units, suits, needs, base, on)
    planned = plan_units is not None or plan_sales is not None
    if planned:
        new, sold = _with_plan(new, sold, plan_units, plan_sales, units, suits, needs, on)
    with_scenario = model.project(start, horizon, first, new, sold) if scenario or planned \
        else base
    projection = base[["target_group", "year", "queue"]].assign(
        queue_with_scenario=with_scenario["queue"], stock=base["stock"],
        stock_with_scenario=with_scenario["stock"], allocations=base["allocations"],
        allocations_with_scenario=with_scenario["allocations"])
    last = with_scenario[with_scenario["year"] == first + horizon - 1].set_index("target_group")
    groups.insert(groups.columns.get_loc("status"), "gap",
                  last["queue"].reindex(groups["target_group"]).to_numpy(float))
    return DemandOutlook(
        on=on, horizon=horizon, years_used=years, groups=groups, projection=projection,
        scenario=scenario, snapshot=snapshot, previous_snapshot=previous,
        scenario_units=bought_by, unassigned=unassigned,
        policy={"years_to_clear_backlog": policy.years_to_clear_backlog,
                "flow_mean_years": policy.flow_mean_years})


def _scenario(engine: Engine, name: str | None, units: pd.DataFrame, suits: pd.DataFrame,
              needs: pd.DataFrame, base: pd.DataFrame, on: dt.date):
    """The scenario's new and sold units per group (frames for ``model.project``), the count
    per group (``target_group, bought, sold``) and the purchases that fit no group."""
    empty = pd.DataFrame({"target_group": list(model.GROUPS), "bought": 0, "sold": 0})
    if name is None:
        return None, None, empty, 0
    items = load_scenario(engine, name)
    buys = items[items["action"] != "sell"].reset_index(drop=True)
    sells = items[items["action"] == "sell"].reset_index(drop=True)
    horizon_year = int(base["year"].max())
    gap = base[base["year"] == horizon_year].set_index("target_group")["queue"]
    fits = model.suitability(buys, needs).to_numpy()
    assigned = model.assign_purchases(fits, gap)
    new, sold = model.scenario_units(assigned, _sold_suits(sells, units, suits, needs, on),
                                     on.year + 1)
    counts = empty.set_index("target_group")
    counts["bought"] = new.set_index("target_group")["units"].reindex(counts.index, fill_value=0)
    counts["sold"] = sold.set_index("target_group")["units"].reindex(counts.index, fill_value=0)
    counts = counts.astype(int).reset_index()
    return new, sold, counts, sum(g is None for g in assigned)


def _with_plan(new: pd.DataFrame | None, sold: pd.DataFrame | None,
               plan_units: pd.DataFrame | None, plan_sales: pd.DataFrame | None,
               units: pd.DataFrame, suits: pd.DataFrame, needs: pd.DataFrame, on: dt.date):
    """The new and sold units per group (frames for ``model.project``) with a plan's added:
    its purchases in their years, its sales (as a scenario's) in the first projected year."""
    news = [f for f in (new, plan_units) if f is not None and len(f)]
    solds = [f for f in (sold,) if f is not None and len(f)]
    if plan_sales is not None and len(plan_sales):
        gone = _sold_suits(plan_sales.reset_index(drop=True), units, suits, needs, on)
        solds.append(model.scenario_units([], gone, on.year + 1)[1])
    return (pd.concat(news, ignore_index=True) if news else None,
            pd.concat(solds, ignore_index=True) if solds else None)


def _sold_suits(sells: pd.DataFrame, units: pd.DataFrame, suits: pd.DataFrame,
                needs: pd.DataFrame, on: dt.date) -> pd.DataFrame:
    """Which groups each sale takes a unit from: a register unit active on ``on`` as the stock
    counted it; a sale not in the register by its own attributes."""
    active = units[active_mask(units, on)]
    rows = []
    for i, item in sells.iterrows():
        hit = active.index[active["unit_id"] == item.get("unit_id")]
        rows.append(suits.loc[hit[0]] if len(hit) else
                    model.suitability(sells.loc[[i]], needs).iloc[0])
    return pd.DataFrame(rows, columns=list(model.GROUPS)).reset_index(drop=True)
