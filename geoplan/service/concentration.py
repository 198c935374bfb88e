"""Concentration results from the database, for the pages and the command line.

Numbers and codes only: nothing here depends on the language, so one cached result serves both.
The index definitions, the result type and the trend statement are re-exported for ``geoplan.ui``
(through :mod:`geoplan.service`), which must not import the analytics itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine

from geoplan.analytics import trend as trend_mod
from geoplan.analytics.active import active_units
from geoplan.analytics.concentration import Concentration, analyse
from geoplan.analytics.hotspots import CLUSTER_CODES, CORRECTIONS, DEFAULT_CORRECTION
from geoplan.analytics.indices import INDEX_BY_KEY, INDEX_SPECS, IndexSpec
from geoplan.analytics.per_area import EXCLUSION_REASONS, assign_areas
from geoplan.analytics.proximity import DEFAULT_RADII, proximity_table
from geoplan.analytics.thresholds import flagged
from geoplan.analytics.trend import TrendStatement
from geoplan.analytics.trend import change as trend_change
from geoplan.analytics.trend import statement as trend_statement
from geoplan.analytics.weights import ISLAND_RULES, ISLANDS_UNLINKED, contiguity
from geoplan.service.systems import resolve_system
from geoplan.storage import repo
from geoplan.vocab import TARGET_GROUP

__all__ = [
    "DEFAULT_RADII", "EXCLUSION_REASONS", "INDEX_BY_KEY", "INDEX_SPECS", "Concentration",
    "IndexSpec", "CLUSTER_CODES", "CORRECTIONS", "DEFAULT_CORRECTION", "ISLAND_RULES",
    "TrendStatement", "concentration_result", "flagged", "proximity", "trend",
    "trend_change", "trend_statement",
]


def concentration_result(
    engine: Engine, system: str | None = None, on: dt.date | None = None,
    permutations: int = 999, radii: Sequence[float] = DEFAULT_RADII,
    islands: str = ISLANDS_UNLINKED, correction: str = DEFAULT_CORRECTION,
) -> Concentration:
    """Compute the concentration results for one area system on one date (default today).

    ``islands`` (one of ``ISLAND_RULES``) says how areas without neighbours are linked;
    ``correction`` (one of ``CORRECTIONS``) how the hot-spot p-values allow for testing every
    area; the hot spots leave out areas under the policy's ``min_hotspot_dwellings``.
    """
    areas = repo.load_areas(engine, resolve_system(engine, system))
    return analyse(
        repo.load_units(engine), areas, on or dt.date.today(), repo.policy(engine),
        radii=tuple(radii), type_codes=list(repo.unit_types(engine).terms),
        group_codes=list(TARGET_GROUP.terms), permutations=permutations,
        islands=islands, correction=correction,
    )


def proximity(
    engine: Engine, on: dt.date | None = None, radii: Sequence[float] = DEFAULT_RADII,
) -> pd.DataFrame:
    """Every unit active on ``on`` (default today): units within each radius, in its building
    and at its address.

    Columns: ``unit_id``, ``within_<r>m`` for each radius in metres, ``same_building``,
    ``same_address`` (each unit counts itself).
    """
    units = active_units(repo.load_units(engine), on or dt.date.today())
    return proximity_table(units.reset_index(drop=True), tuple(radii))


def trend(
    engine: Engine, system: str | None = None, start: int = 2010, end: dt.date | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the yearly municipality indicators and the yearly share per area.

    The first frame has one row per year: ``year``, ``date``, ``units`` (active),
    ``units_in_indices``, ``undated`` (active units without an acquired date, counted on every
    date), ``share``, ``areas_over_cap`` and one column per index key; the second the share per
    area (index ``code``, one column per year).
    """
    areas = repo.load_areas(engine, resolve_system(engine, system))
    units = repo.load_units(engine)
    idx = assign_areas(units["x"].to_numpy(), units["y"].to_numpy(), areas)
    dates = trend_mod.year_dates(start, end or dt.date.today())
    return trend_mod.yearly(units, areas, idx, dates, contiguity(areas),
                            repo.policy(engine).max_area_share)
