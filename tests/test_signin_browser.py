"""Sign-in in headless Chromium against a real OpenID Connect provider (issue 11, section 1).

``oidc-provider-mock`` runs on a free localhost port in this process (:mod:`geoplan.testing.oidc`;
no internet), and a real ``streamlit run`` listens on 0.0.0.0 with ``[auth]`` pointing at it:
sign-in is configured, so the non-local address is allowed.  Chromium clicks "Logg inn", is sent
to the provider's form, types the e-mail as the subject, clicks "Authorize" and comes back
signed in.  Each role sees its own pages; an unknown address sees one sentence; two roles
signed in at once in two browser contexts never see each other's view.

Run alone with ``pytest -m browser``; skipped when /usr/bin/chromium is missing.
"""

from __future__ import annotations

import shutil

import pytest

from geoplan import service
from geoplan.config import PROJECT_DIR
from geoplan.roles import ROLES, Actor
from geoplan.storage.db import make_engine
from geoplan.testing.oidc import AUTHORIZE_BUTTON, SUBJECT_FIELD, oidc_provider
from geoplan.testing.server import free_port, streamlit_server
from geoplan.ui.i18n import t

pytestmark = pytest.mark.browser

# The pages each role sees (URL paths), by hand.
EXPECTED = {
    "viewer": {"kart", "konsentrasjon", "behov", "presentasjon"},
    "property_manager": {"kart", "konsentrasjon", "behov", "presentasjon", "kjopstest", "kjopsplan"},
    "planner": {"kart", "konsentrasjon", "behov", "presentasjon", "kjopstest", "kjopsplan",
                "import"},
}
# admins add the admin page when it exists (h11a's streamlit_app/pages/admin.py)
EXPECTED["admin"] = EXPECTED["planner"] | (
    {"admin"} if (PROJECT_DIR / "streamlit_app" / "pages" / "admin.py").is_file() else set())
STRANGER = "stranger@kommune.no"
NAV_JS = """() => [...document.querySelectorAll('[data-testid="stSidebarNav"] a')]
    .map(a => new URL(a.href).pathname.replace(/^\\/+/, ''))"""


def email(role: str) -> str:
    return f"{role}@kommune.no"


@pytest.fixture(scope="module")
def signin_db(demo_template, tmp_path_factory) -> str:
    """A copy of the demo with one user of each role (added with service.add_user)."""
    target = tmp_path_factory.mktemp("signin") / "demo.sqlite"
    shutil.copyfile(demo_template, target)
    url = f"sqlite:///{target}"
    engine = make_engine(url)
    admin = Actor("it@kommune.no", "admin", "cli")
    for role in ROLES:
        service.add_user(engine, admin, email(role), role)
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def provider():
    """The local OpenID Connect provider, knowing every test user and the stranger."""
    with oidc_provider([email(r) for r in ROLES] + [STRANGER]) as p:
        yield p


@pytest.fixture(scope="module")
def server(signin_db, provider):
    port = free_port()
    secrets = provider.auth_secrets(f"http://127.0.0.1:{port}/oauth2callback")
    with streamlit_server(signin_db, port=port, address="0.0.0.0", secrets=secrets,
                          timeout=120) as s:
        yield s


def new_context(browser):
    """A browser context of its own (its own cookies: one signed-in user)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(120_000)
    return context


def sign_in(page, server, who: str) -> None:
    """Open the app, click "Logg inn", sign in at the provider as ``who`` and come back."""
    try:
        page.goto(server.url, wait_until="domcontentloaded")
        page.get_by_role("button", name=t("signin.button", "nb")).wait_for()
        page.get_by_role("button", name=t("signin.button", "nb")).click()
        page.get_by_placeholder(SUBJECT_FIELD).fill(who)
        page.get_by_role("button", name=AUTHORIZE_BUTTON, exact=True).click()
        page.wait_for_url(f"{server.url}/**")
    except Exception as exc:  # say what the browser showed and what the server logged
        raise AssertionError(f"sign-in as {who} failed at {page.url}: {exc}\n--- page:\n"
                             f"{page.inner_text('body')[:1500]}\n--- server:\n"
                             f"{server.log_tail(60)}") from exc


def signed_in_as(page, who: str, role: str) -> None:
    """Wait until the sidebar says who is signed in."""
    text = t("signin.as", "nb", email=who, role=t(f"signin.role.{role}", "nb"))
    page.locator('[data-testid="stSidebar"]').get_by_text(text).wait_for()


def nav_paths(page) -> set[str]:
    """The URL paths of the sidebar's page links (the default page, the map, links to "/")."""
    page.locator('[data-testid="stSidebarNav"] a').first.wait_for()
    return {p or "kart" for p in page.evaluate(NAV_JS)}


