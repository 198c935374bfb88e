"""The database a command or page works on: a migrated engine per URL."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from geoplan.config import database_url
from geoplan.storage.db import get_engine


def engine(url: str | None = None) -> Engine:
    """Return the cached, migrated engine for ``url`` (default: ``GEOPLAN_DATABASE_URL``)."""
    return get_engine(url or database_url())


def reset_engines() -> None:
    """Forget the cached engines (tests that point ``GEOPLAN_DATABASE_URL`` elsewhere)."""
    get_engine.cache_clear()


def database_label(url: str | None = None) -> str:
    """The database URL to show people: the password hidden."""
    return make_url(url or database_url()).render_as_string(hide_password=True)
