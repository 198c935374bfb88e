"""Cached data of the map page (keys as in :mod:`streamlit_app.loaders`).

The unit layer (:func:`geoplan.ui.mapview.marker_layer`: columns of escaped texts, or counts per
grid cell for a national register) is made once per data version, day, filter, language and
address visibility, and shared by every session that asks with the same arguments: nothing in
it depends on who asks, and ``show_address`` is part of the key, so a session that may not see
addresses never gets a layer made for one that may.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from geoplan.ui.mapview import marker_layer
from geoplan.ui.unit_table import filter_units, units_table
from streamlit_app import loaders
from streamlit_app.loaders import SAFETY_TTL

Codes = tuple[str, ...] | None
FILTERS: tuple[str, ...] = ("types", "tenures", "statuses", "target_groups")  # as in markers()


def key(url: str, version: tuple, day: dt.date, lang: str,
        **picked: Sequence[str] | None) -> tuple:
    """The arguments of :func:`markers` and :func:`table` for the map page: ``picked`` by
    :data:`FILTERS` name (a missing or None filter: every unit), addresses shown (the map page
    shows them; the key never holds a role)."""
    codes = [picked.get(name) for name in FILTERS]
    return (url, version, day, *(None if c is None else tuple(c) for c in codes), lang, True)


@st.cache_data(show_spinner=False, ttl=SAFETY_TTL, max_entries=32)
def markers(url: str, version: tuple, day: dt.date, types: Codes, tenures: Codes,
            statuses: Codes, target_groups: Codes, lang: str, show_address: bool) -> dict:
    """Return :func:`~geoplan.ui.mapview.marker_layer` of the units active on ``day`` that pass
    the filters (None: no filter)."""
    shown = filter_units(loaders.units(url, version, day), types=types, tenures=tenures,
                         statuses=statuses, target_groups=target_groups)
    return marker_layer(shown, loaders.unit_types(url, version), lang, show_address)


@st.cache_data(show_spinner=False, ttl=SAFETY_TTL, max_entries=32)
def table(url: str, version: tuple, day: dt.date, types: Codes, tenures: Codes,
          statuses: Codes, target_groups: Codes, lang: str, show_address: bool) -> pd.DataFrame:
    """Return :func:`~geoplan.ui.unit_table.units_table` of the same units as :func:`markers`
    (worded once per language: 1.8 s for the national register's 110,000 units)."""
    shown = filter_units(loaders.units(url, version, day), types=types, tenures=tenures,
                         statuses=statuses, target_groups=target_groups)
    return units_table(shown, loaders.unit_types(url, version), lang, show_address)
