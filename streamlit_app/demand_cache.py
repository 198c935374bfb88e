"""Cached demand outlooks for the "Behov" page (keys as in :mod:`streamlit_app.loaders`).

Numbers and codes only: no key holds the language.  Saving a scenario is not part of
:func:`streamlit_app.loaders.data_version`, so an outlook with a scenario is also keyed on the
scenario's content (:func:`scenario_key`): a plan saved again under the same name is recomputed.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import streamlit as st

from geoplan import service
from streamlit_app.loaders import SAFETY_TTL, engine_for


def scenario_key(url: str, name: str | None) -> str | None:
    """A fingerprint of the scenario's items (None without a scenario; KeyError when unknown)."""
    if name is None:
        return None
    items = service.load_scenario(engine_for(url), name)
    return hashlib.sha256(items.to_csv(index=False).encode("utf-8")).hexdigest()


@st.cache_data(show_spinner=False, ttl=SAFETY_TTL, max_entries=16)
def outlook(url: str, version: tuple, on: dt.date, horizon: int, scenario: str | None,
            scenario_key: str | None) -> service.DemandOutlook:
    """Return :func:`geoplan.service.demand_outlook` on ``on`` with ``scenario`` (KeyError for
    an unknown scenario is raised, never cached)."""
    return service.demand_outlook(engine_for(url), on, horizon, scenario)
