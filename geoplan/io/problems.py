"""What an import finds wrong with a file, as codes and numbers; the words are made in the ui.

A :class:`Problem` is one finding: a code from :data:`CODES`, where it is (the spreadsheet row
and the column's header as the file writes it), the unit id when the row has one, and the
details its words need (:data:`CODES` lists them).  A refusal (:class:`ImportRefused`) carries
every problem of the file at once; a successful import's warnings are problems with
``warning=True``.  ``geoplan.ui.import_text.PROBLEMS`` words each code in bokmål and English; a
test checks that every code has its words.

Rows are counted as a spreadsheet counts them: the header is row 1, so the first data row is
row 2 (:func:`excel_row`).  A spatial file's features are counted the same way (feature 1 is
row 2), and the words say "objekt 1".

Personal data: a problem about personal data never carries the value it found, only the column
and the rows.
"""

from __future__ import annotations

import contextvars
import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# code -> the detail keys its words use (documentation, and checked when a Problem is made).
# Keep one section per part of the importer; add a code here and its words in
# geoplan/ui/import_text.py (PROBLEMS).
CODES: dict[str, tuple[str, ...]] = {
    # --- reading the file (geoplan.io.files) ---
    "unreadable": ("reason",),                 # the reader failed; reason = the library's text
    "unsupported_type": ("suffix",),
    "empty_file": (),
    "several_sheets": ("names",),              # names = the sheets, joined by ", "
    "several_layers": ("names",),
    "unknown_sheet": ("name", "names"),
    "unknown_layer": ("name", "names"),
    "duplicate_header": ("header",),
    "too_many_fields": ("fields", "expected"),  # a data row with more fields than the header
    # --- columns (geoplan.io.columns, geoplan.io.rows) ---
    "missing_column": ("field", "examples"),   # field = the field's code, examples = headers
    "ambiguous_columns": ("field", "headers"),
    "unused_column": (),                        # warning, column = the header
    # --- personal data (geoplan.io.personal) ---
    "personal_header": ("kind",),              # column = the header; kind: name, birth_number,
                                               # birth_date, phone, email, case, person, other
    "personal_content": ("kind", "rows", "count"),  # kind: birth_number, email, phone;
                                               # rows = the first rows found, joined by ", "
    "fnr_ambiguous": ("rows",),                # 'fnr' looks like a birth number, not festenummer
    # --- values (geoplan.io.values) ---
    "missing_value": (),
    "not_a_number": ("value",),
    "not_whole": ("value",),
    "not_a_date": ("value",),
    "not_yes_no": ("value",),
    "not_postal_code": ("value",),
    "not_staffing": ("value",),
    "unknown_code": ("value", "field", "known"),  # field = the vocabulary's field code
    "too_long": ("value", "limit"),
    "negative": ("value",),
    "too_large": ("value", "limit"),
    "date_too_early": ("value", "limit"),      # limit = the earliest date accepted (ISO)
    "date_in_future": ("value", "limit"),
    "two_digit_year": ("value",),
    "excel_error": ("value",),                 # #VALUE!, #N/A, …
    "control_character": (),
    # --- rows of a register (geoplan.io.units and the other importers) ---
    "duplicate_id": ("value", "first_row"),
    "disposed_before_acquired": ("disposed", "acquired"),
    "dispose_before_acquired": ("disposed", "acquired"),  # a missing unit to dispose of
    "dispose_date_missing": (),
    # --- coordinates and CRS (geoplan.io.units.locate, geoplan.crs) ---
    "missing_point": (),
    "not_a_point": ("geom_type",),
    "missing_coordinates": (),
    "missing_coordinate": (),
    "outside_norway": ("x", "y", "epsg"),
    "outside_boundary": ("x", "y", "epsg", "place"),
    "crs_conflict": ("file_epsg", "epsg"),     # warning: the file says one, the caller another
    "crs_guessed": ("epsg",),                  # warning: no CRS; guessed from the ranges
    "crs_not_accepted": ("value",),
    "no_crs": (),
    # --- areas, boundary and grid (geoplan.io.areas, geoplan.io.grid) ---
    "no_polygons": (),
    "missing_polygon": (),
    "not_a_polygon": ("geom_type",),
    "zero_area": (),
    "not_finite": (),
    "area_outside_norway": (),
    "repaired_geometry": ("area",),            # warning: self-intersection repaired
    "overlap": ("area", "other", "share"),     # share = the overlap's share of the smaller one
    "gap_units": ("count",),                   # warning: units outside every area
    "grid_id_invalid": ("value", "size"),
    "no_boundary": (),                          # the grid's all cells need the boundary
    # --- demand, flows, addresses, service points, candidates ---
    "address_not_found": ("value",),
    "no_location_columns": (),
    "not_a_year": ("value", "first", "last"),
    "duplicate_year_group": ("year", "group", "first_row"),
    "no_flow_columns": ("examples",),
    # --- the database ---
    "database_busy": (),                       # another import is running
}


