"""Queries and writes: every read or change of the register goes through here."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon
from sqlalchemy import Connection, Engine, bindparam, delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from geoplan.crs import WORK_EPSG
from geoplan.policy import Policy
from geoplan.storage.models import (
    Area,
    AuditEntry,
    DemandFlow,
    DemandRow,
    ImportBatch,
    Municipality,
    PolicySetting,
    Service,
    Unit,
    UnitChange,
    UnitType,
    User,
)
from geoplan.unit_fields import REGISTER_FIELDS
from geoplan.vocab import Term, Vocabulary

# The unit fields an import may set, in the order of the register's columns: the stored rows
# of geoplan.unit_fields.UNIT_FIELDS.
UNIT_FIELDS: tuple[str, ...] = REGISTER_FIELDS
AREA_FIELDS: tuple[str, ...] = ("system", "code", "name", "population", "dwellings", "indicators")
DEMAND_FIELDS: tuple[str, ...] = (
    "snapshot_date", "target_group", "households", "rooms_needed", "universal_design", "staffed",
    "preferred_area",
)
FLOW_FIELDS: tuple[str, ...] = ("year", "target_group", "inflow", "allocations", "withdrawals",
                                "relets")


@dataclass
class ImportResult:
    """What an import did: counts and the changed fields per unit id."""

    batch_id: int
    n_rows: int
    created: list[str] = field(default_factory=list)
    updated: dict[str, list[tuple[str, object, object]]] = field(default_factory=dict)
    unchanged: int = 0
    warnings: list = field(default_factory=list)  # geoplan.io.problems.Problem (warning=True)
    missing: list[str] = field(default_factory=list)  # units in the register, not in the file
    disposed: list[str] = field(default_factory=list)  # of them, those disposed by the import


# ---------------------------------------------------------------- binds

Bind = Engine | Connection | Session  # what a function may read or write through


@contextmanager
def writing(bind: Bind) -> Iterator[Session]:
    """A session in a transaction: ``bind`` itself when it is a session (the caller's
    transaction, so several changes and their audit row commit together), else a new one
    that commits when the block ends."""
    if isinstance(bind, Session):
        yield bind
        return
    with Session(bind) as s, s.begin():
        yield s


def reading(bind: Engine | Connection):
    """A connection to read with: ``bind`` when it is one (inside its transaction), else new."""
    return nullcontext(bind) if isinstance(bind, Connection) else bind.connect()


# ---------------------------------------------------------------- vocabularies


def unit_types(engine: Engine) -> Vocabulary:
    """Return the configured unit types as a vocabulary."""
    with Session(engine) as s:
        rows = s.scalars(select(UnitType).order_by(UnitType.sort_order, UnitType.code)).all()
        return Vocabulary(
            Term(r.code, r.name_nb, r.name_en, tuple(a for a in r.aliases.split(";") if a), r.color)
            for r in rows
        )


def add_unit_type(
    bind: Bind, code: str, name_nb: str, name_en: str,
    aliases: Iterable[str] = (), color: str = "#777777",
) -> dict | None:
    """Add a unit type, or update the labels of an existing one; return its old labels
    (``name_nb``, ``name_en``, ``aliases``, ``color``) or None when it is new."""
    with writing(bind) as s:
        row = s.get(UnitType, code)
        old = None if row is None else {"name_nb": row.name_nb, "name_en": row.name_en,
                                        "aliases": row.aliases, "color": row.color}
        row = row or UnitType(code=code, sort_order=100)
        row.name_nb, row.name_en, row.color = name_nb, name_en, color
        row.aliases = ";".join(aliases)
        s.add(row)
        return old


# ---------------------------------------------------------------- units


def _comparable(value: object) -> object:
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, float):
        return round(value, 3)
    return value


# Unit ids looked up, and rows written, per statement: far below SQLite's limit of bound
# variables (32,766 by default; 999 before SQLite 3.32) and PostgreSQL's 65,535.  A register of
# 500,000 rows in one ``unit_id IN (...)`` failed with "too many SQL variables".
CHUNK = 5_000


def _unit_defaults() -> dict[str, object]:
    """What a new unit gets for a field its record does not have: the column's default."""
    table = Unit.__table__
    return {k: table.c[k].default.arg if getattr(table.c[k].default, "is_scalar", False)
            else None for k in UNIT_FIELDS}


