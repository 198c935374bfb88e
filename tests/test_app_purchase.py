"""The purchase test and purchase plan pages on the Elverum demo, run headless with AppTest."""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from geoplan.crs import to_display
from geoplan.demo.load import demo_files
from geoplan.service import scenario_names
from geoplan.storage import repo
from geoplan.storage.db import make_engine
from streamlit_app.apptest import open_page, rerun

pytestmark = pytest.mark.skipif(not demo_files()["candidates"].exists(),
                                reason="the demo's data files are not there")


def verdict_box(at: AppTest) -> tuple[str, str]:
    """The one verdict box on the page: (its colour, its text)."""
    boxes = [("red", b.value) for b in at.error] + [("amber", b.value) for b in at.warning] \
        + [("green", b.value) for b in at.success]
    assert len(boxes) == 1, boxes
    return boxes[0]


def test_typed_coordinates_in_lillemoen_are_not_green(demo_url):
    areas = repo.load_areas(make_engine(demo_url), "grunnkrets").set_index("name")
    point = areas.geometry["Lillemoen"].representative_point()
    lon, lat = to_display(np.array([point.x]), np.array([point.y]))
    at = open_page("streamlit_app/pages/purchase.py")
    assert at.title[0].value.startswith("Kjøpstest")
    at.text_input(key="cand_coords").input(f"{lat[0]:.6f} {lon[0]:.6f}".replace(".", ","))
    rerun(at)
    assert "Tolket som breddegrad/lengdegrad." in [c.value for c in at.caption]
    verdict, text = verdict_box(at)
    assert verdict == "red"
    assert text.startswith("**Rødt – bryter: Lillemoen er allerede over taket på 10 %")
    assert "**Bryter**" in text
    before_after = at.dataframe[0].value.set_index("Mål")
    assert before_after.loc["Kommunale boliger innen 250 m", "Endring"] == "+1"


def typed(lat: float, lon: float) -> AppTest:
    """The purchase page with ``lat`` and ``lon`` typed into the coordinate field."""
    at = open_page("streamlit_app/pages/purchase.py")
    at.text_input(key="cand_coords").input(f"{lat}, {lon}")
    return rerun(at)


def test_a_point_in_oslo_is_red_outside_the_municipality(demo_url):
    verdict, text = verdict_box(typed(59.91, 10.75))
    assert verdict == "red"
    assert text.startswith("**Rødt – bryter: ligger utenfor Elverum")
    assert "ukjent" not in text


def test_the_coordinate_field_says_what_it_understood(demo_url):
    at = typed(6754524.568, 313438.172)
    assert "Tolket som Nord/Øst i EPSG:25833." in [c.value for c in at.caption]
    verdict_box(at)  # evaluated, no traceback
    east_north = open_page("streamlit_app/pages/purchase.py")
    east_north.text_input(key="cand_coords").input("313440 6754520")
    rerun(east_north)
    assert "Tolket som Øst/Nord i EPSG:25833." in [c.value for c in east_north.caption]
    verdict_box(east_north)
    swapped = typed(11.5623, 60.8819)
    assert "Tolket som lengdegrad/breddegrad (byttet om)." in [c.value for c in swapped.caption]
    english = open_page("streamlit_app/pages/purchase.py")
    english.sidebar.selectbox(key="lang").select("en")
    rerun(english)
    english.text_input(key="cand_coords").input("313440 6754520")
    rerun(english)
    assert "Read as east/north in EPSG:25833." in [c.value for c in english.caption]


def test_a_field_without_two_numbers_is_refused_in_words(demo_url):
    at = open_page("streamlit_app/pages/purchase.py")
    at.text_input(key="cand_coords").input("Storgata")
    rerun(at)
    assert [e.value for e in at.error] == [
        "Skriv to tall: breddegrad og lengdegrad (f.eks. 60,88 11,56) eller Øst og Nord "
        "(f.eks. 313440 6754520)."]


def test_numbers_that_are_no_coordinates_are_refused_in_words(demo_url):
    at = typed(1000.0, 5.0)
    assert [e.value for e in at.error] == [
        "Tallene er verken bredde- og lengdegrad eller UTM-koordinater (EPSG:25832, 25833 eller "
        "25835) for et sted i Norge. Skriv breddegrad (f.eks. 60,88) og lengdegrad (f.eks. "
        "11,56), eller klikk i kartet."]
    assert not at.warning and not at.success


