"""Schema-driven parsing of raw rows, collecting every problem by data row and column."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from geoplan.io.columns import match_columns, personal_columns
from geoplan.io.errors import ImportRefused
from geoplan.io.files import RawTable
from geoplan.io.values import Parser
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
    """Return ``parse`` refusing text longer than ``limit`` characters."""
    def check(value: object) -> object:
        out = parse(value)
        if isinstance(out, str) and len(out) > limit:
            raise ValueError(f"'{out[:30]}…' is longer than {limit} characters")
        return out
    return check


def missing_columns(
    fields: Sequence[Field], mapping: Mapping[str, str], aliases: Mapping[str, Sequence[str]]
) -> list[str]:
    """Return a problem for each required field that has no column."""
    out = []
    for f in fields:
        if f.required and f.name not in mapping:
            names = ", ".join(f"'{a}'" for a in aliases.get(f.name, ())[:4])
            out.append(f"missing column for {f.label or f.name} (for example {names})")
    return out


def parse_rows(
    frame: pd.DataFrame, mapping: Mapping[str, str], fields: Sequence[Field]
) -> tuple[list[dict], list[str]]:
    """Parse every row; return the records and the problems as "row N, column 'X': reason".

    Rows are numbered from 1 at the first data row (the row below the header).
    """
    records: list[dict] = []
    problems: list[str] = []
    present = [f for f in fields if f.name in mapping]
    columns = {f.name: frame[mapping[f.name]].tolist() for f in present}
    for i in range(len(frame)):
        rec: dict = {}
        for f in present:
            header = mapping[f.name]
            raw = columns[f.name][i]
            if is_blank(raw):
                rec[f.name] = None
                if f.required:
                    problems.append(f"row {i + 1}, column '{header}': missing value")
                continue
            try:
                rec[f.name] = f.parse(raw)
            except ValueError as exc:
                rec[f.name] = None
                problems.append(f"row {i + 1}, column '{header}': {exc}")
        records.append(rec)
    return records, problems


def parse_table(
    raw: RawTable, schema: Mapping[str, Sequence[str]], fields: Sequence[Field],
    refuse_personal: bool = False,
) -> tuple[dict[str, str], list[str], list[dict], list[str]]:
    """Match the headers and parse every row: ``(mapping, unknown headers, records, problems)``.

    Personal-data columns (when ``refuse_personal``) and missing or ambiguous columns refuse the
    file at once; row problems are returned so the caller can add its own checks.
    """
    if refuse_personal:
        personal = personal_columns(raw.frame.columns)
        if personal:
            raise ImportRefused(raw.filename, [
                "the file has columns with personal data, which GeoPlan does not store: "
                + ", ".join(f"'{c}'" for c in personal)
                + ". Remove them and import again (units and aggregates only)."])
    mapping, unknown, problems = match_columns(raw.frame.columns, schema)
    problems += missing_columns(fields, mapping, schema)
    if problems:
        raise ImportRefused(raw.filename, problems)
    records, problems = parse_rows(raw.frame, mapping, fields)
    return mapping, unknown, records, problems
