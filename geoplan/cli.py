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
scenario_app = typer.Typer(help="Save, list and compare purchase scenarios.",
                           no_args_is_help=True)
units_app = typer.Typer(help="Single-unit operations: history and disposal.", no_args_is_help=True)
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")
app.add_typer(types_app, name="types")
app.add_typer(policy_app, name="policy")
app.add_typer(scenario_app, name="scenario")
app.add_typer(units_app, name="units")

FileArg = Annotated[Path, typer.Argument(help="File to read or write.")]
CrsOpt = Annotated[str | None, typer.Option("--crs", help="CRS of the coordinates, e.g. EPSG:25833.")]


def _refused(exc: ImportRefused) -> None:
    typer.echo(exc.message(), err=True)
    raise typer.Exit(1)


def _run(fn, *args, **kwargs):
    """Call ``fn``; a refused file or a bad value ends the command with exit code 1."""
    try:
        return fn(*args, **kwargs)
    except ImportRefused as exc:
        _refused(exc)
    except (KeyError, ValueError) as exc:
        _fail(exc)


def _warn(lines: list[str]) -> None:
    for line in lines:
        typer.echo(f"warning: {line}", err=True)


@import_app.command("units")
def import_units_cmd(file: FileArg, crs: CrsOpt = None) -> None:
    """Import a unit register (CSV, XLSX, GeoJSON, GPKG or zipped SHP)."""
    from geoplan.io.units import import_units

    result = _run(import_units, get_engine(), file, crs)
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

    n = _run(import_areas, get_engine(), file, system, crs)
    typer.echo(f"imported {n} areas into system '{system or system_name(file.name)}'")


@import_app.command("boundary")
def import_boundary_cmd(
    file: FileArg,
    number: Annotated[str | None, typer.Option(help="Kommunenummer, e.g. 3420.")] = None,
    name: Annotated[str | None, typer.Option(help="Municipality name.")] = None,
) -> None:
    """Import the municipal boundary; units outside it are refused from then on."""
    from geoplan.io.areas import import_boundary

    _run(import_boundary, get_engine(), file, number, name)
    typer.echo(f"imported the municipal boundary from {file.name}")


@import_app.command("demand")
def import_demand_cmd(file: FileArg) -> None:
    """Import an aggregated demand snapshot (no persons)."""
    from geoplan.io.demand import import_demand

    n = _run(import_demand, get_engine(), file)
    typer.echo(f"imported {n} demand rows")


@import_app.command("grid")
def import_grid_cmd(
    file: FileArg,
    size: Annotated[int, typer.Option(help="Cell size in metres: 250 or 1000.")] = 250,
    system: Annotated[str | None, typer.Option(help="Area system name.")] = None,
    all_cells: Annotated[bool, typer.Option("--all-cells", help="Every cell touching the "
                                            "municipal boundary, not only inhabited ones.")]
    = False,
) -> None:
    """Import SSB grid statistics (id, population, dwellings) as an area system of cells."""
    from geoplan.io.grid import import_grid

    n = _run(import_grid, get_engine(), file, size, system, None, all_cells)
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
    from geoplan.service.concentration import concentration as compute

    try:
        result = compute(get_engine(), system, _date(date), lang)
        path = write_table(result.areas.drop(columns="geometry"), file, "concentration")
    except ValueError as exc:
        _fail(exc)
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

    units = active_units(repo.load_units(get_engine()), _date(date) or dt.date.today())
    table = proximity_table(units.reset_index(drop=True), tuple(radius or DEFAULT_RADII))
    path = _run(write_table, table, file, "proximity")
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

    result = _run(compute, get_engine(), system, _date(date), lang, permutations=0)
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

    try:
        pairs = dict(v.split("=", 1) for v in values)
        from geoplan import service

        service.set_policy(get_engine(), **dict(pairs))
    except ValueError as exc:
        _fail(exc)
    policy_show()


@import_app.command("addresses")
def import_addresses_cmd(file: FileArg, crs: CrsOpt = None) -> None:
    """Import Kartverket's address register (semicolon CSV) for the address search."""
    from geoplan.io.addresses import import_addresses

    n = _run(import_addresses, get_engine(), file, crs)
    typer.echo(f"imported {n} addresses")


