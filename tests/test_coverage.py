"""No unit disappears silently, x > t is a named data problem, and dates are explicit (issue 8).

Hand-made areas in EPSG:25833, every number checked by hand:

* A "Aust" (0–1 km): 3 dwellings reported; B "Berg" (1–2 km): 8 dwellings; C "Ukjent"
  (2–3 km): dwellings unknown; D "Tom" (3–4 km): 0 dwellings.
* Units: 4 in A (one more than its dwellings: a data problem), 1 in B, 1 in C, 1 in D and 1
  outside every area; u2 has no acquired date.
"""

from __future__ import annotations

import datetime as dt
import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from typer.testing import CliRunner

from geoplan import service
from geoplan.analytics.active import active_mask, undated_mask
from geoplan.analytics.concentration import analyse
from geoplan.analytics.indices import compute_indices
from geoplan.analytics.per_area import (
    EXCLUSION_REASONS,
    area_table,
    assign_areas,
    coverage,
    exclusions,
    totals,
)
from geoplan.analytics.reasons import Reason
from geoplan.analytics.trend import year_dates, yearly
from geoplan.cli import app
from geoplan.testing.data import seed_database, unit_record
from geoplan.ui.concentration_tables import (
    area_display_table,
    change_table,
    coverage_text,
    data_problem_lines,
    data_problem_markdown,
    date_notes,
    trend_undated_text,
    undated_text,
)
from geoplan.ui.i18n import STRINGS
from geoplan.vocab import DEFAULT_UNIT_TYPES

AREAS = gpd.GeoDataFrame(
    {"code": ["A", "B", "C", "D"], "name": ["Aust", "Berg", "Ukjent", "Tom"],
     "population": [10, 20, None, 0], "dwellings": [3, 8, None, 0]},
    geometry=[shapely.box(i * 1000, 0, (i + 1) * 1000, 1000) for i in range(4)], crs=25833,
)
ACQUIRED = dt.date(2015, 6, 1)


def units(acquired: list | None = None) -> gpd.GeoDataFrame:
    """The eight units: u0–u3 in A, u4 in B, u5 in C, u6 in D, u7 outside; u2 undated."""
    xs = [100, 200, 300, 400, 1500, 2500, 3500, 9000]
    rows = [{"unit_id": f"u{i}", "x": float(x), "y": 500.0, "unit_type": "ordinary",
             "target_group": None, "building_id": None, "housing_company": None,
             "street": None, "house_number": None, "letter": None, "postal_code": None,
             "acquired": ACQUIRED, "disposed": None} for i, x in enumerate(xs)]
    frame = gpd.GeoDataFrame(rows, geometry=gpd.points_from_xy([r["x"] for r in rows],
                                                               [r["y"] for r in rows]), crs=25833)
    frame["acquired"] = acquired or [ACQUIRED, ACQUIRED, None, *[ACQUIRED] * 5]
    return frame


def result(on: dt.date = dt.date(2024, 6, 30)):
    return analyse(units(), AREAS, on, permutations=0)


# ---------------------------------------------------------------- point 6: no unit disappears


def test_every_excluded_unit_is_counted_by_its_reason():
    frame = units()
    idx = assign_areas(frame.x.to_numpy(), frame.y.to_numpy(), AREAS)
    assert idx.tolist() == [0, 0, 0, 0, 1, 2, 3, -1]
    table = area_table(frame, AREAS, idx)
    assert exclusions(idx, table).tolist() == [None] * 5 + ["unknown_dwellings"] * 2 + [
        "outside_areas"]
    assert coverage(exclusions(idx, table)) == {
        "n_units_active": 8, "n_units_in_indices": 5,
        "excluded": {"outside_areas": 1, "unknown_dwellings": 2}}
    assert totals(table)["units"] == 5  # the units the indices rest on: the same five


def test_the_issue_example_two_areas_one_outside_one_unknown():
    # 2 areas with dwellings + 1 unit outside + 1 unit in an area with unknown dwellings
    frame = units().iloc[[3, 4, 5, 7]]  # u3 in A, u4 in B, u5 in C (unknown), u7 outside
    res = analyse(frame, AREAS, dt.date(2024, 6, 30), permutations=0)
    summary = res.summary()
    assert summary["n_units_active"] == 4 and summary["n_units_in_indices"] == 2
    assert summary["excluded"] == {"outside_areas": 1, "unknown_dwellings": 1}
    excluded = res.units.set_index("unit_id")["excluded"]
    assert excluded.isna().tolist() == [True, True, False, False]  # u3 and u4 count
    assert excluded[["u5", "u7"]].tolist() == ["unknown_dwellings", "outside_areas"]


def test_the_summary_reports_coverage_and_is_strict_json():
    summary = result().summary()
    assert summary["date"] == dt.date(2024, 6, 30)
    assert summary["n_units_active"] == 8 and summary["n_units_in_indices"] == 5
    assert summary["excluded"] == {"outside_areas": 1, "unknown_dwellings": 2}
    assert summary["n_units_undated"] == 1
    assert summary["n_dwellings"] == 4 + 8  # A raised to its 4 units, B 8; C and D left out
    assert summary["n_areas"] == 2 and summary["units_over_dwellings"] == ["A"]
    text = json.dumps(service.json_ready(summary), allow_nan=False)
    assert '"date": "2024-06-30"' in text


