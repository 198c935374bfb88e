"""Registers of 500,000 rows, and imports and readers at the same time (issue 12, section 6).

- ``repo.upsert_units`` once looked the units up with one ``unit_id IN (...)`` of every id of
  the file, which SQLite refuses above its limit of bound variables ("too many SQL variables":
  250,000 in Debian's build, 32,766 by default) and PostgreSQL above 65,535.  It now works
  :data:`repo.CHUNK` ids at a time.  The tests call the lookup with 300,000 ids directly, and
  check that writing three chunks' worth binds no more than a chunk per statement (seconds,
  not the minutes of a whole import; the whole import is measured by
  ``benchmarks/bench_import.py``).
- SQLite's "database is locked" (another connection kept its write lock longer than the busy
  timeout) is raised as ``WriterBusy``, never as a raw OperationalError.
- Readers never fail while a writer commits again and again (WAL journal, busy timeout).
- A backup of a WAL database holds what is still only in its ``-wal`` file.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from geoplan import service
from geoplan.config import DATA_DIR
from geoplan.storage import db, repo
from geoplan.storage.models import Unit, UnitChange

UNITS = Unit.__table__


def demo_register(path: Path, n: int) -> Path:
    """The first ``n`` units of the demo's register file, in its own format."""
    lines = (DATA_DIR / "units" / "elverum_boliger.csv").read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:n + 1]))
    return path


def record(i: int, **fields: object) -> dict[str, object]:
    """A small valid unit record: id ``U0000001`` …, a point 1 m apart, two rooms."""
    return {"unit_id": f"U{i:07d}", "x": 300_000.0 + i, "y": 6_750_000.0, "unit_type": "ordinary",
            "tenure": "owned", "rooms": 2, **fields}


def write(engine, records: list[dict]) -> repo.ImportResult:
    with Session(engine) as s, s.begin():
        return repo.upsert_units(s, records, "test.csv")


def count(engine, table=UNITS) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(table))


def variable_limit(conn) -> int:
    """The most bound variables one statement of this SQLite may have."""
    return conn.connection.dbapi_connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)


# ---------------------------------------------------------------- 300,000 ids


def test_lookup_of_300000_ids_on_sqlite(engine):
    write(engine, [record(i) for i in range(0, 300_000, 250)])  # 1,200 stored units
    ids = [f"U{i:07d}" for i in range(300_000)]
    with engine.connect() as conn:
        if variable_limit(conn) < len(ids):  # the old single IN list fails here
            with pytest.raises(OperationalError, match="too many SQL variables"):
                conn.execute(select(UNITS.c.id).where(UNITS.c.unit_id.in_(ids))).all()
            conn.rollback()
        found = repo.existing_units(conn, ids)
    assert sorted(found) == [f"U{i:07d}" for i in range(0, 300_000, 250)]
    stored = found["U0000500"]  # (key, *UNIT_FIELDS)
    assert stored[1 + repo.UNIT_FIELDS.index("x")] == 300_500.0
    assert stored[1 + repo.UNIT_FIELDS.index("rooms")] == 2


def test_upsert_across_chunks_keeps_what_a_record_lacks(engine):
    """Records in three chunks: no statement binds more than CHUNK values per column; a field
    a record does not have keeps its stored value; a new unit gets the column's default; the
    history holds each changed field once."""
    n = 2 * repo.CHUNK + 10
    widest: list[int] = []

    def measure(_conn, _cursor, _statement, parameters, _context, executemany) -> None:
        rows = parameters if executemany else [parameters]
        widest.append(max((len(r) for r in rows), default=0))

    event.listen(engine, "before_cursor_execute", measure)
    first = write(engine, [record(i, monthly_rent=5000.0, status="vacant") for i in range(n)])
    event.remove(engine, "before_cursor_execute", measure)
    assert len(first.created) == n
    assert 0 < max(widest) <= repo.CHUNK  # the lookups: CHUNK ids at a most, never all n
    update = [{"unit_id": f"U{i:07d}", "x": 300_000.0 + i, "y": 6_750_000.0,
               "unit_type": "care", "tenure": "owned"} for i in range(0, n, 2)]  # no rent
    update.append({"unit_id": "NEW-1", "x": 1.0, "y": 2.0, "unit_type": "care",
                   "tenure": "leased"})
    result = write(engine, update)
    assert result.created == ["NEW-1"]
    assert len(result.updated) == len(range(0, n, 2)) and result.unchanged == 0
    units = repo.load_units(engine).set_index("unit_id")
    assert (units.loc[[f"U{i:07d}" for i in range(0, n, 2)], "unit_type"] == "care").all()
    assert (units.loc[[f"U{i:07d}" for i in range(1, n, 2)], "unit_type"] == "ordinary").all()
    assert (units.drop("NEW-1")["monthly_rent"] == 5000.0).all()
    new = units.loc["NEW-1"]
    assert (new["status"], bool(new["universal_design"])) == ("occupied", False)
    assert pd.isna(new["monthly_rent"])
    history = repo.unit_history(engine, f"U{n - 1 - (n - 1) % 2:07d}")
    assert history[["field", "old", "new"]].values.tolist() == [["unit_type", "ordinary", "care"]]
    assert count(engine, UnitChange.__table__) == len(range(0, n, 2))


