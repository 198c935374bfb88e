"""Start GeoPlan's server: ``python -m streamlit_app [options of streamlit run]``.

The same as ``streamlit run app.py [options]``, plus what a script cannot do: while the first
browser loads Streamlit's page, the first page's libraries are imported
(:func:`streamlit_app.warmup.at_server_start`), so the first map comes sooner (measured in
``benchmarks/bench_map.py``).  ``make run``, ``make public``, the container and the browser tests
start the app this way; a plain ``streamlit run app.py`` works too, without the head start.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"
PACKAGES: tuple[str, ...] = ("geoplan", "streamlit_app")  # GeoPlan's own code, beside app.py


def command(options: Sequence[str] = ()) -> list[str]:
    """The ``streamlit`` command line this launcher runs: ``run app.py`` and ``options``."""
    return ["run", str(APP), *options]


def skip_component_scan() -> bool:
    """Tell Streamlit's runtime, before it starts, that no installed package holds a component
    of its second kind (v2); return False when this Streamlit has no such step.

    On start, Streamlit reads the metadata of every installed package looking for them (0.14 s
    here, before the server answers).  GeoPlan uses none: streamlit-folium is a first-kind
    component, declared when imported (tests/test_warmup.py checks that none is installed)."""
    try:
        from streamlit.components.v2.component_manager import BidiComponentManager
    except ImportError:
        return False
    if not hasattr(BidiComponentManager, "discover_and_register_components"):
        return False
    BidiComponentManager.discover_and_register_components = _no_components
    return True


def _no_components(self: object, *, start_file_watching: bool = True) -> None:
    """In place of the runtime's scan for v2 components: there are none to register."""


def compile_bytecode() -> bool:
    """Write the bytecode (``.pyc``) of GeoPlan's own modules; True when every one compiled.

    pip compiles the packages it installs, but not a project installed in place (``pip install
    -e``), and Python does not write it on import when ``PYTHONDONTWRITEBYTECODE`` is set (as on
    the benchmark machine): the server then compiled the first page's 55 modules on every start
    (85 ms of their 180 ms of import time here).  ``make run`` and ``geoplan bench`` call this
    first; modules already up to date are only looked at."""
    import compileall

    root = APP.parent
    return all(compileall.compile_dir(root / name, quiet=1) for name in PACKAGES)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the app's server with ``argv`` (default: this process's arguments) as options."""
    from streamlit.web import cli

    from streamlit_app import warmup

    skip_component_scan()
    warmup.at_server_start()
    cli.main.main(args=command(sys.argv[1:] if argv is None else argv), prog_name="streamlit")
