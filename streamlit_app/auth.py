"""Sign-in glue: in which mode this app may run, and who uses this session.

The shell calls :func:`gate` at the top of every run.  :func:`decide` is the rule, a pure
function of three facts:

============  ===========================================================================
mode          when
============  ===========================================================================
``public``    ``GEOPLAN_PUBLIC=1``: the read-only dashboard of area aggregates, no actor
``oidc``      ``[auth]`` in ``.streamlit/secrets.toml`` holds every key of :data:`AUTH_KEYS`:
              OpenID Connect through ``st.login`` (Entra ID, ID-porten, …); the actor is the
              signed-in e-mail's role (:func:`geoplan.service.actor_for`), an unknown address
              is refused
``local``     no ``[auth]`` section, ``server.address`` is a loopback address and the
              session comes from this machine: one person on their own machine, acting as a
              local admin (source "local")
``refused``   anything else: a non-local address without sign-in, a session that comes
              through a proxy or by a non-local host name to an app without sign-in, or an
              ``[auth]`` section that lacks keys.  The app shows one sentence and stops.
============  ===========================================================================

The actor lives in ``st.session_state[ACTOR_KEY]`` (per browser session), never in a cache.
"""

from __future__ import annotations

import html
import ipaddress
import logging
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, replace

import streamlit as st
from sqlalchemy import Engine

from geoplan import service
from geoplan.roles import Actor
from geoplan.ui.i18n import t
from geoplan.ui.markdown import md_escape

LOG = logging.getLogger("geoplan.auth")
ACTOR_KEY = "actor"
RECORDED_KEY = "signin_recorded"  # the e-mail whose sign-in this session has recorded
# The keys st.login needs for its default provider ([auth] in .streamlit/secrets.toml).
AUTH_KEYS: tuple[str, ...] = ("redirect_uri", "cookie_secret", "client_id", "client_secret",
                              "server_metadata_url")
MODES: tuple[str, ...] = ("public", "oidc", "local", "refused")
# Headers a reverse proxy adds: a session carrying one did not come from this machine directly.
FORWARD_HEADERS: tuple[str, ...] = ("forwarded", "x-forwarded-for", "x-forwarded-host",
                                    "x-real-ip")


@dataclass(frozen=True)
class Mode:
    """How the app runs: ``kind`` (one of :data:`MODES`) and, when refused, why.

    ``problem`` is the i18n key of the refusal ("signin.refused_address",
    "signin.refused_proxy" or "signin.refused_incomplete"); ``address`` the listening address,
    ``missing`` the ``[auth]`` keys that are missing and ``via`` the proxy or host name the
    session came through, for its sentence.
    """

    kind: str
    problem: str | None = None
    address: str | None = None
    missing: tuple[str, ...] = ()
    via: str | None = None





def is_local_address(address: str | None) -> bool:
    """Whether ``address`` (``server.address``) listens on this machine only.

    "localhost" and loopback IPs (127.0.0.0/8, ::1) are local.  None or "" is not: Streamlit
    then listens on every interface.
    """
    if not address:
        return False
    host = address.strip().strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def remote_origin(headers: Mapping[str, str]) -> str | None:
    """Where a session comes from when that is not this machine, else None.

    A reverse proxy's forwarding header (:data:`FORWARD_HEADERS`, its value), or a ``Host``
    header that is not a local name (an app on 127.0.0.1 reached by a public name).  A browser
    on this machine sends ``Host: localhost:8501`` (or 127.0.0.1, [::1]) and no forwarding
    header.
    """
    lower = {str(k).lower(): str(v) for k, v in headers.items()}
    for name in FORWARD_HEADERS:
        if lower.get(name, "").strip():
            return lower[name].strip()
    host = lower.get("host", "").strip()
    if not host:
        return None
    try:
        name = urllib.parse.urlsplit(f"//{host}").hostname
    except ValueError:
        return host
    return None if is_local_address(name) else host


def decide(public: bool, address: str | None, auth: Mapping | None,
           via: str | None = None) -> Mode:
    """The mode for the public switch, the listening ``address``, the ``[auth]`` section and
    where the session comes from (``via``: :func:`remote_origin`, None for this machine).

    ``auth`` is the ``[auth]`` section of the secrets (None when there is none).  Sign-in is
    configured when it holds every key of :data:`AUTH_KEYS`; a section that lacks some is a
    mistake and refused wherever the app listens.  Without sign-in, an app on a local address
    still refuses a session that comes through a proxy (``via``): behind nginx on the same host,
    every visitor would otherwise be the local admin.
    """
    if public:
        return Mode("public")
    if auth is not None:
        missing = tuple(k for k in AUTH_KEYS if not auth.get(k))
        if missing:
            return Mode("refused", "signin.refused_incomplete", address, missing)
        return Mode("oidc", address=address)
    if not is_local_address(address):
        return Mode("refused", "signin.refused_address", address or "0.0.0.0")
    if via is not None:
        return Mode("refused", "signin.refused_proxy", address, via=via)
    return Mode("local", address=address)


def auth_section() -> Mapping | None:
    """The ``[auth]`` section of ``.streamlit/secrets.toml``, or None (no file or no section)."""
    try:
        section = st.secrets.get("auth")
    except Exception:  # no secrets file at all (FileNotFoundError or Streamlit's own error)
        return None
    return section if isinstance(section, Mapping) else None


