"""Re-imports a planner can act on: units missing from the file, every problem at once.

The test register (tests/data/boliger_ok_cp1252.csv) holds T-1 and T-2, active, and T-3,
disposed of on 01.09.2020.  A re-import with T-1 alone lacks T-2 (active), and T-3 (already
disposed, so not missing).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from geoplan import service
from geoplan.cli import app
from geoplan.storage import repo
from geoplan.storage.db import get_engine, make_engine
from geoplan.testing.paths import BOUNDARY, TEST_DATA
from geoplan.ui.i18n import t
from geoplan.ui.import_text import units_count

PRE = TEST_DATA / "boliger_ok_cp1252.csv"
PAGE = Path(__file__).resolve().parents[1] / "streamlit_app" / "pages" / "import_export.py"


def _only_t1(tmp_path: Path) -> Path:
    lines = PRE.read_bytes().decode("cp1252").splitlines()
    path = tmp_path / "boliger_t1.csv"
    path.write_text("\n".join([lines[0], lines[1]]) + "\n", encoding="utf-8")
    return path


def test_reimport_lists_the_active_units_missing_from_the_file(bounded, admin, tmp_path):
    service.import_file(bounded, admin, "units", PRE, crs="EPSG:25833")
    summary = service.import_file(bounded, admin, "units", _only_t1(tmp_path), crs="EPSG:25833")
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 1)
    assert summary.missing == ["T-2"] and summary.disposed == []
    units = repo.load_units(bounded).set_index("unit_id")
    assert units.loc["T-2"].disposed is None  # report (the default) changes nothing


def test_reimport_disposes_of_the_missing_units_on_a_date(bounded, admin, tmp_path):
    service.import_file(bounded, admin, "units", PRE, crs="EPSG:25833")
    when = dt.date(2026, 6, 30)
    summary = service.import_file(bounded, admin, "units", _only_t1(tmp_path), crs="EPSG:25833",
                                  missing="dispose", dispose_date=when)
    assert summary.missing == summary.disposed == ["T-2"]
    units = repo.load_units(bounded).set_index("unit_id")
    assert units.loc["T-2"].disposed == when
    assert units.loc["T-3"].disposed == dt.date(2020, 9, 1)  # disposed before: untouched
    history = repo.unit_history(bounded, "T-2")
    assert history.iloc[-1][["field", "new"]].tolist() == ["disposed", "2026-06-30"]
    # and the next re-import no longer lists it
    again = service.import_file(bounded, admin, "units", _only_t1(tmp_path), crs="EPSG:25833")
    assert again.missing == []


def test_disposing_before_acquisition_refuses_the_whole_import(bounded, admin, tmp_path):
    service.import_file(bounded, admin, "units", PRE, crs="EPSG:25833")
    with pytest.raises(service.ImportRefused) as info:  # T-2 was acquired on 15.06.2019
        service.import_file(bounded, admin, "units", _only_t1(tmp_path), crs="EPSG:25833",
                            missing="dispose", dispose_date=dt.date(2019, 1, 1))
    assert [(p.code, p.unit_id, p.details) for p in info.value.problems] == [
        ("dispose_before_acquired", "T-2",
         {"acquired": dt.date(2019, 6, 15), "disposed": dt.date(2019, 1, 1)})]
    assert repo.load_units(bounded).set_index("unit_id").loc["T-2"].disposed is None
    with pytest.raises(service.ImportRefused) as info:
        service.import_file(bounded, admin, "units", _only_t1(tmp_path), missing="dispose")
    assert [p.code for p in info.value.problems] == ["dispose_date_missing"]


def test_a_personal_column_does_not_hide_the_row_problems(bounded, admin, tmp_path):
    """Every problem at once: the personal-data column and the bad rows, in one refusal."""
    path = tmp_path / "boliger.csv"
    path.write_text("Bolignr;Adresse;Øst;Nord;Boligtype;Eierform;Leietaker\n"
                    "A-1;Storgata 1;abc;6754520;Omsorgsbolig;Eid;\n"
                    "A-2;Storgata 2;313440;6754520;Slott;Eid;\n", encoding="utf-8")
    with pytest.raises(service.ImportRefused) as info:
        service.import_file(bounded, admin, "units", path, crs="EPSG:25833")
    assert [(p.code, p.row, p.column, p.unit_id) for p in info.value.problems] == [
        ("personal_header", None, "Leietaker", None),
        ("not_a_number", 2, "Øst", "A-1"),
        ("unknown_code", 3, "Boligtype", "A-2")]


@pytest.fixture
def app_db(db_url, forget_app_caches, admin) -> str:
    """The app's database with the test municipality and the test register imported."""
    engine = make_engine(db_url)
    with Session(engine) as s, s.begin():
        repo.set_municipality(s, "9999", "Testkommune", BOUNDARY)
    service.import_file(engine, admin, "units", PRE, crs="EPSG:25833")
    engine.dispose()
    forget_app_caches()
    yield db_url
    forget_app_caches()


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_page_lists_and_disposes_of_the_missing_units(app_db, tmp_path, lang):
    data = _only_t1(tmp_path).read_bytes()
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    at.file_uploader(key="import_upload").set_value(("boliger.csv", data, "text/csv")).run()
    at.button(key="import_button").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert [i.value for i in at.info] == [
        t("import_missing_found", lang, units=units_count(1, lang), date="")]
    assert at.dataframe[-1].value.iloc[:, 0].tolist() == ["T-2"]
    # dispose of it on a chosen date
    at.radio(key="import_missing").set_value("dispose").run()
    at.date_input(key="import_missing_date").set_value(dt.date(2026, 6, 30)).run()
    at.button(key="import_button").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert [i.value for i in at.info] == [
        t("import_missing_disposed", lang, units=units_count(1, lang),
          date={"nb": "30.06.2026", "en": "2026-06-30"}[lang])]
    units = repo.load_units(get_engine()).set_index("unit_id")
    assert units.loc["T-2"].disposed == dt.date(2026, 6, 30)


def test_cli_lists_and_disposes_of_the_missing_units(app_db, tmp_path):
    path = _only_t1(tmp_path)
    res = CliRunner().invoke(app, ["import", "units", str(path)])
    assert res.exit_code == 0, res.output
    assert "1 unit in the register not in the file (still active): T-2" in res.output
    res = CliRunner().invoke(app, ["import", "units", str(path), "--missing", "dispose",
                                   "--date", "2026-06-30"])
    assert res.exit_code == 0, res.output
    assert "1 unit in the register disposed of: T-2" in res.output
    res = CliRunner().invoke(app, ["import", "units", str(path), "--missing", "sell"])
    assert res.exit_code == 1


def test_the_audit_row_counts_the_missing_and_disposed_units(bounded, admin, tmp_path):
    service.import_file(bounded, admin, "units", PRE, crs="EPSG:25833")
    service.import_file(bounded, admin, "units", _only_t1(tmp_path), crs="EPSG:25833",
                        missing="dispose", dispose_date=dt.date(2026, 6, 30))
    last = repo.audit_rows(bounded, action="import").iloc[-1]
    assert last["counts"] == {"rows": 1, "created": 0, "updated": 0, "unchanged": 1,
                              "missing": 1, "disposed": 1}
