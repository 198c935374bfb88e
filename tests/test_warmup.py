"""The server's head start (streamlit_app.warmup, streamlit_app.serve): what it imports, that
the first run then imports nothing of it again, and how the launcher starts Streamlit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

from geoplan import service
from geoplan.config import PROJECT_DIR
from geoplan.storage.db import make_engine
from streamlit_app import serve, warmup

# The libraries FIRST_PAGE warms (and GeoPlan itself): none of their modules may be left for
# the first run to import.
WARMED = {"geoplan", "streamlit_app", "sqlalchemy", "pandas", "geopandas",
          "numpy", "shapely", "pyproj", "folium", "branca", "jinja2", "rapidfuzz", "requests"}

FIRST_RUN = """
import json, sys
from streamlit.testing.v1 import AppTest
from streamlit_app import warmup
warmup.DELAY_S = 3600  # the map page's later warm-up of the other pages stays out of the count
warmup.import_all(warmup.FIRST_PAGE)
before = set(sys.modules)
at = AppTest.from_file(sys.argv[1], default_timeout=120).run()
print(json.dumps({"new": sorted(set(sys.modules) - before), "title": [t.value for t in at.title],
                  "errors": [str(e.value) for e in at.exception],
                  "geoalchemy2": "geoalchemy2" in sys.modules}))
"""


def test_the_first_map_run_imports_nothing_the_warm_up_covers(tmp_path):
    """After FIRST_PAGE's imports, the app's first run (the map page, on the demo) imports no
    module of the warmed libraries: only streamlit-folium (which must be imported in a script
    run) and a few small modules of Streamlit and the standard library."""
    url = f"sqlite:///{tmp_path}/demo.sqlite"
    engine = make_engine(url)
    service.load_demo(engine, service.local_actor())
    engine.dispose()
    env = {**os.environ, "GEOPLAN_DATABASE_URL": url}
    out = subprocess.run([sys.executable, "-c", FIRST_RUN, str(PROJECT_DIR / "app.py")],
                         capture_output=True, text=True, env=env, cwd=PROJECT_DIR, check=True,
                         timeout=300)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["errors"] == []
    assert result["title"] == ["Kart over kommunalt disponerte boliger"]
    assert "streamlit_folium" in result["new"]  # the run drew the map
    left = [m for m in result["new"] if m.split(".")[0] in WARMED]
    assert left == []
    assert result["geoalchemy2"] is False  # needed on PostgreSQL only (storage.geometry)


def test_the_warm_up_never_imports_streamlit_folium():
    """Importing streamlit_folium declares its component, which Streamlit registers only in a
    script run: warmed up front, the map's frame would never load."""
    assert not any(name.split(".")[0] == "streamlit_folium" for name in warmup.FIRST_PAGE)


def test_the_start_up_warm_up_waits_for_the_server_and_gives_up(monkeypatch):
    """Without a running Streamlit runtime (as here) nothing is imported, and the thread ends
    once SERVING_WAIT_S has passed."""
    imported: list[tuple[str, ...]] = []
    monkeypatch.setattr(warmup, "import_all", imported.append)
    monkeypatch.setattr(warmup, "SERVING_WAIT_S", 0.1)
    assert not warmup.serving()
    thread = warmup.at_server_start()
    assert isinstance(thread, threading.Thread) and thread.daemon
    thread.join(5)
    assert not thread.is_alive() and imported == []


def test_the_start_up_warm_up_imports_the_first_page_once_serving(monkeypatch):
    """Once the runtime serves, FIRST_PAGE is imported, in its order, by the thread."""
    imported: list[tuple[str, ...]] = []
    monkeypatch.setattr(warmup, "import_all", imported.append)
    monkeypatch.setattr(warmup, "serving", lambda: True)
    warmup.at_server_start().join(5)
    assert imported == [warmup.FIRST_PAGE]


