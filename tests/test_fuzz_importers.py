"""Property-based fuzzing of the CSV and GeoJSON importers (Hypothesis).

Whatever the file holds, an import either succeeds or is refused with problems that have words
in both languages; it never raises anything else, and a refusal leaves the database as it was.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from geoplan import service
from geoplan.storage.models import Address, Area, DemandFlow, DemandRow, ImportBatch, Municipality, Unit
from geoplan.ui.import_text import problem_text

FUZZ = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

# headers the importers know, and some they do not
HEADERS = ["Bolignr", "Adresse", "Øst", "Nord", "Boligtype", "Eierform", "Antall rom", "Areal",
           "Etasje", "Husleie", "Anskaffet", "Avhendet", "Status", "Målgruppe", "Fnr", "lat",
           "lon", "Dato", "Husstander", "Grunnkretsnummer", "Navn", "Befolkning", "Boliger",
           "Merknad", "Øst (EPSG:25832)", "x", "y", "", "Bolignr"]
CELLS = st.one_of(
    st.sampled_from(["", "T-1", "t-1", "Storgata 1", "313440", "6754520", "60,88", "11,56",
                     "Omsorgsbolig", "Eid", "Innleid", "2", "-1", "1e400", "nan", "inf",
                     "01.01.68", "31.02.2020", "2020-01-01", "#VALUE!", "=1+1", "'=1+1",
                     "Ja", "Nei", "ola@example.no", "912 34 567", "01019012345",
                     "99999999999999999999", "\x00", "a\u200bb", "Ø" * 300, '"', ";", "\n"]),
    st.text(max_size=12),
    st.integers(min_value=-10**12, max_value=10**12).map(str),
)


def _state(engine) -> tuple:
    with Session(engine) as s:
        return tuple(s.scalar(select(func.count()).select_from(m))
                     for m in (Unit, Area, DemandRow, DemandFlow, Address, Municipality, ImportBatch))


def _check(engine, admin, kind: str, path, **options) -> None:
    before = _state(engine)
    try:
        service.import_file(engine, admin, kind, path, **options)
    except service.ImportRefused as exc:
        assert exc.problems, "a refusal lists at least one problem"
        for p in exc.problems:
            assert problem_text(p, "nb", exc.filename) and problem_text(p, "en", exc.filename)
        assert _state(engine) == before, "a refused import changed the database"


@pytest.mark.parametrize("kind", ["units", "demand", "flows", "addresses"])
def test_any_csv_imports_or_is_refused(kind, bounded, admin, tmp_path):
    @FUZZ
    @given(headers=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8),
           rows=st.lists(st.lists(CELLS, max_size=9), max_size=6),
           sep=st.sampled_from([";", ",", "\t"]),
           encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    def run(headers, rows, sep, encoding):
        text = "\n".join(sep.join(r) for r in [headers, *rows])
        path = tmp_path / "fuzz.csv"
        path.write_bytes(text.encode(encoding, errors="replace"))
        _check(bounded, admin, kind, path)

    run()


COORD = st.one_of(st.floats(allow_nan=False, allow_infinity=False, width=32),
                  st.sampled_from([313440.0, 6754520.0, 11.56, 60.88, 0.0, 1e10]))


def _geometry(kind: str, coords: list[tuple[float, float]]) -> dict | None:
    if kind == "none":
        return None
    if kind == "Point":
        return {"type": "Point", "coordinates": list(coords[0])}
    ring = [list(c) for c in coords] + [list(coords[0])]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.mark.parametrize("kind", ["units", "areas", "boundary"])
def test_any_geojson_imports_or_is_refused(kind, bounded, admin, tmp_path):
    @FUZZ
    @given(features=st.lists(st.fixed_dictionaries({
        "geom": st.sampled_from(["Point", "Polygon", "none"]),
        "coords": st.lists(st.tuples(COORD, COORD), min_size=3, max_size=5),
        "props": st.dictionaries(st.sampled_from(HEADERS), CELLS, max_size=6),
    }), max_size=5), crs=st.sampled_from([None, "EPSG:25833", "EPSG:4326", "EPSG:3857"]))
    def run(features, crs):
        doc: dict = {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": _geometry(f["geom"], f["coords"]),
             "properties": f["props"]} for f in features]}
        if crs:
            doc["crs"] = {"type": "name", "properties": {"name": crs}}
        path = tmp_path / "fuzz.geojson"
        path.write_text(json.dumps(doc), encoding="utf-8")
        _check(bounded, admin, kind, path)

    run()