def test_coverage_in_words():
    res = result()
    assert coverage_text(res, "en") == (
        "The shares and indices rest on 5 of 8 active municipal units on 2024-06-30. Left out: "
        "1 outside every area, 2 in areas with zero or unknown dwellings.")
    assert coverage_text(res, "nb") == (
        "Andelene og indeksene bygger på 5 av 8 aktive kommunale boliger per 30.06.2024. "
        "Utelatt: 1 utenfor alle områder, 2 i områder med null eller ukjent antall boliger.")
    inside = analyse(units().iloc[:5], AREAS, dt.date(2024, 6, 30), permutations=0)
    assert coverage_text(inside, "en") == (
        "The shares and indices rest on 5 of 5 active municipal units on 2024-06-30.")


@pytest.mark.parametrize("code", EXCLUSION_REASONS)
def test_every_exclusion_reason_has_words(code):
    nb, en = STRINGS[f"excluded.{code}"]
    assert "{n}" in nb and "{n}" in en and nb != en
    assert tuple(service.EXCLUSION_REASONS) == EXCLUSION_REASONS


# ---------------------------------------------------------------- point 7: x > t, one convention


def test_more_units_than_dwellings_is_fully_municipal_everywhere():
    table = area_table(units(), AREAS).set_index("code")
    # A: 4 units, 3 dwellings reported -> 4 dwellings used, share 1.0 (never 133 %)
    assert table.loc["A", ["units", "dwellings", "dwellings_reported"]].tolist() == [4, 4, 3]
    assert table.loc["A", "share"] == 1.0 and table["units_over_dwellings"].tolist() == [
        True, False, False, False]
    tot = totals(table.reset_index())
    assert tot == {"units": 5.0, "dwellings": 12.0, "share": pytest.approx(5 / 12)}
    # the LQ rests on the same totals: A 1 / (5/12) = 2.4, B (1/8) / (5/12) = 0.3
    assert table.loc["A", "lq"] == pytest.approx(2.4)
    assert table.loc["B", "lq"] == pytest.approx(0.3)
    assert (table["dwellings"] * table["share"]).sum() == pytest.approx(tot["units"])


def test_the_indices_and_gi_star_use_the_table_s_dwellings():
    res = result()
    # D by hand on x = (4, 1), t = (4, 8): P = 5/12,
    # D = (4·7/12 + 8·(5/12 − 1/8)) / (2·12·P(1−P)) = (56/12) / (70/12) = 0.8
    P = 5 / 12
    d = (4 * (1 - P) + 8 * (P - 1 / 8)) / (2 * 12 * P * (1 - P))
    assert d == pytest.approx(0.8)
    assert res.indices["dissimilarity"] == pytest.approx(d, abs=1e-12)
    known = res.areas[np.isfinite(res.areas["share"])]
    again = compute_indices(known["units"].to_numpy(float), known["dwellings"].to_numpy(float))
    assert again["dissimilarity"] == pytest.approx(d, abs=1e-12)
    assert res.totals["dwellings"] == known["dwellings"].sum() == 12
    assert np.nanmax(res.areas["share"]) == 1.0  # what Gi* runs on


def test_the_purchase_test_s_lq_before_agrees_with_the_concentration_page():
    from geoplan.analytics.purchase import build_baseline, evaluate_many
    from geoplan.policy import Policy
    from geoplan.testing.purchase_world import DEMAND

    base = build_baseline(pd.DataFrame(units().drop(columns="geometry")), AREAS, Policy(),
                          DEMAND)
    ev = evaluate_many(base, pd.DataFrame([{"label": "in A", "x": 150.0, "y": 600.0},
                                           {"label": "in B", "x": 1200.0, "y": 600.0}]))
    lq = result().areas.set_index("code")["lq"]
    assert ev["before_location_quotient"].tolist() == pytest.approx([lq["A"], lq["B"]])
    assert ev["before_area_share"].tolist() == pytest.approx([1.0, 1 / 8])


def test_dissimilarity_with_the_raised_count_matches_pysal():
    from segregation.singlegroup import Dissim

    frame = pd.DataFrame({"x": [4.0, 1.0], "t": [4.0, 8.0]})
    assert result().indices["dissimilarity"] == pytest.approx(
        Dissim(frame, group_pop_var="x", total_pop_var="t").statistic, abs=1e-9)


