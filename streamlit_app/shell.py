"""The app's shell: sign-in, page registry, language choice and navigation (run by ``app.py``).

Pages are registered explicitly in PAGES (the internal app) and PUBLIC_PAGES (the public
instance, ``GEOPLAN_PUBLIC=1``; add a row to add a page).  Each internal page names the action
(:data:`geoplan.roles.ACTIONS`) its user must be allowed, and the shell registers only the pages
the session's role may use (:func:`pages_for`); the service checks every change again.  The
sidebar holds the language selector, stored in ``st.session_state["lang"]``.

An internal app on an empty database (no municipality, no units:
:func:`geoplan.service.setup_state`) shows the first-run page only (:data:`FIRST_RUN`: import
your boundary and register, or load the demo); with a municipality but no units yet, the
first-run page comes first and the other pages follow.  The demo is never loaded by surprise.

Every page answers at its own URL (``/kart``, ``/konsentrasjon``, …), also right after a
server start: Streamlit serves its *default* page at ``/`` only, so a session opened at a
page's URL gets a hidden default start page (``/start``, served at ``/``) that switches to the
first listed page, and every listed page keeps its own URL.  A session opened at ``/`` gets the
first page as its default page instead, which saves the switch's second script run
(:func:`navigation_pages`).

Before anything else the shell asks :mod:`streamlit_app.auth` whether this app may run at all
(an internal app on a non-local address needs sign-in) and who uses the session.  In the public
mode the shell registers the public pages only, collapses the sidebar and shows nothing in it
but the language choice; the service refuses everything else anyway
(:mod:`geoplan.service.access`).
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

import streamlit as st

from geoplan import service
from geoplan.config import PROJECT_DIR
from geoplan.roles import Actor, may
from geoplan.ui.i18n import DEFAULT_LANG, LANGS, t
from streamlit_app import auth, errors, loaders, map_preload


@dataclass(frozen=True)
class PageSpec:
    """A page of the app: its script, the i18n key of its title, its icon and URL path, and
    the action (:data:`geoplan.roles.ACTIONS`) a role must be allowed to see it."""

    path: str
    title_key: str
    icon: str
    url_path: str
    action: str = "read"


DASHBOARD = "streamlit_app/pages/dashboard.py"
PAGES: tuple[PageSpec, ...] = (
    PageSpec("streamlit_app/pages/map.py", "page_map", ":material/map:", "kart"),
    PageSpec("streamlit_app/pages/concentration.py", "page_concentration", ":material/bubble_chart:",
             "konsentrasjon"),
    PageSpec("streamlit_app/pages/purchase.py", "page_purchase", ":material/add_home:", "kjopstest",
             "evaluate"),
    PageSpec("streamlit_app/pages/plan.py", "page_plan", ":material/checklist:", "kjopsplan", "plan"),
    PageSpec("streamlit_app/pages/demand.py", "page_demand", ":material/groups:", "behov"),
    PageSpec("streamlit_app/pages/import_export.py", "page_import", ":material/upload_file:", "import",
             "import"),
    PageSpec(DASHBOARD, "page_presentation", ":material/co_present:", "presentasjon"),
    # users and the audit trail; registered only when the page exists (issue 11)
    PageSpec("streamlit_app/pages/admin.py", "page_admin", ":material/admin_panel_settings:", "admin",
             "manage_users"),
)
# The first-run page (empty database): import your boundary and register, or load the demo.
FIRST_RUN = PageSpec("streamlit_app/pages/first_run.py", "page_first_run",
                     ":material/rocket_launch:", "kom-i-gang")
START_URL = "start"  # the hidden default page, served at "/": it opens the first listed page
AT_ROOT_KEY = "opened_at_root"  # session state: this session began at "/"
# The public instance: area aggregates only, read-only, no downloads of unit data.
PUBLIC_PAGES: tuple[PageSpec, ...] = (
    PageSpec(DASHBOARD, "page_dashboard", ":material/dashboard:", "dashbord"),
)


def pages(public: bool) -> tuple[PageSpec, ...]:
    """Return the pages of the public instance or of the internal app."""
    return PUBLIC_PAGES if public else PAGES


def pages_for(actor: Actor | None, public: bool) -> tuple[PageSpec, ...]:
    """The pages this session may use: the public pages, or the internal pages whose action
    the actor's role may take (and whose script exists)."""
    if public:
        return PUBLIC_PAGES
    role = actor.role if actor else None
    return tuple(p for p in PAGES if may(role, p.action) and (PROJECT_DIR / p.path).is_file())


