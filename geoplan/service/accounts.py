"""Users and roles: who may sign in, with which role (``geoplan users …`` and the admin page).

Every change here takes the acting user and is checked with :func:`geoplan.roles.require`
before the database is touched.  :func:`local_actor` is the command line's actor: a local admin
named after the operating-system user.
"""

from __future__ import annotations

import getpass
import re

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from geoplan.roles import ROLES, AccessDenied, Actor
from geoplan.service import audit
from geoplan.storage import repo

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

__all__ = ["ROLES", "AccessDenied", "Actor", "add_user", "actor_for", "app_actor", "local_actor",
           "remove_user", "user_role", "users"]


def local_actor() -> Actor:
    """The command line's actor: the operating-system user, as a local admin."""
    try:
        name = getpass.getuser()
    except Exception:  # no user name in this environment (containers)
        name = "unknown"
    return Actor(f"{name}@localhost", "admin", "cli")


def app_actor() -> Actor:
    """The app itself, as an admin: loads the demo into an empty database at its first start
    (before anyone has signed in), recorded in the audit trail as "geoplan@localhost" (app)."""
    return Actor("geoplan@localhost", "admin", "app")


def users(engine: Engine, actor: Actor) -> pd.DataFrame:
    """The users who may sign in (admins only): ``email``, ``role``, ``added_at``, ``added_by``."""
    audit.check(engine, actor, "manage_users", "users")
    return repo.users(engine)


def user_role(engine: Engine, email: str) -> str | None:
    """The role of a signed-in ``email``, or None: an unknown user is refused by the app."""
    return repo.user_role(engine, email)


def actor_for(engine: Engine, email: str | None, source: str = "oidc") -> Actor | None:
    """The actor of a signed-in ``email`` (None when the address has no role)."""
    if not email:
        return None
    role = repo.user_role(engine, email)
    return None if role is None else Actor(email.strip().lower(), role, source)


def add_user(engine: Engine, actor: Actor, email: str, role: str) -> tuple[str | None, str]:
    """Add a user or change their role (admins only); return (old role or None, new role)."""
    audit.check(engine, actor, "manage_users", email.strip().lower())
    if role not in ROLES:
        raise ValueError(f"unknown role '{role}'; known: {', '.join(ROLES)}")
    if not _EMAIL.match(email.strip()):
        raise ValueError(f"'{email}' is not an e-mail address")
    with Session(engine) as s, s.begin():
        old, new = repo.put_user(s, email, role, actor.email)
        audit.write(s, actor, "add_user", email.strip().lower(), before={"role": old},
                    after={"role": new})
        return old, new


def remove_user(engine: Engine, actor: Actor, email: str) -> str:
    """Remove a user (admins only); return the role they had (KeyError when unknown)."""
    audit.check(engine, actor, "manage_users", email.strip().lower())
    with Session(engine) as s, s.begin():
        role = repo.delete_user(s, email)
        audit.write(s, actor, "remove_user", email.strip().lower(), before={"role": role})
        return role
