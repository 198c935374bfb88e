"""Words for setting up, resetting and the demo's refusals (:class:`geoplan.service.SetupRefused`).

The service raises a code and its details (``geoplan.service.SETUP_CODES``); the words are the
i18n keys ``setup.refused.<code>`` in bokmål and English.  Plain text: a page escapes it.
"""

from __future__ import annotations

from geoplan.ui.i18n import t
from geoplan.ui.wording import fill


def setup_refusal_text(exc, lang: str) -> str:
    """One refusal (a ``SetupRefused``) as a sentence in ``lang``."""
    detail = dict(exc.detail)
    key = f"setup.refused.{exc.code}"
    if exc.code == "not_empty" and detail.get("number") is None:
        key = "setup.refused.not_empty_units"
    return fill(t(key, lang), lang, **detail)
