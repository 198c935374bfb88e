"""Backup and restore (`geoplan backup FILE`, `geoplan restore FILE [--force]`).

The round trip must be lossless field by field, SQLite -> SQLite and SQLite -> PostGIS (and
back), geometries bit for bit; a truncated, changed or foreign archive is refused before
anything is written, and a restore that fails half-way leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import zipfile
from pathlib import Path

import pytest
import shapely
from shapely.geometry import MultiPolygon, Polygon
from sqlalchemy import Numeric, select, text
from typer.testing import CliRunner

from geoplan import service
from geoplan.cli import app
from geoplan.config import PROJECT_DIR
from geoplan.storage import backup as archive
from geoplan.storage.db import HEAD, make_engine
from geoplan.storage.geometry import Geometry
from geoplan.storage.models import Base

T = Base.metadata.tables
# a polygon with a hole and coordinates that need all 17 significant digits
HOLED = MultiPolygon([Polygon(
    [(312000.123456789012, 6754000.987654321098), (312100.1, 6754000.3),
     (312100.7, 6754100.000000000001), (312000.0000001, 6754100.9)],
    [[(312040.5, 6754040.25), (312060.125, 6754040.0625), (312050.333333333333, 6754060.1)]])])


def add_edge_rows(engine) -> None:
    """Fill every table the demo leaves empty, with values that are easy to lose on the way:
    a user and two audit rows, a scenario with items and JSON, a unit's history, floats that
    need 17 digits, a subnormal and an infinity, non-ASCII text with quotes and a newline,
    microseconds, and a polygon with a hole."""
    when = dt.datetime(2026, 3, 1, 12, 30, 45, 123456)
    with engine.begin() as conn:
        conn.execute(T["users"].insert(), [
            {"email": "planlegger@elverum.kommune.no", "role": "planner", "added_at": when,
             "added_by": "admin@localhost"}])
        conn.execute(T["audit"].insert(), [
            {"at": when, "actor": "admin@localhost", "source": "cli", "action": "import",
             "object": "units: «boliger.csv»", "before": None,
             "after": {"n": 455, "share": 0.1 + 0.2, "names": ["Ås", "Øvre \"Løten\"\n"]},
             "counts": {"created": 0}, "prev_hash": "0" * 64, "hash": "a" * 64},
            {"at": when + dt.timedelta(microseconds=1), "actor": "admin@localhost",
             "source": "app", "action": "set_policy", "object": None, "before": {"x": -0.0},
             "after": {"x": 5e-324}, "counts": None, "prev_hash": "a" * 64, "hash": "b" * 64}])
        scenario = conn.execute(T["scenarios"].insert().returning(T["scenarios"].c.id), [
            {"name": "Kjøp 2027 – «sentrum»", "notes": "linje 1\nlinje 2 \t✓",
             "created_at": when, "budget": 12_345_678.9, "targets": {"refugee": 3},
             "policy": {"max_area_share": 0.1}}]).scalar_one()
        conn.execute(T["scenario_items"].insert(), [
            {"scenario_id": scenario, "action": "buy", "label": "Storgata 1", "unit_id": None,
             "x": 312345.678901234567, "y": 6754321.09876543, "attributes": {"rooms": 3}},
            {"scenario_id": scenario, "action": "sell", "label": None, "unit_id": "EL-0001",
             "x": 0.1 + 0.2, "y": 1e-310, "attributes": None}])
        conn.execute(T["services"].insert(), [
            {"name": "Uendelig", "category": "test", "x": math.inf, "y": -math.inf}])
        conn.execute(T["areas"].insert(), [
            {"system": "edge", "code": "H1", "name": "Hull i midten", "geometry": HOLED,
             "population": None, "dwellings": 0, "indicators": {"a": [1, 2.5, None]}}])
        unit = conn.scalar(select(T["units"].c.id).order_by(T["units"].c.id).limit(1))
        conn.execute(T["unit_changes"].insert(), [
            {"unit_pk": unit, "batch_id": None, "field": "rent", "old_value": "7350",
             "new_value": None, "changed_at": when}])


def restored(engine, path, **kwargs):
    """Restore ``path`` as an admin, then take off the one audit row the restore appends (it
    chains to the archive's last row), so the rows can be compared with the source's."""
    summary = service.restore(engine, service.local_actor(), path, **kwargs)
    with engine.begin() as conn:
        last = conn.execute(select(T["audit"].c.id, T["audit"].c.action)
                            .order_by(T["audit"].c.id.desc()).limit(1)).one()
        assert last.action == "restore"
        conn.execute(T["audit"].delete().where(T["audit"].c.id == last.id))
    return summary


def values(engine) -> dict[str, list[tuple]]:
    """Every table's rows as Python values (geometry as WKB bytes), ordered by primary key."""
    out = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            geo = [isinstance(c.type, Geometry) for c in table.columns]
            rows = conn.execute(select(table).order_by(*table.primary_key.columns))
            out[table.name] = [tuple(shapely.to_wkb(v) if g and v is not None else v
                                     for v, g in zip(row, geo, strict=True)) for row in rows]
    return out


def same(a: dict, b: dict) -> None:
    """Field by field, with NaN equal to NaN (a float that is not a number is still a value)."""
    assert a.keys() == b.keys()
    for name in a:
        assert len(a[name]) == len(b[name]), name
        for ra, rb in zip(a[name], b[name], strict=True):
            for va, vb in zip(ra, rb, strict=True):
                both_nan = isinstance(va, float) and isinstance(vb, float) and va != va and vb != vb
                assert both_nan or (va == vb and type(va) is type(vb)), (name, ra, rb)


@pytest.fixture
def source(demo_engine):
    """The demo with every table filled and the edge values added."""
    add_edge_rows(demo_engine)
    return demo_engine


@pytest.fixture
def saved(source, tmp_path) -> Path:
    path = tmp_path / "backup.zip"
    service.backup(source, service.local_actor(), path)
    return path


def rewrite(src: Path, dst: Path, change) -> Path:
    """Copy the archive ``src`` to ``dst`` with ``change(name, data) -> data`` applied."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for name in zin.namelist():
            zout.writestr(name, change(name, zin.read(name)))
    return dst


def test_every_table_has_rows_in_the_round_trip_data(source):
    empty = [name for name, rows in values(source).items() if not rows]
    assert empty == [], f"add a row of {empty} to add_edge_rows: a new table must round-trip"


def test_sqlite_round_trip_is_lossless_field_by_field(source, saved, engine):
    summary = restored(engine, saved)
    assert summary.schema_revision == HEAD
    assert summary.rows == {name: len(rows) for name, rows in values(source).items()}
    assert summary.rows["units"] == 455 and summary.rows["audit"] == 2
    same(values(source), values(engine))
    assert archive.table_dumps(engine) == archive.table_dumps(source)  # byte for byte


def test_the_archive_is_versioned_and_names_every_table(saved):
    with zipfile.ZipFile(saved) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        names = sorted(zf.namelist())
    assert manifest["format"] == "geoplan-backup" and manifest["format_version"] == 1
    assert manifest["schema_revision"] == HEAD and manifest["source_dialect"] == "sqlite"
    tables = [t["name"] for t in manifest["tables"]]
    assert tables == [t.name for t in Base.metadata.sorted_tables]
    assert {"units", "unit_changes", "areas", "demand", "demand_flows", "policy", "scenarios",
            "scenario_items", "users", "audit", "municipality"} <= set(tables)
    assert names == sorted(["manifest.json"] + [f"tables/{t}.jsonl" for t in tables])


def test_edge_values_come_back_exactly(source, saved, engine):
    service.restore(engine, service.local_actor(), saved)
    with engine.connect() as conn:
        geometry = conn.scalar(select(T["areas"].c.geometry).where(T["areas"].c.code == "H1"))
        items = conn.execute(select(T["scenario_items"].c.x, T["scenario_items"].c.y)
                             .order_by(T["scenario_items"].c.id)).all()
        inf = conn.execute(select(T["services"].c.x, T["services"].c.y)
                           .where(T["services"].c.name == "Uendelig")).one()
        audit = conn.execute(select(T["audit"]).order_by(T["audit"].c.id)).all()
    assert shapely.to_wkb(geometry) == shapely.to_wkb(HOLED) and len(geometry.geoms[0].interiors) == 1
    assert items == [(312345.678901234567, 6754321.09876543), (0.1 + 0.2, 1e-310)]
    assert inf == (math.inf, -math.inf)
    assert audit[0].at == dt.datetime(2026, 3, 1, 12, 30, 45, 123456)
    assert audit[0].after["names"] == ["Ås", "Øvre \"Løten\"\n"]
    assert audit[1].after == {"x": 5e-324} and math.copysign(1, audit[1].before["x"]) == -1


def test_postgis_round_trip_and_back_is_lossless(source, saved, postgis, engine_factory, tmp_path):
    restored(postgis, saved)
    same(values(source), values(postgis))
    assert archive.table_dumps(postgis) == archive.table_dumps(source)
    with postgis.connect() as conn:  # the stored geometry itself, read by PostGIS
        wkb = conn.scalar(text("SELECT ST_AsBinary(geometry) FROM areas WHERE code = 'H1'"))
        srid = conn.scalar(text("SELECT ST_SRID(geometry) FROM areas WHERE code = 'H1'"))
    assert bytes(wkb) == shapely.to_wkb(HOLED) and srid == 25833
    # PostGIS -> archive -> SQLite: the same values again
    back = tmp_path / "from-postgis.zip"
    assert service.backup(postgis, service.local_actor(), back).rows == service.check_backup(saved).rows
    target = engine_factory()
    restored(target, back)
    same(values(source), values(target))
    # the serial keys go on after the restored ids
    last = max(row[0] for row in values(postgis)["import_batches"])
    service.import_file(postgis, service.local_actor(), "flows",
                        PROJECT_DIR / "data/units/elverum_strommer.csv")
    assert max(row[0] for row in values(postgis)["import_batches"]) == last + 1


def test_restore_refuses_a_database_with_data_unless_forced(saved, demo_engine, engine):
    before = archive.table_dumps(demo_engine)
    with pytest.raises(service.ArchiveError, match="not empty .*--force"):
        service.restore(demo_engine, service.local_actor(), saved)
    assert archive.table_dumps(demo_engine) == before
    restored(demo_engine, saved, force=True)
    restored(engine, saved)
    assert archive.table_dumps(demo_engine) == archive.table_dumps(engine)


def test_a_new_database_counts_as_empty(engine):
    assert archive.holds_data(engine) == []  # the migrations' unit types and policy only
    with engine.begin() as conn:  # a changed default is data
        conn.execute(T["policy"].update().where(T["policy"].c.name == "max_area_share")
                     .values(value=0.2))
    assert archive.holds_data(engine) == ["policy"]


def refused(path: Path, target, match: str) -> None:
    """``path`` is refused with ``match`` and the (non-empty) ``target`` is left unchanged,
    even with --force."""
    before = archive.table_dumps(target)
    with pytest.raises(service.ArchiveError, match=match):
        service.restore(target, service.local_actor(), path, force=True)
    assert archive.table_dumps(target) == before


@pytest.mark.parametrize("keep", [0.5, 0.99, 100])
def test_a_truncated_archive_is_refused(saved, demo_engine, tmp_path, keep):
    data = saved.read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(data[:int(len(data) * keep)] if keep < 1 else data[:-keep])
    refused(cut, demo_engine, "damaged or truncated")


def test_a_changed_table_is_refused_by_its_checksum(saved, demo_engine, tmp_path):
    def change(name, data):
        return data.replace(b'"EL-0001"', b'"EL-9001"', 1) if name == "tables/units.jsonl" else data

    refused(rewrite(saved, tmp_path / "t.zip", change), demo_engine,
            "table units: the checksum does not match")


def test_a_flipped_byte_is_refused(saved, demo_engine, tmp_path):
    data = bytearray(saved.read_bytes())
    data[len(data) // 3] ^= 0xFF
    bad = tmp_path / "flipped.zip"
    bad.write_bytes(bytes(data))
    refused(bad, demo_engine, "damaged|checksum|not valid")


def manifest_change(**changes):
    def change(name, data):
        if name != "manifest.json":
            return data
        return json.dumps({**json.loads(data), **changes}).encode()
    return change


@pytest.mark.parametrize(("changes", "match"), [
    ({"schema_revision": "0006"}, "older schema 0006; this GeoPlan has " + HEAD),
    ({"schema_revision": "0099"}, "schema '0099'.*made by a newer GeoPlan"),
    ({"format_version": 2}, "format version 2"),
    ({"format": "something-else"}, "not a GeoPlan backup"),
    ({"tables": []}, "tables differ .*missing"),
])
def test_a_foreign_manifest_is_refused(saved, demo_engine, tmp_path, changes, match):
    refused(rewrite(saved, tmp_path / "m.zip", manifest_change(**changes)), demo_engine, match)


def test_a_row_that_does_not_fit_rolls_the_whole_restore_back(saved, demo_engine, tmp_path):
    """Checksums recomputed, so only the database can notice: a history row of a unit that
    is not there.  The deletes and inserts before it are rolled back."""
    with zipfile.ZipFile(saved) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        line = zf.read("tables/unit_changes.jsonl").splitlines()[0]
    row = json.loads(line)
    row[0], row[1] = 999_999, 999_999  # id, unit_pk
    extra = json.dumps(row, separators=(",", ":")).encode() + b"\n"

    def change(name, data):
        if name == "tables/unit_changes.jsonl":
            return data + extra
        if name == "manifest.json":
            import hashlib

            for entry in manifest["tables"]:
                if entry["name"] == "unit_changes":
                    with zipfile.ZipFile(saved) as zf:
                        new = zf.read(entry["file"]) + extra
                    entry["rows"] += 1
                    entry["sha256"] = hashlib.sha256(new).hexdigest()
            return json.dumps(manifest).encode()
        return data

    bad = rewrite(saved, tmp_path / "fk.zip", change)
    service.check_backup(bad)  # the archive itself is sound
    refused(bad, demo_engine, "do not fit this database; nothing was restored")


def test_other_files_and_bad_values_are_refused(saved, demo_engine, tmp_path):
    extra = tmp_path / "extra.zip"
    rewrite(saved, extra, lambda n, d: d)
    with zipfile.ZipFile(extra, "a") as zf:
        zf.writestr("tables/evil.jsonl", b"[]\n")
    refused(extra, demo_engine, "unexpected files")
    text_file = tmp_path / "notes.zip"
    text_file.write_text("hello")
    refused(text_file, demo_engine, "damaged or truncated, or not a GeoPlan backup")
    refused(tmp_path / "missing.zip", demo_engine, "no such file")


def test_every_column_has_a_codec_and_an_unknown_kind_is_an_error():
    kinds = {c.kind for _, _, codecs in archive.schema() for c in codecs}
    assert {"geometry", "datetime", "date", "bool", "int", "float", "text", "json"} <= kinds
    from sqlalchemy import Column, MetaData, Table

    odd = Table("odd", MetaData(), Column("amount", Numeric(10, 2)))
    with pytest.raises(TypeError, match="odd.amount"):
        archive.codec(odd.c.amount)


def test_cli_backup_check_and_restore(db_url, tmp_path, demo_copy, monkeypatch):
    runner = CliRunner()
    monkeypatch.setenv("GEOPLAN_DATABASE_URL", demo_copy)
    service.reset_engines()
    path = tmp_path / "nightly" / "2026-11-24.zip"
    out = runner.invoke(app, ["backup", str(path)])
    assert out.exit_code == 0, out.output
    assert f"wrote {path}: " in out.output and f"schema {HEAD}" in out.output
    out = runner.invoke(app, ["restore", str(path)])  # the demo copy holds data
    assert out.exit_code == 1 and "not empty" in out.output
    out = runner.invoke(app, ["restore", str(path), "--check", "--json"])
    assert out.exit_code == 0 and json.loads(out.output)["rows"]["units"] == 455
    monkeypatch.setenv("GEOPLAN_DATABASE_URL", db_url)  # an empty database
    service.reset_engines()
    out = runner.invoke(app, ["restore", str(path)])
    assert out.exit_code == 0 and "restored" in out.output
    assert len(service.units(make_engine(db_url))) == 455
    out = runner.invoke(app, ["restore", str(tmp_path / "none.zip"), "--force"])
    assert out.exit_code == 1 and "error: " in out.output
    service.reset_engines()


@pytest.mark.parametrize("role", ["viewer", "property_manager", "planner"])
def test_only_an_admin_may_back_up_or_restore(source, saved, engine, tmp_path, role):
    someone = service.Actor(f"{role}@kommune.no", role)
    with pytest.raises(service.AccessDenied):
        service.backup(source, someone, tmp_path / "not-written.zip")
    assert not (tmp_path / "not-written.zip").exists()
    with pytest.raises(service.AccessDenied):
        service.restore(engine, someone, saved)
    assert values(engine)["units"] == []  # nothing restored; the refusal is in the audit trail
    assert values(engine)["audit"][-1][4] == "refused"
