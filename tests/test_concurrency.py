"""Many users at once: two imports into one database, and imports while pages read.

Two imports of the demo's unit file with different contents, started at the same moment (a
barrier), must leave the units equal to exactly one of the two files, with both in the import
log (run one after the other: the second saw what the first wrote) or one refused; never a mix.
A reader during the imports sees the register before, between or after them, never half an
import.  On SQLite (WAL journal, busy timeout; threads and separate processes) and on PostGIS
(threads; skipped without GEOPLAN_TEST_POSTGRES_URL).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import DateTime, select, text

from geoplan import service
from geoplan.config import DATA_DIR
from geoplan.storage.db import WriterBusy, make_engine, writer_lock
from geoplan.storage.models import Base

UNITS = Base.metadata.tables["units"]
BATCHES = Base.metadata.tables["import_batches"]
CHANGES = Base.metadata.tables["unit_changes"]
# the register's own content: every column but the key and the database's timestamps
CONTENT = [c for c in UNITS.columns if c.name != "id" and not isinstance(c.type, DateTime)]
SOURCE = DATA_DIR / "units" / "elverum_boliger.csv"
ENCODING = "cp1252"


def variant(path: Path, column: str, change) -> Path:
    """The demo's unit file with ``change(value)`` applied to one column of every row."""
    lines = SOURCE.read_text(encoding=ENCODING).splitlines()
    header = lines[0].split(";")
    i = header.index(column)
    out = [lines[0]]
    for line in lines[1:]:
        cells = line.split(";")
        cells[i] = change(cells[i])
        out.append(";".join(cells))
    path.write_text("\r\n".join(out) + "\r\n", encoding=ENCODING)
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """Two versions of the register: A adds a room to every unit, B raises every rent."""
    folder = tmp_path_factory.mktemp("variants")
    return {
        "A": variant(folder / "boliger_A.csv", "Antall rom",
                     lambda v: str(int(v) + 1) if v.strip().isdigit() else v),
        "B": variant(folder / "boliger_B.csv", "Husleie (kr/mnd)",
                     lambda v: str(int(v) + 100) if v.strip().isdigit() else v),
    }


def content(engine) -> list[tuple]:
    """The units' content, ordered by unit id."""
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(*CONTENT).order_by(UNITS.c.unit_id))]


@pytest.fixture(scope="module")
def expected(demo_template, files, tmp_path_factory) -> dict[str, list[tuple]]:
    """The units before any import, and after importing only A or only B (on SQLite)."""
    out = {}
    for name in ("before", "A", "B"):
        path = tmp_path_factory.mktemp("expected") / "demo.sqlite"
        shutil.copyfile(demo_template, path)
        engine = make_engine(f"sqlite:///{path}")
        if name != "before":
            service.import_file(engine, service.local_actor(), "units", files[name], crs="EPSG:25833")
        out[name] = content(engine)
        engine.dispose()
    assert out["A"] != out["before"] != out["B"] != out["A"]
    return out


def import_log(engine) -> list[tuple[int, str]]:
    """The unit imports of the variants: (batch id, file name), in order."""
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(
            select(BATCHES.c.id, BATCHES.c.filename)
            .where(BATCHES.c.filename.like("boliger_%")).order_by(BATCHES.c.id))]


def changed_fields(engine, batch: int) -> set[str]:
    with engine.connect() as conn:
        return set(conn.scalars(select(CHANGES.c.field).where(CHANGES.c.batch_id == batch)))


