"""The municipality's policy: caps on concentration and the year's purchase budget.

Ground floor: storage stores a :class:`Policy`, analytics read it, the service changes it and
``ui`` labels it.  Every field is described once in :data:`POLICY_FIELDS`; the validation, the
form on the concentration page and ``geoplan policy set`` all loop over that tuple.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, make_dataclass

# What a field holds: a share from 0 to 1, a whole count, or an amount of money in NOK.
SHARE, COUNT, MONEY = "share", "count", "money"


@dataclass(frozen=True)
class PolicyField:
    """One policy value: its name, what it holds (SHARE, COUNT or MONEY) and its default."""

    name: str
    kind: str
    default: float

    @property
    def whole(self) -> bool:
        """Whether the value must be a whole number."""
        return self.kind == COUNT

    @property
    def maximum(self) -> float:
        """The largest allowed value (1 for a share)."""
        return 1.0 if self.kind == SHARE else math.inf


POLICY_FIELDS: tuple[PolicyField, ...] = (
    PolicyField("max_area_share", SHARE, 0.10),
    PolicyField("max_per_building", COUNT, 2),
    PolicyField("max_within_250m", COUNT, 12),
    PolicyField("annual_budget", MONEY, 0.0),  # NOK for purchases this year; 0 = no budget set
    # areas with fewer dwellings are left out of the hot-spot test (one unit in 50 = 2 points)
    PolicyField("min_hotspot_dwellings", COUNT, 50),
    # public figures: counts from 1 to min_count - 1 are never shown (see analytics.disclosure)
    PolicyField("min_count", COUNT, 5),
    # demand as a flow (analytics.demand_flow): the backlog is to be cleared in this many years,
    # and the projection uses the mean of the last this many years of flows
    PolicyField("years_to_clear_backlog", COUNT, 4),
    PolicyField("flow_mean_years", COUNT, 3),
)
FIELD_BY_NAME: dict[str, PolicyField] = {f.name: f for f in POLICY_FIELDS}


class PolicyError(ValueError):
    """Policy values that cannot be stored; ``problems`` holds ``(field, code)`` pairs.

    Codes: ``unknown`` (no such field), ``not_a_number``, ``negative``, ``above_maximum`` and
    ``not_whole``.  The message is plain English for logs and the command line; pages word the
    codes themselves.
    """

    MESSAGES = {
        "unknown": "unknown policy field",
        "not_a_number": "not a number",
        "negative": "must be zero or more",
        "above_maximum": "a share is a fraction from 0 to 1 (0.10 is 10 %)",
        "not_whole": "must be a whole number",
    }

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        known = ", ".join(FIELD_BY_NAME)
        text = "; ".join(f"{name}: {self.MESSAGES[code]}" for name, code in problems)
        super().__init__(f"{text} (known fields: {known})")


def check(values: Mapping[str, object]) -> list[tuple[str, str]]:
    """Return the ``(field, code)`` problems of ``values`` (empty when every value is valid)."""
    problems = []
    for name, value in values.items():
        spec = FIELD_BY_NAME.get(name)
        if spec is None:
            problems.append((name, "unknown"))
            continue
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            problems.append((name, "not_a_number"))
            continue
        if not math.isfinite(number):
            problems.append((name, "not_a_number"))
        elif number < 0:
            problems.append((name, "negative"))
        elif number > spec.maximum:
            problems.append((name, "above_maximum"))
        elif spec.whole and number != int(number):
            problems.append((name, "not_whole"))
    return problems


class _PolicyMethods:
    """The behaviour of :class:`Policy`; its fields come from :data:`POLICY_FIELDS`."""

    def __post_init__(self) -> None:
        problems = check(self.as_dict())
        if problems:
            raise PolicyError(problems)

    def as_dict(self) -> dict[str, float]:
        """Return the values as a plain dict, in POLICY_FIELDS order."""
        return asdict(self)

    def replace(self, **values: object) -> Policy:
        """Return a validated copy with ``values`` changed (PolicyError on any bad value)."""
        problems = check(values)
        if problems:
            raise PolicyError(problems)
        return Policy(**(self.as_dict() | {k: _typed(k, v) for k, v in values.items()}))

    @classmethod
    def from_values(cls, values: Mapping[str, object]) -> Policy:
        """Build a policy from stored values; fields not given keep their defaults."""
        return cls().replace(**{k: v for k, v in values.items() if k in FIELD_BY_NAME})

    @classmethod
    def names(cls) -> list[str]:
        """Return the field names."""
        return [f.name for f in fields(cls)]


# The policy itself: a frozen dataclass with one field per POLICY_FIELDS row (int for counts,
# float otherwise), its default from the row.  Adding a policy value is adding a row.
Policy = make_dataclass(
    "Policy",
    [(f.name, int if f.whole else float, field(default=int(f.default) if f.whole else f.default))
     for f in POLICY_FIELDS],
    bases=(_PolicyMethods,), frozen=True,
)
Policy.__module__ = __name__  # so that pickling (Streamlit's cache) finds it here
Policy.__doc__ = "The municipality's caps and settings; one field per POLICY_FIELDS row."


def _typed(name: str, value: object) -> float | int:
    number = float(value)  # type: ignore[arg-type]
    return int(number) if FIELD_BY_NAME[name].whole else number
