"""Unit import: Norwegian spreadsheets, every format, refusals by row and column."""

from __future__ import annotations

import datetime as dt
import zipfile

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from geoplan.crs import to_display
from geoplan.io.errors import ImportRefused
from geoplan.io.problems import codes, problem, warning
from geoplan.io.units import import_units
from geoplan.storage import repo
from geoplan.storage.models import ImportBatch, Unit, UnitChange
from geoplan.testing.paths import TEST_DATA


def _count(engine, model) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(model))


def test_good_cp1252_semicolon_file_imports_with_norwegian_conventions(bounded):
    result = import_units(bounded, TEST_DATA / "boliger_ok_cp1252.csv")
    assert result.created == ["T-1", "T-2", "T-3"]
    units = repo.load_units(bounded).set_index("unit_id")
    t1 = units.loc["T-1"]
    assert (t1.street, t1.house_number, t1.letter) == ("Storgata", "12", "B")
    assert (t1.unit_type, t1.tenure, t1.status, t1.target_group) == (
        "care", "owned", "occupied", "elderly")
    assert t1.floor_area == 54.5 and t1.monthly_rent == 9850.0 and t1.rooms == 2
    assert bool(t1.universal_design) is True
    assert (t1.x, t1.y) == (313440.5, 6754520.2)
    assert t1.acquired == dt.date(2015, 3, 1) and t1.contract_end == dt.date(2027, 2, 28)
    t3 = units.loc["T-3"]
    assert t3.postal_code == "0406" and t3.tenure == "nomination"
    assert t3.acquired == dt.date(2012, 5, 1) and t3.disposed == dt.date(2020, 9, 1)
    assert units.loc["T-2"].tenure == "leased" and units.loc["T-2"].status == "vacant"
    # no CRS given: guessed from the ranges, with a warning
    assert result.warnings == [warning("crs_guessed", epsg=25833)]


def test_bad_file_is_refused_whole_with_every_problem_by_row(bounded):
    import_units(bounded, TEST_DATA / "boliger_ok_cp1252.csv")
    before = repo.load_units(bounded)
    with pytest.raises(ImportRefused) as info:
        import_units(bounded, TEST_DATA / "boliger_feil_cp1252.csv", crs="EPSG:25833")
    problems = info.value.problems
    # spreadsheet rows: the header is row 1, T-1 (the first data row) row 2
    assert [(p.code, p.row, p.column, p.unit_id) for p in problems] == [
        ("not_a_number", 3, "Øst", "T-2"),
        ("missing_coordinate", 4, "Nord", "T-3"),
        ("unknown_code", 5, "Boligtype", "T-4"),
        ("duplicate_id", 6, "Bolignr", "T-1"),
        ("not_yes_no", 7, "Universelt utformet", "T-6"),
        ("outside_norway", 7, "Øst/Nord", "T-6"),
        ("outside_boundary", 8, "Øst/Nord", "T-7"),
    ]
    assert all(type(p.row) is int for p in problems)  # numbers, not numpy scalars (JSON)
    assert problems[0].details == {"value": "abc"}
    assert problems[2].details["value"] == "Slott"
    assert problems[2].details["field"] == "unit_type"
    assert "care" in problems[2].details["known"]
    assert problems[3].details == {"value": "T-1", "first_row": 2}
    assert problems[5].details == {"x": "900000", "y": "5000000", "epsg": 25833}
    assert problems[6].details == {"x": "262000", "y": "6650000", "epsg": 25833,
                                   "place": "Testkommune"}
    assert not any(p.warning for p in problems)
    # every line of the words names its row; the database is unchanged
    from geoplan.ui.import_text import refusal_text

    words = refusal_text(info.value, "nb").splitlines()
    assert words[0] == ("boliger_feil_cp1252.csv ble avvist, ingenting ble importert (7 feil)")
    assert words[1] == "  rad 3 (T-2), kolonne «Øst»: «abc» er ikke et tall"
    assert words[4] == "  rad 6 (T-1), kolonne «Bolignr»: «T-1» står også i rad 2"
    assert all(line.startswith("  rad ") for line in words[1:]) and len(words) == 8
    pd.testing.assert_frame_equal(pd.DataFrame(repo.load_units(bounded)), pd.DataFrame(before))
    assert _count(bounded, ImportBatch) == 1


