"""`geoplan import …`: units, areas, boundary, demand, flows, SSB grid, addresses and service points.

Every command runs ``service.import_file``, the dispatcher the import page uses too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from geoplan import service
from geoplan.cli.common import (
    CrsOpt,
    DateOpt,
    FileArg,
    SheetOpt,
    actor,
    engine,
    fail,
    parse_date,
    run,
    warn,
)
from geoplan.ui.import_text import import_summary, units_count

MissingOpt = Annotated[str, typer.Option(
    "--missing", help="Units in the register but not in the file: report (default) or dispose "
    "(with --date).")]

app = typer.Typer(help="Import units, areas, boundary or demand.", no_args_is_help=True)


def _import(kind: str, file: Path, **options: object):
    """Import ``file`` as ``kind``; a refused file or a bad value ends the command."""
    summary = run(service.import_file, engine(), actor(), kind, file, **options)
    warn(summary.warnings)
    return summary


@app.command("units")
def import_units_cmd(file: FileArg, crs: CrsOpt = None, sheet: SheetOpt = None,
                     missing: MissingOpt = "report", date: DateOpt = None) -> None:
    """Import a unit register (CSV, XLSX, GeoJSON, GPKG or zipped SHP)."""
    if missing not in service.MISSING_CHOICES:
        fail(ValueError(f"--missing must be one of {', '.join(service.MISSING_CHOICES)}"))
    summary = _import("units", file, crs=crs, sheet=sheet, missing=missing,
                      dispose_date=parse_date(date))
    typer.echo(f"imported {file.name}: {import_summary(summary, 'en')}")
    for uid, diffs in summary.changes.items():
        typer.echo(f"  {uid}: " + ", ".join(f"{k} {o!r} → {n!r}" for k, o, n in diffs))
    if summary.missing:
        verb = "disposed of" if summary.disposed else "not in the file (still active)"
        typer.echo(f"{units_count(len(summary.missing), 'en')} in the register {verb}: "
                   + ", ".join(summary.missing))


@app.command("areas")
def import_areas_cmd(
    file: FileArg,
    system: Annotated[str | None, typer.Option(help="Area system name, e.g. grunnkrets.")] = None,
    crs: CrsOpt = None, sheet: SheetOpt = None,
) -> None:
    """Import an area system (GeoJSON, GPKG or zipped SHP), replacing one of the same name."""
    summary = _import("areas", file, system=system, crs=crs, sheet=sheet)
    typer.echo(f"imported {summary.rows} areas into system '{summary.system}'")


@app.command("boundary")
def import_boundary_cmd(
    file: FileArg,
    number: Annotated[str | None, typer.Option(help="Kommunenummer, e.g. 3420.")] = None,
    name: Annotated[str | None, typer.Option(help="Municipality name.")] = None,
    crs: CrsOpt = None, sheet: SheetOpt = None,
) -> None:
    """Import the municipal boundary; units outside it are refused from then on."""
    _import("boundary", file, number=number, name=name, crs=crs, sheet=sheet)
    typer.echo(f"imported the municipal boundary from {file.name}")


@app.command("demand")
def import_demand_cmd(file: FileArg, sheet: SheetOpt = None) -> None:
    """Import an aggregated demand snapshot (no persons)."""
    typer.echo(f"imported {_import('demand', file, sheet=sheet).rows} demand rows")


@app.command("flows")
def import_flows_cmd(file: FileArg, sheet: SheetOpt = None) -> None:
    """Import demand flows per target group and year (inflow, allocations, withdrawals,
    re-lets); each year in the file replaces that year only."""
    typer.echo(f"imported {_import('flows', file, sheet=sheet).rows} flow rows")


@app.command("grid")
def import_grid_cmd(
    file: FileArg,
    size: Annotated[int, typer.Option(help="Cell size in metres: 250 or 1000.")] = 250,
    system: Annotated[str | None, typer.Option(help="Area system name.")] = None,
    all_cells: Annotated[bool, typer.Option("--all-cells", help="Every cell touching the "
                                            "municipal boundary, not only inhabited ones.")]
    = False, sheet: SheetOpt = None,
) -> None:
    """Import SSB grid statistics (id, population, dwellings) as an area system of cells."""
    summary = _import("grid", file, size=size, system=system, all_cells=all_cells, sheet=sheet)
    typer.echo(f"imported {summary.rows} SSB {summary.size} m grid cells")


@app.command("addresses")
def import_addresses_cmd(file: FileArg, crs: CrsOpt = None, sheet: SheetOpt = None) -> None:
    """Import Kartverket's address register (semicolon CSV) for the address search."""
    typer.echo(f"imported {_import('addresses', file, crs=crs, sheet=sheet).rows} addresses")


@app.command("services")
def import_services_cmd(file: FileArg, sheet: SheetOpt = None) -> None:
    """Import service points (schools, kindergartens, shops, stops) for where-to-buy."""
    typer.echo(f"imported {_import('services', file, sheet=sheet).rows} service points")
