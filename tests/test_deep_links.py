"""Deep links: every page's URL opened right after a server start shows that page, without
Streamlit's "Page not found" box (Chromium, ``-m browser``; skipped without /usr/bin/chromium)."""

from __future__ import annotations

import pytest

from geoplan.testing.server import new_page, streamlit_server
from geoplan.ui.i18n import t
from streamlit_app.shell import PAGES, opened_at_root

pytestmark = pytest.mark.browser

# url path -> the page's title (st.title), bokmål
TITLES = {"kart": "map_title", "konsentrasjon": "conc_title"}


@pytest.fixture(scope="module")
def server(demo_module_url):
    with streamlit_server(demo_module_url, timeout=120) as running:
        yield running


def _open(page, url: str, title: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_role("heading", name=title).first.wait_for(timeout=90_000)


@pytest.mark.parametrize("path", ["kart", "konsentrasjon", ""])
def test_a_page_opens_at_its_own_url(chromium_browser, server, path):
    page = new_page(chromium_browser)
    try:
        title = t(TITLES.get(path, "map_title"), "nb")
        _open(page, f"{server.url}/{path}", title)
        page.wait_for_timeout(500)
        assert page.get_by_text("Page not found").count() == 0
        # a page's URL stays; the root shows the first page at the root (no second script
        # run to switch); either way the page is highlighted in the navigation
        assert page.url.rstrip("/") == f"{server.url}/{path}".rstrip("/")
        current = page.locator('[data-testid="stSidebarNavLink"][aria-current="page"]')
        assert current.inner_text().endswith(t("page_map" if path in ("", "kart")
                                               else "page_concentration", "nb"))
    finally:
        page.close()


def test_every_page_url_is_registered():
    assert {"kart", "konsentrasjon"} <= {p.url_path for p in PAGES}


@pytest.mark.parametrize(("url", "base", "root"), [
    ("http://127.0.0.1:8501", "", True), ("http://127.0.0.1:8501/", "", True),
    ("http://127.0.0.1:8501/kart", "", False), ("https://k.no/geoplan", "geoplan", True),
    ("https://k.no/geoplan/kart", "/geoplan/", False), ("", "", True),
])
def test_the_root_is_told_from_a_page(url, base, root):
    assert opened_at_root(url, base) is root
