"""The public instance in headless Chromium: no unit-level value reaches the browser, and the
dashboard fits a 1920×1080 screen.

One ``GEOPLAN_PUBLIC=1`` server on a copy of the Elverum demo serves both tests.  The crawl opens
every public page (and every internal page's URL, which must fall back to the dashboard), in both
languages, hovers and clicks every area of the map, and records what reaches the browser: the
HTML of the page and of the map's iframe, every websocket frame Streamlit sends, the text of
every non-static HTTP response and every tooltip.  None of it may hold a unit id, an address, a
building id, a matrikkel number, a housing company or a unit's coordinates (both as lon/lat and as
EPSG:25833, to within 3 m) as ``geoplan export units`` gives them, and every count in the map's
GeoJSON must be publishable.  The detector is first run on the export itself, where it must find
every unit, so that a blind detector cannot pass.

Run alone with ``pytest -m browser``; skipped when /usr/bin/chromium is missing.  Set
``GEOPLAN_SAVE_SCREENSHOT=1`` to write ``docs/screenshot-dashboard.png``.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.spatial import cKDTree

from geoplan import service
from geoplan.crs import transform
from geoplan.storage.db import make_engine
from geoplan.testing.server import MAP_FRAME, new_page, streamlit_server
from geoplan.ui.dashboard_map import FEATURE_PROPERTIES
from geoplan.ui.dashboard_view import title
from geoplan.ui.i18n import t
from geoplan.ui.mapview import build_map
from geoplan.ui.unit_table import address
from streamlit_app import shell

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOT = ROOT / "docs" / "screenshot-dashboard.png"
COORD_TOLERANCE_M = 3.0
WIDTH, HEIGHT = 1920, 1080

# Every area feature of the map: its properties and the page position of a point inside it.
FEATURES_JS = """() => {
    const out = [];
    const box = window.map.getContainer().getBoundingClientRect();
    window.map.eachLayer(layer => {
        if (!layer.feature || !layer.getBounds) return;
        const p = window.map.latLngToContainerPoint(layer.getCenter());
        out.push({properties: layer.feature.properties, x: box.left + p.x, y: box.top + p.y});
    });
    return out;
}"""
SCROLL_JS = """() => {
    const main = document.querySelector('[data-testid="stMain"]') ||
        document.querySelector('section.main');
    return {doc: document.documentElement.scrollHeight, inner: window.innerHeight,
            main: main ? main.scrollHeight : null, mainClient: main ? main.clientHeight : null};
}"""
FONT_JS = """selector => [...document.querySelectorAll(selector)].map(
    e => parseFloat(getComputedStyle(e).fontSize))"""


# ---------------------------------------------------------------- what must never be shown


@dataclass
class Secrets:
    """The unit-level values of ``geoplan export units`` that the public must never see."""

    texts: dict[str, list[str]]  # kind -> values found by substring (also JSON/HTML-escaped)
    building_ids: set[str]
    matrikkel: set[str]
    xy: np.ndarray  # EPSG:25833, one row per unit of ``ids``
    ids: list[str]
    comparisons: int = 0

    @classmethod
    def from_export(cls, path: Path) -> Secrets:
        u = pd.read_csv(path, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
        parts = [(s, n, ltr) for s, n, ltr in
                 zip(u["street"], u["house_number"], u["letter"], strict=True) if s]
        # "Storgata 12B" (the map and tables) and "Storgata 12 B" (address lines)
        addresses = ([f"{s} {n}{ltr}".strip() for s, n, ltr in parts]
                     + [" ".join(p for p in (s, n, ltr) if p) for s, n, ltr in parts])
        texts = {"unit id": sorted(set(u["unit_id"])), "address": sorted(set(addresses)),
                 "housing company": sorted({c for c in u["housing_company"] if c})}
        gnr_bnr = {f"{int(float(g))}/{int(float(b))}" for g, b in
                   zip(u["gnr"], u["bnr"], strict=True) if g and b}
        xy = u[["x (EPSG:25833)", "y (EPSG:25833)"]].astype(float).to_numpy()
        return cls(texts, {b for b in u["building_id"] if b}, gnr_bnr, xy, list(u["unit_id"]))

    def __post_init__(self) -> None:
        self.tree = cKDTree(self.xy)
        x0, y0 = self.xy.min(axis=0) - 1000
        x1, y1 = self.xy.max(axis=0) + 1000
        self.box = (x0, y0, x1, y1)

    def leaks(self, text: str) -> dict[str, set[str]]:
        """Every secret found in ``text``, by kind."""
        found: dict[str, set[str]] = {}
        variants = (text, html.unescape(text))
        for kind, values in self.texts.items():
            for v in values:
                self.comparisons += 1
                forms = {v, html.escape(v), json.dumps(v)[1:-1]}
                if any(f in hay for f in forms for hay in variants):
                    found.setdefault(kind, set()).add(v)
        digits = set(re.findall(r"\d+", text))
        self.comparisons += len(self.building_ids) + len(self.matrikkel)
        if hits := self.building_ids & digits:
            found["building id"] = hits
        pairs = {f"{g}/{b}" for g, b in re.findall(r"(?<![\d.])(\d+)/(\d+)(?!\d)", text)}
        if hits := self.matrikkel & pairs:
            found["matrikkel"] = hits
        if hits := self._coordinates(text):
            found["coordinate"] = hits
        return found

    def _coordinates(self, text: str) -> set[str]:
        """Ids of the units with a number pair within COORD_TOLERANCE_M of them (as lon/lat,
        lat/lon or EPSG:25833): consecutive numbers ([lon, lat]), or the same position in two
        arrays of numbers of one length ({"lat": [...], "lon": [...]}, columns)."""
        numbers = np.array([float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", text)] or [0.0])
        pairs = [(numbers[:-1], numbers[1:])]
        arrays = [np.array([float(n) for n in body.split(",")]) for body in re.findall(
            r"\[\s*(-?\d+(?:\.\d+)?(?:\s*,\s*-?\d+(?:\.\d+)?){2,})\s*\]", text)]
        by_length: dict[int, list[np.ndarray]] = {}
        for arr in arrays:
            by_length.setdefault(len(arr), []).append(arr)
        for same in by_length.values():
            pairs += [(p, q) for i, p in enumerate(same) for q in same[i + 1:]]
        candidates = []
        for a, b in pairs:
            candidates += self._near(a, b)
        points = np.vstack(candidates)
        self.comparisons += len(points)
        if not len(points):
            return set()
        near = self.tree.query_ball_point(points, COORD_TOLERANCE_M)
        return {self.ids[i] for hits in near for i in hits}

    def _near(self, a: np.ndarray, b: np.ndarray) -> list[np.ndarray]:
        """Candidate points in EPSG:25833 from two aligned number sequences, either order."""
        candidates = []
        for first, second in ((a, b), (b, a)):  # [lon, lat] and [lat, lon]
            ok = (first > 4) & (first < 32) & (second > 57) & (second < 72)
            if ok.any():
                x, y = transform(first[ok], second[ok], 4326, 25833)
                candidates.append(np.column_stack([x, y]))
            x0, y0, x1, y1 = self.box
            ok = (first > x0) & (first < x1) & (second > y0) & (second < y1)
            candidates.append(np.column_stack([first[ok], second[ok]]))
        return candidates


@dataclass
class Crawl:
    """What reached the browser: page views, websocket frames, responses, tooltips."""

    pages: list[str] = field(default_factory=list)
    frames: list[str] = field(default_factory=list)
    responses: list[tuple[str, str]] = field(default_factory=list)
    html: list[tuple[str, str]] = field(default_factory=list)
    tooltips: list[tuple[str, str]] = field(default_factory=list)
    features: list[dict] = field(default_factory=list)
    clicks: int = 0
    assertions: int = 0

    def check(self, condition: bool, message: object = "") -> None:
        self.assertions += 1
        assert condition, message

    def record(self, page) -> None:
        """Listen to the page's websocket frames and HTTP responses."""
        def frame(payload):
            self.frames.append(payload if isinstance(payload, str)
                               else payload.decode("utf-8", errors="ignore"))

        def response(r):
            kind = r.headers.get("content-type", "")
            if "/static/" in r.url or not any(k in kind for k in ("text", "json")):
                return
            try:
                self.responses.append((r.url, r.text()))
            except Exception:  # redirects and aborted requests have no body
                pass

        page.on("websocket", lambda ws: ws.on("framereceived", frame))
        page.on("response", response)


