"""Which area system to show and check: grunnkrets first, then delområde, then any."""

from __future__ import annotations

from sqlalchemy import Engine

from geoplan.storage import repo

PREFERRED_SYSTEMS = ("grunnkrets", "delområde")


def preferred_system(systems: list[str]) -> str | None:
    """The system to show first among ``systems``: grunnkrets, then delområde, then the first."""
    return next((s for s in PREFERRED_SYSTEMS if s in systems), systems[0] if systems else None)


def default_system(engine: Engine) -> str | None:
    """Return the stored area system to show first (see :func:`preferred_system`)."""
    return preferred_system(repo.area_systems(engine))


def resolve_system(engine: Engine, system: str | None) -> str:
    """Return ``system`` (or the default) after checking that it exists (ValueError if not)."""
    name = system or default_system(engine)
    if name is None or name not in repo.area_systems(engine):
        known = ", ".join(repo.area_systems(engine)) or "(none)"
        raise ValueError(f"no area system '{system}'; known: {known}")
    return name
