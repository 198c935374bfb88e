"""Address text from its parts: language-neutral, used for labels, search and keys."""

from __future__ import annotations

import math


def _part(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def address_line(street: object, number: object = None, letter: object = None,
                 postal_code: object = None, place: object = None) -> str:
    """Format "Storgata 12 B" (", 2406 ELVERUM" with a postal code); '' without a street."""
    if not _part(street):
        return ""
    head = " ".join(p for p in map(_part, (street, number, letter)) if p)
    tail = " ".join(p for p in map(_part, (postal_code, place)) if p)
    return f"{head}, {tail}" if tail else head
