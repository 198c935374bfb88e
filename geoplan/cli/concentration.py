"""`geoplan concentration`, `proximity` and `indices`: concentration per area and without areas."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import typer

from geoplan.cli.common import DateOpt, FileArg, LangOpt, SystemOpt, engine, fail, parse_date, run

app = typer.Typer()


@app.command()
def concentration(
    file: FileArg, system: SystemOpt = None, date: DateOpt = None, lang: LangOpt = "nb",
) -> None:
    """Write the per-area concentration table (CSV or XLSX by extension)."""
    from geoplan.io.export import write_table
    from geoplan.service.concentration import concentration as compute

    try:
        result = compute(engine(), system, parse_date(date), lang)
        path = write_table(result.areas.drop(columns="geometry"), file, "concentration")
    except ValueError as exc:
        fail(exc)
    typer.echo(f"wrote {path} ({len(result.areas)} areas, {int(result.totals['units'])} units)")


@app.command()
def proximity(
    file: FileArg, date: DateOpt = None,
    radius: Annotated[list[float] | None, typer.Option(help="Radius in metres (repeatable).")]
    = None,
) -> None:
    """Write every active unit's counts within radii, in its building and at its address."""
    from geoplan.analytics.active import active_units
    from geoplan.analytics.proximity import DEFAULT_RADII, proximity_table
    from geoplan.io.export import write_table
    from geoplan.storage import repo

    units = active_units(repo.load_units(engine()), parse_date(date) or dt.date.today())
    table = proximity_table(units.reset_index(drop=True), tuple(radius or DEFAULT_RADII))
    path = run(write_table, table, file, "proximity")
    typer.echo(f"wrote {path} ({len(table)} units)")


@app.command()
def indices(
    system: SystemOpt = None, date: DateOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    lang: LangOpt = "nb",
) -> None:
    """Print the municipality-wide segregation indices."""
    from geoplan.analytics.interpret import interpret, name
    from geoplan.service.concentration import concentration as compute

    result = run(compute, engine(), system, parse_date(date), lang, permutations=0)
    summary = {k: (None if isinstance(v, float) and v != v else v)
               for k, v in result.summary().items()}
    if as_json:
        typer.echo(json.dumps(summary))
        return
    for key, value in result.indices.items():
        typer.echo(f"{name(key, lang)}: {interpret(key, value, lang)}")
