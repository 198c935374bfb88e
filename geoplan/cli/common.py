"""What every command shares: the database, options, and how refusals and errors end a command."""

from __future__ import annotations

import datetime as dt
import json
import os
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


SheetOpt = Annotated[str | None, typer.Option(
    "--sheet", "--layer", help="Sheet (XLSX) or layer (GPKG) to read from a file with several.")]


def cli_lang() -> str:
    """The language of refusals and warnings: ``GEOPLAN_LANG`` (nb or en), bokmål by default."""
    return "en" if os.environ.get("GEOPLAN_LANG", "nb").lower().startswith("en") else "nb"


def refused(exc) -> None:
    """Print a refused file's problems, one per line, and end with exit code 1."""
    from geoplan.ui.import_text import refusal_text

    typer.echo(refusal_text(exc, cli_lang()), err=True)
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
    except service.WriterBusy:
        from geoplan.ui.import_text import problem_text

        typer.echo(f"error: {problem_text(service.Problem('database_busy'), cli_lang())}",
                   err=True)
        raise typer.Exit(1) from None
    except (KeyError, ValueError, service.AccessDenied) as exc:
        fail(exc)


def warn(lines: list) -> None:
    """Print each line (or import warning, a :class:`service.Problem`) as ``warning: …`` on
    standard error."""
    from geoplan.ui.import_text import problem_text

    for line in lines:
        text = line if isinstance(line, str) else problem_text(line, cli_lang())
        typer.echo(f"warning: {text}", err=True)


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
