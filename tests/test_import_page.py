"""The import page and the importer registry: a refused file shows every row, a good one imports."""

from __future__ import annotations

import pytest

from geoplan.io.errors import ImportRefused
from geoplan.io.registry import IMPORTERS, import_file
from geoplan.storage import repo
from geoplan.ui.i18n import t
from tests.conftest import DATA
from tests.test_app import ROOT, db_url, run, seeded  # noqa: F401 (fixtures)


def test_registry_runs_every_kind_by_name(bounded):
    assert set(IMPORTERS) == {"units", "areas", "boundary", "demand", "grid", "addresses",
                              "services"}
    summary = import_file(bounded, "units", DATA / "boliger_ok_cp1252.csv", crs="EPSG:25833")
    assert summary == "3 rows: 3 new, 0 updated, 0 unchanged"
    with pytest.raises(ImportRefused) as info:
        import_file(bounded, "units", DATA / "boliger_feil_cp1252.csv", crs="EPSG:25833")
    assert len(info.value.problems) == 7
    assert len(repo.load_units(bounded)) == 3
    with pytest.raises(ValueError, match="unknown kind"):
        import_file(bounded, "tenants", DATA / "boliger_ok_cp1252.csv")


def test_import_page_lists_every_kind_and_the_export(seeded):  # noqa: F811
    at = run(str(ROOT / "streamlit_app" / "pages" / "import_export.py"))
    assert at.title[0].value == "Importer og eksporter"
    kinds = at.selectbox(key="import_kind")
    assert kinds.options == [t(f"kind.{k}", "nb") for k in IMPORTERS]
    kinds.select("areas").run()
    assert at.text_input(key="import_system").value in ("", None)  # never overwrite by default
    assert len(at.get("download_button")) == 1
