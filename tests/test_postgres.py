"""The same register on PostgreSQL/PostGIS: migrations, the demo and the indices.

Runs when GEOPLAN_TEST_POSTGRES_URL points at an empty database with PostGIS available (CI sets
one up); skips otherwise.
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, inspect, text

from geoplan import service
from geoplan.service import load_demo
from geoplan.storage import repo
from geoplan.storage.db import make_engine

URL = os.environ.get("GEOPLAN_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not URL, reason="GEOPLAN_TEST_POSTGRES_URL is not set")


@pytest.fixture
def pg():
    """A clean PostGIS database, migrated to head."""
    raw = create_engine(URL)
    with raw.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public;"))
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
    raw.dispose()
    engine = make_engine(URL)
    yield engine
    engine.dispose()


def test_demo_on_postgis_matches_sqlite(pg, demo_engine, admin):
    engine = demo_engine  # the session's demo database on SQLite
    load_demo(pg, admin)
    cols = {c["name"]: c["type"] for c in inspect(pg).get_columns("areas")}
    assert type(cols["geometry"]).__name__ == "Geometry"  # a real PostGIS column
    assert len(repo.load_units(pg)) == len(repo.load_units(engine)) == 455
    a = repo.load_areas(pg, "grunnkrets")
    b = repo.load_areas(engine, "grunnkrets")
    assert a.geometry.area.sum() == pytest.approx(b.geometry.area.sum(), rel=1e-9)
    pg_idx = service.concentration_result(pg, permutations=0).indices
    lite_idx = service.concentration_result(engine, permutations=0).indices
    assert pg_idx == pytest.approx(lite_idx, abs=1e-12)