def test_personal_data_columns_are_refused_by_name(engine):
    with pytest.raises(ImportRefused) as info:
        import_units(engine, TEST_DATA / "boliger_personopplysninger.csv")
    assert info.value.problems == [
        problem("personal_header", column="Fødselsnummer", kind="birth_number"),
        problem("personal_header", column="Leietaker", kind="person")]
    assert _count(engine, Unit) == 0


def test_reimport_updates_by_unit_id_and_records_changes(bounded, tmp_path):
    import_units(bounded, TEST_DATA / "boliger_ok_cp1252.csv")
    text = (TEST_DATA / "boliger_ok_cp1252.csv").read_bytes().decode("cp1252")
    text = text.replace(";Ledig;", ";Utleid;").replace("7500", "7800")
    updated = tmp_path / "oppdatert.csv"
    updated.write_bytes(text.encode("cp1252"))
    result = import_units(bounded, updated)
    assert result.created == [] and result.unchanged == 2
    assert sorted(result.updated["T-2"]) == [("monthly_rent", 7500.0, 7800.0),
                                            ("status", "vacant", "occupied")]
    hist = repo.unit_history(bounded, "T-2")
    assert set(hist["field"]) == {"monthly_rent", "status"}
    assert _count(bounded, Unit) == 3 and _count(bounded, UnitChange) == 2


def test_utf8_bom_comma_separated_latlon_file(engine, tmp_path):
    lon, lat = to_display([313440.0], [6754520.0])
    path = tmp_path / "units.csv"
    path.write_text(
        "Unit ID,Address,Unit type,Tenure,Lat,Lon,Universal design\n"
        f"A1,Kirkegata 4,Care home,Owned,{lat[0]:.8f},{lon[0]:.8f},yes\n",
        encoding="utf-8-sig",
    )
    result = import_units(engine, path)
    assert result.warnings == []  # lat/lon columns say WGS 84
    unit = repo.load_units(engine).iloc[0]
    assert unit.x == pytest.approx(313440.0, abs=0.01)
    assert unit.y == pytest.approx(6754520.0, abs=0.01)
    assert bool(unit.universal_design) is True


def _frame() -> pd.DataFrame:
    return pd.DataFrame({
        "boligid": ["X1", "X2"], "boligtype": ["Omsorgsbolig", "Ungdomsbolig"],
        "eierform": ["Eid", "Innleid"], "antall rom": [2, 1],
        "øst": [313440.0, 313900.0], "nord": [6754520.0, 6754800.0],
    })


def test_xlsx_good_and_bad(bounded, tmp_path):
    good = tmp_path / "boliger.xlsx"
    _frame().to_excel(good, index=False)
    assert import_units(bounded, good, crs="25833").created == ["X1", "X2"]
    bad = _frame()
    bad.loc[1, "boligtype"] = "Hytte"
    path = tmp_path / "feil.xlsx"
    bad.to_excel(path, index=False)
    with pytest.raises(ImportRefused) as info:
        import_units(bounded, path, crs="25833")
    (bad,) = info.value.problems
    assert (bad.code, bad.row, bad.column, bad.unit_id) == ("unknown_code", 3, "boligtype", "X2")
    assert bad.details["value"] == "Hytte"


def _geo(crs: int) -> gpd.GeoDataFrame:
    frame = _frame().drop(columns=["øst", "nord"])
    pts = gpd.GeoSeries(shapely.points([313440.0, 313900.0], [6754520.0, 6754800.0]), crs=25833)
    return gpd.GeoDataFrame(frame, geometry=pts.to_crs(crs).values, crs=crs)


@pytest.mark.parametrize("suffix,crs", [(".geojson", 4326), (".gpkg", 25832), (".gpkg", 25835)])
def test_spatial_formats_take_crs_from_the_file(bounded, tmp_path, suffix, crs):
    path = tmp_path / f"boliger{suffix}"
    _geo(crs).to_file(path)
    import_units(bounded, path)
    units = repo.load_units(bounded)
    assert units.x.tolist() == pytest.approx([313440.0, 313900.0], abs=0.01)
    assert units.y.tolist() == pytest.approx([6754520.0, 6754800.0], abs=0.01)


