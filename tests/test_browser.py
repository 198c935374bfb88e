"""The real app in headless Chromium: the map draws markers, and popups show unsafe text as text.

Run alone with ``pytest -m browser``; skipped when /usr/bin/chromium is missing.
"""

from __future__ import annotations

import pytest

from geoplan import service
from geoplan.storage.db import make_engine
from geoplan.testing.data import (
    XSS_ADDRESS,
    demo_available,
    hand_made_units,
    seed_database,
    synthetic_units,
)
from geoplan.testing.server import new_page, open_map, streamlit_server

pytestmark = pytest.mark.browser

# Zooms to the first unit whose popup mentions ``needle`` (without animation) and opens its popup.
# Popups are made when opened (a function of the marker), so the search makes each one.
# Zooms in on the marker whose popup holds ``needle`` and, once markercluster's split animation
# is over (its zoomToShowLayer waits for an icon, which a circle has not), returns its circle
# for a real hover and click.  The popup is bound once, to the cluster group
# (geoplan.ui.mapview.UnitMarkers): one function that makes any marker's popup.
MARKER_WITH = """needle => new Promise(resolve => {
    let group = null;
    window.map.eachLayer(layer => { if (layer instanceof L.MarkerClusterGroup) group = layer; });
    const text = group.getPopup().getContent();
    const marker = group.getLayers().find(m => text(m).includes(needle));
    window.map.setView(marker.getLatLng(), window.map.getMaxZoom(), {animate: false});
    const drawn = () => group._inZoomAnimation ? setTimeout(drawn, 50) : resolve(marker._path);
    drawn();
})"""


def _seed(url: str, units: list[dict]) -> None:
    engine = make_engine(url)
    seed_database(engine, units)
    engine.dispose()


def test_demo_map_shows_markers(chromium_browser, tmp_path):
    url = f"sqlite:///{tmp_path}/demo.sqlite"
    if not demo_available():
        _seed(url, synthetic_units(300))
    else:  # loaded first, as `make run` does: the app never loads it by surprise
        engine = make_engine(url)
        service.load_demo(engine, service.local_actor())
        engine.dispose()
    with streamlit_server(url) as server:
        page = new_page(chromium_browser)
        try:
            assert open_map(page, server) > 0
            frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']")
            assert frame.locator(".geoplan-legend").is_visible()
            assert frame.locator(".leaflet-control-layers").count() == 1
        finally:
            page.close()


def test_popup_shows_unsafe_address_as_text(chromium_browser, tmp_path):
    url = f"sqlite:///{tmp_path}/xss.sqlite"
    _seed(url, hand_made_units())
    dialogs: list[str] = []
    with streamlit_server(url) as server:
        page = new_page(chromium_browser)
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        try:
            open_map(page, server)
            frame = next(f for f in page.frames if "streamlit_folium" in f.url)
            circle = frame.evaluate_handle(MARKER_WITH, "onerror").as_element()
            circle.hover()  # the tooltip, bound to the group too, names the hovered unit
            tooltip = frame.locator(".leaflet-tooltip")
            tooltip.wait_for(state="visible", timeout=10_000)
            assert XSS_ADDRESS in tooltip.inner_text() and tooltip.locator("img").count() == 0
            described = frame.locator(f"[aria-describedby='{tooltip.get_attribute('id')}']")
            assert described.count() == 1  # the hovered circle only, not every marker drawn
            circle.click()
            popup = frame.locator(".leaflet-popup-content")
            popup.wait_for(state="visible", timeout=10_000)
            assert XSS_ADDRESS in popup.inner_text()
            assert popup.locator("img").count() == 0
            assert "Ordinær utleiebolig" in popup.inner_text()  # H1's type, made on opening
            page.wait_for_timeout(300)
            assert dialogs == []
            frame.evaluate("window.map.setZoom(5, {animate: false})")  # the marker is clustered:
            popup.wait_for(state="detached", timeout=10_000)  # its popup closes with it
        finally:
            page.close()
