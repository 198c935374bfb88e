"""Let the browser fetch the map's files while the first page still runs on the server.

Without this, the map's frame asks for streamlit-folium's bundle, then Leaflet, then
markercluster, then the style sheets, one after another, only once the page's map has arrived.
The shell puts ``<link rel="preload">`` hints for all of them in the sidebar on every run (an
element of no height), so the frame finds them in the browser's cache.  The files are the
vendored ones (:data:`geoplan.ui.map_assets.LOCAL_ASSETS`), streamlit-folium's bundle, which
is served once its component is declared (when ``streamlit_folium`` is imported), and the two
chunks of Streamlit's own page that make a component's frame (:data:`STREAMLIT_CHUNKS`).
"""

from __future__ import annotations

import functools

import streamlit as st

from geoplan.config import package_folder
from geoplan.ui.map_assets import asset_urls, preload_links
from streamlit_app import loaders

COMPONENT = "streamlit_folium.st_folium"  # the name streamlit-folium declares its component by
BUNDLE_GLOB = "static/js/main.*.js"  # in the component's frontend/build folder
# Streamlit's page loads these chunks of its own when the first component arrives.
STREAMLIT_CHUNKS: tuple[str, ...] = ("ComponentInstance", "IFrameUtil")


def component_bundle() -> list[str]:
    """The URL of streamlit-folium's script bundle (none when the package is laid out
    otherwise); importing ``streamlit_folium`` declares the component that serves it.

    That import (folium with it, about 0.3 s once per server process) happens on the first run
    of the first session, before its page: the map page, the first page, needs it anyway; a
    first visit straight to a page without a map pays it once."""
    bundle = _bundle_path()
    return [loaders.app_url(f"component/{COMPONENT}/{bundle}")] if bundle else []


@functools.cache
def _bundle_path() -> str | None:
    """The bundle's path below the component's build folder, once per process."""
    package = package_folder("streamlit_folium")
    if package is None:
        return None
    build = package / "frontend" / "build"
    bundles = sorted(build.glob(BUNDLE_GLOB))
    if not bundles:
        return None
    import streamlit_folium  # noqa: F401  (declares the component, so its files are served)

    return bundles[-1].relative_to(build).as_posix()


def streamlit_chunks() -> list[str]:
    """The URLs of Streamlit's own script chunks that draw a component's frame
    (:data:`STREAMLIT_CHUNKS`), as this Streamlit version names them; its page loads them only
    once the first component arrives, one round trip before the map's frame can be made."""
    return [loaders.app_url(f"static/js/{name}") for name in _chunk_names()]


@functools.cache
def _chunk_names() -> tuple[str, ...]:
    """The file names of :data:`STREAMLIT_CHUNKS` in Streamlit's static folder, once per
    process (none when this Streamlit lays its files out otherwise)."""
    package = package_folder("streamlit")
    if package is None:
        return ()
    folder = package / "static" / "static" / "js"
    names = []
    for chunk in STREAMLIT_CHUNKS:
        found = sorted(folder.glob(f"{chunk}.*.js"))
        if len(found) == 1:  # two would be a guess
            names.append(found[0].name)
    return tuple(names)


def hints() -> str:
    """The preload hints for the map's files ("" when Streamlit serves no static files)."""
    base = loaders.asset_base()
    if base is None:
        return ""
    return preload_links([*component_bundle(), *asset_urls(base)], streamlit_chunks())


def show() -> None:
    """Put the hints in the sidebar (no height, nothing to read)."""
    links = hints()
    if links:
        st.sidebar.markdown(links, unsafe_allow_html=True)
