"""The register and its settings: units, areas, unit types, municipality and policy.

Every read a page or the command line makes of the stored data, and every change to the units or
the policy, goes through here.  A change takes the acting user (:class:`geoplan.roles.Actor`),
checks the role before it touches the database, and writes its audit row in its own
transaction (:mod:`geoplan.service.audit`).
"""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from geoplan.analytics.active import active_units
from geoplan.io import values
from geoplan.policy import Policy
from geoplan.roles import Actor
from geoplan.service import audit
from geoplan.storage import repo
from geoplan.storage.models import ImportBatch, Municipality, PolicySetting, UnitChange
from geoplan.vocab import Vocabulary


def units(engine: Engine, active_on: dt.date | None = None) -> gpd.GeoDataFrame:
    """Return the register's units (EPSG:25833); with ``active_on``, those active that day.

    Columns: :data:`geoplan.unit_fields.REGISTER_FIELDS` and ``geometry``.
    """
    frame = repo.load_units(engine)
    if active_on is None:
        return frame
    return active_units(frame, active_on).reset_index(drop=True)


def areas(engine: Engine, system: str) -> gpd.GeoDataFrame:
    """Return the areas of ``system`` (EPSG:25833).

    Columns: ``system``, ``code``, ``name``, ``population``, ``dwellings``, ``indicators``,
    ``geometry``.
    """
    return repo.load_areas(engine, system)


def area_systems(engine: Engine) -> list[str]:
    """Return the names of the stored area systems."""
    return repo.area_systems(engine)


def unit_types(engine: Engine) -> Vocabulary:
    """Return the configured unit types."""
    return repo.unit_types(engine)


def add_unit_type(engine: Engine, actor: Actor, code: str, name_nb: str, name_en: str,
                  aliases: tuple[str, ...] | list[str] = (), color: str = "#777777") -> None:
    """Add a unit type, or relabel an existing one (planners and admins; AccessDenied)."""
    audit.check(engine, actor, "add_unit_type", code)
    with Session(engine) as s, s.begin():
        old = repo.add_unit_type(s, code, name_nb, name_en, aliases, color)
        audit.write(s, actor, "add_unit_type", code, before=old,
                    after={"name_nb": name_nb, "name_en": name_en,
                           "aliases": ";".join(aliases), "color": color})


def municipality(engine: Engine) -> Municipality | None:
    """Return the stored municipality (number, name, boundary, synthetic), or None."""
    return repo.municipality(engine)


def policy(engine: Engine) -> Policy:
    """Return the stored policy (defaults for any value not stored)."""
    return repo.policy(engine)


def set_policy(engine: Engine, actor: Actor, **values: float) -> Policy:
    """Change policy values by name (planners and admins; AccessDenied otherwise);
    :class:`geoplan.policy.PolicyError` on any bad value.

    Nothing is stored unless every value is valid.  The audit row holds the changed values
    before and after (``counts``: how many changed).
    """
    audit.check(engine, actor, "set_policy", "policy")
    old = repo.policy(engine)
    new = old.replace(**values)
    before, after = old.as_dict(), new.as_dict()
    changed = sorted(k for k in after if before.get(k) != after[k])
    with Session(engine) as s, s.begin():
        repo.save_policy(s, new)
        audit.write(s, actor, "set_policy", "policy", before={k: before.get(k) for k in changed},
                    after={k: after[k] for k in changed}, counts={"changed": len(changed)})
    return new


def unit_history(engine: Engine, unit_id: str) -> pd.DataFrame:
    """Return one unit's recorded changes, oldest first.

    Columns: ``changed_at``, ``batch_id``, ``field``, ``old``, ``new``.
    """
    return repo.unit_history(engine, unit_id)


def dispose_unit(engine: Engine, actor: Actor, unit_id: str, when: dt.date) -> None:
    """Record a sale or disposal: the unit keeps its row and its history (KeyError, ValueError;
    planners and admins only, AccessDenied)."""
    audit.check(engine, actor, "dispose", unit_id)
    with Session(engine) as s, s.begin():
        old = repo.dispose_unit(s, unit_id, when)
        audit.write(s, actor, "dispose", unit_id, before={"disposed": old},
                    after={"disposed": when}, counts={"units": 1})


def parse_date(text: object) -> dt.date:
    """Parse a date as the importers do: dd.mm.yyyy, yyyy-mm-dd (ValueError otherwise)."""
    return values.date(text)


def data_version(engine: Engine) -> tuple[int, int, str]:
    """Return (last import batch, last unit change, last policy edit): changes on every write."""
    with engine.connect() as conn:
        batch = conn.scalar(select(func.max(ImportBatch.id))) or 0
        change = conn.scalar(select(func.max(UnitChange.id))) or 0
        edited = conn.scalar(select(func.max(PolicySetting.updated_at)))
    return int(batch), int(change), str(edited)
