"""App benchmark in Chromium: first markers, page changes, the purchase verdict, 10,000 units and
the national register, each beside a floor measured in the same run.

``python -m benchmarks.bench_map [--json]`` prints the figures; ``run()`` returns them (for
``geoplan bench``).  No asserts: the figures are for reading.  Needs /usr/bin/chromium.

(floor) ``benchmarks/empty_app.py``, a Streamlit app with one title and one button: server start
    to first paint, and a button's round trip (click to new text).  Nothing GeoPlan does can be
    faster than these on the same machine.  Beside them, the time to import the libraries the
    map page needs (:data:`MAP_LIBRARIES`) in a new process: a first map pays both.
(a) the Elverum demo: from spawning the server as ``make run`` does (``python -m streamlit_app``)
    to the first cluster icons, on a database
    with the demo preloaded (as ``make run`` does) and on an empty one (the first-run page's
    button loads the demo; the time includes finding and clicking it).
(b) on the preloaded demo, one browser session: the concentration page (cold, then warm) until its
    choropleth and tables are drawn, the purchase page, a verdict after typing a latitude and
    longitude, back to the map (warm), the language switched, and the map dragged (script runs
    while panning: 0 is the goal).
(c) 10,000 synthetic units: building and rendering the map, its HTML size, first and second
    visit to markers, script runs while panning.
(d) the national register (110,000 units from ``benchmarks/national.py``): the map's HTML size
    and first visit to markers (units counted per grid cell), script runs while panning; then,
    with its 14,000 areas, the purchase page and a verdict after typing a place.
"""

from __future__ import annotations

import re
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from benchmarks.national import National, make
from benchmarks.report import dump, main, ms
from geoplan import service
from geoplan.storage.db import make_engine
from geoplan.testing.data import demo_available, seed_database, synthetic_units
from geoplan.testing.server import APP as SERVED_APP
from geoplan.testing.server import (
    WATCH_RUNS,
    chromium,
    new_page,
    streamlit_server,
    wait_for_markers,
)
from geoplan.ui.i18n import t
from geoplan.ui.mapview import build_map

N_UNITS = 10_000
SEED = 20240
TIMEOUT = 300.0
FLOOR_APP = Path(__file__).resolve().parent / "empty_app.py"
APP = '[data-testid="stApp"]'
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
VERDICT = ('[data-testid="stAlertContentSuccess"], [data-testid="stAlertContentWarning"], '
           '[data-testid="stAlertContentError"]')
# Counts the script runs the page sees (Streamlit's data-test-script-state on the app element).
def _seconds(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _settled(page) -> None:
    page.wait_for_selector(
        f'{APP}[data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]',
        timeout=TIMEOUT * 1000)


def _runs(page) -> int:
    page.evaluate(WATCH_RUNS)
    return int(page.evaluate("() => window.__runs.finished"))


def _ran_again(page, before: int) -> None:
    page.wait_for_function(
        f"""() => window.__runs.finished > {before} && document.querySelector('{APP}')
            .getAttribute('data-test-script-state') === 'notRunning'""", timeout=TIMEOUT * 1000)


def _nav(page, title_key: str, heading_key: str | None = None) -> None:
    """Click a page in the sidebar navigation (its icon's name comes before the title); wait
    until the new page's script has run and, with ``heading_key``, its heading is shown (the
    old page's map and tables must not count as the new page's)."""
    _settled(page)
    before = _runs(page)
    title = re.compile(f"{re.escape(t(title_key, 'nb'))}$")
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).click()
    if heading_key:
        page.locator("h1").filter(has_text=t(heading_key, "nb")).first.wait_for(state="visible")
    _ran_again(page, before)


