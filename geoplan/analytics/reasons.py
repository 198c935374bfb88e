"""Reasons, flags and verdicts as data: a rule code and the numbers behind it, never a sentence.

``geoplan.ui.wording`` turns a :class:`Reason` into bokmål or English, and decides there whether
a unit's address may be named (the public mode names none).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

# How a reason weighs in a verdict: it breaks a rule (red), calls for a closer look (amber),
# or is fine / speaks for the candidate (green).  The verdict is the worst level among its reasons.
LEVELS: tuple[str, ...] = ("red", "amber", "green")


@dataclass(frozen=True)
class Reason:
    """One reason: ``rule`` (a code ``ui.wording`` knows), its ``level`` and its numbers.

    Only the fields the rule needs are set, for example
    ``Reason("area_share", "red", area="0305", before=0.09, after=0.14, cap=0.10)`` or
    ``Reason("radius", "red", unit_id="EL-0012", count=13, cap=12)``.
    """

    rule: str
    level: str = "red"
    area: str | None = None  # area code
    unit_id: str | None = None
    value: float | None = None
    before: float | None = None
    after: float | None = None
    cap: float | None = None
    count: int | None = None
    group: str | None = None  # target-group code
    groups: tuple[tuple[str, int], ...] = ()  # (target-group code, households) pairs

    def as_dict(self) -> dict:
        """Return the set fields as a JSON-ready dict (NaN becomes None)."""
        out = {}
        for key, value in asdict(self).items():
            if value is None or value == ():
                continue
            if isinstance(value, float) and value != value:
                value = None
            out[key] = [list(g) for g in value] if key == "groups" else value
        return out


def verdict(reasons: list[Reason] | tuple[Reason, ...]) -> str:
    """The worst level among ``reasons``: "red", "amber" or "green" (green when none)."""
    levels = {r.level for r in reasons}
    return next((lv for lv in LEVELS if lv in levels), "green")


def ordered(reasons: list[Reason]) -> list[Reason]:
    """Reasons with red first, then amber, then green, each group in its original order."""
    return sorted(reasons, key=lambda r: LEVELS.index(r.level))
