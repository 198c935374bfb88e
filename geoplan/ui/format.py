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


def nok(value: float, lang: str = "nb") -> str:
    """Format an amount of money in kroner ("2 500 000 kr" / "NOK 2,500,000")."""
    return f"{num(value, lang, 0)} kr" if lang == "nb" else f"NOK {num(value, lang, 0)}"


def ordinal(n: int) -> str:
    """Return 1st, 2nd, 3rd, 4th … (English ordinals)."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
