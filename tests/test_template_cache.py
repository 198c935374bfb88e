"""geoplan.ui.template_cache: folium's and branca's templates compiled once per installation.

Each check runs in new processes (the cache only acts while folium is being imported) on its own
cache folder (``XDG_CACHE_HOME``): the map's HTML must be the same, byte for byte, whether the
templates were compiled by Jinja or read back from the cache.
"""

from __future__ import annotations

import importlib.util
import json
import marshal
import os
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

from geoplan.config import PROJECT_DIR
from geoplan.ui import template_cache

# A map with areas, markers, a legend, basemaps and the hand-made units' hard texts; element
# ids come from a counter instead of os.urandom, so two processes make the same HTML.
MAP_SCRIPT = """
import itertools, json, os, sys
counter = itertools.count()
os.urandom = lambda n: next(counter).to_bytes(n, "big")
if sys.argv[1] == "off":
    from geoplan.ui import template_cache
    template_cache.uninstall()
from geoplan.testing.data import hand_made_units, square_areas, units_frame
from geoplan.ui import template_cache
from geoplan.ui.mapview import build_map
from geoplan.vocab import DEFAULT_UNIT_TYPES
html = build_map(units_frame(hand_made_units()), square_areas(names=["A", "B"]),
                 DEFAULT_UNIT_TYPES, "nb").get_root().render()
print(json.dumps({"html": html, "folder": str(template_cache.folder())}))
"""


def _map(cache_home: Path, mode: str = "on") -> dict:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    out = subprocess.run([sys.executable, "-c", MAP_SCRIPT, mode], capture_output=True,
                         text=True, env=env, cwd=PROJECT_DIR, check=True, timeout=120)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _kept(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.code"))}


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict:
    """Jinja's own compile, then a first (writing) and a second (reading) cached run."""
    home = tmp_path_factory.mktemp("cache-home")
    plain = _map(home, "off")
    folder = Path(plain["folder"])
    assert not folder.exists()  # the cache was off: nothing kept
    first = _map(home)
    kept = _kept(folder)
    second = _map(home)
    return {"home": home, "folder": folder, "plain": plain["html"], "first": first["html"],
            "second": second["html"], "kept": kept, "kept_after": _kept(folder)}


def test_the_map_is_the_same_with_and_without_the_cache(runs):
    """Byte for byte: compiled by Jinja, compiled and kept, and read back from the files."""
    assert "leaflet" in runs["plain"] and len(runs["plain"]) > 10_000
    assert runs["first"] == runs["plain"]
    assert runs["second"] == runs["plain"]


def test_only_import_time_templates_are_kept(runs):
    """folium and branca make about 80 templates when imported; rendering a map makes more
    (from its rendered parts), and none of those is written: the second run adds nothing."""
    assert 60 <= len(runs["kept"]) <= 150
    assert runs["kept_after"] == runs["kept"]
    folder = runs["folder"].name
    assert folder.startswith(f"v{template_cache.FORMAT}_py-{importlib.util.MAGIC_NUMBER.hex()}")
    assert f"jinja2-{jinja2.__version__}" in folder and "folium-" in folder and "branca-" in folder


def test_the_folder_follows_xdg_cache_home_when_absolute(monkeypatch, tmp_path):
    """An absolute XDG_CACHE_HOME holds the folder; a relative one is ignored (as the XDG rule
    says) for ~/.cache; without a home there is no folder and nothing is installed."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert template_cache.folder().parent == tmp_path / "geoplan" / "jinja"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert template_cache.folder().parent == tmp_path / "home" / ".cache" / "geoplan" / "jinja"

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", no_home)
    assert template_cache.folder() is None
    template_cache.uninstall()
    try:
        assert template_cache.install() is False
        assert jinja2.Environment.compile is template_cache._original
    finally:
        monkeypatch.undo()
        template_cache.install()


def test_a_damaged_file_is_compiled_again(runs, tmp_path):
    """Truncated or foreign files are compiled again and rewritten; the map stays the same."""
    home = tmp_path / "home"
    folder = home / runs["folder"].relative_to(runs["home"])
    folder.mkdir(parents=True)
    for i, (name, data) in enumerate(runs["kept"].items()):
        (folder / name).write_bytes(data[: len(data) // 2] if i % 2 else marshal.dumps(42))
    assert _map(home)["html"] == runs["plain"]
    rewritten = _kept(folder)
    assert rewritten.keys() == runs["kept"].keys()
    assert all(marshal.loads(rewritten[n]) == marshal.loads(runs["kept"][n]) for n in rewritten)


def test_a_folder_that_cannot_be_written_only_costs_time(runs, tmp_path):
    """XDG_CACHE_HOME naming a file: nothing is kept and the map is the same."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    assert _map(blocker)["html"] == runs["plain"]


def test_templates_made_outside_an_import_are_compiled_by_jinja(tmp_path, monkeypatch):
    """In this process folium is imported already: a template made now is never written."""
    monkeypatch.setattr(template_cache, "_folder", tmp_path)
    assert jinja2.Environment.compile is template_cache._compile  # installed by geoplan.ui
    assert jinja2.Template("{{ x }}!").render(x=1) == "1!"
    assert list(tmp_path.iterdir()) == []


def test_environments_with_functions_in_their_settings_are_not_kept():
    """A callable autoescape or finalize prints differently per process: no key, no file."""
    assert template_cache._settings(jinja2.Environment()) is not None
    assert template_cache._settings(jinja2.Environment(autoescape=lambda name: True)) is None
    assert template_cache._settings(jinja2.Environment(finalize=str)) is None
    assert (template_cache._settings(jinja2.Environment(trim_blocks=True))
            != template_cache._settings(jinja2.Environment()))
    env = jinja2.Environment()
    env.filters["upper"] = str.lower  # the same name, another function: another key
    assert template_cache._settings(env) != template_cache._settings(jinja2.Environment())
    env = jinja2.Environment()
    env.policies["truncate.leeway"] = 0
    assert template_cache._settings(env) != template_cache._settings(jinja2.Environment())
