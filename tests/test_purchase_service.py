"""Purchase testing from the database: addresses, candidate files, where-to-buy, scenarios, CLI."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from geoplan.cli import app
from geoplan.crs import CoordinateError
from geoplan.demo.load import demo_files
from geoplan.io.addresses import import_addresses
from geoplan.io.problems import problem
from geoplan.io.service_points import import_services
from geoplan.service import (
    ImportRefused,
    baseline,
    compare_scenarios,
    delete_scenario,
    evaluate_point,
    json_ready,
    load_scenario,
    rank,
    read_candidates,
    save_scenario,
    scenario_names,
    search_addresses,
    where,
)
from geoplan.storage import repo
from geoplan.storage.db import get_engine, make_engine
from geoplan.testing.paths import BOUNDARY
from geoplan.ui.purchase_view import ranked_table, reason_texts

ADDRESS_HEADER = ("lokalid;kommunenummer;kommunenavn;adressetype;adressekode;adressenavn;nummer;"
                  "bokstav;postnummer;poststed;EPSG-kode;Nord;Øst")


@pytest.fixture(scope="module")
def demo(demo_module_url):
    """The Elverum demo in a database shared by this module's tests."""
    return make_engine(demo_module_url)


def test_address_register_good_and_bad(engine, tmp_path):
    good = tmp_path / "adresser.csv"
    good.write_text(ADDRESS_HEADER + "\n"
                    "1;3420;ELVERUM;vegadresse;1;Storgata;12;B;2406;ELVERUM;25833;6754520.00;"
                    "313440.00\n"
                    "2;3420;ELVERUM;vegadresse;1;Storgata;12;;2406;ELVERUM;25832;6756700.00;"
                    "645000.00\n", encoding="utf-8")
    assert import_addresses(engine, good) == 2
    hits = search_addresses(engine, "storgata 12 b")
    assert hits.text.tolist() == ["Storgata 12 B, 2406 ELVERUM"]
    assert (hits.x[0], hits.y[0]) == (313440.0, 6754520.0)
    assert search_addresses(engine, "Storgata 12B, 2406").text.tolist() == [
        "Storgata 12 B, 2406 ELVERUM"]
    assert len(search_addresses(engine, "storgata")) == 2
    assert search_addresses(engine, "100%_").empty  # wildcards are escaped
    bad = tmp_path / "feil.csv"
    bad.write_text(ADDRESS_HEADER + "\n1;3420;ELVERUM;vegadresse;1;Storgata;12;;2406;ELVERUM;"
                   "3857;nord;313440\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as info:
        import_addresses(engine, bad)
    assert [(p.code, p.row, p.column) for p in info.value.problems] == [
        ("crs_not_accepted", 2, "EPSG-kode"), ("not_a_number", 2, "Nord")]
    assert len(search_addresses(engine, "storgata")) == 2  # the register is unchanged


def test_candidate_file_good_bad_and_geocoded(engine, tmp_path):
    from geoplan.storage.db import session

    with session(engine) as s, s.begin():
        repo.set_municipality(s, "9999", "Testkommune", BOUNDARY)
    good = tmp_path / "kandidater.csv"
    good.write_bytes(("Adresse;Øst;Nord;Pris (kr);Antall rom;Areal (m²);Heis;Universelt utformet\r\n"
                      "Storgata 12 B;313440,0;6754520,0;2 450 000;3;74,5;Ja;Nei\r\n")
                     .encode("cp1252"))
    cands = read_candidates(engine, good, crs="EPSG:25833")
    row = cands.iloc[0]
    assert (row.label, row.price, row.rooms, row.area_m2, row.lift) == (
        "Storgata 12 B", 2_450_000.0, 3, 74.5, True)
    bad = tmp_path / "feil.csv"
    bad.write_text("Adresse;Øst;Nord;Pris\nA;313440;6754520;mye\nB;262000;6650000;1\n",
                   encoding="utf-8")
    with pytest.raises(ImportRefused) as info:
        read_candidates(engine, bad, crs="EPSG:25833")
    assert info.value.problems == [
        problem("not_a_number", 2, "Pris", value="mye"),
        problem("outside_boundary", 3, "Øst/Nord", place="Testkommune", x="262000",
                y="6650000", epsg=25833),
    ]
    addresses = tmp_path / "adresser.csv"
    addresses.write_text(ADDRESS_HEADER + "\n1;3420;ELVERUM;vegadresse;1;Storgata;12;B;2406;"
                         "ELVERUM;25833;6754520.00;313440.00\n", encoding="utf-8")
    import_addresses(engine, addresses)
    by_address = tmp_path / "adresseliste.csv"
    by_address.write_text("Adresse;Postnr;Pris\nStorgata 12B;2406;1000000\nIkkegata 1;2406;1\n",
                          encoding="utf-8")
    with pytest.raises(ImportRefused) as info:
        read_candidates(engine, by_address)
    assert info.value.problems == [
        problem("address_not_found", 3, "Adresse", value="Ikkegata 1 2406")]
    by_address.write_text("Adresse;Postnr;Pris\nStorgata 12B;2406;1000000\n", encoding="utf-8")
    found = read_candidates(engine, by_address)
    assert (found.x[0], found.y[0]) == (313440.0, 6754520.0)


def test_services_good_and_bad(engine, tmp_path):
    good = tmp_path / "tjenester.csv"
    good.write_text("Navn;Kategori;Øst;Nord\nHanstad skole;Barneskole;313000;6755000\n"
                    "Torget;Bussholdeplass;313100;6755000\nLegen;Fastlege;313200;6755000\n",
                    encoding="utf-8")
    assert import_services(engine, good) == 3
    assert repo.load_services(engine).category.tolist() == ["skole", "kollektiv", "fastlege"]
    bad = tmp_path / "feil.csv"
    bad.write_text("Navn;Kategori;Øst;Nord\nX;;313000;6755000\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as info:
        import_services(engine, bad)
    assert [(p.code, p.row, p.column) for p in info.value.problems] == [
        ("missing_value", 2, "Kategori")]
    assert len(repo.load_services(engine)) == 3


def test_demo_evaluation_and_ranking(demo):
    base = baseline(demo)
    # the 14-unit block in Sentrum nord: a purchase there is red with the building cap
    units = repo.load_units(demo)
    block = units[units.building_id == units.building_id.value_counts().index[0]].iloc[0]
    res = evaluate_point(base, x=block.x, y=block.y, building_id=block.building_id)
    assert res["verdict"] == "red"
    assert res["after"]["building_count"] == res["before"]["building_count"] + 1
    assert any(r.startswith("would be the 15th municipal unit")
               for r in reason_texts(res, "en"))
    assert json.dumps(json_ready(res), allow_nan=False)  # reasons as dicts, strict JSON
    cands = read_candidates(demo, demo_files()["candidates"])
    ranked = rank(base, cands)
    assert len(ranked) == len(cands) and ranked["rank"].tolist()[:3] == [1, 2, 3]
    order = ranked["verdict"].map({"green": 0, "amber": 1, "red": 2}).to_numpy()
    assert (order[1:] >= order[:-1]).all()
    flat = ranked_table(ranked, "en")
    assert "reason_1" in flat and not flat["reason_1"].eq("").any()
    assert "reasons" not in flat and "address" not in flat
    assert flat["reason_1"].tolist() != ranked_table(ranked, "nb")["reason_1"].tolist()


def test_where_to_buy_on_demo(demo):
    table = where(demo)
    assert set(table["class"]) <= {"green", "amber", "red", "unknown"}
    lillemoen = table.set_index("name").loc["Lillemoen"]
    assert lillemoen["headroom"] == 0 and lillemoen["class"] == "red"  # 14 % > 10 % cap
    assert table.iloc[0]["class"] == "green"


def test_scenarios_are_stored_apart_from_the_register(demo, admin):
    before = len(repo.load_units(demo))
    cands = read_candidates(demo, demo_files()["candidates"])
    save_scenario(demo, admin, "Plan A", cands.head(3))
    save_scenario(demo, admin, "Plan B", cands.tail(2))
    save_scenario(demo, admin, "Plan B", cands.tail(4))  # replaces
    assert {"Plan A", "Plan B"} <= set(scenario_names(demo))
    assert len(load_scenario(demo, "Plan B")) == 4
    table = compare_scenarios(demo, baseline(demo), ["Plan A", "Plan B"])
    assert table.columns.tolist() == ["today", "Plan A", "Plan B"]
    assert table.loc["purchases"].tolist() == [0, 3, 4]
    assert table.loc["cost", "Plan A"] == pytest.approx(cands.head(3).price.sum())
    assert len(repo.load_units(demo)) == before
    delete_scenario(demo, admin, "Plan B")
    with pytest.raises(KeyError):
        load_scenario(demo, "Plan B")


def test_cli_evaluate_rank_plan(db_url, tmp_path):
    runner = CliRunner()
    assert runner.invoke(app, ["demo"]).exit_code == 0
    res = runner.invoke(app, ["evaluate", "--lon", "11.5623", "--lat", "60.8819", "--rooms", "3",
                              "--area-m2", "70", "--price", "2500000", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert set(data) >= {"before", "after", "verdict", "reasons", "demand_fit"}
    assert set(data["before"]) == {"area_share", "location_quotient", "within_250m",
                                   "within_500m", "building_count", "dissimilarity",
                                   "isolation"}
    assert data["after"]["within_250m"] == data["before"]["within_250m"] + 1
    assert data["verdict"] in {"green", "amber", "red"}
    out = tmp_path / "rangert.xlsx"
    res = runner.invoke(app, ["rank", str(demo_files()["candidates"]), str(out)])
    assert res.exit_code == 0, res.output
    assert len(pd.read_excel(out)) == 60
    res = runner.invoke(app, ["plan", str(demo_files()["candidates"]), "--budget", "9000000",
                              "--target", "homeless_substance=2", "--json"])
    assert res.exit_code == 0, res.output
    plan = json.loads(res.output)
    assert plan["status"].lower() == "optimal" and plan["cost"] <= 9_000_000
    assert plan["served"]["homeless_substance"] >= 2
    bad = runner.invoke(app, ["plan", str(demo_files()["candidates"]), "--budget", "1",
                              "--target", "studenter=2"])
    assert bad.exit_code == 1 and "unknown target group" in bad.output


def test_recording_a_purchase_is_the_only_way_into_the_register(db_url):
    runner = CliRunner()
    assert runner.invoke(app, ["demo"]).exit_code == 0
    plan = runner.invoke(app, ["plan", str(demo_files()["candidates"]), "--budget", "5000000",
                               "--save", "Vår 2027", "--json"])
    assert plan.exit_code == 0, plan.output
    first = json.loads(plan.output)["chosen"][0]
    engine = get_engine()
    before = len(repo.load_units(engine))
    assert before == 455  # the demo's register: saving the plan added nothing
    res = runner.invoke(app, ["scenario", "record", "Vår 2027", first["label"],
                              "--unit-id", "EL-NY-1", "--type", "Omsorgsbolig",
                              "--tenure", "Eid", "--date", "2027-03-01"])
    assert res.exit_code == 0, res.output
    units = repo.load_units(engine).set_index("unit_id")
    assert len(units) == before + 1
    new = units.loc["EL-NY-1"]
    assert (new.unit_type, new.tenure, new.status) == ("care", "owned", "vacant")
    assert new.purchase_price == first["price"] and str(new.acquired) == "2027-03-01"
    assert (new.x, new.y) == pytest.approx((first["x"], first["y"]))
    again = runner.invoke(app, ["scenario", "record", "Vår 2027", first["label"],
                                "--unit-id", "EL-NY-1", "--type", "Omsorgsbolig"])
    assert again.exit_code == 1 and "already in the register" in again.output
    bad = runner.invoke(app, ["scenario", "record", "Vår 2027", "Nowhere 1",
                              "--unit-id", "EL-NY-2", "--type", "Omsorgsbolig"])
    assert bad.exit_code == 1 and "no purchase labelled" in bad.output
    assert len(repo.load_units(engine)) == before + 1


# ---------------------------------------------------------------- issue 8


def test_typed_points_outside_swapped_utm_and_refused_on_the_demo(demo):
    base = baseline(demo)
    oslo = evaluate_point(base, lat=59.91, lon=10.75)
    assert oslo["verdict"] == "red" and not oslo["in_municipality"]
    assert [r.rule for r in oslo["reasons"]][0] == "outside_municipality"
    assert "area_unknown" not in {r.rule for r in oslo["reasons"]}
    assert reason_texts(oslo, "en")[0] == "lies outside Elverum (syntetisk demo)"
    church = evaluate_point(base, lat=60.8819, lon=11.5623)
    swapped = evaluate_point(base, lat=11.5623, lon=60.8819)
    assert swapped["coordinate_note"] == {"code": "swapped", "epsg": 4326}
    assert (swapped["x"], swapped["y"]) == pytest.approx((church["x"], church["y"]))
    utm = evaluate_point(base, lat=church["y"], lon=church["x"])
    assert utm["coordinate_note"] == {"code": "utm", "epsg": 25833}
    assert utm["verdict"] == church["verdict"] and church["coordinate_note"] is None
    with pytest.raises(CoordinateError) as info:
        evaluate_point(base, lat=1000.0, lon=5.0)
    assert info.value.code == "not_coordinates"


def test_ranking_counts_one_household_per_flat_and_prices_last(demo):
    base = baseline(demo)
    vestad = repo.load_areas(demo, "grunnkrets").set_index("name").geometry["Sørskogbygda"]
    p = vestad.representative_point()
    same = {"x": p.x, "y": p.y, "rooms": 3, "unit_type": "ordinary"}
    cands = pd.DataFrame([{**same, "label": "unpriced"},
                          {**same, "label": "priced, no m²", "price": 1_000_000},
                          {**same, "label": "priced per m²", "price": 2_000_000, "area_m2": 80},
                          {**same, "label": "fits nobody", "price": 500_000, "rooms": 9}])
    ranked = rank(base, cands)
    assert ranked["label"].tolist() == ["priced per m²", "priced, no m²", "unpriced",
                                        "fits nobody"]
    first = ranked.iloc[0]
    assert first["houses"] == 1 and first["households_waiting"] > 1  # context, not the score
    assert ranked.iloc[-1]["houses"] == 0 and ranked.iloc[-1]["verdict"] == "amber"
    flat = ranked_table(ranked, "nb")
    assert flat.loc[0, "houses"] == 1
    # the groups it fits, the largest unmet need (the demand model's gap in 4 years) first
    assert flat.loc[0, "target_groups"].startswith(
        "Flyktninger til bosetting (udekket 51, 15 venter), ")


def test_demo_ranking_verdicts_rest_on_local_measures(demo):
    ranked = rank(baseline(demo), read_candidates(demo, demo_files()["candidates"]))
    counts = ranked["verdict"].value_counts().to_dict()
    assert counts == {"green": 40, "amber": 3, "red": 17}
    # D never decides a verdict: it is information only
    assert not any(r.rule in ("d_up", "d_down") for rs in ranked["reasons"] for r in rs)
    # the neighbour check: a red with its own 250 m circle under the cap
    pushed = ranked[[any(r.rule == "neighbours_over" for r in rs) for rs in ranked["reasons"]]]
    assert len(pushed) and (pushed["after_within_250m"] <= 12).any()


def test_cli_evaluate_reads_utm_with_a_note_and_refuses_nonsense(db_url):
    runner = CliRunner()
    assert runner.invoke(app, ["demo"]).exit_code == 0
    res = runner.invoke(app, ["evaluate", "--lat", "6754524.568", "--lon", "313438.172",
                              "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert res.output.startswith("The numbers are UTM coordinates (EPSG:25833")
    bad = runner.invoke(app, ["evaluate", "--lat", "1000", "--lon", "5"])
    assert bad.exit_code == 1
    assert "neither latitude/longitude nor UTM" in bad.output and "Traceback" not in bad.output
    oslo = runner.invoke(app, ["evaluate", "--lat", "59.91", "--lon", "10.75", "--json"])
    assert json.loads(oslo.output)["verdict"] == "red"
