"""Scenarios: named plans of purchases and sales, stored apart from the register.

Saving and deleting a scenario (property managers and up) and recording a scenario's purchase
in the register (planners and up) take the acting user, check the role first and write their
audit row in the change's own transaction (:mod:`geoplan.service.audit`).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, selectinload

from geoplan.analytics.demand_fit import fit_matrix, unmet_by_group
from geoplan.analytics.optimise import Plan
from geoplan.analytics.purchase import Baseline, candidates_frame, evaluate_many, what_if_indices
from geoplan.roles import Actor
from geoplan.service import audit
from geoplan.storage.models import Scenario, ScenarioItem

_ATTRS = ("address", "rooms", "area_m2", "floor", "lift", "universal_design", "staffed",
          "unit_type", "building_id", "housing_company", "price", "target_group")


def _plain(value):
    if value is None or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") else value


def save_scenario(engine: Engine, actor: Actor, name: str, items: pd.DataFrame, notes: str = "",
                  budget: float | None = None, targets: dict[str, int] | None = None,
                  policy: dict[str, float] | None = None) -> int:
    """Save (or replace) a scenario of candidate rows with action buy or sell.

    ``budget``, ``targets`` and ``policy`` record what a plan was made with (see
    :func:`save_plan`); a scenario saved from a file has none.  Property managers and up
    (AccessDenied otherwise).
    """
    audit.check(engine, actor, "save_scenario", name)
    items = candidates_frame(items)
    with Session(engine) as s, s.begin():
        old = s.scalars(select(Scenario).options(selectinload(Scenario.items))
                        .where(Scenario.name == name)).one_or_none()
        replaced = None if old is None else _counts(old.items)
        if old is not None:
            s.delete(old)
            s.flush()
        sc = Scenario(name=name, notes=notes, budget=_plain(budget),
                      targets={g: int(n) for g, n in targets.items()} if targets is not None
                      else None,
                      policy={k: _plain(v) for k, v in policy.items()} if policy is not None
                      else None)
        for r in items.to_dict("records"):
            sc.items.append(ScenarioItem(
                action=r["action"], label=_plain(r.get("label")), unit_id=_plain(r.get("unit_id")),
                x=float(r["x"]), y=float(r["y"]),
                attributes={k: _plain(r.get(k)) for k in _ATTRS if _plain(r.get(k)) is not None}))
        s.add(sc)
        s.flush()
        audit.write(s, actor, "save_scenario", name, before=replaced,
                    after={"budget": sc.budget, "targets": sc.targets, "policy": sc.policy},
                    counts=_counts(sc.items))
        return sc.id


def _counts(items: list[ScenarioItem]) -> dict[str, int]:
    """A scenario's purchases and sales, for its audit row."""
    sales = sum(i.action == "sell" for i in items)
    return {"purchases": len(items) - sales, "sales": sales}


def save_plan(engine: Engine, actor: Actor, name: str, plan: Plan) -> int:
    """Save a plan's purchases and sales as a scenario, with its budget, targets and policy."""
    items = pd.concat([plan.chosen, plan.sales], ignore_index=True)
    return save_scenario(engine, actor, name, items, budget=plan.budget, targets=plan.targets,
                         policy=plan.policy)


SETTINGS = ("budget", "targets", "policy")  # what a saved plan records it was made with


def scenario_settings(engine: Engine, names: list[str]) -> dict[str, dict]:
    """What each named scenario was made with: ``budget`` (NOK), ``targets`` ({target-group
    code: units}) and ``policy`` ({policy field: value}); None where it was not recorded (a
    scenario saved from a file, or before GeoPlan recorded them).  KeyError for an unknown name.
    """
    with Session(engine) as s:
        found = {sc.name: sc for sc in s.scalars(select(Scenario).where(Scenario.name.in_(names)))}
        missing = [n for n in names if n not in found]
        if missing:
            raise KeyError(f"no scenario named '{missing[0]}'")
        return {n: {key: getattr(found[n], key) for key in SETTINGS} for n in names}


def scenario_names(engine: Engine) -> list[str]:
    """Names of the saved scenarios."""
    with Session(engine) as s:
        return list(s.scalars(select(Scenario.name).order_by(Scenario.name)))


def load_scenario(engine: Engine, name: str) -> pd.DataFrame:
    """Return a scenario's items as candidate rows."""
    with Session(engine) as s:
        sc = s.scalars(select(Scenario).options(selectinload(Scenario.items))
                       .where(Scenario.name == name)).one_or_none()
        if sc is None:
            raise KeyError(f"no scenario named '{name}'")
        rows = [{"action": i.action, "label": i.label, "unit_id": i.unit_id, "x": i.x, "y": i.y,
                 **(i.attributes or {})} for i in sc.items]
    return candidates_frame(rows)


def delete_scenario(engine: Engine, actor: Actor, name: str) -> None:
    """Delete a scenario (scenarios are drafts; the register keeps its own history).

    Property managers and up (AccessDenied); KeyError for an unknown name.
    """
    audit.check(engine, actor, "delete_scenario", name)
    with Session(engine) as s, s.begin():
        sc = s.scalars(select(Scenario).options(selectinload(Scenario.items))
                       .where(Scenario.name == name)).one_or_none()
        if sc is None:
            raise KeyError(f"no scenario named '{name}'")
        audit.write(s, actor, "delete_scenario", name, counts=_counts(sc.items))
        s.delete(sc)


