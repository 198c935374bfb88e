"""One simulated user: a Playwright browser context that clicks through the internal app.

Streamlit talks over a websocket, so plain HTTP requests would only load the shell; each
session here is a real browser tab.  One loop of a session:

1. ``map``: open the app (the map page) and wait for the map's markers;
2. ``concentration``: the concentration page, until its script has run and its map is drawn;
3. ``purchase_page``: the purchase test page, until the coordinate inputs are there;
4. ``purchase_verdict`` (twice): type a latitude and a longitude (an address point of the demo,
   moved up to 150 m) and wait until the page has run again and shows the verdict;
5. ``map_again``: back to the map page (a warm page switch).

With sign-in (``email`` given; the default of :mod:`benchmarks.load.run`), the session first
signs in once, as the browser test does: open the app, click "Logg inn", type the e-mail into the
local OpenID Connect provider's form, click "Authorize", come back and wait until the sidebar
says who is signed in (``sign_in``, timed; one retry).  The loop's later ``page.goto`` calls
keep the context's auth cookie.

Every action is timed from the click or keystroke to the content on screen.  An error is an
action that times out, a Streamlit exception box, the app's error sentence, or a lost
connection.  The context may reach 127.0.0.1 and localhost (the provider) only: every other
request is aborted.
"""

from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlparse

from geoplan.testing.oidc import AUTHORIZE_BUTTON, SUBJECT_FIELD
from geoplan.testing.server import WATCH_RUNS
from geoplan.ui.i18n import t

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
MARKERS = ".marker-cluster, .leaflet-marker-icon, path.leaflet-interactive"
VERDICT = ('[data-testid="stAlertContentSuccess"], [data-testid="stAlertContentWarning"], '
           '[data-testid="stAlertContentError"]')
APP = '[data-testid="stApp"]'
ERROR_SENTENCE = t("error.page", "nb")
ACTIONS = ("sign_in", "map", "concentration", "purchase_page", "purchase_verdict", "map_again")

@dataclass
class Record:
    """The timings and errors of one session: action -> seconds, and (action, message)."""

    timings: dict[str, list[float]] = field(default_factory=lambda: {a: [] for a in ACTIONS})
    errors: list[tuple[str, str]] = field(default_factory=list)
    loops: int = 0


async def _only_localhost(route) -> None:
    host = urlparse(route.request.url).hostname
    if host in ("127.0.0.1", "localhost") or route.request.url.startswith(("data:", "blob:")):
        await route.continue_()
    else:
        await route.abort()


async def _ran_again(page, before: int, timeout_ms: float) -> None:
    """Wait until a script run that started after ``before`` finished runs has finished."""
    await page.wait_for_function(
        f"""() => window.__runs.finished > {before} &&
            document.querySelector('{APP}').getAttribute('data-test-script-state')
              === 'notRunning'""", timeout=timeout_ms)


async def _runs_finished(page) -> int:
    return await page.evaluate("() => window.__runs.finished")


async def _settled(page, timeout_ms: float) -> None:
    """Wait until the app is connected and its script is not running."""
    await page.wait_for_selector(
        f'{APP}[data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]',
        timeout=timeout_ms)


async def _check_page(page) -> None:
    """Raise when the page shows a Streamlit exception or the app's error sentence."""
    if await page.locator('[data-testid="stException"]').count():
        raise RuntimeError("Streamlit exception on the page")
    if await page.get_by_text(ERROR_SENTENCE, exact=False).count():
        raise RuntimeError("the app's error sentence")


async def _markers(page, frame_index: int, timeout_ms: float) -> None:
    frame = page.frame_locator(MAP_FRAME).nth(frame_index)
    await frame.locator(MARKERS).first.wait_for(state="attached", timeout=timeout_ms)


