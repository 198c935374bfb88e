"""Demand as a flow (issue 10): the stock-flow arithmetic against hand-computed tables.

The hand-made world (``_world``), on 15 January 2026 with flows 2022–2026 (2026 incomplete, 2022
older than the last three years: both left out):

=============  =======  =====  ==============  ==========  ==========  ========  ============
group          waiting  stock  inflow          allocations withdrawals re-lets   turnover
=============  =======  =====  ==============  ==========  ==========  ========  ============
refugees       20 (14)  10     12, 15, 18      6, 6, 9     2, 3, 1     1, 1, 1   0.1 each
elderly        8 (6)    10     4, 4, 4         2, 2, 2     1, 1, 1     1, 1, 2   1/5, 1/10, 2/10
families       0 (0)    10     3, 3, 3         1, 1, 1     0, 0, 0     0, 0, 0   0 (zero turnover)
youth          0        0      no flows
disabilities   0        10     no flows
=============  =======  =====  ==============  ==========  ==========  ========  ============

(waiting on 31.12.2025, in brackets on 31.12.2024.)  Ten refugee-type flats of 3 rooms suit
refugees and families; five care flats (2 rooms, universal design) from 2010 and five from
1 June 2024 suit the elderly and people with disabilities, so the elderly's stock on 31 December
was 5, 10, 10.
"""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from geoplan import service
from geoplan.analytics import demand_flow as model
from geoplan.analytics.demand_fit import fit_matrix
from geoplan.cli import app
from geoplan.testing.data import ELVERUM, seed_database, unit_record

ON = dt.date(2026, 1, 15)
DEMAND = ("Dato;Målgruppe;Antall husstander;Antall rom;Universelt utformet;Bemanning\n"
          "31.12.2024;Flyktninger;14;3;Nei;Ubemannet\n"
          "31.12.2024;Eldre;6;2;Ja;Ubemannet\n"
          "31.12.2025;Flyktninger;20;3;Nei;Ubemannet\n"
          "31.12.2025;Eldre;8;2;Ja;Ubemannet\n")
FLOWS = ("År;Målgruppe;Nye søknader;Tildelinger;Frafall;Gjenutleie\n"
         "2022;Flyktninger;100;50;5;9\n"
         "2023;Flyktninger;12;6;2;1\n2024;Flyktninger;15;6;3;1\n2025;Flyktninger;18;9;1;1\n"
         "2026;Flyktninger;1;1;0;0\n"
         "2023;Eldre;4;2;1;1\n2024;Eldre;4;2;1;1\n2025;Eldre;4;2;1;2\n"
         "2023;Barnefamilier;3;1;0;0\n2024;Barnefamilier;3;1;0;0\n2025;Barnefamilier;3;1;0;0\n")


def _units() -> list[dict]:
    lon, lat = ELVERUM
    refugee = [unit_record(f"R{i:02d}", lon + i * 1e-3, lat, unit_type="refugee", rooms=3,
                           status="vacant" if i == 0 else "occupied") for i in range(10)]
    care = [unit_record(f"C{i:02d}", lon, lat + i * 1e-3, unit_type="care", rooms=2,
                        universal_design=True,
                        acquired=dt.date(2010, 1, 1) if i < 5 else dt.date(2024, 6, 1))
            for i in range(10)]
    return refugee + care


def _world(engine, tmp_path):
    seed_database(engine, _units())
    (tmp_path / "behov.csv").write_text(DEMAND, encoding="utf-8")
    (tmp_path / "strommer.csv").write_text(FLOWS, encoding="utf-8")
    service.import_file(engine, service.local_actor(), "demand", tmp_path / "behov.csv")
    service.import_file(engine, service.local_actor(), "flows", tmp_path / "strommer.csv")
    return engine


@pytest.fixture
def world(engine, tmp_path):
    return _world(engine, tmp_path)


def _row(outlook, group: str) -> dict:
    return outlook.groups.set_index("target_group").loc[group].to_dict()


def _queues(outlook, group: str, column: str = "queue") -> list[float]:
    p = outlook.projection
    return p.loc[p["target_group"] == group, column].tolist()


