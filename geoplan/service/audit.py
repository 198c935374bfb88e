"""The audit trail: an append-only, hash-chained record of every change, sign-in and refusal.

Every service function that changes something calls :func:`check` first (the role check; a
refusal is recorded in a transaction of its own and re-raised) and :func:`write` in the same
transaction as its change, so the change and its row commit together or not at all.  Reports
and public exports are recorded with :func:`record_export`, sign-ins with
:func:`record_sign_in`.

Each row holds who (``actor``, ``source``), when (``at``, UTC), the ``action`` (a code of
:data:`AUDIT_ACTIONS`), the ``object``, ``before`` and ``after`` as JSON and ``counts``.  Rows
are chained: ``hash = sha256(prev_hash + canonical JSON of the row's other fields)`` (see
:func:`row_hash`), the first row's ``prev_hash`` being 64 zeros.  :func:`verify_audit` recomputes
the chain, so an edited or deleted row is found (the first bad row's id).  Deleting the newest
rows leaves a shorter chain that is still whole: compare :attr:`AuditCheck.head` with a head
noted earlier (``geoplan audit verify --head HASH``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from geoplan.roles import AccessDenied, Actor, require
from geoplan.service.output import json_ready
from geoplan.storage import repo

GENESIS = repo.GENESIS

# The actions a row may record: the role actions that change something (geoplan.roles.ACTIONS),
# plus the demo load, user changes, sign-ins, refusals, reports and public exports.
AUDIT_ACTIONS: tuple[str, ...] = (
    "import", "demo", "dispose", "set_policy", "add_unit_type", "save_scenario",
    "delete_scenario", "record_scenario", "add_user", "remove_user", "restore", "sign_in",
    "sign_in_refused", "refused", "report", "public_export", "backup", "reset",
)
HASHED_FIELDS: tuple[str, ...] = ("id", "at", "actor", "source", "action", "object", "before",
                                  "after", "counts")
NOBODY = "(nobody)"  # the actor of a refusal when nobody was signed in


def _json(value: object) -> object:
    """``value`` as it reads back from a JSON column: plain, no NaN (the hash depends on it)."""
    return None if value is None else json.loads(json.dumps(json_ready(value), allow_nan=False))


def canonical(fields: dict) -> str:
    """The canonical JSON of a row's fields: sorted keys, no spaces, UTF-8, ``at`` in ISO."""
    plain = {k: (v.isoformat() if isinstance(v, dt.datetime) else v) for k, v in fields.items()}
    return json.dumps(plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def row_hash(prev_hash: str, fields: dict) -> str:
    """``sha256(prev_hash + canonical JSON of fields)`` as hex; ``fields``: :data:`HASHED_FIELDS`."""
    return hashlib.sha256((prev_hash + canonical(fields)).encode("utf-8")).hexdigest()


def now() -> dt.datetime:
    """The time a row records: UTC without a time zone, to the microsecond."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def write(bind: Session | Connection, actor: Actor | None, action: str, obj: str | None = None,
          before: object = None, after: object = None, counts: object = None) -> int:
    """Append a row inside ``bind``'s transaction (the change's own); return its id."""
    if action not in AUDIT_ACTIONS:
        raise ValueError(f"unknown audit action '{action}'")
    row = {"at": now(), "actor": (actor.email if actor else NOBODY)[:200],
           "source": (actor.source if actor else "-")[:20], "action": action,
           "object": None if obj is None else str(obj)[:400],
           "before": _json(before), "after": _json(after), "counts": _json(counts)}
    return repo.append_audit(bind, row, lambda i, prev: row_hash(prev, {"id": i, **row}))


def record(engine: Engine, actor: Actor | None, action: str, obj: str | None = None,
           before: object = None, after: object = None, counts: object = None) -> int:
    """Append a row in a transaction of its own (a refusal, sign-in, report or export)."""
    with Session(engine) as s, s.begin():
        return write(s, actor, action, obj, before, after, counts)


def check(engine: Engine, actor: Actor | None, action: str, obj: str | None = None) -> Actor:
    """:func:`geoplan.roles.require`, recording a refusal before it is raised (AccessDenied)."""
    try:
        return require(actor, action)
    except AccessDenied:
        record(engine, actor, "refused", obj,
               after={"action": action, "role": actor.role if actor else None})
        raise


def record_sign_in(engine: Engine, actor_or_email: Actor | str, accepted: bool) -> int:
    """Record a sign-in: accepted (an :class:`Actor`) or refused (the e-mail had no role)."""
    if isinstance(actor_or_email, Actor):
        actor = actor_or_email
    else:
        actor = Actor(str(actor_or_email).strip().lower() or "?", "-", "oidc")
    return record(engine, actor, "sign_in" if accepted else "sign_in_refused", actor.email,
                  after={"role": actor.role if accepted else None})


def record_export(engine: Engine, actor: Actor, kind: str, obj: str | None = None,
                  after: object = None, counts: object = None) -> int:
    """Record a report or export leaving GeoPlan (``kind`` "report" or "public_export").

    Anyone who may read may take one; ``obj`` names the file or output, ``after`` what was
    made (public or internal, area system, date, language), ``counts`` what it holds.
    """
    if kind not in ("report", "public_export"):
        raise ValueError(f"'{kind}' is not a report or export")
    check(engine, actor, "read", obj)
    return record(engine, actor, kind, obj, after=after, counts=counts)


def audit_trail(engine: Engine, actor: Actor, since: dt.date | dt.datetime | None = None,
                action: str | None = None) -> pd.DataFrame:
    """The audit trail, oldest first (admins only): columns ``id``, ``at`` (UTC), ``actor``,
    ``source``, ``action``, ``object``, ``before``, ``after``, ``counts``, ``prev_hash``,
    ``hash``.  ``since`` keeps rows from that day or time on; ``action`` one action only."""
    check(engine, actor, "manage_users", "audit")
    if isinstance(since, dt.date) and not isinstance(since, dt.datetime):
        since = dt.datetime.combine(since, dt.time())
    return repo.audit_rows(engine, since, action)


@dataclass(frozen=True)
class AuditCheck:
    """What :func:`verify_audit` found.

    ``ok``: every row's hash and link hold; ``rows``: rows checked; ``first_bad``: the id of
    the first row whose hash or link fails (None when ok); ``problem``: "edited" (the row's
    hash does not match its fields), "broken_link" (its ``prev_hash`` is not the hash of the
    row before it: a row before it was deleted or edited and re-hashed) or "head_missing" (the
    expected head is not in the chain: newest rows deleted); ``head``: the newest row's hash.
    """

    ok: bool
    rows: int
    first_bad: int | None = None
    problem: str | None = None
    head: str = GENESIS


def verify_audit(engine: Engine, head: str | None = None) -> AuditCheck:
    """Recompute the chain from the first row; ``head`` (a hash noted earlier) must be in it."""
    rows = repo.audit_rows(engine)
    prev = GENESIS
    for r in rows.to_dict("records"):
        fields = {k: r[k] for k in HASHED_FIELDS}
        fields["id"], fields["at"] = int(r["id"]), pd.Timestamp(r["at"]).to_pydatetime()
        if r["prev_hash"] != prev:
            return AuditCheck(False, len(rows), int(r["id"]), "broken_link", prev)
        if row_hash(prev, fields) != r["hash"]:
            return AuditCheck(False, len(rows), int(r["id"]), "edited", prev)
        prev = r["hash"]
    if head is not None and head not in set(rows["hash"]):
        return AuditCheck(False, len(rows), None, "head_missing", prev)
    return AuditCheck(True, len(rows), head=prev)
