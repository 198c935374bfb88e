"""Import the app's heavy libraries ahead of the pages that need them, once per server.

Two moments:

* :func:`at_server_start` (called by ``python -m streamlit_app``, see :mod:`streamlit_app.serve`):
  once Streamlit's runtime has started (the server is about to answer), import what the first
  page's first run needs (:data:`FIRST_PAGE`: the shell with the service, pandas and
  SQLAlchemy; folium; the map page's own modules), while the first browser is still loading
  Streamlit's page (about 0.7 s here).  Without it the first run imports them itself (about
  1.4 s) before the map page can show anything.  Then it fills the caches a first visit to the
  map reads (:func:`prepare_first_map`).  Every script run begins with :func:`wait`
  (``app.py``): a run that starts before these imports are done waits for them, so no module is
  ever imported by two threads at once.
* :func:`start` (called by the map page once drawn): the other pages' libraries (:data:`HEAVY`);
  the map page needs none of them, so its first run does not wait for them, and the
  concentration page then finds libpysal (about a second to import here) and plotly imported.

The imports run in daemon threads.  :data:`HEAVY`'s may meet a page importing the same module;
Python's import locks then make one wait for the other.  A failed import is only logged: the page
that needs the module imports it (and reports the failure) itself.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import logging
import sys
import threading
import time

# Not streamlit_folium: importing it declares its component, and Streamlit registers a component
# only when it is declared during a script run (map_preload imports it on the first run).  The
# default database's dialect, SQLite (a PostgreSQL engine is made by prepare_first_map).
FIRST_PAGE: tuple[str, ...] = (
    "streamlit_app.shell", "geoplan.storage.repo", "sqlalchemy.dialects.sqlite",
    "geoplan.service.setup",
    "geoplan.service.register", "geoplan.service.accounts", "geoplan.service.access",
    "geoplan.service.database", "geoplan.service.systems",
    "folium.plugins", "geoplan.ui.mapview", "geoplan.ui.unit_table", "streamlit_app.map_cache",
    "streamlit_app.widgets",
)
HEAVY: tuple[str, ...] = ("libpysal.weights", "plotly.graph_objects", "plotly.subplots")
DELAY_S = 0.5  # seconds after the first page ran (its map files were preloaded; 2 s made the
# concentration page, opened a few seconds later, import libpysal itself: 3.3-3.6 s against 2.5-2.7 s)
SERVING_POLL_S = 0.02  # how often the start-up warm-up looks whether the server runs yet
SERVING_WAIT_S = 120.0  # and when it stops looking (a server that never started)

WAIT_S = 60.0  # the longest a script run waits for the start-up imports

_lock = threading.Lock()
_started = False
_first_page_done = threading.Event()
_first_page_done.set()  # no start-up warm-up (a plain `streamlit run app.py`): nothing to wait for
log = logging.getLogger(__name__)


def start() -> bool:
    """Start importing :data:`HEAVY` in the background; True the first time, else False."""
    global _started
    with _lock:
        if _started:
            return False
        _started = True
    threading.Thread(target=_import_heavy, name="geoplan-warmup", daemon=True).start()
    return True


def at_server_start() -> threading.Thread:
    """Import :data:`FIRST_PAGE` in a daemon thread as soon as Streamlit's runtime has started;
    return the thread (it gives up after :data:`SERVING_WAIT_S` without a runtime)."""
    _first_page_done.clear()
    thread = threading.Thread(target=_import_first_page, name="geoplan-warmup-start", daemon=True)
    thread.start()
    return thread


def wait(timeout: float = WAIT_S) -> bool:
    """Wait until the start-up imports are done (at once when there are none); False when
    ``timeout`` seconds passed first (the run then goes on and imports what it needs)."""
    return _first_page_done.wait(timeout)


def serving() -> bool:
    """True once Streamlit's runtime exists and has started (it then answers the browser)."""
    from streamlit.runtime import Runtime, RuntimeState

    return Runtime.exists() and Runtime.instance().state not in (
        RuntimeState.INITIAL, RuntimeState.STOPPING, RuntimeState.STOPPED)


def _import_first_page() -> None:
    try:
        deadline = time.monotonic() + SERVING_WAIT_S
        while not serving():
            if time.monotonic() > deadline:
                return
            time.sleep(SERVING_POLL_S)
        import_all(FIRST_PAGE)
        # Streamlit finds a component's module with inspect.getmodule, which walks every module
        # it has not seen yet (about 1,600 now, 0.05 s): walk them here, not in the first run.
        inspect.getmodule(sys._getframe())
        prepare_first_map()
    except Exception:  # noqa: BLE001 - the first run then does the rest itself
        log.warning("start-up warm-up stopped", exc_info=True)
    finally:
        _first_page_done.set()


def prepare_first_map() -> bool:
    """Fill the caches the map page reads on a first visit (the engine, the register, its
    areas, the unit layer without filters, in bokmål), as a first visitor would; False when
    there is no map to show (the public instance, an empty register).

    The same cached functions and keys as the page (:func:`streamlit_app.map_cache.key`):
    nothing here depends on who asks, and a register changed in between has a new data version,
    so the page then makes its own."""
    from geoplan import service
    from geoplan.ui.i18n import DEFAULT_LANG
    from streamlit_app import loaders, map_cache

    if service.public_mode():
        return False
    url, version, today = loaders.db_url(), loaders.version(), dt.date.today()
    if loaders.units(url, version, today).empty:
        return False
    loaders.municipality(url, version)
    system = service.preferred_system(loaders.area_systems(url, version))
    if system:
        loaders.areas(url, version, system)
    map_cache.markers(*map_cache.key(url, version, today, DEFAULT_LANG))
    return True


def _import_heavy() -> None:
    time.sleep(DELAY_S)  # let the browser fetch the map's files first (the imports hold the GIL)
    import_all(HEAVY)


def import_all(names: tuple[str, ...]) -> None:
    """Import ``names`` in order; log (and skip) one that fails."""
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # a missing extra only means the page imports (and fails) itself
            log.warning("warm-up could not import %s", name, exc_info=True)
