"""`geoplan audit`: read the audit trail, and `geoplan audit verify`: check its hash chain."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from geoplan import service
from geoplan.cli.common import JsonOpt, actor, echo_json, engine, fail, parse_date

app = typer.Typer(help="Read the audit trail (every change, sign-in, refusal and report) or "
                       "verify its hash chain.")


def _brief(value: object) -> str:
    """A JSON field on one line ('' for none)."""
    return "" if value is None else json.dumps(service.json_ready(value), ensure_ascii=False)


@app.callback(invoke_without_command=True)
def audit(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option("--since", help="From this day, YYYY-MM-DD.")]
    = None,
    action: Annotated[str | None, typer.Option(
        "--action", help="Only this action, e.g. import, set_policy, refused.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Print the audit trail, oldest first: id, time (UTC), who, action, object, before,
    after, counts."""
    if ctx.invoked_subcommand is not None:
        return
    if action is not None and action not in service.AUDIT_ACTIONS:
        fail(ValueError(f"unknown action '{action}'; known: {', '.join(service.AUDIT_ACTIONS)}"))
    rows = service.audit_trail(engine(), actor(), parse_date(since), action)
    if as_json:
        echo_json(rows)
        return
    if rows.empty:
        typer.echo("no audit rows")
    for r in rows.to_dict("records"):
        parts = [str(r["id"]), f"{r['at']:%Y-%m-%d %H:%M:%S}", f"{r['actor']} ({r['source']})",
                 r["action"], r["object"] or "", _brief(r["before"]), _brief(r["after"]),
                 _brief(r["counts"])]
        typer.echo("\t".join(parts).rstrip())


@app.command("verify")
def audit_verify(
    head: Annotated[str | None, typer.Option(
        "--head", help="A head hash noted earlier: it must still be in the chain.")] = None,
) -> None:
    """Recompute the hash chain: exit 1 with the first bad row's id on an edit or deletion."""
    check = service.verify_audit(engine(), head)
    if check.ok:
        typer.echo(f"audit trail ok: {check.rows} rows, head {check.head}")
        return
    if check.first_bad is None:
        typer.echo(f"audit trail broken: the head {head} is not in the chain (the newest rows "
                   f"were deleted); {check.rows} rows, head {check.head}", err=True)
    else:
        why = ("its hash does not match its fields" if check.problem == "edited"
               else "its prev_hash is not the hash of the row before it")
        typer.echo(f"audit trail broken at row {check.first_bad} ({check.problem}): {why}",
                   err=True)
    raise typer.Exit(1)
