"""Settings read from the environment, and the project's paths."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
DATA_DIR = PROJECT_DIR / "data"
DEFAULT_DB_PATH = PROJECT_DIR / "geoplan.sqlite"


def database_url() -> str:
    """Return ``GEOPLAN_DATABASE_URL`` or the embedded SQLite file next to the project."""
    return os.environ.get("GEOPLAN_DATABASE_URL") or f"sqlite:///{DEFAULT_DB_PATH}"


def package_folder(name: str) -> Path | None:
    """The folder of the installed package ``name``, found without importing it (None when it
    is not installed or is not a folder)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))
