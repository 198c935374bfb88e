"""What every command shares: the database, options, and how refusals and errors end a command."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer

from geoplan import service

FileArg = Annotated[Path, typer.Argument(help="File to read or write.")]
CrsOpt = Annotated[str | None, typer.Option("--crs", help="CRS of the coordinates, e.g. EPSG:25833.")]
SystemOpt = Annotated[str | None, typer.Option("--system", help="Area system (default grunnkrets).")]
DateOpt = Annotated[str | None, typer.Option("--date", help="Date YYYY-MM-DD (default today).")]
LangOpt = Annotated[str, typer.Option("--lang", help="Language of texts: nb or en.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]


def engine():
    """The database of ``GEOPLAN_DATABASE_URL`` (default: the SQLite file in the project)."""
    return service.engine()


def actor():
    """The command line's acting user: a local admin named after the OS user (audit trail)."""
    return service.local_actor()


def refused(exc) -> None:
    """Print a refused file's problems, one per line, and end with exit code 1."""
    typer.echo(exc.message(), err=True)
    raise typer.Exit(1)


def fail(exc: Exception) -> None:
    """Print ``error: …`` and end with exit code 1."""
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(1)


def run(fn, *args, **kwargs):
    """Call ``fn``; a refused file or a bad value ends the command with exit code 1."""
    try:
        return fn(*args, **kwargs)
    except service.ImportRefused as exc:
        refused(exc)
    except (KeyError, ValueError, service.AccessDenied) as exc:
        fail(exc)


def warn(lines: list[str]) -> None:
    """Print each line as ``warning: …`` on standard error."""
    for line in lines:
        typer.echo(f"warning: {line}", err=True)


def parse_date(value: str | None) -> dt.date | None:
    """Parse an ISO date option (None stays None); a bad date ends the command."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(ValueError(f"'{value}' is not a date (YYYY-MM-DD)"))


def echo_json(data: object) -> None:
    """Print ``data`` as one line of strict JSON: NaN and infinities become null
    (``service.json_ready``), and anything JSON cannot hold is an error, never a silent string
    or a bare ``NaN`` a strict parser refuses."""
    typer.echo(json.dumps(service.json_ready(data), ensure_ascii=False, allow_nan=False))
