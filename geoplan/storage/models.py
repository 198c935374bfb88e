"""SQLAlchemy models: units and their history, areas, municipality, demand and vocabularies.

No model has a column for tenant names, birth numbers or case details: GeoPlan stores units and
aggregates only.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from geoplan.storage.geometry import Geometry
from geoplan.unit_fields import (
    BOOL,
    CODE,
    DATE,
    FLOAT,
    INT,
    MONEY,
    POSTAL_CODE,
    TEXT,
    UNIT_FIELDS,
    UnitField,
)


class Base(DeclarativeBase):
    """Declarative base of all GeoPlan tables."""


class UnitType(Base):
    """A configurable unit type (boligtype)."""

    __tablename__ = "unit_types"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_nb: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    aliases: Mapped[str] = mapped_column(Text, default="")  # ';'-separated
    color: Mapped[str] = mapped_column(String(9), default="#777777")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class ImportBatch(Base):
    """One import of a file, whether units, areas or demand."""

    __tablename__ = "import_batches"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(400))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    n_rows: Mapped[int] = mapped_column(Integer, default=0)
    n_created: Mapped[int] = mapped_column(Integer, default=0)
    n_updated: Mapped[int] = mapped_column(Integer, default=0)
    n_unchanged: Mapped[int] = mapped_column(Integer, default=0)


# The unit's columns come from geoplan.unit_fields (one row per field: name, kind, length,
# required); this table holds only what the database adds: keys, indexes and defaults.
_SQL_TYPES = {TEXT: String, CODE: String, POSTAL_CODE: String, INT: Integer, FLOAT: Float,
              MONEY: Float, BOOL: Boolean, DATE: Date}
_UNIT_COLUMN_OPTIONS: dict[str, dict] = {
    "unit_id": {"unique": True, "index": True},
    "building_id": {"index": True},
    "x": {"nullable": False},  # EPSG:25833 easting
    "y": {"nullable": False},  # EPSG:25833 northing
    "unit_type": {"foreign_key": "unit_types.code"},
    "universal_design": {"default": False, "nullable": False},
    "wheelchair": {"default": False, "nullable": False},
    "status": {"default": "occupied", "nullable": False},
}


def _unit_column(field: UnitField):
    """The database column of one stored unit field."""
    options = dict(_UNIT_COLUMN_OPTIONS.get(field.name, {}))
    foreign_key = options.pop("foreign_key", None)
    options.setdefault("nullable", not field.required)
    kind = _SQL_TYPES[field.kind]
    type_ = kind(field.length) if kind is String else kind()
    if foreign_key:
        return mapped_column(type_, ForeignKey(foreign_key), **options)
    return mapped_column(type_, **options)


def _unit_namespace() -> dict:
    """The Unit class body: its key, one column per stored UNIT_FIELDS row, bookkeeping."""
    namespace = {
        "__tablename__": "units", "__module__": __name__,
        "__doc__": "A municipal rental unit (kommunalt disponert bolig). Never deleted: disposal "
                   "sets a date.  Columns: geoplan.unit_fields.UNIT_FIELDS (stored rows).",
        "id": mapped_column(Integer, primary_key=True),
    }
    namespace |= {f.name: _unit_column(f) for f in UNIT_FIELDS if f.stored}
    namespace |= {
        "created_at": mapped_column(DateTime, server_default=func.now(), nullable=False),
        "updated_at": mapped_column(DateTime, server_default=func.now(), onupdate=func.now(),
                                    nullable=False),
        "changes": relationship("UnitChange", back_populates="unit"),
    }
    return namespace


Unit = type("Unit", (Base,), _unit_namespace())


class UnitChange(Base):
    """One changed field of a unit, recorded by a re-import or an edit."""

    __tablename__ = "unit_changes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_pk: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
    field: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    unit: Mapped[Unit] = relationship(back_populates="changes")


class Area(Base):
    """A polygon of one area system (grunnkrets, delområde, levekårssone, grid cell …)."""

    __tablename__ = "areas"
    __table_args__ = (UniqueConstraint("system", "code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    system: Mapped[str] = mapped_column(String(60), index=True)
    code: Mapped[str] = mapped_column(String(60))
    name: Mapped[str | None] = mapped_column(String(200))
    geometry = mapped_column(Geometry("MULTIPOLYGON"))
    population: Mapped[int | None] = mapped_column(Integer)
    dwellings: Mapped[int | None] = mapped_column(Integer)
    indicators: Mapped[dict | None] = mapped_column(JSON)


class Municipality(Base):
    """The municipality the register belongs to, with its boundary."""

    __tablename__ = "municipality"
    number: Mapped[str] = mapped_column(String(4), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    boundary = mapped_column(Geometry("MULTIPOLYGON"))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)


class DemandRow(Base):
    """An aggregated demand count (households waiting) on one snapshot date. No persons."""

    __tablename__ = "demand"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    snapshot_date: Mapped[dt.date] = mapped_column(Date, index=True)
    target_group: Mapped[str] = mapped_column(String(40))
    households: Mapped[int] = mapped_column(Integer)
    rooms_needed: Mapped[int | None] = mapped_column(Integer)
    universal_design: Mapped[bool] = mapped_column(Boolean, default=False)
    staffed: Mapped[bool] = mapped_column(Boolean, default=False)
    preferred_area: Mapped[str | None] = mapped_column(String(200))


class DemandFlow(Base):
    """Aggregated flows of one target group in one year (counts only; no persons or cases).

    ``inflow``: new approved applications; ``allocations``: households housed;
    ``withdrawals``: households that left the list without a municipal unit; ``relets``: units
    that became free and were let again.  A count not given is None.
    """

    __tablename__ = "demand_flows"
    __table_args__ = (UniqueConstraint("year", "target_group"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    target_group: Mapped[str] = mapped_column(String(40))
    inflow: Mapped[int | None] = mapped_column(Integer)
    allocations: Mapped[int | None] = mapped_column(Integer)
    withdrawals: Mapped[int | None] = mapped_column(Integer)
    relets: Mapped[int | None] = mapped_column(Integer)


class PolicySetting(Base):
    """One policy threshold (e.g. max_area_share = 0.10), editable in the app."""

    __tablename__ = "policy"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime, server_default=func.now(), onupdate=func.now()
    )


class Address(Base):
    """One official address point (Kartverket's address register), for the search box."""

    __tablename__ = "addresses"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    street: Mapped[str] = mapped_column(String(200))
    number: Mapped[str | None] = mapped_column(String(20))
    letter: Mapped[str | None] = mapped_column(String(5))
    postal_code: Mapped[str | None] = mapped_column(String(4))
    place: Mapped[str | None] = mapped_column(String(100))
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)
    search_key: Mapped[str] = mapped_column(String(300), index=True)


