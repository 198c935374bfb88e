"""Sign-in without a browser (issue 11, section 1): when the app may run, local mode, the
sign-in and unknown-user pages, the pages each role sees, and that no cache holds the actor.

The refusal is also checked on a real ``streamlit run`` listening on 0.0.0.0 without secrets:
one session is run over Streamlit's own websocket (no browser) and must draw the refusal
sentence and nothing else.  ``tests/test_signin_browser.py`` signs in through a real OpenID
Connect provider.
"""

from __future__ import annotations

import ast
import html
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geoplan import service
from geoplan.roles import ROLES, Actor
from geoplan.storage.db import make_engine
from geoplan.testing.oidc import CLIENT_ID, CLIENT_SECRET, COOKIE_SECRET
from geoplan.testing.server import Server, streamlit_server
from geoplan.ui.i18n import t
from geoplan.ui.purchase_view import md_escape
from streamlit_app import auth, shell

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
TIMEOUT = 120
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": COOKIE_SECRET,
        "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
        "server_metadata_url": "http://localhost:9400/.well-known/openid-configuration"}
ADMIN = Actor("admin@kommune.no", "admin", "cli")
# The pages each role sees, by URL path, written out by hand (issue 11: viewer: map,
# concentration, demand, dashboard; property_manager adds purchase test and plan; planner adds
# import; admin adds the admin page when it exists).
VIEWER = ["kart", "konsentrasjon", "behov", "presentasjon"]
PROPERTY_MANAGER = ["kart", "konsentrasjon", "kjopstest", "kjopsplan", "behov", "presentasjon"]
PLANNER = ["kart", "konsentrasjon", "kjopstest", "kjopsplan", "behov", "import", "presentasjon"]
ADMIN_PAGE = (ROOT / "streamlit_app" / "pages" / "admin.py").is_file()


@pytest.fixture
def app_db(demo_copy, monkeypatch, app_uses) -> str:
    """The app on a private copy of the demo, with one user of each role."""
    monkeypatch.delenv("GEOPLAN_PUBLIC", raising=False)
    engine = make_engine(demo_copy)
    for role in ROLES:
        service.add_user(engine, ADMIN, f"{role}@kommune.no", role)
    engine.dispose()
    return app_uses(demo_copy)


