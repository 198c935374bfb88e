"""`geoplan backup FILE` and `geoplan restore FILE [--force] [--check]`: the whole database."""

from __future__ import annotations

from typing import Annotated

import typer

from geoplan import service
from geoplan.cli.common import FileArg, JsonOpt, actor, echo_json, engine, fail

app = typer.Typer()


def _echo(verb: str, summary, as_json: bool) -> None:
    if as_json:
        echo_json({"path": summary.path, "schema_revision": summary.schema_revision,
                   "rows": summary.rows, "total": summary.total})
        return
    typer.echo(f"{verb} {summary.path}: {summary.total} rows in {len(summary.rows)} tables, "
               f"schema {summary.schema_revision}")


@app.command()
def backup(file: FileArg, as_json: JsonOpt = False) -> None:
    """Write every table (units and their history, areas, demand, policy, scenarios, users,
    audit trail, …) and the schema version to a ZIP archive, e.g.
    /var/backups/geoplan/$(date +%F).zip."""
    try:
        summary = service.backup(engine(), actor(), file)
    except (OSError, ValueError) as exc:
        fail(exc)
    _echo("wrote", summary, as_json)


@app.command()
def restore(
    file: FileArg,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace everything in a database that holds data.")] = False,
    check: Annotated[bool, typer.Option(
        "--check", help="Only check the archive; write nothing.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Restore an archive made by `geoplan backup`: checked whole first, written in one
    transaction, into an empty database unless --force."""
    try:
        summary = service.check_backup(file) if check else service.restore(engine(), actor(), file, force)
    except (service.ArchiveError, service.WriterBusy) as exc:
        fail(exc)
    _echo("checked" if check else "restored", summary, as_json)