def test_a_failed_warm_up_import_is_logged_and_skipped(caplog):
    """A module that cannot be imported is logged; the next one is still imported."""
    sys.modules.pop("json.tool", None)
    warmup.import_all(("geoplan_no_such_module", "json.tool"))
    assert "json.tool" in sys.modules
    assert "geoplan_no_such_module" in caplog.text


def test_a_run_waits_for_the_start_up_imports(monkeypatch):
    """app.py's first line: with no start-up warm-up it goes on at once; while one runs it
    waits until the imports are done (or its timeout)."""
    assert warmup.wait(0)
    gate = threading.Event()
    monkeypatch.setattr(warmup, "serving", lambda: True)
    monkeypatch.setattr(warmup, "import_all", lambda names: gate.wait(5))
    thread = warmup.at_server_start()
    assert not warmup.wait(0.05)  # still importing
    gate.set()
    assert warmup.wait(5)
    thread.join(5)


def test_the_launcher_runs_the_app_with_the_options_given():
    """``python -m streamlit_app OPTIONS`` is ``streamlit run app.py OPTIONS`` (every browser
    test starts the app this way, through geoplan.testing.server)."""
    assert serve.APP == PROJECT_DIR / "app.py" and serve.APP.is_file()
    assert serve.command(["--server.port", "8600"]) == [
        "run", str(PROJECT_DIR / "app.py"), "--server.port", "8600"]


def test_no_installed_package_holds_a_component_of_streamlits_second_kind(monkeypatch):
    """The launcher skips Streamlit's start-up scan for v2 components: right only while no
    installed package has one (as Streamlit's own scan finds here)."""
    from streamlit.components.v2 import component_manager
    from streamlit.components.v2.manifest_scanner import scan_component_manifests

    assert scan_component_manifests() == []
    manager = component_manager.BidiComponentManager
    monkeypatch.setattr(manager, "discover_and_register_components",
                        manager.discover_and_register_components)
    assert serve.skip_component_scan()
    assert manager.discover_and_register_components is serve._no_components


def test_the_first_map_finds_the_caches_the_warm_up_filled(demo_copy, app_uses, monkeypatch):
    """prepare_first_map makes the unit layer once; the map page's first run then reads it
    from the cache (the same key), and makes no layer of its own."""
    from streamlit.testing.v1 import AppTest

    from streamlit_app import map_cache

    app_uses(demo_copy)
    made: list[int] = []
    layer = map_cache.marker_layer

    def counted(*args, **kwargs):
        made.append(1)
        return layer(*args, **kwargs)

    monkeypatch.setattr(map_cache, "marker_layer", counted)
    assert warmup.prepare_first_map()
    assert made == [1]
    at = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=120).run()
    assert not at.exception and at.title[0].value == "Kart over kommunalt disponerte boliger"
    assert made == [1]


def test_nothing_is_prepared_for_an_empty_register_or_the_public_instance(
        tmp_path, app_uses, monkeypatch):
    """An empty database has no map to prepare; the public instance shows no unit map."""
    app_uses(f"sqlite:///{tmp_path}/empty.sqlite")
    assert warmup.prepare_first_map() is False
    monkeypatch.setenv("GEOPLAN_PUBLIC", "1")
    assert warmup.prepare_first_map() is False


def test_the_launcher_compiles_geoplans_bytecode():
    """compile_bytecode (make run, geoplan bench) leaves every module of GeoPlan's own packages
    with bytecode Python accepts: this interpreter's magic number, the source's mtime and size."""
    import importlib.util
    from pathlib import Path

    assert serve.compile_bytecode()
    sources = [p for name in serve.PACKAGES for p in (PROJECT_DIR / name).rglob("*.py")]
    assert len(sources) > 100
    for source in sources:
        header = Path(importlib.util.cache_from_source(str(source))).read_bytes()[:16]
        stat = source.stat()
        assert header[:4] == importlib.util.MAGIC_NUMBER, source
        assert int.from_bytes(header[8:12], "little") == int(stat.st_mtime) & 0xFFFFFFFF, source
        assert int.from_bytes(header[12:16], "little") == stat.st_size & 0xFFFFFFFF, source