def check_role(page, role: str) -> None:
    """The page shows ``role``'s e-mail and exactly its pages."""
    signed_in_as(page, email(role), role)
    shown = nav_paths(page)
    assert shown == EXPECTED[role], (role, shown)
    body = page.inner_text("body")
    assert t("signin.local_banner", "nb") not in body
    for other in ROLES:
        if other != role:
            assert email(other) not in body, (role, other)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_signs_in_and_sees_its_pages(chromium_browser, server, role):
    context = new_context(chromium_browser)
    try:
        page = context.new_page()
        sign_in(page, server, email(role))
        check_role(page, role)
        page.get_by_role("heading", name=t("map_title", "nb")).wait_for()
        if role == "viewer":  # a page not registered for the role is not reachable by URL
            page.goto(f"{server.url}/import", wait_until="domcontentloaded")
            signed_in_as(page, email(role), role)
            page.get_by_role("heading", name=t("map_title", "nb")).wait_for()
            assert "import" not in nav_paths(page)
    finally:
        context.close()


def test_an_unknown_user_is_refused(chromium_browser, server, signin_db):
    context = new_context(chromium_browser)
    try:
        page = context.new_page()
        sign_in(page, server, STRANGER)
        page.get_by_text(t("signin.unknown_user", "nb", email=STRANGER)).wait_for()
        page.get_by_role("button", name=t("signin.logout", "nb")).wait_for()
        page.wait_for_timeout(500)
        assert page.locator('[data-testid="stSidebarNav"]').count() == 0
        body = page.inner_text("body")
        assert t("map_title", "nb") not in body and t("page_import", "nb") not in body
        # the URL of an internal page shows the same refusal, nothing else
        page.goto(f"{server.url}/kart", wait_until="domcontentloaded")
        page.get_by_text(t("signin.unknown_user", "nb", email=STRANGER)).wait_for()
        assert t("map_title", "nb") not in page.inner_text("body")
    finally:
        context.close()
    engine = make_engine(signin_db)  # the refusal is in the audit trail (two sessions: two rows)
    trail = service.audit_trail(engine, Actor("it@kommune.no", "admin", "cli"))
    engine.dispose()
    refused = trail[trail["action"] == "sign_in_refused"]
    assert refused["actor"].tolist() == [STRANGER, STRANGER]


def test_two_roles_at_once_never_see_each_others_view(chromium_browser, server):
    planner_ctx, viewer_ctx = new_context(chromium_browser), new_context(chromium_browser)
    try:
        planner, viewer = planner_ctx.new_page(), viewer_ctx.new_page()
        sign_in(planner, server, email("planner"))
        sign_in(viewer, server, email("viewer"))  # while the planner is signed in
        check_role(viewer, "viewer")
        check_role(planner, "planner")
        # both reload (new sessions on the same server, shared caches): still apart
        planner.reload(wait_until="domcontentloaded")
        viewer.reload(wait_until="domcontentloaded")
        check_role(viewer, "viewer")
        check_role(planner, "planner")
        assert "import" in nav_paths(planner) and "import" not in nav_paths(viewer)
        # the planner opens the import page; the viewer asking for it still gets the map
        planner.goto(f"{server.url}/import", wait_until="domcontentloaded")
        planner.get_by_role("heading", name=t("import_title", "nb")).wait_for()
        viewer.goto(f"{server.url}/import", wait_until="domcontentloaded")
        signed_in_as(viewer, email("viewer"), "viewer")
        viewer.get_by_role("heading", name=t("map_title", "nb")).wait_for()
    finally:
        planner_ctx.close()
        viewer_ctx.close()


def test_sign_out_returns_to_the_sign_in_page(chromium_browser, server, provider):
    context = new_context(chromium_browser)
    try:
        page = context.new_page()
        sign_in(page, server, email("viewer"))
        signed_in_as(page, email("viewer"), "viewer")
        page.locator('[data-testid="stSidebar"]').get_by_role(
            "button", name=t("signin.logout", "nb")).click()
        # Streamlit drops its cookie and sends the browser to the provider's end_session
        page.wait_for_url(f"{provider.url}/oauth2/end_session**")
        page.goto(server.url, wait_until="domcontentloaded")
        page.get_by_role("button", name=t("signin.button", "nb")).wait_for()
        assert email("viewer") not in page.inner_text("body")
    finally:
        context.close()
