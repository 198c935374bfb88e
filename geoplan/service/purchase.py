"""Purchase testing from the database: one point, a ranked file, where to buy, the plan.

Everything here returns numbers, codes and :class:`~geoplan.analytics.reasons.Reason` data;
``geoplan.ui`` words them (``geoplan.ui.wording``) and decides which place may be named.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from geoplan.analytics.active import active_units
from geoplan.analytics.demand_fit import GAP_HORIZON
from geoplan.analytics.optimise import MAX_YEARS as PLAN_MAX_YEARS
from geoplan.analytics.optimise import Plan, PlanError, Shortfall, plan_purchases
from geoplan.analytics.proximity import address_key
from geoplan.analytics.purchase import (
    METRICS,
    PLACE_COLUMNS,
    REASON_GROUPS,
    VERDICTS,
    WHAT_IF_INDICES,
    Baseline,
    build_baseline,
    candidates_frame,
    evaluate_many,
    reason_group,
    sale_candidates,
)
from geoplan.analytics.reasons import Reason
from geoplan.analytics.where import where_to_buy
from geoplan.crs import read_typed_point
from geoplan.io.addresses import address_index, search_addresses
from geoplan.service.demand import demand_outlook
from geoplan.service.systems import resolve_system
from geoplan.storage import repo

__all__ = [
    "METRICS", "VERDICTS", "WHAT_IF_INDICES", "Baseline", "Plan", "PlanError", "Reason",
    "Shortfall",
    "address_index", "baseline", "BudgetStatus", "budget_status",
    "building_at_address", "evaluate_point", "evaluate_sale", "evaluation_dict",
    "plan", "plan_file", "plan_gap", "plan_over_years", "plan_projection", "PLAN_MAX_YEARS",
    "rank", "rank_file", "remaining_budget", "search_addresses", "where",
    "RANK_ORDER", "REASON_GROUPS", "reason_group",
]


class BudgetStatus(NamedTuple):
    """The year's purchase budget, in NOK: ``annual`` (the policy's ``annual_budget``; None when
    it is not set), ``spent`` (purchase prices of units acquired in ``year``), ``remaining``
    (``annual - spent``; None when not set) and ``year``.

    The one budget both the purchase test (``remaining``) and the plan (``annual``, the plan's
    default per year) read; it is set in one place, the policy.
    """

    annual: float | None
    spent: float
    remaining: float | None
    year: int


def budget_status(engine: Engine, year: int | None = None) -> BudgetStatus:
    """The policy's annual budget, what units acquired in ``year`` (default: this year) cost,
    and what is left."""
    budget = repo.policy(engine).annual_budget
    year = year or dt.date.today().year
    spent = repo.purchase_spent(engine, year)
    if not budget:
        return BudgetStatus(None, spent, None, year)
    return BudgetStatus(float(budget), spent, float(budget - spent), year)


def remaining_budget(engine: Engine, year: int | None = None) -> float | None:
    """The year's budget minus the purchase prices of units acquired that year (None: unset)."""
    return budget_status(engine, year).remaining


def baseline(engine: Engine, system: str | None = None, on: dt.date | None = None) -> Baseline:
    """Build the evaluation baseline from the register, the policy, the latest demand, the
    municipality's boundary (a purchase outside it is red) and each group's gap.

    The gap is :func:`geoplan.service.demand_outlook`'s (no scenario, :data:`GAP_HORIZON`
    years ahead, on ``on``), never recomputed here; without any flows in the database the
    baseline carries no gap and the purchase test counts households waiting, as before.
    """
    on = on or dt.date.today()
    areas = repo.load_areas(engine, resolve_system(engine, system))
    units = active_units(repo.load_units(engine), on)
    town = repo.municipality(engine)
    return build_baseline(units, areas, repo.policy(engine), repo.load_demand(engine),
                          remaining_budget(engine), None if town is None else town.boundary,
                          None if town is None else town.name, gap=group_gaps(engine, on),
                          gap_horizon=GAP_HORIZON)


