"""Map benchmark: time to first markers on the demo, and the map with 10,000 units.

``python -m benchmarks.bench_map [--json]`` prints the figures; ``run()`` returns them (for
``geoplan bench``).  No asserts: the figures are for reading.  Needs /usr/bin/chromium.

(a) demo: from spawning ``streamlit run`` on a fresh temporary database (so including migrations
    and the demo load on the first session) to the first cluster icons visible in Chromium.
(b) 10,000 synthetic units around Elverum, inserted through ``repo.upsert_units``: the time to
    build the folium map and render its HTML, the HTML's size, and the time from opening the
    page to visible markers (first visit, then a second visit with warm caches).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks.report import dump, main, ms
from geoplan import service
from geoplan.storage.db import make_engine
from geoplan.testing.data import demo_available, seed_database, synthetic_units
from geoplan.testing.server import chromium, new_page, open_map, streamlit_server
from geoplan.ui.mapview import build_map

N_UNITS = 10_000
SEED = 20240


def bench_demo(tmp: Path, preload: bool = False) -> dict:
    """Time from starting the server to the demo's first visible markers.

    Without ``preload`` the database is empty, so the first session runs the migrations and
    loads the demo; with it, the demo is loaded first, as ``make run`` does (``geoplan demo``).
    """
    url = f"sqlite:///{tmp}/demo-{'preloaded' if preload else 'fresh'}.sqlite"
    data = "demo"
    if not demo_available():  # fall back to a demo-sized synthetic register
        engine = make_engine(url)
        seed_database(engine, synthetic_units(455, seed=SEED))
        engine.dispose()
        data = "synthetic 455 (demo loader missing)"
    elif preload:
        engine = make_engine(url)
        service.load_demo(engine, service.local_actor())
        engine.dispose()
    with chromium() as browser, streamlit_server(url) as server:
        healthy = time.perf_counter() - server.started
        page = new_page(browser, timeout=180)
        shown = open_map(page, server, timeout=180)
        total = time.perf_counter() - server.started
    return {"data": data, "database": "demo preloaded" if preload else "empty",
            "server_healthy_ms": ms(healthy), "start_to_markers_ms": ms(total),
            "marker_elements": shown}


def bench_large(tmp: Path, n: int = N_UNITS) -> dict:
    """Build and render the map of ``n`` synthetic units, then time Chromium showing it."""
    url = f"sqlite:///{tmp}/large.sqlite"
    engine = make_engine(url)
    t0 = time.perf_counter()
    seed_database(engine, synthetic_units(n, seed=SEED))
    insert = time.perf_counter() - t0
    t0 = time.perf_counter()
    units = service.units(engine)
    load = time.perf_counter() - t0
    types = service.unit_types(engine)
    engine.dispose()

    t0 = time.perf_counter()
    m = build_map(units, None, types)
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    page_html = m.get_root().render()
    render = time.perf_counter() - t0

    with chromium() as browser, streamlit_server(url) as server:
        page = new_page(browser, timeout=300)
        t0 = time.perf_counter()
        shown = open_map(page, server, timeout=300)
        first = time.perf_counter() - t0
        page.close()
        page = new_page(browser, timeout=300)  # a second visitor: the server's caches are warm
        t0 = time.perf_counter()
        open_map(page, server, timeout=300)
        warm = time.perf_counter() - t0
    return {
        "units": n, "insert_ms": ms(insert), "load_units_ms": ms(load),
        "build_map_ms": ms(build), "render_html_ms": ms(render),
        "html_bytes": len(page_html.encode()), "browser_first_load_to_markers_ms": ms(first),
        "browser_second_visit_to_markers_ms": ms(warm), "marker_elements": shown,
    }


def run(json: bool = False) -> dict:
    """Run both benchmarks and return the figures; with ``json``, also print them as JSON."""
    with tempfile.TemporaryDirectory() as tmp:
        result = {"demo_empty_db": bench_demo(Path(tmp)),
                  "demo_preloaded": bench_demo(Path(tmp), preload=True),
                  "large": bench_large(Path(tmp))}
    if json:
        dump(result)
    return result


if __name__ == "__main__":
    main(run, __doc__)
