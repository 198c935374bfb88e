"""A real OpenID Connect provider on this machine, for the sign-in tests: ``oidc-provider-mock``.

:func:`oidc_provider` starts the provider (a Flask app from PyPI's ``oidc-provider-mock``, a
test dependency imported only here) on a free localhost port in a thread of the test process,
with the given users, and stops it on exit.  It needs no internet: Streamlit's ``st.login``
fetches its metadata, the browser is sent to its authorization form, and the provider signs the
ID token with its own key, exactly as Entra ID or ID-porten would.

The mock accepts any client id and secret.  Its form (``/oauth2/authorize``) has one text field,
``sub`` (placeholder "sub"), and an "Authorize" button; a user added with :meth:`Provider.add_user`
gets the claims given there (``email`` among them), and a subject typed in that was never
added gets ``{"email": sub}``.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

# [auth] keys that do not depend on the provider (the cookie secret only signs test cookies).
CLIENT_ID = "geoplan-test"
CLIENT_SECRET = "geoplan-test-secret"
COOKIE_SECRET = "geoplan-test-cookie-secret-0123456789abcdef"
SUBJECT_FIELD = "sub"  # the placeholder of the mock's text field
AUTHORIZE_BUTTON = "Authorize"


@dataclass(frozen=True)
class Provider:
    """A running mock provider: its issuer URL (``http://localhost:PORT``)."""

    url: str

    @property
    def metadata_url(self) -> str:
        """The OpenID Connect discovery document (``server_metadata_url``)."""
        return f"{self.url}/.well-known/openid-configuration"

    def add_user(self, sub: str, email: str | None = None, **claims: object) -> None:
        """Let ``sub`` sign in with ``email`` (default: ``sub``) and any further claims."""
        body = json.dumps({"email": email or sub, "email_verified": True, **claims}).encode()
        request = urllib.request.Request(f"{self.url}/users/{urllib.parse.quote(sub, safe='')}",
                                         data=body, method="PUT",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            if response.status != 204:
                raise RuntimeError(f"the provider refused user {sub}: HTTP {response.status}")

    def auth_secrets(self, redirect_uri: str) -> dict[str, dict[str, str]]:
        """The ``[auth]`` section of ``.streamlit/secrets.toml`` for an app at ``redirect_uri``
        (``http://127.0.0.1:{port}/oauth2callback``; Streamlit fills in ``{port}``)."""
        return {"auth": {"redirect_uri": redirect_uri, "cookie_secret": COOKIE_SECRET,
                         "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                         "server_metadata_url": self.metadata_url}}


@contextmanager
def oidc_provider(users: Iterable[str] = ()) -> Iterator[Provider]:
    """Run ``oidc-provider-mock`` on a free localhost port; ``users`` are e-mail addresses
    added as subjects with that e-mail (:meth:`Provider.add_user`)."""
    import oidc_provider_mock

    with oidc_provider_mock.run_server_in_thread(port=0) as server:
        provider = Provider(f"http://localhost:{server.server_port}")
        for email in users:
            provider.add_user(email)
        yield provider
