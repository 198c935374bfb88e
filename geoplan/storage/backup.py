"""A portable, versioned backup of every GeoPlan table: write it, check it, restore it.

The archive is a ZIP file::

    manifest.json          format, format version, schema revision (Alembic), when, what, and
                           per table: file, columns (name and kind), row count, SHA-256
    tables/<table>.jsonl   one JSON array per row, in the manifest's column order, ordered by
                           the primary key

It covers every table of :data:`geoplan.storage.models.Base.metadata` (``sorted_tables``), so a
new table is backed up without a change here.  Values are written so that they come back
exactly, on SQLite as on PostGIS: floats as JSON numbers (shortest round-trip form), non-finite
floats as ``"nan"``/``"inf"``/``"-inf"``, dates and times in ISO 8601, geometries as hex WKB
(the stored coordinates, bit for bit), other binary data in base64.

:func:`read_archive` checks everything before anything is written: a readable ZIP (a truncated
file fails here), the manifest, the format version, the schema revision (equal to
:data:`geoplan.storage.db.HEAD`, older and newer refused with a message that says which), the
table and column lists, each table's SHA-256 and row count, and every value's kind.
:func:`restore` then writes the whole archive in one transaction under the writer lock.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import math
import os
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import shapely
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Engine,
    Float,
    Integer,
    LargeBinary,
    String,
    Table,
    delete,
    func,
    select,
    text,
)
from sqlalchemy.exc import DBAPIError

from geoplan.storage.db import HEAD, MIGRATIONS, make_engine, writer_lock
from geoplan.storage.geometry import Geometry
from geoplan.storage.models import Base

FORMAT = "geoplan-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"


class ArchiveError(ValueError):
    """An archive that is refused (damaged, changed, or of another schema); nothing was written."""


@dataclass(frozen=True)
class Codec:
    """How one kind of column is written to JSON and read back (``load`` raises on a bad value)."""

    kind: str
    dump: Callable[[object], object]
    load: Callable[[object], object]


def _strict(kind: str, *types: type) -> Callable[[object], object]:
    def load(value: object) -> object:
        if type(value) not in types:
            raise ValueError(f"{value!r} is not a {kind}")
        return value
    return load


def _dump_float(value: object) -> object:
    value = float(value)
    return value if math.isfinite(value) else repr(value)  # 'nan', 'inf', '-inf'


def _load_float(value: object) -> float:
    if isinstance(value, str) and value in ("nan", "inf", "-inf"):
        return float(value)
    if type(value) not in (int, float):
        raise ValueError(f"{value!r} is not a number")
    return float(value)


def _load_iso(parse: Callable[[str], object]) -> Callable[[object], object]:
    def load(value: object) -> object:
        if not isinstance(value, str):
            raise ValueError(f"{value!r} is not an ISO 8601 text")
        return parse(value)
    return load


# Checked in this order: the first whose SQLAlchemy type matches the column's wins.
CODECS: tuple[tuple[type, Codec], ...] = (
    (Geometry, Codec("geometry", lambda g: shapely.to_wkb(g, hex=True),
                     _load_iso(lambda s: shapely.from_wkb(bytes.fromhex(s))))),
    (DateTime, Codec("datetime", lambda v: v.isoformat(), _load_iso(dt.datetime.fromisoformat))),
    (Date, Codec("date", lambda v: v.isoformat(), _load_iso(dt.date.fromisoformat))),
    (Boolean, Codec("bool", bool, _strict("boolean", bool))),
    (Integer, Codec("int", int, _strict("whole number", int))),
    (Float, Codec("float", _dump_float, _load_float)),
    (String, Codec("text", str, _strict("text", str))),
    (JSON, Codec("json", lambda v: v, lambda v: v)),
    (LargeBinary, Codec("binary", lambda v: base64.b64encode(bytes(v)).decode("ascii"),
                        _load_iso(base64.b64decode))),
)


def codec(column) -> Codec:
    """Return the codec of ``column`` (TypeError for a kind of column no codec knows)."""
    for sql_type, found in CODECS:
        if isinstance(column.type, sql_type):
            return found
    raise TypeError(f"column {column.table.name}.{column.name}: no backup codec for "
                    f"{type(column.type).__name__}")


def schema() -> list[tuple[Table, list[str], list[Codec]]]:
    """Every table of this GeoPlan in dependency order, with its column names and codecs."""
    return [(t, [c.name for c in t.columns], [codec(c) for c in t.columns])
            for t in Base.metadata.sorted_tables]


def _line(values: list[object]) -> bytes:
    return json.dumps(values, ensure_ascii=False, allow_nan=False,
                      separators=(",", ":")).encode("utf-8") + b"\n"


def _dump_table(conn, table: Table, codecs: list[Codec]) -> bytes:
    rows = conn.execute(select(table).order_by(*table.primary_key.columns))
    return b"".join(_line([None if v is None else c.dump(v) for v, c in zip(row, codecs,
                                                                              strict=True)])
                    for row in rows)


def table_dumps(engine: Engine) -> dict[str, bytes]:
    """Return each table's rows as the archive's JSON lines, read in one consistent snapshot."""
    if engine.dialect.name == "postgresql":
        conn = engine.connect().execution_options(isolation_level="REPEATABLE READ")
    else:
        conn = engine.connect()
    with conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN")  # pysqlite reads outside a transaction otherwise
        dumps = {t.name: _dump_table(conn, t, codecs) for t, _, codecs in schema()}
        conn.rollback()
    return dumps


def write_archive(engine: Engine, path: str | Path, version: str = "") -> dict:
    """Write every table of ``engine`` to the archive ``path``; return its manifest.

    The archive is written to a temporary file next to ``path`` and renamed at the end, so
    ``path`` never holds half an archive.  ``version`` is GeoPlan's version, for the record.
    """
    path = Path(path)
    dumps = table_dumps(engine)
    tables = [{
        "name": t.name, "file": f"tables/{t.name}.jsonl",
        "columns": [{"name": n, "kind": c.kind} for n, c in zip(names, codecs, strict=True)],
        "rows": dumps[t.name].count(b"\n"), "sha256": hashlib.sha256(dumps[t.name]).hexdigest(),
    } for t, names, codecs in schema()]
    manifest = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "schema_revision": HEAD,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "geoplan_version": version, "source_dialect": engine.dialect.name, "tables": tables,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False))
            for entry in tables:
                zf.writestr(entry["file"], dumps[entry["name"]])
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return manifest


@dataclass
class Archive:
    """A checked archive: its manifest and every table's decoded rows (column name -> value)."""

    manifest: dict
    rows: dict[str, list[dict[str, object]]]


