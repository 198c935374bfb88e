"""The audit trail: one row per change in the change's own transaction, chained by hashes, so
``geoplan audit verify`` finds an edited or deleted row; users and the trail on the command line."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from geoplan import service
from geoplan.cli import app
from geoplan.roles import Actor
from geoplan.service import audit
from geoplan.storage import repo
from geoplan.storage.db import get_engine
from geoplan.testing.paths import TEST_DATA

runner = CliRunner()
UNITS = TEST_DATA / "boliger_ok_cp1252.csv"


def trail(engine) -> list[dict]:
    return repo.audit_rows(engine).to_dict("records")


def test_the_first_row_hash_by_hand(engine):
    kari = Actor("kari@kommune.no", "planner", "oidc")
    audit.record(engine, kari, "report", "papirer.pdf", after={"public": True},
                 counts={"files": 1})
    (row,) = trail(engine)
    at = row["at"].to_pydatetime().isoformat()
    canonical = ('{"action":"report","actor":"kari@kommune.no","after":{"public":true},'
                 f'"at":"{at}","before":null,"counts":{{"files":1}},"id":1,'
                 '"object":"papirer.pdf","source":"oidc"}')
    assert row["prev_hash"] == "0" * 64
    assert row["hash"] == hashlib.sha256(("0" * 64 + canonical).encode()).hexdigest()
    assert service.verify_audit(engine) == service.AuditCheck(True, 1, head=row["hash"])


def test_every_change_writes_one_row_with_who_what_before_after_and_counts(bounded, admin):
    kari = Actor("kari@kommune.no", "planner", "oidc")
    summary = service.import_file(bounded, kari, "units", UNITS, crs="EPSG:25833")
    service.set_policy(bounded, kari, max_area_share=0.08, max_per_building=2)
    service.dispose_unit(bounded, kari, "T-1", dt.date(2026, 6, 30))
    service.add_user(bounded, admin, "ola@kommune.no", "viewer")
    service.record_sign_in(bounded, Actor("ola@kommune.no", "viewer"), True)
    service.record_sign_in(bounded, "Ukjent@Kommune.no", False)
    rows = trail(bounded)
    assert [r["action"] for r in rows] == ["import", "set_policy", "dispose", "add_user",
                                           "sign_in", "sign_in_refused"]
    imp, pol, dis, usr, sign, refused = rows
    assert (imp["actor"], imp["source"], imp["object"]) == ("kari@kommune.no", "oidc",
                                                            UNITS.name)
    assert imp["after"]["sha256"] == hashlib.sha256(UNITS.read_bytes()).hexdigest()
    assert imp["counts"] == {"rows": summary.rows, "created": summary.created, "updated": 0,
                             "unchanged": 0, "missing": 0, "disposed": 0}
    assert (pol["before"], pol["after"], pol["counts"]) == (
        {"max_area_share": 0.1}, {"max_area_share": 0.08}, {"changed": 1})
    assert (dis["object"], dis["before"], dis["after"]) == ("T-1", {"disposed": None},
                                                           {"disposed": "2026-06-30"})
    assert (usr["actor"], usr["before"], usr["after"]) == (admin.email, {"role": None},
                                                           {"role": "viewer"})
    assert sign["actor"] == "ola@kommune.no" and refused["actor"] == "ukjent@kommune.no"
    assert all(b["prev_hash"] == a["hash"] for a, b in zip(rows, rows[1:], strict=False))
    assert service.verify_audit(bounded).ok


def test_a_failed_change_writes_no_row_and_a_failed_row_undoes_the_change(bounded, admin,
                                                                          monkeypatch):
    with pytest.raises(service.ImportRefused):
        service.import_file(bounded, admin, "units", TEST_DATA / "boliger_feil_cp1252.csv",
                            crs="EPSG:25833")
    with pytest.raises(KeyError):
        service.dispose_unit(bounded, admin, "nope", dt.date(2026, 1, 1))
    assert trail(bounded) == []

    def broken(*args, **kwargs):
        raise RuntimeError("the audit row could not be written")

    monkeypatch.setattr(audit, "write", broken)
    with pytest.raises(RuntimeError):
        service.import_file(bounded, admin, "units", UNITS, crs="EPSG:25833")
    with pytest.raises(RuntimeError):
        service.set_policy(bounded, admin, max_area_share=0.3)
    assert repo.unit_ids(bounded) == set()  # one transaction: the import went with its row
    assert repo.policy(bounded).max_area_share == 0.1


def _three_rows(engine) -> list[dict]:
    for i in range(3):
        audit.record(engine, service.local_actor(), "report", f"papirer-{i}.pdf")
    return trail(engine)


def test_verify_finds_an_edited_row(engine):
    _three_rows(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit SET object = 'noe annet.pdf' WHERE id = 2"))
    check = service.verify_audit(engine)
    assert (check.ok, check.first_bad, check.problem) == (False, 2, "edited")


def test_verify_finds_an_edited_and_rehashed_row_at_the_next_link(engine):
    rows = _three_rows(engine)
    fields = {k: rows[1][k] for k in audit.HASHED_FIELDS} | {"object": "noe annet.pdf"}
    fields["at"] = fields["at"].to_pydatetime()
    forged = audit.row_hash(rows[1]["prev_hash"], fields)
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit SET object = 'noe annet.pdf', hash = :h WHERE id = 2"),
                     {"h": forged})
    check = service.verify_audit(engine)
    assert (check.ok, check.first_bad, check.problem) == (False, 3, "broken_link")


def test_verify_finds_a_deleted_row_and_a_cut_off_head(engine):
    rows = _three_rows(engine)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit WHERE id = 3"))  # the newest: the chain is whole
    assert service.verify_audit(engine).ok
    check = service.verify_audit(engine, head=rows[2]["hash"])  # but a noted head is gone
    assert (check.ok, check.problem) == (False, "head_missing")
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit WHERE id = 1"))
    check = service.verify_audit(engine)
    assert (check.ok, check.first_bad, check.problem) == (False, 2, "broken_link")


def test_cli_users_audit_and_verify(db_url):
    assert runner.invoke(app, ["users", "add", "Kari@Kommune.no", "--role", "planner"]).exit_code == 0
    changed = runner.invoke(app, ["users", "add", "kari@kommune.no", "--role", "viewer"])
    assert changed.output.strip() == "kari@kommune.no: planner → viewer"
    listed = runner.invoke(app, ["users", "list"])
    assert listed.output.split("\t")[:2] == ["kari@kommune.no", "viewer"]
    bad = runner.invoke(app, ["users", "add", "ola@kommune.no", "--role", "boss"])
    assert bad.exit_code == 1 and "unknown role 'boss'" in bad.output
    assert runner.invoke(app, ["users", "remove", "kari@kommune.no"]).exit_code == 0
    assert runner.invoke(app, ["policy", "set", "max_area_share=0.09"]).exit_code == 0

    out = runner.invoke(app, ["audit", "--json"])
    rows = json.loads(out.output)
    me = service.local_actor().email
    assert [(r["action"], r["actor"], r["source"]) for r in rows] == [
        ("add_user", me, "cli"), ("add_user", me, "cli"), ("remove_user", me, "cli"),
        ("set_policy", me, "cli")]
    only = json.loads(runner.invoke(app, ["audit", "--action", "set_policy", "--json"]).output)
    assert [r["after"] for r in only] == [{"max_area_share": 0.09}]
    tomorrow = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)).isoformat()
    assert runner.invoke(app, ["audit", "--since", tomorrow]).output.strip() == "no audit rows"
    table = runner.invoke(app, ["audit"]).output.splitlines()
    assert table[0].startswith("1\t") and "\tadd_user\tkari@kommune.no\t" in table[0]

    ok = runner.invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0 and ok.output.startswith("audit trail ok: 4 rows, head ")
    with get_engine(db_url).begin() as conn:
        conn.execute(text("UPDATE audit SET after = '{\"max_area_share\": 0.5}' WHERE id = 4"))
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1 and "broken at row 4 (edited)" in broken.output
    with get_engine(db_url).begin() as conn:
        conn.execute(text("DELETE FROM audit WHERE id = 2"))
    deleted = runner.invoke(app, ["audit", "verify"])
    assert deleted.exit_code == 1 and "broken at row 3 (broken_link)" in deleted.output


def test_reports_and_public_exports_are_recorded(demo_copy, monkeypatch, tmp_path):
    monkeypatch.setenv("GEOPLAN_DATABASE_URL", demo_copy)
    get_engine.cache_clear()
    assert runner.invoke(app, ["dashboard", "--public", "--json"]).exit_code == 0
    assert runner.invoke(app, ["dashboard", "--json"]).exit_code == 0  # internal: not an export
    assert runner.invoke(app, ["report", str(tmp_path / "p.pdf"), "--public"]).exit_code == 0
    rows = trail(get_engine(demo_copy))
    get_engine.cache_clear()
    assert [r["action"] for r in rows] == ["public_export", "report"]
    assert rows[1]["object"] == str(tmp_path / "p.pdf")
    assert rows[1]["after"]["public"] is True and rows[1]["counts"] == {"files": 1}


def _write_concurrently(engine, writers: int = 4, each: int = 10) -> None:
    barrier = threading.Barrier(writers)
    failures = []

    def work(i: int) -> None:
        barrier.wait()
        try:
            for j in range(each):
                audit.record(engine, Actor(f"w{i}@kommune.no", "viewer"), "report", f"{i}-{j}")
        except Exception as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    rows = trail(engine)
    assert len(rows) == writers * each
    assert len({r["prev_hash"] for r in rows}) == len(rows)  # nobody chained to the same row
    assert service.verify_audit(engine).ok


def test_writers_at_once_never_chain_to_the_same_row_on_sqlite(engine):
    _write_concurrently(engine)


def test_the_trail_on_postgis(postgis, admin):
    """Migration 0007 on PostGIS; JSON round trip and the chain hold; writers at once."""
    service.set_policy(postgis, admin, max_area_share=0.08)
    service.record_sign_in(postgis, "x@kommune.no", False)
    assert [r["action"] for r in trail(postgis)] == ["set_policy", "sign_in_refused"]
    assert service.verify_audit(postgis).ok
    with postgis.begin() as conn:
        conn.execute(text("DELETE FROM audit"))
    _write_concurrently(postgis)
