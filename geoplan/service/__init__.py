"""Database-backed entry points shared by the pages and the command line."""

from __future__ import annotations

from sqlalchemy import Engine

from geoplan.storage import repo

PREFERRED_SYSTEMS = ("grunnkrets", "delområde")


def default_system(engine: Engine) -> str | None:
    """Return the area system to show first: grunnkrets when there is one."""
    systems = repo.area_systems(engine)
    for name in PREFERRED_SYSTEMS:
        if name in systems:
            return name
    return systems[0] if systems else None


def resolve_system(engine: Engine, system: str | None) -> str:
    """Return ``system`` (or the default) after checking that it exists."""
    name = system or default_system(engine)
    if name is None or name not in repo.area_systems(engine):
        known = ", ".join(repo.area_systems(engine)) or "(none)"
        raise ValueError(f"no area system '{system}'; known: {known}")
    return name
