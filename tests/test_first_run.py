"""The first-run page: an empty database shows it (never a demo loaded by surprise), in both
languages; the demo button loads the demo; a boundary and a register upload reach the map."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from streamlit.testing.v1 import AppTest

from geoplan import service
from geoplan.storage.db import get_engine
from geoplan.testing.paths import BOUNDARY, TEST_DATA
from geoplan.ui.i18n import t

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
TIMEOUT = 120


@pytest.fixture
def empty_db(tmp_path, app_uses) -> str:
    return app_uses(f"sqlite:///{tmp_path}/empty.sqlite")


def run(at: AppTest | None = None) -> AppTest:
    at = at or AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_an_empty_database_shows_the_first_run_page(empty_db, lang):
    at = run()
    if lang == "en":
        at.sidebar.selectbox(key="lang").select("en")
        run(at)
    assert at.title[0].value == t("setup.title", lang)
    assert [s.value for s in at.subheader] == [t("setup.own.header", lang),
                                               t("setup.demo.header", lang)]
    assert at.button(key="setup_demo_button").label == t("setup.demo_button", lang)
    assert "syntetiske" in t("setup.demo_button", "nb")  # clearly labelled synthetic
    assert service.setup_state(get_engine(empty_db)).empty  # nothing loaded by itself


def test_the_demo_button_loads_the_demo(empty_db):
    at = run()
    at.button(key="setup_demo_button").click()
    run(at)
    assert service.setup_state(get_engine(empty_db)).units == 455
    assert at.title[0].value == t("map_title", "nb")  # the normal pages appear


def test_boundary_then_register_reaches_the_map(empty_db, tmp_path):
    path = tmp_path / "grense.geojson"
    gpd.GeoDataFrame({"kommunenummer": ["9999"], "kommunenavn": ["Testkommune"]},
                     geometry=[BOUNDARY], crs=25833).to_crs(4326).to_file(path, driver="GeoJSON")
    at = run()
    at.text_input(key="setup_number").input("9999")
    at.text_input(key="setup_name").input("Testkommune")
    at.file_uploader(key="setup_boundary").set_value(
        ("grense.geojson", path.read_bytes(), "application/geo+json"))
    run(at)
    at.button(key="setup_boundary_button").click()
    run(at)
    assert service.setup_state(get_engine(empty_db)).number == "9999"
    assert at.success[0].value == t("setup.boundary_done", "nb", name="Testkommune",
                                    number="9999")
    # a refused register: a table of problems, never a traceback
    at.file_uploader(key="setup_register").set_value(
        ("boliger.csv", "Bolignr;Øst;Nord\nT-1;abc;6754520\n".encode(), "text/csv"))
    run(at)
    at.button(key="setup_register_button").click()
    run(at)
    assert at.error and len(at.dataframe) == 1
    assert service.setup_state(get_engine(empty_db)).units == 0
    # the good register: the map
    data = (TEST_DATA / "boliger_ok_cp1252.csv").read_bytes()
    at.file_uploader(key="setup_register").set_value(("boliger.csv", data, "text/csv"))
    run(at)
    at.button(key="setup_register_button").click()
    run(at)
    units = service.setup_state(get_engine(empty_db)).units
    assert units > 0
    assert at.title[0].value == t("map_title", "nb")


def test_a_viewer_is_asked_to_find_a_planner(empty_db, monkeypatch):
    from geoplan.roles import Actor
    from streamlit_app import loaders

    monkeypatch.setattr(loaders, "actor", lambda: Actor("v@kommune.no", "viewer"))
    at = run(AppTest.from_file(str(ROOT / "streamlit_app" / "pages" / "first_run.py"),
                               default_timeout=TIMEOUT))
    assert [i.value for i in at.info] == [t("setup.ask_planner", "nb")]
    assert not at.button