def existing_units(conn: Connection | Session, ids: list[str]) -> dict[str, tuple]:
    """Return the stored units among ``ids`` (any number): unit id -> (primary key, *fields).

    The fields are :data:`UNIT_FIELDS` in order.  Looked up :data:`CHUNK` ids per query.
    """
    table = Unit.__table__
    columns = [table.c.id, *(table.c[k] for k in UNIT_FIELDS)]
    at = 1 + UNIT_FIELDS.index("unit_id")
    found: dict[str, tuple] = {}
    for start in range(0, len(ids), CHUNK):
        stmt = select(*columns).where(table.c.unit_id.in_(ids[start:start + CHUNK]))
        found.update((row[at], tuple(row)) for row in conn.execute(stmt))
    return found


def upsert_units(
    session: Session, records: Iterable[Mapping[str, object]], filename: str
) -> ImportResult:
    """Insert or update units by unit id inside ``session``'s transaction and record changes.

    A record sets the fields it has (of :data:`UNIT_FIELDS`); a new unit gets the column's
    default for the others, a stored unit keeps them.  Every changed field is recorded in
    ``unit_changes`` (old and new value as text).  Works :data:`CHUNK` records at a time with
    plain multi-row statements, so 500,000 records need neither 500,000 ORM objects nor one
    unbounded ``IN`` list.
    """
    records = records if isinstance(records, list) else list(records)
    batch = ImportBatch(kind="units", filename=filename, n_rows=len(records))
    session.add(batch)
    session.flush()
    result = ImportResult(batch_id=batch.id, n_rows=len(records))
    table, changes = Unit.__table__, UnitChange.__table__
    defaults = _unit_defaults()
    conn = session.connection()
    for start in range(0, len(records), CHUNK):
        chunk = records[start:start + CHUNK]
        existing = existing_units(conn, [str(r["unit_id"]) for r in chunk])
        new_rows: list[dict] = []
        updates: dict[tuple[str, ...], list[dict]] = {}  # by the changed fields
        change_rows: list[dict] = []
        for rec in chunk:
            uid = str(rec["unit_id"])
            stored = existing.get(uid)
            if stored is None:
                new_rows.append({k: rec[k] if k in rec else defaults[k] for k in UNIT_FIELDS})
                result.created.append(uid)
                continue
            diffs = []
            for i, key in enumerate(UNIT_FIELDS, start=1):
                if key not in rec:
                    continue
                old, new = _comparable(stored[i]), _comparable(rec[key])
                if old != new:
                    diffs.append((key, old, new))
            if not diffs:
                result.unchanged += 1
                continue
            result.updated[uid] = diffs
            keys = tuple(key for key, _, _ in diffs)
            updates.setdefault(keys, []).append(
                {"pk": stored[0], **{f"v_{key}": rec[key] for key in keys}})
            change_rows.extend(
                {"unit_pk": stored[0], "batch_id": batch.id, "field": key,
                 "old_value": None if old is None else str(old),
                 "new_value": None if new is None else str(new)}
                for key, old, new in diffs)
        if new_rows:
            conn.execute(insert(table), new_rows)
        for keys, rows in updates.items():
            conn.execute(update(table).where(table.c.id == bindparam("pk"))
                         .values({key: bindparam(f"v_{key}") for key in keys}), rows)
        if change_rows:
            conn.execute(insert(changes), change_rows)
    batch.n_created, batch.n_updated = len(result.created), len(result.updated)
    batch.n_unchanged = result.unchanged
    return result


def unit_ids(engine: Engine) -> set[str]:
    """Return every unit id in the register, disposed units included."""
    with Session(engine) as s:
        return set(s.scalars(select(Unit.unit_id)).all())


def unit_dates(bind: Engine | Connection) -> dict[str, tuple[dt.date | None, dt.date | None]]:
    """Return every unit's ``(acquired, disposed)`` dates by unit id, disposed units included."""
    with Session(bind) as s:
        rows = s.execute(select(Unit.unit_id, Unit.acquired, Unit.disposed)).all()
    return {uid: (acquired, disposed) for uid, acquired, disposed in rows}