def known_revisions() -> list[str]:
    """This GeoPlan's schema revisions, oldest first (from the migration files' names)."""
    return sorted(p.name.split("_", 1)[0] for p in (MIGRATIONS / "versions").glob("[0-9]*_*.py"))


def _check_revision(revision: object) -> None:
    if revision == HEAD:
        return
    if revision in known_revisions():
        raise ArchiveError(
            f"the archive has the older schema {revision}; this GeoPlan has {HEAD}. Restore it "
            f"with the GeoPlan version that made it, then upgrade that GeoPlan (the database is "
            f"migrated when opened) and make a new backup")
    raise ArchiveError(f"the archive has schema {revision!r}, which this GeoPlan (schema {HEAD}) "
                       f"does not know: it was made by a newer GeoPlan; upgrade GeoPlan first")


def _read_manifest(zf: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(zf.read(MANIFEST))
    except KeyError:
        raise ArchiveError(f"{MANIFEST} is missing: not a GeoPlan backup") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ArchiveError(f"{MANIFEST} is not valid JSON: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError("not a GeoPlan backup (the manifest names another format)")
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise ArchiveError(f"archive format version {version!r}; this GeoPlan reads version "
                           f"{FORMAT_VERSION} only")
    _check_revision(manifest.get("schema_revision"))
    return manifest


def _decode_table(zf: zipfile.ZipFile, entry: dict, table: Table, names: list[str],
                  codecs: list[Codec]) -> list[dict[str, object]]:
    expected = [{"name": n, "kind": c.kind} for n, c in zip(names, codecs, strict=True)]
    if entry.get("columns") != expected or entry.get("file") != f"tables/{table.name}.jsonl":
        raise ArchiveError(f"table {table.name}: its columns differ from this GeoPlan's schema")
    data = zf.read(entry["file"])
    if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
        raise ArchiveError(f"table {table.name}: the checksum does not match the manifest "
                           f"(the archive was changed or damaged)")
    lines = data.splitlines()
    if len(lines) != entry.get("rows"):
        raise ArchiveError(f"table {table.name}: {len(lines)} rows, the manifest says "
                           f"{entry.get('rows')}")
    rows = []
    for number, line in enumerate(lines, 1):
        try:
            values = json.loads(line)
            if not isinstance(values, list) or len(values) != len(names):
                raise ValueError(f"{len(names)} values expected")
            rows.append({n: None if v is None else c.load(v)
                         for n, c, v in zip(names, codecs, values, strict=True)})
        except (ValueError, TypeError, shapely.errors.ShapelyError) as exc:
            raise ArchiveError(f"table {table.name}, row {number}: {exc}") from None
    return rows


def read_archive(path: str | Path) -> Archive:
    """Read and check the archive ``path`` whole; raise :class:`ArchiveError` on any fault."""
    try:
        with zipfile.ZipFile(path) as zf:
            manifest = _read_manifest(zf)
            entries = manifest.get("tables")
            if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
                raise ArchiveError("the manifest has no table list")
            by_name = {e.get("name"): e for e in entries}
            ours = schema()
            wanted = {t.name for t, _, _ in ours}
            if set(by_name) != wanted or len(entries) != len(wanted):
                missing, extra = sorted(wanted - set(by_name)), sorted(set(by_name) - wanted)
                raise ArchiveError(f"the archive's tables differ from this GeoPlan's schema "
                                   f"(missing: {missing}, unknown: {extra})")
            members = set(zf.namelist()) - {MANIFEST} - {e["file"] for e in entries}
            if members:
                raise ArchiveError(f"unexpected files in the archive: {sorted(members)}")
            rows = {t.name: _decode_table(zf, by_name[t.name], t, names, codecs)
                    for t, names, codecs in ours}
    except ArchiveError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, OSError, NotImplementedError,
            RuntimeError, UnicodeDecodeError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise ArchiveError(f"{path}: no such file") from None
        raise ArchiveError(f"{Path(path).name} is damaged or truncated, or not a GeoPlan backup "
                           f"(not a readable ZIP archive: {exc})") from None
    return Archive(manifest, rows)


def _comparable(conn, table: Table, codecs: list[Codec]) -> set[str]:
    """The table's rows as JSON lines without their timestamp columns (set by the database)."""
    keep = [i for i, c in enumerate(codecs) if c.kind != "datetime"]
    out = set()
    for row in conn.execute(select(table)):
        out.add(json.dumps([None if row[i] is None else codecs[i].dump(row[i]) for i in keep]))
    return out


@lru_cache(maxsize=1)
def _seed_rows() -> dict[str, set[str]]:
    """What a newly migrated database holds (the vocabularies the migrations insert)."""
    engine = make_engine("sqlite://")
    with engine.connect() as conn:
        seeds = {t.name: _comparable(conn, t, codecs) for t, _, codecs in schema()}
    engine.dispose()
    return seeds


def _holds_data(conn) -> list[str]:
    seeds = _seed_rows()
    return [t.name for t, _, codecs in schema()
            if conn.scalar(select(func.count()).select_from(t))
            and not _comparable(conn, t, codecs) <= seeds[t.name]]


def holds_data(engine: Engine) -> list[str]:
    """The tables with rows beyond what the migrations put in a new database ([] = empty)."""
    with engine.connect() as conn:
        return _holds_data(conn)


def _reset_sequences(conn, table: Table) -> None:
    """PostgreSQL: move a serial key's sequence past the restored ids."""
    keys = list(table.primary_key.columns)
    if conn.dialect.name != "postgresql" or len(keys) != 1 or not isinstance(keys[0].type,
                                                                              Integer):
        return
    seq = conn.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"),
                      {"t": table.name, "c": keys[0].name})
    if seq:
        top = conn.scalar(select(func.max(keys[0])))
        conn.execute(text("SELECT setval(:s, :v, :called)"),
                     {"s": seq, "v": top or 1, "called": top is not None})


def restore(engine: Engine, archive: Archive, force: bool = False,
            chunk: int = 2000) -> dict[str, int]:
    """Replace every table's rows by the archive's, in one transaction; return rows per table.

    Refused (:class:`ArchiveError`, nothing written) when the database holds data and ``force``
    is False, or when the rows do not fit the database (a foreign key, a unique key).  Runs
    under :func:`geoplan.storage.db.writer_lock`, so no import interleaves.
    """
    with writer_lock(engine), engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # the check and the writes: one transaction
        try:
            full = _holds_data(conn)
            if full and not force:
                raise ArchiveError(f"the database is not empty (it holds {', '.join(full)}); "
                                   f"restore into an empty database, or use --force to replace "
                                   f"everything in it")
            ordered = [t for t, _, _ in schema()]
            for table in reversed(ordered):
                conn.execute(delete(table))
            for table in ordered:
                rows = archive.rows[table.name]
                for start in range(0, len(rows), chunk):
                    conn.execute(table.insert(), rows[start:start + chunk])
                _reset_sequences(conn, table)
            conn.commit()
        except DBAPIError as exc:
            conn.rollback()
            raise ArchiveError(f"the archive's rows do not fit this database; nothing was "
                               f"restored ({exc.orig})") from exc
        except BaseException:
            conn.rollback()
            raise
    return {t.name: len(archive.rows[t.name]) for t, _, _ in schema()}
