"""Schema-driven parsing of raw rows, collecting every problem by spreadsheet row and column."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from geoplan.io.columns import header_key, match_columns
from geoplan.io.errors import ImportRefused
from geoplan.io.files import RawTable
from geoplan.io.personal import find_personal
from geoplan.io.problems import BadValue, Problem, detail_text, excel_row, problem, redact
from geoplan.io.values import Parser, identifier
from geoplan.missing import is_blank


@dataclass(frozen=True)
class Field:
    """A target field: its parser, whether it must have a value, and its name in messages."""

    name: str
    parse: Parser
    required: bool = False
    label: str = ""


def within_lengths(fields: Sequence[Field], table) -> list[Field]:
    """Give each text field the length limit of its database column (a clear row error, not a
    database error, on PostgreSQL where strings are not truncated)."""
    out = []
    for f in fields:
        column = table.columns.get(f.name)
        limit = getattr(getattr(column, "type", None), "length", None)
        out.append(Field(f.name, limited(f.parse, limit), f.required, f.label) if limit else f)
    return out


def limited(parse: Parser, limit: int) -> Parser:
    """Return ``parse`` refusing text longer than ``limit`` characters (``too_long``)."""
    def check(value: object) -> object:
        out = parse(value)
        if isinstance(out, str) and len(out) > limit:
            raise BadValue("too_long", value=detail_text(out, 30), limit=limit)
        return out
    return check


def missing_columns(
    fields: Sequence[Field], mapping: Mapping[str, str], aliases: Mapping[str, Sequence[str]]
) -> list[Problem]:
    """Return a ``missing_column`` problem for each required field that has no column."""
    return [problem("missing_column", field=f.name,
                    examples=", ".join(f"'{a}'" for a in aliases.get(f.name, ())[:4]))
            for f in fields if f.required and f.name not in mapping]


def parse_rows(
    frame: pd.DataFrame, mapping: Mapping[str, str], fields: Sequence[Field]
) -> tuple[list[dict], list[Problem]]:
    """Parse every row; return the records and the problems, each at its spreadsheet row.

    A problem names the row's unit id when the file has a unit id column.
    """
    records: list[dict] = []
    problems: list[Problem] = []
    present = [f for f in fields if f.name in mapping]
    columns = {f.name: frame[mapping[f.name]].tolist() for f in present}
    ids = columns.get("unit_id")
    # a register repeats its values (types, yes/no, dates): each distinct value is parsed once
    seen: dict[str, dict[object, object]] = {f.name: {} for f in present}
    for i in range(len(frame)):
        rec: dict = {}
        bad: list[Problem] = []
        for f in present:
            header = mapping[f.name]
            raw = columns[f.name][i]
            out = _parsed(f, raw, seen[f.name])
            if isinstance(out, Problem):
                rec[f.name] = None
                bad.append(out.at(excel_row(i), header))
            else:
                rec[f.name] = out
        if bad and ids is not None:
            uid = _id_of(ids[i])
            bad = [p.at(unit_id=uid) for p in bad] if uid else bad
        problems += bad
        records.append(rec)
    return records, problems


_MISSING = problem("missing_value")


def _parsed(f: Field, raw: object, cache: dict[object, object]) -> object:
    """``f.parse(raw)``, None for a blank, or the Problem (without its row); cached by value."""
    key = (type(raw), raw) if isinstance(raw, str | int | float) else None
    if key is not None and key in cache:
        return cache[key]
    if is_blank(raw):
        out: object = _MISSING if f.required else None
    else:
        try:
            out = f.parse(raw)
        except BadValue as exc:
            out = exc.problem
    if key is not None:
        cache[key] = out
    return out


def _id_of(raw: object) -> str | None:
    """A row's unit id for messages, or None when it has none or it is not readable."""
    if is_blank(raw):
        return None
    try:
        return detail_text(identifier(raw), 40) or None
    except BadValue:
        return None


def schema_headers(headers: Sequence[str], schema: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """The headers that are an alias of the schema but lost their field to another column (an
    area file with both ``kommunenavn`` and ``name``): known words, not personal data."""
    aliases = {a for names in schema.values() for a in names}
    return {f"alias:{h}": h for h in headers if header_key(h) in aliases}


def parse_table(
    raw: RawTable, schema: Mapping[str, Sequence[str]], fields: Sequence[Field],
) -> tuple[dict[str, str], list[str], list[Problem], list[Problem]]:
    """Match the headers and parse every row: ``(mapping, unknown headers, records, problems)``.

    Every file is checked for personal data, by header and by content, in every column and in
    every other sheet or layer (:func:`geoplan.io.personal.find_personal`); those problems come
    back with the row problems, so a refusal lists everything at once.  Missing or ambiguous
    columns refuse the file at once (raising ImportRefused), with the personal-data and row
    problems found in the columns that are there.
    """
    mapping, unknown, column_problems = match_columns(raw.frame.columns, schema)
    problems = list(raw.problems)
    problems += find_personal(raw.frame, mapping | schema_headers(unknown, schema))
    for sheet, frame in raw.others.items():
        problems += find_personal(frame, {}, sheet=sheet)
    column_problems += missing_columns(fields, mapping, schema)
    records, row_problems = parse_rows(raw.frame, mapping, fields)
    found = redact(problems + row_problems, mapping.get("unit_id"))
    if column_problems:
        raise ImportRefused(raw.filename, column_problems + found)
    return mapping, unknown, records, found