TODAY = "today"  # the comparison's column of today's register (ui words it)


def scenario_outcome(base: Baseline, items: pd.DataFrame) -> dict:
    """Apply a scenario to the baseline: indices, flags, demand served and cost.

    Keys: ``purchases``, ``sales``, every index of ``WHAT_IF_INDICES``, ``areas_over_cap``,
    ``red_items``, ``households_served``, ``cost``, ``proceeds``, ``net_cost`` and
    ``unpriced`` (purchases without a price: their cost is unknown, not counted as 0 in truth).
    """
    items = candidates_frame(items)
    buys = items[items["action"] != "sell"]
    sells = items[items["action"] == "sell"]
    x = base.units_after(buys, sells)
    share = pd.Series(x / base.t).where(base.ok)
    ev = evaluate_many(base, items) if len(items) else pd.DataFrame(
        {"verdict": [], "households_served": []})
    prices = pd.to_numeric(buys["price"], errors="coerce")
    price = prices.fillna(0).sum()
    proceeds = pd.to_numeric(sells["price"], errors="coerce").fillna(0).sum()
    return {
        "purchases": int(len(buys)), "sales": int(len(sells)),
        **what_if_indices(x, base.t),
        "areas_over_cap": int((share > base.policy.max_area_share).sum()),
        "red_items": int((ev["verdict"] == "red").sum()),
        "households_served": households_housed(base, buys),
        "cost": float(price), "proceeds": float(proceeds), "net_cost": float(price - proceeds),
        "unpriced": int(prices.isna().sum()),
    }


def households_housed(base: Baseline, buys: pd.DataFrame) -> int:
    """Households the purchases can house: one each, in a fitting group with people waiting.

    A purchase keeps the group the plan gave it when that still fits; the others go to the
    fitting group with the most households still waiting.
    """
    if buys.empty:
        return 0
    demand = base.demand
    fit = fit_matrix(buys, demand)
    left = unmet_by_group(demand).to_dict()
    housed = 0
    for i, row in enumerate(buys.to_dict("records")):
        groups = set(demand["target_group"].to_numpy()[fit[i]])
        wanted = row.get("target_group")
        pick = wanted if wanted in groups and left.get(wanted, 0) > 0 else max(
            (g for g in groups if left.get(g, 0) > 0), key=lambda g: left[g], default=None)
        if pick is not None:
            left[pick] -= 1
            housed += 1
    return housed


def compare_scenarios(engine: Engine, base: Baseline, names: list[str]) -> pd.DataFrame:
    """Compare scenarios side by side: rows the keys of :func:`scenario_outcome`, one column
    per scenario after a first column :data:`TODAY` (today's register)."""
    cols = {TODAY: scenario_outcome(base, candidates_frame([]).assign(x=[], y=[]))}
    for name in names:
        cols[name] = scenario_outcome(base, load_scenario(engine, name))
    return pd.DataFrame(cols)


def record_purchase(
    engine: Engine, actor: Actor, scenario: str, label: str, unit_id: str, unit_type: str,
    tenure: str,
    target_group: str | None = None, acquired: dt.date | None = None,
) -> str:
    """Record a scenario's purchase in the real register as a new unit; return its unit id.

    Only this call changes the register.  The unit gets the item's place, size and price,
    and is validated like an imported row (known type and tenure, a new unit id).  Planners
    and admins only (AccessDenied otherwise).
    """
    audit.check(engine, actor, "record_scenario", f"{scenario}: {label}")
    from geoplan.io import values
    from geoplan.io.values import split_address
    from geoplan.storage import repo
    from geoplan.vocab import TARGET_GROUP, TENURE

    items = load_scenario(engine, scenario)
    match = items[(items["label"] == label) & (items["action"] != "sell")]
    if match.empty:
        raise KeyError(f"no purchase labelled '{label}' in scenario '{scenario}'")
    item = match.iloc[0]
    if unit_id in repo.unit_ids(engine):
        raise ValueError(f"unit id '{unit_id}' is already in the register")
    codes = {
        "unit_type": values.choice(repo.unit_types(engine), "unit_type")(unit_type),
        "tenure": values.choice(TENURE, "tenure")(tenure),
        "target_group": values.choice(TARGET_GROUP, "target_group")(target_group)
        if target_group else _plain(item.get("target_group")),
    }
    street, number, letter = split_address(item.get("address") or item["label"])
    record = {
        "unit_id": unit_id, "street": street, "house_number": number, "letter": letter,
        "x": float(item["x"]), "y": float(item["y"]), "rooms": _plain(item.get("rooms")),
        "floor_area": _plain(item.get("area_m2")), "floor": _plain(item.get("floor")),
        "universal_design": bool(item.get("universal_design") or False), "wheelchair": False,
        "building_id": _plain(item.get("building_id")),
        "housing_company": _plain(item.get("housing_company")),
        "purchase_price": _plain(item.get("price")), "status": "vacant",
        "acquired": acquired or dt.date.today(), **codes,
    }
    with Session(engine) as s, s.begin():
        repo.upsert_units(s, [record], f"scenario '{scenario}': {label}")
        audit.write(s, actor, "record_scenario", f"{scenario}: {label}",
                    after={"unit_id": unit_id, **codes}, counts={"units": 1})
    return unit_id