def _pan_reruns(page, frame_index: int = 0) -> int:
    """Drag the map and zoom it once; return how many script runs that caused."""
    _settled(page)
    before = _runs(page)
    frame = page.locator(MAP_FRAME).nth(frame_index)
    frame.wait_for(state="visible")
    box = frame.bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(cx, cy)
    page.mouse.down()
    page.mouse.move(cx - 150, cy - 80, steps=8)
    page.mouse.up()
    page.mouse.wheel(0, -300)
    page.wait_for_timeout(1500)
    return _runs(page) - before


@contextmanager
def _session(url: str, app: Path = SERVED_APP):
    """A server of ``app`` (GeoPlan's, by default) on ``url`` and a fresh Chromium page."""
    with chromium() as browser, streamlit_server(url, app=app, timeout=TIMEOUT) as server:
        page = new_page(browser, timeout=TIMEOUT)
        yield browser, server, page


def bench_floor(tmp: Path) -> dict:
    """Streamlit's own cost here: start → first paint of a one-line app, a button round trip."""
    with _session(f"sqlite:///{tmp}/floor.sqlite", FLOOR_APP) as (_browser, server, page):
        page.goto(server.url, wait_until="commit")
        page.get_by_text("clicks: 0").wait_for(state="visible")
        first_paint = time.perf_counter() - server.started
        _settled(page)
        rerun = _seconds(lambda: (page.get_by_role("button", name="Again").click(),
                                  page.get_by_text("clicks: 1").wait_for(state="visible")))
    return {"start_to_first_paint_ms": ms(first_paint), "button_round_trip_ms": ms(rerun)}


# The libraries the map page cannot run without, imported in a fresh process after Streamlit
# (which the server has imported before any page runs): a second floor for the first markers.
MAP_LIBRARIES = ("pandas", "geopandas", "sqlalchemy.orm", "folium.plugins",
                 "streamlit_folium")
IMPORT_PROBE = """
import time, streamlit
t0 = time.perf_counter()
import {modules}
print(time.perf_counter() - t0)
"""


def bench_imports(rounds: int = 3) -> dict:
    """The median time to import :data:`MAP_LIBRARIES` in a new process that has imported
    Streamlit: what any page showing a map pays once per server, before its first output."""
    import statistics
    import subprocess
    import sys

    probe = IMPORT_PROBE.format(modules=", ".join(MAP_LIBRARIES))
    times = [float(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                                  check=True).stdout.split()[-1]) for _ in range(rounds)]
    return {"modules": list(MAP_LIBRARIES), "map_libraries_import_ms": ms(statistics.median(times))}


def _preloaded(url: str) -> str:
    """Load the demo into ``url`` (or a demo-sized synthetic register); return what was loaded."""
    engine = make_engine(url)
    try:
        if not demo_available():
            seed_database(engine, synthetic_units(455, seed=SEED))
            return "synthetic 455 (demo loader missing)"
        service.load_demo(engine, service.local_actor())
        return "demo"
    finally:
        engine.dispose()


def bench_demo(tmp: Path, preload: bool = False) -> dict:
    """Time from starting the server to the demo's first visible markers.

    Without ``preload`` the database is empty: the first session sees the first-run page and
    clicks its demo button (older code loaded the demo by itself); with it, the demo is loaded
    first, as ``make run`` does (``geoplan demo``).
    """
    url = f"sqlite:///{tmp}/demo-{'preloaded' if preload else 'fresh'}.sqlite"
    data = _preloaded(url) if preload else "demo"
    total, clicked, shown = start_to_markers(url)
    return {"data": data, "database": "demo preloaded" if preload else "empty",
            "first_run_button": clicked, "start_to_markers_ms": ms(total),
            "marker_elements": shown}


