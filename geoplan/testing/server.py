"""Run the Streamlit app in a subprocess and drive it with Playwright's Chromium.

Shared by ``tests/test_browser.py`` and ``benchmarks/bench_map.py``.  Playwright is a test
dependency, imported only inside the functions that need it.  :func:`streamlit_server` takes
the listening address and the secrets (``[auth]`` for sign-in, see :mod:`geoplan.testing.oidc`).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from geoplan.config import PROJECT_DIR

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
)
APP = PROJECT_DIR / "app.py"
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
# Cluster icons, plain markers, and circle markers drawn as SVG paths.
MARKERS = ".marker-cluster, .leaflet-marker-icon, path.leaflet-interactive"


@dataclass
class Server:
    """A running app server process: its URL, when it was spawned and its log file."""

    url: str
    process: subprocess.Popen
    started: float
    log: Path

    def log_tail(self, n: int = 40) -> str:
        """Return the last ``n`` lines the server printed."""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])


def free_port() -> int:
    """Return a TCP port on the loopback interface that is free right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(server: Server, timeout: float = 60.0) -> float:
    """Wait until the server's health endpoint answers; return the seconds since it was spawned."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return time.perf_counter() - server.started
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"streamlit not healthy after {timeout} s:\n{server.log_tail()}")


def secrets_toml(secrets: Mapping[str, Mapping[str, str]]) -> str:
    """``{"auth": {"client_id": "x", …}}`` as TOML: one table per key, string values only."""
    lines = []
    for table, values in secrets.items():
        lines.append(f"[{table}]")
        lines += [f"{k} = {json.dumps(str(v))}" for k, v in values.items()]
        lines.append("")
    return "\n".join(lines)


def is_geoplan_app(app: Path) -> bool:
    """True for the ``app.py`` of a GeoPlan checkout (its launcher, ``streamlit_app``, beside it)."""
    return app.name == "app.py" and (app.parent / "streamlit_app" / "__main__.py").is_file()


@contextmanager
def streamlit_server(
    database_url: str, app: Path = APP, port: int | None = None, timeout: float = 60.0,
    env: Mapping[str, str] | None = None, address: str = "127.0.0.1",
    secrets: Mapping[str, Mapping[str, str]] | None = None,
) -> Iterator[Server]:
    """Start ``app`` on ``database_url``, wait until healthy, stop it on exit.

    ``env`` adds variables to the server's environment (e.g. ``{"GEOPLAN_PUBLIC": "1"}``).
    ``address`` is ``server.address`` (``"0.0.0.0"`` listens on every interface; the URL is
    always the loopback one).  ``secrets`` are the server's only secrets (e.g. the ``[auth]``
    section, with ``{port}`` in ``redirect_uri`` filled in by Streamlit); without them it has
    none: a developer's own ``.streamlit/secrets.toml`` is never read.
    """
    port = port or free_port()
    env = {**os.environ, **(env or {}), "GEOPLAN_DATABASE_URL": database_url}
    folder = Path(tempfile.mkdtemp(prefix="streamlit-"))
    secrets_file = folder / "secrets.toml"
    if secrets is not None:
        secrets_file.write_text(secrets_toml(secrets), encoding="utf-8")
    # GeoPlan's app (this checkout's, or another's such as a worktree of an older commit) starts
    # as `make run` starts it (``python -m streamlit_app`` from its folder, which imports the first
    # page's libraries while the browser loads); any other app with `streamlit run`.
    launcher = (["-m", "streamlit_app"] if is_geoplan_app(app)
                else ["-m", "streamlit", "run", str(app)])
    cmd = [
        sys.executable, *launcher,
        "--server.headless", "true", "--server.port", str(port),
        "--server.address", address, "--server.enableStaticServing", "true",
        "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
        "--secrets.files", str(secrets_file),
    ]
    log = folder / "streamlit.log"
    with log.open("wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(cmd, cwd=app.parent, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(f"http://127.0.0.1:{port}", process, started, log)
    try:
        wait_healthy(server, timeout)
        yield server
    finally:
        _stop(process)
        shutil.rmtree(folder, ignore_errors=True)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)  # the session started for this process only
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


@contextmanager
def chromium(executable: Path = CHROMIUM) -> Iterator[Browser]:
    """Launch headless Chromium (the system build) through Playwright and close it on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(executable), args=list(CHROMIUM_ARGS))
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser: Browser, width: int = 1400, height: int = 1000,
             timeout: float = 60.0) -> Page:
    """Return a new page with a desktop-sized viewport and a default timeout in seconds."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(timeout * 1000)
    return page


# A page script: counts in the page (window.__runs) how often the Streamlit script started and
# finished running (for "has run again"); evaluate it once per page.
WATCH_RUNS = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  window.__runs = window.__runs || {started: 0, finished: 0};
  if (window.__watching) return;
  window.__watching = true;
  let last = app.getAttribute('data-test-script-state');
  new MutationObserver(() => {
    const now = app.getAttribute('data-test-script-state');
    if (now === last) return;
    if (now === 'running') window.__runs.started += 1;
    if (last === 'running') window.__runs.finished += 1;
    last = now;
  }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}
"""


def wait_for_markers(page: Page, timeout: float = 120.0) -> int:
    """Wait until the map iframe shows cluster icons or markers; return how many are visible."""
    visible = page.frame_locator(MAP_FRAME).locator(MARKERS).filter(visible=True)
    deadline = time.monotonic() + timeout
    while True:  # count all visible markers: waiting on `.first` can stick to a hidden one
        shown = visible.count()
        if shown:
            return shown
        if time.monotonic() > deadline:
            raise TimeoutError(f"no visible map markers after {timeout} s")
        page.wait_for_timeout(50)


def open_map(page: Page, server: Server, timeout: float = 120.0) -> int:
    """Open the app's map page and wait for its markers; return how many are shown."""
    page.goto(server.url, wait_until="domcontentloaded", timeout=timeout * 1000)
    return wait_for_markers(page, timeout)
