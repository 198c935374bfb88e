"""Cached purchase-testing data for the Streamlit pages (no logic: see geoplan.service).

Keys are the database URL, :func:`streamlit_app.loaders.version` and the area system, plus the day
(the baseline counts the units active today).  The Baseline holds spatial indexes and is read-only,
so it is a shared resource; the where-to-buy table is plain data.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from geoplan import service
from geoplan.ui.purchase_map import WhereShapes
from geoplan.ui.purchase_map import where_shapes as where_shapes_of
from streamlit_app import loaders
from streamlit_app.loaders import SAFETY_TTL, engine_for


@st.cache_resource(show_spinner=False, ttl=SAFETY_TTL, max_entries=8)
def baseline(url: str, version: tuple, system: str | None, day: dt.date) -> service.Baseline:
    """Return the evaluation baseline of ``system`` for the units active on ``day``."""
    return service.baseline(engine_for(url), system, day)


@st.cache_data(show_spinner=False, ttl=SAFETY_TTL, max_entries=16)
def where(url: str, version: tuple, system: str | None) -> pd.DataFrame:
    """Return the where-to-buy table of ``system``."""
    return service.where(engine_for(url), system)


@st.cache_data(show_spinner=False, ttl=SAFETY_TTL, max_entries=4)  # national: MBs of text each
def where_shapes(url: str, version: tuple, system: str | None, lang: str) -> WhereShapes:
    """Return the where-to-buy layer's areas, ready to draw (1 s for the national register's
    14,000 areas, so not on every verdict)."""
    return where_shapes_of(loaders.areas(url, version, system), where(url, version, system), lang)


@st.cache_data(show_spinner=False, ttl=SAFETY_TTL, max_entries=8)
def candidates(url: str, version: tuple, data: bytes, filename: str) -> pd.DataFrame:
    """Return the candidates of an uploaded file (ImportRefused is raised, never cached)."""
    return service.read_candidate_bytes(engine_for(url), data, filename)


@st.cache_resource(show_spinner=False, ttl=SAFETY_TTL, max_entries=4)
def address_index(url: str, version: tuple) -> pd.DataFrame:
    """Return the address register ready for search (read once per data version; shared and
    read-only: a search never changes it)."""
    return service.address_index(engine_for(url))


def address_search(url: str, version: tuple, query: str, limit: int) -> pd.DataFrame:
    """Return the addresses matching ``query``, best first (about 5 ms on the demo's 4,100)."""
    return service.search_addresses(address_index(url, version), query, limit)


@st.cache_data(show_spinner=False, ttl=SAFETY_TTL, max_entries=8)
def budget(url: str, version: tuple) -> service.BudgetStatus:
    """Return the policy's annual budget, what this year's purchases cost and what is left."""
    return service.budget_status(engine_for(url))
