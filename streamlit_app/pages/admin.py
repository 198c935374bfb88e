"""Admin page: who may sign in with which role, and the audit trail (administrators only).

The shell registers the page for roles that may "manage_users" only; the service checks every
call again (:func:`geoplan.service.add_user`, :func:`~geoplan.service.remove_user`,
:func:`~geoplan.service.audit_trail`), and every change made here is in the audit trail.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from geoplan import service
from geoplan.roles import may
from geoplan.ui import admin_view
from geoplan.ui.format import date_input_format
from geoplan.ui.i18n import t
from geoplan.ui.purchase_view import md_escape
from streamlit_app import loaders
from streamlit_app.widgets import show_table

lang = loaders.lang()
engine = loaders.engine()
actor = loaders.actor()

st.title(t("admin.title", lang))
if not may(actor.role if actor else None, "manage_users"):
    st.error(t("access_denied", lang, role=t(f"signin.role.{actor.role}", lang) if actor else "-"))
    st.stop()

# ---------------------------------------------------------------- users

st.subheader(t("admin.users", lang))
st.caption(t("admin.users_help", lang))
with st.form("admin_add_user", clear_on_submit=True):
    email_col, role_col = st.columns([3, 2])
    email = email_col.text_input(t("admin.email", lang), key="admin_email",
                                 placeholder=t("admin.email_placeholder", lang))
    role = role_col.selectbox(t("admin.role", lang), service.ROLES, key="admin_role",
                              format_func=lambda r: t(f"signin.role.{r}", lang))
    if st.form_submit_button(t("admin.add", lang), key="admin_add"):
        try:
            _, new = service.add_user(engine, actor, email, role)
        except ValueError:
            st.error(t("admin.bad_email", lang, email=md_escape(email)))
        else:
            st.success(t("admin.added", lang, email=md_escape(email.strip().lower()),
                         role=t(f"signin.role.{new}", lang)))

users = service.users(engine, actor)
if users.empty:
    st.info(t("admin.no_users", lang))
else:
    show_table(admin_view.users_table(users, lang), lang)
    pick_col, remove_col = st.columns([3, 1], vertical_alignment="bottom")
    pick = pick_col.selectbox(t("admin.email", lang), users["email"].tolist(), index=None,
                              key="admin_remove_pick", placeholder=t("choose_one", lang))
    if remove_col.button(t("admin.remove", lang), key="admin_remove", disabled=pick is None,
                         icon=":material/person_remove:"):
        if pick == actor.email:  # an admin never locks themselves out from here
            st.error(t("admin.not_self", lang))
        else:
            service.remove_user(engine, actor, pick)
            st.success(t("admin.removed", lang, email=md_escape(pick)))
            st.rerun()

# ---------------------------------------------------------------- the audit trail

st.divider()
st.subheader(t("admin.audit", lang))
st.caption(t("admin.audit_help", lang))
since_col, action_col, verify_col = st.columns([2, 2, 1], vertical_alignment="bottom")
since = since_col.date_input(t("admin.since", lang), value=None, min_value=dt.date(2000, 1, 1),
                             key="admin_since", format=date_input_format(lang))
action = action_col.selectbox(t("admin.action", lang), [None, *service.AUDIT_ACTIONS],
                              key="admin_action",
                              format_func=lambda a: t("admin.all_actions", lang) if a is None
                              else admin_view.action_label(a, lang))
if verify_col.button(t("admin.verify", lang), key="admin_verify", icon=":material/verified:"):
    check = service.verify_audit(engine)
    if check.ok:
        st.success(t("admin.verify_ok", lang, n=check.rows))
    else:
        st.error(t("admin.verify_bad", lang, id=check.first_bad))
rows = service.audit_trail(engine, actor, since, action)
if rows.empty:
    st.caption(t("admin.no_rows", lang))
else:
    show_table(admin_view.audit_table(rows, lang), lang, decimals={t("audit.col.id", lang): 0})