class Session:
    """One user: ``await Session(...).run(browser)`` until the deadline or ``max_loops``."""

    def __init__(self, url: str, points: list[tuple[float, float]], deadline: float,
                 seed: int, timeout: float = 60.0, max_loops: int = 1000,
                 email: str | None = None, role: str = "property_manager"):
        self.url, self.points, self.deadline = url.rstrip("/"), points, deadline
        self.email, self.role = email, role
        self.random = random.Random(seed)
        self.timeout_ms, self.max_loops = timeout * 1000, max_loops
        self.record = Record()

    async def _timed(self, name: str, action) -> bool:
        """Time ``action``; False when it failed (recorded) or the deadline has passed."""
        if time.monotonic() >= self.deadline:  # the run's time is bounded: start nothing new
            return False
        start = time.perf_counter()
        try:
            await action()
            await _check_page(self.page)
        except Exception as exc:  # every failure is counted, and the session goes on
            self.record.errors.append((name, f"{type(exc).__name__}: {str(exc)[:200]}"))
            return False
        self.record.timings[name].append(time.perf_counter() - start)
        return True

    async def _goto_page(self, title_key: str, ready) -> None:
        before = await _runs_finished(self.page)
        title = re.compile(f"{re.escape(t(title_key, 'nb'))}$")  # the icon's name comes first
        await self.page.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).click()
        await _ran_again(self.page, before, self.timeout_ms)
        await ready()

    async def _open(self) -> None:
        await self.page.goto(self.url, wait_until="domcontentloaded", timeout=self.timeout_ms)
        await self.page.wait_for_selector(APP, timeout=self.timeout_ms)
        await self.page.evaluate(WATCH_RUNS)
        await _settled(self.page, self.timeout_ms)
        await _markers(self.page, 0, self.timeout_ms)

    async def _sign_in(self) -> None:
        """Open the app, click "Logg inn", sign in at the provider and come back signed in."""
        button = self.page.get_by_role("button", name=t("signin.button", "nb"))
        await self.page.goto(self.url, wait_until="domcontentloaded", timeout=self.timeout_ms)
        await button.wait_for(timeout=self.timeout_ms)
        await button.click()
        await self.page.get_by_placeholder(SUBJECT_FIELD).fill(self.email)
        await self.page.get_by_role("button", name=AUTHORIZE_BUTTON, exact=True).click()
        await self.page.wait_for_url(f"{self.url}/**", timeout=self.timeout_ms)
        signed_in = t("signin.as", "nb", email=self.email, role=t(f"signin.role.{self.role}", "nb"))
        await self.page.locator('[data-testid="stSidebar"]').get_by_text(signed_in).wait_for(
            timeout=self.timeout_ms)

    async def _verdict(self) -> None:
        lon, lat = self.random.choice(self.points)
        lat += self.random.uniform(-0.00135, 0.00135)  # up to about 150 m
        lon += self.random.uniform(-0.0027, 0.0027)
        inputs = self.page.locator('[data-testid="stNumberInput"] input')
        await inputs.nth(0).fill(f"{lat:.6f}")
        before = await _runs_finished(self.page)
        await inputs.nth(0).press("Tab")  # a run with the new latitude: not timed
        await _ran_again(self.page, before, self.timeout_ms)
        await inputs.nth(1).fill(f"{lon:.6f}")
        before = await _runs_finished(self.page)
        start = time.perf_counter()
        await inputs.nth(1).press("Enter")
        await _ran_again(self.page, before, self.timeout_ms)
        await self.page.locator(VERDICT).first.wait_for(state="visible", timeout=self.timeout_ms)
        self._verdict_seconds = time.perf_counter() - start

    async def _verdict_timed(self) -> bool:
        self._verdict_seconds = None
        if not await self._timed("purchase_verdict", self._verdict):
            return False
        self.record.timings["purchase_verdict"][-1] = self._verdict_seconds  # from Enter
        return True

    async def _loop(self) -> None:
        """One loop; it stops at the first failure (the page's state is then unknown)."""
        steps = (
            ("map", self._open),
            ("concentration", lambda: self._goto_page(
                "page_concentration", lambda: _markers(self.page, 0, self.timeout_ms))),
            ("purchase_page", lambda: self._goto_page(
                "page_purchase", lambda: self.page.locator('[data-testid="stNumberInput"]')
                .first.wait_for(state="visible"))),
        )
        for name, action in steps:
            if not await self._timed(name, action):
                return
        for _ in range(2):
            if not await self._verdict_timed():
                return
        await self._timed("map_again", lambda: self._goto_page(
            "page_map", lambda: _markers(self.page, 0, self.timeout_ms)))

    async def run(self, browser) -> Record:
        context = await browser.new_context(viewport={"width": 1400, "height": 1000})
        await context.route("**/*", _only_localhost)
        self.page = await context.new_page()
        self.page.set_default_timeout(self.timeout_ms)
        try:
            if self.email:  # sign in once (one retry); without it the loop is pointless
                for _ in range(2):
                    if await self._timed("sign_in", self._sign_in):
                        break
                else:
                    return self.record
            while time.monotonic() < self.deadline and self.record.loops < self.max_loops:
                self.record.loops += 1
                await self._loop()  # after a failure the next loop opens the app afresh
        finally:
            await context.close()
        return self.record
