"""`geoplan import …`: units, areas, boundary, demand, SSB grid, addresses and service points."""

from __future__ import annotations

from typing import Annotated

import typer

from geoplan.cli.common import CrsOpt, FileArg, engine, run, warn

app = typer.Typer(help="Import units, areas, boundary or demand.", no_args_is_help=True)


@app.command("units")
def import_units_cmd(file: FileArg, crs: CrsOpt = None) -> None:
    """Import a unit register (CSV, XLSX, GeoJSON, GPKG or zipped SHP)."""
    from geoplan.io.units import import_units

    result = run(import_units, engine(), file, crs)
    warn(result.warnings)
    typer.echo(f"imported {file.name}: {result.summary()}")
    for uid, diffs in result.updated.items():
        typer.echo(f"  {uid}: " + ", ".join(f"{k} {o!r} → {n!r}" for k, o, n in diffs))


@app.command("areas")
def import_areas_cmd(
    file: FileArg,
    system: Annotated[str | None, typer.Option(help="Area system name, e.g. grunnkrets.")] = None,
    crs: CrsOpt = None,
) -> None:
    """Import an area system (GeoJSON, GPKG or zipped SHP), replacing one of the same name."""
    from geoplan.io.areas import import_areas, system_name

    n = run(import_areas, engine(), file, system, crs)
    typer.echo(f"imported {n} areas into system '{system or system_name(file.name)}'")


@app.command("boundary")
def import_boundary_cmd(
    file: FileArg,
    number: Annotated[str | None, typer.Option(help="Kommunenummer, e.g. 3420.")] = None,
    name: Annotated[str | None, typer.Option(help="Municipality name.")] = None,
) -> None:
    """Import the municipal boundary; units outside it are refused from then on."""
    from geoplan.io.areas import import_boundary

    run(import_boundary, engine(), file, number, name)
    typer.echo(f"imported the municipal boundary from {file.name}")


@app.command("demand")
def import_demand_cmd(file: FileArg) -> None:
    """Import an aggregated demand snapshot (no persons)."""
    from geoplan.io.demand import import_demand

    n = run(import_demand, engine(), file)
    typer.echo(f"imported {n} demand rows")


@app.command("grid")
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

    n = run(import_grid, engine(), file, size, system, None, all_cells)
    typer.echo(f"imported {n} SSB {size} m grid cells")


@app.command("addresses")
def import_addresses_cmd(file: FileArg, crs: CrsOpt = None) -> None:
    """Import Kartverket's address register (semicolon CSV) for the address search."""
    from geoplan.io.addresses import import_addresses

    n = run(import_addresses, engine(), file, crs)
    typer.echo(f"imported {n} addresses")


@app.command("services")
def import_services_cmd(file: FileArg) -> None:
    """Import service points (schools, kindergartens, shops, stops) for where-to-buy."""
    from geoplan.io.service_points import import_services

    n = run(import_services, engine(), file)
    typer.echo(f"imported {n} service points")