# ---------------------------------------------------------------- the server and the browser


@pytest.fixture(scope="module")
def public_server(demo_module_url):
    with streamlit_server(demo_module_url, env={"GEOPLAN_PUBLIC": "1"}, timeout=120) as server:
        yield server


@pytest.fixture(scope="module")
def figures(demo_module_url, tmp_path_factory):
    """(secrets from geoplan export units, public dashboard, internal dashboard) of the demo."""
    assert not service.public_mode()  # the test process itself is the internal side
    engine = make_engine(demo_module_url)
    path = tmp_path_factory.mktemp("export") / "units.csv"
    try:
        service.export_units(engine, path)
        on = dt.date.today()
        return (Secrets.from_export(path), service.dashboard(engine, on=on, public=True),
                service.dashboard(engine, on=on, public=False), path)
    finally:
        engine.dispose()


def _open(page, url: str, title: str) -> None:
    """Open ``url`` and wait for the dashboard's title, map areas and chart."""
    page.goto(url, wait_until="domcontentloaded")
    _wait_drawn(page, title)


SETTLED_JS = """frame => document.querySelectorAll('[data-stale="true"]').length === 0
    && document.querySelectorAll(frame).length === 1"""


def _wait_drawn(page, title: str) -> None:
    """Wait for ``title``, a settled page (no stale element, one map) and the drawn map."""
    page.get_by_text(title, exact=True).wait_for(timeout=120_000)
    page.wait_for_function(SETTLED_JS, arg=MAP_FRAME, timeout=120_000)
    page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive").first.wait_for(
        timeout=120_000)
    page.locator(".js-plotly-plot").first.wait_for()
    page.wait_for_timeout(700)  # let the last websocket messages arrive


