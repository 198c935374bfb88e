"""The purchase plan over several years: the optimiser against brute force on a small instance,
budgets per year without carry-over, caps and gaps that hold cumulatively, the one-year plan
unchanged, and strict JSON of ``geoplan plan --horizon 4 --json`` with the projected queue."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math

import numpy as np
import pandas as pd
import pulp
import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from geoplan import service
from geoplan.analytics import optimise
from geoplan.analytics.optimise import PlanError, plan_purchases
from geoplan.analytics.purchase import candidates_frame
from geoplan.cli import app
from geoplan.demo.load import demo_files
from geoplan.policy import Policy
from geoplan.testing.purchase_world import base, units_frame
from geoplan.testing.server import APP
from geoplan.ui import purchase_view as view

# --------------------------------------------------------------- brute force, two years

# Caps: 10 % per area, 2 per building, 2 within 250 m.  Area A (9 of 100 dwellings) has room
# for ONE more unit over the whole plan: a0 and a1 cannot both be bought, not even in different
# years.  c0, c1 and c2 lie within 250 m of each other (150, 156 and 130 m) and more than 250 m
# from every existing unit: at most two of them, over the whole plan.  b0 fits only the
# homeless, whose gap is 0 in both years and who have no target: it is never bought.
TIGHT = Policy(0.10, 2, 2)
SIX = candidates_frame([
    {"label": "a0", "x": 150.0, "y": 900.0, "rooms": 3, "price": 1.5e6},  # families
    {"label": "a1", "x": 300.0, "y": 900.0, "rooms": 3, "universal_design": True,
     "price": 2.0e6},  # families or elderly
    {"label": "b0", "x": 1700.0, "y": 900.0, "rooms": 1, "staffed": True,
     "price": 1.0e6},  # homeless
    {"label": "c0", "x": 2600.0, "y": 900.0, "rooms": 3, "price": 1.2e6},  # families
    {"label": "c1", "x": 2750.0, "y": 900.0, "rooms": 2, "universal_design": True,
     "price": 1.8e6},  # elderly
    {"label": "c2", "x": 2700.0, "y": 780.0, "rooms": 3, "universal_design": True,
     "price": 1.4e6},  # families or elderly
])
FITS = {"a0": ("families",), "a1": ("families", "elderly"), "b0": ("homeless_substance",),
        "c0": ("families",), "c1": ("elderly",), "c2": ("families", "elderly")}
BUDGETS = [3.0e6, 2.5e6]
# projected queues without the plan at the end of years 1 and 2
GAP = {"families": [1.0, 1.5], "elderly": [0.0, 2.0], "homeless_substance": [0.0, 0.0]}
TARGETS = {"elderly": 1}  # a year: 2 over the plan
# by hand: families ceil(1.0), ceil(1.5) = 1, 2; elderly max(0, 1 × 1), max(2, 2 × 1) = 1, 2;
# homeless 0, 0
ROOM = {"families": (1, 2), "elderly": (1, 2), "homeless_substance": (0, 0)}


def _within(xy: np.ndarray, other: np.ndarray) -> np.ndarray:
    """Which points of ``other`` lie within 250 m of each point of ``xy`` (inclusive)."""
    return np.hypot(xy[:, None, 0] - other[None, :, 0], xy[:, None, 1] - other[None, :, 1]) <= 250


def _caps_hold(bought: list[int]) -> bool:
    """The caps for the purchases ``bought`` (positions in SIX), checked from the geometry."""
    xy = SIX[["x", "y"]].to_numpy(float)
    units = units_frame()[["x", "y"]].to_numpy(float)
    if sum(1 for j in bought if SIX.x[j] < 1000) > 1:  # area A's one free place
        return False
    cap = TIGHT.max_within_250m
    own = _within(xy, units).sum(axis=1)  # existing units in each candidate's circle
    near = _within(xy[bought], xy[bought]).sum(axis=1)  # purchases there, itself included
    if any(own[j] + n > cap for j, n in zip(bought, near, strict=True)):
        return False
    unit_counts = _within(units, units).sum(axis=1)  # each existing unit's own count
    entering = _within(units, xy[bought]).sum(axis=1)
    return bool(np.all((entering == 0) | (unit_counts + entering <= cap)))


def _brute_force(weights: np.ndarray) -> tuple[float, float]:
    """The best (households and targets, full objective) over every assignment of the six
    candidates to {not bought, year 1, year 2} and of each purchase to a group it fits."""
    labels, price = SIX["label"].tolist(), SIX["price"].to_numpy(float)
    best_primary, best_full = -math.inf, -math.inf
    for years in itertools.product((None, 0, 1), repeat=len(labels)):
        bought = [j for j, k in enumerate(years) if k is not None]
        if any(price[[j for j in bought if years[j] == k]].sum() > BUDGETS[k] + 1e-6
               for k in (0, 1)):
            continue
        if not _caps_hold(bought):
            continue
        tie = sum(weights[j, years[j]] for j in bought)
        for groups in itertools.product(*(FITS[labels[j]] for j in bought)):
            served = {g: [0, 0] for g in ROOM}
            for j, g in zip(bought, groups, strict=True):
                served[g][years[j]] += 1
            if any(served[g][0] > ROOM[g][0] or sum(served[g]) > ROOM[g][1] for g in ROOM):
                continue
            total = sum(sum(v) for v in served.values())
            short = sum(max(0, 2 * n - sum(served[g])) for g, n in TARGETS.items())
            primary = total - optimise.SHORTFALL_PENALTY * short
            best_primary = max(best_primary, primary)
            best_full = max(best_full, primary + optimise.TIE_BREAK * tie)
    return best_primary, best_full


def test_two_years_against_brute_force():
    world = base(policy=TIGHT)
    inputs = optimise._prepare(world, SIX, BUDGETS, TARGETS, GAP, first_year=2027)
    # a group with no room (the homeless: gap 0, no target) is not in the plan at all
    assert {g: tuple(int(c) for c in inputs.capacity.get(g, (0, 0))) for g in ROOM} == ROOM
    assert "homeless_substance" not in inputs.groups
    model = optimise._build_model(inputs)
    assert optimise._solve(model, 60) == "solved"
    primary, full = _brute_force(optimise._tie_weights(inputs))
    assert pulp.value(model.prob.objective) == pytest.approx(full, abs=1e-7)
    plan = plan_purchases(world, SIX, BUDGETS, TARGETS, gap=GAP, first_year=2027)
    short = sum(max(0, 2 * n - plan.served[g]) for g, n in TARGETS.items())
    assert sum(plan.served.values()) - optimise.SHORTFALL_PENALTY * short == primary
    # the plan itself keeps every rule the brute force checks
    bought = [int(np.flatnonzero(SIX.label == label)[0]) for label in plan.chosen.label]
    assert _caps_hold(bought) and "b0" not in set(plan.chosen.label)
    for k, year in enumerate((2027, 2028)):
        assert plan.chosen.loc[plan.chosen.year == year, "price"].sum() <= BUDGETS[k]
    assert plan.basis == "gap" and plan.horizon == 2
    assert plan.capacity == {g: list(r) for g, r in ROOM.items() if r[-1] or g in TARGETS}
    # by hand: three purchases at most (one in A, two in C); year 1 can take one family and one
    # elderly flat within 3.0 M, year 2 the third: 3 housed, the elderly target of 2 met
    assert primary == 3 and plan.status == "optimal"
    assert plan.served == {"elderly": 2, "families": 1}


def test_the_area_cap_binds_over_the_years_not_per_year():
    # two flats in A (room for one), a budget for one a year: one purchase over two years
    in_a = SIX[SIX.label.isin(["a0", "a1"])]
    plan = plan_purchases(base(), in_a, [2.0e6, 2.0e6], first_year=2027)
    assert len(plan.chosen) == 1 and plan.chosen.year.tolist() == [2027]  # sooner is better


def test_each_year_has_its_own_budget_and_no_carry_over():
    # c1 costs 1.8 M: over either year's 1.0 M, under the 2.0 M of both together
    plan = plan_purchases(base(), SIX[SIX.label == "c1"], [1.0e6, 1.0e6], first_year=2027)
    assert plan.chosen.empty and plan.budget == 2.0e6
    plan = plan_purchases(base(), SIX[SIX.label == "c1"], [1.0e6, 2.0e6], first_year=2027)
    assert plan.chosen.label.tolist() == ["c1"] and plan.chosen.year.tolist() == [2028]
    money = plan.year_money()
    assert [(m["year"], m["cost"], m["money_used"]) for m in money] == [
        (2027, 0.0, 0.0), (2028, 1.8e6, 1.8e6)]


def test_a_planned_sale_brings_money_into_the_first_year_only():
    sale = candidates_frame([{"label": "sell u19", "action": "sell", "x": 2580.0, "y": 500.0,
                              "price": 1.0e6}])
    # 1.8 M with 1.0 M a year: only with the sale's 1.0 M, and only in the first year
    cands = pd.concat([SIX[SIX.label == "c1"], sale], ignore_index=True)
    plan = plan_purchases(base(), cands, [1.0e6, 1.0e6], first_year=2027)
    assert plan.chosen.year.tolist() == [2027]
    assert [m["money_used"] for m in plan.year_money()] == [0.8e6, 0.0]


def test_the_gap_holds_cumulatively():
    # two family flats, room in the budget for both in year 1, but the families' gap is 1 at
    # the end of year 1 and still 1.0 at the end of year 2: one purchase over the plan
    fam = SIX[SIX.label.isin(["a0", "c0"])]
    plan = plan_purchases(base(), fam, [5e6, 5e6], gap={"families": [1.0, 1.0]}, first_year=1)
    assert len(plan.chosen) == 1 and plan.unmet["families"] == 0
    # groups the gap does not name keep their households waiting as their room
    assert plan.capacity["elderly"] == [3, 3]
    plan = plan_purchases(base(), fam, [5e6, 5e6], gap={"families": [1.0, 2.0]}, first_year=1)
    assert sorted(plan.chosen.year) == [1, 2]  # one by the end of year 1, two by year 2


@pytest.mark.parametrize("budget", [[], [1e6] * 5])
def test_one_to_four_years(budget):
    with pytest.raises(PlanError) as err:
        plan_purchases(base(), SIX, budget)
    assert err.value.code == "bad_horizon"
    assert view.plan_error_text(err.value, "en") == (
        "A plan covers 1 to 4 years, with one budget per year.")


def test_a_year_budget_that_is_not_a_number_is_refused():
    with pytest.raises(PlanError) as err:
        plan_purchases(base(), SIX, [1e6, float("nan")])
    assert err.value.code == "budget_not_a_number"


# --------------------------------------------------------------- the demo

needs_demo = pytest.mark.skipif(not demo_files()["candidates"].exists(),
                                reason="the demo's data files are not there")

# The one-year plan on the demo with 10 M and no targets, as chosen before the plan could cover
# several years (households waiting as each group's room).
DEMO_10M = ["Bruvegen 5", "Jømnavegen 12", "Jømnaåsen 29", "Solørvegen 20", "Solørvegen 24 B",
            "Trysilvegen 33"]


@needs_demo
def test_the_one_year_plan_is_unchanged(demo_engine):
    cands = demo_files()["candidates"]
    before = service.plan_file(demo_engine, cands, 10e6, use_gap=False)
    assert (before.basis, before.horizon) == ("waiting", 1)
    assert sorted(before.chosen.label) == DEMO_10M
    # the same through the one-year door (a number, not a list of budgets)
    direct = service.plan(service.baseline(demo_engine), service.read_candidates(demo_engine, cands),
                          10e6)
    assert sorted(direct.chosen.label) == DEMO_10M
    # the demo's queues grow, so every gap is above the households waiting: same purchases
    with_gap = service.plan_file(demo_engine, cands, 10e6)
    assert with_gap.basis == "gap" and sorted(with_gap.chosen.label) == DEMO_10M


def _strict(text: str) -> dict:
    def refuse(name):
        raise ValueError(f"not strict JSON: {name}")

    return json.loads(text, parse_constant=refuse)


@needs_demo
def test_cli_plan_over_four_years_is_strict_json_with_the_projection(demo_copy, monkeypatch):
    monkeypatch.setenv("GEOPLAN_DATABASE_URL", demo_copy)
    service.reset_engines()
    runner = CliRunner()
    cands = str(demo_files()["candidates"])
    res = runner.invoke(app, ["plan", cands, "--horizon", "4", "--budget-per-year", "4000000",
                              "--json"])
    assert res.exit_code == 0, res.output
    out = _strict(res.output)
    first = dt.date.today().year + 1
    assert (out["horizon"], out["first_year"], out["basis"]) == (4, first, "gap")
    assert [y["year"] for y in out["years"]] == list(range(first, first + 4))
    for year in out["years"]:
        assert year["budget"] == 4e6 and year["money_used"] <= 4e6
        assert year["cost"] == pytest.approx(sum(c["price"] for c in year["chosen"]))
    assert sum(len(y["chosen"]) for y in out["years"]) == len(out["chosen"]) > 0
    assert out["budget"] == 16e6
    # the queue without the plan is demand_outlook's own; with it, each group's first-year
    # queue falls by exactly its first-year purchases (none of the demo's queues reaches 0)
    outlook = service.demand_outlook(service.engine(), horizon=4)
    for group, steps in out["projection"].items():
        mine = outlook.projection[outlook.projection.target_group == group]
        assert [s["queue"] for s in steps] == pytest.approx(mine["queue"].tolist())
        bought = sum(1 for c in out["years"][0]["chosen"] if c["target_group"] == group)
        assert steps[0]["queue_with_plan"] == pytest.approx(steps[0]["queue"] - bought)
        assert steps[-1]["queue_with_plan"] <= steps[-1]["queue"] + 1e-9
    text = runner.invoke(app, ["plan", cands, "--horizon", "4", "--budget-per-year",
                               "4000000", "--lang", "en"])
    assert text.exit_code == 0 and f"{first}: " in text.output
    assert "The candidates' prices are the same every year." in text.output
    service.reset_engines()


@needs_demo
@pytest.mark.parametrize("args,message", [
    (["--horizon", "5", "--budget-per-year", "1000000"], "a plan covers 1 to 4 years"),
    (["--horizon", "2", "--budget", "1000000"], "needs --budget-per-year"),
    ([], "give --budget (one year) or --budget-per-year"),
    (["--budget", "1", "--budget-per-year", "1"], "not both"),
])
def test_cli_refuses_a_plan_it_cannot_make(demo_copy, monkeypatch, args, message):
    monkeypatch.setenv("GEOPLAN_DATABASE_URL", demo_copy)
    service.reset_engines()
    res = CliRunner().invoke(app, ["plan", str(demo_files()["candidates"]), *args])
    assert res.exit_code == 1 and message in res.output
    service.reset_engines()


@needs_demo
def test_page_plans_two_years_with_a_budget_per_year(demo_copy, app_uses):
    app_uses(demo_copy)
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run(timeout=120)
    at.switch_page("streamlit_app/pages/plan.py")
    at.run(timeout=120)
    at.button(key="plan_demo").click()
    at.run(timeout=120)
    at.selectbox(key="plan_years").set_value(2)
    at.run(timeout=120)
    at.number_input(key="plan_budget_per_year").set_value(3_000_000.0)
    at.button(key="plan_run").click()
    at.run(timeout=120)
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error
    plan = at.session_state["plan_result"]["plan"]
    assert plan.horizon == 2 and plan.budgets == [3e6, 3e6]
    assert [s.value for s in at.subheader][:3] == ["Kandidater", "Per år", "Valgt i planen"]
    assert "Køen med og uten planen" in [s.value for s in at.subheader]
