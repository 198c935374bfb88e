"""`geoplan init`, `reset`, `demo`, `info` and `bench`: starting on your own municipality,
emptying the database, the demo, what the database holds, the benchmarks."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer

from geoplan import service
from geoplan.cli.common import actor, cli_lang, echo_json, engine, fail, refused
from geoplan.ui.i18n import t
from geoplan.ui.setup_text import setup_refusal_text

app = typer.Typer()


BENCHMARKS = ("concentration", "purchase", "map", "pages", "import")
ON_REQUEST = ("compare",)  # run only when named: it measures another commit beside this one


@app.command()
def bench(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    only: Annotated[list[str] | None, typer.Option(
        help="concentration, purchase, map, pages, import; or compare.")] = None,
    against: Annotated[str, typer.Option(
        help="For compare: the git commit measured in turns with this checkout.")] = "HEAD",
    rounds: Annotated[int | None, typer.Option(
        min=1, help="For compare: how many turns each side gets (default: its ROUNDS).")] = None,
) -> None:
    """Run the benchmarks in benchmarks/ and print their figures."""
    import importlib
    import sys

    from geoplan.config import PROJECT_DIR

    if not (PROJECT_DIR / "benchmarks").is_dir():
        fail(ValueError("benchmarks/ is not here: run from a checkout of the project"))
    sys.path.insert(0, str(PROJECT_DIR))
    unknown = set(only or ()) - set(BENCHMARKS) - set(ON_REQUEST)
    if unknown:
        fail(ValueError(f"unknown benchmark(s): {', '.join(sorted(unknown))}"))
    figures = {}
    for name in only or BENCHMARKS:
        options = ({"against": against} | ({"rounds": rounds} if rounds else {})
                   if name == "compare" else {})
        figures[name] = importlib.import_module(f"benchmarks.bench_{name}").run(**options)
    if as_json:
        echo_json(figures)
        return
    typer.echo(json.dumps(figures, indent=2, ensure_ascii=False, default=str))


def _refused(exc) -> None:
    """Print a refused setup, demo or reset in words and end with exit code 1."""
    lines = [setup_refusal_text(exc, cli_lang())]
    if exc.code in ("not_empty", "other_municipality"):
        lines.append(t("setup.cli.reset_hint", cli_lang()))
    typer.echo(" ".join(lines), err=True)
    raise typer.Exit(1)


@app.command()
def init(
    kommunenummer: Annotated[str, typer.Option(
        "--kommunenummer", help="The municipality's number, four digits, e.g. 3420.")],
    name: Annotated[str, typer.Option("--name", help="The municipality's name.")],
    boundary: Annotated[Path, typer.Option(
        "--boundary", help="The boundary file (GeoJSON, GPKG or zipped SHP); a file with "
        "every municipality (Kartverket's) is cut to this one.")],
) -> None:
    """Set up an empty database for your own municipality from its boundary file."""
    try:
        summary = service.init_municipality(engine(), actor(), kommunenummer, name, boundary)
    except service.SetupRefused as exc:  # before ImportRefused and ValueError: its own words
        _refused(exc)
    except service.ImportRefused as exc:
        refused(exc)
    except (OSError, ValueError, service.AccessDenied) as exc:
        fail(exc)
    state = service.setup_state(engine())
    typer.echo(t("setup.cli.init_done", cli_lang(), name=state.name, number=state.number,
                 filename=summary.filename))


@app.command()
def reset(
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    backup_dir: Annotated[Path | None, typer.Option(
        "--backup-dir", help="Folder for the backup written first (default: backups/ beside "
        "the database).")] = None,
) -> None:
    """Empty the database (all but the users and the audit trail), after a backup."""
    if not yes and not typer.confirm(t("setup.cli.reset_confirm", cli_lang())):
        typer.echo(t("setup.cli.reset_aborted", cli_lang()))
        raise typer.Exit(1)
    try:
        summary = service.reset_database(engine(), actor(), backup_dir)
    except (OSError, service.ArchiveError, service.WriterBusy, service.AccessDenied) as exc:
        fail(exc)
    typer.echo(t("setup.cli.reset_done", cli_lang(), total=summary.total, backup=summary.backup))


@app.command()
def demo(
    force: Annotated[bool, typer.Option(help="Load even if the database has the demo.")] = False,
) -> None:
    """Load the synthetic Elverum demo (boundary, areas, units, demand); never into another
    municipality."""
    db = engine()
    try:
        if force:
            counts = service.load_demo(db, actor())
        elif not service.ensure_demo(db, actor()):  # refuses another municipality
            typer.echo(t("setup.cli.demo_has_data", cli_lang()))
            return
        else:
            counts = {}
    except service.SetupRefused as exc:
        _refused(exc)
    typer.echo(t("setup.cli.demo_loaded", cli_lang())
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
