"""Demand as a flow over time, per target group: a stock-flow model of the housing-needs kind.

Aggregates only: households waiting per group on snapshot dates, and per group and year the
inflow (new approved applications), allocations (households housed), withdrawals (households
that left the list without a municipal unit) and re-lets (units let again).  Nothing here holds
a person, an application or a case.  Pure functions: frames in, frames out, no language.

The model, per target group ``g`` and year ``k = 1 … horizon`` after the date ``on``::

    relets(k)      = turnover × stock(k − 1)            (0 when the stock is 0)
    allocations(k) = relets(k) + new units(k)
    queue(k)       = max(0, queue(k − 1) + inflow − allocations(k) − withdrawals)
    stock(k)       = stock(k − 1) + new units(k) − sold units(k)

with ``queue(0)`` the households waiting on ``on`` and ``stock(0)`` the suitable stock on ``on``.
Inflow and withdrawals are the means of the years used; turnover is the mean of the yearly rates
``re-lets(y) ÷ suitable stock on 31 December y``.  A bought unit houses one household in the
year it enters (a new unit) and is re-let at the group's turnover from the next year on; a sold
unit leaves the stock at the end of its year.  The per-group figures:

- ``expected_wait_years`` = waiting ÷ allocations (the mean observed allocations per year);
- ``backlog_per_year`` = waiting ÷ years to clear the backlog (policy);
- ``newly_arising`` = mean inflow − mean withdrawals;
- ``supply`` = turnover × suitable stock (expected allocations per year from re-lets);
- ``net_annual_need`` = backlog_per_year + newly_arising − supply (negative: a surplus);
- ``gap`` = the projected queue at the horizon with the scenario (floored at 0 by the model).

Unknown stays unknown: a group without flow rows in the years used has status ``no_flows`` and
NaN rates, never an invented one.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from geoplan.analytics.active import active_mask
from geoplan.analytics.demand_fit import fit_matrix
from geoplan.vocab import TARGET_GROUPS

GROUPS: tuple[str, ...] = tuple(t.code for t in TARGET_GROUPS)  # the vocabulary's order
OK, NO_FLOWS = "ok", "no_flows"
STATUSES = (OK, NO_FLOWS)
FLOW_COUNTS = ("inflow", "allocations", "withdrawals", "relets")
NEED_COLUMNS = ("target_group", "households", "rooms_needed", "universal_design", "staffed")


# ---------------------------------------------------------------- snapshots


def snapshot_dates(demand: pd.DataFrame, on: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """The latest snapshot date on or before ``on`` and the one before it (None when missing).

    ``demand``: columns ``snapshot_date``, ``target_group``, ``households`` (every date).
    """
    days = sorted({d for d in demand["snapshot_date"] if d is not None and d <= on})
    latest = days[-1] if days else None
    previous = days[-2] if len(days) > 1 else None
    return latest, previous


def waiting_on(demand: pd.DataFrame, day: dt.date | None) -> pd.Series:
    """Households waiting per group (index GROUPS) on snapshot ``day``.

    A group absent from a snapshot that exists has 0 households waiting; without a snapshot
    (``day`` None) every group is NaN (unknown).
    """
    if day is None:
        return pd.Series(np.nan, index=list(GROUPS), dtype=float)
    rows = demand[demand["snapshot_date"] == day]
    return rows.groupby("target_group")["households"].sum().reindex(
        list(GROUPS), fill_value=0).astype(float)


def group_needs(demand: pd.DataFrame, day: dt.date | None) -> pd.DataFrame:
    """The need rows a unit is tested against for each group's suitable stock.

    The rows of snapshot ``day`` (rooms, universal design, staffing), with ``households`` set
    to 1 so that a group's stock does not vanish when nobody waits; a group without rows gets
    one row with no room, universal-design or staffing need (the unit-type rule alone).
    Columns: :data:`NEED_COLUMNS`.
    """
    rows = demand[demand["snapshot_date"] == day] if day is not None else demand.iloc[:0]
    rows = rows.reindex(columns=list(NEED_COLUMNS)).assign(households=1)
    missing = [g for g in GROUPS if g not in set(rows["target_group"])]
    plain = pd.DataFrame({"target_group": missing, "households": 1, "rooms_needed": np.nan,
                          "universal_design": False, "staffed": False})
    out = pd.concat([rows, plain], ignore_index=True) if len(rows) else plain
    out["universal_design"] = out["universal_design"].fillna(False).astype(bool)
    out["staffed"] = out["staffed"].fillna(False).astype(bool)
    return out.reset_index(drop=True)


# ---------------------------------------------------------------- supply from the register


def suitability(units: pd.DataFrame, needs: pd.DataFrame) -> pd.DataFrame:
    """Which groups each unit suits: a boolean frame, one row per unit, one column per group.

    A unit suits a group when :func:`geoplan.analytics.demand_fit.fit_matrix` says it fits at
    least one of the group's need rows (``needs``: see :func:`group_needs`).  A unit may suit
    several groups and then counts in the stock of each.  ``units``: columns ``unit_type``,
    ``rooms``, ``universal_design`` (and optionally ``staffed``).
    """
    fit = fit_matrix(units.reset_index(drop=True), needs)
    groups = needs["target_group"].to_numpy()
    return pd.DataFrame({g: fit[:, groups == g].any(axis=1) for g in GROUPS},
                        index=units.index, dtype=bool)


def suitable_stock(units: pd.DataFrame, suits: pd.DataFrame, day: dt.date,
                   vacant_only: bool = False) -> pd.Series:
    """Units active on ``day`` that suit each group (index GROUPS); ``vacant_only``: of them,
    those with status "vacant".  ``units``: columns ``acquired``, ``disposed``, ``status``."""
    mask = active_mask(units, day).to_numpy(copy=True)
    if vacant_only:
        mask &= (units["status"] == "vacant").to_numpy()
    return suits[mask].sum().reindex(list(GROUPS)).astype(int)


# ---------------------------------------------------------------- flows


def years_used(flows: pd.DataFrame, on: dt.date, n: int) -> list[int]:
    """The last ``n`` complete years on ``on`` that have flow rows, oldest first.

    A year is complete on ``on`` when its 31 December is on or before ``on``.
    """
    last = on.year if (on.month, on.day) == (12, 31) else on.year - 1
    have = sorted({int(y) for y in flows["year"] if int(y) <= last})
    return have[-n:] if n > 0 else []


def flow_summary(flows: pd.DataFrame, years: list[int], stock_by_year: pd.DataFrame
                 ) -> pd.DataFrame:
    """Means and ranges of the flows per group over ``years`` (index GROUPS).

    ``flows``: columns ``year``, ``target_group``, :data:`FLOW_COUNTS` (None/NaN = unknown);
    ``stock_by_year``: suitable stock on 31 December of each year (index year, columns GROUPS).
    Columns: ``n_years`` (years with a row of the group), ``inflow``, ``inflow_min``,
    ``inflow_max``, ``allocations``, ``withdrawals``, ``withdrawals_min``, ``withdrawals_max``,
    ``relets``, ``turnover_rate``, ``turnover_min``, ``turnover_max`` and ``status`` (``ok``, or
    ``no_flows`` for a group without rows in ``years``).  Unknown counts are left out of the
    means; a yearly rate with a stock of 0 is unknown.
    """
    rows = flows[flows["year"].isin(years)].copy()
    for c in FLOW_COUNTS:
        rows[c] = pd.to_numeric(rows[c], errors="coerce").astype(float)
    stock = stock_by_year.reindex(index=years, columns=list(GROUPS))
    denominator = np.array([stock.at[y, g] for y, g in zip(rows["year"], rows["target_group"],
                                                           strict=True)], dtype=float)
    rows["turnover"] = rows["relets"].to_numpy(float) / np.where(denominator > 0, denominator,
                                                                  np.nan)
    grouped = rows.groupby("target_group")
    out = pd.DataFrame(index=pd.Index(list(GROUPS), name="target_group"))
    out["n_years"] = grouped.size().reindex(out.index, fill_value=0).astype(int)
    for name, column in (("inflow", "inflow"), ("allocations", "allocations"),
                         ("withdrawals", "withdrawals"), ("relets", "relets"),
                         ("turnover_rate", "turnover")):
        out[name] = grouped[column].mean().reindex(out.index)
    for name, column in (("inflow", "inflow"), ("withdrawals", "withdrawals"),
                         ("turnover", "turnover")):
        out[f"{name}_min"] = grouped[column].min().reindex(out.index)
        out[f"{name}_max"] = grouped[column].max().reindex(out.index)
    out["status"] = np.where(out["n_years"] > 0, OK, NO_FLOWS)
    return out


# ---------------------------------------------------------------- the projection


def project(start: pd.DataFrame, horizon: int, first_year: int,
            new_units: pd.DataFrame | None = None, sold_units: pd.DataFrame | None = None
            ) -> pd.DataFrame:
    """Project the queue and the suitable stock of each group ``horizon`` years ahead.

    ``start``: index target group, columns ``queue`` (waiting on ``on``), ``stock`` (suitable
    stock on ``on``), ``inflow``, ``withdrawals``, ``turnover_rate``.  ``new_units`` and
    ``sold_units``: columns ``target_group``, ``year``, ``units`` (bought units enter, sold units
    leave, in that year).  Years are ``first_year … first_year + horizon − 1``.

    Returns one row per group and year: ``target_group``, ``year``, ``queue``, ``stock`` (at the
    end of the year), ``relets``, ``new_units``, ``sold_units`` and ``allocations``.  The
    recursion is the module's; a NaN input gives NaN (unknown), never a guess.
    """
    groups = list(start.index)
    years = list(range(first_year, first_year + horizon))
    new = _per_year(new_units, groups, years)
    sold = _per_year(sold_units, groups, years)
    queue = start["queue"].to_numpy(float)
    stock = start["stock"].to_numpy(float)
    rate = start["turnover_rate"].to_numpy(float)
    inflow = start["inflow"].to_numpy(float)
    withdrawals = start["withdrawals"].to_numpy(float)
    parts = []
    for k, year in enumerate(years):
        relets = np.where(stock == 0, 0.0, rate * stock)
        allocations = relets + new[:, k]
        queue = np.maximum(0.0, queue + inflow - allocations - withdrawals)
        queue = np.where(np.isnan(allocations + inflow + withdrawals), np.nan, queue)
        stock = stock + new[:, k] - sold[:, k]
        parts.append(pd.DataFrame({
            "target_group": groups, "year": year, "queue": queue, "stock": stock,
            "relets": relets, "new_units": new[:, k], "sold_units": sold[:, k],
            "allocations": allocations}))
    return pd.concat(parts, ignore_index=True).sort_values(
        ["target_group", "year"], key=_group_order).reset_index(drop=True)


def _per_year(frame: pd.DataFrame | None, groups: list[str], years: list[int]) -> np.ndarray:
    """Units per group (rows) and year (columns) from a frame of target_group, year, units."""
    out = np.zeros((len(groups), len(years)))
    if frame is None or frame.empty:
        return out
    table = frame.groupby(["target_group", "year"])["units"].sum()
    for (g, y), n in table.items():
        if g in groups and y in years:
            out[groups.index(g), years.index(y)] += n
    return out


def _group_order(column: pd.Series) -> pd.Series:
    if column.name == "target_group":
        return column.map({g: i for i, g in enumerate(GROUPS)}).fillna(len(GROUPS))
    return column


# ---------------------------------------------------------------- a scenario's units


def assign_purchases(fits: np.ndarray, gap: pd.Series) -> list[str | None]:
    """Give each purchase ONE group: the fitting group with the largest remaining gap.

    ``fits``: boolean matrix (purchases × GROUPS); ``gap``: the projected queue at the horizon
    without the scenario (index GROUPS; NaN = unknown).  In the scenario's order, each purchase
    goes to the fitting group with the largest gap, which then falls by one; ties go to the
    group first in the vocabulary, and a group with an unknown gap only when no fitting group's
    gap is known.  A purchase that fits no group gets None (it enters no group's stock).
    """
    left = gap.reindex(list(GROUPS)).to_numpy(float).copy()
    out: list[str | None] = []
    for row in np.asarray(fits, dtype=bool):
        candidates = np.flatnonzero(row)
        if not len(candidates):
            out.append(None)
            continue
        known = [i for i in candidates if not np.isnan(left[i])]
        if known:
            best = max(known, key=lambda i: (left[i], -i))
            left[best] -= 1
        else:
            best = int(candidates[0])
        out.append(GROUPS[best])
    return out


def scenario_units(bought: list[str | None], sold: pd.DataFrame, year: int) -> tuple[
        pd.DataFrame, pd.DataFrame]:
    """The frames of new and sold units per group for :func:`project`, all in ``year``.

    ``bought``: the group of each purchase (None: fits no group); ``sold``: the sales'
    suitability (a frame as :func:`suitability` returns, one row per sale): a sold unit leaves
    the stock of every group it suits, since it was counted in each.
    """
    new = pd.Series([g for g in bought if g is not None], dtype=object).value_counts()
    new_frame = pd.DataFrame({"target_group": list(new.index), "year": year,
                              "units": new.to_numpy(float)})
    gone = sold.reindex(columns=list(GROUPS), fill_value=False).sum()
    gone = gone[gone > 0]
    sold_frame = pd.DataFrame({"target_group": list(gone.index), "year": year,
                               "units": gone.to_numpy(float)})
    return new_frame, sold_frame


# ---------------------------------------------------------------- the per-group table


def group_table(waiting: pd.Series, previous: pd.Series | None, summary: pd.DataFrame,
                stock: pd.Series, vacant: pd.Series, years_to_clear: int) -> pd.DataFrame:
    """The per-group figures of the module's docstring (one row per group, GROUPS order).

    Columns: ``target_group, waiting, waiting_trend, inflow, inflow_min, inflow_max,
    allocations, withdrawals, relets, suitable_stock, vacant, turnover_rate,
    expected_wait_years, backlog_per_year, newly_arising, supply, net_annual_need, status`` and
    the extra ranges ``withdrawals_min, withdrawals_max, turnover_min, turnover_max``.
    """
    idx = list(GROUPS)
    s = summary.reindex(idx)
    out = pd.DataFrame({"target_group": idx})
    out["waiting"] = waiting.reindex(idx).to_numpy(float)
    out["waiting_trend"] = (out["waiting"] - previous.reindex(idx).to_numpy(float)
                            if previous is not None else np.nan)
    for c in ("inflow", "inflow_min", "inflow_max", "allocations", "withdrawals", "relets"):
        out[c] = s[c].to_numpy(float)
    out["suitable_stock"] = stock.reindex(idx).to_numpy(int)
    out["vacant"] = vacant.reindex(idx).to_numpy(int)
    out["turnover_rate"] = s["turnover_rate"].to_numpy(float)
    allocations = out["allocations"].where(out["allocations"] > 0)
    out["expected_wait_years"] = out["waiting"] / allocations
    out["backlog_per_year"] = out["waiting"] / years_to_clear if years_to_clear > 0 else np.nan
    out["newly_arising"] = out["inflow"] - out["withdrawals"]
    out["supply"] = np.where(out["suitable_stock"] == 0, 0.0,
                             out["turnover_rate"] * out["suitable_stock"])
    out["net_annual_need"] = out["backlog_per_year"] + out["newly_arising"] - out["supply"]
    no_flows = (s["status"] == NO_FLOWS).to_numpy()
    out.loc[no_flows, "supply"] = np.nan
    out.loc[no_flows, "net_annual_need"] = np.nan
    out["status"] = s["status"].to_numpy()
    for c in ("withdrawals_min", "withdrawals_max", "turnover_min", "turnover_max"):
        out[c] = s[c].to_numpy(float)
    return out