def load_units(engine: Engine | Connection) -> gpd.GeoDataFrame:
    """Return every unit of the register (disposed ones too) as points in EPSG:25833.

    Columns: UNIT_FIELDS and ``geometry``.  Which units are active on a day is
    :func:`geoplan.analytics.active.active_units`.
    """
    stmt = select(*(getattr(Unit, f) for f in UNIT_FIELDS)).order_by(Unit.unit_id)
    with reading(engine) as conn:
        # plain tuples: pandas builds the frame from them 2.5 times as fast as from Row objects
        # (0.31 s against 0.80 s for the national register's 110,000 units; the same frame)
        df = pd.DataFrame([tuple(row) for row in conn.execute(stmt)], columns=UNIT_FIELDS)
    geom = shapely.points(df["x"].to_numpy(float), df["y"].to_numpy(float)) if len(df) else []
    return gpd.GeoDataFrame(df, geometry=geom, crs=WORK_EPSG)


def purchase_spent(engine: Engine | Connection, year: int) -> float:
    """The sum of the purchase prices of the units (disposed ones too) acquired in ``year``;
    a unit without a price counts 0.  Summed by the database: reading the two columns of the
    national register's 110,000 units into a frame took 0.9 s (dates parsed row by row)."""
    stmt = select(func.coalesce(func.sum(Unit.purchase_price), 0.0)).where(
        Unit.acquired >= dt.date(year, 1, 1), Unit.acquired <= dt.date(year, 12, 31))
    with reading(engine) as conn:
        return float(conn.execute(stmt).scalar_one())


def unit_history(engine: Engine, unit_id: str) -> pd.DataFrame:
    """Return the recorded changes of one unit, oldest first."""
    stmt = (
        select(UnitChange.changed_at, UnitChange.batch_id, UnitChange.field,
               UnitChange.old_value, UnitChange.new_value)
        .join(Unit).where(Unit.unit_id == unit_id).order_by(UnitChange.id)
    )
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    return pd.DataFrame(rows, columns=["changed_at", "batch_id", "field", "old", "new"])


def dispose_unit(bind: Bind, unit_id: str, when: dt.date) -> dt.date | None:
    """Record the sale or disposal of a unit: set its disposed date and keep it in history.

    Returns the disposed date it had before (None when it had none)."""
    with writing(bind) as s:
        unit = s.scalars(select(Unit).where(Unit.unit_id == unit_id)).one_or_none()
        if unit is None:
            raise KeyError(f"no unit with id {unit_id!r}")
        if unit.acquired is not None and when < unit.acquired:
            raise ValueError(f"{unit_id} was acquired {unit.acquired:%d.%m.%Y}; it cannot be "
                             f"disposed of on {when:%d.%m.%Y}")
        old = unit.disposed
        unit.disposed = when
        s.add(UnitChange(unit=unit, field="disposed",
                         old_value=None if old is None else str(old), new_value=str(when)))
        return old


# ---------------------------------------------------------------- areas


def _multi(geom):
    if isinstance(geom, Polygon):
        return MultiPolygon([geom])
    return geom


def _count(value) -> int | None:
    """A count for an integer column: None for missing or NaN."""
    return None if value is None or pd.isna(value) else int(value)


def log_import(session: Session, kind: str, filename: str, n_rows: int) -> None:
    """Record a replacing import (areas, boundary, demand, addresses …) in the import log."""
    session.add(ImportBatch(kind=kind, filename=filename, n_rows=n_rows, n_created=n_rows))


def replace_areas(session: Session, system: str, areas: gpd.GeoDataFrame, filename: str) -> int:
    """Replace the areas of ``system`` with ``areas`` (EPSG:25833) inside the transaction."""
    log_import(session, "areas", filename, len(areas))
    session.execute(delete(Area).where(Area.system == system))
    for rec in areas.to_dict("records"):
        session.add(Area(
            system=system, code=str(rec["code"]), name=rec.get("name"),
            geometry=_multi(rec["geometry"]),
            population=_count(rec.get("population")), dwellings=_count(rec.get("dwellings")),
            indicators=rec.get("indicators") or None,
        ))
    return len(areas)


