"""The corpus of bad files (tests/data/bad/): each is imported for real and ends as written here.

One file per case, named ``<kind>_<what it tries>.<ext>``; the kind is the importer.  Every file
in the folder must have an entry in :data:`EXPECTED`, so a new bad file cannot go untested.  A
refusal must leave the database exactly as it was (a unit imported first is still there,
unchanged, and nothing else was written).
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from geoplan import service
from geoplan.storage import repo
from geoplan.storage.models import Area, ImportBatch, Unit
from geoplan.testing.paths import TEST_DATA
from geoplan.ui.import_text import problem_text, refusal_text

BAD = TEST_DATA / "bad"
PRE = TEST_DATA / "boliger_ok_cp1252.csv"  # three units inside the test boundary

REFUSED, IMPORTED, REPAIRED = "refused", "imported", "repaired"

# file -> (outcome, [(code, spreadsheet row, column)] of the problems or warnings that matter).
# For "refused" the list is every problem, in order; for "imported"/"repaired" the warnings
# listed must be among the import's warnings.
EXPECTED: dict[str, tuple[str, list[tuple[str, int | None, str | None]]]] = {
    # --- values (issue 12 §2) ---
    "units_negative_values.csv": (REFUSED, [
        ("negative", 2, "Antall rom"), ("negative", 3, "Areal"), ("negative", 4, "Etasje"),
        ("negative", 5, "Husleie")]),
    "units_date_before_1900.csv": (REFUSED, [("date_too_early", 2, "Anskaffet")]),
    "units_acquired_far_future.csv": (REFUSED, [("date_in_future", 2, "Anskaffet")]),
    "units_two_digit_year.csv": (REFUSED, [("two_digit_year", 2, "Anskaffet")]),
    "units_number_too_large.csv": (REFUSED, [("too_large", 2, "Gnr")]),
    "units_excel_error_cells.xlsx": (REFUSED, [
        ("excel_error", 3, "Husleie"), ("excel_error", 4, "Husleie")]),
    "units_control_characters.csv": (REFUSED, [
        ("control_character", 2, "Adresse"), ("control_character", 3, "Adresse")]),
    "units_ids_case_and_zero_width.csv": (REFUSED, [
        ("duplicate_id", 3, "Bolignr"), ("duplicate_id", 5, "Bolignr"),
        ("duplicate_id", 7, "Bolignr")]),
    "units_address_too_long.csv": (REFUSED, [("too_long", 2, "Adresse")]),
    # --- readable refusals for readable mistakes (§4) ---
    "units_utf16.csv": (IMPORTED, []),
    "units_data_on_second_sheet.xlsx": (REFUSED, [("several_sheets", None, None)]),
    "units_empty_first_sheet.xlsx": (IMPORTED, []),
    "units_duplicate_headers.csv": (REFUSED, [("duplicate_header", 1, "Øst")]),
    "units_row_with_extra_fields.csv": (REFUSED, [("too_many_fields", 3, None)]),
    "units_header_on_row_3.xlsx": (REFUSED, [("not_a_number", 4, "Øst")]),  # Excel's own row
    "units_crs_3857_header.csv": (REFUSED, [
        ("crs_not_accepted", None, "Nord (EPSG:3857)"),
        ("crs_not_accepted", None, "Øst (EPSG:3857)")]),
    # --- personal data by header and by content, in every column, sheet and layer (§1) ---
    "units_header_etternavn_fornavn.csv": (REFUSED, [
        ("personal_header", None, "Etternavn, fornavn")]),
    "units_personal_headers_issue12.csv": (REFUSED, [
        ("personal_header", None, h) for h in sorted([
            "Etternavn, fornavn", "Telefonnummer", "Mobilnummer", "E-postadresse",
            "Occupant name", "Kontaktperson", "Født", "Personal ID", "DOB", "Birth date",
            "Full name", "F.nr", "Saks-ID", "Resident", "Verge"])]),
    "units_birth_number_in_note.csv": (REFUSED, [("personal_content", None, "Merknad")]),
    "units_email_in_ignored_column.csv": (REFUSED, [("personal_content", None, "Merknad")]),
    "units_phone_column.csv": (REFUSED, [("personal_content", None, "Notat")]),
    "units_fnr_birth_number.csv": (REFUSED, [("fnr_ambiguous", None, "Fnr")]),
    "units_second_sheet_leietaker.xlsx": (REFUSED, [
        ("personal_header", None, "Leietakere › Leietaker")]),
    "units_second_layer_leietaker.gpkg": (REFUSED, [
        ("personal_header", None, "leietakere › Leietaker")]),
    "areas_fodselsnummer_indicator.geojson": (REFUSED, [
        ("personal_content", None, "Fødselsnummer"), ("personal_header", None, "Fødselsnummer")]),
    # a personal value is never repeated: not as a row's unit id, not as a bad value's text
    "units_birth_number_as_id.csv": (REFUSED, [
        ("personal_content", None, "Bolignr"), ("not_a_number", 2, "Øst")]),
    "units_email_in_rooms.csv": (REFUSED, [
        ("personal_content", None, "Antall rom"), ("personal_content", None, "Gnr")]),
    # --- geometry (§3) ---
    "areas_empty_geometry.geojson": (REFUSED, [
        ("missing_polygon", 3, "geometry"), ("missing_polygon", 4, "geometry"),
        ("not_a_polygon", 5, "geometry")]),
    "areas_infinite.gpkg": (REFUSED, [("not_finite", 3, "geometry")]),
    "areas_outside_norway.geojson": (REFUSED, [("area_outside_norway", 3, "geometry")]),
    "areas_overlap.geojson": (REFUSED, [("overlap", 3, "geometry")]),
    "areas_utm_without_crs.geojson": (REFUSED, [("no_crs", None, None)]),
    "areas_zero_area.geojson": (REFUSED, [("zero_area", 3, "geometry")]),
    "areas_self_intersecting.geojson": (REPAIRED, [
        ("repaired_geometry", 2, "geometry"), ("repaired_geometry", 3, "geometry")]),
    "areas_gap.geojson": (IMPORTED, [("gap_units", None, None)]),
    "areas_z_zero.geojson": (IMPORTED, []),
    "grid_duplicate_ids.csv": (REFUSED, [("duplicate_id", 4, "ssbid_250m")]),
    "grid_invalid_ids.csv": (REFUSED, [
        ("grid_id_invalid", 2, "ssbid_250m"), ("grid_id_invalid", 3, "ssbid_250m"),
        ("grid_id_invalid", 4, "ssbid_250m"), ("negative", 5, "befolkning")]),
    "addresses_crs_3857.csv": (REFUSED, [("crs_not_accepted", 3, "EPSG-kode")]),
    # --- headers that are Markdown or HTML (§6): imported; the words keep them literal ---
    "units_markdown_header.csv": (IMPORTED, [
        ("unused_column", None, "<img src=x onerror=alert(1)>"),
        ("unused_column", None, "**fet**")]),
}


# the options a file is imported with (the sheet or layer to read)
OPTIONS: dict[str, dict[str, object]] = {
    "units_second_sheet_leietaker.xlsx": {"sheet": "Boliger"},
    "units_second_layer_leietaker.gpkg": {"sheet": "boliger"},
}


def kind_of(name: str) -> str:
    """The importer a bad file is for: its name's first word."""
    return name.split("_", 1)[0]


