"""Import of unit registers: parse, validate every row, then write in one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from geoplan import crs as crs_mod
from geoplan import unit_fields as uf
from geoplan.io import values
from geoplan.io.columns import UNIT_COLUMNS
from geoplan.io.crs_option import given_epsg, header_epsg
from geoplan.io.errors import ImportRefused
from geoplan.io.files import RawTable, read_table
from geoplan.io.problems import Problem, excel_row, problem, redact, warning
from geoplan.io.rows import Field, limited, parse_table
from geoplan.io.values import Parser
from geoplan.storage import repo
from geoplan.vocab import Vocabulary

_PARSERS: dict[str, Parser] = {
    uf.TEXT: values.text, uf.INT: values.integer, uf.FLOAT: values.number,
    uf.MONEY: values.money, uf.BOOL: values.boolean, uf.DATE: values.date,
    uf.POSTAL_CODE: values.postal_code,
}


def unit_parsers(types: Vocabulary) -> dict[str, Parser]:
    """Return the parser of every unit field (:data:`geoplan.unit_fields.UNIT_FIELDS`) by name.

    A coded field maps any alias of its vocabulary to the code; ``types`` are the unit types.
    """
    vocabs = uf.vocabularies(types)
    out = {f.name: values.choice(vocabs[f.name], f.name) if f.kind == uf.CODE
           else _PARSERS[f.kind] for f in uf.UNIT_FIELDS}
    out["unit_id"] = values.identifier
    return {name: values.at_least(parse, uf.FIELD_BY_NAME[name].minimum)
            if uf.FIELD_BY_NAME[name].minimum is not None else parse
            for name, parse in out.items()}


def unit_fields(types: Vocabulary) -> list[Field]:
    """Return the unit import schema: each field's parser, length limit and whether required."""
    parsers = unit_parsers(types)
    return [Field(f.name, limited(parsers[f.name], f.length) if f.length else parsers[f.name],
                  f.required, f.label) for f in uf.UNIT_FIELDS]


@dataclass
class ParsedUnits:
    """Unit records ready for the database, or the problems that refuse the file."""

    records: list[dict]
    problems: list[Problem]
    warnings: list[Problem] = field(default_factory=list)
    epsg: int | None = None


def _coordinates(
    raw: RawTable, mapping: dict[str, str], records: list[dict], problems: list[Problem]
) -> tuple[np.ndarray, np.ndarray, str, str]:
    """Return x/y arrays in the file's own CRS and the column names used in messages."""
    n = len(records)
    if raw.geometry is not None:
        geoms = raw.geometry.to_numpy()
        xs, ys = np.full(n, np.nan), np.full(n, np.nan)
        for i, g in enumerate(geoms):
            if g is None or g.is_empty:
                problems.append(problem("missing_point", excel_row(i), "geometry",
                                        records[i].get("unit_id")))
            elif g.geom_type != "Point":
                problems.append(problem("not_a_point", excel_row(i), "geometry",
                                        records[i].get("unit_id"), geom_type=g.geom_type))
            else:
                xs[i], ys[i] = g.x, g.y
        return xs, ys, "geometry", "geometry"
    pair = ("x", "y") if "x" in mapping and "y" in mapping else ("lon", "lat")
    if pair[0] not in mapping or pair[1] not in mapping:
        problems.append(problem("missing_coordinates"))
        return np.full(n, np.nan), np.full(n, np.nan), "", ""
    cols = (mapping[pair[0]], mapping[pair[1]])
    xy = np.full((n, 2), np.nan)
    reported = {(p.row, p.column) for p in problems}
    for i, rec in enumerate(records):
        for j, key in enumerate(pair):
            value = rec.get(key)
            if value is None and (excel_row(i), cols[j]) not in reported:
                problems.append(problem("missing_coordinate", excel_row(i), cols[j],
                                        rec.get("unit_id")))
            elif value is not None:
                xy[i, j] = value
    return xy[:, 0], xy[:, 1], cols[0], cols[1]


