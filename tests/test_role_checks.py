"""The role table is enforced in the service: every function that changes something, called
directly as each role (and as nobody), refuses exactly the roles below its action, records the
refusal in the audit trail and leaves every other table as it was."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from sqlalchemy import MetaData, select
from sqlalchemy.orm import Session

from geoplan import service
from geoplan.config import PROJECT_DIR
from geoplan.roles import ACTIONS, ROLES, Actor, may
from geoplan.storage import repo
from geoplan.storage.db import make_engine
from geoplan.storage.models import Unit
from geoplan.testing.data import ELVERUM, seed_database, to_xy, unit_record
from geoplan.testing.paths import BOUNDARY, TEST_DATA

X, Y = to_xy(*ELVERUM)
ITEM = {"action": "buy", "label": "Storgata 9", "address": "Storgata 9", "x": X + 50.0,
        "y": Y + 50.0, "rooms": 3, "price": 2_500_000}


def _items() -> pd.DataFrame:
    return pd.DataFrame([ITEM])


def _plan() -> SimpleNamespace:
    """What save_plan reads of a plan: its purchases, sales, budget, targets and policy."""
    return SimpleNamespace(chosen=_items(), sales=_items().iloc[:0], budget=3_000_000.0,
                           targets={"elderly": 1}, policy={"max_area_share": 0.1})


# function, its arguments after (engine, actor), the action it needs
CALLS: list[tuple[str, tuple, dict, str]] = [
    ("import_file", ("units", TEST_DATA / "boliger_ok_cp1252.csv"), {"crs": "EPSG:25833"},
     "import"),
    ("import_bytes", ("flows", b"Ar;Malgruppe\n", "strommer.csv"), {}, "import"),
    ("load_demo", (), {}, "import"),
    ("ensure_demo", (), {}, "import"),
    ("dispose_unit", ("T-1", dt.date(2026, 6, 30)), {}, "dispose"),
    ("set_policy", (), {"max_area_share": 0.2}, "set_policy"),
    ("add_unit_type", ("bofellesskap", "Bofellesskap", "Shared housing"), {}, "add_unit_type"),
    ("save_scenario", ("Ny", _items()), {}, "save_scenario"),
    ("save_plan", ("Plan", _plan()), {}, "save_scenario"),
    ("delete_scenario", ("Utkast",), {}, "delete_scenario"),
    ("record_purchase", ("Utkast", "Storgata 9", "T-NY", "ordinary", "owned"), {},
     "record_scenario"),
    ("add_user", ("kari@kommune.no", "planner"), {}, "manage_users"),
    ("remove_user", ("ola@kommune.no",), {}, "manage_users"),
    ("users", (), {}, "manage_users"),
    ("audit_trail", (), {}, "manage_users"),
    ("record_export", ("report", "papers.pdf"), {}, "read"),
]
WHO = [*ROLES, None]  # None: nobody signed in


@pytest.fixture(scope="module")
def world_template(tmp_path_factory) -> Path:
    """The test municipality with one unit T-1, a draft scenario "Utkast" and a user ola."""
    path = tmp_path_factory.mktemp("roles") / "world.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine) as s, s.begin():
        repo.set_municipality(s, "9999", "Testkommune", BOUNDARY)
    admin = service.local_actor()
    seed_database(engine, [unit_record("T-1", *ELVERUM)])
    service.save_scenario(engine, admin, "Utkast", _items())
    service.add_user(engine, admin, "ola@kommune.no", "viewer")
    engine.dispose()
    return path


@pytest.fixture
def world(world_template, tmp_path):
    """A private copy of the world (a test may change it)."""
    target = tmp_path / "world.sqlite"
    shutil.copyfile(world_template, target)
    engine = make_engine(f"sqlite:///{target}")
    yield engine
    engine.dispose()


def snapshot(engine) -> dict[str, list]:
    """Every row of every table but the audit trail, in a stable order."""
    meta = MetaData()
    meta.reflect(engine)
    out = {}
    with engine.connect() as conn:
        for name, table in meta.tables.items():
            if name == "audit":
                continue
            cols = [c for c in table.columns if c.name not in ("updated_at",)]
            out[name] = sorted(tuple(map(repr, row)) for row in conn.execute(select(*cols)))
    return out


def test_the_table_covers_every_change_action():
    changes = {a for a in ACTIONS
               if a not in ("read", "evaluate", "rank", "plan", "restore", "backup")}
    assert {action for *_, action in CALLS} >= changes  # backup, restore: tests/test_backup.py


@pytest.mark.parametrize("role", WHO, ids=[r or "nobody" for r in WHO])
@pytest.mark.parametrize(("name", "args", "kwargs", "action"), CALLS, ids=[c[0] for c in CALLS])
def test_each_function_refuses_exactly_the_roles_below_its_action(world, role, name, args,
                                                                  kwargs, action):
    actor = None if role is None else Actor(f"{role}@kommune.no", role)
    fn = getattr(service, name)
    before = snapshot(world)
    trail_before = len(repo.audit_rows(world))
    if may(role, action):
        try:
            fn(world, actor, *args, **kwargs)
        except (service.ImportRefused, service.SetupRefused):  # allowed, and refused for
            pass  # the file (import_bytes) or for the municipality (the demo into another)
        trail = repo.audit_rows(world)
        assert "refused" not in set(trail["action"].iloc[trail_before:])
        return
    with pytest.raises(service.AccessDenied) as refused:
        fn(world, actor, *args, **kwargs)
    assert refused.value.action == action
    assert snapshot(world) == before  # nothing touched
    trail = repo.audit_rows(world)
    assert len(trail) == trail_before + 1
    row = trail.iloc[-1]
    assert row["action"] == "refused"
    assert row["actor"] == (actor.email if actor else "(nobody)")
    assert row["after"] == {"action": action, "role": role}
    assert service.verify_audit(world).ok


def test_the_actor_is_required_everywhere(world):
    """No default actor: a call without one is a TypeError, never a silent admin."""
    import inspect

    for name, *_ in CALLS:
        params = list(inspect.signature(getattr(service, name)).parameters.values())
        assert params[1].name == "actor" and params[1].default is inspect.Parameter.empty, name


def test_a_refused_change_changes_nothing_even_for_the_audit_chain(world):
    viewer = Actor("v@kommune.no", "viewer")
    with pytest.raises(service.AccessDenied):
        service.dispose_unit(world, viewer, "T-1", dt.date(2026, 1, 1))
    with Session(world) as s:
        assert s.scalar(select(Unit.disposed).where(Unit.unit_id == "T-1")) is None
    assert service.verify_audit(world).ok


# ---------------------------------------------------------------- pages hide what a role may not do

CONCENTRATION = str(PROJECT_DIR / "streamlit_app/pages/concentration.py")
ADMIN_PAGE = str(PROJECT_DIR / "streamlit_app/pages/admin.py")


@pytest.fixture
def app_db(demo_copy, app_uses):
    """The app's database: a private copy of the demo (caches cleared around the test)."""
    return app_uses(demo_copy)


