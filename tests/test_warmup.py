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
WARMED = {"geoplan", "streamlit_app", "sqlalchemy", "geoalchemy2", "pandas", "geopandas",
          "numpy", "shapely", "pyproj", "folium", "branca", "jinja2", "rapidfuzz", "requests"}

FIRST_RUN = """
import json, sys
from streamlit.testing.v1 import AppTest
from streamlit_app import warmup
warmup.import_all(warmup.FIRST_PAGE)
before = set(sys.modules)
at = AppTest.from_file(sys.argv[1], default_timeout=120).run()
print(json.dumps({"new": sorted(set(sys.modules) - before), "title": [t.value for t in at.title],
                  "errors": [str(e.value) for e in at.exception]}))
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


def test_the_launcher_runs_the_app_with_the_options_given():
    """``python -m streamlit_app OPTIONS`` is ``streamlit run app.py OPTIONS``."""
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