def test_one_group_by_hand(world):
    o = service.demand_outlook(world, on=ON)
    assert (o.on, o.horizon, o.years_used) == (ON, 4, [2023, 2024, 2025])
    assert (o.snapshot, o.previous_snapshot) == (dt.date(2025, 12, 31), dt.date(2024, 12, 31))
    r = _row(o, "refugees")
    assert (r["waiting"], r["waiting_trend"]) == (20, 6)
    assert (r["inflow"], r["inflow_min"], r["inflow_max"]) == (15, 12, 18)
    assert (r["allocations"], r["withdrawals"], r["relets"]) == (7, 2, 1)
    assert (r["suitable_stock"], r["vacant"]) == (10, 1)
    assert r["turnover_rate"] == pytest.approx(0.1)
    assert r["expected_wait_years"] == pytest.approx(20 / 7)
    assert r["backlog_per_year"] == 5  # 20 households in 4 years
    assert r["newly_arising"] == 13  # 15 - 2
    assert r["supply"] == pytest.approx(1.0)  # 0.1 x 10
    assert r["net_annual_need"] == pytest.approx(17)  # 5 + 13 - 1
    # queue(k) = queue(k-1) + 15 - 0.1 x 10 - 2
    assert _queues(o, "refugees") == pytest.approx([32, 44, 56, 68])
    assert _queues(o, "refugees", "queue_with_scenario") == pytest.approx([32, 44, 56, 68])
    assert o.projection["year"].unique().tolist() == [2027, 2028, 2029, 2030]
    assert r["gap"] == pytest.approx(68) and r["status"] == "ok"


def test_two_groups_and_a_changing_stock(world):
    o = service.demand_outlook(world, on=ON)
    e = _row(o, "elderly")
    assert (e["waiting"], e["waiting_trend"], e["suitable_stock"], e["vacant"]) == (8, 2, 10, 0)
    # yearly rates 1/5, 1/10, 2/10 (stock on 31 December 5, 10, 10)
    assert e["turnover_rate"] == pytest.approx((0.2 + 0.1 + 0.2) / 3)
    assert (e["turnover_min"], e["turnover_max"]) == pytest.approx((0.1, 0.2))
    assert e["supply"] == pytest.approx(10 / 6)
    assert e["net_annual_need"] == pytest.approx(2 + 3 - 10 / 6)
    assert e["expected_wait_years"] == pytest.approx(4)  # 8 waiting, 2 housed a year
    assert _queues(o, "elderly") == pytest.approx([8 + k * (4 - 10 / 6 - 1) for k in (1, 2, 3, 4)])
    assert _row(o, "refugees")["net_annual_need"] == pytest.approx(17)  # untouched by elderly


def test_zero_turnover(world):
    f = _row(service.demand_outlook(world, on=ON), "families")
    assert (f["waiting"], f["suitable_stock"], f["turnover_rate"], f["supply"]) == (0, 10, 0, 0)
    assert f["expected_wait_years"] == 0 and f["net_annual_need"] == 3
    assert _queues(service.demand_outlook(world, on=ON), "families") == [3, 6, 9, 12]


def test_a_group_without_flows_is_said_so_and_never_gets_a_rate(world):
    o = service.demand_outlook(world, on=ON)
    for g, stock in (("youth", 0), ("disabilities", 10)):
        r = _row(o, g)
        assert r["status"] == "no_flows" and r["suitable_stock"] == stock
        for key in ("inflow", "allocations", "turnover_rate", "supply", "net_annual_need",
                    "expected_wait_years", "gap"):
            assert math.isnan(r[key]), (g, key)
        assert all(math.isnan(q) for q in _queues(o, g))
    data = json.loads(json.dumps(o.as_dict(), allow_nan=False))
    assert data["groups"]["youth"]["turnover_rate"] is None
    assert data["groups"]["youth"]["status"] == "no_flows"
    assert data["groups"]["youth"]["projection"][0] == {"year": 2027, "queue": None,
                                                       "queue_with_scenario": None}
    assert list(data["groups"]) == list(model.GROUPS)
    for key in ("waiting", "inflow", "allocations", "withdrawals", "suitable_stock", "vacant",
                "turnover_rate", "expected_wait_years", "net_annual_need", "projection"):
        assert key in data["groups"]["refugees"]


def test_nothing_stored_means_unknown_not_zero(engine):
    o = service.demand_outlook(engine, on=ON)
    assert o.years_used == [] and o.snapshot is None
    assert (o.groups["status"] == "no_flows").all() and o.groups["waiting"].isna().all()
    assert (o.groups["suitable_stock"] == 0).all()
    json.dumps(o.as_dict(), allow_nan=False)