def _page(path: str, actor: Actor | None):
    from streamlit.testing.v1 import AppTest

    from streamlit_app import auth

    at = AppTest.from_file(path, default_timeout=120)
    at.session_state[auth.ACTOR_KEY] = actor
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.parametrize("role", ["property_manager", "planner"])  # just below, just at
def test_the_caps_can_be_saved_only_by_roles_that_may(app_db, role):
    at = _page(CONCENTRATION, Actor(f"{role}@kommune.no", role))
    button = at.button(key="policy_save")
    assert button.disabled is not may(role, "set_policy")
    read_only = "Bare planleggere og administratorer kan endre takene."
    assert (read_only in [c.value for c in at.caption]) is not may(role, "set_policy")


def test_the_admin_page_manages_users_and_shows_the_trail(app_db):
    admin = Actor("sjef@kommune.no", "admin")
    at = _page(ADMIN_PAGE, admin)
    at.text_input(key="admin_email").input("Kari@Kommune.no")
    at.selectbox(key="admin_role").select("planner")
    at.button(key="admin_add").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert [s.value for s in at.success] == ["kari@kommune.no har nå rollen planlegger."]
    users = at.dataframe[0].value
    assert users[["E-postadresse", "Rolle"]].values.tolist() == [["kari@kommune.no",
                                                                 "planlegger"]]
    trail = at.dataframe[1].value
    assert trail.iloc[0][["Hvem", "Handling", "Hva", "Etter"]].tolist() == [
        "sjef@kommune.no", "bruker lagt til/endret", "kari@kommune.no", '{"role": "planner"}']
    at.button(key="admin_verify").click().run()
    assert [s.value for s in at.success][-1].startswith("Kjeden er hel: ")

    viewer = _page(ADMIN_PAGE, Actor("kari@kommune.no", "viewer"))
    assert [e.value for e in viewer.error] == ["Rollen din (leser) har ikke lov til dette."]
    assert not viewer.dataframe
