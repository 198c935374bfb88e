"""`geoplan demo`, `info` and `bench`: the demo, what the database holds, the benchmarks."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import typer

from geoplan import service
from geoplan.cli.common import actor, echo_json, engine, fail

app = typer.Typer()


BENCHMARKS = ("concentration", "purchase", "map", "pages")


@app.command()
def bench(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    only: Annotated[list[str] | None, typer.Option(help="concentration, purchase or map.")] = None,
) -> None:
    """Run the benchmarks in benchmarks/ and print their figures."""
    import importlib
    import sys

    from geoplan.config import PROJECT_DIR

    if not (PROJECT_DIR / "benchmarks").is_dir():
        fail(ValueError("benchmarks/ is not here: run from a checkout of the project"))
    sys.path.insert(0, str(PROJECT_DIR))
    unknown = set(only or ()) - set(BENCHMARKS)
    if unknown:
        fail(ValueError(f"unknown benchmark(s): {', '.join(sorted(unknown))}"))
    figures = {}
    for name in only or BENCHMARKS:
        figures[name] = importlib.import_module(f"benchmarks.bench_{name}").run()
    if as_json:
        echo_json(figures)
        return
    typer.echo(json.dumps(figures, indent=2, ensure_ascii=False, default=str))


@app.command()
def demo(
    force: Annotated[bool, typer.Option(help="Load even if the database has data.")] = False,
) -> None:
    """Load the synthetic Elverum demo (boundary, areas, units, demand)."""
    db = engine()
    if force:
        counts = service.load_demo(db, actor())
    elif not service.ensure_demo(db, actor()):
        typer.echo("the database already has data; use --force to load the demo over it")
        return
    else:
        counts = {}
    typer.echo("loaded the Elverum demo (synthetic data)"
               + (": " + json.dumps(counts, ensure_ascii=False) if counts else ""))


@app.command()
def info() -> None:
    """Show the database, the municipality and what it holds."""
    db = engine()
    muni = service.municipality(db)
    everything = service.units(db)
    active = service.units(db, dt.date.today())
    typer.echo(f"database: {service.database_label()}")
    typer.echo(f"municipality: {f'{muni.number} {muni.name}' if muni else '(none)'}")
    typer.echo(f"units: {len(everything)} in the register, {len(active)} active today")
    for system in service.area_systems(db):
        typer.echo(f"area system {system}: {len(service.areas(db, system))} areas")
