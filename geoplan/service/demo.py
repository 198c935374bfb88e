"""The synthetic Elverum demo, for the app's first start and ``geoplan demo``.

``load_demo(engine, actor)`` loads it (returning the rows per file), ``ensure_demo(engine,
actor)`` loads it into an empty database only (True when it did), ``demo_files()`` gives its
files by role.  Loading is an import: planners and admins only (AccessDenied otherwise); the
whole demo and its one audit row (action "demo", the rows per file) commit in one transaction.
"""

from __future__ import annotations

from sqlalchemy import Engine

from geoplan.demo import load
from geoplan.demo.load import demo_files
from geoplan.roles import Actor
from geoplan.service import audit
from geoplan.storage.db import writer_lock

__all__ = ["demo_files", "ensure_demo", "load_demo"]


def load_demo(engine: Engine, actor: Actor) -> dict[str, int]:
    """Load the demo's boundary, areas, units, demand, grid, addresses and services."""
    audit.check(engine, actor, "import", "demo")
    with writer_lock(engine):
        return _load(engine, actor)


def _load(engine: Engine, actor: Actor) -> dict[str, int]:
    """Load the demo and write its audit row in one transaction (the writer lock held)."""
    with engine.begin() as conn:
        counts = load.load_demo(conn)
        audit.write(conn, actor, "demo", load.DEMO_NAME, counts=counts)
    return counts


def ensure_demo(engine: Engine, actor: Actor) -> bool:
    """Load the demo into an empty database; return True when it did."""
    audit.check(engine, actor, "import", "demo")
    if not load.is_empty(engine):  # the common case, without waiting for the writer lock
        return False
    with writer_lock(engine):  # two first starts at once: the second finds the demo loaded
        if not load.is_empty(engine):
            return False
        _load(engine, actor)
    return True