def _switch_to_english(page, title: str) -> None:
    page.locator('[data-testid="stExpandSidebarButton"]').click()
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').click()
    page.get_by_role("option", name="English").click()
    _wait_drawn(page, title)


def _map_frame(page):
    return next(f for f in page.frames if "streamlit_folium" in f.url)


def _snapshot(page, crawl: Crawl, label: str) -> None:
    crawl.html.append((f"{label}: page", page.content()))
    crawl.html.append((f"{label}: map", _map_frame(page).content()))


# ---------------------------------------------------------------- the tests


def test_detector_finds_every_unit_in_the_export(figures, demo_module_url):
    """The leak detector is not blind: it finds every unit in the export and in the internal
    map (popups with id and address, markers at lon/lat)."""
    secrets, _, _, path = figures
    found = secrets.leaks(path.read_text(encoding="utf-8-sig"))
    n = len(secrets.xy)
    assert len(found["unit id"]) == n == len(secrets.texts["unit id"])
    assert found["building id"] == secrets.building_ids and len(secrets.building_ids) > 0
    assert found["coordinate"] == set(secrets.ids)
    written = ", ".join(f"gnr./bnr. {m}" for m in sorted(secrets.matrikkel))  # "67/824"
    assert secrets.leaks(written)["matrikkel"] == secrets.matrikkel and secrets.matrikkel
    engine = make_engine(demo_module_url)
    try:
        units = service.units(engine, dt.date.today())
        rendered = build_map(units, None, service.unit_types(engine), "nb").get_root().render()
    finally:
        engine.dispose()
    found = secrets.leaks(rendered)
    shown = set(address(units)) - {""}
    assert len(found["unit id"]) == len(units) and len(shown) > 0
    assert shown <= found["address"]
    assert set(units["unit_id"]) <= found["coordinate"]  # (a sold unit may share a place)


