"""`geoplan users …`: who may sign in to the app, with which role (the CLI acts as a local admin)."""

from __future__ import annotations

from typing import Annotated

import typer

from geoplan import service
from geoplan.cli.common import actor, engine, run

app = typer.Typer(help="Add, list or remove the users who may sign in, and their roles.",
                  no_args_is_help=True)
_ROLES = ", ".join(service.ROLES)


@app.command("add")
def users_add(
    email: str,
    role: Annotated[str, typer.Option("--role", help=f"One of: {_ROLES}.")],
) -> None:
    """Add a user with a role, or change a user's role (recorded in the audit trail)."""
    old, new = run(service.add_user, engine(), actor(), email, role)
    address = email.strip().lower()
    typer.echo(f"{address}: {new}" if old is None else f"{address}: {old} → {new}")


@app.command("list")
def users_list() -> None:
    """List the users who may sign in: e-mail, role, added when and by whom."""
    table = run(service.users, engine(), actor())
    if table.empty:
        typer.echo("no users: add one with 'geoplan users add EMAIL --role ROLE'")
    for row in table.itertuples():
        added = "" if row.added_at is None else f"{row.added_at:%Y-%m-%d}"
        typer.echo(f"{row.email}\t{row.role}\t{added}\t{row.added_by or ''}")


@app.command("remove")
def users_remove(email: str) -> None:
    """Remove a user: they can no longer sign in (recorded in the audit trail)."""
    role = run(service.remove_user, engine(), actor(), email)
    typer.echo(f"removed {email.strip().lower()} ({role})")
