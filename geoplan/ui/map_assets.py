"""The map's browser files: the vendored Leaflet files, and the hints that let the browser fetch
them before the map is drawn.

A light module (no folium): the app's shell reads it on its first run, before a page imports
:mod:`geoplan.ui.mapview`.  Measured in ``benchmarks/bench_map.py``: the map's frame loads its
scripts one after another once the page's map arrives; with the hints the browser has them
already, fetched while the server was still running the page.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

# Folium's CDN assets that the map needs, mapped to the files vendored under static/vendor/.
# Assets not listed (jQuery, Bootstrap, Font Awesome, awesome-markers) are dropped when local.
LOCAL_ASSETS: dict[str, str] = {
    "leaflet": "leaflet-1.9.3/leaflet.js",
    "leaflet_css": "leaflet-1.9.3/leaflet.css",
    "markerclusterjs": "leaflet.markercluster-1.1.0/leaflet.markercluster.js",
    "markerclustercss": "leaflet.markercluster-1.1.0/MarkerCluster.css",
    "markerclusterdefaultcss": "leaflet.markercluster-1.1.0/MarkerCluster.Default.css",
}


def asset_urls(base_url: str) -> list[str]:
    """The URL of every file of :data:`LOCAL_ASSETS` under ``base_url``."""
    base = base_url.rstrip("/")
    return [f"{base}/{path}" for path in LOCAL_ASSETS.values()]


def preload_links(urls: Iterable[str], modules: Iterable[str] = ()) -> str:
    """``<link rel="preload">`` tags for ``urls`` (scripts and style sheets) and
    ``<link rel="modulepreload">`` tags for ``modules`` (JavaScript modules), escaped."""
    tags = []
    for url in urls:
        kind = "style" if url.endswith(".css") else "script"
        tags.append(f'<link rel="preload" href="{html.escape(url)}" as="{kind}">')
    tags += [f'<link rel="modulepreload" href="{html.escape(url)}">' for url in modules]
    return "".join(tags)
