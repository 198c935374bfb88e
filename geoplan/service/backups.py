"""Backup and restore of the whole database (``geoplan backup FILE``, ``geoplan restore FILE``).

The archive's format and its checks are :mod:`geoplan.storage.backup`'s; here are the two
operations a command or page calls, with summaries of numbers and codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from sqlalchemy import Engine

from geoplan.roles import Actor
from geoplan.service import audit
from geoplan.storage import backup as archive
from geoplan.storage.backup import ArchiveError
from geoplan.storage.db import WriterBusy

__all__ = ["ArchiveError", "BackupSummary", "WriterBusy", "backup", "check_backup", "restore"]


@dataclass(frozen=True)
class BackupSummary:
    """What an archive holds.

    Attributes
    ----------
    path : the archive's path.
    schema_revision : the Alembic revision of the database it was made from.
    rows : table name -> number of rows, every table of the schema.
    """

    path: str
    schema_revision: str
    rows: dict[str, int]

    @property
    def total(self) -> int:
        """Rows in all tables together."""
        return sum(self.rows.values())


def _geoplan_version() -> str:
    try:
        return version("geoplan")
    except PackageNotFoundError:  # running from a checkout that is not installed
        return ""


def backup(engine: Engine, actor: Actor, path: str | Path) -> BackupSummary:
    """Write every table of ``engine`` (one consistent snapshot) to the archive ``path``.

    Admins only: the archive holds the whole register, the users and the audit trail.  (A
    backup changes nothing, so it writes no audit row: the archive is then the database.)
    """
    audit.check(engine, actor, "backup", str(path))
    manifest = archive.write_archive(engine, path, _geoplan_version())
    return BackupSummary(str(path), manifest["schema_revision"],
                         {t["name"]: t["rows"] for t in manifest["tables"]})


def check_backup(path: str | Path) -> BackupSummary:
    """Read and check the archive ``path`` without writing anything (ArchiveError if refused)."""
    checked = archive.read_archive(path)
    return BackupSummary(str(path), checked.manifest["schema_revision"],
                         {name: len(rows) for name, rows in checked.rows.items()})


def restore(engine: Engine, actor: Actor, path: str | Path, force: bool = False) -> BackupSummary:
    """Check the archive ``path`` whole, then replace the database's rows by it (one transaction).

    Refused with :class:`ArchiveError` and nothing written when the archive is damaged, changed,
    of another schema revision, or when the database holds data and ``force`` is False.
    :class:`WriterBusy` when an import held the database for too long.
    """
    audit.check(engine, actor, "restore", str(path))
    checked = archive.read_archive(path)
    rows = archive.restore(engine, checked, force=force)
    # the restored audit trail goes on: this row chains to the archive's last one
    audit.record(engine, actor, "restore", str(path), counts=rows)
    return BackupSummary(str(path), checked.manifest["schema_revision"], rows)