def listening_address() -> str | None:
    """``server.address`` of this server (None: every interface)."""
    return st.get_option("server.address")


def session_headers() -> Mapping[str, str]:
    """The HTTP headers of this session's websocket request (empty in AppTest)."""
    try:
        return dict(st.context.headers)
    except Exception:  # no request behind this run
        return {}


def mode() -> Mode:
    """:func:`decide` for this session: GEOPLAN_PUBLIC, ``server.address``, the secrets and
    where the session comes from."""
    return decide(service.public_mode(), listening_address(), auth_section(),
                  remote_origin(session_headers()))


def local_actor() -> Actor:
    """The one person of local mode: :func:`geoplan.service.local_actor`, source "local"."""
    return replace(service.local_actor(), source="local")


def signed_in_email() -> str | None:
    """The e-mail of the user signed in to this session with ``st.login``.

    None when nobody is signed in; "" when the provider sent no e-mail (refused as unknown).
    """
    if not st.user.is_logged_in:
        return None
    email = st.user.get("email")
    return str(email).strip().lower() if email else ""


def session_actor(engine: Engine, current: Mode) -> Actor | None:
    """Work out this session's actor for ``current`` and keep it in ``st.session_state``.

    Local mode: :func:`local_actor`.  Sign-in: the signed-in e-mail's role, looked up on every
    run (a changed or removed role takes effect at once); None when nobody is signed in or
    the address has no role.  Public and refused: None.
    """
    if current.kind == "local":
        actor = local_actor()
    elif current.kind == "oidc":
        email = signed_in_email()
        actor = service.actor_for(engine, email, "oidc") if email else None
    else:
        actor = None
    st.session_state[ACTOR_KEY] = actor
    return actor


def record_sign_in(engine: Engine, email: str, actor: Actor | None) -> None:
    """Record a sign-in in the audit trail (accepted, or refused: no role) once per session
    and e-mail, and log it."""
    if st.session_state.get(RECORDED_KEY) == email:
        return
    accepted = actor is not None
    LOG.info("sign-in %s: %s", "accepted" if accepted else "refused (no role)", email)
    service.record_sign_in(engine, actor if accepted else email, accepted)
    st.session_state[RECORDED_KEY] = email


def refuse(current: Mode, lang: str) -> None:
    """Show why the app does not run (one sentence), log it and stop the script."""
    key = current.problem or "signin.refused_address"
    values = {"address": current.address or "", "keys": ", ".join(current.missing),
              "via": current.via or ""}
    LOG.error("GeoPlan refuses to run: %s", t(key, "en", **values))
    st.error(md_escape(t(key, lang, **values)), icon=":material/block:")
    st.stop()


def sign_in_page(lang: str) -> None:
    """The page of a session nobody has signed in to: one sentence and the sign-in button."""
    st.title(t("app_title", lang))
    st.write(t("signin.prompt", lang))
    if st.button(t("signin.button", lang), type="primary", key="signin"):
        st.login()
    st.stop()


def unknown_user_page(email: str, lang: str) -> None:
    """The page of a signed-in address with no role: it says so, and offers to sign out."""
    st.error(t("signin.unknown_user", lang, email=md_escape(email or "?")), icon=":material/block:")
    if st.button(t("signin.logout", lang), key="signout"):
        st.logout()
    st.stop()


def sidebar_user(actor: Actor, lang: str) -> None:
    """Who is signed in, with a sign-out button (sign-in mode)."""
    st.sidebar.caption(t("signin.as", lang, email=md_escape(actor.email),
                         role=t(f"signin.role.{actor.role}", lang)))
    if st.sidebar.button(t("signin.logout", lang), key="signout"):
        st.logout()
        st.stop()  # nothing more for a user who has just signed out


LOCAL_BANNER = ('<div class="geoplan-local" role="status" style="background:#fff4d6;'
                'border-left:6px solid #d99a00;padding:0.35rem 0.8rem;margin-bottom:0.6rem;'
                'font-weight:600;color:#3d2c00">{text}</div>')


def local_banner(lang: str) -> None:
    """The banner of local mode, above every page: no sign-in, one person on their own machine.

    A Markdown block of its own (not ``st.warning``), so that a page's own warnings stay its
    own.
    """
    text = html.escape(t("signin.local_banner", lang))
    st.markdown(LOCAL_BANNER.format(text=text), unsafe_allow_html=True)


def gate(current: Mode, engine: Engine, lang: str) -> Actor | None:
    """Let this session in, or show why not and stop.

    Returns the actor (None in the public mode).  Refused modes, sessions nobody has signed
    in to and unknown addresses end here with ``st.stop()``.
    """
    if current.kind == "refused":
        refuse(current, lang)
    actor = session_actor(engine, current)
    if current.kind == "oidc":
        email = signed_in_email()
        if email is None:
            sign_in_page(lang)  # stops
        record_sign_in(engine, email, actor)
        if actor is None:
            unknown_user_page(email, lang)
        sidebar_user(actor, lang)
    elif current.kind == "local":
        local_banner(lang)
    return actor
