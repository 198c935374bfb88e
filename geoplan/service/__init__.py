"""The only door for the pages and the command line: numbers, codes and frames from the register.

Everything a page or ``geoplan`` command needs is a name in ``__all__``.  The submodules are
loaded on first use (PEP 562), so the map page does not pay for PuLP or the importers.
"""

from __future__ import annotations

import importlib
from typing import Any

# name -> submodule of geoplan.service that defines it
_EXPORTS: dict[str, str] = {
    # area systems
    "PREFERRED_SYSTEMS": "systems", "preferred_system": "systems", "default_system": "systems",
    "resolve_system": "systems",
    # errors a caller may catch
    "ImportRefused": "errors", "PolicyError": "errors",
    # output
    "json_ready": "output",
    # the database
    "engine": "database", "reset_engines": "database", "database_url": "database",
    "database_label": "database",
    # the register and its settings
    "units": "register", "areas": "register", "area_systems": "register",
    "unit_types": "register", "add_unit_type": "register", "municipality": "register",
    "policy": "register", "set_policy": "register", "unit_history": "register",
    "dispose_unit": "register", "data_version": "register",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'geoplan.service' has no attribute '{name}'")
    value = getattr(importlib.import_module(f"geoplan.service.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