@dataclass(frozen=True)
class Problem:
    """One thing an import found: a :data:`CODES` code, where, and the numbers for its words.

    ``row``: the spreadsheet row (header = 1, first data row = 2), None for the whole file;
    ``column``: the header as the file writes it; ``unit_id``: the row's unit id when it has
    one; ``detail``: (key, value) pairs, the keys of ``CODES[code]``; ``warning``: True when
    the import goes ahead anyway.
    """

    code: str
    row: int | None = None
    column: str | None = None
    unit_id: str | None = None
    detail: tuple[tuple[str, object], ...] = ()
    warning: bool = False

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise KeyError(f"unknown problem code {self.code!r}")

    @property
    def details(self) -> dict[str, object]:
        """The details as a dict."""
        return dict(self.detail)

    def at(self, row: int | None = None, column: str | None = None,
           unit_id: str | None = None) -> Problem:
        """Return this problem placed at ``row`` and ``column`` (and the row's unit id)."""
        return Problem(self.code, row if row is not None else self.row,
                       column if column is not None else self.column,
                       unit_id if unit_id is not None else self.unit_id, self.detail,
                       self.warning)


def problem(code: str, row: int | None = None, column: str | None = None,
            unit_id: str | None = None, warning: bool = False, **detail: object) -> Problem:
    """Make a :class:`Problem`: ``problem("not_a_number", 3, "Øst", value="abc")``."""
    return Problem(code, row, column, unit_id, tuple(sorted(detail.items())), warning)


def warning(code: str, row: int | None = None, column: str | None = None,
            **detail: object) -> Problem:
    """Make a warning (the import goes ahead): ``warning("crs_guessed", epsg=25833)``."""
    return Problem(code, row, column, None, tuple(sorted(detail.items())), True)


# rows above the header that the reader skipped (blank rows at the top of a sheet): set by
# geoplan.io.files.read_table for the file being imported, in this thread or task only
ROWS_ABOVE_HEADER: contextvars.ContextVar[int] = contextvars.ContextVar("rows_above_header",
                                                                       default=0)


def excel_row(index: int) -> int:
    """The spreadsheet row of the data row at 0-based ``index``: the row under the header,
    which is row 1 unless the sheet has blank rows above it (:data:`ROWS_ABOVE_HEADER`)."""
    return index + 2 + ROWS_ABOVE_HEADER.get()


PERSONAL_CODES: tuple[str, ...] = ("personal_header", "personal_content", "fnr_ambiguous")


def redact(problems: Iterable[Problem], id_column: str | None = None) -> list[Problem]:
    """``problems`` without the value problems of columns found to hold personal data (their
    values would repeat it; the personal-data problem names the column instead), and without
    the unit ids when the id column is one of them."""
    problems = list(problems)
    personal = {p.column for p in problems if p.code in PERSONAL_CODES}
    out = [p for p in problems if p.code in PERSONAL_CODES or p.column not in personal]
    if id_column is not None and id_column in personal:
        out = [dataclasses.replace(p, unit_id=None) for p in out]
    return out


def first_rows(indices: Iterable[int], n: int = 5) -> str:
    """The spreadsheet rows of the first ``n`` 0-based data-row indices, as "2, 5, 9"."""
    return ", ".join(str(excel_row(i)) for i in list(indices)[:n])


class BadValue(ValueError):
    """A parser's refusal of one value: a :data:`CODES` code and its details (no row yet)."""

    def __init__(self, code: str, **detail: object):
        self.problem = problem(code, **detail)
        super().__init__(code)


def sort_key(p: Problem) -> tuple[int, str, str]:
    """Order problems as a reader fixes them: whole-file problems first, then by row."""
    return (p.row or 0, p.column or "", p.code)


def of(problems: Iterable[Problem], code: str) -> list[Problem]:
    """The problems with ``code`` (for tests and callers that act on one kind)."""
    return [p for p in problems if p.code == code]


def codes(problems: Iterable[Problem]) -> list[str]:
    """The codes of ``problems``, in order."""
    return [p.code for p in problems]


def detail_text(value: object, limit: int = 40) -> str:
    """A value for a problem's details: text, cut to ``limit`` characters with "…"."""
    s = str(value)
    return s if len(s) <= limit else s[: limit - 1] + "…"


Details = Mapping[str, object]
