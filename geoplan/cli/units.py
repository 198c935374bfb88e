"""`geoplan units …` and `geoplan types …`: one unit's history and disposal, the unit types."""

from __future__ import annotations

from typing import Annotated

import typer

from geoplan import service
from geoplan.cli.common import actor, engine, run

app = typer.Typer(help="Single-unit operations: history and disposal.", no_args_is_help=True)
types_app = typer.Typer(help="List or add unit types.", no_args_is_help=True)


@types_app.command("list")
def types_list() -> None:
    """List the configured unit types."""
    for code, term in service.unit_types(engine()).terms.items():
        typer.echo(f"{code}\t{term.nb}\t{term.en}")


@types_app.command("add")
def types_add(
    code: str,
    nb: Annotated[str, typer.Option(help="Name in bokmål.")],
    en: Annotated[str, typer.Option(help="Name in English.")],
    alias: Annotated[list[str] | None, typer.Option(help="Spreadsheet alias (repeatable).")] = None,
    color: Annotated[str, typer.Option(help="Marker colour.")] = "#777777",
) -> None:
    """Add a unit type (or relabel an existing one)."""
    run(service.add_unit_type, engine(), actor(), code, nb, en, alias or (), color)
    typer.echo(f"unit type '{code}' saved")


@app.command("history")
def units_history(unit_id: str) -> None:
    """Show the recorded changes of one unit."""
    hist = service.unit_history(engine(), unit_id)
    if hist.empty:
        typer.echo(f"no recorded changes for {unit_id}")
    for row in hist.itertuples():
        typer.echo(f"{row.changed_at:%Y-%m-%d %H:%M} {row.field}: {row.old!r} → {row.new!r}")


@app.command("dispose")
def units_dispose(
    unit_id: str,
    date: Annotated[str, typer.Option(help="Disposal date, YYYY-MM-DD or dd.mm.yyyy.")],
) -> None:
    """Record a sale or disposal: the unit keeps its history."""
    run(service.dispose_unit, engine(), actor(), unit_id, run(service.parse_date, date))
    typer.echo(f"{unit_id} disposed on {date}")


if __name__ == "__main__":
    app()
