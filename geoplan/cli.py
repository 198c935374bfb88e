"""The ``geoplan`` command line: import, export, demo and register maintenance."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer

from geoplan.io.errors import ImportRefused
from geoplan.storage.db import get_engine

app = typer.Typer(help="GeoPlan: municipal rental housing on the map.", no_args_is_help=True)
import_app = typer.Typer(help="Import units, areas, boundary or demand.", no_args_is_help=True)
export_app = typer.Typer(help="Export units or areas (format by file extension).",
                         no_args_is_help=True)
policy_app = typer.Typer(help="Show or set the policy thresholds.", no_args_is_help=True)
types_app = typer.Typer(help="List or add unit types.", no_args_is_help=True)
units_app = typer.Typer(help="Single-unit operations: history and disposal.", no_args_is_help=True)
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")
app.add_typer(types_app, name="types")
app.add_typer(policy_app, name="policy")
app.add_typer(units_app, name="units")

FileArg = Annotated[Path, typer.Argument(help="File to read or write.")]
CrsOpt = Annotated[str | None, typer.Option("--crs", help="CRS of the coordinates, e.g. EPSG:25833.")]


def _refused(exc: ImportRefused) -> None:
    typer.echo(exc.message(), err=True)
    raise typer.Exit(1)


def _warn(lines: list[str]) -> None:
    for line in lines:
        typer.echo(f"warning: {line}", err=True)


@import_app.command("units")
def import_units_cmd(file: FileArg, crs: CrsOpt = None) -> None:
    """Import a unit register (CSV, XLSX, GeoJSON, GPKG or zipped SHP)."""
    from geoplan.io.units import import_units

    try:
        result = import_units(get_engine(), file, crs)
    except ImportRefused as exc:
        _refused(exc)
    _warn(result.warnings)
    typer.echo(f"imported {file.name}: {result.summary()}")
    for uid, diffs in result.updated.items():
        typer.echo(f"  {uid}: " + ", ".join(f"{k} {o!r} → {n!r}" for k, o, n in diffs))


@import_app.command("areas")
def import_areas_cmd(
    file: FileArg,
    system: Annotated[str | None, typer.Option(help="Area system name, e.g. grunnkrets.")] = None,
    crs: CrsOpt = None,
) -> None:
    """Import an area system (GeoJSON, GPKG or zipped SHP), replacing one of the same name."""
    from geoplan.io.areas import import_areas, system_name

    try:
        n = import_areas(get_engine(), file, system, crs)
    except ImportRefused as exc:
        _refused(exc)
    typer.echo(f"imported {n} areas into system '{system or system_name(file.name)}'")


@import_app.command("boundary")
def import_boundary_cmd(
    file: FileArg,
    number: Annotated[str | None, typer.Option(help="Kommunenummer, e.g. 3420.")] = None,
    name: Annotated[str | None, typer.Option(help="Municipality name.")] = None,
) -> None:
    """Import the municipal boundary; units outside it are refused from then on."""
    from geoplan.io.areas import import_boundary

    try:
        import_boundary(get_engine(), file, number, name)
    except ImportRefused as exc:
        _refused(exc)
    typer.echo(f"imported the municipal boundary from {file.name}")


@import_app.command("demand")
def import_demand_cmd(file: FileArg) -> None:
    """Import an aggregated demand snapshot (no persons)."""
    from geoplan.io.demand import import_demand

    try:
        n = import_demand(get_engine(), file)
    except ImportRefused as exc:
        _refused(exc)
    typer.echo(f"imported {n} demand rows")


@import_app.command("grid")
def import_grid_cmd(
    file: FileArg,
    size: Annotated[int, typer.Option(help="Cell size in metres: 250 or 1000.")] = 250,
    system: Annotated[str | None, typer.Option(help="Area system name.")] = None,
) -> None:
    """Import SSB grid statistics (id, population, dwellings) as an area system of cells."""
    from geoplan.io.grid import import_grid

    try:
        n = import_grid(get_engine(), file, size, system)
    except ImportRefused as exc:
        _refused(exc)
    except ValueError as exc:
        _fail(exc)
    typer.echo(f"imported {n} SSB {size} m grid cells")


def _fail(exc: Exception) -> None:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(1)


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        _fail(ValueError(f"'{value}' is not a date (YYYY-MM-DD)"))


SystemOpt = Annotated[str | None, typer.Option("--system", help="Area system (default grunnkrets).")]
DateOpt = Annotated[str | None, typer.Option("--date", help="Date YYYY-MM-DD (default today).")]
LangOpt = Annotated[str, typer.Option("--lang", help="Language of texts: nb or en.")]


@app.command()
def concentration(
    file: FileArg, system: SystemOpt = None, date: DateOpt = None, lang: LangOpt = "nb",
) -> None:
    """Write the per-area concentration table (CSV or XLSX by extension)."""
    from geoplan.io.export import write_table
    from geoplan.service import concentration as compute

    try:
        result = compute(get_engine(), system, _date(date), lang)
        path = write_table(result.areas.drop(columns="geometry"), file, "concentration")
    except ValueError as exc:
        _fail(exc)
    typer.echo(f"wrote {path} ({len(result.areas)} areas, {int(result.totals['units'])} units)")


@app.command()
def indices(
    system: SystemOpt = None, date: DateOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    lang: LangOpt = "nb",
) -> None:
    """Print the municipality-wide segregation indices."""
    from geoplan.analytics.interpret import interpret, name
    from geoplan.service import concentration as compute

    try:
        result = compute(get_engine(), system, _date(date), lang, permutations=0)
    except ValueError as exc:
        _fail(exc)
    summary = {k: (None if isinstance(v, float) and v != v else v)
               for k, v in result.summary().items()}
    if as_json:
        typer.echo(json.dumps(summary))
        return
    for key, value in result.indices.items():
        typer.echo(f"{name(key, lang)}: {interpret(key, value, lang)}")


@policy_app.command("show")
def policy_show() -> None:
    """Print the policy thresholds."""
    from geoplan.storage import repo

    for key, value in repo.policy(get_engine()).as_dict().items():
        typer.echo(f"{key} = {value:g}")


@policy_app.command("set")
def policy_set(
    values: Annotated[list[str], typer.Argument(help="NAME=VALUE, e.g. max_area_share=0.08")],
) -> None:
    """Set policy thresholds."""
    from geoplan.storage import repo

    try:
        pairs = dict(v.split("=", 1) for v in values)
        repo.set_policy(get_engine(), **{k: float(v) for k, v in pairs.items()})
    except ValueError as exc:
        _fail(exc)
    policy_show()


def _export(fn, *args) -> None:
    try:
        path = fn(get_engine(), *args)
    except ValueError as exc:
        _fail(exc)
    typer.echo(f"wrote {path}")


@export_app.command("units")
def export_units_cmd(file: FileArg) -> None:
    """Export all units (disposed ones included) to CSV, XLSX, GeoJSON or GPKG."""
    from geoplan.io.export import export_units

    _export(export_units, file)


@export_app.command("areas")
def export_areas_cmd(
    file: FileArg,
    system: Annotated[str, typer.Option(help="Area system to export.")] = "grunnkrets",
) -> None:
    """Export one area system to CSV, XLSX, GeoJSON or GPKG."""
    from geoplan.io.export import export_areas

    _export(export_areas, file, system)


@app.command()
def demo(
    force: Annotated[bool, typer.Option(help="Load even if the database has data.")] = False,
) -> None:
    """Load the synthetic Elverum demo (boundary, areas, units, demand)."""
    from geoplan.demo.load import ensure_demo, load_demo

    engine = get_engine()
    if force:
        counts = load_demo(engine)
    elif not ensure_demo(engine):
        typer.echo("the database already has data; use --force to load the demo over it")
        return
    else:
        counts = {}
    typer.echo("loaded the Elverum demo (synthetic data)"
               + (": " + json.dumps(counts, ensure_ascii=False) if counts else ""))


@app.command()
def info() -> None:
    """Show the database, the municipality and what it holds."""
    from sqlalchemy.engine import make_url

    from geoplan.config import database_url
    from geoplan.storage import repo

    engine = get_engine()
    muni = repo.municipality(engine)
    units = repo.load_units(engine)
    active = repo.load_units(engine, active_on=dt.date.today())
    typer.echo(f"database: {make_url(database_url()).render_as_string(hide_password=True)}")
    typer.echo(f"municipality: {f'{muni.number} {muni.name}' if muni else '(none)'}")
    typer.echo(f"units: {len(units)} in the register, {len(active)} active today")
    for system in repo.area_systems(engine):
        typer.echo(f"area system {system}: {len(repo.load_areas(engine, system))} areas")


@types_app.command("list")
def types_list() -> None:
    """List the configured unit types."""
    from geoplan.storage import repo

    for code, term in repo.unit_types(get_engine()).terms.items():
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
    from geoplan.storage import repo

    repo.add_unit_type(get_engine(), code, nb, en, alias or (), color)
    typer.echo(f"unit type '{code}' saved")


@units_app.command("history")
def units_history(unit_id: str) -> None:
    """Show the recorded changes of one unit."""
    from geoplan.storage import repo

    hist = repo.unit_history(get_engine(), unit_id)
    if hist.empty:
        typer.echo(f"no recorded changes for {unit_id}")
    for row in hist.itertuples():
        typer.echo(f"{row.changed_at:%Y-%m-%d %H:%M} {row.field}: {row.old!r} → {row.new!r}")


@units_app.command("dispose")
def units_dispose(
    unit_id: str,
    date: Annotated[str, typer.Option(help="Disposal date, YYYY-MM-DD.")],
) -> None:
    """Record a sale or disposal: the unit keeps its history."""
    from geoplan.storage import repo

    try:
        repo.dispose_unit(get_engine(), unit_id, dt.date.fromisoformat(date))
    except (KeyError, ValueError) as exc:
        _fail(exc)
    typer.echo(f"{unit_id} disposed on {date}")


if __name__ == "__main__":
    app()
