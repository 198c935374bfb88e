"""`geoplan concentration`, `proximity` and `indices`: concentration per area and without areas."""

from __future__ import annotations

from typing import Annotated

import typer

from geoplan import service
from geoplan.cli.common import (
    DateOpt,
    FileArg,
    LangOpt,
    SystemOpt,
    echo_json,
    engine,
    parse_date,
    run,
    warn,
)

app = typer.Typer()


@app.command()
def concentration(
    file: FileArg, system: SystemOpt = None, date: DateOpt = None, lang: LangOpt = "nb",
) -> None:
    """Write the per-area concentration table (CSV or XLSX by extension)."""
    from geoplan.ui.concentration_tables import area_flag_texts, area_problem_texts

    result = run(service.concentration_result, engine(), system, parse_date(date))
    table = result.areas.drop(columns="geometry").assign(
        flag=area_flag_texts(result.areas, lang),
        data_problem=area_problem_texts(result.areas, lang))
    path = run(service.write_table, table, file, "concentration")
    typer.echo(f"wrote {path} ({len(result.areas)} areas)")
    _notes(result, lang)


def _notes(result, lang: str) -> None:
    """Print which units the figures rest on (and undated units for a past date); warn of
    areas with more municipal units than dwellings."""
    from geoplan.ui.concentration_tables import data_problem_lines, date_notes

    for line in date_notes(result, lang):
        typer.echo(line)
    warn(data_problem_lines(result, lang))


@app.command()
def proximity(
    file: FileArg, date: DateOpt = None,
    radius: Annotated[list[float] | None, typer.Option(help="Radius in metres (repeatable).")]
    = None,
) -> None:
    """Write every active unit's counts within radii, in its building and at its address."""
    table = run(service.proximity, engine(), parse_date(date),
                tuple(radius or service.DEFAULT_RADII))
    path = run(service.write_table, table, file, "proximity")
    typer.echo(f"wrote {path} ({len(table)} units)")


@app.command()
def indices(
    system: SystemOpt = None, date: DateOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    lang: LangOpt = "nb",
) -> None:
    """Print the municipality-wide segregation indices and the units they rest on."""
    from geoplan.ui.wording import index_meaning, index_name

    result = run(service.concentration_result, engine(), system, parse_date(date),
                 permutations=0)
    if as_json:
        echo_json(result.summary())
        return
    for key, value in result.indices.items():
        typer.echo(f"{index_name(key, lang)}: {index_meaning(key, value, lang)}")
    _notes(result, lang)