def _resolve_epsg(
    raw: RawTable, given: int | None, mapping: dict[str, str], x, y, boundary,
    warnings: list[Problem], problems: list[Problem],
) -> int:
    if given is not None:
        if raw.epsg is not None and raw.epsg != given:
            warnings.append(warning("crs_conflict", file_epsg=raw.epsg, epsg=given))
        return given
    if raw.epsg is not None:
        return raw.epsg
    hinted, refused = header_epsg(mapping[k] for k in ("x", "y") if k in mapping)
    if refused:  # a header names a CRS that is not accepted: never guess instead
        problems += refused
        return crs_mod.WORK_EPSG
    if len(hinted) == 1:
        return hinted.pop()
    if raw.geometry is None and "lon" in mapping and "x" not in mapping:
        return 4326
    guess = crs_mod.guess_epsg(x, y, boundary)
    warnings.append(warning("crs_guessed", epsg=guess))
    return guess


def locate(
    raw: RawTable, mapping: dict[str, str], records: list[dict], problems: list[Problem],
    warnings: list[Problem], epsg: int | None = None, boundary=None,
    boundary_name: str | None = None,
) -> tuple[np.ndarray, np.ndarray, int]:
    """Return the rows' EPSG:25833 coordinates and the CRS used; report bad or outside points.

    Coordinates come from the geometry, Øst/Nord or lat/lon; the CRS from the file, ``epsg``,
    a header such as "Øst (EPSG:25832)", lat/lon column names, or a guess with a warning.
    """
    x, y, xcol, ycol = _coordinates(raw, mapping, records, problems)
    before = len(problems)
    used = _resolve_epsg(raw, epsg, mapping, x, y, boundary, warnings, problems)
    if len(problems) > before:  # a named CRS that is not accepted: the points mean nothing
        return np.full(len(x), np.nan), np.full(len(y), np.nan), used
    ok = np.isfinite(x) & np.isfinite(y)
    wx, wy = np.full(len(x), np.nan), np.full(len(y), np.nan)
    if ok.any():
        wx[ok], wy[ok] = crs_mod.to_work(x[ok], y[ok], used)
    lon, lat = crs_mod.to_display(wx, wy)
    inside_norway = crs_mod.in_norway(lon, lat)
    inside = (
        shapely.contains_xy(boundary, wx, wy) if boundary is not None else np.ones(len(x), bool)
    )
    for i in np.flatnonzero(ok & ~(inside_norway & inside)).tolist():
        point = {"x": f"{x[i]:.10g}", "y": f"{y[i]:.10g}", "epsg": used}
        column = f"{xcol}/{ycol}" if xcol != ycol else xcol
        uid = records[i].get("unit_id")
        problems.append(problem("outside_norway", excel_row(i), column, uid, **point)
                        if not inside_norway[i] else
                        problem("outside_boundary", excel_row(i), column, uid,
                                place=boundary_name or "", **point))
    return wx, wy, used


def parse_units(
    raw: RawTable, types: Vocabulary, epsg: int | None = None, boundary=None,
    boundary_name: str | None = None,
) -> ParsedUnits:
    """Parse and validate a raw unit table; every problem is collected, nothing is written.

    Missing columns raise ImportRefused at once (with the other problems found).  Unit ids are
    compared by :func:`geoplan.io.values.id_key` ("B-1" and "b-1" are one id).
    """
    mapping, unknown, records, problems = parse_table(raw, UNIT_COLUMNS, unit_fields(types))
    warnings = [warning("unused_column", None, c) for c in unknown]
    wx, wy, used = locate(raw, mapping, records, problems, warnings, epsg, boundary,
                          boundary_name)
    seen: dict[str, int] = {}
    for i, rec in enumerate(records):
        row = excel_row(i)
        uid = rec.get("unit_id")
        if uid is not None:
            key = values.id_key(uid)
            if key in seen:
                problems.append(problem("duplicate_id", row, mapping["unit_id"], uid,
                                        value=uid, first_row=seen[key]))
            else:
                seen[key] = row
        _finish_record(rec, wx[i], wy[i], row, mapping, problems)
    return ParsedUnits(records, redact(problems, mapping.get("unit_id")), warnings, used)


