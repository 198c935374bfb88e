"""Import the other pages' heavy libraries once per server, after the first page is drawn.

The map page needs none of them, so its first run does not wait for them; the concentration page
then finds libpysal (about a second to import here) and plotly already imported.  The imports run
in one daemon thread per server process; Python's import locks make a page that imports the same
module at the same moment wait for it instead of importing it twice.
"""

from __future__ import annotations

import importlib
import logging
import threading
import time

HEAVY: tuple[str, ...] = ("libpysal.weights", "plotly.graph_objects", "plotly.subplots")
DELAY_S = 0.5  # seconds after the first page ran (its map files were preloaded; 2 s made the
# concentration page, opened a few seconds later, import libpysal itself: 3.3-3.6 s against 2.5-2.7 s)

_lock = threading.Lock()
_started = False
log = logging.getLogger(__name__)


def start() -> bool:
    """Start importing :data:`HEAVY` in the background; True the first time, else False."""
    global _started
    with _lock:
        if _started:
            return False
        _started = True
    threading.Thread(target=_import_all, name="geoplan-warmup", daemon=True).start()
    return True


def _import_all() -> None:
    time.sleep(DELAY_S)  # let the browser fetch the map's files first (the imports hold the GIL)
    for name in HEAVY:
        try:
            importlib.import_module(name)
        except Exception:  # a missing extra only means the page imports (and fails) itself
            log.warning("warm-up could not import %s", name, exc_info=True)
