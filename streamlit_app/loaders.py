"""Cached access to the register for the Streamlit pages.

The engine is a cached resource per database URL.  The demo is never loaded by surprise: an
empty database shows the first-run page (``streamlit_app/pages/first_run.py``), whose button
loads it (:func:`load_demo`); ``make run`` loads it before the app starts (``geoplan demo``).
Data loaders are ``st.cache_data`` functions keyed on the URL and
:func:`data_version`, a cheap query that changes with every import and every recorded change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import geopandas as gpd
import streamlit as st
from sqlalchemy import Engine

from geoplan import service
from geoplan.config import PROJECT_DIR
from geoplan.roles import Actor
from geoplan.ui.i18n import DEFAULT_LANG
from geoplan.vocab import Vocabulary
from streamlit_app import auth

if TYPE_CHECKING:
    from geoplan.service import Dashboard

VENDOR_DIR = PROJECT_DIR / "static" / "vendor"
SAFETY_TTL = 300  # seconds; catches writes that record no batch or change (e.g. new unit types)


@dataclass(frozen=True)
class MunicipalityInfo:
    """What the app shows about the stored municipality."""

    number: str
    name: str
    synthetic: bool


def lang() -> str:
    """Return the language chosen in the sidebar (bokmål by default)."""
    return st.session_state.get("lang", DEFAULT_LANG)


def actor() -> Actor | None:
    """Return this session's acting user: the signed-in user's :class:`~geoplan.roles.Actor`,
    or the local admin in local mode; None in the public mode or when nobody may act.

    The shell (:func:`streamlit_app.auth.gate`) puts it in ``st.session_state`` on every run; a
    page run on its own (tests) gets it worked out here the same way.  Never cached: the
    caches are shared by every session.
    """
    if auth.ACTOR_KEY not in st.session_state:
        return auth.session_actor(engine(), auth.mode())
    return st.session_state[auth.ACTOR_KEY]


def load_demo(engine: Engine, who: Actor | None = None) -> bool:
    """Load the Elverum demo into an empty database, as ``who`` (default: this session's
    actor; the service refuses below planner), when asked (the first-run page's button).

    Never in the public mode: the public instance changes nothing (run ``geoplan demo`` first).
    """
    if service.public_mode():
        return False
    try:
        ensure_demo = service.ensure_demo
    except ImportError:
        return False
    return bool(ensure_demo(engine, who if who is not None else actor()))


@st.cache_resource(show_spinner=False)
def engine_for(url: str) -> Engine:
    """Return the migrated engine for ``url`` (an empty database stays empty)."""
    return service.engine(url)


def db_url() -> str:
    """Return the database URL the app uses."""
    return service.database_url()


def engine() -> Engine:
    """Return the app's engine (see :func:`engine_for`)."""
    return engine_for(db_url())


def version() -> tuple[int, int, str]:
    """Return :func:`geoplan.service.data_version` of the app's engine."""
    return service.data_version(engine())


@st.cache_data(show_spinner=False, ttl=SAFETY_TTL, max_entries=16)
def units(url: str, version: tuple, active_on: dt.date) -> gpd.GeoDataFrame:
    """Return the units active on ``active_on`` (EPSG:25833)."""
    return service.units(engine_for(url), active_on)


@st.cache_data(show_spinner=False, ttl=SAFETY_TTL, max_entries=16)
def areas(url: str, version: tuple, system: str) -> gpd.GeoDataFrame:
    """Return the areas of ``system`` (EPSG:25833)."""
    return service.areas(engine_for(url), system)


@st.cache_data(show_spinner=False, ttl=SAFETY_TTL, max_entries=16)
def area_systems(url: str, version: tuple) -> list[str]:
    """Return the stored area systems."""
    return service.area_systems(engine_for(url))


@st.cache_data(show_spinner=False, ttl=SAFETY_TTL, max_entries=16)
def unit_types(url: str, version: tuple) -> Vocabulary:
    """Return the configured unit types."""
    return service.unit_types(engine_for(url))


@st.cache_data(show_spinner=False, ttl=SAFETY_TTL, max_entries=16)
def municipality(url: str, version: tuple) -> MunicipalityInfo | None:
    """Return the stored municipality's number, name and whether its data are synthetic."""
    m = service.municipality(engine_for(url))
    return None if m is None else MunicipalityInfo(m.number, m.name, bool(m.synthetic))


@st.cache_data(show_spinner=False, ttl=SAFETY_TTL, max_entries=8)
def dashboard(url: str, version: tuple, on: dt.date) -> Dashboard | None:
    """Return the public :func:`geoplan.service.dashboard` on ``on``, or None without areas.

    Always the public version (small counts protected), in the internal app's presentation
    too, so what is projected is exactly what the public instance shows.
    """
    engine = engine_for(url)
    if not service.area_systems(engine):
        return None
    return service.dashboard(engine, on=on, public=True)


def app_url(path: str) -> str:
    """The URL path of ``path`` below the app's ``server.baseUrlPath`` ("/app/static/vendor",
    or "/geoplan/app/static/vendor" under the base path "geoplan")."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return "/" + "/".join(p for p in (base, path.strip("/")) if p)


def asset_base() -> str | None:
    """Return the URL of the vendored Leaflet files when Streamlit serves them, else None."""
    if not st.get_option("server.enableStaticServing") or not VENDOR_DIR.is_dir():
        return None
    return app_url("app/static/vendor")
