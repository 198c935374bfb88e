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
from geoplan.io.problems import codes, problem
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
    # spreadsheet rows: the header is row 1, the first data row (2024 refugees) row 2
    assert [(p.code, p.row, p.column) for p in problems] == [
        ("unknown_code", 3, "Målgruppe"),
        ("not_a_year", 4, "År"),
        ("negative", 5, "Nye søknader"),
        ("duplicate_year_group", 6, "Målgruppe"),
        ("not_whole", 7, "Tildelinger"),
        ("missing_value", 8, "År"),
    ]
    assert problems[0].details["value"] == "Pensjonister"
    assert problems[0].details["field"] == "target_group"
    assert problems[1].details == {"value": "3025", "first": 1900, "last": 2100}
    assert problems[2].details == {"value": "-4"}
    assert problems[3].details == {"year": 2024, "group": "refugees", "first_row": 2}
    assert problems[4].details == {"value": "1,5"}
    assert all(p.unit_id is None and not p.warning for p in problems)
    pd.testing.assert_frame_equal(repo.load_flows(engine), before)


def test_personal_columns_and_files_without_flows_are_refused(engine, tmp_path, admin):
    personal = tmp_path / "personer.csv"
    personal.write_text("År;Målgruppe;Nye søknader;Saksnummer\n2024;Eldre;4;2024/118\n",
                        encoding="utf-8")
    with pytest.raises(service.ImportRefused) as info:
        service.import_file(engine, admin, "flows", personal)
    assert info.value.problems == [problem("personal_header", column="Saksnummer", kind="case")]
    nothing = tmp_path / "tomt.csv"
    nothing.write_text("År;Målgruppe\n2024;Eldre\n", encoding="utf-8")
    with pytest.raises(service.ImportRefused) as info:
        service.import_file(engine, admin, "flows", nothing)
    assert codes(info.value.problems) == ["no_flow_columns"]
    no_group = tmp_path / "uten.csv"
    no_group.write_text("År;Nye søknader\n2024;4\n", encoding="utf-8")
    with pytest.raises(service.ImportRefused) as info:
        service.import_file(engine, admin, "flows", no_group)
    (missing,) = info.value.problems
    assert (missing.code, missing.details["field"]) == ("missing_column", "target_group")
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


def test_cli_import_flows(db_url, monkeypatch):
    runner = CliRunner()
    out = runner.invoke(app, ["import", "flows", str(GOOD)])
    assert out.exit_code == 0, out.output
    assert "imported 4 flow rows" in out.output
    monkeypatch.delenv("GEOPLAN_LANG", raising=False)  # bokmål by default
    bad = runner.invoke(app, ["import", "flows", str(BAD)])
    assert bad.exit_code == 1
    assert "strommer_feil_cp1252.csv ble avvist, ingenting ble importert (6 feil)" in bad.output
    assert "  rad 4, kolonne «År»: «3025» er ikke et årstall (1900–2100)\n" in bad.output
    assert "  rad 8, kolonne «År»: mangler verdi" in bad.output
    monkeypatch.setenv("GEOPLAN_LANG", "en")
    bad = runner.invoke(app, ["import", "flows", str(BAD)])
    assert bad.exit_code == 1
    assert "refused, nothing was imported (6 problems)" in bad.output
    assert "  row 5, column “Nye søknader”: “-4” is negative\n" in bad.output
