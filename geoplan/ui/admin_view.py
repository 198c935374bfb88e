"""Tables of the admin page and the policy's confirmation: users, the audit trail, old → new.

Frames in, display frames out (translated headers, formatted values); no Streamlit here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import pandas as pd

from geoplan import service
from geoplan.policy import COUNT, POLICY_FIELDS, SHARE
from geoplan.ui.format import cap_pct, nok
from geoplan.ui.i18n import has, t

AUDIT_COLUMNS: tuple[str, ...] = ("id", "at", "actor", "source", "action", "object", "before",
                                  "after", "counts")


def policy_value(name: str, value: float, lang: str) -> str:
    """One policy value as the form shows it: a share in %, a count, or kroner."""
    kind = next(f.kind for f in POLICY_FIELDS if f.name == name)
    if kind == SHARE:
        return cap_pct(value, lang)
    if kind == COUNT:
        return str(int(value))
    return nok(value, lang)


def policy_changes(old: Mapping[str, float], new: Mapping[str, float], lang: str) -> pd.DataFrame:
    """The policy values that change, old → new: columns Cap, Now, New (translated).

    ``old`` and ``new`` map each policy field's name to its value; unchanged fields are left out.
    """
    rows = [{t("policy_col_name", lang): t(f"policy.{f.name}", lang),
             t("policy_col_old", lang): policy_value(f.name, old[f.name], lang),
             t("policy_col_new", lang): policy_value(f.name, new[f.name], lang)}
            for f in POLICY_FIELDS if float(old[f.name]) != float(new[f.name])]
    return pd.DataFrame(rows, columns=[t(k, lang) for k in
                                       ("policy_col_name", "policy_col_old", "policy_col_new")])


def action_label(action: str, lang: str) -> str:
    """An audit action's name in ``lang`` (the code itself when it has no translation)."""
    key = f"audit.action.{action}"
    return t(key, lang) if has(key) else action


def _json_text(value: object) -> str:
    return "" if value is None else json.dumps(service.json_ready(value), ensure_ascii=False)


def audit_table(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The audit trail for display, newest first.

    ``rows``: :func:`geoplan.service.audit_trail` (``id``, ``at``, ``actor``, ``source``,
    ``action``, ``object``, ``before``, ``after``, ``counts``, …).  JSON fields are shown as
    JSON text, the action in words, the time as a datetime; the hashes are left out.
    """
    out = pd.DataFrame({
        "id": rows["id"].astype(int),
        "at": pd.to_datetime(rows["at"]),  # a date and time: the page shows it by the language
        "actor": rows["actor"], "source": rows["source"],
        "action": [action_label(a, lang) for a in rows["action"]],
        "object": rows["object"].fillna(""),
        **{k: [_json_text(v) for v in rows[k]] for k in ("before", "after", "counts")},
    }, columns=list(AUDIT_COLUMNS)).iloc[::-1]
    return out.rename(columns={c: t(f"audit.col.{c}", lang) for c in AUDIT_COLUMNS})


def users_table(users: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The users for display: e-mail, role in words, added when and by whom.

    ``users``: :func:`geoplan.service.users` (``email``, ``role``, ``added_at``, ``added_by``).
    """
    return pd.DataFrame({
        t("admin.email", lang): users["email"],
        t("admin.role", lang): [t(f"signin.role.{r}", lang) for r in users["role"]],
        t("admin.added_at", lang): pd.to_datetime(users["added_at"]).dt.date,
        t("admin.added_by", lang): users["added_by"].fillna(""),
    })
