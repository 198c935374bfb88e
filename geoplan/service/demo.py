"""The synthetic Elverum demo, for the app's first start and ``geoplan demo``.

``load_demo(engine, actor)`` loads it (returning the rows per file), ``ensure_demo(engine,
actor)`` loads it into an empty database only (True when it did), ``demo_files()`` gives its
files by role.  Loading is an import: planners and admins only (AccessDenied otherwise); the
whole demo and its one audit row (action "demo", the rows per file) commit in one transaction.

The demo is only ever loaded when asked for (``geoplan demo``, ``make run``, the first-run
page's button), never by surprise, and never merged into another municipality:
:func:`load_demo` refuses with ``SetupRefused("other_municipality")`` when the database holds
a municipality that is not the demo's (``geoplan reset`` empties it first).
"""

from __future__ import annotations

from sqlalchemy import Engine

from geoplan.demo import load
from geoplan.demo.load import demo_files
from geoplan.roles import Actor
from geoplan.service import audit
from geoplan.service.setup import SetupRefused, setup_state
from geoplan.storage.db import writer_lock

__all__ = ["demo_files", "ensure_demo", "load_demo"]


def load_demo(engine: Engine, actor: Actor) -> dict[str, int]:
    """Load the demo's boundary, areas, units, demand, grid, addresses and services (over the
    demo itself, or into a database without a municipality; SetupRefused otherwise)."""
    audit.check(engine, actor, "import", "demo")
    with writer_lock(engine):
        refuse_other_municipality(engine)
        return _load(engine, actor)


def refuse_other_municipality(engine: Engine) -> None:
    """Raise ``SetupRefused("other_municipality")`` when the database holds a municipality
    that is not the demo, ``SetupRefused("not_empty")`` when it holds units without one (the
    demo would be merged into that register)."""
    state = setup_state(engine)
    if state.number is not None and (state.number != load.DEMO_NUMBER or not state.synthetic):
        raise SetupRefused("other_municipality", number=state.number, name=state.name)
    if state.number is None and state.units:  # a register without a municipality
        raise SetupRefused("not_empty", number=None, name=None, units=state.units)


def _load(engine: Engine, actor: Actor) -> dict[str, int]:
    """Load the demo and write its audit row in one transaction (the writer lock held)."""
    with engine.begin() as conn:
        counts = load.load_demo(conn)
        audit.write(conn, actor, "demo", load.DEMO_NAME, counts=counts)
    return counts


def ensure_demo(engine: Engine, actor: Actor) -> bool:
    """Load the demo into an empty database; return True when it did, False when the demo is
    there already (SetupRefused when another municipality is)."""
    audit.check(engine, actor, "import", "demo")
    if not load.is_empty(engine):  # the common case, without waiting for the writer lock
        refuse_other_municipality(engine)
        return False
    with writer_lock(engine):  # two first starts at once: the second finds the demo loaded
        if not load.is_empty(engine):
            return False
        _load(engine, actor)
    return True