def _state(engine) -> tuple:
    """Everything a refused import could have touched, for comparing before and after."""
    with Session(engine) as s:
        units = s.execute(select(Unit.unit_id, Unit.street, Unit.x, Unit.y, Unit.monthly_rent,
                                 Unit.disposed).order_by(Unit.unit_id)).all()
        return (tuple(units), s.scalar(select(func.count()).select_from(Area)),
                s.scalar(select(func.count()).select_from(ImportBatch)))


def test_every_bad_file_has_an_expectation():
    on_disk = {p.name for p in BAD.iterdir() if p.is_file()}
    assert on_disk - set(EXPECTED) == set(), "bad files without an expected outcome"
    assert set(EXPECTED) - on_disk == set(), "expected outcomes without a file"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_ends_as_expected(name, bounded, admin):
    outcome, expected = EXPECTED[name]
    service.import_file(bounded, admin, "units", PRE, crs="EPSG:25833")
    before = _state(bounded)
    kind = kind_of(name)
    options = ({"size": 250} if kind == "grid" else {}) | OPTIONS.get(name, {})
    if outcome == REFUSED:
        with pytest.raises(service.ImportRefused) as info:
            service.import_file(bounded, admin, kind, BAD / name, **options)
        got = [(p.code, p.row, p.column) for p in info.value.problems]
        assert got == expected
        assert _state(bounded) == before  # nothing written
        for lang in ("nb", "en"):  # every problem has words, and no value is lost in them
            text = refusal_text(info.value, lang)
            assert len(text.splitlines()) == len(expected) + 1
    else:
        summary = service.import_file(bounded, admin, kind, BAD / name, **options)
        got = {(w.code, w.row, w.column) for w in summary.warnings}
        assert set(expected) <= got
        assert all(w.warning for w in summary.warnings)
        if outcome == REPAIRED:
            assert expected, "a repair must warn"
        for w in summary.warnings:
            assert problem_text(w, "nb") and problem_text(w, "en")