def group_gaps(engine: Engine, on: dt.date) -> pd.DataFrame | None:
    """Per target group (index: code) ``waiting`` and ``gap`` from the demand model on ``on``
    without a scenario, :data:`GAP_HORIZON` years ahead (NaN: unknown); None without flows."""
    outlook = demand_outlook(engine, on=on, horizon=GAP_HORIZON)
    if not outlook.years_used:
        return None
    return outlook.groups.set_index("target_group")[["waiting", "gap"]]


def evaluate_point(
    base: Baseline, lon: float | None = None, lat: float | None = None,
    x: float | None = None, y: float | None = None, **attrs,
) -> dict:
    """Evaluate one candidate purchase at typed lat/lon (or EPSG:25833 x/y) with its attributes.

    Typed coordinates are read by :func:`geoplan.crs.read_typed_point` against the municipality's
    boundary: UTM or swapped numbers are converted, and ``coordinate_note`` says how
    (``{"code": "utm", "epsg": 25833}``; None when read as typed).  Raises
    :class:`geoplan.crs.CoordinateError` (a ValueError with a ``code``) when the numbers are no
    coordinates.  Returns :func:`evaluation_dict`'s shape.
    """
    note = None
    if x is None or y is None:
        point = read_typed_point(lat, lon, base.boundary)
        x, y = point.x, point.y
        note = {"code": point.note, "epsg": point.epsg} if point.note else None
    row = evaluate_many(base, candidates_frame([{"x": x, "y": y, **attrs}])).iloc[0]
    return evaluation_dict(row, base.municipality) | {"coordinate_note": note}


def evaluate_sale(base: Baseline, unit_id: str, price: float | None = None) -> dict:
    """Evaluate selling one of the register's active units (KeyError when there is none)."""
    row = evaluate_many(base, sale_candidates(base, [unit_id], [price])).iloc[0]
    return evaluation_dict(row, base.municipality) | {"coordinate_note": None}


def building_at_address(base: Baseline, street: str, number: str | None = None,
                        letter: str | None = None, postal_code: str | None = None) -> dict:
    """The building id and housing company of the register's units at an address (or {})."""
    key = address_key(pd.DataFrame({"street": [street], "house_number": [number],
                                    "letter": [letter], "postal_code": [postal_code]}))[0]
    here = base.units[base.units["address_key"] == key]
    out = {}
    for col in ("building_id", "housing_company"):
        values = here[col].dropna() if col in here else pd.Series(dtype=object)
        if len(values):
            out[col] = str(values.mode().iloc[0])
    return out


def evaluation_dict(row: pd.Series, municipality: str | None = None) -> dict:
    """The shape of one evaluation: the candidate, before and after, verdict, reasons, demand fit.

    Keys: ``action``; ``label``, ``address``, ``building_id`` and ``housing_company`` (so that
    ui may name the place; None when not given); ``x``, ``y``, ``price``; ``area`` (``code``,
    ``name``); ``municipality`` (its name, for the "outside" reason) and ``in_municipality``;
    ``before`` and ``after`` (one number or None per metric of :data:`METRICS`); ``verdict``;
    ``reasons`` (:class:`Reason` objects, red first, grouped by :func:`reason_group`;
    ``service.json_ready`` turns them into dicts); ``info`` (the change in D and isolation,
    "info" reasons outside the verdict); ``houses`` (1 when it fits a group with unmet need:
    one flat houses one household); ``demand_fit`` (per fitting group: ``target_group`` code,
    ``households`` waiting (context) and ``gap``, the demand model's projected queue
    ``gap_horizon`` years ahead: need not yet covered; None when unknown).
    """
    def clean(v):
        return None if v is None or (isinstance(v, float) and not np.isfinite(v)) else float(v)

    def text(v):
        return v if isinstance(v, str) and v else None

    return {
        "action": row.action, "label": text(row.label),
        **{col: text(row[col]) for col in PLACE_COLUMNS},
        "x": clean(row.x), "y": clean(row.y), "price": clean(row.price),
        "area": {"code": row.area_code, "name": row.area_name},
        "municipality": text(municipality), "in_municipality": bool(row.in_municipality),
        "before": {m: clean(row[f"before_{m}"]) for m in METRICS},
        "after": {m: clean(row[f"after_{m}"]) for m in METRICS},
        "verdict": row.verdict, "reasons": list(row.reasons), "info": list(row.info_reasons),
        "houses": int(row.houses),
        "demand_fit": [{"target_group": g, "households": n, "gap": gap} for (g, n), (_, gap)
                       in zip(row.demand_fit, row.demand_gap, strict=True)],
        "gap_horizon": None if pd.isna(row.gap_horizon) else int(row.gap_horizon),
    }


