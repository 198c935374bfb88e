"""The property manager's address search, coordinate field and budget (issue 13), below the pages.

The search (geoplan.io.addresses.search_addresses) reads abbreviations both ways, tolerates small
typos (rapidfuzz) and orders house numbers naturally; it is cross-checked against plain substring
search.  The coordinate field (geoplan.crs.read_point_text) reads latitude/longitude or east/north
and says which; the budget is the policy's one value (service.budget_status).
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from geoplan import service
from geoplan.crs import CoordinateError, numbers_in_text, read_point_text, transform
from geoplan.io.addresses import (
    address_index,
    index_frame,
    search_addresses,
    street_key,
)
from geoplan.storage.db import make_engine
from geoplan.ui.purchase_view import budget_status_text, coordinate_read, plan_budget_note


@pytest.fixture(scope="module")
def demo_index(demo_module_url) -> pd.DataFrame:
    """The demo's address register (about 4,100 synthetic addresses), ready for search."""
    return address_index(make_engine(demo_module_url))


def street_numbers(hits: pd.DataFrame) -> list[str]:
    """Hits as "Storgata 6 B" (street, number, letter), in order."""
    return [" ".join(str(p) for p in (r.street, r.number, r.letter) if isinstance(p, str) and p)
            for r in hits.itertuples()]


def one_street(numbers: list[tuple[str, str]], street: str = "Tallvegen") -> pd.DataFrame:
    return index_frame(pd.DataFrame({
        "street": street, "number": [n for n, _ in numbers],
        "letter": [b or None for _, b in numbers], "postal_code": "2406", "place": "ELVERUM",
        "x": 313000.0, "y": 6754000.0}))


# ---------------------------------------------------------------- abbreviations, both ways


@pytest.mark.parametrize(("typed", "short"), [
    ("Storgata", "storgt"), ("Storgate", "storgt"), ("Storgt.", "storgt"), ("storgt", "storgt"),
    ("Kirkeveien", "kirkevn"), ("Kirkevegen", "kirkevn"), ("Kirkevn.", "kirkevn"),
    ("Kirkevei", "kirkev"), ("Kirkeveg", "kirkev"), ("Kirkev.", "kirkev"),
    ("Gamle vei", "gamle v"), ("Kongens gate", "kongens gt"), ("Stortorget", "stortorg"),
    ("Jernbaneplassen", "jernbanepl"), ("Rådhuspl.", "rådhuspl"), ("Parkveien Allé", "parkvn allé"),
])
def test_street_names_meet_in_one_short_form(typed, short):
    assert street_key(typed) == short


def test_the_abbreviated_search_finds_the_full_name(demo_index):
    for typed in ("Storgt 5", "Storgt. 5", "storgt.5", "STORGATA 5", "Storgate 5"):
        hits = search_addresses(demo_index, typed, 5)
        assert street_numbers(hits)[0] == "Storgata 5", typed
        assert hits["score"].iloc[0] == 100.0
    assert street_numbers(search_addresses(demo_index, "Kirkev. 3", 1)) == ["Kirkevegen 3"]
    assert street_numbers(search_addresses(demo_index, "Kirkeveien 3", 1)) == ["Kirkevegen 3"]
    assert street_numbers(search_addresses(demo_index, "Jernbanegt 1 b", 5)) == ["Jernbanegata 1 B"]
    assert street_numbers(search_addresses(demo_index, "søndre elverumsvei 1", 1)) == [
        "Søndre Elverumsveg 1"]


def test_an_abbreviated_register_is_found_by_the_full_name():
    index = one_street([("3", ""), ("4", "")], street="Kirkevn.")
    assert street_numbers(search_addresses(index, "Kirkeveien 3")) == ["Kirkevn. 3"]
    assert street_numbers(search_addresses(index, "Kirkevegen 4")) == ["Kirkevn. 4"]
    index = one_street([("12", "B")], street="Storgt.")
    assert street_numbers(search_addresses(index, "Storgata 12 B")) == ["Storgt. 12 B"]


def test_small_typos_are_tolerated(demo_index):
    assert street_numbers(search_addresses(demo_index, "Stogata 5", 1)) == ["Storgata 5"]
    assert street_numbers(search_addresses(demo_index, "Storgatta 12", 1)) == ["Storgata 12"]
    assert street_numbers(search_addresses(demo_index, "Hernesvgen 10", 1)) == ["Hernesvegen 10"]
    assert search_addresses(demo_index, "Qqqqxxzz 5").empty  # no street like it at all
    assert search_addresses(demo_index, "100%_").empty
    assert search_addresses(demo_index, "").empty


# ---------------------------------------------------------------- natural order


