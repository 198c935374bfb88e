"""Import of demand flows per target group and year, and of demand snapshots over time.

Aggregates only: the same atomic import as every other file (a bad row refuses the whole file,
row-numbered problems, personal-data columns refused); re-importing a year (flows) or a date
(snapshots) replaces that year or date only.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from typer.testing import CliRunner

from geoplan import service
from geoplan.cli import app
from geoplan.io.columns import FLOW_COLUMNS, header_key
from geoplan.storage import repo
from geoplan.testing.paths import TEST_DATA

GOOD = TEST_DATA / "strommer_ok_cp1252.csv"
BAD = TEST_DATA / "strommer_feil_cp1252.csv"


def _flows(engine) -> pd.DataFrame:
    return repo.load_flows(engine).set_index(["year", "target_group"])


def test_a_good_file_in_bokmal(engine, admin):
    summary = service.import_file(engine, admin, "flows", GOOD)
    assert (summary.kind, summary.rows) == ("flows", 4)
    flows = _flows(engine)
    assert flows.loc[(2024, "refugees")].tolist() == [15, 6, 3, 1]
    assert flows.loc[(2025, "elderly"), "inflow"] == 4
    assert math.isnan(flows.loc[(2025, "elderly"), "relets"])  # blank: unknown, never 0


def test_english_headers_in_xlsx(engine, tmp_path, admin):
    path = tmp_path / "flows.xlsx"
    pd.DataFrame({"Year": [2023, 2023], "Target group": ["Refugees", "The elderly"],
                  "Inflow": [12, 4], "Allocations": [6, 2], "Withdrawals": [2, 1],
                  "Re-lets": [1, 1]}).to_excel(path, index=False)
    assert service.import_file(engine, admin, "flows", path).rows == 2
    assert _flows(engine).loc[(2023, "elderly")].tolist() == [4, 2, 1, 1]


def test_the_aliases_are_header_keys():
    for aliases in FLOW_COLUMNS.values():
        assert all(header_key(a) == a for a in aliases)


def test_a_bad_file_is_refused_whole_with_every_row_named(engine, admin):
    service.import_file(engine, admin, "flows", GOOD)
    before = repo.load_flows(engine)
    with pytest.raises(service.ImportRefused) as info:
        service.import_file(engine, admin, "flows", BAD)
    problems = info.value.problems
    assert problems[0].startswith("row 2, column 'Målgruppe': 'Pensjonister' is not a known "
                                  "target group")
    assert "row 3, column 'År': '3025' is not a year (1900–2100)" in problems
    assert "row 4, column 'Nye søknader': '-4' is a negative count" in problems
    assert ("row 5, column 'Målgruppe': year 2024 and this target group are already in row 1"
            in problems)
    assert any(p.startswith("row 6, column 'Tildelinger': ") for p in problems)
    assert "row 7, column 'År': missing value" in problems
    assert len(problems) == 6
    pd.testing.assert_frame_equal(repo.load_flows(engine), before)


def test_personal_columns_and_files_without_flows_are_refused(engine, tmp_path, admin):
    personal = tmp_path / "personer.csv"
    personal.write_text("År;Målgruppe;Nye søknader;Saksnummer\n2024;Eldre;4;2024/118\n",
                        encoding="utf-8")
    with pytest.raises(service.ImportRefused, match="'Saksnummer'"):
        service.import_file(engine, admin, "flows", personal)
    nothing = tmp_path / "tomt.csv"
    nothing.write_text("År;Målgruppe\n2024;Eldre\n", encoding="utf-8")
    with pytest.raises(service.ImportRefused, match="no column of flows"):
        service.import_file(engine, admin, "flows", nothing)
    no_group = tmp_path / "uten.csv"
    no_group.write_text("År;Nye søknader\n2024;4\n", encoding="utf-8")
    with pytest.raises(service.ImportRefused, match="missing column for target group"):
        service.import_file(engine, admin, "flows", no_group)
    assert repo.load_flows(engine).empty


def test_reimporting_a_year_replaces_that_year_only(engine, tmp_path, admin):
    service.import_file(engine, admin, "flows", GOOD)
    again = tmp_path / "2025.csv"
    again.write_text("Year;Target group;Inflow\n2025;Youth;9\n", encoding="utf-8")
    service.import_file(engine, admin, "flows", again)
    flows = _flows(engine)
    assert sorted(flows.index) == [(2024, "elderly"), (2024, "refugees"), (2025, "youth")]
    assert flows.loc[(2025, "youth"), "inflow"] == 9
    assert math.isnan(flows.loc[(2025, "youth"), "allocations"])


def test_reimporting_a_demand_date_replaces_that_date_only(engine, tmp_path, admin):
    two = tmp_path / "behov.csv"
    two.write_text("Dato;Målgruppe;Antall husstander\n31.12.2024;Eldre;6\n31.12.2024;Unge;2\n"
                   "31.12.2025;Eldre;8\n", encoding="utf-8")
    assert service.import_file(engine, admin, "demand", two).rows == 3
    one = tmp_path / "ny.csv"
    one.write_text("Dato;Målgruppe;Antall husstander\n31.12.2024;Flyktninger;14\n",
                   encoding="utf-8")
    service.import_file(engine, admin, "demand", one)
    everything = repo.load_demand(engine, latest_only=False)
    by_date = everything.groupby(["snapshot_date", "target_group"])["households"].sum()
    assert by_date.to_dict() == {(dt.date(2024, 12, 31), "refugees"): 14,
                                 (dt.date(2025, 12, 31), "elderly"): 8}
    latest = repo.load_demand(engine)
    assert latest["snapshot_date"].unique().tolist() == [dt.date(2025, 12, 31)]


def test_cli_import_flows(db_url):
    runner = CliRunner()
    out = runner.invoke(app, ["import", "flows", str(GOOD)])
    assert out.exit_code == 0, out.output
    assert "imported 4 flow rows" in out.output
    bad = runner.invoke(app, ["import", "flows", str(BAD)])
    assert bad.exit_code == 1 and "refused, nothing was imported (6 problems)" in bad.output
