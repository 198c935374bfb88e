"""Database-backed entry points shared by the pages and the command line."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine

from geoplan.analytics import trend as trend_mod
from geoplan.analytics.concentration import Concentration, analyse
from geoplan.analytics.weights import contiguity
from geoplan.storage import repo
from geoplan.vocab import TARGET_GROUP

PREFERRED_SYSTEMS = ("grunnkrets", "delområde")


def default_system(engine: Engine) -> str | None:
    """Return the area system to show first: grunnkrets when there is one."""
    systems = repo.area_systems(engine)
    for name in PREFERRED_SYSTEMS:
        if name in systems:
            return name
    return systems[0] if systems else None


def _system(engine: Engine, system: str | None) -> str:
    name = system or default_system(engine)
    if name is None or name not in repo.area_systems(engine):
        known = ", ".join(repo.area_systems(engine)) or "(none)"
        raise ValueError(f"no area system '{system}'; known: {known}")
    return name


def concentration(
    engine: Engine, system: str | None = None, on: dt.date | None = None, lang: str = "nb",
    permutations: int = 999, radii: tuple[float, ...] = (250.0, 500.0),
) -> Concentration:
    """Compute the concentration results for one area system on one date (default today)."""
    areas = repo.load_areas(engine, _system(engine, system))
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

    areas = repo.load_areas(engine, _system(engine, system))
    units = repo.load_units(engine)
    idx = assign_areas(units["x"].to_numpy(), units["y"].to_numpy(), areas)
    dates = trend_mod.year_dates(start, end or dt.date.today())
    return trend_mod.yearly(units, areas, idx, dates, contiguity(areas),
                            repo.policy(engine).max_area_share)