def test_public_crawl_shows_no_unit_level_value(chromium_browser, public_server, figures):
    secrets, public, internal, _ = figures
    crawl = Crawl()
    nb_title = title(public, "nb")
    en_title = title(public, "en")
    page = new_page(chromium_browser, WIDTH, HEIGHT)
    crawl.record(page)
    try:
        # the public page, with every area hovered and clicked, in bokmål and English
        _open(page, public_server.url, nb_title)
        crawl.pages.append("/ (nb)")
        _hover_and_click(page, crawl, "nb")
        _snapshot(page, crawl, "dashboard nb")
        _switch_to_english(page, en_title)
        crawl.pages.append("/ (en)")
        _hover_and_click(page, crawl, "en")
        _snapshot(page, crawl, "dashboard en")
        # every internal page's address falls back to the dashboard
        for spec in shell.PAGES:
            _open(page, f"{public_server.url}/{spec.url_path}", nb_title)
            crawl.pages.append(f"/{spec.url_path}")
            body = page.inner_text("body")
            crawl.check(t("map_title", "nb") not in body and t("page_import", "nb") not in body,
                        spec.url_path)
            _snapshot(page, crawl, spec.url_path)
    finally:
        page.close()

    # every count in the map's GeoJSON is publishable, and none is a suppressed true count
    true = dict(zip(internal.areas["name"], internal.areas["units"], strict=True))
    suppressed = set(public.areas.loc[public.areas["suppressed"], "name"])
    crawl.check(len(suppressed) > 0, "the demo has suppressed areas")
    for f in crawl.features:
        props = f["properties"]
        crawl.check(set(props) == set(FEATURE_PROPERTIES), props)
        u = props["units"]
        crawl.check(u is None or u == 0 or (u >= public.min_count and u % 5 == 0), props)
        if html.unescape(props["name"]) in suppressed:
            crawl.check(u is None, props)
    for lang, name, tip in crawl.tooltips:
        if name in suppressed:
            n = int(true[name])
            crawl.check(0 < n < public.min_count)
            crawl.check(re.search(rf"(?<!\d){n}(?!\d)", tip) is None, (name, tip))
            crawl.check(t("dash.suppressed", lang, n=public.min_count) in tip, tip)
    crawl.check(len(crawl.tooltips) >= 2 * len(public.areas) * 0.8, len(crawl.tooltips))

    # the frames carry the page (so searching them means something), and nothing unit-level
    frames_text = "\n".join(crawl.frames)
    crawl.check(len(crawl.frames) > 0 and nb_title in frames_text, "frames were recorded")
    crawl.check(any(json.dumps(html.escape(n), ensure_ascii=False)[1:-1] in frames_text
                    or html.escape(n) in frames_text for n in public.areas["name"]),
                "the map's areas travel in the frames")
    haystacks = ([(f"frame {i}", f) for i, f in enumerate(crawl.frames)] + crawl.html
                 + [(f"response {u}", text) for u, text in crawl.responses]
                 + [(f"tooltip {n}", tip) for _, n, tip in crawl.tooltips])
    for label, text in haystacks:
        crawl.check(secrets.leaks(text) == {}, (label, secrets.leaks(text)))

    print(f"\npublic crawl: pages={len(crawl.pages)} frames={len(crawl.frames)} "
          f"frame_bytes={sum(len(f) for f in crawl.frames)} responses={len(crawl.responses)} "
          f"html={len(crawl.html)} tooltips={len(crawl.tooltips)} clicks={crawl.clicks} "
          f"features={len(crawl.features)} assertions={crawl.assertions} "
          f"comparisons={secrets.comparisons}")


def _hover_and_click(page, crawl: Crawl, lang: str) -> None:
    """Hover every area (record its tooltip), then click it; no popup may open."""
    frame = _map_frame(page)
    box = page.locator(MAP_FRAME).bounding_box()
    features = frame.evaluate(FEATURES_JS)
    crawl.features += features
    tooltip = frame.locator(".leaflet-tooltip")
    for f in features:
        x, y = box["x"] + f["x"], box["y"] + f["y"]
        page.mouse.move(x, y)
        try:
            tooltip.first.wait_for(state="visible", timeout=2_000)
            text = tooltip.first.inner_text()
        except Exception:  # the centre of a concave area can lie outside the map's view
            continue
        crawl.tooltips.append((lang, html.unescape(f["properties"]["name"]), text))
        page.mouse.click(x, y)
        crawl.clicks += 1
    crawl.check(frame.locator(".leaflet-popup").count() == 0, "a click opened a popup")
    page.mouse.move(1, 1)


def test_dashboard_fits_1920x1080_without_scrolling(chromium_browser, public_server, figures):
    _, public, _, _ = figures
    page = new_page(chromium_browser, WIDTH, HEIGHT)
    try:
        _open(page, public_server.url, title(public, "nb"))
        for lang in ("nb", "en"):
            if lang == "en":
                _switch_to_english(page, title(public, "en"))
                page.locator('[data-testid="stSidebarCollapseButton"] button, '
                             '[data-testid="stSidebarCollapseButton"]').first.click()
                page.wait_for_timeout(500)
            sizes = page.evaluate(SCROLL_JS)
            assert sizes["doc"] <= sizes["inner"], (lang, sizes)
            assert sizes["main"] is not None and sizes["main"] <= sizes["mainClient"], (lang, sizes)
            values = page.evaluate(FONT_JS, ".dash-value")
            labels = page.evaluate(FONT_JS, ".dash-label")
            assert len(values) == 4 and min(values) >= 72, values
            assert len(labels) == 4 and min(labels) >= 24, labels
            if lang == "nb" and os.environ.get("GEOPLAN_SAVE_SCREENSHOT"):
                page.screenshot(path=str(SCREENSHOT))
    finally:
        page.close()