def test_address_search_finds_storgata_12_and_shows_the_building_cap(demo_url):
    at = open_page("streamlit_app/pages/purchase.py")
    at.text_input(key="addr_query").input("Storgt. 12")  # abbreviated, found as typed
    rerun(at)
    pick = at.radio(key="addr_pick")
    assert pick.options[0] == "Storgata 12, 2406 ELVERUM"
    pick.set_value("Storgata 12, 2406 ELVERUM")
    rerun(at)
    assert at.text_input(key="cand_label").value == "Storgata 12"
    assert at.text_input(key="cand_building").value  # the register's building at the address
    verdict, text = verdict_box(at)
    assert verdict == "red"
    assert "blir kommunal bolig nr. 15 i Storgata 12 (tak 2)" in text


def test_selling_a_unit_is_evaluated(demo_url):
    at = open_page("streamlit_app/pages/purchase.py")
    at.radio(key="purchase_action").set_value("sell")
    rerun(at)
    box = at.selectbox(key="sale_unit")
    box.select(box.options[0])
    rerun(at)
    assert "→" in verdict_box(at)[1]


def test_demo_candidates_are_ranked_with_downloads(demo_url):
    at = open_page("streamlit_app/pages/purchase.py")
    at.button(key="purchase_demo").click()
    rerun(at)
    assert any(m.value.startswith("60 kandidater:") for m in at.markdown)
    ranked = next(d.value for d in at.dataframe if "Rang" in d.value.columns)
    assert len(ranked) == 60 and "Grunn 1" in ranked.columns
    assert ranked["Grunn 1"].ne("").all()
    assert {b.key for b in at.get("download_button")} >= {"ranked_csv", "ranked_xlsx"}
    where = at.dataframe[-1].value
    assert "Plass under takene" in where.columns and len(where) == 27


def test_where_to_buy_over_the_ssb_grid(demo_url):
    at = open_page("streamlit_app/pages/purchase.py")
    at.sidebar.selectbox(key="purchase_system").select("ssb1km")
    rerun(at)
    where = at.dataframe[-1].value
    assert len(where) == len(repo.load_areas(make_engine(demo_url), "ssb1km"))


def test_english_labels(demo_url):
    at = open_page("streamlit_app/pages/purchase.py")
    at.sidebar.selectbox(key="lang").select("en")
    rerun(at)
    assert at.title[0].value.startswith("Purchase test")


def run_plan(budget: float, targets: dict[str, int]) -> AppTest:
    """Open the plan page, take the demo's candidates and solve for ``budget`` and targets."""
    at = open_page("streamlit_app/pages/plan.py")
    assert at.title[0].value.startswith("Kjøpsplan")
    at.button(key="plan_demo").click()
    rerun(at)
    at.number_input(key="plan_budget").set_value(budget)
    for group, n in targets.items():
        at.number_input(key=f"target_{group}").set_value(n)
    at.button(key="plan_run").click()
    return rerun(at)


def test_plan_save_compare_and_delete_leave_the_register_alone(demo_url):
    engine = make_engine(demo_url)
    units_before = len(repo.load_units(engine))
    at = run_plan(10_000_000, {"homeless_substance": 2})
    assert at.success[0].value == "Planen er optimal."
    chosen = at.dataframe[0].value
    assert "Kandidat" in chosen.columns and len(chosen) >= 2
    assert (chosen["Målgruppe"] == "Bostedsløse med rusproblemer").sum() >= 2
    assert chosen["Pris (kr)"].sum() <= 10_000_000
    for name in ("Plan A", "Plan B"):
        at.text_input(key="scenario_name").input(name)
        at.button(key="scenario_save").click()
        rerun(at)
    assert {"Plan A", "Plan B"} <= set(scenario_names(engine))
    at.multiselect(key="scenario_compare").select("Plan A").select("Plan B")
    rerun(at)
    compared = at.dataframe[-1].value
    assert compared.columns.tolist() == ["i dag", "Plan A", "Plan B"]
    assert compared.loc["Kjøp", "Plan A"] == str(len(chosen))
    at.selectbox(key="scenario_delete_pick").select("Plan B")
    at.button(key="scenario_delete").click()
    rerun(at)
    assert scenario_names(engine) == ["Plan A"]
    assert at.multiselect(key="scenario_compare").value == ["Plan A"]
    assert len(repo.load_units(engine)) == units_before


def test_a_plan_shown_after_a_language_switch_is_fully_in_the_new_language(demo_url):
    at = run_plan(3_000_000, {"elderly": 40})
    shortfall = at.warning[-1].value
    assert shortfall.startswith("- Eldre: mål 40, nådd "), shortfall
    at.sidebar.selectbox(key="lang").select("en")
    rerun(at)
    shortfall = at.warning[-1].value
    assert shortfall.startswith("- The elderly: target 40, reached "), shortfall
    assert not any(word in shortfall for word in ("mål", "nådd", "budsjett", "kandidat"))
