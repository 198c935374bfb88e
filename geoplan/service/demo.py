"""The synthetic Elverum demo, for the app's first start and ``geoplan demo``.

``load_demo(engine)`` loads it (returning the rows per file), ``ensure_demo(engine)`` loads it
into an empty database only (True when it did), ``demo_files()`` gives its files by role.
"""

from __future__ import annotations

from geoplan.demo.load import demo_files, ensure_demo, load_demo

__all__ = ["demo_files", "ensure_demo", "load_demo"]
