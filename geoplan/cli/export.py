"""`geoplan export …`: units or an area system, format by file extension."""

from __future__ import annotations

from typing import Annotated

import typer

from geoplan import service
from geoplan.cli.common import FileArg, engine, run

app = typer.Typer(help="Export units or areas (format by file extension).",
                  no_args_is_help=True)


def _export(fn, *args) -> None:
    path = run(fn, engine(), *args)
    typer.echo(f"wrote {path}")


@app.command("units")
def export_units_cmd(file: FileArg) -> None:
    """Export all units (disposed ones included) to CSV, XLSX, GeoJSON or GPKG."""
    _export(service.export_units, file)


@app.command("areas")
def export_areas_cmd(
    file: FileArg,
    system: Annotated[str, typer.Option(help="Area system to export.")] = "grunnkrets",
) -> None:
    """Export one area system to CSV, XLSX, GeoJSON or GPKG."""
    _export(service.export_areas, file, system)
