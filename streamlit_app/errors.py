"""No traceback reaches a page: an unexpected error is logged and shown as one short sentence.

``.streamlit/config.toml`` sets ``client.showErrorDetails = "none"`` as the backstop for errors
outside the page script (widget callbacks).  Tests set :data:`RAISE` so that an error in a page
still fails them as an exception (``AppTest.exception``).
"""

from __future__ import annotations

import logging

import streamlit as st

from geoplan.ui.i18n import t

LOG = logging.getLogger("geoplan.app")
RAISE = False  # tests: re-raise instead of showing the short message


def show_error(exc: BaseException, where: str, lang: str) -> None:
    """Log ``exc`` with its traceback and show the page's short message in ``lang``."""
    if RAISE:
        raise exc
    LOG.error("%s failed", where, exc_info=exc)
    st.error(t("error.page", lang), icon=":material/error:")
