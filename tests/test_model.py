"""The data model: migrations, no personal-data columns, history instead of deletes."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Boolean, Date, Float, Integer, String, inspect

from geoplan import service
from geoplan import unit_fields as uf
from geoplan.io.columns import header_key
from geoplan.storage import repo
from geoplan.storage.db import HEAD, alembic_config, current_revision, tables
from geoplan.storage.models import Base, Unit
from geoplan.testing.paths import TEST_DATA
from geoplan.vocab import DEFAULT_UNIT_TYPES


def test_head_constant_matches_the_migrations(engine):
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    assert HEAD == head
    assert current_revision(engine) == head


def test_migrations_build_exactly_the_models(engine):
    assert set(tables(engine)) == set(Base.metadata.tables) | {"alembic_version"}
    for name, table in Base.metadata.tables.items():
        db_cols = {c["name"] for c in inspect(engine).get_columns(name)}
        assert db_cols == {c.name for c in table.columns}, name


def test_a_new_database_has_the_same_indexes_whatever_was_imported_first(tmp_path):
    """The migrations import GeoAlchemy2 before they make a table (storage/migrations/env.py):
    its index on each geometry column is there on SQLite too, as in every database made before
    the app stopped importing it up front (storage/geometry.py), in a process that has the
    models already (as here) or not."""
    import subprocess
    import sys

    probe = ("import sys, tempfile; from sqlalchemy import inspect; "
             "from geoplan.storage.db import make_engine; "
             "e = make_engine(f'sqlite:///{tempfile.mkdtemp()}/x.sqlite'); "
             "print(sorted(i['name'] for t in ('areas', 'municipality') "
             "for i in inspect(e).get_indexes(t)))")
    expected = "['idx_areas_geometry', 'idx_municipality_boundary', 'ix_areas_system']"
    for first in ("", "import geoplan.storage.models; ", "import geoalchemy2; "):
        out = subprocess.run([sys.executable, "-c", first + probe], capture_output=True,
                             text=True, check=True, timeout=120)
        assert out.stdout.strip().splitlines()[-1] == expected, first


def test_no_column_can_hold_personal_data():
    banned = ("name_person", "tenant", "leietaker", "fodselsnummer", "birth", "ssn",
              "case", "sak", "phone", "email")
    # the one exception: the staff who sign in are known by their e-mail (users.email); no
    # tenant, applicant or case is ever a row
    allowed = {("users", "email")}
    for table in Base.metadata.tables.values():
        for col in table.columns:
            if (table.name, col.name) in allowed:
                continue
            assert not any(b in col.name.lower() for b in banned), f"{table.name}.{col.name}"


def test_dispose_keeps_the_unit_and_its_history(engine):
    from geoplan.io.units import import_units

    import_units(engine, TEST_DATA / "boliger_ok_cp1252.csv", crs="EPSG:25833")
    repo.dispose_unit(engine, "T-1", dt.date(2026, 6, 30))
    units = repo.load_units(engine).set_index("unit_id")
    assert units.loc["T-1", "disposed"] == dt.date(2026, 6, 30) and len(units) == 3
    assert "T-1" not in set(service.units(engine, dt.date(2026, 7, 1)).unit_id)
    assert repo.unit_history(engine, "T-1")[["field", "old", "new"]].values.tolist() == [
        ["disposed", None, "2026-06-30"]]
    with pytest.raises(KeyError):
        repo.dispose_unit(engine, "nope", dt.date(2026, 1, 1))


# the SQLAlchemy type of each kind of unit field
_KIND_TYPES = {uf.TEXT: String, uf.CODE: String, uf.POSTAL_CODE: String, uf.INT: Integer,
               uf.FLOAT: Float, uf.MONEY: Float, uf.BOOL: Boolean, uf.DATE: Date}


def test_unit_model_agrees_with_the_unit_fields():
    """The Unit model's columns, types and text lengths are those of geoplan.unit_fields."""
    table = Unit.__table__
    bookkeeping = {"id", "created_at", "updated_at"}
    assert [c.name for c in table.columns if c.name not in bookkeeping] == list(
        uf.REGISTER_FIELDS)
    assert repo.UNIT_FIELDS == uf.REGISTER_FIELDS
    for f in uf.UNIT_FIELDS:
        assert f.kind in uf.KINDS, f.name
        if not f.stored:
            assert f.name not in table.columns, f.name
            continue
        column = table.columns[f.name]
        assert isinstance(column.type, _KIND_TYPES[f.kind]), f.name
        assert getattr(column.type, "length", None) == f.length, f.name
        if f.required:
            assert not column.nullable, f.name


def test_unit_fields_are_consistent():
    names = [f.name for f in uf.UNIT_FIELDS]
    assert len(names) == len(set(names))
    # an export's headers (the field names) import again: each name is one of its aliases
    assert all(header_key(f.name) in f.aliases for f in uf.UNIT_FIELDS)
    assert all((f.vocabulary is not None) == (f.kind == uf.CODE) for f in uf.UNIT_FIELDS)
    for where in ("table", "popup"):
        positions = [getattr(f, where) for f in uf.shown_in(where)]
        assert positions == list(range(1, len(positions) + 1)), where
    assert set(uf.vocabularies(DEFAULT_UNIT_TYPES)) == {"unit_type", "tenure", "status",
                                                       "target_group"}


def test_load_units_builds_the_same_frame_as_from_rows(tmp_path):
    """load_units makes its frame from plain tuples (faster); it equals pandas' frame of the
    SQLAlchemy rows, dtypes included, on units with blanks, dates and booleans."""
    import pandas as pd
    from sqlalchemy import select

    from geoplan.storage import repo
    from geoplan.storage.db import make_engine
    from geoplan.storage.models import Unit
    from geoplan.testing.data import hand_made_units, seed_database

    engine = make_engine(f"sqlite:///{tmp_path}/rows.sqlite")
    try:
        seed_database(engine, hand_made_units())
        stmt = select(*(getattr(Unit, f) for f in repo.UNIT_FIELDS)).order_by(Unit.unit_id)
        with engine.connect() as conn:
            expected = pd.DataFrame(conn.execute(stmt).all(), columns=repo.UNIT_FIELDS)
        got = pd.DataFrame(repo.load_units(engine).drop(columns="geometry"))
        pd.testing.assert_frame_equal(got, expected)
        assert len(got) == 6
    finally:
        engine.dispose()