def test_ids_compare_case_insensitively_against_the_register(bounded, admin, tmp_path):
    """A re-import spelling an id differently ("t-1", zero-width space) updates that unit."""
    service.import_file(bounded, admin, "units", PRE, crs="EPSG:25833")
    text = PRE.read_bytes().decode("cp1252").replace("T-1;", "t-1\u200b;").replace(
        "9 850,00", "9 900,00")
    changed = tmp_path / "boliger.csv"
    changed.write_text(text, encoding="utf-8")
    summary = service.import_file(bounded, admin, "units", changed, crs="EPSG:25833")
    assert (summary.created, summary.updated) == (0, 1)
    assert sorted(repo.unit_ids(bounded)) == ["T-1", "T-2", "T-3"]
    assert summary.changes["T-1"] == [("monthly_rent", 9850.0, 9900.0)]


def test_excel_error_cells_never_erase_a_stored_value(bounded, admin):
    """#VALUE! in a re-import is a row error; the stored rent stays."""
    service.import_file(bounded, admin, "units", BAD / "units_empty_first_sheet.xlsx")
    with pytest.raises(service.ImportRefused):
        service.import_file(bounded, admin, "units", BAD / "units_excel_error_cells.xlsx")
    assert "E-2" not in repo.unit_ids(bounded)


def test_markdown_headers_are_words_not_markup():
    """The words of a problem quote a header literally; the page escapes or tabulates them."""
    from geoplan.io.problems import warning
    from geoplan.ui.purchase_view import md_escape

    w = warning("unused_column", None, "<img src=x onerror=alert(1)>")
    text = problem_text(w, "nb")
    assert text == "kolonne «<img src=x onerror=alert(1)>»: kolonnen brukes ikke"
    assert "\\<img" in md_escape(text) or "&lt;img" in md_escape(text)


@pytest.mark.parametrize("name", ["units_birth_number_as_id.csv", "units_email_in_rooms.csv",
                                  "units_fnr_birth_number.csv", "units_birth_number_in_note.csv"])
def test_a_personal_value_is_never_repeated(name, bounded, admin):
    """Neither the words of a refusal (both languages), nor its record for the log, nor any
    problem's unit id or details hold the personal value found."""
    raw = (BAD / name).read_text(encoding="utf-8")
    secrets = set(re.findall(r"(?<!\d)\d{6}[ .]?\d{4,5}(?!\d)|[\w.+-]+@[\w-]+\.[\w.]+", raw))
    assert secrets, "the file holds personal values"
    with pytest.raises(service.ImportRefused) as info:
        service.import_file(bounded, admin, "units", BAD / name)
    texts = [refusal_text(info.value, "nb"), refusal_text(info.value, "en"), str(info.value),
             repr([(p.unit_id, p.detail) for p in info.value.problems])]
    for secret in secrets:
        assert not any(secret in text for text in texts), secret
