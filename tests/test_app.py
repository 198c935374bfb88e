"""The Streamlit app and its pages, run headless with streamlit.testing.v1.AppTest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from shapely.geometry import Point
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from geoplan import service
from geoplan.storage import repo
from geoplan.storage.db import get_engine, make_engine
from geoplan.testing.data import hand_made_units, seed_database, square_areas, to_xy
from geoplan.ui.i18n import t
from streamlit_app.loaders import load_demo

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGES = sorted(str(p) for p in (ROOT / "streamlit_app" / "pages").glob("*.py")
               if p.stem != "__init__")
TIMEOUT = 60


@pytest.fixture
def db_url(tmp_path, app_uses) -> str:
    """An empty temporary database that the app uses."""
    return app_uses(f"sqlite:///{tmp_path}/t.sqlite")


@pytest.fixture
def demo_db(demo_copy, app_uses) -> str:
    """A private copy of the Elverum demo that the app uses (loaded as ``make run`` does)."""
    return app_uses(demo_copy)


@pytest.fixture
def seeded(db_url) -> str:
    """The database with the six hand-made units, two grunnkretser and a synthetic municipality."""
    engine = make_engine(db_url)
    seed_database(engine, hand_made_units(),
                  {"grunnkrets": square_areas(names=["Sentrum", "Leiret"])})
    with Session(engine) as s, s.begin():
        repo.set_municipality(s, "3420", "Elverum", Point(*to_xy(11.56, 60.88)).buffer(5000),
                              synthetic=True)
    engine.dispose()
    return db_url


def run(path: str = APP) -> AppTest:
    at = AppTest.from_file(path, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def texts(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def test_fresh_database_starts(db_url):
    at = run()  # the first-run page: the demo is never loaded by surprise
    assert at.title[0].value == t("setup.title", "nb")
    assert service.setup_state(get_engine(db_url)).empty
    assert load_demo(get_engine(db_url), service.local_actor()) is True  # loaded when asked
    assert len(service.units(get_engine(db_url), dt.date.today())) == 420
    assert load_demo(get_engine(db_url), service.local_actor()) is False  # and not twice
    at.run()
    assert t("showing", "nb", shown=420, total=420) in texts(at)


def with_table(at: AppTest) -> AppTest:
    """Turn on the map page's table (it is off until asked for)."""
    at.toggle(key="map_show_table").set_value(True).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_map_page_shows_counts_table_and_downloads(seeded):
    at = run()
    assert at.title[0].value == t("map_title", "nb")
    assert "Viser 6 av 6 boliger" in texts(at)
    # the table waits until asked for; the downloads are there from the start
    assert len(at.dataframe) == 0 and len(at.get("download_button")) == 2
    assert at.toggle(key="map_show_table").label == "Vis tabellen (6 boliger)"
    with_table(at)
    assert len(at.dataframe) == 1 and len(at.dataframe[0].value) == 6
    assert len(at.get("download_button")) == 2
    assert any("syntetiske" in c.value for c in at.sidebar.caption)