def start_to_markers(url: str, app: Path = SERVED_APP) -> tuple[float, bool, int]:
    """Seconds from starting ``app``'s server on ``url`` to its first visible markers, whether
    the first-run page's demo button was clicked on the way, and how many markers were shown."""
    with _session(url, app) as (_browser, server, page):
        page.goto(server.url, wait_until="commit")
        button = page.get_by_role("button", name=t("setup.demo_button", "nb"))
        page.locator(f"{MAP_FRAME}, {APP} button").first.wait_for(state="attached")
        while not (page.locator(MAP_FRAME).count() or button.count()):
            page.wait_for_timeout(50)  # the first-run page's button, or the map itself
        clicked = button.count() > 0
        if clicked:
            button.click()
        shown = wait_for_markers(page, TIMEOUT)
        total = time.perf_counter() - server.started
    return total, clicked, shown


def bench_pages(tmp: Path) -> dict:
    """One session on the preloaded demo: page changes, the verdict, language, panning."""
    url = f"sqlite:///{tmp}/demo-pages.sqlite"
    _preloaded(url)
    point = _address_point(url)
    out: dict = {}
    with _session(url) as (_browser, server, page):
        page.goto(server.url, wait_until="commit")
        wait_for_markers(page, TIMEOUT)
        _settled(page)
        out["map_pan_zoom_reruns"] = _pan_reruns(page)

        def concentration() -> None:
            _nav(page, "page_concentration", "conc_title")
            page.locator('[data-testid="stMetric"]').first.wait_for(state="visible")
            frame = page.frame_locator(MAP_FRAME).first
            frame.locator("path.leaflet-interactive").first.wait_for(state="attached")
            page.locator('[data-testid="stDataFrame"]').first.wait_for(state="visible")
            _settled(page)

        out["concentration_cold_ms"] = ms(_seconds(concentration))
        _nav(page, "page_map", "map_title")
        wait_for_markers(page, TIMEOUT)
        _settled(page)
        out["concentration_warm_ms"] = ms(_seconds(concentration))
        out["concentration_pan_zoom_reruns"] = _pan_reruns(page)

        out["purchase_page_ms"] = ms(_seconds(lambda: _open_purchase(page)))
        out["purchase_verdict_ms"] = ms(_verdict(page, point))
        out["purchase_pan_zoom_reruns"] = _pan_reruns(page)

        def back_to_map() -> None:
            _nav(page, "page_map", "map_title")
            wait_for_markers(page, TIMEOUT)
            _settled(page)

        out["map_warm_ms"] = ms(_seconds(back_to_map))

        def to_english() -> None:
            before = _runs(page)
            page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
            page.get_by_role("option", name="English").click()
            _ran_again(page, before)
            page.get_by_text(t("map_title", "en")).wait_for(state="visible")
            wait_for_markers(page, TIMEOUT)

        out["language_switch_ms"] = ms(_seconds(to_english))
    return out


def _address_point(url: str) -> tuple[float, float]:
    """A demo unit's place (lon, lat): a point the purchase test evaluates."""
    from geoplan.crs import to_display

    engine = make_engine(url)
    try:
        units = service.units(engine)
    finally:
        engine.dispose()
    lon, lat = to_display(units["x"].to_numpy(float)[:1] + 40.0, units["y"].to_numpy(float)[:1])
    return float(lon[0]), float(lat[0])


def _open_purchase(page) -> None:
    """Go to the purchase page and wait until it is shown (:func:`_purchase_shown`)."""
    _nav(page, "page_purchase")
    _purchase_shown(page)


def _purchase_shown(page) -> None:
    """Wait until the purchase page's single test and its map's markers are shown and the
    script has finished."""
    page.get_by_text(t("purchase.one", "nb")).first.wait_for(state="visible")
    wait_for_markers(page, TIMEOUT)
    _settled(page)


def _verdict(page, point: tuple[float, float]) -> float:
    """Type ``point`` (lon, lat) into the purchase page's coordinate field; return the seconds
    from pressing Enter to the verdict on the page."""
    lon, lat = point
    coords = page.get_by_label(t("purchase.coords", "nb"), exact=True).first
    coords.fill(f"{lat:.6f} {lon:.6f}".replace(".", ","))
    before = _runs(page)

    def verdict() -> None:
        coords.press("Enter")
        _ran_again(page, before)
        page.locator(VERDICT).first.wait_for(state="visible")

    return _seconds(verdict)


