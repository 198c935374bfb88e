"""Write docs/screenshot-map.png: the map page on the Elverum demo, in headless Chromium.

Usage: ``python docs/make_screenshot.py [OUTPUT.png]``.  Uses a fresh temporary database, so the
app loads the demo itself.  Without internet the background tiles are missing (grey).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from geoplan.testing.server import chromium, new_page, open_map, streamlit_server

OUT = Path(__file__).resolve().parent / "screenshot-map.png"


def make_screenshot(out: Path = OUT, settle_ms: int = 2000) -> Path:
    """Start the app on a fresh demo database and save a screenshot of the map page."""
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        with streamlit_server(f"sqlite:///{tmp}/demo.sqlite") as server:
            page = new_page(browser, width=1400, height=900)
            open_map(page, server)
            page.wait_for_timeout(settle_ms)  # let tiles (if online) and cluster icons settle
            page.screenshot(path=str(out))
    return out


if __name__ == "__main__":
    print(make_screenshot(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
