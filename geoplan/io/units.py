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
from geoplan.io.errors import ImportRefused
from geoplan.io.files import RawTable, read_table
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
    return {f.name: values.choice(vocabs[f.name], f.label) if f.kind == uf.CODE
            else _PARSERS[f.kind] for f in uf.UNIT_FIELDS}


def unit_fields(types: Vocabulary) -> list[Field]:
    """Return the unit import schema: each field's parser, length limit and whether required."""
    parsers = unit_parsers(types)
    return [Field(f.name, limited(parsers[f.name], f.length) if f.length else parsers[f.name],
                  f.required, f.label) for f in uf.UNIT_FIELDS]


@dataclass
class ParsedUnits:
    """Unit records ready for the database, or the problems that refuse the file."""

    records: list[dict]
    problems: list[str]
    warnings: list[str] = field(default_factory=list)
    epsg: int | None = None


def _coordinates(
    raw: RawTable, mapping: dict[str, str], records: list[dict], problems: list[str]
) -> tuple[np.ndarray, np.ndarray, str, str]:
    """Return x/y arrays in the file's own CRS and the column names used in messages."""
    n = len(records)
    if raw.geometry is not None:
        geoms = raw.geometry.to_numpy()
        xs, ys = np.full(n, np.nan), np.full(n, np.nan)
        for i, g in enumerate(geoms):
            if g is None or g.is_empty:
                problems.append(f"row {i + 1}, column 'geometry': missing point")
            elif g.geom_type != "Point":
                problems.append(f"row {i + 1}, column 'geometry': {g.geom_type} is not a point")
            else:
                xs[i], ys[i] = g.x, g.y
        return xs, ys, "geometry", "geometry"
    pair = ("x", "y") if "x" in mapping and "y" in mapping else ("lon", "lat")
    if pair[0] not in mapping or pair[1] not in mapping:
        problems.append(
            "missing coordinate columns: give 'Øst' and 'Nord' (UTM) or 'lat' and 'lon'"
        )
        return np.full(n, np.nan), np.full(n, np.nan), "", ""
    cols = (mapping[pair[0]], mapping[pair[1]])
    xy = np.full((n, 2), np.nan)
    for i, rec in enumerate(records):
        for j, key in enumerate(pair):
            value = rec.get(key)
            if value is None and not any(
                p.startswith(f"row {i + 1}, column '{cols[j]}'") for p in problems
            ):
                problems.append(f"row {i + 1}, column '{cols[j]}': missing coordinate")
            elif value is not None:
                xy[i, j] = value
    return xy[:, 0], xy[:, 1], cols[0], cols[1]


def _resolve_epsg(
    raw: RawTable, given: int | None, mapping: dict[str, str], x, y, boundary,
    warnings: list[str],
) -> int:
    if given is not None:
        if raw.epsg is not None and raw.epsg != given:
            warnings.append(f"the file says EPSG:{raw.epsg}; using EPSG:{given} as given")
        return given
    if raw.epsg is not None:
        return raw.epsg
    hinted = {crs_mod.epsg_in_text(mapping[k]) for k in ("x", "y") if k in mapping} - {None}
    if len(hinted) == 1:
        return hinted.pop()
    if raw.geometry is None and "lon" in mapping and "x" not in mapping:
        return 4326
    guess = crs_mod.guess_epsg(x, y, boundary)
    warnings.append(
        f"no CRS in the file and none given: guessed EPSG:{guess} from the coordinate ranges; "
        "give --crs to be sure"
    )
    return guess


