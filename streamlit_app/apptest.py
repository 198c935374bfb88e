"""Driving the whole app headless with Streamlit's AppTest (for the tests): open a page, rerun,
fail on an exception."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "app.py"


TIMEOUT = 120  # seconds a run may take (a cold first run imports the heavy libraries)


def open_page(page: str, timeout: float = TIMEOUT) -> AppTest:
    """Run the app, switch to ``page`` (a path under streamlit_app/) and check it ran cleanly."""
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    at.run(timeout=timeout)
    at.switch_page(page).run(timeout=timeout)
    assert not at.exception, [e.message for e in at.exception]
    return at


def rerun(at: AppTest, timeout: float = TIMEOUT) -> AppTest:
    """Run ``at`` again (after a widget change) and check it ran cleanly."""
    at.run(timeout=timeout)
    assert not at.exception, [e.message for e in at.exception]
    return at
