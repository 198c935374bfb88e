"""Concentration results from the database, for the pages and the command line."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine

from geoplan.analytics import trend as trend_mod
from geoplan.analytics.concentration import Concentration, analyse
from geoplan.analytics.weights import contiguity
from geoplan.service.systems import resolve_system
from geoplan.storage import repo
from geoplan.vocab import TARGET_GROUP


def concentration(
    engine: Engine, system: str | None = None, on: dt.date | None = None, lang: str = "nb",
    permutations: int = 999, radii: tuple[float, ...] = (250.0, 500.0),
) -> Concentration:
    """Compute the concentration results for one area system on one date (default today)."""
    areas = repo.load_areas(engine, resolve_system(engine, system))
    return analyse(
        repo.load_units(engine), areas, on or dt.date.today(), repo.policy(engine), lang,
        radii=radii, type_codes=list(repo.unit_types(engine).terms),
        group_codes=list(TARGET_GROUP.terms), permutations=permutations,
    )


def trend(
    engine: Engine, system: str | None = None, start: int = 2010, end: dt.date | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the yearly municipality indicators and the yearly share per area."""
    from geoplan.analytics.per_area import assign_areas

    areas = repo.load_areas(engine, resolve_system(engine, system))
    units = repo.load_units(engine)
    idx = assign_areas(units["x"].to_numpy(), units["y"].to_numpy(), areas)
    dates = trend_mod.year_dates(start, end or dt.date.today())
    return trend_mod.yearly(units, areas, idx, dates, contiguity(areas),
                            repo.policy(engine).max_area_share)
