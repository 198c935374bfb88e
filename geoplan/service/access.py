"""The public mode: the service itself refuses everything but area aggregates.

``GEOPLAN_PUBLIC=1 streamlit run app.py`` (``make public``) serves the dashboard to anyone.  The
pages of that instance could be made to ask for anything, so the filtering is done here, at the
service's door, not in the page: while :func:`public_mode` is on, ``geoplan.service`` resolves
only the names in :data:`PUBLIC_NAMES` (reading area aggregates, opening the database, words and
constants); every other name (the register's units, the purchase test, imports, exports, the
policy form, scenarios, the concentration result with its unit frame, …) raises
:class:`PublicModeError` when it is looked up.  ``dashboard`` itself is replaced by
:func:`public_dashboard`, which only computes the public version (small counts protected).

The check is made on every lookup (``geoplan.service.__getattr__`` caches only names that
behave the same in both modes), so switching the mode in a running process takes effect at once.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import Engine

if TYPE_CHECKING:
    from geoplan.service.public import Dashboard

PUBLIC_ENV = "GEOPLAN_PUBLIC"
TRUE_VALUES = frozenset({"1", "true", "yes"})

# Names of geoplan.service that the public instance may use: opening the database, area
# aggregates, area system names, the municipality's name, pure helpers, constants and errors.
PUBLIC_NAMES: frozenset[str] = frozenset({
    # the public mode itself
    "PublicModeError", "public_mode", "PUBLIC_NAMES",
    # the database (opened read-only in practice: nothing below writes)
    "engine", "database_url", "data_version",
    # the municipality's name and number, and the names of the area systems
    "municipality", "area_systems", "PREFERRED_SYSTEMS", "preferred_system", "default_system",
    "resolve_system",
    # the dashboard's figures (public version only, see public_dashboard)
    "Dashboard", "dashboard", "PUBLIC_AREA_COLUMNS",
    # pure helpers and constants that the words of the dashboard refer to
    "json_ready", "INDEX_SPECS", "INDEX_BY_KEY", "IndexSpec", "TrendStatement",
})


class PublicModeError(PermissionError):
    """A public instance asked for unit-level data or for a change (refused by the service)."""

    def __init__(self, name: str):
        super().__init__(f"geoplan.service.{name} is not available in the public mode "
                         f"({PUBLIC_ENV} is set): only area aggregates are served")
        self.name = name


def public_mode() -> bool:
    """Return True when ``GEOPLAN_PUBLIC`` is "1", "true" or "yes" (any case)."""
    return os.environ.get(PUBLIC_ENV, "").strip().lower() in TRUE_VALUES


def public_dashboard(
    engine: Engine, system: str | None = None, on: dt.date | None = None, public: bool = True,
) -> Dashboard:
    """:func:`geoplan.service.dashboard` as the public instance serves it: public only.

    Raises
    ------
    PublicModeError
        When the internal version (``public=False``, true small counts) is asked for.
    """
    from geoplan.service.public import dashboard

    if not public:
        raise PublicModeError("dashboard(public=False)")
    return dashboard(engine, system, on, public=True)


# names whose public-mode value differs from the ordinary one
PUBLIC_REPLACEMENTS = {"dashboard": public_dashboard}


def resolve(name: str, load: Callable[[], object]) -> object:
    """Return what ``geoplan.service.<name>`` is in the current mode, or refuse it.

    Parameters
    ----------
    name : a name of ``geoplan.service``.
    load : returns the name's ordinary value (called only when the name is not refused, so a
        refused name does not even import its submodule).

    Raises
    ------
    PublicModeError
        In the public mode, for every name outside :data:`PUBLIC_NAMES`.
    """
    if not public_mode():
        return load()
    if name not in PUBLIC_NAMES:
        raise PublicModeError(name)
    return PUBLIC_REPLACEMENTS[name] if name in PUBLIC_REPLACEMENTS else load()


def cacheable(name: str) -> bool:
    """Whether ``name`` resolves to the same value in both modes (so it may be cached)."""
    return name in PUBLIC_NAMES and name not in PUBLIC_REPLACEMENTS