def locate(
    raw: RawTable, mapping: dict[str, str], records: list[dict], problems: list[str],
    warnings: list[str], epsg: int | None = None, boundary=None,
    boundary_name: str = "the municipality",
) -> tuple[np.ndarray, np.ndarray, int]:
    """Return the rows' EPSG:25833 coordinates and the CRS used; report bad or outside points.

    Coordinates come from the geometry, Øst/Nord or lat/lon; the CRS from the file, ``epsg``,
    a header such as "Øst (EPSG:25832)", lat/lon column names, or a guess with a warning.
    """
    x, y, xcol, ycol = _coordinates(raw, mapping, records, problems)
    used = _resolve_epsg(raw, epsg, mapping, x, y, boundary, warnings)
    ok = np.isfinite(x) & np.isfinite(y)
    wx, wy = np.full(len(x), np.nan), np.full(len(y), np.nan)
    if ok.any():
        wx[ok], wy[ok] = crs_mod.to_work(x[ok], y[ok], used)
    lon, lat = crs_mod.to_display(wx, wy)
    inside_norway = crs_mod.in_norway(lon, lat)
    inside = (
        shapely.contains_xy(boundary, wx, wy) if boundary is not None else np.ones(len(x), bool)
    )
    for i in np.flatnonzero(ok & ~(inside_norway & inside)):
        where = "Norway" if not inside_norway[i] else f"the boundary of {boundary_name}"
        problems.append(
            f"row {i + 1}, columns '{xcol}'/'{ycol}': point ({x[i]:.10g}, {y[i]:.10g}) in "
            f"EPSG:{used} is outside {where}"
        )
    return wx, wy, used


def parse_units(
    raw: RawTable, types: Vocabulary, epsg: int | None = None, boundary=None,
    boundary_name: str = "the municipality",
) -> ParsedUnits:
    """Parse and validate a raw unit table; every problem is collected, nothing is written.

    Personal-data columns and missing columns raise ImportRefused at once.
    """
    mapping, unknown, records, problems = parse_table(raw, UNIT_COLUMNS, unit_fields(types),
                                                      refuse_personal=True)
    warnings = [f"column '{c}' is not used" for c in unknown]
    wx, wy, used = locate(raw, mapping, records, problems, warnings, epsg, boundary,
                          boundary_name)
    seen: dict[str, int] = {}
    for i, rec in enumerate(records):
        row = i + 1
        uid = rec.get("unit_id")
        if uid is not None:
            if uid in seen:
                problems.append(
                    f"row {row}, column '{mapping['unit_id']}': duplicate unit id '{uid}' "
                    f"(also in row {seen[uid]})"
                )
            else:
                seen[uid] = row
        _finish_record(rec, wx[i], wy[i], row, mapping, problems)
    return ParsedUnits(records, problems, warnings, used)


def _finish_record(
    rec: dict, x: float, y: float, row: int, mapping: dict[str, str], problems: list[str]
) -> None:
    """Fill address parts, location and defaults, and check date order."""
    address = rec.pop("address", None)
    if address and not rec.get("street"):
        street, number, letter = values.split_address(address)
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
    if isinstance(acquired, dt.date) and isinstance(disposed, dt.date) and disposed < acquired:
        problems.append(
            f"row {row}, column '{mapping['disposed']}': disposed {disposed:%d.%m.%Y} is before "
            f"acquired {acquired:%d.%m.%Y}"
        )


def import_units(
    engine: Engine, path: str | Path, crs: str | int | None = None, filename: str | None = None
) -> repo.ImportResult:
    """Import a unit register file; refuse it whole (raising ImportRefused) on any bad row."""
    raw = read_table(path, filename)
    try:
        epsg = crs_mod.parse_epsg(crs)
    except ValueError as exc:
        raise ImportRefused(raw.filename, [str(exc)]) from exc
    muni = repo.municipality(engine)
    parsed = parse_units(
        raw, repo.unit_types(engine), epsg,
        muni.boundary if muni else None, muni.name if muni else "the municipality",
    )
    if parsed.problems:
        raise ImportRefused(raw.filename, parsed.problems)
    with Session(engine) as session, session.begin():
        result = repo.upsert_units(session, parsed.records, raw.filename)
    result.warnings = parsed.warnings
    return result
