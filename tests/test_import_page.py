"""The one import dispatcher (service.import_file) behind the CLI and the import page.

Every kind imports a good file and refuses a bad one whole; the grid's cell size is an explicit
choice that `geoplan import grid --size 1000` and the page's 1 km radio both pass through.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from geoplan import service
from geoplan.cli import app
from geoplan.io.problems import problem as _problem
from geoplan.service.imports import IMPORTERS
from geoplan.ssb_grid import ssb_id
from geoplan.storage import repo
from geoplan.storage.db import get_engine, make_engine
from geoplan.testing.paths import BOUNDARY, TEST_DATA
from geoplan.ui.i18n import area_system_label, t
from geoplan.ui.import_text import PROBLEMS, import_summary, problem_text

PAGE = Path(__file__).resolve().parents[1] / "streamlit_app" / "pages" / "import_export.py"
SQUARES = gpd.GeoDataFrame(
    {"kode": ["01", "02"], "navn": ["Vest", "Øst"], "befolkning": [1200, 800]},
    geometry=[shapely.box(310_000, 6_750_000, 313_000, 6_758_000),
              shapely.box(313_000, 6_750_000, 316_000, 6_758_000)], crs=25833)


def _grid_csv(size: int) -> str:
    """Two inhabited SSB cells of ``size`` inside the test boundary."""
    ids = ssb_id(np.array([311_500.0, 314_500.0]), np.array([6_752_500.0, 6_755_500.0]), size)
    return f"ssbid_{size}m;befolkning;boliger\n" + "".join(f"{i};10;4\n" for i in ids)


def _write(tmp_path: Path, name: str, content) -> Path:
    path = tmp_path / name
    if isinstance(content, gpd.GeoDataFrame):
        content.to_file(path)
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# kind -> (good file, its options, rows imported, a bad file, a problem of the bad file);
# rows are spreadsheet rows (the header is row 1, the first data row row 2; a spatial file's
# first feature is row 2 too)
CASES = {
    "units": ("boliger.csv", (TEST_DATA / "boliger_ok_cp1252.csv").read_bytes(),
              {"crs": "EPSG:25833"}, 3,
              (TEST_DATA / "boliger_feil_cp1252.csv").read_bytes(),
              _problem("not_a_number", 3, "Øst", "T-2", value="abc")),
    "areas": ("grunnkretser.geojson", SQUARES, {"system": "grunnkrets"}, 2,
              SQUARES.assign(kode=["01", "01"]),
              _problem("duplicate_id", 3, "kode", value="01", first_row=2)),
    "boundary": ("kommune.geojson", SQUARES.iloc[:1], {}, 1,
                 "kode;navn\n01;Vest\n", _problem("no_polygons")),
    "demand": ("behov.csv", "Dato;Målgruppe;Antall husstander\n01.10.2026;Eldre;4\n"
                            "01.10.2026;Ungdom;2\n", {}, 2,
               "Dato;Målgruppe;Antall husstander\n01.10.2026;Eldre;-3\n",
               _problem("negative", 2, "Antall husstander", value="-3")),
    "grid": ("rutenett.csv", _grid_csv(1000), {"size": 1000}, 2,
             "ssbid_1000m;befolkning\n123;4\n",
             _problem("grid_id_invalid", 2, "ssbid_1000m", value="123", size=1000)),
    "addresses": ("adresser.csv", "adressenavn;nummer;postnummer;poststed;Nord;Øst\n"
                                  "Storgata;12;2406;ELVERUM;6754520;313440\n",
                  {"crs": "EPSG:25833"}, 1,
                  "adressenavn;nummer;Nord;Øst\nStorgata;12;abc;313440\n",
                  _problem("not_a_number", 2, "Nord", value="abc")),
    "services": ("tjenester.csv", "navn;kategori;Øst;Nord\nHanstad skole;skole;315054;6753592\n",
                 {}, 1, "navn;kategori;Øst;Nord\nHanstad skole;;315054;6753592\n",
                 _problem("missing_value", 2, "kategori")),
    "flows": ("strommer.csv", (TEST_DATA / "strommer_ok_cp1252.csv").read_bytes(), {}, 4,
              (TEST_DATA / "strommer_feil_cp1252.csv").read_bytes(),
              _problem("negative", 5, "Nye søknader", value="-4")),
}


def test_the_dispatcher_knows_every_kind():
    assert set(IMPORTERS) == set(CASES) == {"units", "areas", "boundary", "demand", "grid",
                                            "addresses", "services", "flows"}
    assert IMPORTERS["grid"].sizes == (250, 1000)
    assert [k for k, spec in IMPORTERS.items() if spec.takes_crs] == ["units", "areas",
                                                                      "boundary", "addresses"]


@pytest.mark.parametrize("kind", list(CASES))
def test_every_kind_imports_a_good_file_and_refuses_a_bad_one(kind, bounded, tmp_path, admin):
    name, good, options, rows, bad, problem = CASES[kind]
    summary = service.import_file(bounded, admin, kind, _write(tmp_path, name, good), **options)
    assert (summary.kind, summary.filename, summary.rows) == (kind, name, rows)
    for lang in ("nb", "en"):
        assert import_summary(summary, lang)
    suffix = ".csv" if isinstance(bad, str | bytes) else Path(name).suffix
    with pytest.raises(service.ImportRefused) as info:
        service.import_file(bounded, admin, kind, _write(tmp_path, f"feil{suffix}", bad), **options)
    assert problem in info.value.problems
    for lang in ("nb", "en"):  # every problem has its words, in both languages
        for p in info.value.problems:
            assert PROBLEMS[p.code][lang == "en"] and problem_text(p, lang, info.value.filename)


def test_summary_of_units_and_unknown_kinds(bounded, admin):
    summary = service.import_file(bounded, admin, "units", TEST_DATA / "boliger_ok_cp1252.csv",
                                  crs="EPSG:25833")
    assert (summary.created, summary.updated, summary.unchanged) == (3, 0, 0)
    assert import_summary(summary, "en") == "3 rows: 3 new, 0 updated, 0 unchanged"
    assert import_summary(summary, "nb") == "3 rader: 3 nye, 0 endret, 0 uendret"
    with pytest.raises(service.ImportRefused) as info:
        service.import_file(bounded, admin, "units", TEST_DATA / "boliger_feil_cp1252.csv",
                            crs="EPSG:25833")
    assert len(info.value.problems) == 7
    assert len(repo.load_units(bounded)) == 3
    with pytest.raises(ValueError, match="unknown kind"):
        service.import_file(bounded, admin, "tenants", TEST_DATA / "boliger_ok_cp1252.csv")


def test_summary_words_have_plurals(bounded, tmp_path, admin):
    path = _write(tmp_path, "t.csv", "navn;kategori;Øst;Nord\nSkole;skole;315054;6753592\n")
    one = service.import_file(bounded, admin, "services", path)
    assert import_summary(one, "en") == "1 service point"
    assert import_summary(one, "nb") == "1 tjenestepunkt"
    areas = service.import_file(bounded, admin, "areas", _write(tmp_path, "delomrader.geojson", SQUARES))
    assert areas.system == "delomrader"  # from the file name
    assert import_summary(areas, "en") == "2 areas in the area system “delomrader”"


def test_grid_size_is_explicit(bounded, tmp_path, admin):
    path = _write(tmp_path, "rutenett.csv", _grid_csv(1000))
    for size in (None, 500):
        with pytest.raises(ValueError, match=r"grid size must be one of \[250, 1000\] m"):
            service.import_file(bounded, admin, "grid", path, size=size)
    # the system name no longer chooses the size: a 1 km file stays 1 km under any name
    summary = service.import_file(bounded, admin, "grid", path, size=1000, system="rutenett")
    assert (summary.system, summary.size) == ("rutenett", 1000)
    assert repo.load_areas(bounded, "rutenett").geometry.area.tolist() == [1e6, 1e6]


@pytest.fixture
def grid_calls(monkeypatch) -> list[int]:
    """Record the cell size of every grid import that goes through the dispatcher."""
    calls: list[int] = []
    spec = IMPORTERS["grid"]

    def spy(engine, path, filename, options):
        calls.append(options.size)
        return spec.run(engine, path, filename, options)

    monkeypatch.setitem(IMPORTERS, "grid", dataclasses.replace(spec, run=spy))
    return calls


@pytest.fixture
def app_db(db_url, forget_app_caches) -> str:
    """The app's database (GEOPLAN_DATABASE_URL) with the test municipality, so no demo loads."""
    engine = make_engine(db_url)
    with Session(engine) as s, s.begin():
        repo.set_municipality(s, "9999", "Testkommune", BOUNDARY)
    engine.dispose()
    forget_app_caches()
    yield db_url
    forget_app_caches()