def test_house_numbers_sort_naturally():
    index = one_street([("51", "B"), ("6", ""), ("4", ""), ("32", "B"), ("5", ""), ("6", "B")])
    assert street_numbers(search_addresses(index, "Tallvegen")) == [
        "Tallvegen 4", "Tallvegen 5", "Tallvegen 6", "Tallvegen 6 B", "Tallvegen 32 B",
        "Tallvegen 51 B"]
    # the number typed first, then the numbers that begin with it, each in natural order
    index = one_street([("50", ""), ("5", "B"), ("51", "B"), ("5", ""), ("15", ""), ("6", "")])
    assert street_numbers(search_addresses(index, "Tallveien 5")) == [
        "Tallvegen 5", "Tallvegen 5 B", "Tallvegen 50", "Tallvegen 51 B"]
    assert street_numbers(search_addresses(index, "Tallv. 5 b")) == ["Tallvegen 5 B"]


def test_the_demo_register_is_in_natural_order(demo_index):
    for _, part in demo_index.groupby("street_plain", sort=False):
        keys = list(zip(part["house"], part["letter_key"], strict=True))
        assert keys == sorted(keys)


# ---------------------------------------------------------------- against plain substring search


def substring_search(index: pd.DataFrame, query: str) -> set[str]:
    """The reference: every address whose text begins with what is typed (case aside)."""
    text = index["text"].str.lower()
    return set(index.loc[text.str.startswith(query.lower() + " ")
                         | text.str.startswith(query.lower() + ","), "text"])


@pytest.mark.parametrize("query", ["Storgata 5", "Storgata 12", "Kirkevegen 3", "Hamarvegen 1",
                                   "Jernbanegata 1"])
def test_a_full_query_finds_what_substring_search_finds_first(demo_index, query):
    hits = search_addresses(demo_index, query, 1000)
    exact = substring_search(demo_index, query)
    assert exact  # the demo has this address
    assert set(hits["text"].head(len(exact))) == exact  # the exact number comes first
    street = query.rsplit(" ", 1)[0]
    number = query.rsplit(" ", 1)[1]
    starts = {t for t in demo_index["text"] if t.lower().startswith(f"{street.lower()} {number}")}
    assert set(hits["text"]) == starts  # and then the numbers that begin with it, nothing else


def test_every_address_finds_itself_first(demo_index):
    sample = demo_index.sample(150, random_state=3420)
    for r in sample.itertuples():
        typed = " ".join(str(p) for p in (r.street, r.number, r.letter) if isinstance(p, str) and p)
        first = search_addresses(demo_index, typed, 3).iloc[0]
        assert (first.street, first.number) == (r.street, r.number), typed


def test_a_search_is_fast_on_a_large_register(demo_index):
    # a municipality of about 50,000 addresses: the demo twelve times, each with its own streets
    big = index_frame(pd.concat([demo_index[["street", "number", "letter", "postal_code", "place",
                                             "x", "y"]].assign(street=lambda f, i=i: f.street + str(i))
                                 for i in range(12)]))
    assert len(big) > 45_000
    search_addresses(big, "Storgt0 5")
    start = time.perf_counter()
    for typed in ("Storgt0 5", "Kirkev.3 3", "Hamarv", "S"):
        search_addresses(big, typed)
    assert (time.perf_counter() - start) / 4 < 0.25


def test_the_service_searches_by_engine_too(demo_module_url):
    hits = service.search_addresses(make_engine(demo_module_url), "Storgt 12", 3)
    assert hits["text"].iloc[0] == "Storgata 12, 2406 ELVERUM"


# ---------------------------------------------------------------- one coordinate field


@pytest.mark.parametrize(("typed", "numbers"), [
    ("60.88, 11.56", (60.88, 11.56)), ("60,88 11,56", (60.88, 11.56)),
    ("60,88, 11,56", (60.88, 11.56)), ("60,88;11,56", (60.88, 11.56)),
    ("60.88,11.56", (60.88, 11.56)), ("N 60.88 Ø 11.56", (60.88, 11.56)),
    ("313440 6754520", (313440.0, 6754520.0)), ("313440,6754520", (313440.0, 6754520.0)),
    ("Øst 313440.5 Nord 6754520 (EPSG:25833)", (313440.5, 6754520.0)),
])
def test_two_numbers_are_read_from_one_field(typed, numbers):
    assert numbers_in_text(typed) == numbers


@pytest.mark.parametrize("typed", ["", "abc", "60.88", "1 2 3", None])
def test_a_field_without_two_numbers_is_refused(typed):
    with pytest.raises(CoordinateError) as info:
        numbers_in_text(typed)
    assert info.value.code == "not_two_numbers"


