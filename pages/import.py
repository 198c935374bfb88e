"""page_import (being built)."""

import streamlit as st

from appkit import loaders
from geoplan.ui.i18n import t

st.title(t("page_import", loaders.lang()))
