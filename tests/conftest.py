"""Shared fixtures: a fresh SQLite database and a tiny hand-drawn municipality."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from geoplan.storage import repo
from geoplan.storage.db import make_engine
from geoplan.testing.paths import BOUNDARY, REALDATA, TEST_DATA

# folium's compiled templates (geoplan.ui.template_cache) go to a folder of this test run, also
# for the servers it starts, never to the developer's ~/.cache: set before geoplan.ui is imported
# (none of the imports above imports it).
assert "geoplan.ui" not in sys.modules
_CACHE_HOME = tempfile.mkdtemp(prefix="geoplan-test-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE_HOME
atexit.register(shutil.rmtree, _CACHE_HOME, True)

DATA = TEST_DATA  # kept for the tests that still say DATA
__all__ = ["BOUNDARY", "DATA", "REALDATA"]


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
def admin():
    """The command line's actor (``service.local_actor()``): a local admin, for the tests that
    call service functions which change something (each takes the acting user)."""
    from geoplan import service

    return service.local_actor()


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


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The Elverum demo loaded once per test session into an SQLite file (never opened for
    writing by a test: use :func:`demo_engine` or :func:`demo_url`, which copy it)."""
    from geoplan.demo.load import load_demo

    path = tmp_path_factory.mktemp("demo-template") / "demo.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    load_demo(engine)
    engine.dispose()
    return path


@pytest.fixture
def demo_copy(demo_template, tmp_path) -> str:
    """The URL of a private copy of the demo database (a test may change it)."""
    target = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def demo_engine(demo_copy):
    """A migrated engine on a private copy of the demo database."""
    engine = make_engine(demo_copy)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def demo_module_url(demo_template, tmp_path_factory) -> str:
    """The URL of a copy of the demo database shared by one module's read-only tests."""
    target = tmp_path_factory.mktemp("demo-module") / "demo.sqlite"
    shutil.copyfile(demo_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def postgis():
    """A clean PostGIS database migrated to head, on ``GEOPLAN_TEST_POSTGRES_URL`` (its public
    schema is dropped first); skips when the variable is not set (CI sets it, see .ci/run)."""
    import os

    from sqlalchemy import create_engine, text

    url = os.environ.get("GEOPLAN_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("GEOPLAN_TEST_POSTGRES_URL is not set")
    raw = create_engine(url)
    with raw.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public;"))
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
    raw.dispose()
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def chromium_browser():
    """Headless Chromium for one module's browser tests (skipped without /usr/bin/chromium)."""
    from geoplan.testing.server import CHROMIUM, chromium

    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing")
    with chromium() as browser:
        yield browser


@pytest.fixture(autouse=True)
def page_errors_raise(monkeypatch):
    """In tests, an error in a page script is an exception (AppTest.exception), not the short
    message users see; ``tests/test_app.py`` checks that message with this switched off."""
    from streamlit_app import errors

    monkeypatch.setattr(errors, "RAISE", True)


def _forget_app_caches() -> None:
    """Forget the cached engines and every Streamlit cache, so the app's next run starts afresh."""
    import streamlit as st

    from geoplan.storage.db import get_engine  # not the service's door: it may be in public mode

    get_engine.cache_clear()
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(scope="session")
def forget_app_caches():
    """:func:`_forget_app_caches`, for fixtures of any scope."""
    return _forget_app_caches


@pytest.fixture(scope="module")
def demo_url(demo_module_url, forget_app_caches) -> str:
    """A database with the Elverum demo, used by the app (one copy for the module)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GEOPLAN_DATABASE_URL", demo_module_url)
        forget_app_caches()
        yield demo_module_url
    forget_app_caches()


@pytest.fixture
def app_uses(monkeypatch, forget_app_caches):
    """Point the app at a database: ``app_uses(url)`` sets GEOPLAN_DATABASE_URL and forgets the
    caches, and they are forgotten again after the test."""
    def use(url: str) -> str:
        monkeypatch.setenv("GEOPLAN_DATABASE_URL", url)
        forget_app_caches()
        return url

    yield use
    forget_app_caches()
