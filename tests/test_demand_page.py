"""The "Behov" page (issue 10) and its words: AppTest on the Elverum demo, lines by hand.

The page shows per target group the waiting list against supply and the gap, a chart of the
projected queue with and without a saved scenario, and one line in plain words per group.  The
words are checked on a hand-made outlook (:func:`outlook`), where every number is set by hand.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geoplan import service
from geoplan.storage.db import get_engine, make_engine
from geoplan.ui import demand_view as view

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGE = "streamlit_app/pages/demand.py"
ON = dt.date(2026, 1, 15)


# ---------------------------------------------------------------- the words, by hand


def _group(code: str, **values) -> dict:
    row = {"target_group": code, "waiting": np.nan, "waiting_trend": np.nan, "inflow": np.nan,
           "inflow_min": np.nan, "inflow_max": np.nan, "allocations": np.nan,
           "withdrawals": np.nan, "withdrawals_min": np.nan, "withdrawals_max": np.nan,
           "relets": np.nan, "suitable_stock": 0, "vacant": 0, "turnover_rate": np.nan,
           "turnover_min": np.nan, "turnover_max": np.nan, "expected_wait_years": np.nan,
           "backlog_per_year": np.nan, "newly_arising": np.nan, "supply": np.nan,
           "net_annual_need": np.nan, "gap": np.nan, "status": "ok"}
    return row | values


def outlook(scenario: str | None = "Plan 2026") -> service.DemandOutlook:
    """Four groups on 15 January 2026, four years ahead.

    - refugees: 15 waiting, 6 allocations a year (wait 2.5 years); the queue is 13 in four
      years without the plan and 9 with it;
    - elderly: 1 waiting, 1 allocation a year (wait 1 year); 0.4 in four years either way;
    - families: 11 waiting, 7.666… allocations (wait 1.43 years); the plan (a sale) lengthens
      the queue from 11.6 to 12.4, so 12 → 12 rounded: the plan leaves it at 12;
    - youth: 7 waiting, no flows.
    """
    groups = pd.DataFrame([
        _group("refugees", waiting=15.0, waiting_trend=3.0, inflow=10.0, inflow_min=8.0,
               inflow_max=12.0, allocations=6.0, withdrawals=2.0, suitable_stock=40,
               vacant=2, turnover_rate=0.1, expected_wait_years=2.5, supply=4.0,
               net_annual_need=7.75, gap=9.0),
        _group("elderly", waiting=1.0, allocations=1.0, expected_wait_years=1.0, gap=0.4),
        _group("families", waiting=11.0, allocations=23 / 3, expected_wait_years=11 / (23 / 3),
               gap=12.4),
        _group("youth", waiting=7.0, status="no_flows"),
    ])
    years = range(2027, 2031)
    steps = {"refugees": ([14, 13.6, 13.2, 13.0], [12, 11, 10, 9.0]),
             "elderly": ([0.7, 0.5, 0.4, 0.4], [0.7, 0.5, 0.4, 0.4]),
             "families": ([11.3, 11.4, 11.5, 11.6], [11.5, 11.8, 12.1, 12.4]),
             "youth": ([np.nan] * 4, [np.nan] * 4)}
    projection = pd.concat([pd.DataFrame({"target_group": g, "year": list(years), "queue": q,
                                          "queue_with_scenario": s if scenario else q})
                            for g, (q, s) in steps.items()], ignore_index=True)
    units = pd.DataFrame({"target_group": ["refugees", "elderly", "families", "youth"],
                          "bought": [2, 0, 0, 0], "sold": [0, 0, 1, 0]})
    return service.DemandOutlook(
        on=ON, horizon=4, years_used=[2023, 2024, 2025], groups=groups, projection=projection,
        scenario=scenario, snapshot=dt.date(2025, 12, 31), previous_snapshot=dt.date(2024, 12, 31),
        scenario_units=units if scenario else pd.DataFrame(), unassigned=1 if scenario else 0)


def test_plain_words_line_per_group_in_bokmal():
    assert view.group_lines(outlook(), "nb") == [
        "Flyktninger til bosetting: 15 venter, 6 tildelinger i året, ventetid om lag 2,5 år; "
        "planen korter køen til 9 om fire år (uten planen 13)",
        "Eldre: 1 venter, 1 tildeling i året, ventetid om lag 1 år; planen endrer ikke køen: 0 "
        "om fire år",
        "Barnefamilier: 11 venter, 7,7 tildelinger i året, ventetid om lag 1,4 år; planen endrer "
        "ikke køen: 12 om fire år",
        "Unge 18–25 år: 7 venter; ingen strømtall for årene som brukes, så tildelinger, "
        "ventetid og framskriving er ukjent",
    ]


def test_plain_words_line_per_group_in_english():
    lines = view.group_lines(outlook(), "en")
    assert lines[0] == ("Refugees to settle: 15 waiting, 6 allocations a year, expected wait "
                        "about 2.5 years; the plan shortens the queue to 9 in four years "
                        "(13 without it)")
    assert lines[1].startswith("The elderly: 1 waiting, 1 allocation a year, expected wait "
                               "about 1 year; ")
    assert "a year" not in lines[3] and "no flows for the years used" in lines[3]


def test_without_a_scenario_the_line_compares_the_projection_with_today():
    lines = view.group_lines(outlook(None), "nb")
    assert lines[0].endswith("; uten nye boliger krymper køen til 13 om fire år")
    assert lines[1].endswith("; uten nye boliger krymper køen til 0 om fire år")
    assert lines[2].endswith("; uten nye boliger vokser køen til 12 om fire år")
    one = outlook(None)
    one = service.DemandOutlook(**{**one.__dict__, "horizon": 1})
    assert view.horizon_text(1, "nb") == "ett år" and view.horizon_text(1, "en") == "one year"
    assert "om ett år" in view.group_lines(one, "nb")[0]


def test_table_scenario_and_chart_say_unknown_and_escape():
    table = view.groups_table(outlook(), "nb")
    youth = table.iloc[3]  # numbers stay numbers (the table sorts by them); unknown is NaN
    assert youth["Venter"] == 7 and np.isnan(youth["Ventetid (år)"])
    assert np.isnan(youth["Udekket om fire år"]) and youth["Merknad"] == "ingen strømtall"
    refugees = table.iloc[0]
    assert refugees[["Nye søknader per år (snitt)", "Nye søknader per år (lavest)",
                     "Nye søknader per år (høyest)"]].tolist() == [10, 8, 12]
    assert refugees["Endring"] == 3 and refugees["Gjenutleie per år (% av egnede)"] == 10
    assert table.dtypes.iloc[1:-1].map(pd.api.types.is_float_dtype).all()
    assert view.table_decimals(table)["Ventetid (år)"] == 1
    assert view.table_decimals(table)["Venter"] == 0
    assert view.scenario_text(outlook(), "en") == (
        "The scenario “Plan 2026”: 3 purchases. The purchases go to: Refugees to settle (2). "
        "1 purchase fit no target group and enter no group's stock. The sales take units out "
        "of the suitable stock of: Families with children (1).")
    assert view.headline(outlook(), "nb")[1] == ("Udekket behov om fire år", "22")
    named = service.DemandOutlook(**{**outlook().__dict__, "scenario": "<b>x</b>"})
    fig = view.projection_figure(named, "en")
    assert len(fig.data) == 6  # youth (no flows) is left out; two lines for each other group
    assert all("<b>" not in trace.name for trace in fig.data)
    assert fig.data[1].line.dash == "dash" and fig.data[1].y[-1] == 9.0
    assert list(fig.data[0].x) == [2026, 2027, 2028, 2029, 2030] and fig.data[0].y[0] == 15


# ---------------------------------------------------------------- the page on the demo


@pytest.fixture
def demo_app(demo_copy, app_uses, admin):
    """The app on a private copy of the demo, with one saved scenario of three flats for sale."""
    engine = make_engine(demo_copy)
    flats = service.read_candidates(engine, service.demo_files()["candidates"]).head(3)
    service.save_scenario(engine, admin, "Tre <kjøp>", flats)
    engine.dispose()
    return app_uses(demo_copy)


def test_demand_page_on_the_demo_in_english_with_a_scenario(demo_app):
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == "Behov: ventelister, tilbud og udekket behov"
    at.sidebar.selectbox(key="lang").select("en").run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == "Demand: waiting lists, supply and unmet need"
    engine = get_engine(demo_app)
    today = dt.date.today()
    plain = service.demand_outlook(engine, today)
    words = "\n".join(m.value for m in at.markdown)
    assert "- Refugees to settle: 15 waiting, 22 allocations a year, expected wait about " \
           "0.7 years; without new units the queue grows to" in words
    assert len(at.dataframe) == 1 and len(at.dataframe[0].value) == 7
    table = at.dataframe[0].value.set_index("Target group")
    assert table.loc["The elderly", "Waiting"] == 16
    assert table.loc["The elderly", "Suitable units"] == \
        plain.groups.set_index("target_group").loc["elderly", "suitable_stock"]
    at.selectbox(key="demand_scenario").select("Tre <kjøp>").run()
    assert not at.exception, [e.message for e in at.exception]
    planned = service.demand_outlook(engine, today, scenario="Tre <kjøp>")
    words = "\n".join(m.value for m in at.markdown)
    assert "The scenario “Tre \\<kjøp\\>”: 3 purchases." in words  # escaped for Markdown
    for line in view.group_lines(planned, "en"):
        assert f"- {line}" in words
    assert "the plan shortens the queue to" in words
    names = [trace["name"] for trace in json.loads(at.get("plotly_chart")[0].proto.spec)["data"]]
    assert "Refugees to settle – with “Tre &lt;kjøp&gt;”" in names  # escaped for plotly
    assert not any("<" in name for name in names)