def _page() -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_cli_grid_size_1000_makes_1_km_cells(app_db, grid_calls, tmp_path):
    path = _write(tmp_path, "rutenett.csv", _grid_csv(1000))
    res = CliRunner().invoke(app, ["import", "grid", str(path), "--size", "1000"])
    assert res.exit_code == 0, res.output
    assert "imported 2 SSB 1000 m grid cells" in res.output
    assert grid_calls == [1000]
    assert repo.load_areas(get_engine(), "ssb1km").geometry.area.tolist() == [1e6, 1e6]


def test_page_1_km_choice_makes_1_km_cells(app_db, grid_calls):
    at = _page()
    at.selectbox(key="import_kind").select("grid").run()
    assert at.radio(key="import_size").options == [area_system_label("ssb250m", "nb"),
                                                   area_system_label("ssb1km", "nb")]
    at.radio(key="import_size").set_value(1000).run()
    at.file_uploader(key="import_upload").set_value(
        ("rutenett.csv", _grid_csv(1000).encode(), "text/csv")).run()
    at.button(key="import_button").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert grid_calls == [1000]
    assert at.success[0].value.startswith("Importert: 2 SSB-ruter på 1000 m")
    assert repo.load_areas(get_engine(), "ssb1km").geometry.area.tolist() == [1e6, 1e6]


