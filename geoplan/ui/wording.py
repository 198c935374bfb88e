"""Words for the data the core returns: reasons, flags, verdicts, shortfalls and trends.

The analytics and the service return :class:`geoplan.analytics.reasons.Reason` and similar data;
this is the one module that turns them into bokmål or English, with correct plurals.  It also
decides whether a unit's address may be named: ``show_address=False`` (the public mode) never
names one.

Add a rule: one entry in :data:`RULES` with the text in both languages.  A test checks that every
rule the core can emit has an entry.
"""

from __future__ import annotations

from geoplan.ui.format import cap_pct, count_text, nok, num, ordinal, pct  # noqa: F401

# rule code -> (bokmål, English).  Placeholders are filled from the reason's numbers, formatted
# for the language (see :func:`describe`).
RULES: dict[str, tuple[str, str]] = {
    # --- concentration flags (areas and units) ---
    # --- purchase and sale reasons ---
    # --- plan shortfalls ---
}


def plural(n: int | float, one: str, many: str) -> str:
    """Return ``one`` for exactly 1 and ``many`` otherwise ("1 feil", "5 feil"; "1 unit", "2 units")."""
    return one if n == 1 else many
