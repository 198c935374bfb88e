"""Cached concentration results for the concentration page (keys as in :mod:`streamlit_app.loaders`).

Numbers and codes only: no key holds the language, so switching it recomputes nothing (the page
words the cached numbers on each run).  The policy thresholds are not part of
:func:`streamlit_app.loaders.data_version`, so saving them must call :func:`clear`.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from geoplan import service
from streamlit_app.loaders import SAFETY_TTL, engine_for


@st.cache_data(show_spinner=False, ttl=SAFETY_TTL, max_entries=16)
def result(url: str, version: tuple, system: str, on: dt.date,
           radius: float = 500.0) -> service.Concentration:
    """Return :func:`geoplan.service.concentration_result` for ``system`` on ``on``."""
    return service.concentration_result(engine_for(url), system, on, radii=(250.0, radius))


@st.cache_data(show_spinner=False, ttl=SAFETY_TTL, max_entries=16)
def trend(url: str, version: tuple, system: str,
          end: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return :func:`geoplan.service.trend` (yearly, by area) up to ``end``."""
    return service.trend(engine_for(url), system, end=end)


def clear() -> None:
    """Forget every ``st.cache_data`` result (all pages'), e.g. after the policy changed."""
    st.cache_data.clear()