@import_app.command("services")
def import_services_cmd(file: FileArg) -> None:
    """Import service points (schools, kindergartens, shops, stops) for where-to-buy."""
    from geoplan.io.services import import_services

    n = _run(import_services, get_engine(), file)
    typer.echo(f"imported {n} service points")


def _echo_json(data: object) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, default=str))


@app.command()
def evaluate(
    lon: Annotated[float, typer.Option("--lon", help="Longitude (EPSG:4326).")],
    lat: Annotated[float, typer.Option("--lat", help="Latitude (EPSG:4326).")],
    rooms: Annotated[int | None, typer.Option(help="Number of rooms.")] = None,
    area_m2: Annotated[float | None, typer.Option("--area-m2", help="Floor area m².")] = None,
    universal_design: Annotated[bool, typer.Option("--universal-design")] = False,
    staffed: Annotated[bool, typer.Option("--staffed", help="Staffed setting.")] = False,
    unit_type: Annotated[str | None, typer.Option("--type", help="Unit type code.")] = None,
    building_id: Annotated[str | None, typer.Option("--building-id")] = None,
    price: Annotated[float | None, typer.Option(help="Price in NOK.")] = None,
    system: SystemOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    lang: LangOpt = "nb",
) -> None:
    """Evaluate one candidate purchase: before/after, verdict, reasons, demand fit."""
    from geoplan.service.purchase import baseline, evaluate_point

    try:
        result = evaluate_point(
            baseline(get_engine(), system), lon=lon, lat=lat, lang=lang, rooms=rooms,
            area_m2=area_m2, universal_design=universal_design, staffed=staffed,
            unit_type=unit_type, building_id=building_id, price=price)
    except ValueError as exc:
        _fail(exc)
    if as_json:
        _echo_json(result)
        return
    typer.echo(f"{result['verdict'].upper()}  ({result['area']['name']})")
    for reason in result["reasons"]:
        typer.echo(f"  - {reason}")


@app.command()
def rank(
    candidates: FileArg,
    out: Annotated[Path, typer.Argument(help="Ranked table, .csv or .xlsx.")],
    system: SystemOpt = None, crs: CrsOpt = None, lang: LangOpt = "nb",
) -> None:
    """Rank a candidate file (verdict, demand served, concentration change) to CSV/XLSX."""
    from geoplan.io.export import write_table
    from geoplan.service.purchase import rank_file, ranked_table

    try:
        ranked = rank_file(get_engine(), candidates, system, lang, crs)
        path = write_table(ranked_table(ranked), out, "rangering")
    except ImportRefused as exc:
        _refused(exc)
    except ValueError as exc:
        _fail(exc)
    counts = ranked["verdict"].value_counts().to_dict()
    typer.echo(f"wrote {path}: {len(ranked)} candidates, " + ", ".join(
        f"{counts.get(v, 0)} {v}" for v in ("green", "amber", "red")))


def _targets(values: list[str] | None) -> dict[str, int]:
    from geoplan.vocab import TARGET_GROUP

    out = {}
    for v in values or []:
        name, _, n = v.partition("=")
        code = TARGET_GROUP.code(name) or name
        try:
            out[code] = int(n)
        except ValueError:
            _fail(ValueError(f"'{v}' is not GROUP=N"))
    return out


@app.command()
def plan(
    candidates: FileArg,
    budget: Annotated[float, typer.Option(help="Budget in NOK.")],
    target: Annotated[list[str] | None, typer.Option(help="GROUP=N, repeatable.")] = None,
    system: SystemOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    save: Annotated[str | None, typer.Option(help="Save the plan as a named scenario.")] = None,
    lang: LangOpt = "nb",
) -> None:
    """Choose the year's purchases from a candidate file (mixed-integer programme)."""
    from geoplan.service.purchase import plan_file

    result = _run(plan_file, get_engine(), candidates, budget, _targets(target), system, lang)
    if save:
        import pandas as pd

        from geoplan.service.scenarios import save_scenario

        save_scenario(get_engine(), save, pd.concat([result.chosen, result.sales]))
    if as_json:
        _echo_json(result.as_dict())
        return
    typer.echo(f"{result.status}: {len(result.chosen)} purchases for "
               f"{result.cost:,.0f} NOK of {result.budget + result.proceeds:,.0f}")
    for row in result.chosen.itertuples():
        typer.echo(f"  {row.label}: {row.target_group or '-'} ({row.price:,.0f} NOK)")
    for group, why in result.shortfalls.items():
        typer.echo(f"  {group}: {why}")
    if result.unpriced:
        typer.echo(f"  {result.unpriced} candidate(s) without a price were left out")