def _run(secrets: dict | None = None, user: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if secrets is not None:
        at.secrets = secrets
    if user is not None:
        at.user = user
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


# ---------------------------------------------------------------- the rule, by hand


@pytest.mark.parametrize("address, local", [
    ("localhost", True), ("LOCALHOST", True), ("127.0.0.1", True), ("127.3.2.1", True),
    ("::1", True), ("[::1]", True),
    ("0.0.0.0", False), ("::", False), ("", False), (None, False), ("192.168.10.5", False),
    ("10.0.0.1", False), ("geoplan.kommune.no", False), ("localhost.kommune.no", False),
])
def test_local_addresses(address, local):
    assert auth.is_local_address(address) is local


def test_decide_the_mode():
    full = dict(AUTH)
    assert auth.decide(False, "localhost", None) == auth.Mode("local", address="localhost")
    assert auth.decide(False, "0.0.0.0", None) == auth.Mode(
        "refused", "signin.refused_address", "0.0.0.0")
    # None: Streamlit listens on every interface
    assert auth.decide(False, None, None).problem == "signin.refused_address"
    assert auth.decide(False, "0.0.0.0", full) == auth.Mode("oidc", address="0.0.0.0")
    assert auth.decide(False, "localhost", full).kind == "oidc"  # sign-in wins when configured
    # the public instance is the one exception: read-only aggregates, no sign-in
    assert auth.decide(True, "0.0.0.0", None) == auth.Mode("public")
    assert auth.decide(True, "0.0.0.0", full).kind == "public"
    # an [auth] section that lacks keys (or has blank ones) is a mistake, wherever it listens
    half = {"redirect_uri": AUTH["redirect_uri"], "client_id": "x", "client_secret": ""}
    assert auth.decide(False, "localhost", half) == auth.Mode(
        "refused", "signin.refused_incomplete", "localhost",
        ("cookie_secret", "client_secret", "server_metadata_url"))
    assert auth.decide(False, "0.0.0.0", {}).missing == auth.AUTH_KEYS


@pytest.mark.parametrize("headers, origin", [
    ({"Host": "localhost:8501"}, None), ({"Host": "127.0.0.1:8501"}, None),
    ({"host": "[::1]:8501"}, None), ({}, None),
    ({"Host": "geoplan.kommune.no"}, "geoplan.kommune.no"),
    ({"Host": "10.0.0.5:8501"}, "10.0.0.5:8501"),
    ({"Host": "127.0.0.1:8501", "X-Forwarded-For": "203.0.113.7"}, "203.0.113.7"),
    ({"Host": "localhost:8501", "X-Real-IP": "127.0.0.1"}, "127.0.0.1"),  # a proxy all the same
    ({"Host": "localhost", "Forwarded": "for=198.51.100.2;proto=https"},
     "for=198.51.100.2;proto=https"),
    ({"Host": "localhost", "X-Forwarded-For": "  "}, None),  # blank: no proxy said anything
])
def test_remote_origin(headers, origin):
    assert auth.remote_origin(headers) == origin


def test_decide_the_mode_behind_a_proxy():
    """Without sign-in, a session through a proxy (or a public host name) is refused even
    though the app listens on localhost; with sign-in the proxy is fine."""
    assert auth.decide(False, "127.0.0.1", None, "203.0.113.7") == auth.Mode(
        "refused", "signin.refused_proxy", "127.0.0.1", via="203.0.113.7")
    assert auth.decide(False, "127.0.0.1", dict(AUTH), "203.0.113.7").kind == "oidc"
    assert auth.decide(True, "127.0.0.1", None, "203.0.113.7").kind == "public"
    assert auth.decide(False, "0.0.0.0", None, "x").problem == "signin.refused_address"


def test_pages_for_each_role():
    def paths(role: str | None) -> list[str]:
        actor = None if role is None else Actor(f"{role}@kommune.no", role)
        return [p.url_path for p in shell.pages_for(actor, public=False)]

    assert paths("viewer") == VIEWER
    assert paths("property_manager") == PROPERTY_MANAGER
    assert paths("planner") == PLANNER
    assert paths("admin") == PLANNER + (["admin"] if ADMIN_PAGE else [])
    assert paths(None) == [] and paths("owner") == []
    assert [p.url_path for p in shell.pages_for(None, public=True)] == ["dashbord"]
    assert [p.url_path for p in shell.pages_for(Actor("a@b.no", "admin"), public=True)] \
        == ["dashbord"]


def test_the_shell_loads_in_the_public_mode():
    """The sign-in glue imports nothing the public mode refuses (a fresh interpreter, as
    ``GEOPLAN_PUBLIC=1 streamlit run app.py`` starts)."""
    code = ("from streamlit_app import auth, loaders, shell\n"
            "assert auth.decide(True, '0.0.0.0', None).kind == 'public'\n")
    env = {**os.environ, "GEOPLAN_PUBLIC": "1"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


def test_no_cache_holds_the_actor():
    """st.cache_data and st.cache_resource are shared by every session: no cached function in
    streamlit_app may take or read the actor, the signed-in user or the session state."""
    banned = {"actor", "role", "session_state", "user", "email"}
    cached = 0
    for path in sorted((ROOT / "streamlit_app").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef):
                continue
            if not any("cache_data" in ast.unparse(d) or "cache_resource" in ast.unparse(d)
                       for d in node.decorator_list):
                continue
            cached += 1
            names = ({a.arg for a in node.args.args}
                     | {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
                     | {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)})
            assert not names & banned, (path.name, node.name, names & banned)
    assert cached >= 8  # the audit saw the caches (loaders, concentration, purchase, demand)


# ---------------------------------------------------------------- the app, headless


def test_local_mode_banner_and_local_admin(app_db):
    at = _run()
    assert html.escape(t("signin.local_banner", "nb")) in _markdown(at)
    actor = at.session_state[auth.ACTOR_KEY]
    assert actor.role == "admin" and actor.source == "local"
    assert actor.email == service.local_actor().email
    assert at.title[0].value == t("map_title", "nb")  # the app runs on as before
    at.sidebar.selectbox(key="lang").select("en").run()
    assert "No sign-in – local use only" in _markdown(at)


def test_the_configured_address_is_localhost():
    """.streamlit/config.toml keeps `make run` and a bare `streamlit run app.py` local."""
    assert auth.listening_address() == "localhost"


ACTOR_SCRIPT = """
import streamlit as st
from streamlit_app import loaders
a = loaders.actor()
st.text("none" if a is None else f"{a.email}|{a.role}|{a.source}")
"""


def _actor_alone(secrets: dict | None = None, user: dict | None = None) -> str:
    """What loaders.actor() says in a script run without the shell (a page on its own)."""
    at = AppTest.from_string(ACTOR_SCRIPT, default_timeout=TIMEOUT)
    if secrets is not None:
        at.secrets, at.user = secrets, user
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at.text[0].value


def test_loaders_actor_outside_the_shell(app_db):
    """A page run on its own gets the same actor the shell would give it."""
    assert _actor_alone() == f"{service.local_actor().email}|admin|local"
    assert _actor_alone({"auth": AUTH}, {"is_logged_in": True, "email": "viewer@kommune.no"}) \
        == "viewer@kommune.no|viewer|oidc"
    assert _actor_alone({"auth": AUTH}, {"is_logged_in": True, "email": "x@y.no"}) == "none"
    assert _actor_alone({"auth": AUTH}, {"is_logged_in": False}) == "none"


def test_non_local_address_without_sign_in_refuses(app_db, caplog, monkeypatch):
    monkeypatch.setattr(auth, "listening_address", lambda: "0.0.0.0")
    at = _run()
    sentence = md_escape(t("signin.refused_address", "nb", address="0.0.0.0", keys=""))
    assert [e.value for e in at.error] == [sentence]
    # one sentence and nothing else: no title, no pages, no sidebar, no actor
    assert not at.title and not at.markdown and not at.sidebar.children
    assert auth.ACTOR_KEY not in at.session_state
    assert "GeoPlan refuses to run: GeoPlan does not start: the server listens on 0.0.0.0" \
        in caplog.text


def test_a_proxied_session_without_sign_in_refuses(app_db, monkeypatch):
    monkeypatch.setattr(auth, "session_headers",
                        lambda: {"Host": "geoplan.kommune.no", "X-Forwarded-For": "203.0.113.7"})
    at = _run()
    assert [e.value for e in at.error] == [
        md_escape(t("signin.refused_proxy", "nb", via="203.0.113.7"))]
    assert not at.title and not at.markdown and auth.ACTOR_KEY not in at.session_state


def test_incomplete_sign_in_refuses_and_names_the_keys(app_db):
    secrets = {"auth": {k: v for k, v in AUTH.items() if k != "cookie_secret"}}
    at = _run(secrets)
    assert [e.value for e in at.error] == [md_escape(t(
        "signin.refused_incomplete", "nb", keys="cookie_secret", address=""))]
    assert not at.title and not at.markdown


def test_sign_in_configured_nobody_signed_in_sees_the_sign_in_button(app_db):
    at = _run({"auth": AUTH}, {"is_logged_in": False})
    assert [b.label for b in at.button] == [t("signin.button", "nb")]
    assert t("signin.prompt", "nb") in _markdown(at)
    assert at.title[0].value == t("app_title", "nb")
    assert t("signin.local_banner", "nb") not in _markdown(at)
    assert at.session_state[auth.ACTOR_KEY] is None


@pytest.mark.parametrize("role", ROLES)
def test_a_signed_in_user_gets_their_role(app_db, role):
    at = _run({"auth": AUTH}, {"is_logged_in": True, "email": f"{role.upper()}@Kommune.no"})
    actor = at.session_state[auth.ACTOR_KEY]
    assert actor == Actor(f"{role}@kommune.no", role, "oidc")
    assert t("signin.as", "nb", email=md_escape(actor.email), role=t(f"signin.role.{role}", "nb")) \
        in [c.value for c in at.sidebar.caption]
    assert at.title[0].value == t("map_title", "nb")
    assert t("signin.local_banner", "nb") not in _markdown(at)


def test_an_unknown_signed_in_user_is_refused(app_db):
    at = _run({"auth": AUTH}, {"is_logged_in": True, "email": "stranger_1@kommune.no"})
    assert [e.value for e in at.error] == [
        t("signin.unknown_user", "nb", email=md_escape("stranger_1@kommune.no"))]
    assert [b.label for b in at.button] == [t("signin.logout", "nb")]
    assert not at.title and not at.dataframe and at.session_state[auth.ACTOR_KEY] is None


def test_sign_ins_are_recorded_once_per_session(app_db):
    engine = make_engine(app_db)
    at = _run({"auth": AUTH}, {"is_logged_in": True, "email": "viewer@kommune.no"})
    at.run()
    at.sidebar.selectbox(key="lang").select("en").run()
    _run({"auth": AUTH}, {"is_logged_in": True, "email": "Stranger@Kommune.no"})
    _run({"auth": AUTH}, {"is_logged_in": False})  # nobody signed in: nothing to record
    trail = service.audit_trail(engine, ADMIN)
    signins = trail[trail["action"].isin(["sign_in", "sign_in_refused"])]
    assert signins[["actor", "action", "object"]].values.tolist() == [
        ["viewer@kommune.no", "sign_in", "viewer@kommune.no"],
        ["stranger@kommune.no", "sign_in_refused", "stranger@kommune.no"],
    ]
    assert signins["source"].tolist() == ["oidc", "oidc"]


def test_a_removed_user_loses_access_on_the_next_run(app_db):
    at = _run({"auth": AUTH}, {"is_logged_in": True, "email": "planner@kommune.no"})
    assert at.session_state[auth.ACTOR_KEY].role == "planner"
    service.remove_user(make_engine(app_db), ADMIN, "planner@kommune.no")
    at.run()
    assert not at.exception
    assert at.session_state[auth.ACTOR_KEY] is None and not at.title


# ---------------------------------------------------------------- a real server, no browser


def session_texts(server: Server, timeout: float = 60.0,
                  headers: dict[str, str] | None = None) -> list[str]:
    """Run one session of the app over its websocket, as a browser would, without one; return
    the text of every element drawn (bodies and labels), in order, once the script finished."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    texts: list[str] = []
    deadline = time.monotonic() + timeout
    with connect(server.url.replace("http://", "ws://") + "/_stcore/stream",
                 subprotocols=["streamlit"], open_timeout=timeout,
                 additional_headers=headers) as ws:
        back = BackMsg()
        back.rerun_script.query_string = ""
        ws.send(back.SerializeToString())
        while time.monotonic() < deadline:
            msg = ForwardMsg()
            msg.ParseFromString(ws.recv(timeout=max(deadline - time.monotonic(), 0.1)))
            kind = msg.WhichOneof("type")
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                body = getattr(element, element.WhichOneof("type") or "", None)
                texts += [getattr(body, f) for f in ("body", "label")
                          if body is not None and getattr(body, f, "")]
            elif kind == "script_finished" and (
                    msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN):
                return texts  # "/" switches to the first page: that run ends early
    raise TimeoutError(f"no finished run in {timeout} s:\n{server.log_tail()}")


def test_a_real_server_on_0000_without_secrets_refuses(demo_module_url):
    with streamlit_server(demo_module_url, address="0.0.0.0", timeout=TIMEOUT) as server:
        texts = session_texts(server)
        log = server.log_tail(200)
    assert texts == [md_escape(t("signin.refused_address", "nb", address="0.0.0.0", keys=""))]
    assert "GeoPlan refuses to run" in log


def test_a_real_server_on_localhost_runs_in_local_mode(demo_module_url):
    """On 127.0.0.1 without secrets: local mode for a session from this machine, refused for a
    session that a proxy forwarded (nginx on the same host would otherwise make every visitor
    the local admin)."""
    with streamlit_server(demo_module_url, address="127.0.0.1", timeout=TIMEOUT) as server:
        texts = session_texts(server)
        proxied = session_texts(server, headers={"X-Forwarded-For": "203.0.113.7"})
    assert any(html.escape(t("signin.local_banner", "nb")) in x for x in texts)
    assert t("map_title", "nb") in texts
    assert not any(t("signin.button", "nb") == x for x in texts)
    assert proxied == [md_escape(t("signin.refused_proxy", "nb", via="203.0.113.7"))]
