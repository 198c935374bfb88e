"""The same register on PostgreSQL/PostGIS: migrations, the demo and the indices.

Runs when GEOPLAN_TEST_POSTGRES_URL points at an empty database with PostGIS available (CI sets
one up); skips otherwise.
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import inspect, text

from geoplan import service
from geoplan.service import load_demo
from geoplan.storage import repo

URL = os.environ.get("GEOPLAN_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not URL, reason="GEOPLAN_TEST_POSTGRES_URL is not set")


def test_demo_on_postgis_matches_sqlite(postgis, demo_engine, admin):
    pg = postgis  # a clean, migrated PostGIS database (tests/conftest.py)
    engine = demo_engine  # the session's demo database on SQLite
    load_demo(pg, admin)
    cols = {c["name"]: c["type"] for c in inspect(pg).get_columns("areas")}
    assert type(cols["geometry"]).__name__ == "Geometry"  # a real PostGIS column
    with pg.connect() as conn:  # GeoAlchemy2's DDL events ran (it is imported for PostgreSQL only)
        gist = conn.execute(text("SELECT tablename, indexname FROM pg_indexes "
                                 "WHERE indexdef ILIKE '%USING gist%' ORDER BY 1")).all()
        typed = conn.execute(text("SELECT f_table_name, f_geometry_column, srid, type "
                                  "FROM geometry_columns ORDER BY 1")).all()
    assert [tuple(r) for r in gist] == [("areas", "idx_areas_geometry"),
                                        ("municipality", "idx_municipality_boundary")]
    assert [tuple(r) for r in typed] == [("areas", "geometry", 25833, "MULTIPOLYGON"),
                                         ("municipality", "boundary", 25833, "MULTIPOLYGON")]
    assert len(repo.load_units(pg)) == len(repo.load_units(engine)) == 455
    a = repo.load_areas(pg, "grunnkrets")
    b = repo.load_areas(engine, "grunnkrets")
    assert a.geometry.area.sum() == pytest.approx(b.geometry.area.sum(), rel=1e-9)
    pg_idx = service.concentration_result(pg, permutations=0).indices
    lite_idx = service.concentration_result(engine, permutations=0).indices
    assert pg_idx == pytest.approx(lite_idx, abs=1e-12)