def visits(url: str, app: Path = SERVED_APP) -> dict:
    """Open ``app``'s map twice (cold, then warm caches) and pan it; the times and reruns."""
    with chromium() as browser, streamlit_server(url, app=app, timeout=TIMEOUT) as server:
        page = new_page(browser, timeout=TIMEOUT)
        t0 = time.perf_counter()
        page.goto(server.url, wait_until="commit")
        shown = wait_for_markers(page, TIMEOUT)
        first = time.perf_counter() - t0
        reruns = _pan_reruns(page)
        page.close()
        page = new_page(browser, timeout=TIMEOUT)  # a second visitor: the server's caches are warm
        t0 = time.perf_counter()
        page.goto(server.url, wait_until="commit")
        wait_for_markers(page, TIMEOUT)
        warm = time.perf_counter() - t0
        out = {"browser_first_load_to_markers_ms": ms(first),
               "browser_second_visit_to_markers_ms": ms(warm), "pan_zoom_reruns": reruns,
               "marker_elements": shown}
    return out


def _map_figures(units, types) -> dict:
    t0 = time.perf_counter()
    m = build_map(units, None, types)
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    page_html = m.get_root().render()
    render = time.perf_counter() - t0
    return {"build_map_ms": ms(build), "render_html_ms": ms(render),
            "html_bytes": len(page_html.encode())}


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
    return {"units": n, "insert_ms": ms(insert), "load_units_ms": ms(load),
            **_map_figures(units, types), **visits(url)}


def national_records(data: National) -> list[dict]:
    """The national data set's units as register rows (``benchmarks/national.py``)."""
    from geoplan.testing.data import unit_record
    from geoplan.unit_fields import REGISTER_FIELDS

    units = data.units
    base = unit_record("x", 11.0, 60.0)
    rows = []
    for rec in units.drop(columns="geometry").to_dict("records"):
        row = {**base, **{k: v for k, v in rec.items() if k in REGISTER_FIELDS}}
        row["place"] = "Norge"
        rows.append(row)
    return rows


def bench_national(tmp: Path) -> dict:
    """The national register (110,000 units) on the map page: HTML size, first paint, panning."""
    url = f"sqlite:///{tmp}/national.sqlite"
    engine = make_engine(url)
    t0 = time.perf_counter()
    data = make()  # made once per run, for both databases
    seed_database(engine, national_records(data))
    insert = time.perf_counter() - t0
    units = service.units(engine)
    types = service.unit_types(engine)
    engine.dispose()
    return {"units": len(units), "insert_ms": ms(insert), **_map_figures(units, types),
            **visits(url), **_guarded(bench_national_verdict, tmp, data)}


def bench_national_verdict(tmp: Path, data: National) -> dict:
    """The national register with its 14,000 areas (``grunnkrets``): open the purchase page at
    its own URL, then time a verdict after typing a place near a unit."""
    url = f"sqlite:///{tmp}/national-areas.sqlite"
    engine = make_engine(url)
    seed_database(engine, national_records(data), {"grunnkrets": data.areas})
    engine.dispose()
    point = _address_point(url)
    with chromium() as browser, streamlit_server(url, timeout=TIMEOUT) as server:
        page = new_page(browser, timeout=TIMEOUT)
        t0 = time.perf_counter()
        page.goto(f"{server.url}/kjopstest", wait_until="commit")
        _purchase_shown(page)
        opened = time.perf_counter() - t0
        return {"purchase_page_first_visit_ms": ms(opened),
                "purchase_verdict_ms": ms(_verdict(page, point))}


