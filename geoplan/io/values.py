"""Parsers for single spreadsheet values, tolerant of Norwegian conventions.

Each parser takes the raw cell and returns the value, or raises
:class:`geoplan.io.problems.BadValue` with a problem code and the value (the words are made in
``geoplan.ui.import_text``).  Every parser refuses Excel error cells (``#VALUE!``) and text with
control characters, so neither erases nor corrupts a stored value.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable

from geoplan.io.problems import BadValue, detail_text
from geoplan.vocab import Vocabulary, parse_bool

Parser = Callable[[object], object]
_SPACES = re.compile(r"[\s\u00a0\u202f']")

# Excel's error values, as a cell or a CSV written from one holds them
EXCEL_ERRORS: frozenset[str] = frozenset({
    "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
    "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
})
# C0 controls but tab, line feed and carriage return; DEL; C1 controls (NUL included)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# the largest whole number a column holds (PostgreSQL INTEGER)
MAX_INTEGER = 2_147_483_647
# the earliest date accepted
EARLIEST_DATE = dt.date(1900, 1, 1)


def _bad(code: str, value: object, **detail: object) -> BadValue:
    return BadValue(code, value=detail_text(value), **detail)


def cell_text(value: object) -> str:
    """The cell as text, refusing Excel errors and control characters (every parser's first step).
    """
    s = str(value)
    if s.strip() in EXCEL_ERRORS:
        raise _bad("excel_error", s.strip())
    if _CONTROL.search(s):
        raise BadValue("control_character")
    return s


def number(value: object) -> float:
    """Parse a number written with a decimal comma or point and optional thousands spaces."""
    if isinstance(value, bool):
        raise _bad("not_a_number", value)
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise _bad("not_a_number", value)
        return float(value)
    text = _SPACES.sub("", cell_text(value).strip()).removeprefix("kr").removesuffix(",-")
    if text.count(",") == 1 and "." in text and text.index(".") < text.index(","):
        text = text.replace(".", "")  # 1.234,5
    text = text.replace(",", ".")
    try:
        out = float(text)
    except ValueError:
        raise _bad("not_a_number", value) from None
    if not math.isfinite(out):
        raise _bad("not_a_number", value)
    return out


_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")


def money(value: object) -> float:
    """Parse an amount in kroner: also "7.350", "2.500.000" and "kr 9 850,-"."""
    if isinstance(value, str) and _THOUSANDS.match(_SPACES.sub("", value.strip())):
        value = _SPACES.sub("", value.strip()).replace(".", "")
    return number(value)


def integer(value: object) -> int:
    """Parse a whole number (``3``, ``3,0`` or ``3.0``) that fits a column (:data:`MAX_INTEGER`)."""
    try:
        f = number(value)
    except BadValue as exc:
        if exc.problem.code != "not_a_number":
            raise
        raise _bad("not_whole", value) from None
    if abs(f) > MAX_INTEGER:
        raise _bad("too_large", value, limit=MAX_INTEGER)
    if f != int(f):
        raise _bad("not_whole", value)
    return int(f)


def at_least(parse: Parser, minimum: float) -> Parser:
    """Return ``parse`` refusing numbers below ``minimum`` (``negative`` for a minimum of 0)."""
    def check(value: object) -> object:
        out = parse(value)
        if isinstance(out, int | float) and out < minimum:
            raise _bad("negative", value)
        return out
    return check


def text(value: object) -> str:
    """Return the cell as trimmed text; whole floats lose their '.0' (Excel ids)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return cell_text(value).strip()


# letters that look like Latin ones (Cyrillic and Greek), for comparing ids
_LOOK_ALIKE = str.maketrans(
    "АВЕЅІЈКМНОРСТХУаеіјорсхуѕΑΒΕΖΗΙΚΜΝΟΡΤΥΧοικνρτυχ",
    "ABESIJKMHOPCTXYaeijopcxysABEZHIKMNOPTYXoikvptux")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00ad]")


def identifier(value: object) -> str:
    """Parse an id: Unicode NFKC, zero-width characters and surrounding spaces removed."""
    s = unicodedata.normalize("NFKC", _ZERO_WIDTH.sub("", text(value)))
    return re.sub(r"\s+", " ", s).strip()


def id_key(value: str) -> str:
    """The form two ids are compared in: :func:`identifier`, look-alike letters made Latin,
    case folded ("B-1", "b-1" and "В-1" with a Cyrillic В are one id)."""
    return identifier(value).translate(_LOOK_ALIKE).casefold()


def postal_code(value: object) -> str:
    """Parse a four-digit Norwegian postal code, restoring a leading zero Excel dropped."""
    code = text(value)
    if not code.isdigit() or len(code) > 4:
        raise _bad("not_postal_code", value)
    return code.zfill(4)


_DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%Y.%m.%d", "%d-%m-%Y")
_TWO_DIGIT_YEAR = re.compile(r"^\d{1,2}[./-]\d{1,2}[./-]\d{2}$")


def date(value: object) -> dt.date:
    """Parse a date as dd.mm.yyyy, ISO yyyy-mm-dd, or an Excel date cell, from 1900 on.

    A two-digit year ("01.01.68": 1968 or 2068?) is refused, never guessed.
    """
    out = _date(value)
    if out < EARLIEST_DATE:
        raise BadValue("date_too_early", value=out, limit=EARLIEST_DATE)
    return out


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().date()
    s = cell_text(value).strip()
    s = s.split(" ")[0] if re.match(r"^\d{4}-\d{2}-\d{2}[ T]", s) else s
    s = s.split("T")[0]
    if _TWO_DIGIT_YEAR.match(s):
        raise _bad("two_digit_year", value)
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    raise _bad("not_a_date", value)


def boolean(value: object) -> bool:
    """Parse Ja/Nei, yes/no, true/false, 1/0 or x."""
    out = parse_bool(cell_text(value) if isinstance(value, str) else value)
    if out is None:
        raise _bad("not_yes_no", value)
    return out


def choice(vocab: Vocabulary, what: str) -> Parser:
    """Return a parser mapping any alias of ``vocab`` to its code; ``what`` is the field's name.

    A refusal names the known codes (``known``, a tuple); the words show their labels.
    """
    known = tuple(vocab.terms)

    def parse(value: object) -> str:
        code = vocab.code(cell_text(value) if isinstance(value, str) else value)
        if code is None:
            raise _bad("unknown_code", value, field=what, known=known)
        return code

    return parse


_ADDRESS = re.compile(
    r"^(?P<street>.*?\D)\s*(?P<number>\d+)(?:\s*[-–]\s*\d+)?\s*(?P<letter>[A-Za-zÆØÅæøå])?\s*$"
)
_UNIT_NUMBER = re.compile(r"\s+[HKUL]\d{4}$", re.IGNORECASE)  # bruksenhetsnummer, e.g. H0101


def split_address(value: object) -> tuple[str, str | None, str | None]:
    """Split "Storgata 12 B" into street, number and letter (number and letter may be None)."""
    s = _UNIT_NUMBER.sub("", re.sub(r"\s+", " ", text(value)).split(",")[0].strip())
    m = _ADDRESS.match(s)
    if not m:
        return s, None, None
    letter = m.group("letter")
    return m.group("street").strip(), m.group("number"), letter.upper() if letter else None