def test_zipped_shapefile_good_and_bad(bounded, tmp_path):
    shp_dir = tmp_path / "shp"
    shp_dir.mkdir()
    _geo(25833).to_file(shp_dir / "boliger.shp")
    archive = tmp_path / "boliger.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in shp_dir.iterdir():
            zf.write(f, f.name)
    assert import_units(bounded, archive).created == ["X1", "X2"]
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK not really a zip")
    with pytest.raises(ImportRefused) as info:
        import_units(bounded, broken)
    assert codes(info.value.problems) == ["unreadable"]
    assert info.value.problems[0].row is None and info.value.problems[0].column is None


def test_unreadable_and_unsupported_files(engine, tmp_path):
    odd = tmp_path / "boliger.pdf"
    odd.write_bytes(b"%PDF")
    with pytest.raises(ImportRefused) as info:
        import_units(engine, odd)
    assert info.value.problems == [problem("unsupported_type", suffix=".pdf")]
    path = tmp_path / "mangler.csv"
    path.write_text("Bolignr;Eierform;Øst;Nord\nA;Eid;313440;6754520\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as info:
        import_units(engine, path)
    (missing,) = info.value.problems
    assert (missing.code, missing.row, missing.details["field"]) == (
        "missing_column", None, "unit_type")
    assert "'boligtype'" in missing.details["examples"]
    with pytest.raises(ImportRefused) as info:
        import_units(engine, TEST_DATA / "boliger_ok_cp1252.csv", crs="EPSG:3035")
    assert info.value.problems == [problem("crs_not_accepted", value="EPSG:3035")]
    assert _count(engine, Unit) == 0


def test_reimport_without_a_column_keeps_its_values(bounded, tmp_path):
    import_units(bounded, TEST_DATA / "boliger_ok_cp1252.csv")  # T-1 is universal design, T-2 vacant
    slim = tmp_path / "uten_status.csv"
    slim.write_text("Bolignr;Øst;Nord;Boligtype;Eierform\n"
                    "T-1;313440,5;6754520,2;Omsorgsbolig;Eid\n"
                    "T-2;313441,0;6754521,0;Gjennomgangsbolig;Innleid\n", encoding="utf-8")
    result = import_units(bounded, slim)
    assert result.updated == {} and result.unchanged == 2
    units = repo.load_units(bounded).set_index("unit_id")
    assert bool(units.loc["T-1", "universal_design"]) is True
    assert units.loc["T-2", "status"] == "vacant"


def test_trailing_blank_lines_and_money_with_thousands_dots(engine, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(("Bolignr;Øst;Nord;Boligtype;Eierform;Husleie\r\n"
                      "A;313440;6754520;Omsorgsbolig;Eid;7.350\r\n"
                      "B;313500;6754600;Omsorgsbolig;Eid;kr 9 850,-\r\n"
                      ";;;;;\r\n;;;;;\r\n").encode("cp1252"))
    assert import_units(engine, path, crs="EPSG:25833").created == ["A", "B"]
    assert repo.load_units(engine).monthly_rent.tolist() == [7350.0, 9850.0]


def test_explicit_crs_wins_over_the_file_and_compound_crs_is_accepted(bounded, tmp_path):
    # a GeoJSON in UTM without a crs member is read as WGS 84 by GDAL: --crs must rescue it
    path = tmp_path / "utm.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", '
                    '"properties": {"Bolignr": "G1", "Boligtype": "Omsorgsbolig", '
                    '"Eierform": "Eid"}, "geometry": {"type": "Point", '
                    '"coordinates": [313440.0, 6754520.0]}}]}', encoding="utf-8")
    with pytest.raises(ImportRefused) as info:
        import_units(bounded, path)
    assert info.value.problems == [problem("outside_norway", 2, "geometry", "G1", x="313440",
                                           y="6754520", epsg=4326)]
    result = import_units(bounded, path, crs="EPSG:25833")
    assert result.created == ["G1"]
    assert result.warnings == [warning("crs_conflict", file_epsg=4326, epsg=25833)]
    from pyproj import CRS

    from geoplan.crs import parse_epsg

    assert parse_epsg(CRS.from_epsg(5973)) == 25833  # ETRS89 / UTM 33 + NN2000 height


@pytest.mark.parametrize("text,parts", [
    ("Storgata 12 B", ("Storgata", "12", "B")),
    ("Storgata 12B H0101", ("Storgata", "12", "B")),  # with the bruksenhetsnummer
    ("Kirkevegen 55-57", ("Kirkevegen", "55", None)),
    ("Gamle Kongeveg 3, 2406 Elverum", ("Gamle Kongeveg", "3", None)),
    ("Leiret", ("Leiret", None, None)),
])
def test_split_address(text, parts):
    from geoplan.io.values import split_address

    assert split_address(text) == parts


def test_too_long_text_is_a_row_problem_not_a_database_error(engine, tmp_path):
    path = tmp_path / "lang.csv"
    path.write_text("Bolignr;Bygningsnr;Øst;Nord;Boligtype;Eierform\n"
                    f"A;{'1' * 41};313440;6754520;Omsorgsbolig;Eid\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as info:
        import_units(engine, path, crs="EPSG:25833")
    assert info.value.problems == [problem("too_long", 2, "Bygningsnr", "A",
                                           value=f"{'1' * 29}…", limit=40)]


def test_unit_schema_comes_from_the_unit_fields():
    from geoplan import unit_fields as uf
    from geoplan.io.columns import UNIT_COLUMNS
    from geoplan.io.units import unit_fields
    from geoplan.vocab import DEFAULT_UNIT_TYPES

    assert UNIT_COLUMNS == {f.name: f.aliases for f in uf.UNIT_FIELDS}
    schema = unit_fields(DEFAULT_UNIT_TYPES)
    assert [f.name for f in schema] == [f.name for f in uf.UNIT_FIELDS]
    assert [f.name for f in schema if f.required] == ["unit_id", "unit_type", "tenure"]
    parse = {f.name: f.parse for f in schema}
    assert parse["unit_type"]("Omsorgsbolig") == "care" and parse["tenure"]("Eid") == "owned"
    assert parse["postal_code"]("406") == "0406" and parse["monthly_rent"]("7.350") == 7350.0
    with pytest.raises(ValueError, match="too_long") as info:
        parse["letter"]("ABCDEF")
    assert info.value.problem == problem("too_long", value="ABCDEF", limit=5)


CANDIDATES = ("Adresse;Øst;Nord;Pris (kr);Antall rom;Areal (m²);Heis\n"
              "Storgata 12;313495,1;6754982,2;2 500 000;3;61;Ja\n")


def test_candidate_file_good_and_bad_through_the_service(bounded, tmp_path):
    from geoplan import service

    good = tmp_path / "kandidater.csv"
    good.write_text(CANDIDATES, encoding="utf-8")
    cands = service.read_candidates(bounded, good, crs="EPSG:25833")
    assert {"label", "address", "action", "x", "y", "price", "area_m2", "rooms", "lift",
            "staffed", "unit_type", "building_id"} <= set(cands.columns)
    row = cands.iloc[0]
    assert (row.label, row.action, row.price, row.area_m2, row.rooms) == (
        "Storgata 12", "buy", 2_500_000.0, 61.0, 3)
    assert bool(row.lift) and (row.x, row.y) == (313495.1, 6754982.2)
    assert cands.attrs["warnings"] == []
    uploaded = service.read_candidate_bytes(bounded, good.read_bytes(), "kandidater.csv",
                                            crs="EPSG:25833")
    pd.testing.assert_frame_equal(uploaded, cands)
    bad = tmp_path / "feil.csv"
    bad.write_text(CANDIDATES.replace("2 500 000", "mye").replace("Ja\n", "Kanskje\n"),
                   encoding="utf-8")
    with pytest.raises(ImportRefused) as info:
        service.read_candidates(bounded, bad, crs="EPSG:25833")
    # sorted by row, then column
    assert info.value.problems == [problem("not_yes_no", 2, "Heis", value="Kanskje"),
                                   problem("not_a_number", 2, "Pris (kr)", value="mye")]
    personal = tmp_path / "personer.csv"
    personal.write_text("Leietaker;" + CANDIDATES.replace("\nS", "\nOla;S"), encoding="utf-8")
    with pytest.raises(ImportRefused) as info:
        service.read_candidates(bounded, personal, crs="EPSG:25833")
    assert info.value.problems == [problem("personal_header", column="Leietaker", kind="person")]