@app.command("where")
def where_cmd(
    out: Annotated[Path | None, typer.Argument(help="Optional .csv/.xlsx output.")] = None,
    system: SystemOpt = None,
) -> None:
    """Rank the areas by headroom under the caps and fit to the unmet demand."""
    from geoplan.io.export import write_table
    from geoplan.service.purchase import where

    table = _run(where, get_engine(), system)
    if out:
        write_table(table.assign(groups=table["groups"].map(", ".join)), out, "hvor")
        typer.echo(f"wrote {out}")
        return
    for row in table.head(15).to_dict("records"):
        typer.echo(f"{row['class']:7} {row['name'] or row['code']:25} "
                   f"headroom {row['headroom']:4.0f}  fit {row['demand_fit']:.2f}")


@scenario_app.command("save")
def scenario_save(
    name: str,
    candidates: FileArg,
) -> None:
    """Save a candidate file (buys and sells) as a named scenario."""
    from geoplan.io.candidates import read_candidates
    from geoplan.service.scenarios import save_scenario

    _run(save_scenario, get_engine(), name, read_candidates(get_engine(), candidates))
    typer.echo(f"saved scenario '{name}'")


@scenario_app.command("record")
def scenario_record(
    name: str,
    label: Annotated[str, typer.Argument(help="The purchase's label (its address).")],
    unit_id: Annotated[str, typer.Option("--unit-id", help="The new unit's id.")],
    unit_type: Annotated[str, typer.Option("--type", help="Unit type, e.g. Omsorgsbolig.")],
    tenure: Annotated[str, typer.Option(help="Tenure, e.g. Eid.")] = "owned",
    target_group: Annotated[str | None, typer.Option("--target-group")] = None,
    date: DateOpt = None,
) -> None:
    """Record a scenario's purchase in the register: the only step that changes the units."""
    from geoplan.service.scenarios import record_purchase

    uid = _run(record_purchase, get_engine(), name, label, unit_id, unit_type, tenure,
               target_group, _date(date))
    typer.echo(f"recorded {uid} in the register")


@scenario_app.command("list")
def scenario_list() -> None:
    """List saved scenarios."""
    from geoplan.service.scenarios import scenario_names

    for name in scenario_names(get_engine()):
        typer.echo(name)


@scenario_app.command("compare")
def scenario_compare(
    names: list[str], system: SystemOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    lang: LangOpt = "nb",
) -> None:
    """Compare scenarios side by side: indices, flags, demand served and cost."""
    from geoplan.service.purchase import baseline
    from geoplan.service.scenarios import compare_scenarios

    table = _run(compare_scenarios, get_engine(), baseline(get_engine(), system), names, lang)
    if as_json:
        _echo_json(table.to_dict())
        return
    typer.echo(table.to_string())


BENCHMARKS = ("concentration", "purchase", "map")


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
        _fail(ValueError("benchmarks/ is not here: run from a checkout of the project"))
    sys.path.insert(0, str(PROJECT_DIR))
    unknown = set(only or ()) - set(BENCHMARKS)
    if unknown:
        _fail(ValueError(f"unknown benchmark(s): {', '.join(sorted(unknown))}"))
    figures = {}
    for name in only or BENCHMARKS:
        figures[name] = importlib.import_module(f"benchmarks.bench_{name}").run()
    if as_json:
        _echo_json(figures)
        return
    typer.echo(json.dumps(figures, indent=2, ensure_ascii=False, default=str))


def _export(fn, *args) -> None:
    path = _run(fn, get_engine(), *args)
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
    from geoplan import service

    active = service.units(engine, dt.date.today())
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
    date: Annotated[str, typer.Option(help="Disposal date, YYYY-MM-DD or dd.mm.yyyy.")],
) -> None:
    """Record a sale or disposal: the unit keeps its history."""
    from geoplan.io.cells import date as parse_date
    from geoplan.storage import repo

    _run(repo.dispose_unit, get_engine(), unit_id, _run(parse_date, date))
    typer.echo(f"{unit_id} disposed on {date}")


if __name__ == "__main__":
    app()