def area_systems(engine: Engine) -> list[str]:
    """Return the names of the stored area systems."""
    with Session(engine) as s:
        return sorted(s.scalars(select(Area.system).distinct()).all())


def load_areas(engine: Engine, system: str) -> gpd.GeoDataFrame:
    """Return the areas of one system as polygons in EPSG:25833."""
    with Session(engine) as s:
        rows = s.scalars(select(Area).where(Area.system == system).order_by(Area.code)).all()
        data = [{f: getattr(r, f) for f in AREA_FIELDS} | {"geometry": r.geometry} for r in rows]
    cols = [*AREA_FIELDS, "geometry"]
    return gpd.GeoDataFrame(pd.DataFrame(data, columns=cols), geometry="geometry", crs=WORK_EPSG)


# ---------------------------------------------------------------- municipality and demand


def set_municipality(
    session: Session, number: str, name: str, boundary, synthetic: bool = False
) -> None:
    """Store the municipality and its boundary (EPSG:25833), replacing any other."""
    session.execute(delete(Municipality))
    session.add(Municipality(number=number, name=name, boundary=_multi(boundary),
                             synthetic=synthetic))


def municipality(engine: Engine) -> Municipality | None:
    """Return the stored municipality, or None."""
    with Session(engine) as s:
        return s.scalars(select(Municipality)).first()


def boundary(engine: Engine):
    """Return the municipality's boundary in EPSG:25833, or None when none is loaded."""
    m = municipality(engine)
    return None if m is None else m.boundary


def replace_demand(session: Session, snapshot: dt.date, rows: Iterable[Mapping]) -> int:
    """Store the demand rows of one snapshot date, replacing that date's earlier rows."""
    session.execute(delete(DemandRow).where(DemandRow.snapshot_date == snapshot))
    n = 0
    for r in rows:
        session.add(DemandRow(snapshot_date=snapshot,
                              **{k: r.get(k) for k in DEMAND_FIELDS if k != "snapshot_date"}))
        n += 1
    return n


def load_demand(engine: Engine, latest_only: bool = True) -> pd.DataFrame:
    """Return demand rows, by default only those of the latest snapshot."""
    stmt = select(*(getattr(DemandRow, f) for f in DEMAND_FIELDS))
    with Session(engine) as s:
        if latest_only:
            latest = s.scalar(select(DemandRow.snapshot_date).order_by(
                DemandRow.snapshot_date.desc()).limit(1))
            stmt = stmt.where(DemandRow.snapshot_date == latest)
        rows = s.execute(stmt).all()
    return pd.DataFrame(rows, columns=DEMAND_FIELDS)


def replace_flows(session: Session, year: int, rows: Iterable[Mapping]) -> int:
    """Store the flow rows of one year (one per target group), replacing that year's rows."""
    session.execute(delete(DemandFlow).where(DemandFlow.year == year))
    n = 0
    for r in rows:
        session.add(DemandFlow(year=year, **{k: r.get(k) for k in FLOW_FIELDS if k != "year"}))
        n += 1
    return n


def load_flows(engine: Engine) -> pd.DataFrame:
    """Return every stored flow row: columns :data:`FLOW_FIELDS`, by year and group."""
    stmt = select(*(getattr(DemandFlow, f) for f in FLOW_FIELDS)).order_by(
        DemandFlow.year, DemandFlow.target_group)
    with Session(engine) as s:
        rows = s.execute(stmt).all()
    return pd.DataFrame(rows, columns=FLOW_FIELDS)


# ---------------------------------------------------------------- policy thresholds


def policy(engine: Engine) -> Policy:
    """Return the stored policy (defaults for any value not stored)."""
    with Session(engine) as s:
        stored = {r.name: r.value for r in s.scalars(select(PolicySetting)).all()}
    return Policy.from_values(stored)


def save_policy(bind: Bind, new: Policy) -> Policy:
    """Store every value of ``new`` (validated by :class:`Policy` itself) and return it."""
    with writing(bind) as s:
        for name, value in new.as_dict().items():
            row = s.get(PolicySetting, name) or PolicySetting(name=name)
            if row.value != float(value) or row.updated_at is None:
                row.value = float(value)
                row.updated_at = dt.datetime.now()  # sub-second: the app's cache key reads it
            s.add(row)
    return new