# The ranking's sort keys, in order (column, ascending); missing values always sort last, so an
# unpriced flat never ranks first on price.  See the README's Methods.
RANK_ORDER: tuple[tuple[str, bool], ...] = (
    ("verdict_order", True),  # green, amber, red
    ("houses", False),  # fits a group with unmet need (gap > 0): one flat houses one household
    ("lq_band", True),  # the area's location quotient after, to one decimal: lower first
    ("after_within_250m", True),  # fewer municipal units within 250 m after
    ("price_per_m2", True),  # cheaper per m² (unknown floor area or price: last)
    ("price", True),  # cheaper (unpriced: last)
)


def rank(base: Baseline, candidates: pd.DataFrame) -> pd.DataFrame:
    """Evaluate and rank candidates by :data:`RANK_ORDER` (ties keep the file's order).

    The frame of ``evaluate_many`` (reasons as :class:`Reason` lists) with ``rank`` first and
    the score columns ``verdict_order``, ``lq_band`` (``after_location_quotient`` rounded to
    one decimal), ``price_per_m2`` and ``d_change`` (after minus before dissimilarity: info).
    """
    ev = evaluate_many(base, candidates)
    ev["d_change"] = ev["after_dissimilarity"] - ev["before_dissimilarity"]
    ev["verdict_order"] = ev["verdict"].map({v: i for i, v in enumerate(VERDICTS)})
    ev["lq_band"] = ev["after_location_quotient"].round(1)
    area = ev["area_m2"].where(ev["area_m2"] > 0)
    ev["price_per_m2"] = ev["price"] / area
    keys, ascending = zip(*RANK_ORDER, strict=True)
    ev = ev.sort_values(list(keys), ascending=list(ascending), kind="stable",
                        na_position="last").reset_index(drop=True)
    ev.insert(0, "rank", np.arange(1, len(ev) + 1))
    return ev


def rank_file(engine: Engine, path: str | Path, system: str | None = None,
              crs: str | None = None) -> pd.DataFrame:
    """Read a candidate file and rank it against the register (ImportRefused when refused)."""
    from geoplan.service.imports import read_candidates

    return rank(baseline(engine, system), read_candidates(engine, path, crs))


def plan(base: Baseline, candidates: pd.DataFrame, budget: float | Sequence[float],
         targets: dict[str, int] | None = None,
         gap: Mapping[str, Sequence[float]] | None = None,
         first_year: int | None = None) -> Plan:
    """Solve the purchase plan for ``candidates`` (planned sales included) and targets.

    ``budget`` NOK for one year, or one budget per year (1 … :data:`PLAN_MAX_YEARS`);
    ``targets`` maps target-group codes to units a year; ``gap`` per group the projected queue
    without a plan at the end of each plan year (:func:`plan_gap`; None: the households
    waiting are what a group can take); ``first_year`` the calendar year of the first budget
    (default next year, the demand projection's first year).  :class:`PlanError` (a
    ValueError) for a negative budget, a budget that is not a number, too many years, an
    unknown group or a negative target.  No engine: no projection (see
    :func:`plan_over_years`).
    """
    return plan_purchases(base, candidates, budget, targets, gap=gap,
                          first_year=first_year or dt.date.today().year + 1)


