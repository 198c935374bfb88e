"""Page benchmark: the concentration page on the demo, and what switching language costs.

``python -m benchmarks.bench_pages [--json]`` prints the figures; ``run()`` returns them (for
``geoplan bench``).  No asserts: the figures are for reading.

Streamlit's AppTest runs the real app script in this process against a copy of the demo
database: (1) open the app and switch to the concentration page (cold caches: the analysis
runs), (2) run the page again (warm), (3) switch the sidebar language to English and run it,
(4) switch back.  Before issue 7 the cached analysis was keyed on the language, so (3) re-ran
the whole analysis; now it should cost what (2) costs.  The reference in the same run is
``analysis_ms``: one uncached ``concentration`` call through the service, the work a language
switch used to repeat.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from benchmarks.report import dump, main, ms

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 180


def _page_path() -> str:
    """The concentration page's script (streamlit_app/pages since issue 7, pages/ before)."""
    for candidate in ("streamlit_app/pages/concentration.py", "pages/concentration.py"):
        if (ROOT / candidate).exists():
            return candidate
    raise FileNotFoundError("no concentration page script")


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run(json: bool = False) -> dict:
    """Measure the concentration page's runs on the demo; with ``json``, also print them."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from geoplan.demo.load import load_demo
    from geoplan.storage.db import get_engine, make_engine

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/demo.sqlite"
        engine = make_engine(url)
        load_demo(engine)
        old = os.environ.get("GEOPLAN_DATABASE_URL")
        os.environ["GEOPLAN_DATABASE_URL"] = url
        get_engine.cache_clear()
        st.cache_data.clear()
        st.cache_resource.clear()
        try:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
            app_start = _timed(lambda: at.run(timeout=TIMEOUT))
            page = _page_path()
            cold = _timed(lambda: at.switch_page(page).run(timeout=TIMEOUT))
            warm = _timed(lambda: at.run(timeout=TIMEOUT))
            to_en = _timed(lambda: at.sidebar.selectbox(key="lang").set_value("en")
                           .run(timeout=TIMEOUT))
            errors = [e.message for e in at.exception]
            english_title = at.title[0].value if at.title else ""
            to_nb = _timed(lambda: at.sidebar.selectbox(key="lang").set_value("nb")
                           .run(timeout=TIMEOUT))
            analysis = _analysis_seconds(engine)
        finally:
            if old is None:
                os.environ.pop("GEOPLAN_DATABASE_URL", None)
            else:
                os.environ["GEOPLAN_DATABASE_URL"] = old
            get_engine.cache_clear()
            engine.dispose()
    result = {"concentration_page": {
        "app_first_run_ms": ms(app_start), "page_cold_ms": ms(cold), "page_warm_ms": ms(warm),
        "switch_to_english_ms": ms(to_en), "switch_back_to_bokmal_ms": ms(to_nb),
        "analysis_ms": ms(analysis), "english_title": english_title, "errors": errors,
    }}
    if json:
        dump(result)
    return result


def _analysis_seconds(engine) -> float:
    """One uncached concentration analysis on the demo, through whichever API this tree has."""
    from geoplan import service

    if hasattr(service, "concentration_result"):
        return _timed(lambda: service.concentration_result(engine))
    from geoplan.service.concentration import concentration  # before issue 7: it took lang

    return _timed(lambda: concentration(engine, None, None, "en"))


if __name__ == "__main__":
    main(run, __doc__)
