"""Purchase testing from the database: one point, a ranked file, where to buy, the plan.

Everything here returns numbers, codes and :class:`~geoplan.analytics.reasons.Reason` data;
``geoplan.ui`` words them (``geoplan.ui.wording``) and decides which place may be named.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from geoplan.analytics.active import active_units
from geoplan.analytics.optimise import Plan, Shortfall, plan_purchases
from geoplan.analytics.proximity import address_key
from geoplan.analytics.purchase import (
    METRICS,
    PLACE_COLUMNS,
    VERDICTS,
    WHAT_IF_INDICES,
    Baseline,
    build_baseline,
    candidates_frame,
    evaluate_many,
    sale_candidates,
)
from geoplan.analytics.reasons import Reason
from geoplan.analytics.where import where_to_buy
from geoplan.crs import to_work
from geoplan.io.addresses import search_addresses
from geoplan.service.systems import resolve_system
from geoplan.storage import repo

__all__ = [
    "METRICS", "VERDICTS", "WHAT_IF_INDICES", "Baseline", "Plan", "Reason", "Shortfall",
    "baseline", "building_at_address", "evaluate_point", "evaluate_sale", "evaluation_dict",
    "plan", "plan_file", "rank", "rank_file", "remaining_budget", "search_addresses", "where",
]


def remaining_budget(engine: Engine, year: int | None = None) -> float | None:
    """The year's budget minus the purchase prices of units acquired that year (None: unset)."""
    budget = repo.policy(engine).annual_budget
    if not budget:
        return None
    year = year or dt.date.today().year
    units = repo.load_units(engine)
    acquired = pd.to_datetime(units["acquired"])
    spent = pd.to_numeric(units.loc[acquired.dt.year == year, "purchase_price"],
                          errors="coerce").fillna(0).sum()
    return float(budget - spent)


def baseline(engine: Engine, system: str | None = None, on: dt.date | None = None) -> Baseline:
    """Build the evaluation baseline from the register, the policy and the latest demand."""
    areas = repo.load_areas(engine, resolve_system(engine, system))
    units = active_units(repo.load_units(engine), on or dt.date.today())
    return build_baseline(units, areas, repo.policy(engine), repo.load_demand(engine),
                          remaining_budget(engine))


def evaluate_point(
    base: Baseline, lon: float | None = None, lat: float | None = None,
    x: float | None = None, y: float | None = None, **attrs,
) -> dict:
    """Evaluate one candidate purchase at lon/lat (or EPSG:25833 x/y) with its attributes.

    Returns :func:`evaluation_dict`'s shape.
    """
    if x is None or y is None:
        wx, wy = to_work(np.array([lon]), np.array([lat]), 4326)
        x, y = float(wx[0]), float(wy[0])
    row = evaluate_many(base, candidates_frame([{"x": x, "y": y, **attrs}])).iloc[0]
    return evaluation_dict(row)


def evaluate_sale(base: Baseline, unit_id: str, price: float | None = None) -> dict:
    """Evaluate selling one of the register's active units (KeyError when there is none)."""
    row = evaluate_many(base, sale_candidates(base, [unit_id], [price])).iloc[0]
    return evaluation_dict(row)


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


def evaluation_dict(row: pd.Series) -> dict:
    """The shape of one evaluation: the candidate, before and after, verdict, reasons, demand fit.

    Keys: ``action``; ``label``, ``address``, ``building_id`` and ``housing_company`` (so that
    ui may name the place; None when not given); ``x``, ``y``, ``price``; ``area`` (``code``,
    ``name``); ``before`` and ``after`` (one number or None per metric of :data:`METRICS`);
    ``verdict``; ``reasons`` (:class:`Reason` objects, red first; ``service.json_ready`` turns
    them into dicts); ``demand_fit`` (``target_group`` code and ``households`` per fitting group).
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
        "before": {m: clean(row[f"before_{m}"]) for m in METRICS},
        "after": {m: clean(row[f"after_{m}"]) for m in METRICS},
        "verdict": row.verdict, "reasons": list(row.reasons),
        "demand_fit": [{"target_group": g, "households": n} for g, n in row.demand_fit],
    }


def rank(base: Baseline, candidates: pd.DataFrame) -> pd.DataFrame:
    """Evaluate and rank candidates: verdict, then households served, then the change in D.

    The frame of ``evaluate_many`` (reasons as :class:`Reason` lists) with ``rank`` first and
    ``d_change`` (after minus before dissimilarity).
    """
    ev = evaluate_many(base, candidates)
    ev["d_change"] = ev["after_dissimilarity"] - ev["before_dissimilarity"]
    ev["_v"] = ev["verdict"].map({v: i for i, v in enumerate(VERDICTS)})
    ev = ev.sort_values(["_v", "households_served", "d_change"], ascending=[True, False, True],
                        kind="stable").drop(columns="_v").reset_index(drop=True)
    ev.insert(0, "rank", np.arange(1, len(ev) + 1))
    return ev


def rank_file(engine: Engine, path: str | Path, system: str | None = None,
              crs: str | None = None) -> pd.DataFrame:
    """Read a candidate file and rank it against the register (ImportRefused when refused)."""
    from geoplan.service.imports import read_candidates

    return rank(baseline(engine, system), read_candidates(engine, path, crs))


def plan(base: Baseline, candidates: pd.DataFrame, budget: float,
         targets: dict[str, int] | None = None) -> Plan:
    """Solve the year's purchase plan for ``candidates`` (planned sales included) and targets.

    ``targets`` maps target-group codes to units; ValueError for an unknown group.
    """
    return plan_purchases(base, candidates, budget, targets)


def plan_file(engine: Engine, path: str | Path, budget: float,
              targets: dict[str, int] | None = None, system: str | None = None) -> Plan:
    """Read a candidate file and solve the purchase plan."""
    from geoplan.service.imports import read_candidates

    return plan(baseline(engine, system), read_candidates(engine, path), budget, targets)


def where(engine: Engine, system: str | None = None) -> pd.DataFrame:
    """The where-to-buy table for an area system (or the SSB grid)."""
    return where_to_buy(baseline(engine, system), repo.load_services(engine))
