"""Settings read from the environment, and the project's paths."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
DATA_DIR = PROJECT_DIR / "data"
DEFAULT_DB_PATH = PROJECT_DIR / "geoplan.sqlite"


def database_url() -> str:
    """Return ``GEOPLAN_DATABASE_URL`` or the embedded SQLite file next to the project."""
    return os.environ.get("GEOPLAN_DATABASE_URL") or f"sqlite:///{DEFAULT_DB_PATH}"