def test_the_data_problem_is_named():
    res = result()
    assert res.data_problems() == (
        Reason("units_over_dwellings", "amber", area="A", count=4, value=3.0),)
    assert data_problem_lines(res, "en") == [
        "Aust: data problem: 4 municipal units in the register but only 3 dwellings in all; "
        "counted as 4 dwellings, 100 % municipal"]
    assert data_problem_lines(res, "nb") == [
        "Aust: datafeil: 4 kommunale boliger i registeret, men bare 3 boliger i alt; "
        "regnet som 4 boliger, 100 % kommunale"]
    assert data_problem_markdown(result(), "en").startswith("Data problem: more municipal")
    assert data_problem_markdown(analyse(units().iloc[4:], AREAS, dt.date(2024, 6, 30),
                                         permutations=0), "en") == ""
    table = area_display_table(res.areas, DEFAULT_UNIT_TYPES, "en").set_index("Code")
    assert table.loc["A", "Share (%)"] == 100.0 and table.loc["A", "All dwellings"] == 4
    assert table.loc["A", "Data problem"].startswith("Aust: data problem: 4 municipal units")
    assert table.loc["B", "Data problem"] == ""


def test_an_area_name_is_escaped_in_the_page_warning():
    areas = AREAS.assign(name=["*Aust*", "Berg", "Ukjent", "Tom"])
    res = analyse(units(), areas, dt.date(2024, 6, 30), permutations=0)
    assert "- \\*Aust\\*: data problem" in data_problem_markdown(res, "en")


# ---------------------------------------------------------------- point 10: explicit dates


def test_undated_units_count_on_every_date_and_are_counted():
    frame = units()
    assert undated_mask(frame).tolist() == [False, False, True] + [False] * 5
    assert active_mask(frame, dt.date(2000, 1, 1)).tolist() == [False, False, True] + [False] * 5
    past = result(dt.date(2012, 1, 1))
    assert past.n_undated() == 1 and past.summary()["n_units_undated"] == 1
    assert past.coverage()["n_units_active"] == 1
    assert undated_text(past, "en") == (
        "Active units without an acquired date: 1. They count as active on every date before "
        "any disposal.")
    dated = analyse(units([ACQUIRED] * 8), AREAS, dt.date(2024, 6, 30), permutations=0)
    assert undated_text(dated, "nb") == "Alle aktive boliger per 30.06.2024 har anskaffelsesdato."


def test_a_past_date_says_how_many_are_undated_today_does_not():
    res = result(dt.date(2024, 6, 30))
    notes = date_notes(res, "en", today=dt.date(2025, 1, 1))
    assert notes == [coverage_text(res, "en"), undated_text(res, "en")]
    assert date_notes(res, "en", today=dt.date(2024, 6, 30)) == [coverage_text(res, "en")]


def test_the_trend_reports_undated_units_and_the_units_in_the_indices():
    frame = units()
    idx = assign_areas(frame.x.to_numpy(), frame.y.to_numpy(), AREAS)
    trend, _ = yearly(frame, AREAS, idx, year_dates(2014, dt.date(2016, 6, 30)))
    # 2014: only the undated u2 (in A); 2015 and 2016: all eight, five of them in the indices
    assert trend["units"].tolist() == [1, 8, 8]
    assert trend["undated"].tolist() == [1, 1, 1]
    assert trend["units_in_indices"].tolist() == [1, 5, 5]
    assert trend_undated_text(trend, "en") == (
        "Units without an acquired date: 1. They count as active in every year of the charts "
        "(until any disposal).")
    table = change_table(trend, 2014, 2015, "en").set_index("Indicator")
    assert table.loc["Without acquired date"].tolist() == ["1", "1", "0"]
    assert table.loc["Municipal units in the indices"].tolist() == ["1", "5", "+4"]
    dated, _ = yearly(units([ACQUIRED] * 8), AREAS, idx, year_dates(2015, dt.date(2016, 1, 1)))
    assert trend_undated_text(dated, "nb") == "Alle boligene i grafene har anskaffelsesdato."


# ---------------------------------------------------------------- the command line


def test_cli_names_coverage_data_problems_and_undated_units(db_url):
    from geoplan.storage.db import get_engine

    engine = get_engine(db_url)
    frame = units()
    records = [unit_record(r.unit_id, 0.0, 0.0, x=r.x + 300_000, y=r.y + 6_750_000,
                           acquired=r.acquired) for r in frame.itertuples()]
    areas = AREAS.assign(geometry=AREAS.translate(300_000, 6_750_000))
    seed_database(engine, records, {"grunnkrets": areas})
    runner = CliRunner()
    res = runner.invoke(app, ["indices", "--json", "--date", "2024-06-30"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert (data["n_units_active"], data["n_units_in_indices"], data["n_units_undated"]) == (
        8, 5, 1)
    assert data["excluded"] == {"outside_areas": 1, "unknown_dwellings": 2}
    assert data["units_over_dwellings"] == ["A"] and data["n_dwellings"] == 12
    res = runner.invoke(app, ["indices", "--date", "2024-06-30", "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert ("The shares and indices rest on 5 of 8 active municipal units on 2024-06-30. "
            "Left out: 1 outside every area, 2 in areas with zero or unknown dwellings.\n"
            "Active units without an acquired date: 1.") in res.stdout
    assert res.stderr == (
        "warning: Aust: data problem: 4 municipal units in the register but only 3 dwellings "
        "in all; counted as 4 dwellings, 100 % municipal\n")
