"""Number formatting for texts shown to people, in bokmål (decimal comma) or English."""

from __future__ import annotations

import math


def num(value: float, lang: str = "nb", decimals: int = 2) -> str:
    """Format a number with a decimal comma in bokmål; NaN becomes "ukjent"/"unknown"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "ukjent" if lang == "nb" else "unknown"
    text = f"{value:,.{decimals}f}".replace(",", "\u00a0")
    return text.replace(".", ",") if lang == "nb" else text.replace("\u00a0", ",")


def pct(share: float, lang: str = "nb", decimals: int = 1) -> str:
    """Format a share (0.142) as a percentage ("14,2 %" / "14.2 %")."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return num(share, lang)
    return f"{num(100 * share, lang, decimals)} %"


def count_text(n: float) -> str:
    """Format a count as a whole number."""
    return str(int(n))


def cap_pct(share: float, lang: str = "nb") -> str:
    """Format a cap as a percentage without needless decimals ("10 %", "9,5 %")."""
    whole = abs(100 * share - round(100 * share)) < 1e-9
    return pct(share, lang, 0 if whole else 1)


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
