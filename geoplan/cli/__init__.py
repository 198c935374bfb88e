"""The ``geoplan`` command line (Typer): one module per command group, all through geoplan.service."""

from __future__ import annotations

import typer

from geoplan.cli import (
    admin,
    audit,
    backup,
    concentration,
    dashboard,
    demand,
    export,
    imports,
    policy,
    purchase,
    scenario,
    units,
    users,
)

app = typer.Typer(help="GeoPlan: municipal rental housing on the map.", no_args_is_help=True)
app.add_typer(imports.app, name="import")
app.add_typer(export.app, name="export")
app.add_typer(units.types_app, name="types")
app.add_typer(policy.app, name="policy")
app.add_typer(scenario.app, name="scenario")
app.add_typer(units.app, name="units")
app.add_typer(users.app, name="users")
app.add_typer(audit.app, name="audit")
# top-level commands: each module's commands are registered on the main app
for module in (concentration, purchase, dashboard, demand, admin, backup):
    for command in module.app.registered_commands:
        app.registered_commands.append(command)

__all__ = ["app"]
