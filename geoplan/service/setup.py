"""Starting on your own municipality: set one up from its boundary, empty the database, and
whether there is anything in it (``geoplan init``, ``geoplan reset``, the app's first-run page).

Numbers and codes only: a refusal is a :class:`SetupRefused` with a code from
:data:`SETUP_CODES` and its details; ``geoplan.ui.setup_text`` words it.

- :func:`setup_state` says what the database holds (:attr:`SetupState.empty`: no municipality
  and no units; the app then shows its first-run page instead of loading the demo).
- :func:`init_municipality` sets up an *empty* database from a boundary file through the one
  boundary importer (:func:`geoplan.service.imports.import_file`, kind "boundary").  A file
  with several municipalities (Kartverket's national file) is cut down to the features whose
  ``kommunenummer`` is the one given first.
- :func:`reset_database` empties everything but the users and the audit trail, after writing
  a backup archive (deletes keep history); policy and unit types go back to what a new
  database holds.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from geoplan.config import PROJECT_DIR
from geoplan.io.files import read_table
from geoplan.roles import Actor
from geoplan.service import audit, backups, imports
from geoplan.storage.db import make_engine, writer_lock
from geoplan.storage.models import Base, Municipality, Unit

__all__ = ["KEPT_TABLES", "SETUP_CODES", "ResetSummary", "SetupRefused", "SetupState",
           "backup_folder", "init_municipality", "reset_database", "setup_state"]

# code -> the detail keys its words use (worded in geoplan/ui/i18n.py as "setup.refused.<code>")
SETUP_CODES: dict[str, tuple[str, ...]] = {
    "bad_number": ("number",),                # a kommunenummer is four digits
    "missing_name": (),
    "not_empty": ("number", "name", "units"),  # the database holds a municipality or units
    "number_not_in_file": ("number",),        # a national file without this kommunenummer
    "other_municipality": ("number", "name"),  # the demo would merge into another municipality
}
KEPT_TABLES: tuple[str, ...] = ("users", "audit")  # what a reset keeps
SEEDED_TABLES: tuple[str, ...] = ("policy", "unit_types")  # back to a new database's rows
# headers of a file with several municipalities that hold the kommunenummer (normalised)
NUMBER_HEADERS: tuple[str, ...] = ("kommunenummer", "kommunenr", "komnr", "knr")
NUMBER = re.compile(r"^\d{4}$")


class SetupRefused(ValueError):
    """Setting up, loading the demo or resetting was refused: ``code`` (:data:`SETUP_CODES`)
    and ``detail`` (its keys); nothing was changed."""

    def __init__(self, code: str, **detail: object):
        if code not in SETUP_CODES:
            raise KeyError(f"unknown setup code {code!r}")
        self.code, self.detail = code, detail
        super().__init__(code + "".join(f" {k}={v!r}" for k, v in detail.items()))


@dataclass(frozen=True)
class SetupState:
    """What the database holds: the municipality's ``number`` and ``name`` (None without one),
    whether it is ``synthetic`` (the demo), and the number of ``units`` in the register."""

    number: str | None
    name: str | None
    synthetic: bool
    units: int

    @property
    def empty(self) -> bool:
        """No municipality and no units: the app shows its first-run page."""
        return self.number is None and self.units == 0


@dataclass(frozen=True)
class ResetSummary:
    """What a reset did: the ``backup`` archive written first, and the rows deleted per table."""

    backup: str
    deleted: dict[str, int]

    @property
    def total(self) -> int:
        """Rows deleted in all tables together."""
        return sum(self.deleted.values())


def setup_state(engine: Engine) -> SetupState:
    """Return what the database holds (one cheap query per table)."""
    with Session(engine) as s:
        muni = s.execute(select(Municipality.number, Municipality.name, Municipality.synthetic)
                         ).first()
        units = s.scalar(select(func.count()).select_from(Unit)) or 0
    if muni is None:
        return SetupState(None, None, False, int(units))
    return SetupState(muni.number, muni.name, bool(muni.synthetic), int(units))


def check_number(number: object) -> str:
    """Return ``number`` as a kommunenummer (four digits, "301" → "0301"); SetupRefused else."""
    text = str(number or "").strip()
    if text.isdigit() and len(text) == 3:
        text = "0" + text
    if not NUMBER.match(text):
        raise SetupRefused("bad_number", number=text[:20])
    return text


def _normalise(header: object) -> str:
    return re.sub(r"[^a-z]", "", str(header).lower())


def _number_column(frame) -> str | None:
    """The column of a boundary file holding the kommunenummer, or None."""
    for header in frame.columns:
        if _normalise(header) in NUMBER_HEADERS:
            return header
    return None


def _as_number(value: object) -> str:
    text = str(value).strip()
    if text.endswith(".0"):
        text = text[:-2]
    return text.zfill(4) if text.isdigit() else text


def _one_municipality(path: Path, filename: str, number: str, folder: Path,
                      sheet: str | None = None) -> Path:
    """``path`` itself, or, when it holds several municipalities, a GeoJSON in ``folder`` with
    the features whose kommunenummer is ``number`` (SetupRefused when there is none)."""
    raw = read_table(path, filename, sheet)
    column = _number_column(raw.frame)
    if raw.geometry is None or column is None or len(raw.frame) < 2:
        return path
    keep = raw.frame[column].map(_as_number) == number
    if not keep.any():
        raise SetupRefused("number_not_in_file", number=number)
    frame = raw.frame.loc[keep].reset_index(drop=True)
    picked = gpd.GeoDataFrame(frame, geometry=list(raw.geometry[keep.to_numpy()]),
                              crs=raw.epsg)
    target = folder / (Path(filename).stem + f"-{number}.geojson")
    picked.to_file(target, driver="GeoJSON")
    return target


def init_municipality(engine: Engine, actor: Actor, number: str, name: str,
                      boundary_path: str | Path, filename: str | None = None,
                      crs: str | int | None = None, sheet: str | None = None,
                      ) -> imports.ImportSummary:
    """Set up an empty database for municipality ``number`` (four digits) named ``name`` from
    its boundary file (any format the boundary importer reads); return the import's summary.

    Planners and admins only (AccessDenied, recorded).  Refused with :class:`SetupRefused`
    (nothing changed) for a bad number or an empty name, when the database already holds a
    municipality or units (``not_empty``: reset it first), or when a file with several
    municipalities does not hold ``number``; the boundary importer's own refusals are
    ImportRefused.  The boundary and its audit row ("import", kind "boundary") commit together.
    ``crs`` is the boundary's CRS when the file has none; ``sheet`` its layer when it has several.
    """
    filename = filename or Path(boundary_path).name
    audit.check(engine, actor, "import", filename)
    number = check_number(number)
    name = str(name or "").strip()
    if not name:
        raise SetupRefused("missing_name")
    state = setup_state(engine)
    if not state.empty:
        raise SetupRefused("not_empty", number=state.number, name=state.name, units=state.units)
    with tempfile.TemporaryDirectory(prefix="geoplan-init-") as tmp:
        path = _one_municipality(Path(boundary_path), filename, number, Path(tmp), sheet)
        return imports.import_file(engine, actor, "boundary", path, filename,
                                   number=number, name=name, crs=crs,
                                   sheet=sheet if path == Path(boundary_path) else None)


def backup_folder(engine: Engine) -> Path:
    """Where a reset's automatic backup goes: ``backups/`` beside an SQLite file, else the
    project's ``backups/`` folder."""
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return Path(url.database).resolve().parent / "backups"
    return PROJECT_DIR / "backups"


