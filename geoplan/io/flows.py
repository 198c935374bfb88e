"""Import of demand flows per target group and year: counts only, never a person or a case.

One row per year and target group: new approved applications (inflow), allocations (households
housed), withdrawals (households that left the list without a municipal unit) and re-lets (units
that became free and were let again).  Bokmål or English headers (:data:`FLOW_COLUMNS`); a file
with any bad row, or a personal-data column, is refused whole.  Re-importing a year replaces
that year only.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from geoplan.io import values
from geoplan.io.columns import FLOW_COLUMNS
from geoplan.io.demand import count, replace_each
from geoplan.io.errors import ImportRefused
from geoplan.io.files import read_table
from geoplan.io.problems import BadValue, Problem, detail_text, excel_row, problem
from geoplan.io.rows import Field, parse_table
from geoplan.storage import repo
from geoplan.vocab import TARGET_GROUP

FIRST_YEAR, LAST_YEAR = 1900, 2100
COUNTS = ("inflow", "allocations", "withdrawals", "relets")


def year(value: object) -> int:
    """Parse a calendar year (a whole number from 1900 to 2100)."""
    n = values.integer(value)
    if not FIRST_YEAR <= n <= LAST_YEAR:
        raise BadValue("not_a_year", value=detail_text(value), first=FIRST_YEAR, last=LAST_YEAR)
    return n


FLOW_FIELDS = [
    Field("year", year, True, "year"),
    Field("target_group", values.choice(TARGET_GROUP, "target_group"), True, "target group"),
    Field("inflow", count, False, "inflow (new applications)"),
    Field("allocations", count, False, "allocations"),
    Field("withdrawals", count, False, "withdrawals"),
    Field("relets", count, False, "re-lets"),
]


def _duplicates(records: list[dict], mapping: dict[str, str]) -> list[Problem]:
    """A ``duplicate_year_group`` problem for each row repeating an earlier row's year and
    target group."""
    seen: dict[tuple, int] = {}
    problems = []
    for i, rec in enumerate(records):
        key = (rec.get("year"), rec.get("target_group"))
        if None in key:
            continue
        if key in seen:
            problems.append(problem("duplicate_year_group", excel_row(i),
                                    mapping["target_group"], year=key[0], group=key[1],
                                    first_row=seen[key]))
        else:
            seen[key] = excel_row(i)
    return problems


def import_flows(engine: Engine, path: str | Path, filename: str | None = None,
                 sheet: str | None = None) -> int:
    """Import a flow file; refuse it whole on any bad row or personal column.

    Returns the number of rows stored.  Each year in the file replaces that year's stored rows
    (other years are kept).  A count left blank is stored as unknown (None), never as 0.
    """
    raw = read_table(path, filename, sheet)
    mapping, _, records, problems = parse_table(raw, FLOW_COLUMNS, FLOW_FIELDS)
    if not any(name in mapping for name in COUNTS):
        names = ", ".join(f"'{FLOW_COLUMNS[c][0]}'" for c in COUNTS)
        raise ImportRefused(raw.filename, [problem("no_flow_columns", examples=names),
                                           *problems])
    problems += _duplicates(records, mapping)
    if problems:
        raise ImportRefused(raw.filename, problems)
    return replace_each(engine, "flows", raw.filename, records, "year", repo.replace_flows)