def race(engine, files) -> dict[str, BaseException | None]:
    """Import A and B in two threads released at the same moment; return each one's error."""
    barrier = threading.Barrier(2)
    errors: dict[str, BaseException | None] = {}

    def run(name: str) -> None:
        barrier.wait()
        try:
            service.import_file(engine, service.local_actor(), "units", files[name], crs="EPSG:25833")
            errors[name] = None
        except Exception as exc:  # a refusal is allowed; it is checked below
            errors[name] = exc

    threads = [threading.Thread(target=run, args=(n,)) for n in ("A", "B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    return errors


def assert_one_file_won(engine, expected, errors: dict[str, BaseException | None]) -> None:
    """The units equal one file; the log holds both in order, or one with the other refused."""
    log = import_log(engine)
    logged = [Path(name).stem[-1] for _, name in log]
    refused = sorted(n for n, e in errors.items() if e is not None)
    assert sorted(logged + refused) == ["A", "B"], (log, errors)
    last = logged[-1]
    assert content(engine) == expected[last]
    if len(logged) == 2:  # serialised: the second compared with what the first had written
        first_batch, second_batch = log[0][0], log[1][0]
        own = {"A": {"rooms"}, "B": {"monthly_rent"}}
        assert changed_fields(engine, first_batch) == own[logged[0]]
        assert changed_fields(engine, second_batch) == {"rooms", "monthly_rent"}


def test_sqlite_connections_use_wal_and_a_busy_timeout(engine):
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_two_imports_at_once_on_sqlite(demo_engine, files, expected):
    errors = race(demo_engine, files)
    assert errors == {"A": None, "B": None}  # both serialised, none refused
    assert_one_file_won(demo_engine, expected, errors)


def test_two_import_processes_at_once_on_sqlite(demo_copy, files, expected):
    """Two ``geoplan import units`` commands started together: separate processes."""
    env = {**os.environ, "GEOPLAN_DATABASE_URL": demo_copy}
    geoplan = Path(sys.executable).parent / "geoplan"
    procs = {n: subprocess.Popen([str(geoplan), "import", "units", str(files[n]), "--crs",
                                  "EPSG:25833"], env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, text=True) for n in ("A", "B")}
    outputs = {n: p.communicate(timeout=300)[0] for n, p in procs.items()}
    assert all(p.returncode == 0 for p in procs.values()), outputs
    engine = make_engine(demo_copy)
    assert_one_file_won(engine, expected, {"A": None, "B": None})
    engine.dispose()


def reads_during_imports(engine, files, expected) -> int:
    """Import A then B in a thread while this thread reads the units again and again; every
    read equals the register before, between or after the imports.  Returns the reads made."""
    done = threading.Event()
    failure: list[BaseException] = []

    def importer() -> None:
        try:
            for name in ("A", "B"):
                service.import_file(engine, service.local_actor(), "units", files[name], crs="EPSG:25833")
        except BaseException as exc:  # reported below
            failure.append(exc)
        finally:
            done.set()

    allowed = {"before": expected["before"], "A": expected["A"], "B": expected["B"]}
    thread = threading.Thread(target=importer)
    thread.start()
    reads = 0
    while not done.is_set() or reads == 0:
        now = content(engine)
        assert now in allowed.values(), "a read saw half an import"
        frame = service.units(engine)  # what the map page reads
        assert len(frame) == len(now)
        reads += 1
    thread.join()
    assert not failure, failure
    assert content(engine) == expected["B"]
    return reads


def test_imports_while_pages_read_on_sqlite(demo_engine, files, expected):
    assert reads_during_imports(demo_engine, files, expected) >= 3


def test_writer_lock_times_out_with_a_clear_error(engine):
    memory = make_engine("sqlite://")
    for db in (engine, memory):
        with writer_lock(db):
            started = time.monotonic()
            with pytest.raises(WriterBusy, match="another import or restore"):
                with writer_lock(db, timeout=0.2):
                    pass
            assert 0.2 <= time.monotonic() - started < 5
        with writer_lock(db, timeout=0.2):  # free again
            pass


@pytest.fixture
def postgis_demo(postgis, demo_engine, tmp_path):
    """The demo on PostGIS, by way of a backup archive."""
    path = tmp_path / "demo.zip"
    service.backup(demo_engine, service.local_actor(), path)
    service.restore(postgis, service.local_actor(), path)
    return postgis


def test_two_imports_at_once_on_postgis(postgis_demo, files, expected):
    errors = race(postgis_demo, files)
    assert errors == {"A": None, "B": None}
    assert_one_file_won(postgis_demo, expected, errors)
    with postgis_demo.connect() as conn:  # the advisory lock was released
        assert conn.scalar(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")) == 0


def test_imports_while_pages_read_on_postgis(postgis_demo, files, expected):
    assert reads_during_imports(postgis_demo, files, expected) >= 3


def test_writer_lock_on_postgis_times_out(postgis):
    with writer_lock(postgis):
        with pytest.raises(WriterBusy):
            with writer_lock(postgis, timeout=0.2):
                pass
    with writer_lock(postgis, timeout=0.2):
        pass


def test_the_load_test_is_no_bench_and_stays_on_localhost():
    """`geoplan bench --only load` does not exist (the load test takes minutes: it is run as
    ``python -m benchmarks.load.run``), and a session may reach 127.0.0.1 only."""
    import asyncio

    from typer.testing import CliRunner

    from benchmarks.load.run import percentiles
    from benchmarks.load.sessions import _only_localhost
    from geoplan.cli import app

    out = CliRunner().invoke(app, ["bench", "--only", "load"])
    assert out.exit_code == 1 and "unknown benchmark(s): load" in out.output

    class Route:
        def __init__(self, url):
            self.request = type("Request", (), {"url": url})()
            self.done = None

        async def continue_(self):
            self.done = "continued"

        async def abort(self):
            self.done = "aborted"

    for url, done in [("http://127.0.0.1:8501/_stcore/health", "continued"),
                      ("https://cache.kartverket.no/v1/wmts/tile.png", "aborted"),
                      ("https://fonts.gstatic.com/icon.svg", "aborted")]:
        route = Route(url)
        asyncio.run(_only_localhost(route))
        assert route.done == done, url
    assert percentiles([0.1, 0.2, 0.3, 0.4, 1.0]) == {
        "n": 5, "p50_ms": 300.0, "p95_ms": 880.0, "max_ms": 1000.0}  # numpy's linear rule
