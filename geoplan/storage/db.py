"""Engine creation and schema migrations (Alembic) for any SQLAlchemy URL."""

from __future__ import annotations

import fcntl
import sqlite3
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.orm import Session, sessionmaker

from geoplan.config import database_url
from geoplan.storage.geometry import use_postgis

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The newest migration. A test checks it against Alembic's own head, so it cannot go stale;
# knowing it lets an up-to-date database open without loading Alembic (about 0.5 s).
HEAD = "0007"


# SQLite: how long a connection waits for another's write lock before it gives up ("database is
# locked"), in milliseconds.  Imports take seconds; pages only read and never wait in WAL mode.
BUSY_TIMEOUT_MS = 30_000


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Every SQLite connection: a busy timeout instead of an immediate "database is locked"
    (first, so that switching the journal waits too), foreign keys on, and the WAL journal
    (readers never block the writer and see the last commit)."""
    cur = dbapi_connection.cursor()
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")  # kept in the file; "memory" for :memory:
    cur.close()


# What SQLite says when another connection held a lock longer than the busy timeout.
_LOCKED = ("database is locked", "database table is locked", "database schema is locked")


def _locked_is_busy(context) -> None:
    """SQLAlchemy ``handle_error``: a lock that outlasted the busy timeout raises
    :class:`WriterBusy` (which every page and command words) instead of a raw OperationalError,
    wherever it happens: a statement, a commit, or the connection's own set-up."""
    exc = context.original_exception
    if isinstance(exc, sqlite3.OperationalError) and str(exc).lower().startswith(_LOCKED):
        raise WriterBusy(BUSY_TIMEOUT_MS / 1000) from exc


def make_engine(url: str | None = None) -> Engine:
    """Create an engine for ``url`` (default: ``GEOPLAN_DATABASE_URL``) and migrate it to head.

    SQLite: every connection gets :func:`_sqlite_pragmas`, and "database is locked" becomes
    :class:`WriterBusy` (:func:`_locked_is_busy`).
    """
    url = url or database_url()
    engine = create_engine(url, future=True)
    if engine.dialect.name == "postgresql":
        use_postgis()
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "handle_error", _locked_is_busy)
    if current_revision(engine) != HEAD:
        upgrade(engine)
    return engine


def current_revision(engine: Engine) -> str | None:
    """Return the database's Alembic revision, or None for a new database."""
    if "alembic_version" not in inspect(engine).get_table_names():
        return None
    with engine.connect() as conn:
        return conn.scalar(text("SELECT version_num FROM alembic_version"))


@lru_cache(maxsize=8)
def get_engine(url: str | None = None) -> Engine:
    """Return a cached, migrated engine for ``url`` (default: ``GEOPLAN_DATABASE_URL``)."""
    return make_engine(url or database_url())


def alembic_config(engine: Engine) -> Config:
    """Return an Alembic config that runs the packaged migrations on ``engine``."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    url = engine.url.render_as_string(hide_password=False)
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))  # ConfigParser interpolation
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply the migrations up to ``revision``."""
    from alembic import command

    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def tables(engine: Engine) -> list[str]:
    """Return the names of the tables in the database."""
    return sorted(inspect(engine).get_table_names())


def session(engine: Engine) -> Session:
    """Return a new ORM session bound to ``engine``."""
    return sessionmaker(engine, expire_on_commit=False)()


class WriterBusy(TimeoutError):
    """Another writer (an import or a restore) held the database longer than we would wait.

    ``waited`` is how long we waited, in seconds.  Raised by :func:`writer_lock` and, on SQLite,
    for every "database is locked" (see :func:`make_engine`).
    """

    def __init__(self, waited: float):
        self.waited = float(waited)
        super().__init__(f"another import or restore has held the database for over "
                         f"{self.waited:g} s; try again later")


# PostgreSQL advisory lock key of GeoPlan's writers (any 64-bit number no other program uses)
_PG_LOCK_KEY = zlib.crc32(b"geoplan-writer")
_LOCAL_LOCKS: dict[str, threading.Lock] = {}
_LOCAL_LOCKS_GUARD = threading.Lock()


@contextmanager
def writer_lock(engine: Engine, timeout: float = 300.0, poll: float = 0.05) -> Iterator[None]:
    """Hold GeoPlan's one writer lock of ``engine``'s database while the block runs.

    Imports and restores take it, so two of them never interleave (across threads and
    processes): the second waits until the first has committed, then reads what it wrote.
    PostgreSQL: a session advisory lock; SQLite file: ``flock`` on ``<database>-writer.lock``
    next to the file; in-memory SQLite: a lock of this process.  Readers never take it.

    Raises
    ------
    WriterBusy
        When the lock is not free within ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout

    def wait(try_once) -> None:
        while not try_once():
            if time.monotonic() > deadline:
                raise WriterBusy(timeout)
            time.sleep(poll)

    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            wait(lambda: conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": _PG_LOCK_KEY}))
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_LOCK_KEY})
        return
    path = engine.url.database
    if engine.dialect.name != "sqlite" or not path or path == ":memory:":
        with _LOCAL_LOCKS_GUARD:
            lock = _LOCAL_LOCKS.setdefault(str(engine.url), threading.Lock())
        wait(lambda: lock.acquire(blocking=False))
        try:
            yield
        finally:
            lock.release()
        return
    with open(f"{path}-writer.lock", "a+b") as handle:  # one open file per holder: flock works
        def try_flock() -> bool:                         # between threads as between processes
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True

        wait(try_flock)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