def load_services(engine: Engine) -> pd.DataFrame:
    """Return the service points (name, category, x, y in EPSG:25833)."""
    with engine.connect() as conn:
        rows = conn.execute(select(Service.name, Service.category, Service.x, Service.y)).all()
    return pd.DataFrame(rows, columns=["name", "category", "x", "y"])


# ---------------------------------------------------------------- users


def users(engine: Engine) -> pd.DataFrame:
    """Return the users who may sign in: ``email``, ``role``, ``added_at``, ``added_by``."""
    with engine.connect() as conn:
        rows = conn.execute(select(User.email, User.role, User.added_at, User.added_by)
                            .order_by(User.email)).all()
    return pd.DataFrame(rows, columns=["email", "role", "added_at", "added_by"])


def user_role(engine: Engine, email: str) -> str | None:
    """Return the role of ``email`` (compared case-insensitively), or None for an unknown user."""
    with engine.connect() as conn:
        return conn.scalar(select(User.role).where(User.email == email.strip().lower()))


def put_user(session: Session, email: str, role: str, added_by: str) -> tuple[str | None, str]:
    """Add ``email`` with ``role`` or change its role; return (old role or None, new role)."""
    email = email.strip().lower()
    user = session.scalars(select(User).where(User.email == email)).one_or_none()
    old = None if user is None else user.role
    if user is None:
        user = User(email=email, role=role, added_by=added_by)
        session.add(user)
    user.role = role
    return old, role


def delete_user(session: Session, email: str) -> str:
    """Remove ``email``; return its role (KeyError when there is no such user)."""
    email = email.strip().lower()
    user = session.scalars(select(User).where(User.email == email)).one_or_none()
    if user is None:
        raise KeyError(f"no user {email!r}")
    role = user.role
    session.delete(user)
    return role


# ---------------------------------------------------------------- the audit trail

AUDIT_FIELDS: tuple[str, ...] = ("id", "at", "actor", "source", "action", "object", "before",
                                 "after", "counts", "prev_hash", "hash")
GENESIS = "0" * 64  # the prev_hash of the first row


def append_audit(bind: Session | Connection, row: Mapping[str, object],
                 seal: Callable[[int, str], str]) -> int:
    """Append one audit row in ``bind``'s transaction and chain it to the row before it.

    ``row`` holds every field but ``id``, ``prev_hash`` and ``hash``; ``seal(id, prev_hash)``
    returns the row's hash.  The previous hash is read after this transaction holds the
    trail's write lock, so two writers never chain to the same row: PostgreSQL locks the
    table (EXCLUSIVE: readers go on, the next writer waits for the commit); SQLite's first
    write already takes the database's one write lock, so the row is inserted first (with a
    unique placeholder hash) and sealed after.  Returns the new row's id.
    """
    dialect = bind.get_bind().dialect.name if isinstance(bind, Session) else bind.dialect.name
    if dialect == "postgresql":
        bind.execute(text("LOCK TABLE audit IN EXCLUSIVE MODE"))
    placeholder = f"pending-{uuid.uuid4().hex}"
    new_id = bind.execute(insert(AuditEntry).values(
        **row, prev_hash=placeholder, hash=placeholder)).inserted_primary_key[0]
    prev = bind.execute(select(AuditEntry.hash).where(AuditEntry.id < new_id)
                        .order_by(AuditEntry.id.desc()).limit(1)).scalar() or GENESIS
    bind.execute(update(AuditEntry).where(AuditEntry.id == new_id)
                 .values(prev_hash=prev, hash=seal(new_id, prev)))
    return int(new_id)


def audit_rows(engine: Engine, since: dt.datetime | None = None,
               action: str | None = None) -> pd.DataFrame:
    """Return the audit trail, oldest first: columns :data:`AUDIT_FIELDS`.

    ``since`` keeps rows at or after that time, ``action`` rows of that action only.
    """
    stmt = select(*(getattr(AuditEntry, f) for f in AUDIT_FIELDS)).order_by(AuditEntry.id)
    if since is not None:
        stmt = stmt.where(AuditEntry.at >= since)
    if action is not None:
        stmt = stmt.where(AuditEntry.action == action)
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    return pd.DataFrame(rows, columns=AUDIT_FIELDS)