@pytest.mark.parametrize("at_root", [True, False])
def test_the_first_page_opens_at_the_root_and_after_a_deep_link(seeded, at_root):
    """At "/" the map is the default page and runs once; a session that began at a page's
    URL has the hidden start page, which switches to the map (a second run)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["opened_at_root"] = at_root
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == t("map_title", "nb")
    assert "Viser 6 av 6 boliger" in texts(at)


def test_the_map_table_is_still_on_after_another_page(seeded):
    at = with_table(run())
    at.switch_page("streamlit_app/pages/concentration.py").run()
    assert not at.exception and at.title[0].value == t("conc_title", "nb")
    at.switch_page("streamlit_app/pages/map.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.toggle(key="map_show_table").value is True
    assert len(at.dataframe) == 1


def test_map_table_stays_on_and_counts_the_filtered_units(seeded):
    at = with_table(run())
    at.sidebar.multiselect(key="filter_type").select("care").run()
    assert at.toggle(key="map_show_table").value is True
    assert at.toggle(key="map_show_table").label == "Vis tabellen (2 boliger)"
    assert len(at.dataframe[0].value) == 2


def test_language_switch_changes_labels(seeded):
    at = with_table(run())
    assert at.sidebar.multiselect(key="filter_type").label == "Boligtype"
    at.sidebar.selectbox(key="lang").select("en").run()
    assert not at.exception
    assert at.title[0].value == "Map of municipal rental units"
    assert at.sidebar.multiselect(key="filter_type").label == "Unit type"
    assert "Showing 6 of 6 units" in texts(at)
    assert "Care home" in at.dataframe[0].value["Unit type"].tolist()


def test_filters_reduce_the_count(seeded):
    at = with_table(run())
    at.sidebar.multiselect(key="filter_type").select("care").run()
    assert "Viser 2 av 6 boliger" in texts(at)
    at.sidebar.multiselect(key="filter_tenure").select("owned").run()
    assert "Viser 1 av 6 boliger" in texts(at)
    assert at.dataframe[0].value["Bolig-ID"].tolist() == ["H3"]


def test_area_system_can_be_switched_off(seeded):
    at = run()
    box = at.sidebar.selectbox(key="area_system")
    assert box.value == "grunnkrets"
    box.select(None).run()
    assert not at.exception
    assert "Viser 6 av 6 boliger" in texts(at)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: Path(p).stem)
def test_each_page_runs_on_its_own(seeded, page):
    at = run(page)
    # every page has a title; the dashboard draws its own (large, for a projector) as HTML
    assert at.title or any("dash-title" in m.value for m in at.markdown)


# ---------------------------------------------------------------- concentration page


def concentration_page() -> AppTest:
    """The app on the Elverum demo, switched to the concentration page."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("streamlit_app/pages/concentration.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def table_with(at: AppTest, column: str):
    """The first table on the page (shown with show_table) that has ``column``."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_concentration_page_on_the_demo(demo_db):
    at = concentration_page()
    assert at.title[0].value == t("conc_title", "nb")
    indices = table_with(at, "Indeks")
    assert len(indices) == 6 and "Ulikhetsindeks (D)" in indices["Indeks"].tolist()
    reasons = [r for d in at.dataframe if "Merknad" in d.value.columns for r in d.value["Merknad"]]
    assert "Lillemoen: 14,0 % kommunale boliger (tak 10 %)" in reasons
    assert metric(at, "Kommunale boliger") == "420"
    assert len(at.get("download_button")) == 4  # per-unit and per-area tables, CSV and XLSX
    assert any(m.value.startswith("**D har") for m in at.markdown)  # the trend in words


def test_concentration_page_radius_is_configurable(demo_db):
    at = concentration_page()
    units = next(d.value for d in at.dataframe if "Innen 500 m" in d.value.columns)
    assert len(units) == 420
    at.sidebar.number_input(key="conc_radius").set_value(1000).run()
    assert not at.exception
    wider = next(d.value for d in at.dataframe if "Innen 1000 m" in d.value.columns)
    by_id = units.set_index("Bolig-ID")["Innen 500 m"]
    assert (wider.set_index("Bolig-ID")["Innen 1000 m"] >= by_id.reindex(wider["Bolig-ID"])
            .to_numpy()).all()


def test_concentration_page_in_english(demo_db, monkeypatch):
    calls = []

    def counted(name):
        real = getattr(service, name)
        monkeypatch.setattr(service, name, lambda *a, **k: calls.append(name) or real(*a, **k))

    counted("concentration_result")
    counted("trend")
    at = concentration_page()
    assert sorted(calls) == ["concentration_result", "trend"]
    at.sidebar.selectbox(key="lang").select("en").run()
    assert not at.exception
    assert at.title[0].value == "Concentration of municipal rental units"
    assert "Dissimilarity (D)" in table_with(at, "Index")["Index"].tolist()
    reasons = [r for d in at.dataframe if "Reason" in d.value.columns for r in d.value["Reason"]]
    assert "Lillemoen: 14.0 % municipal dwellings (cap 10 %)" in reasons
    assert any(m.value.startswith("**D has") for m in at.markdown)
    assert sorted(calls) == ["concentration_result", "trend"]  # the words came from the cache


def test_saving_a_lower_cap_flags_more_areas(demo_db):
    at = concentration_page()
    before = int(metric(at, "Områder over taket"))
    at.number_input(key="policy_max_area_share").set_value(5.0)
    at.form_submit_button(key="policy_save").click().run()
    assert not at.exception, [e.message for e in at.exception]
    # "Lagre tak" only shows the change, old → new; nothing is stored before "Bekreft"
    changes = table_with(at, "Tak")
    assert changes.to_dict("records") == [
        {"Tak": "Største andel kommunale boliger i et område (%)", "Nå": "10 %", "Nytt": "5 %"}]
    assert repo.policy(get_engine(demo_db)).max_area_share == pytest.approx(0.10)
    assert int(metric(at, "Områder over taket")) == before
    at.button(key="policy_confirm").click().run()
    assert not at.exception, [e.message for e in at.exception]
    after = int(metric(at, "Områder over taket"))
    assert after > before == 1
    assert repo.policy(get_engine(demo_db)).max_area_share == pytest.approx(0.05)
    assert any(s.value == "Takene er lagret." for s in at.success)


def test_concentration_page_names_left_out_units_data_problems_and_undated_units(db_url):
    """Issue 8 (6, 7, 10): H1–H5 in a square with 3 dwellings, H6 in one with unknown dwellings,
    H7 outside every area, H2 without an acquired date."""
    from geoplan.testing.data import ELVERUM, unit_record

    units = hand_made_units()
    units[1]["acquired"] = None
    units.append(unit_record("H7", ELVERUM[0] + 0.2, ELVERUM[1]))
    areas = square_areas(names=["Sentrum *nord*", "Leiret", "Vestad"])
    areas["dwellings"] = [3, None, 500]
    engine = make_engine(db_url)
    seed_database(engine, units, {"grunnkrets": areas})
    engine.dispose()
    at = concentration_page()
    captions = [c.value for c in at.caption]
    today = f"{dt.date.today():%d.%m.%Y}"
    assert (f"Andelene og indeksene bygger på 5 av 7 aktive kommunale boliger per {today}. "
            "Utelatt: 1 utenfor alle områder, 1 i områder med null eller ukjent antall boliger."
            ) in captions
    assert metric(at, "Kommunale boliger") == "7"
    warning = at.warning[0].value
    assert warning.startswith("Datafeil: flere kommunale boliger enn boliger i alt.")
    assert ("- Sentrum \\*nord\\*: datafeil: 5 kommunale boliger i registeret, men bare 3 boliger "
            "i alt; regnet som 5 boliger, 100 % kommunale") in warning
    assert any(c.startswith("Boliger uten anskaffelsesdato: 1.") for c in captions)
    at.sidebar.date_input(key="conc_date").set_value(dt.date(2020, 1, 1)).run()
    assert not at.exception, [e.message for e in at.exception]
    assert any(c.endswith("Aktive boliger uten anskaffelsesdato: 1. De regnes som aktive på alle "
                          "datoer før et eventuelt salg.") for c in (c.value for c in at.caption))


def test_a_refused_cap_shows_a_translated_message(demo_db, monkeypatch):
    def refuse(engine, actor, **values):
        raise service.PolicyError([("max_per_building", "negative")])

    at = concentration_page()
    monkeypatch.setattr(service, "set_policy", refuse)
    at.number_input(key="policy_max_per_building").set_value(3)
    at.form_submit_button(key="policy_save").click().run()
    at.button(key="policy_confirm").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert [e.value for e in at.error] == [
        "Takene ble ikke lagret: Flest kommunale boliger i samme bygning/borettslag: "
        "må være null eller mer"]
    assert not at.success


def test_a_failing_page_shows_a_short_message_and_logs_the_details(seeded, monkeypatch, caplog):
    """No traceback reaches a page: a broken database gives one sentence; the log has the rest."""
    import sqlite3

    from streamlit_app import errors

    monkeypatch.setattr(errors, "RAISE", False)
    path = seeded.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE unit_changes")
        conn.execute("DROP TABLE units")
    with caplog.at_level("ERROR", logger="geoplan.app"):
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [t("error.page", "nb")]
    assert "units" in caplog.text and "Traceback" in caplog.text
    shown = " ".join(str(m.value) for m in (*at.markdown, *at.error, *at.caption))
    assert "Traceback" not in shown and "sqlite" not in shown.lower()