class User(Base):
    """A person who may sign in, and their role (geoplan.roles.ROLES). No other personal data."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(200), unique=True, index=True)
    role: Mapped[str] = mapped_column(String(20))
    added_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    added_by: Mapped[str | None] = mapped_column(String(200))


class AuditEntry(Base):
    """One row of the append-only audit trail; ``hash`` chains it to the row before it."""

    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(40), index=True)
    object: Mapped[str | None] = mapped_column(String(400))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    counts: Mapped[dict | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class Scenario(Base):
    """A named plan (buy these, sell those); never touches the register."""

    __tablename__ = "scenarios"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    # what a plan was made with (None for a scenario saved from a file): the budget in NOK,
    # the targets {target-group code: units} and the policy values {field name: value}
    budget: Mapped[float | None] = mapped_column(Float)
    targets: Mapped[dict | None] = mapped_column(JSON)
    policy: Mapped[dict | None] = mapped_column(JSON)
    items: Mapped[list[ScenarioItem]] = relationship(
        back_populates="scenario", cascade="all, delete-orphan", order_by="ScenarioItem.id")


class ScenarioItem(Base):
    """One purchase or sale in a scenario."""

    __tablename__ = "scenario_items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"), index=True)
    action: Mapped[str] = mapped_column(String(4))  # buy | sell
    label: Mapped[str | None] = mapped_column(String(200))
    unit_id: Mapped[str | None] = mapped_column(String(60))
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)
    attributes: Mapped[dict | None] = mapped_column(JSON)
    scenario: Mapped[Scenario] = relationship(back_populates="items")


class Service(Base):
    """A point of a service layer (school, kindergarten, shop, bus stop …)."""

    __tablename__ = "services"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(60), index=True)
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)