def with_first_run(shown: tuple[PageSpec, ...], empty: bool, units: int) -> tuple[PageSpec, ...]:
    """The pages of an internal session on a database that is ``empty`` (the first-run page
    alone) or has no ``units`` yet (the first-run page first, then ``shown``)."""
    if empty:
        return (FIRST_RUN,)
    if units == 0:
        return (FIRST_RUN, *shown)
    return shown


def navigation_pages(shown: tuple[PageSpec, ...], lang: str, at_root: bool = False) -> list:
    """``st.Page`` objects for ``shown``.

    A session that opened the app at ``/`` (``at_root``) gets the first page as the default
    page, served at ``/``: its first page runs at once.  Any other session gets a hidden
    default start page first, which switches to the first page, so that every page keeps its
    own URL (``/kart`` too: Streamlit answers the default page's own path with "Page not
    found").  The switch costs a second script run, which a session at ``/`` does not pay.
    """
    listed = [st.Page(p.path, title=t(p.title_key, lang), icon=p.icon, url_path=p.url_path,
                      default=at_root and i == 0) for i, p in enumerate(shown)]
    if at_root:
        return listed
    start = st.Page(lambda: st.switch_page(listed[0]), title=listed[0].title,
                    icon=listed[0].icon, url_path=START_URL, default=True, visibility="hidden")
    return [start, *listed]


def opened_at_root(url: str, base_path: str = "") -> bool:
    """Whether ``url`` (``st.context.url``) is the app's root, below ``base_path``
    (``server.baseUrlPath``); an empty or unreadable URL counts as the root."""
    path = urllib.parse.urlsplit(url or "").path.strip("/")
    return path == (base_path or "").strip("/")


def _at_root() -> bool:
    """Whether this session opened the app at its root (decided on its first run and kept, so
    that the pages keep their URLs for the whole session)."""
    if AT_ROOT_KEY not in st.session_state:
        try:
            url = st.context.url or ""  # None without a browser (AppTest): the root
        except Exception:  # no request to read: the root
            url = ""
        st.session_state[AT_ROOT_KEY] = opened_at_root(url, st.get_option("server.baseUrlPath"))
    return bool(st.session_state[AT_ROOT_KEY])


def _sidebar_info(lang: str) -> None:
    """The municipality and the synthetic-data note under the language choice (internal app)."""
    from geoplan.ui.markdown import md_escape

    info = loaders.municipality(loaders.db_url(), loaders.version())
    if info is not None:
        st.sidebar.caption(t("municipality", lang, name=md_escape(info.name), number=info.number))
        if info.synthetic:
            st.sidebar.caption(t("synthetic_note", lang, name=md_escape(info.name)))


def main() -> None:
    """Set up the page, the sidebar and the navigation, and run the chosen page."""
    current = auth.mode()
    public = current.kind == "public"
    st.set_page_config(page_title="GeoPlan", page_icon=":material/map:", layout="wide",
                       initial_sidebar_state="collapsed" if public else "auto")

    st.session_state.setdefault("lang", DEFAULT_LANG)
    if current.kind == "refused":  # before anything else: one sentence, logged, and stop
        auth.refuse(current, st.session_state["lang"])
    lang = st.sidebar.selectbox(
        t("language", st.session_state["lang"]), options=list(LANGS), format_func=LANGS.__getitem__,
        key="lang",
    )

    try:
        if not public:  # the public sidebar holds the language choice only
            map_preload.show()  # the map's files load in the browser while the page runs
        with st.spinner(t("starting", lang)):
            engine = loaders.engine()
        actor = auth.gate(current, engine, lang)  # stops a session that may not go on
        shown = pages_for(actor, public)
        if not public:
            state = service.setup_state(engine)
            shown = with_first_run(shown, state.empty, state.units)
            _sidebar_info(lang)
        navigation = st.navigation(navigation_pages(shown, lang, _at_root()),
                                   position="hidden" if len(shown) == 1 else "sidebar")
        navigation.run()
    except Exception as exc:  # st.stop() and st.rerun() are BaseExceptions and pass through
        errors.show_error(exc, "the page", lang)