@lru_cache(maxsize=1)
def _seed_rows() -> dict[str, list[dict]]:
    """The rows of :data:`SEEDED_TABLES` in a newly migrated database."""
    fresh = make_engine("sqlite://")
    tables = {t.name: t for t in Base.metadata.sorted_tables}
    with fresh.connect() as conn:
        rows = {name: [dict(r._mapping) for r in conn.execute(select(tables[name]))]
                for name in SEEDED_TABLES}
    fresh.dispose()
    return rows


def reset_database(engine: Engine, actor: Actor, folder: str | Path | None = None
                   ) -> ResetSummary:
    """Empty the database but for its users and audit trail; return the backup and counts.

    Admins only (the "restore" action; AccessDenied, recorded).  First a backup archive of
    everything (:func:`geoplan.service.backups.backup`) is written to ``folder`` (default
    :func:`backup_folder`), named ``geoplan-before-reset-<UTC time>.zip``; then, under the
    writer lock (no import in between) and in one transaction with its audit row ("reset",
    the archive's path, the rows deleted per table), every table but :data:`KEPT_TABLES` is
    emptied and the policy and unit types go back to a new database's rows.
    """
    audit.check(engine, actor, "restore", "reset")
    folder = Path(folder) if folder is not None else backup_folder(engine)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = folder / f"geoplan-before-reset-{stamp}.zip"
    seeds = _seed_rows()
    tables = [t for t in reversed(Base.metadata.sorted_tables) if t.name not in KEPT_TABLES]
    with writer_lock(engine):
        backups.backup(engine, actor, path)
        with engine.begin() as conn:
            deleted = {t.name: conn.execute(delete(t)).rowcount for t in tables}
            for table in reversed(tables):
                if seeds.get(table.name):
                    conn.execute(table.insert(), seeds[table.name])
            audit.write(conn, actor, "reset", "database", after={"backup": str(path)},
                        counts=deleted)
    return ResetSummary(str(path), deleted)