def _finish_record(
    rec: dict, x: float, y: float, row: int, mapping: dict[str, str], problems: list[Problem]
) -> None:
    """Fill address parts, location and defaults; check the street's length, an acquisition
    date at most a year ahead, and the dates' order."""
    address = rec.pop("address", None)
    uid = rec.get("unit_id")
    if address and not rec.get("street"):
        street, number, letter = values.split_address(address)
        limit = uf.FIELD_BY_NAME["street"].length
        if len(street) > limit:
            problems.append(problem("too_long", row, mapping["address"], uid,
                                    value=street[:30] + "…", limit=limit))
            street = None
        rec["street"] = street
        rec["house_number"] = rec.get("house_number") or number
        rec["letter"] = rec.get("letter") or letter
    rec.pop("lon", None)
    rec.pop("lat", None)
    rec["x"], rec["y"] = float(x), float(y)
    # only columns the file has may change a unit: a re-import without them keeps the values
    if "status" in rec:
        rec["status"] = rec["status"] or "occupied"
    for flag in ("universal_design", "wheelchair"):
        if flag in rec:
            rec[flag] = bool(rec[flag])
    acquired, disposed = rec.get("acquired"), rec.get("disposed")
    latest = dt.date.today() + dt.timedelta(days=365)
    if isinstance(acquired, dt.date) and acquired > latest:
        problems.append(problem("date_in_future", row, mapping["acquired"], uid,
                                value=acquired, limit=latest))
    if isinstance(acquired, dt.date) and isinstance(disposed, dt.date) and disposed < acquired:
        problems.append(problem("disposed_before_acquired", row, mapping["disposed"], uid,
                                disposed=disposed, acquired=acquired))


def same_ids(records: list[dict], stored: set[str]) -> None:
    """Give each record the stored spelling of its unit id when they are one id by
    :func:`geoplan.io.values.id_key` ("b-1" in the file updates "B-1" in the register)."""
    by_key = {values.id_key(u): u for u in stored}
    for rec in records:
        uid = rec.get("unit_id")
        if uid is not None and uid not in stored:
            rec["unit_id"] = by_key.get(values.id_key(uid), uid)


MISSING_CHOICES = ("report", "dispose")  # what a re-import does with units not in the file


def import_units(
    engine: Engine, path: str | Path, crs: str | int | None = None, filename: str | None = None,
    sheet: str | None = None, missing: str = "report", dispose_date: dt.date | None = None,
) -> repo.ImportResult:
    """Import a unit register file; refuse it whole (raising ImportRefused) on any bad row.

    ``sheet``: the sheet or layer to read when the file has several.  The register's active
    units that the file lacks are listed in the result's ``missing``; with ``missing="dispose"``
    they are disposed of on ``dispose_date`` (history kept) in the same transaction.
    """
    if missing not in MISSING_CHOICES:
        raise ValueError(f"missing must be one of {MISSING_CHOICES}")
    raw = read_table(path, filename, sheet)
    epsg = given_epsg(crs, raw.filename)
    if missing == "dispose" and dispose_date is None:
        raise ImportRefused.one(raw.filename, "dispose_date_missing")
    muni = repo.municipality(engine)
    parsed = parse_units(
        raw, repo.unit_types(engine), epsg,
        muni.boundary if muni else None, muni.name if muni else None,
    )
    dates = repo.unit_dates(engine)
    same_ids(parsed.records, set(dates))
    in_file = {r["unit_id"] for r in parsed.records if r.get("unit_id")}
    gone = sorted(uid for uid, (_, disposed) in dates.items()
                  if disposed is None and uid not in in_file)
    if missing == "dispose":
        parsed.problems += [
            problem("dispose_before_acquired", unit_id=uid, disposed=dispose_date,
                    acquired=dates[uid][0])
            for uid in gone if dates[uid][0] is not None and dates[uid][0] > dispose_date]
    if parsed.problems:
        raise ImportRefused(raw.filename, parsed.problems)
    with Session(engine) as session, session.begin():
        result = repo.upsert_units(session, parsed.records, raw.filename)
        if missing == "dispose":
            for uid in gone:
                repo.dispose_unit(session, uid, dispose_date)
            result.disposed = gone
    result.warnings = parsed.warnings
    result.missing = gone
    return result

