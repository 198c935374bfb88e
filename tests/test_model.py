"""The data model: migrations, no personal-data columns, history instead of deletes."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from geoplan import service
from geoplan.storage import repo
from geoplan.storage.db import HEAD, alembic_config, current_revision, tables
from geoplan.storage.models import Base
from tests.conftest import DATA


def test_head_constant_matches_the_migrations(engine):
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    assert HEAD == head
    assert current_revision(engine) == head


def test_migrations_build_exactly_the_models(engine):
    assert set(tables(engine)) == set(Base.metadata.tables) | {"alembic_version"}
    for name, table in Base.metadata.tables.items():
        db_cols = {c["name"] for c in inspect(engine).get_columns(name)}
        assert db_cols == {c.name for c in table.columns}, name


def test_no_column_can_hold_personal_data():
    banned = ("name_person", "tenant", "leietaker", "fodselsnummer", "birth", "ssn",
              "case", "sak", "phone", "email")
    for table in Base.metadata.tables.values():
        for col in table.columns:
            assert not any(b in col.name.lower() for b in banned), f"{table.name}.{col.name}"


def test_dispose_keeps_the_unit_and_its_history(engine):
    from geoplan.io.units import import_units

    import_units(engine, DATA / "boliger_ok_cp1252.csv", crs="EPSG:25833")
    repo.dispose_unit(engine, "T-1", dt.date(2026, 6, 30))
    units = repo.load_units(engine).set_index("unit_id")
    assert units.loc["T-1", "disposed"] == dt.date(2026, 6, 30) and len(units) == 3
    assert "T-1" not in set(service.units(engine, dt.date(2026, 7, 1)).unit_id)
    assert repo.unit_history(engine, "T-1")[["field", "old", "new"]].values.tolist() == [
        ["disposed", None, "2026-06-30"]]
    with pytest.raises(KeyError):
        repo.dispose_unit(engine, "nope", dt.date(2026, 1, 1))