def test_the_date_chooses_the_snapshot_and_the_complete_years(world):
    o = service.demand_outlook(world, on=dt.date(2025, 6, 30), horizon=1)
    assert o.years_used == [2022, 2023, 2024] and o.snapshot == dt.date(2024, 12, 31)
    r = _row(o, "refugees")
    assert (r["waiting"], r["inflow"]) == (14, (100 + 12 + 15) / 3)
    assert math.isnan(r["waiting_trend"])  # no snapshot before 31.12.2024
    assert service.demand_outlook(world, on=dt.date(2025, 12, 31)).years_used == [2023, 2024,
                                                                                   2025]


def test_policy_values_change_the_model(world, admin):
    service.set_policy(world, admin, years_to_clear_backlog=2, flow_mean_years=1)
    o = service.demand_outlook(world, on=ON)
    r = _row(o, "refugees")
    assert o.years_used == [2025]
    assert (r["backlog_per_year"], r["inflow"], r["inflow_min"], r["inflow_max"]) == (10, 18, 18,
                                                                                      18)
    assert r["net_annual_need"] == pytest.approx(10 + 17 - 1)


def test_the_horizon_is_checked(world):
    assert len(service.demand_outlook(world, on=ON, horizon=1).projection) == 7
    for bad in (0, 11, -1):
        with pytest.raises(ValueError, match="horizon"):
            service.demand_outlook(world, on=ON, horizon=bad)
    with pytest.raises(KeyError):
        service.demand_outlook(world, on=ON, scenario="no such plan")


# ---------------------------------------------------------------- scenarios


def _save(engine, name: str, rows: list[dict]) -> None:
    x, y = 300000.0, 6750000.0
    service.save_scenario(engine, service.local_actor(), name,
                          pd.DataFrame([{"x": x, "y": y} | r for r in rows]))


def test_scenario_equals_no_scenario_plus_its_units(world):
    # two refugee-type flats (they fit refugees and families: both go to refugees, the larger
    # gap, 68 then 67 against 12) and the sale of R05 (it leaves refugees' and families' stock)
    _save(world, "plan", [{"action": "buy", "unit_type": "refugee", "rooms": 3},
                          {"action": "buy", "unit_type": "refugee", "rooms": 3},
                          {"action": "sell", "unit_id": "R05", "unit_type": "refugee",
                           "rooms": 3}])
    o = service.demand_outlook(world, on=ON, scenario="plan")
    units = o.scenario_units.set_index("target_group")
    assert units.loc["refugees"].tolist() == [2, 1] and units.loc["families"].tolist() == [0, 1]
    assert units["bought"].sum() == 2 and o.unassigned == 0
    p = o.projection.set_index(["target_group", "year"])
    ref = p.loc["refugees"]
    assert (ref["stock_with_scenario"] - ref["stock"]).tolist() == [1, 1, 1, 1]  # +2 - 1
    # year 1: 2 new units housed; later the stock of 11 is re-let at 0.1 (1.1 instead of 1)
    assert (ref["allocations_with_scenario"] - ref["allocations"]).tolist() == pytest.approx(
        [2, 0.1, 0.1, 0.1])
    assert ref["queue_with_scenario"].tolist() == pytest.approx([30, 41.9, 53.8, 65.7])
    assert (ref["queue"] - ref["queue_with_scenario"]).tolist() == pytest.approx(
        [2, 2.1, 2.2, 2.3])
    fam = p.loc["families"]
    assert (fam["stock_with_scenario"] - fam["stock"]).tolist() == [-1, -1, -1, -1]
    assert fam["queue_with_scenario"].tolist() == fam["queue"].tolist()  # zero turnover
    assert _row(o, "refugees")["gap"] == pytest.approx(65.7)
    data = json.loads(json.dumps(o.as_dict(), allow_nan=False))
    assert data["scenario"] == "plan"
    assert data["groups"]["refugees"]["projection"][1]["queue_with_scenario"] == pytest.approx(
        41.9)


