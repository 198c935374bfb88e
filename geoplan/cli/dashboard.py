"""`geoplan dashboard` and `geoplan report`: the council's figures, as JSON or meeting papers."""

from __future__ import annotations

from typing import Annotated

import typer

from geoplan import service
from geoplan.cli.common import DateOpt, JsonOpt, SystemOpt, echo_json, engine, parse_date, run

app = typer.Typer()

PublicOpt = Annotated[bool, typer.Option(
    "--public", help="The public version: counts from 1 to min_count - 1 hidden, others rounded.")]


@app.command()
def dashboard(
    system: SystemOpt = None, date: DateOpt = None, public: PublicOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Print exactly the figures the dashboard and the meeting papers show (null: suppressed)."""
    figures = run(service.dashboard, engine(), system, parse_date(date), public).as_dict()
    if as_json:
        echo_json(figures)
        return
    head = figures["headline"]
    typer.echo(f"{figures['municipality']} · {figures['system']} · {figures['date']}"
               f"{' (public)' if public else ' (internal)'}")
    for key, value in head.items():
        typer.echo(f"  {key}: {'suppressed' if value is None else value}")
    for row in figures["waiting"]:
        shown = "suppressed" if row["households"] is None else int(row["households"])
        typer.echo(f"  waiting {row['target_group']}: {shown}")