def test_lookup_of_300000_ids_on_postgis(postgis):
    write(postgis, [record(i) for i in range(0, 300_000, 1000)])
    with postgis.connect() as conn:
        found = repo.existing_units(conn, [f"U{i:07d}" for i in range(300_000)])
    assert sorted(found) == [f"U{i:07d}" for i in range(0, 300_000, 1000)]


# ---------------------------------------------------------------- locks


@pytest.fixture
def short_busy_timeout(monkeypatch):
    """Connections made from now on wait 0.2 s for a lock instead of 30 s."""
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)


def hold_write_lock(path: Path) -> sqlite3.Connection:
    """Another program's connection that has taken the database's write lock."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def test_database_is_locked_becomes_writer_busy(tmp_path, short_busy_timeout, admin):
    path = tmp_path / "locked.sqlite"
    engine = db.make_engine(f"sqlite:///{path}")
    write(engine, [record(1)])
    register = demo_register(tmp_path / "register.csv", 20)
    holder = hold_write_lock(path)
    try:
        with pytest.raises(db.WriterBusy) as busy:  # an ORM write
            write(engine, [record(2)])
        assert isinstance(busy.value.__cause__, sqlite3.OperationalError)
        assert busy.value.waited == 0.2
        with pytest.raises(service.WriterBusy):  # a Core write
            with engine.begin() as conn:
                conn.execute(text("UPDATE units SET rooms = 4"))
        with pytest.raises(service.WriterBusy):  # a whole import, through the service
            service.import_file(engine, admin, "units", register, crs="EPSG:25833")
        assert len(repo.load_units(engine)) == 1  # readers go on meanwhile
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    summary = service.import_file(engine, admin, "units", register, crs="EPSG:25833")
    assert summary.created == 20  # free again
    engine.dispose()


def test_readers_never_fail_while_a_writer_commits(tmp_path):
    """One thread commits 20 times (50 new units each, and a new rent for every unit); two
    threads read the units all the while: no error, and every read sees whole commits only."""
    engine = db.make_engine(f"sqlite:///{tmp_path / 'busy.sqlite'}")
    done = threading.Event()
    errors: list[BaseException] = []
    reads: list[int] = []

    def writer() -> None:
        try:
            for k in range(1, 21):
                write(engine, [record(i, monthly_rent=float(k)) for i in range(50 * k)])
        except BaseException as exc:
            errors.append(exc)
        finally:
            done.set()

    def reader() -> None:
        try:
            while not done.is_set():
                units = repo.load_units(engine)
                assert len(units) % 50 == 0, "a read saw half a commit"
                assert units["monthly_rent"].nunique() <= 1, "a read saw half a commit"
                reads.append(len(units))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer), *(threading.Thread(target=reader)
                                                   for _ in range(2))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    assert len(reads) >= 10 and max(reads) > min(reads)
    assert count(engine) == 50 * 20
    engine.dispose()


def test_in_memory_sqlite_works_without_wal():
    engine = db.make_engine("sqlite://")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "memory"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == db.BUSY_TIMEOUT_MS
    write(engine, [record(i) for i in range(3)])
    assert len(repo.load_units(engine)) == 3
    engine.dispose()


def test_backup_holds_what_is_still_in_the_wal_file(tmp_path, admin):
    """Commits not yet checkpointed into the database file are in the backup (it reads
    through SQLite, never copies the file), and restore writes them back."""
    path = tmp_path / "wal.sqlite"
    engine = db.make_engine(f"sqlite:///{path}")
    engine.dispose()  # the last connection closed: the migrations are checkpointed into the file
    with engine.connect():  # while a connection is open, nothing checkpoints on close
        write(engine, [record(i) for i in range(500)])
        assert Path(f"{path}-wal").stat().st_size > 0
        copy = tmp_path / "copied-file.sqlite"
        copy.write_bytes(path.read_bytes())  # what a plain file copy would keep
        with sqlite3.connect(copy) as plain:
            assert plain.execute("SELECT count(*) FROM units").fetchone()[0] < 500
        archive = tmp_path / "backup.zip"
        service.backup(engine, admin, archive)
    target = db.make_engine(f"sqlite:///{tmp_path / 'restored.sqlite'}")
    service.restore(target, admin, archive)
    assert count(target) == 500
    engine.dispose()
    target.dispose()