def test_each_purchase_goes_to_one_fitting_group(world):
    # emergency housing suits only homeless people with substance problems (no flows, gap
    # unknown): it goes there, and their projection stays unknown
    _save(world, "odd", [{"action": "buy", "unit_type": "emergency", "rooms": 1}])
    o = service.demand_outlook(world, on=ON, scenario="odd")
    assert o.scenario_units.set_index("target_group").loc["homeless_substance", "bought"] == 1
    assert all(math.isnan(q) for q in _queues(o, "homeless_substance", "queue_with_scenario"))
    # a care flat without universal design fails the elderly's need: people with disabilities
    # (no rows in the snapshot: the type rule alone) get it
    _save(world, "care", [{"action": "buy", "unit_type": "care", "rooms": 2,
                           "universal_design": False}])
    bought = service.demand_outlook(world, on=ON, scenario="care").scenario_units.set_index(
        "target_group")["bought"]
    assert (bought["elderly"], bought["disabilities"], bought.sum()) == (0, 1, 1)
    # a type of the municipality's own that no group's rule names fits no group
    _save(world, "own", [{"action": "buy", "unit_type": "student", "rooms": 1}])
    o = service.demand_outlook(world, on=ON, scenario="own")
    assert o.unassigned == 1 and o.scenario_units["bought"].sum() == 0
    assert o.projection["queue_with_scenario"].equals(o.projection["queue"])


# ---------------------------------------------------------------- the pure model


def test_projection_floors_the_queue_at_zero():
    start = pd.DataFrame({"queue": [2.0], "stock": [30.0], "inflow": [1.0],
                          "withdrawals": [0.0], "turnover_rate": [0.1]}, index=["youth"])
    out = model.project(start, 3, 2027)
    assert out["queue"].tolist() == [0, 0, 0]  # 2 + 1 - 3 = 0, then 0 + 1 - 3 -> 0
    assert out["relets"].tolist() == [3, 3, 3]


def test_assign_purchases_to_the_largest_gap():
    gap = pd.Series({"refugees": 3.0, "elderly": 5.0, "youth": np.nan})
    idx = {g: i for i, g in enumerate(model.GROUPS)}

    def fits(*groups):
        row = np.zeros(len(model.GROUPS), dtype=bool)
        row[[idx[g] for g in groups]] = True
        return row

    rows = np.array([fits("refugees", "elderly")] * 3 + [fits("youth"), fits("youth", "refugees"),
                                                        np.zeros(len(model.GROUPS), bool)])
    # elderly 5 -> 4, elderly 4 -> 3, then a tie 3/3 goes to refugees (first in the vocabulary);
    # youth (unknown gap) only when nothing else fits; none when nothing fits
    assert model.assign_purchases(rows, gap) == ["elderly", "elderly", "refugees", "youth",
                                                 "refugees", None]


def test_suitable_stock_follows_the_fit_rules():
    demand = pd.DataFrame({
        "snapshot_date": [dt.date(2025, 12, 31)] * 3,
        "target_group": ["refugees", "elderly", "elderly"], "households": [4, 0, 2],
        "rooms_needed": [3, 2, 1], "universal_design": [False, True, True],
        "staffed": [False, False, True], "preferred_area": [None] * 3})
    needs = model.group_needs(demand, dt.date(2025, 12, 31))
    assert needs["households"].eq(1).all()  # the elderly's stock does not vanish at 0 waiting
    assert set(needs["target_group"]) == set(model.GROUPS)
    units = pd.DataFrame({
        "unit_id": ["u1", "u2", "u3", "u4", "u5", "u6", "u7"],
        "unit_type": ["ordinary", "care", "refugee", "ordinary", "ordinary", "care", "ordinary"],
        "rooms": [3, 2, 5, 1, 3, 2, 2],
        "universal_design": [False, True, False, False, False, True, True],
        "status": ["occupied", "occupied", "occupied", "occupied", "occupied", "vacant",
                   "vacant"],
        "acquired": [dt.date(2020, 1, 1)] * 7,
        "disposed": [None, None, None, None, dt.date(2025, 1, 1), None, None]})
    suits = model.suitability(units, needs)
    # each cell is fit_matrix on one of the group's rows, or-ed
    fit = fit_matrix(units, needs)
    for g in model.GROUPS:
        assert suits[g].tolist() == fit[:, (needs["target_group"] == g).to_numpy()].any(
            axis=1).tolist()
    # by hand: u1 and u5 (3 rooms, ordinary) fit refugees (3-4 rooms); u3 has 5 rooms, too
    # many; u2, u6 (care, 2 rooms, universal design) and u7 (ordinary, 2 rooms, universal
    # design) fit the elderly's 2-room need; u1 lacks universal design
    assert suits["refugees"].tolist() == [True, False, False, False, True, False, False]
    assert suits["elderly"].tolist() == [False, True, False, False, False, True, True]
    stock = model.suitable_stock(units, suits, dt.date(2025, 12, 31))
    vacant = model.suitable_stock(units, suits, dt.date(2025, 12, 31), vacant_only=True)
    assert (stock["refugees"], stock["elderly"]) == (1, 3)  # u5 was sold on 1 January 2025
    assert (vacant["refugees"], vacant["elderly"]) == (0, 2)
    # families have no row: the type rule alone (ordinary, refugee): u1, u3, u4, u7 (u5 sold)
    assert stock["families"] == 4


