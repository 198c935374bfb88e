"""Shared fixtures: a fresh SQLite database and a tiny hand-drawn municipality."""

from __future__ import annotations

from pathlib import Path

import pytest
import shapely
from sqlalchemy.orm import Session

from geoplan.storage import repo
from geoplan.storage.db import make_engine

DATA = Path(__file__).parent / "data"
PROJECT = Path(__file__).resolve().parent.parent
REALDATA = PROJECT.parent / "shared" / "realdata"

# A 6 km x 8 km square around Elverum town, in EPSG:25833.
BOUNDARY = shapely.box(310_000, 6_750_000, 316_000, 6_758_000)


@pytest.fixture
def engine(tmp_path):
    """A migrated, empty SQLite database in a temporary folder."""
    return make_engine(f"sqlite:///{tmp_path / 'geoplan.sqlite'}")


@pytest.fixture
def db_url(tmp_path, monkeypatch):
    """Point GEOPLAN_DATABASE_URL at a temporary SQLite file and return the URL."""
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    monkeypatch.setenv("GEOPLAN_DATABASE_URL", url)
    from geoplan.storage.db import get_engine

    get_engine.cache_clear()
    yield url
    get_engine.cache_clear()


@pytest.fixture
def bounded(engine):
    """The empty database with the test municipality's square boundary loaded."""
    with Session(engine) as s, s.begin():
        repo.set_municipality(s, "9999", "Testkommune", BOUNDARY)
    return engine


@pytest.fixture
def engine_factory(tmp_path):
    """Make further fresh databases in the temporary folder."""
    counter = iter(range(1000))

    def make():
        return make_engine(f"sqlite:///{tmp_path / f'extra{next(counter)}.sqlite'}")

    return make