def plan_gap(engine: Engine, years: int = 1, on: dt.date | None = None
             ) -> dict[str, list[float]] | None:
    """Per target-group code the projected queue without a plan at the end of each of the
    plan's ``years`` (:func:`geoplan.service.demand_outlook`'s projection, the years after
    ``on``; NaN unknown); None when the database has no flows to project with."""
    from geoplan.service.demand import demand_outlook

    outlook = demand_outlook(engine, on, horizon=years)
    if not outlook.years_used:
        return None
    steps = outlook.projection.sort_values("year")
    return {str(g): rows["queue"].astype(float).tolist()
            for g, rows in steps.groupby("target_group", sort=False)}


def plan_projection(engine: Engine, result: Plan, on: dt.date | None = None
                    ) -> pd.DataFrame | None:
    """The queue per group and plan year without and with ``result`` (the demand outlook with
    the plan's purchases in their years and its sales in the first; ``result.first_year``
    must be ``on``'s next year).  Columns ``target_group, year, queue, queue_with_plan``;
    None without flows."""
    from geoplan.service.demand import demand_outlook

    chosen = result.chosen
    units = (chosen.groupby(["target_group", "year"]).size().rename("units").reset_index()
             if len(chosen) else None)
    outlook = demand_outlook(engine, on, horizon=result.horizon, plan_units=units,
                             plan_sales=result.sales if len(result.sales) else None)
    if not outlook.years_used:
        return None
    steps = outlook.projection
    return steps[["target_group", "year", "queue"]].assign(
        queue_with_plan=steps["queue_with_scenario"]).reset_index(drop=True)


def plan_over_years(engine: Engine, base: Baseline, candidates: pd.DataFrame,
                    budget: float | Sequence[float], targets: dict[str, int] | None = None,
                    years: int = 1, use_gap: bool | None = None,
                    on: dt.date | None = None) -> Plan:
    """The purchase plan over ``years`` (1 … :data:`PLAN_MAX_YEARS`) with the demand outlook.

    ``budget``: the budget of every year, or a list of one per year; ``use_gap`` None (the
    default): take each group's gap (:func:`plan_gap`) when the database has flows, else the
    households waiting; False: always the households waiting.  The plan's years are ``on``'s
    next year on (the projection's), and ``projection`` holds the queue with and without the
    plan (:func:`plan_projection`; None without flows).  PlanError: see :func:`plan`.
    """
    on = on or dt.date.today()
    if isinstance(budget, Sequence | np.ndarray | pd.Series) and not isinstance(budget, str):
        budgets = list(budget)
    else:
        budgets = [budget] * years if isinstance(years, int) and years > 0 else []
    if not isinstance(years, int) or not 1 <= years <= PLAN_MAX_YEARS or len(budgets) != years:
        raise PlanError("bad_horizon")
    gap = None if use_gap is False else plan_gap(engine, years, on)
    result = plan(base, candidates, budgets, targets, gap, on.year + 1)
    result.projection = plan_projection(engine, result, on)
    return result


def plan_file(engine: Engine, path: str | Path, budget: float | Sequence[float],
              targets: dict[str, int] | None = None, system: str | None = None,
              years: int = 1, use_gap: bool | None = None) -> Plan:
    """Read a candidate file and solve the purchase plan over ``years`` (see
    :func:`plan_over_years`; PlanError: see :func:`plan`)."""
    from geoplan.service.imports import read_candidates

    return plan_over_years(engine, baseline(engine, system), read_candidates(engine, path),
                           budget, targets, years, use_gap)


def where(engine: Engine, system: str | None = None) -> pd.DataFrame:
    """The where-to-buy table for an area system (or the SSB grid)."""
    return where_to_buy(baseline(engine, system), repo.load_services(engine))