# ---------------------------------------------------------------- the command and the demo


def test_cli_demand_json_and_table(db_url, tmp_path):
    from geoplan.storage.db import get_engine

    _world(get_engine(db_url), tmp_path)
    runner = CliRunner()
    out = runner.invoke(app, ["demand", "--date", "2026-01-15", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["years_used"] == [2023, 2024, 2025]
    assert data["groups"]["refugees"]["projection"][-1]["queue"] == pytest.approx(68)
    assert "NaN" not in out.output
    table = runner.invoke(app, ["demand", "--date", "2026-01-15", "--horizon", "2"])
    assert table.exit_code == 0 and "Refugees to settle" in table.output
    assert "no flows for Young people 18–25" in table.output
    assert runner.invoke(app, ["demand", "--horizon", "0"]).exit_code == 1
    assert runner.invoke(app, ["demand", "--scenario", "nope"]).exit_code == 1


def test_demo_tells_its_story(demo_engine):
    o = service.demand_outlook(demo_engine, on=dt.date(2026, 10, 1))
    assert o.years_used == [2023, 2024, 2025] and (o.groups["status"] == "ok").all()
    assert o.snapshot == dt.date(2026, 10, 1) and o.previous_snapshot == dt.date(2025, 12, 31)
    flows = service.demand_outlook(demo_engine, on=dt.date(2023, 12, 31))
    r = flows.groups.set_index("target_group")
    assert r.loc["refugees", "inflow_max"] == 45  # the wave: 2022
    # the snapshots follow from the flows: queue(2023) = queue(2022) + inflow - alloc - withdr.
    by_year = {d.year: service.demand_outlook(demo_engine, on=d, horizon=1)
               for d in (dt.date(2022, 12, 31), dt.date(2023, 12, 31))}
    w22 = by_year[2022].groups.set_index("target_group")["waiting"]
    w23 = by_year[2023].groups.set_index("target_group")["waiting"]
    assert w23["refugees"] - w22["refugees"] == 38 - 32 - 5
    elderly = [service.demand_outlook(demo_engine, on=dt.date(y, 12, 31), horizon=1).groups
               .set_index("target_group").loc["elderly", "waiting"] for y in range(2021, 2026)]
    assert elderly == sorted(elderly) and elderly[-1] > elderly[0]  # a growing queue


# ---------------------------------------------------------------- the gap in the purchase test


def test_the_purchase_test_reads_the_gap_from_the_demand_model(demo_engine, engine):
    from geoplan.analytics.purchase import candidates_frame, evaluate_many
    from geoplan.service.purchase import GAP_HORIZON, group_gaps
    from geoplan.storage import repo

    on = dt.date(2026, 10, 1)
    base = service.baseline(demo_engine, on=on)
    outlook = service.demand_outlook(demo_engine, on=on, horizon=GAP_HORIZON)
    gaps = outlook.groups.set_index("target_group")
    pd.testing.assert_frame_equal(base.gap, gaps[["waiting", "gap"]])
    assert base.gap_horizon == 4
    flats = candidates_frame(service.read_candidates(demo_engine,
                                                     service.demo_files()["candidates"]))
    fits = evaluate_many(base, flats)["demand_gap"]
    assert all(v == gaps.loc[g, "gap"] for fit in fits for g, v in fit)
    # a flat fits exactly the groups whose stock the demand model would let it enter
    needs = model.group_needs(repo.load_demand(demo_engine, latest_only=False), outlook.snapshot)
    suits = model.suitability(flats, needs)
    assert [sorted(g for g, _ in fit) for fit in fits] == [
        sorted(g for g in model.GROUPS if row[g]) for _, row in suits.iterrows()]
    assert sum(len(fit) for fit in fits) > len(flats)  # most flats fit several groups
    # without flows the baseline carries no gap: households waiting count, as before
    assert group_gaps(engine, on) is None