def _import_bad_units(at) -> None:
    """Upload the register with seven problems and press import."""
    at.file_uploader(key="import_upload").set_value(
        ("boliger.csv", (TEST_DATA / "boliger_feil_cp1252.csv").read_bytes(), "text/csv")).run()
    at.button(key="import_button").click().run()


def test_page_shows_every_problem_of_a_refused_file(app_db):
    at = _page()
    _import_bad_units(at)
    assert not at.exception, [e.message for e in at.exception]
    assert at.error[0].value == t("import_refused", "nb", name="boliger.csv",
                                  problems="7 feil")
    (table,) = at.dataframe
    rows = table.value
    assert list(rows.columns) == ["Rad", "Bolig-ID", "Kolonne", "Problem"]
    assert len(rows) == 7  # every problem at once, one row each
    first = rows.iloc[0]
    assert (first["Rad"], first["Bolig-ID"], first["Kolonne"], first["Problem"]) == (
        3, "T-2", "Øst", "«abc» er ikke et tall")
    assert rows["Rad"].tolist() == [3, 4, 5, 6, 7, 7, 8]
    at.session_state["lang"] = "en"  # what the app's language switch sets
    at.run()
    _import_bad_units(at)
    assert not at.exception, [e.message for e in at.exception]
    assert at.error[0].value == t("import_refused", "en", name="boliger.csv",
                                  problems="7 problems")
    rows = at.dataframe[0].value
    assert list(rows.columns) == ["Row", "Unit id", "Column", "Problem"]
    assert rows.iloc[0].tolist() == [3, "T-2", "Øst", "“abc” is not a number"]
    assert repo.load_units(get_engine()).empty


def test_import_page_lists_every_kind_and_the_export(app_db):
    at = _page()
    assert at.title[0].value == "Importer og eksporter"
    kinds = at.selectbox(key="import_kind")
    assert kinds.options == [t(f"kind.{k}", "nb") for k in IMPORTERS]
    kinds.select("areas").run()
    assert at.text_input(key="import_system").value in ("", None)  # never overwrite by default
    assert len(at.get("download_button")) == 1