def test_latitude_longitude_and_east_north_are_told_apart():
    lat_lon = read_point_text("60,8815 11,5625")
    assert (lat_lon.note, lat_lon.epsg) == (None, 4326)
    lon, lat = transform([lat_lon.x], [lat_lon.y], 25833, 4326)
    assert (round(lon[0], 4), round(lat[0], 4)) == (11.5625, 60.8815)
    east_north = read_point_text("313440 6754520")
    assert (east_north.note, east_north.epsg) == ("utm_swapped", 25833)
    assert (east_north.x, east_north.y) == (313440.0, 6754520.0)
    assert read_point_text("6754520 313440").note == "utm"
    assert read_point_text("11.5625 60.8815").note == "swapped"


def test_utm_zone_32_is_recognised_when_only_it_fits():
    e32, n32 = transform([313440.0], [6754520.0], 25833, 25832)
    around = Point(313440.0, 6754520.0).buffer(5000)  # a municipality around the point (25833)
    point = read_point_text(f"{e32[0]:.1f} {n32[0]:.1f}", around)
    assert (point.note, point.epsg) == ("utm_swapped", 25832)
    assert np.hypot(point.x - 313440.0, point.y - 6754520.0) < 0.5
    assert read_point_text("313440 6754520", around).epsg == 25833  # 25833 is assumed first


def test_the_page_says_what_it_understood():
    assert coordinate_read({"coordinate_note": None}, "nb") == "Tolket som breddegrad/lengdegrad."
    assert coordinate_read({"coordinate_note": None}, "en") == "Read as latitude/longitude."
    note = {"coordinate_note": {"code": "utm_swapped", "epsg": 25833}}
    assert coordinate_read(note, "nb") == "Tolket som Øst/Nord i EPSG:25833."
    assert coordinate_read(note, "en") == "Read as east/north in EPSG:25833."


# ---------------------------------------------------------------- one budget


def test_the_budget_is_the_policys_one_value(engine, admin):
    status = service.budget_status(engine, 2026)
    assert status == service.BudgetStatus(None, 0.0, None, 2026)
    assert budget_status_text(status, "nb").startswith("Det er ikke satt noe årsbudsjett")
    assert plan_budget_note(status, "nb").startswith("Det er ikke satt noe årsbudsjett i policyen")
    service.set_policy(engine, admin, annual_budget=10_000_000)
    status = service.budget_status(engine, 2026)
    assert status == service.BudgetStatus(10_000_000.0, 0.0, 10_000_000.0, 2026)
    assert service.remaining_budget(engine, 2026) == 10_000_000.0
    assert budget_status_text(status, "nb") == (
        "Årsbudsjett 10\u00a0000\u00a0000 kr; brukt i 2026: 0 kr; igjen: 10\u00a0000\u00a0000 kr.")
    assert "10\u00a0000\u00a0000 kr" in plan_budget_note(status, "nb")


def test_the_demo_budget_counts_this_years_purchases(demo_module_url):
    engine = make_engine(demo_module_url)
    units = service.units(engine) if hasattr(service, "units") else None
    status = service.budget_status(engine, 2025)
    assert status.annual is None and status.remaining is None
    if units is not None and "acquired" in units and "purchase_price" in units:
        acquired = pd.to_datetime(units["acquired"])
        expected = pd.to_numeric(units.loc[acquired.dt.year == 2025, "purchase_price"],
                                 errors="coerce").fillna(0).sum()
        assert status.spent == pytest.approx(float(expected))


def test_the_budget_reads_the_same_prices_as_the_register(tmp_path):
    """repo.purchase_spent (summed by the database) is, for every year, the sum pandas makes
    of load_units' acquired and purchase_price, and the budget spent is the hand sum of this
    year's prices; a year without purchases spent 0."""
    import datetime as dt

    from geoplan.storage import repo
    from geoplan.testing.data import hand_made_units, seed_database

    records = hand_made_units()
    records[0].update(acquired=dt.date(2026, 3, 1), purchase_price=2_500_000.0)
    records[1].update(acquired=dt.date(2026, 9, 1), purchase_price=3_100_000.0)
    records[2].update(acquired=dt.date(2025, 9, 1), purchase_price=9_900_000.0)
    engine = make_engine(f"sqlite:///{tmp_path}/prices.sqlite")
    try:
        seed_database(engine, records)
        whole = repo.load_units(engine)[["acquired", "purchase_price"]]
        years = pd.to_datetime(whole["acquired"]).dt.year
        for year in sorted(set(years.dropna().astype(int))):
            expected = pd.to_numeric(whole.loc[years == year, "purchase_price"],
                                     errors="coerce").fillna(0).sum()
            assert repo.purchase_spent(engine, year) == pytest.approx(float(expected))
        assert service.budget_status(engine, 2026).spent == 5_600_000.0
        assert repo.purchase_spent(engine, 1990) == 0.0
    finally:
        engine.dispose()