def goals(r: dict) -> list[dict]:
    """The issue's goals table: each figure beside its goal and the floor measured in this run."""
    floor, pages = r["floor"], r["pages"]
    paint, trip = floor["start_to_first_paint_ms"], floor["button_round_trip_ms"]
    libraries = floor.get("map_libraries_import_ms")
    rows = [
        ("demo preloaded: server start → first markers", "≤ 3000 ms",
         r["demo_preloaded"]["start_to_markers_ms"],
         "empty app: start → first paint, + importing the map's libraries",
         [paint, libraries]),
        ("demo, empty database: start → first-run button → markers", "≤ 5000 ms",
         r["demo_empty_db"]["start_to_markers_ms"], "empty app: start → first paint", paint),
        ("changing pages, warm: concentration → map markers", "≤ 1000 ms",
         pages.get("map_warm_ms"), "empty app: button round trip", trip),
        ("concentration page, cold: choropleth and tables drawn", "≤ 3000 ms",
         pages.get("concentration_cold_ms"), "empty app: button round trip", trip),
        ("purchase verdict after typing a place (demo)", "≤ 1000 ms",
         pages.get("purchase_verdict_ms"), "empty app: button round trip", trip),
        ("switching language (map page, to markers)", "nothing expensive re-runs",
         pages.get("language_switch_ms"), "empty app: button round trip", trip),
        ("panning and zooming: script runs (map, concentration, purchase)", "0",
         [pages.get("map_pan_zoom_reruns"), pages.get("concentration_pan_zoom_reruns"),
          pages.get("purchase_pan_zoom_reruns")], "-", None),
        ("10,000 units: map HTML", "≤ 1,500,000 bytes", r["large"]["html_bytes"], "-", None),
        ("10,000 units: first visit → markers", "≤ 3000 ms",
         r["large"]["browser_first_load_to_markers_ms"], "empty app: start → first paint", paint),
        ("10,000 units: second visit → markers", "≤ 2000 ms",
         r["large"]["browser_second_visit_to_markers_ms"], "empty app: button round trip", trip),
        ("national, 110,000 units: first visit → markers", "≤ 5000 ms",
         r["national"]["browser_first_load_to_markers_ms"], "empty app: start → first paint",
         paint),
        ("national: purchase verdict after typing a place", "≤ 2000 ms",
         r["national"].get("purchase_verdict_ms"), "empty app: button round trip", trip),
        ("national: map HTML", "usable", r["national"]["html_bytes"], "-", None),
        ("national: script runs while panning", "0", r["national"]["pan_zoom_reruns"], "-", None),
    ]
    return [{"what": w, "goal": g, "measured": m, "anchor": a, "anchor_value": v}
            for w, g, m, a, v in rows]


def run(json: bool = False) -> dict:
    """Run every part and return the figures; with ``json``, also print them as JSON.  GeoPlan's
    bytecode is compiled first, as ``make run`` does (:func:`streamlit_app.serve.compile_bytecode`)."""
    from streamlit_app.serve import compile_bytecode

    load_before = _load()
    compile_bytecode()
    with tempfile.TemporaryDirectory() as tmp:
        result = {"load_before": load_before, "floor": {**bench_floor(Path(tmp)), **bench_imports()},
                  "demo_preloaded": bench_demo(Path(tmp), preload=True),
                  "demo_empty_db": bench_demo(Path(tmp)),
                  "pages": _guarded(bench_pages, Path(tmp)),
                  "large": bench_large(Path(tmp)),
                  "national": bench_national(Path(tmp))}
    result["load_after"] = _load()
    result["goals"] = goals(result)
    if json:
        dump(result)
    return result


def _guarded(fn, *args) -> dict:
    """Run one part; a failure is reported as a figure instead of ending the whole run."""
    try:
        return fn(*args)
    except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not stop
        return {"error": f"{type(exc).__name__}: {str(exc)[:300]}"}


def _load() -> list[float]:
    """The machine's load average (1, 5, 15 minutes), printed beside the figures."""
    import os

    return [round(v, 2) for v in os.getloadavg()]


if __name__ == "__main__":
    main(run, __doc__)
