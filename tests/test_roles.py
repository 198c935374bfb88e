"""The role table (geoplan.roles) and user management, checked in the service."""

from __future__ import annotations

import pytest

from geoplan import service
from geoplan.roles import ACTIONS, ROLES, Actor, may, require

TABLE = {  # README's role table, by hand
    "viewer": {"read"},
    "property_manager": {"read", "evaluate", "rank", "plan", "save_scenario", "delete_scenario"},
    "planner": {"read", "evaluate", "rank", "plan", "save_scenario", "delete_scenario", "import",
                "dispose", "set_policy", "record_scenario", "add_unit_type"},
    "admin": set(ACTIONS),
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_exactly_what_the_table_says(role):
    assert {a for a in ACTIONS if may(role, a)} == TABLE[role]


def test_unknown_roles_and_actions_may_nothing():
    assert not may("superuser", "read") and not may("admin", "launch") and not may(None, "read")
    with pytest.raises(service.AccessDenied, match="nobody signed in"):
        require(None, "read")


def test_users_are_managed_by_admins_only(engine):
    admin = service.local_actor()
    assert admin.role == "admin" and admin.source == "cli"
    assert service.add_user(engine, admin, " Kari@Elverum.kommune.no ", "planner") == (None,
                                                                                     "planner")
    assert service.user_role(engine, "KARI@elverum.kommune.no") == "planner"
    kari = service.actor_for(engine, "kari@elverum.kommune.no")
    assert kari == Actor("kari@elverum.kommune.no", "planner", "oidc")
    with pytest.raises(service.AccessDenied):
        service.add_user(engine, kari, "ola@elverum.kommune.no", "admin")
    with pytest.raises(service.AccessDenied):
        service.users(engine, kari)
    with pytest.raises(ValueError, match="unknown role"):
        service.add_user(engine, admin, "ola@elverum.kommune.no", "boss")
    with pytest.raises(ValueError, match="e-mail"):
        service.add_user(engine, admin, "ola", "viewer")
    assert service.add_user(engine, admin, "kari@elverum.kommune.no", "viewer") == ("planner",
                                                                                   "viewer")
    assert service.users(engine, admin)["email"].tolist() == ["kari@elverum.kommune.no"]
    assert service.remove_user(engine, admin, "kari@elverum.kommune.no") == "viewer"
    assert service.actor_for(engine, "kari@elverum.kommune.no") is None  # unknown: refused
    with pytest.raises(KeyError):
        service.remove_user(engine, admin, "kari@elverum.kommune.no")
