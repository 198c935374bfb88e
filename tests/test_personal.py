"""Personal data caught by header and by content (issue 12, section 1): geoplan.io.personal.

Birth numbers are made here with the published algorithm (Skatteetaten: two mod-11 control
digits) by a helper written independently of the module; the pinned literals were checked with
python-stdnum 2.2 (``stdnum.no.fodselsnummer.is_valid``).  Every value is synthetic.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geoplan.io.addresses import ADDRESS_COLUMNS
from geoplan.io.candidates import CANDIDATE_COLUMNS
from geoplan.io.columns import (
    AREA_COLUMNS,
    DEMAND_COLUMNS,
    FLOW_COLUMNS,
    UNIT_COLUMNS,
    match_columns,
)
from geoplan.io.files import read_table
from geoplan.io.personal import (
    PERSONAL_HEADERS,
    birth_number_mask,
    find_personal,
    header_kind,
)
from geoplan.io.problems import codes
from geoplan.io.service_points import SERVICE_COLUMNS
from geoplan.testing.paths import TEST_DATA
from geoplan.ui.import_text import PERSONAL_KINDS

BAD = TEST_DATA / "bad"


# --- birth numbers made by hand -------------------------------------------------------------
def control_digits(nine: str) -> str | None:
    """The two control digits of a birth number's first nine digits (None: no valid number).

    k1 = 11 - (3 7 6 1 8 9 4 5 2 · d1..d9) mod 11, k2 = 11 - (5 4 3 2 7 6 5 4 3 2 · d1..k1)
    mod 11; 11 gives 0 and 10 means the nine digits have no valid number.
    """
    def one(digits: str, weights: list[int]) -> int | None:
        k = 11 - sum(int(c) * w for c, w in zip(digits, weights, strict=True)) % 11
        return 0 if k == 11 else None if k == 10 else k

    k1 = one(nine, [3, 7, 6, 1, 8, 9, 4, 5, 2])
    if k1 is None:
        return None
    k2 = one(nine + str(k1), [5, 4, 3, 2, 7, 6, 5, 4, 3, 2])
    return None if k2 is None else f"{k1}{k2}"


def make_number(day: int, month: int, yy: int, start: int = 100) -> str:
    """The first valid birth number for this day, month and year from individual number
    ``start`` up (day + 40 for a D-number, month + 40 for an H-number, month + 80 synthetic)."""
    for ind in range(start, 1000):
        nine = f"{day:02d}{month:02d}{yy:02d}{ind:03d}"
        k = control_digits(nine)
        if k is not None:
            return nine + k
    raise AssertionError("no number")


# checked with python-stdnum 2.2: fodselsnummer.is_valid(...) is True for each
PINNED = ["01019012480", "15055001275", "41019012393", "01018012371"]


def test_the_helper_agrees_with_the_pinned_numbers():
    for number in PINNED:
        assert control_digits(number[:9]) == number[9:]
    assert control_digits("010190123") is None  # 11 - 1 = 10: no valid number
    # the issue's 01019012345 is eleven digits but not a valid number
    assert control_digits("010190123") != "45"


def test_birth_number_mask_accepts_valid_numbers_of_every_kind():
    numbers = PINNED + [
        make_number(1, 1, 90),          # fødselsnummer
        make_number(31, 12, 5, 500),    # born 2005 (individual number 500-999, year < 40)
        make_number(29, 2, 96),         # a leap day
        make_number(41, 1, 90),         # D-number: day + 40
        make_number(71, 3, 88),         # D-number on the 31st
        make_number(15, 45, 70),        # H-number: month + 40
        make_number(15, 85, 70),        # Skatteetaten's synthetic test number: month + 80
        make_number(42, 92, 1, 600),    # synthetic D-number
    ]
    assert birth_number_mask(pd.Series(numbers)).tolist() == [True] * len(numbers)


def test_birth_number_mask_refuses_bad_checksums_and_dates():
    good = make_number(1, 1, 90)
    wrong_k1 = good[:9] + str((int(good[9]) + 1) % 10) + good[10]
    wrong_k2 = good[:10] + str((int(good[10]) + 1) % 10)
    bad_dates = [nine + control_digits(nine) for nine in (
        "320190123", "310490124", "290200125", "001290125", "011390125", "720190123",
    ) if control_digits(nine)]
    # 29.02.1900 (individual number < 500: 1900, not a leap year), 31 April, day 32 and 72,
    # day 0 and month 13
    assert len(bad_dates) >= 4
    mask = birth_number_mask(pd.Series([wrong_k1, wrong_k2, "01019012345", *bad_dates]))
    assert not mask.any()


# --- content ----------------------------------------------------------------------------------
def _find(frame: pd.DataFrame, known: dict[str, str] | None = None, sheet=None):
    return find_personal(frame, known or {}, sheet=sheet)


def test_birth_numbers_are_found_in_any_column_and_never_echoed():
    good, d_number = make_number(1, 1, 90), make_number(41, 1, 90)
    frame = pd.DataFrame({
        "Bolignr": ["A-1", "A-2", "A-3", "A-4"],
        "Kolonne": ["", good, "x", f"{d_number[:6]} {d_number[6:]}"],
        "Merknad": ["", "", f"leietaker {good}", None],
        "Tall": ["12", "01019012345", "123.45678901", "60.123456789"],  # bad checksum, decimals
    })
    problems = _find(frame, {"unit_id": "Bolignr"})
    assert [(p.code, p.column, p.details) for p in problems] == [
        ("personal_content", "Kolonne", {"kind": "birth_number", "rows": "3, 5", "count": 2}),
        ("personal_content", "Merknad", {"kind": "birth_number", "rows": "4", "count": 1}),
    ]
    text = repr(problems)
    assert good not in text and d_number[:6] not in text


def test_a_birth_number_that_lost_its_leading_zero_is_found():
    good = make_number(1, 1, 90)  # 0101901…
    lost = good[1:]               # 10 digits, as a number column keeps it
    for column in ([lost, "7"], [int(lost), 7], [float(lost), 7.0]):
        problems = _find(pd.DataFrame({"Indikator": column}))
        assert [(p.code, p.details["kind"], p.details["rows"]) for p in problems] == [
            ("personal_content", "birth_number", "2")]


def test_a_known_column_is_checked_for_birth_numbers_and_emails_but_not_phones():
    good = make_number(5, 6, 77)
    frame = pd.DataFrame({"Bolignr": [good, "B-2"], "Leie": ["912 34 567", "7500"],
                          "Adresse": ["ola@example.no", "Storgata 1"]})
    known = {"unit_id": "Bolignr", "monthly_rent": "Leie", "address": "Adresse"}
    found = {(p.column, p.details["kind"]) for p in _find(frame, known)}
    assert found == {("Bolignr", "birth_number"), ("Adresse", "email")}


def test_a_coordinate_with_five_decimals_is_not_a_birth_number_in_a_known_column():
    number = make_number(31, 1, 34)  # "310134…": also an easting in EPSG:25833
    dotted = f"{number[:6]}.{number[6:]}"
    frame = pd.DataFrame({"Øst": [dotted], "Kolonne": [dotted]})
    problems = _find(frame, {"x": "Øst"})
    assert [(p.column, p.details["kind"]) for p in problems] == [("Kolonne", "birth_number")]


def test_emails_are_found_anywhere_in_a_text():
    frame = pd.DataFrame({"Merknad": ["ring vakt", "kontakt: kari.nordmann@example.no i dag",
                                      "@ola", "a@b", "ola.nordmann@kommune.no", "", None]})
    (p,) = _find(frame)
    assert (p.code, p.column, p.details) == (
        "personal_content", "Merknad", {"kind": "email", "rows": "3, 6", "count": 2})
    assert "example" not in repr(p) and "kommune.no" not in repr(p)


def test_formatted_phone_numbers_in_an_unknown_column_are_found():
    frame = pd.DataFrame({"Notat": ["912 34 567", "+47 41234567", "0047 22 12 34 56",
                                    "22 12 34 56", "tekst", "", "1234", "12345678"]})
    (p,) = _find(frame)
    assert p.details == {"kind": "phone", "rows": "2, 3, 4, 5", "count": 4}


def test_plain_eight_digit_numbers_count_only_in_a_column_of_mobile_numbers():
    rng = np.random.default_rng(47)
    mobiles = [str(rng.choice([4, 9]) * 10_000_000 + rng.integers(0, 10_000_000))
               for _ in range(40)]
    assert _find(pd.DataFrame({"Kolonne": mobiles}))[0].details["count"] == 40
    plain = {
        "counts": [str(i) for i in range(1, 200)],
        "ids": [str(30_000_001 + i) for i in range(200)],              # 8 digits, a dense run
        "mobile_like_ids": [str(90_000_001 + i) for i in range(200)],  # dense: ids, not phones
        "building_ids": [str(300_000_001 + i) for i in range(50)],     # 9 digits
        "years": [str(1990 + i % 30) for i in range(100)],
        "prices": [str(2_500_000 + 12_345 * i) for i in range(100)],   # 7 digits
        "few": mobiles[:3] + ["tekst"] * 10,                           # not a phone column
    }
    for name, values in plain.items():
        assert _find(pd.DataFrame({"Kolonne": values})) == [], name


def test_first_rows_are_five_and_the_count_is_every_row():
    numbers = [make_number(d, 3, 81) for d in range(1, 11)]
    frame = pd.DataFrame({"X": ["", *numbers, numbers[0]]})
    (p,) = _find(frame)
    assert p.details == {"kind": "birth_number", "rows": "3, 4, 5, 6, 7", "count": 11}


def test_blank_and_date_columns_and_an_empty_frame_are_safe():
    frame = pd.DataFrame({"A": [None, np.nan, "", "  "], "B": [pd.NaT] * 4,
                          "C": pd.to_datetime(["2020-01-01"] * 4), "D": [True, False] * 2,
                          "E": [1.5, np.inf, -np.inf, np.nan]})
    assert _find(frame) == []
    assert _find(pd.DataFrame()) == []
    assert _find(pd.DataFrame({"A": []})) == []


# --- headers ----------------------------------------------------------------------------------
ISSUE_HEADERS = {
    "Etternavn, fornavn": "name", "Telefonnummer": "phone", "Mobilnummer": "phone",
    "E-postadresse": "email", "Occupant name": "name", "Kontaktperson": "person",
    "Født": "birth_date", "Personal ID": "birth_number", "DOB": "birth_date",
    "Birth date": "birth_date", "Full name": "name", "F.nr": "birth_number",
    "Saks-ID": "case", "Resident": "person", "Verge": "person",
}

MORE_HEADERS = {
    # bokmål and abbreviations
    "Fødselsnummer": "birth_number", "Fødselsnr.": "birth_number", "Personnr": "birth_number",
    "D-nummer": "birth_number", "Fnr": "birth_number", "Fødselsdato": "birth_date",
    "F.dato": "birth_date", "Fornavn": "name", "Mellomnavn": "name", "Fullt navn": "name",
    "Leietakers navn": "name", "Leietakernavn": "name", "Navn": "name", "Kontaktnavn": "name",
    "Tlf.": "phone", "Tlf nr": "phone", "Mobil": "phone", "Mobiltelefon": "phone",
    "E-post": "email", "Epost": "email", "Saksnummer": "case", "Saksnr.": "case",
    "Saksbehandler": "case", "Sak": "case", "Vedtak": "case", "Leietaker": "person",
    "Leietakere": "person", "Beboer": "person", "Pårørende": "person", "Søker": "person",
    "Diagnose": "other", "Kjønn": "other",
    # nynorsk
    "Fødselsnummer (nynorsk)": "birth_number", "Fødd": "birth_date", "Namn": "name",
    "Etternamn": "name", "Førenamn": "name", "Bebuar": "person", "Leigetakar": "person",
    "Sakshandsamar": "case", "Verje": "person", "Pårørande": "person", "Søkjar": "person",
    # English
    "First name": "name", "Last name": "name", "Given name": "name", "Family name": "name",
    "Surname": "name", "Name": "name", "Tenant": "person", "Tenant name": "name",
    "Occupant": "person", "Guardian": "person", "Next of kin": "person",
    "Contact person": "person", "Phone": "phone", "Phone number": "phone",
    "Mobile": "phone", "Email": "email", "E-mail": "email", "E-mail address": "email",
    "Date of birth": "birth_date", "Birthday": "birth_date", "SSN": "birth_number",
    "National ID": "birth_number", "National identity number": "birth_number",
    "Birth number": "birth_number", "Case ID": "case", "Case number": "case",
    "Case worker": "case", "Case details": "case", "Gender": "other",
}

# the definition this module replaced (geoplan.io.columns.PERSONAL_COLUMNS): all still caught
OLD_LIST = [
    "navn", "name", "fornavn", "etternavn", "fullt navn", "leietaker", "leietakers navn",
    "leietakernavn", "beboer", "beboers navn", "tenant", "tenant name", "tenants", "occupant",
    "fodselsnummer", "fodselsnr", "fodselsdato", "personnummer", "personnr", "birth number",
    "date of birth", "national id", "ssn", "d nummer", "saksnummer", "saksnr", "sak", "case",
    "case number", "case id", "case details", "saksbehandler", "telefon", "tlf", "mobil",
    "phone", "epost", "e post", "email", "e mail", "diagnose", "vedtak",
]


@pytest.mark.parametrize("header,kind", sorted((ISSUE_HEADERS | MORE_HEADERS).items()))
def test_personal_headers_are_caught_with_their_kind(header, kind):
    assert header_kind(header) == kind
    frame = pd.DataFrame({"Bolignr": ["A"], header: [""]})
    (p,) = _find(frame, {"unit_id": "Bolignr"})
    assert (p.code, p.column, p.details) == ("personal_header", header, {"kind": kind})


def test_the_old_list_is_still_caught():
    assert [h for h in OLD_LIST if header_kind(h) is None] == []


def test_every_kind_has_words():
    assert set(PERSONAL_HEADERS) <= set(PERSONAL_KINDS)
    assert {"birth_number", "email", "phone"} <= set(PERSONAL_KINDS)


ALIASES = sorted({alias for schema in (UNIT_COLUMNS, AREA_COLUMNS, DEMAND_COLUMNS, FLOW_COLUMNS,
                                       CANDIDATE_COLUMNS, ADDRESS_COLUMNS, SERVICE_COLUMNS)
                  for aliases in schema.values() for alias in aliases})
# personal anywhere but where an importer knows them: an area's or a service point's name, a
# unit's festenummer
KNOWN_ONLY = {"navn", "name", "fnr"}


def test_no_importer_alias_looks_personal():
    flagged = [a for a in ALIASES if header_kind(a) is not None]
    assert sorted(flagged) == sorted(KNOWN_ONLY)
    more = ["Gatenavn", "Områdenavn", "Grunnkretsnavn", "Kommunenavn", "Street name", "Sted",
            "Kontraktslutt", "Tenure", "Antall personer", "Innbyggere", "Husleie", "Leie",
            "Brukergruppe", "Tildelt", "Bygningsnr", "Bolignr", "Postnr", "Nr", "SSB cell id",
            "Tjeneste", "Bemanning", "Kontrakt slutt", "Husnummer", "Bruksnavn", "Gardsnavn",
            "Borettslagsnavn", "Telling", "Renter", "Skolenavn", "Vedtekter"]
    assert [h for h in more if header_kind(h) is not None] == []


def test_a_name_column_is_personal_unless_the_importer_knows_it():
    areas = pd.DataFrame({"kode": ["1"], "navn": ["Sentrum"], "befolkning": ["120"]})
    known, _, _ = match_columns(areas.columns, AREA_COLUMNS)
    assert known["name"] == "navn" and _find(areas, known) == []
    units = pd.DataFrame({"Bolignr": ["A-1"], "Navn": ["Ola Nordmann"], "Gatenavn": ["Storgata"]})
    known, _, _ = match_columns(units.columns, UNIT_COLUMNS)
    assert [(p.code, p.column, p.details) for p in _find(units, known)] == [
        ("personal_header", "Navn", {"kind": "name"})]
    services = pd.DataFrame({"name": ["Elverum skole"], "kategori": ["skole"]})
    known, _, _ = match_columns(services.columns, SERVICE_COLUMNS)
    assert _find(services, known) == []


def test_every_alias_is_accepted_when_known():
    for schema in (UNIT_COLUMNS, AREA_COLUMNS, DEMAND_COLUMNS, FLOW_COLUMNS, CANDIDATE_COLUMNS,
                   ADDRESS_COLUMNS, SERVICE_COLUMNS):
        for fld, aliases in schema.items():
            for alias in aliases:
                frame = pd.DataFrame({alias: ["1"]})
                assert _find(frame, {fld: alias}) == [], alias


def test_other_sheets_name_the_sheet():
    frame = pd.DataFrame({"Bolignr": ["A-1"], "Leietaker": ["Ola"],
                          "Kolonne": ["ola@example.no"]})
    problems = _find(frame, {}, sheet="Ark2")
    assert [(p.code, p.column) for p in problems] == [
        ("personal_header", "Ark2 › Leietaker"), ("personal_content", "Ark2 › Kolonne")]


# --- fnr: festenummer or birth number ---------------------------------------------------------
def test_fnr_as_festenummer_is_accepted_when_small():
    frame = pd.DataFrame({"Gnr": ["12", "12", "12", "12"], "Fnr": ["0", "1", "", "9999"]})
    known, _, _ = match_columns(frame.columns, UNIT_COLUMNS)
    assert known["fnr"] == "Fnr" and _find(frame, known) == []
    numeric = pd.DataFrame({"Fnr": [0, 3, 12.0, None]}, dtype=object)
    assert _find(numeric, {"fnr": "Fnr"}) == []


def test_fnr_that_looks_like_a_birth_number_is_refused():
    good = make_number(1, 1, 90)
    frame = pd.DataFrame({"Fnr": ["01019012345", "2", good[1:], good, "12345"]})
    problems = _find(frame, {"fnr": "Fnr"})
    # 11 digits (the issue's, not even valid), 10 digits and a valid number; only one problem:
    # no personal_content beside it for the same birth numbers
    assert [(p.code, p.column, p.details) for p in problems] == [
        ("fnr_ambiguous", "Fnr", {"rows": "2, 4, 5"})]
    numeric = pd.DataFrame({"Fnr": [int(good), 1]}, dtype=object)  # read as a number
    assert codes(_find(numeric, {"fnr": "Fnr"})) == ["fnr_ambiguous"]


def test_fnr_in_a_file_that_does_not_know_it_is_a_birth_number_header():
    (p,) = _find(pd.DataFrame({"Fnr": ["1"]}), {})
    assert (p.code, p.details["kind"]) == ("personal_header", "birth_number")


# --- the bad files of the corpus --------------------------------------------------------------
def _scan(path: Path, schema, sheet: str | None = None):
    raw = read_table(path, sheet=sheet)
    known, _, _ = match_columns(raw.frame.columns, schema)
    problems = find_personal(raw.frame, known)
    for name, frame in raw.others.items():
        problems += find_personal(frame, {}, sheet=name)
    return [(p.code, p.column, p.details) for p in problems]


def test_bad_file_fnr_birth_number():
    assert _scan(BAD / "units_fnr_birth_number.csv", UNIT_COLUMNS) == [
        ("fnr_ambiguous", "Fnr", {"rows": "2"})]


def test_bad_file_email_in_ignored_column():
    assert _scan(BAD / "units_email_in_ignored_column.csv", UNIT_COLUMNS) == [
        ("personal_content", "Merknad", {"kind": "email", "rows": "3", "count": 1})]


def test_bad_file_phone_column():
    assert _scan(BAD / "units_phone_column.csv", UNIT_COLUMNS) == [
        ("personal_content", "Notat", {"kind": "phone", "rows": "2, 3", "count": 2})]


def test_bad_file_birth_number_in_note():
    assert _scan(BAD / "units_birth_number_in_note.csv", UNIT_COLUMNS) == [
        ("personal_content", "Merknad", {"kind": "birth_number", "rows": "3, 4", "count": 2})]


def test_bad_file_header_etternavn_fornavn():
    assert _scan(BAD / "units_header_etternavn_fornavn.csv", UNIT_COLUMNS) == [
        ("personal_header", "Etternavn, fornavn", {"kind": "name"})]


def test_bad_file_every_header_of_the_issue():
    found = _scan(BAD / "units_personal_headers_issue12.csv", UNIT_COLUMNS)
    assert found == [("personal_header", h, {"kind": k}) for h, k in ISSUE_HEADERS.items()]


def test_bad_file_area_indicator_of_birth_numbers():
    assert _scan(BAD / "areas_fodselsnummer_indicator.geojson", AREA_COLUMNS) == [
        ("personal_header", "Fødselsnummer", {"kind": "birth_number"}),
        ("personal_content", "Fødselsnummer", {"kind": "birth_number", "rows": "2, 3",
                                               "count": 2}),
    ]


def test_bad_file_second_sheet_leietaker():
    assert _scan(BAD / "units_second_sheet_leietaker.xlsx", UNIT_COLUMNS, sheet="Boliger") == [
        ("personal_header", "Leietakere › Leietaker", {"kind": "person"})]


def test_bad_file_second_layer_leietaker():
    assert _scan(BAD / "units_second_layer_leietaker.gpkg", UNIT_COLUMNS, sheet="boliger") == [
        ("personal_header", "leietakere › Leietaker", {"kind": "person"})]


def test_the_good_test_registers_have_no_personal_data():
    for name in ("boliger_ok_cp1252.csv", "strommer_ok_cp1252.csv"):
        schema = FLOW_COLUMNS if name.startswith("strommer") else UNIT_COLUMNS
        assert _scan(TEST_DATA / name, schema) == [], name


# --- speed ------------------------------------------------------------------------------------
def test_500k_rows_by_25_columns_in_a_few_seconds():
    n = 500_000
    rng = np.random.default_rng(12)
    ids = pd.Series(np.arange(n)).astype(str)
    columns = {"Bolignr": "EL-" + ids.str.zfill(6),
               "Adresse": "Storgata " + pd.Series(rng.integers(1, 200, n)).astype(str)}
    for i in range(23):
        kind = i % 5
        if kind == 0:
            values = pd.Series(rng.integers(0, 100_000, n)).astype(str)
        elif kind == 1:
            values = pd.Series(np.round(rng.uniform(2e5, 4e5, n), 2)).astype(str)
        elif kind == 2:  # long numbers, the hardest case: every one is checked
            values = pd.Series(rng.integers(10**9, 10**11, n)).astype(str)
        elif kind == 3:
            values = pd.Series(rng.choice(["Ja", "Nei", ""], n))
        else:
            values = "Merknad nr " + ids
        columns[f"Kolonne {i}"] = values
    frame = pd.DataFrame(columns).astype(object)
    start, cpu = time.perf_counter(), time.process_time()
    problems = find_personal(frame, {"unit_id": "Bolignr", "address": "Adresse"})
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"\nfind_personal: {n} rows x {frame.shape[1]} columns in {seconds:.1f} s "
          f"({cpu:.1f} s of CPU)")
    # random 10-11 digit numbers pass the checks about 1 time in 500: those columns only
    assert {p.column for p in problems} == {f"Kolonne {i}" for i in range(2, 23, 5)}
    assert seconds < 60
