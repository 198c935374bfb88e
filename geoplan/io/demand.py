"""Import of aggregated demand snapshots (households waiting per target group; no persons)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from geoplan.io import values
from geoplan.io.columns import DEMAND_COLUMNS
from geoplan.io.errors import ImportRefused
from geoplan.io.files import read_table
from geoplan.io.problems import BadValue, detail_text
from geoplan.io.rows import Field, parse_table
from geoplan.storage import repo
from geoplan.vocab import TARGET_GROUP, fold, parse_bool

_STAFFED = {"bemannet": True, "staffed": True, "ubemannet": False, "unstaffed": False}


def staffing(value: object) -> bool:
    """Parse a staffing need: Bemannet/Ubemannet, staffed/unstaffed or yes/no."""
    key = fold(value)
    if key in _STAFFED:
        return _STAFFED[key]
    out = parse_bool(value)
    if out is None:
        raise BadValue("not_staffing", value=detail_text(value))
    return out


def count(value: object) -> int:
    """Parse a count of households or units: a whole number of zero or more."""
    n = values.integer(value)
    if n < 0:
        raise BadValue("negative", value=detail_text(value))
    return n


DEMAND_FIELDS = [
    Field("snapshot_date", values.date, True, "date"),
    Field("target_group", values.choice(TARGET_GROUP, "target_group"), True, "target group"),
    Field("households", count, True, "households waiting"),
    Field("rooms_needed", values.integer),
    Field("universal_design", values.boolean),
    Field("staffed", staffing),
    Field("preferred_area", values.text),
]


def import_demand(engine: Engine, path: str | Path, filename: str | None = None,
                  sheet: str | None = None) -> int:
    """Import a demand snapshot file; refuse it whole on any bad row or personal data."""
    raw = read_table(path, filename, sheet)
    _, _, records, problems = parse_table(raw, DEMAND_COLUMNS, DEMAND_FIELDS)
    if problems:
        raise ImportRefused(raw.filename, problems)
    for rec in records:
        rec["universal_design"] = bool(rec.get("universal_design"))
        rec["staffed"] = bool(rec.get("staffed"))
    return replace_each(engine, "demand", raw.filename, records, "snapshot_date",
                        repo.replace_demand)


def replace_each(engine: Engine, kind: str, filename: str, records: list[dict], key: str,
                 replace: Callable[[Session, Any, list[dict]], int]) -> int:
    """Store ``records`` in one transaction, each value of ``key`` (a date, a year) replacing
    the stored rows with that value only; log the import.  Returns the rows stored."""
    n = 0
    with Session(engine) as s, s.begin():
        repo.log_import(s, kind, filename, len(records))
        for value in sorted({r[key] for r in records}):
            n += replace(s, value, [r for r in records if r[key] == value])
    return n
