"""Who may do what: the four roles, the actions they may take, and the acting user.

Ground floor.  The service checks :func:`may` (through :func:`require`) before every change;
pages only hide what a role may not do.  The table is README's "Roles":

==================  ==========================================================================
role                may
==================  ==========================================================================
viewer              read every internal page
property_manager    viewer, plus test, rank, plan and save scenarios
planner             property_manager, plus import, dispose, change the policy and record a
                    scenario into the register
admin               planner, plus manage users
==================  ==========================================================================
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES: tuple[str, ...] = ("viewer", "property_manager", "planner", "admin")

# action -> the least role that may take it (each role may do what the roles before it may)
ACTIONS: dict[str, str] = {
    "read": "viewer",
    "evaluate": "property_manager",
    "rank": "property_manager",
    "plan": "property_manager",
    "save_scenario": "property_manager",
    "delete_scenario": "property_manager",
    "import": "planner",
    "dispose": "planner",
    "set_policy": "planner",
    "record_scenario": "planner",
    "add_unit_type": "planner",
    "backup": "admin",
    "restore": "admin",
    "manage_users": "admin",
}


@dataclass(frozen=True)
class Actor:
    """The user a service call acts for: ``email`` (or OS user), ``role`` and where from.

    ``source`` is "oidc" (signed in to the app), "local" (the app without sign-in, one person on
    their own machine) or "cli" (the ``geoplan`` command, a local admin).
    """

    email: str
    role: str
    source: str = "oidc"


class AccessDenied(PermissionError):
    """``actor`` may not take ``action``; carries both as codes for the page to word."""

    def __init__(self, actor: Actor | None, action: str):
        self.actor, self.action = actor, action
        who = f"{actor.email} ({actor.role})" if actor else "nobody signed in"
        super().__init__(f"{who} may not {action.replace('_', ' ')}: it needs the role "
                         f"{ACTIONS.get(action, '?')} or higher")


def may(role: str | None, action: str) -> bool:
    """Whether ``role`` may take ``action`` (unknown roles and actions may nothing)."""
    if role not in ROLES or action not in ACTIONS:
        return False
    return ROLES.index(role) >= ROLES.index(ACTIONS[action])


def require(actor: Actor | None, action: str) -> Actor:
    """Return ``actor`` when it may take ``action``; raise :class:`AccessDenied` otherwise."""
    if actor is None or not may(actor.role, action):
        raise AccessDenied(actor, action)
    return actor
