"""The purchase pages' library helpers: folium layers (escaping, colours) and display tables."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from geoplan.service import Plan, Reason, Shortfall
from geoplan.testing.data import hand_made_units, square_areas, to_xy, units_frame
from geoplan.ui import purchase_map as pmap
from geoplan.ui import purchase_view as view
from geoplan.ui.mapview import build_map
from geoplan.ui.unit_table import to_xlsx_bytes
from geoplan.vocab import DEFAULT_UNIT_TYPES

XSS = "<img src=x onerror=alert(1)>"
XSS_ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"


def evaluation(verdict: str = "red", **over) -> dict:
    """A hand-made evaluation in the shape of ``evaluation_dict``."""
    x, y = to_xy(11.5623, 60.8819)
    ev = {
        "action": "buy", "label": XSS, "address": XSS, "building_id": None,
        "housing_company": None, "x": x, "y": y, "price": 2_500_000.0,
        "area": {"code": "01", "name": "Sentrum"},
        "before": {"area_share": 0.098, "location_quotient": 1.5, "within_250m": 12.0,
                   "within_500m": 30.0, "building_count": 2.0, "dissimilarity": 0.1873,
                   "isolation": 0.0577},
        "after": {"area_share": 0.1005, "location_quotient": 1.55, "within_250m": 13.0,
                  "within_500m": 31.0, "building_count": 3.0, "dissimilarity": 0.1884,
                  "isolation": 0.0577},
        "verdict": verdict,
        "reasons": [Reason("building_over", "red", count=3, cap=2),
                    Reason("d_up", "amber", before=0.1873, after=0.1884)],
        "demand_fit": [{"target_group": "refugees", "households": 10},
                       {"target_group": "families", "households": 4}],
    }
    ev.update(over)
    return ev


@pytest.fixture(scope="module")
def areas():
    return square_areas(names=["Sentrum", "Nord & <b>Øst</b>"])


def where_table(areas) -> pd.DataFrame:
    return pd.DataFrame({
        "code": areas["code"], "name": areas["name"], "units": [3.0, 9.0],
        "dwellings": [100.0, 90.0], "headroom": [7.0, 0.0], "demand_fit": [0.62, 0.1],
        "groups": [["families", "refugees"], []], "class": ["green", "red"],
    })


def page(*overlays, areas=None) -> str:
    units = units_frame(hand_made_units())
    return build_map(units, areas, DEFAULT_UNIT_TYPES, "nb", overlays=list(overlays)) \
        .get_root().render()


# ---------------------------------------------------------------- purchase_map


def test_candidate_label_and_reasons_are_escaped():
    html = page(pmap.candidate_layer(evaluation(), XSS, "nb"))
    assert XSS not in html and "<img src=x onerror" not in html
    assert XSS_ESCAPED in html
    assert "blir kommunal bolig nr. 3 i " + XSS_ESCAPED in html  # every reason is in the popup
    assert "øker ulikhetsindeksen D fra 0,187 til 0,188" in html
    assert pmap.VERDICT_COLORS["red"] in html
    assert "Testet kandidat" in html  # listed in the layer control


def test_ranked_candidates_are_coloured_by_verdict_with_escaped_tooltips():
    x, y = to_xy(11.56, 60.88)
    ranked = pd.DataFrame({
        "rank": [1, 2], "label": ["Storgata 1", XSS], "x": [x, x + 100], "y": [y, y],
        "area_code": ["01", "02"], "area_name": ["Sentrum", "</script><script>alert(2)</script>"],
        "verdict": ["green", "amber"],
        "demand_fit": [(("refugees", 10), ("families", 2)), ()],
        "reasons": [[Reason("no_demand", "amber")],
                    [Reason("area_ok", "green", area="02", before=0.01, after=0.02, cap=0.1)]],
    })
    layer = pmap.ranked_layer(ranked, "nb")
    html = page(layer)
    assert XSS not in html and "<script>alert(2)" not in html
    assert "2. " + XSS_ESCAPED + " – Gult – passer ingen målgruppe som venter" in html
    assert "1. Storgata 1 – Grønt – Flyktninger til bosetting (10), Barnefamilier (2)" in html
    assert "passer ingen målgruppe med udekket behov" in html
    assert pmap.VERDICT_COLORS["green"] in html and pmap.VERDICT_COLORS["amber"] in html


def test_where_layer_colours_areas_by_class(areas):
    table = where_table(areas)
    frame = pmap.where_frame(areas, table, "nb")
    assert frame["fill"].tolist() == [pmap.CLASS_COLORS["green"], pmap.CLASS_COLORS["red"]]
    assert frame["name"].tolist() == ["Sentrum", "Nord &amp; &lt;b&gt;Øst&lt;/b&gt;"]
    assert frame.loc[0, "demand_fit"] == "62 %" and frame.loc[0, "headroom"] == "7"
    assert frame.loc[0, "groups"] == "Barnefamilier, Flyktninger til bosetting"
    assert [pmap.where_style({"properties": {"fill": f}})["fillColor"] for f in frame["fill"]] \
        == [pmap.CLASS_COLORS["green"], pmap.CLASS_COLORS["red"]]
    # an area missing from the table is grey ("unknown")
    grey = pmap.where_frame(areas, table.iloc[:1], "nb")
    assert grey["fill"].tolist()[1] == pmap.CLASS_COLORS["unknown"]
    html = page(pmap.where_layer(areas, table, "nb"))
    assert pmap.CLASS_COLORS["green"] in html and pmap.CLASS_COLORS["red"] in html
    assert "<b>Øst</b>" not in html


def test_plan_layers_highlight_the_chosen_set():
    x, y = to_xy(11.56, 60.88)
    cands = pd.DataFrame({"label": ["A", XSS, "C"], "x": [x, x + 50, x + 100], "y": [y] * 3})
    chosen = cands.iloc[[1]].assign(verdict="green", target_group="youth")
    others, picked = pmap.plan_layers(cands, chosen, "nb")
    assert others.data_json.count("#9e9e9e") == 2
    assert pmap.CHOSEN_STYLE.stroke in picked.data_json
    html = page(others, picked)
    assert XSS not in html and XSS_ESCAPED in html


# ---------------------------------------------------------------- purchase_view


def test_before_after_table_formats_values_in_bokmal():
    table = view.before_after_table(evaluation(), "nb")
    assert table.columns.tolist() == ["Mål", "Før", "Etter", "Endring"]
    rows = table.set_index("Mål")
    assert rows.loc["Kommunal andel i området"].tolist() == ["9,8 %", "10,1 %", "+0,3 pp"]
    assert rows.loc["Lokaliseringskvotient"].tolist() == ["1,50", "1,55", "+0,05"]
    assert rows.loc["Kommunale boliger innen 250 m"].tolist() == ["12", "13", "+1"]
    assert rows.loc["Kommunale boliger i bygningen"].tolist() == ["2", "3", "+1"]
    assert rows.loc["Ulikhetsindeks (D)"].tolist() == ["0,187", "0,188", "+0,001"]
    assert rows.loc["Isolasjon (xPx)"].tolist() == ["0,058", "0,058", "0"]


def test_before_after_table_in_english_and_with_unknowns():
    ev = evaluation()
    ev["before"]["building_count"] = ev["after"]["building_count"] = None
    rows = view.before_after_table(ev, "en").set_index("Measure")
    assert rows.loc["Municipal share in the area"].tolist() == ["9.8 %", "10.1 %", "+0.3 pp"]
    assert rows.loc["Municipal units in the building"].tolist() == ["unknown", "unknown", ""]


def test_verdict_texts_demand_and_budget():
    assert view.verdict_text("red", "nb") == "Rødt – bryter et tak eller budsjettet"
    assert view.verdict_badge("amber", "en") == "Amber"  # plain: safe in tables and HTML
    assert view.verdict_markdown("red", "nb") == ":red[●] Rødt"  # no emoji font needed
    assert view.verdict_icon("green") == ":material/check_circle:"
    assert view.verdict_colours("nb")["Vurdering"]["Grønt"] == "#c7e9c0"
    fit = view.demand_fit_table(evaluation(), "nb")
    assert fit.values.tolist() == [["Flyktninger til bosetting", 10], ["Barnefamilier", 4]]
    assert view.budget_text(2_500_000, None, "nb").startswith("Det er ikke satt")
    assert view.budget_text(2_500_000, 3_000_000, "nb") == (
        "Prisen 2\u00a0500\u00a0000 kr er innenfor gjenstående budsjett 3\u00a0000\u00a0000 kr; "
        "500\u00a0000 kr blir igjen.")
    assert "exceeds" in view.budget_text(4e6, 3e6, "en")


def test_markdown_is_escaped():
    assert view.bullets(["a *b* $x$", "[lenke](javascript:alert(1))"]) == (
        "- a \\*b\\* \\$x\\$\n- \\[lenke\\](javascript:alert(1))")


def test_ranked_export_keeps_every_reason_in_its_own_column():
    x, y = to_xy(11.56, 60.88)
    flat = pd.DataFrame({  # the shape of ranked_table
        "rank": [1], "label": ["A"], "action": ["buy"], "x": [x], "y": [y], "area_code": ["01"],
        "area_name": ["Sentrum"], "price": [1e6], "price_per_m2": [20_000.0], "houses": [1],
        "households_waiting": [33], "target_groups": ["Eldre (33)"],
        "after_location_quotient": [0.8], "d_change": [-0.001], "verdict": ["green"],
        "before_area_share": [0.05], "after_area_share": [0.06],
        "reason_1": ["første"], "reason_2": ["andre"],
    })
    out = view.ranked_export(flat, "nb")
    assert {"Grunn 1", "Grunn 2", "Vurdering", "Lengdegrad", "Breddegrad"} <= set(out.columns)
    assert out.loc[0, "Vurdering"] == "Grønt" and out.loc[0, "Handling"] == "Kjøp"
    assert out.columns.is_unique
    shown = view.ranked_display(flat, "en")
    assert shown.loc[0, "Verdict"] == "Green" and shown.loc[0, "Reason 2"] == "andre"
    # one flat houses one household; the 33 waiting are context
    assert shown.loc[0, "Households it could house"] == 1
    assert shown.loc[0, "Target groups it fits (households waiting)"] == "Eldre (33)"
    assert out.loc[0, "Husstander som venter i gruppene den passer"] == 33
    assert pd.read_excel(io.BytesIO(to_xlsx_bytes(out))).shape == out.shape


def test_plan_tables():
    x, y = to_xy(11.56, 60.88)
    chosen = pd.DataFrame({"label": ["A"], "x": [x], "y": [y], "price": [2e6],
                           "target_group": ["youth"], "verdict": ["green"]})
    plan = Plan("Optimal", chosen, chosen.iloc[0:0], 2e6, 0.0, 3e6,
                {"dissimilarity": 0.2, "isolation": 0.05, "gini": 0.3, "theil": 0.04},
                {"dissimilarity": 0.19, "isolation": 0.05, "gini": 0.29, "theil": 0.04},
                {"youth": 1, "elderly": 0}, {"youth": 4, "elderly": 7},
                {"elderly": Shortfall(2, 0, 7, 3, 1, 3e6, ("caps", "budget"))})
    table = view.plan_chosen_table(plan, "nb")
    assert table.loc[0, ["Kandidat", "Målgruppe", "Vurdering"]].tolist() == [
        "A", "Unge 18–25 år", "Grønt"]
    assert view.plan_money(plan, "nb")["left"] == "1\u00a0000\u00a0000 kr"
    demand = view.plan_demand_table(plan, {"elderly": 2}, "nb").set_index("Målgruppe")
    assert demand.loc["Eldre"].tolist() == [2, 0, 7]
    assert view.plan_indices_table(plan, "nb").iloc[0].tolist() == [
        "Ulikhetsindeks (D)", "0,200", "0,190", "−0,010"]
    assert view.shortfall_lines(plan, "nb") == [
        "Eldre: mål 2, nådd 0: 1 av 3 passende kandidater er stoppet av tak (område, bygning "
        "eller 250 m); budsjettet (3\u00a0000\u00a0000) rekker ikke til flere"]
    # the same saved plan after a switch to English: every word in English
    assert view.shortfall_lines(plan, "en") == [
        "The elderly: target 2, reached 0: 1 of 3 fitting candidates are blocked by a cap (area, "
        "building or 250 m); the budget (3,000,000) does not stretch further"]


def test_compare_display_formats_rows():
    table = pd.DataFrame({"today": {"purchases": 0, "cost": 0.0, "dissimilarity": 0.187},
                          "Plan A": {"purchases": 3, "cost": 6.5e6, "dissimilarity": 0.18}})
    out = view.compare_display(table, "nb")
    assert out.columns.tolist() == ["i dag", "Plan A"]
    assert view.compare_display(table, "en").columns.tolist() == ["today", "Plan A"]
    assert out.loc["Kostnad", "Plan A"] == "6\u00a0500\u00a0000 kr"
    assert out.loc["Ulikhetsindeks (D)"].tolist() == ["0,187", "0,180"]


def test_headline_names_the_broken_rules_first_and_groups_the_reasons():
    ev = evaluation(reasons=[Reason("building_over", "red", count=3, cap=2),
                             Reason("neighbours_over", "red", count=2, after=14.0, cap=12),
                             Reason("area_near_cap", "amber", area="01", before=0.08, after=0.09,
                                    cap=0.1),
                             Reason("radius_ok", "green", count=5, cap=12),
                             Reason("demand", "green", groups=(("refugees", 10),))],
                    info=[Reason("d_up", "info", before=0.1873, after=0.1884)],
                    address="Storgata 12")
    assert view.headline(ev, "en") == (
        "Red – breaks: would be the 3rd municipal unit in Storgata 12 (cap 2); gives 2 "
        "existing municipal units more than 12 municipal units within 250 m (up to 14)")
    sections = view.reason_sections(ev, "nb")
    assert [title for title, _ in sections] == [
        "Bryter", "Innenfor reglene", "Taler for kjøpet",
        "Til informasjon (påvirker ikke vurderingen)"]
    assert sections[1][1][0].startswith("Sentrum: 8,0 % → 9,0 % kommunale boliger, nær taket")
    assert sections[3][1] == ["øker ulikhetsindeksen D fra 0,187 til 0,188"]
    amber = evaluation("amber", reasons=[Reason("no_demand", "amber")])
    assert view.headline(amber, "nb") == (
        "Gult – merk: passer ingen målgruppe med udekket behov")
    assert view.headline(evaluation("green", reasons=[]), "en") == "Green – within every cap"
    outside = evaluation(reasons=[Reason("outside_municipality", "red")], municipality="Elverum")
    assert view.headline(outside, "nb") == "Rødt – bryter: ligger utenfor Elverum"


def test_coordinate_notes_and_refusals_in_words():
    from geoplan.crs import CoordinateError

    ev = evaluation(coordinate_note={"code": "utm", "epsg": 25833})
    assert view.coordinate_note(ev, "en") == (
        "The numbers are UTM coordinates (EPSG:25833, north in the latitude field, east in the "
        "longitude field) and were converted.")
    assert view.coordinate_note(evaluation(coordinate_note=None), "en") is None
    refusal = view.coordinate_refusal(CoordinateError("not_coordinates", 1000, 5), "nb")
    assert refusal.startswith("Tallene er verken bredde- og lengdegrad eller UTM-koordinater")
