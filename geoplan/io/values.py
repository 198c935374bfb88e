"""Parsers for single spreadsheet values, tolerant of Norwegian conventions.

Each parser takes the raw cell and returns the value, or raises ``ValueError`` with a message
that reads well after "row 7, column 'Øst': ".
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable

from geoplan.vocab import Vocabulary, parse_bool

Parser = Callable[[object], object]
_SPACES = re.compile(r"[\s\u00a0\u202f']")


def number(value: object) -> float:
    """Parse a number written with a decimal comma or point and optional thousands spaces."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise ValueError(f"'{value}' is not a number")
        return float(value)
    text = _SPACES.sub("", str(value).strip()).removeprefix("kr").removesuffix(",-")
    if text.count(",") == 1 and "." in text and text.index(".") < text.index(","):
        text = text.replace(".", "")  # 1.234,5
    text = text.replace(",", ".")
    try:
        out = float(text)
    except ValueError:
        raise ValueError(f"'{value}' is not a number") from None
    if not math.isfinite(out):
        raise ValueError(f"'{value}' is not a number")
    return out


_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")


def money(value: object) -> float:
    """Parse an amount in kroner: also "7.350", "2.500.000" and "kr 9 850,-"."""
    if isinstance(value, str) and _THOUSANDS.match(_SPACES.sub("", value.strip())):
        value = _SPACES.sub("", value.strip()).replace(".", "")
    return number(value)


def integer(value: object) -> int:
    """Parse a whole number (``3``, ``3,0`` or ``3.0``)."""
    try:
        f = number(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a whole number") from None
    if f != int(f):
        raise ValueError(f"'{value}' is not a whole number")
    return int(f)


def text(value: object) -> str:
    """Return the cell as trimmed text; whole floats lose their '.0' (Excel ids)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def postal_code(value: object) -> str:
    """Parse a four-digit Norwegian postal code, restoring a leading zero Excel dropped."""
    code = text(value)
    if not code.isdigit() or len(code) > 4:
        raise ValueError(f"'{value}' is not a postal code (four digits)")
    return code.zfill(4)


_DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y", "%d/%m/%Y", "%Y.%m.%d", "%d-%m-%Y")


def date(value: object) -> dt.date:
    """Parse a date as dd.mm.yyyy, ISO yyyy-mm-dd, or an Excel date cell."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().date()
    s = str(value).strip()
    s = s.split(" ")[0] if re.match(r"^\d{4}-\d{2}-\d{2}[ T]", s) else s
    s = s.split("T")[0]
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"'{value}' is not a date (use dd.mm.åååå or yyyy-mm-dd)")


def boolean(value: object) -> bool:
    """Parse Ja/Nei, yes/no, true/false, 1/0 or x."""
    out = parse_bool(value)
    if out is None:
        raise ValueError(f"'{value}' is not yes/no (Ja/Nei)")
    return out


def choice(vocab: Vocabulary, what: str) -> Parser:
    """Return a parser mapping any alias of ``vocab`` to its code."""
    known = ", ".join(vocab.labels("nb").values())

    def parse(value: object) -> str:
        code = vocab.code(value)
        if code is None:
            raise ValueError(f"'{value}' is not a known {what} (known: {known})")
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
