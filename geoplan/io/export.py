"""Export of units and areas to CSV, XLSX, GeoJSON and GeoPackage, chosen by file extension."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
from sqlalchemy import Engine

from geoplan.crs import DISPLAY_EPSG, WORK_EPSG, to_display
from geoplan.storage import repo
from geoplan.unit_fields import REGISTER_FIELDS

FORMATS: tuple[str, ...] = (".xlsx", ".csv", ".geojson", ".gpkg")  # the first is the default
X_COLUMN, Y_COLUMN = f"x (EPSG:{WORK_EPSG})", f"y (EPSG:{WORK_EPSG})"


def _check_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"cannot export to '{suffix}': use " + ", ".join(sorted(FORMATS)))
    return suffix


def write_table(table: pd.DataFrame, path: str | Path, sheet: str) -> Path:
    """Write a plain table to CSV (';', UTF-8 with BOM, for Norwegian Excel) or XLSX."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table.to_csv(path, sep=";", index=False, encoding="utf-8-sig")
    elif suffix == ".xlsx":
        table.to_excel(path, index=False, sheet_name=sheet[:31])
    else:
        raise ValueError(f"cannot write a table to '{suffix}': use .csv or .xlsx")
    return path


def write_frame(gdf: gpd.GeoDataFrame, path: str | Path, layer: str) -> Path:
    """Write a GeoDataFrame in EPSG:25833 to CSV/XLSX (no geometry) or GeoJSON/GPKG."""
    path = Path(path)
    suffix = _check_format(path)
    if suffix in {".csv", ".xlsx"}:
        write_table(pd.DataFrame(gdf.drop(columns=gdf.geometry.name)), path, layer)
    elif suffix == ".geojson":
        gdf.to_crs(DISPLAY_EPSG).to_file(path, driver="GeoJSON")
    else:
        gdf.to_file(path, driver="GPKG", layer=layer)
    return path


def units_frame(units: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the units' register columns, with labelled coordinates and lon/lat added.

    Columns: :data:`geoplan.unit_fields.REGISTER_FIELDS` (``x``/``y`` as :data:`X_COLUMN` and
    :data:`Y_COLUMN`), ``lon``, ``lat`` and ``geometry``.
    """
    out = units[[*REGISTER_FIELDS, units.geometry.name]].copy()
    lon, lat = to_display(out["x"].to_numpy(float), out["y"].to_numpy(float))
    out = out.rename(columns={"x": X_COLUMN, "y": Y_COLUMN})
    out["lon"], out["lat"] = lon.round(7), lat.round(7)
    return out


def export_units(engine: Engine, path: str | Path) -> Path:
    """Export every unit (disposed ones included) to ``path``."""
    return write_frame(units_frame(repo.load_units(engine)), path, "units")


def export_areas(engine: Engine, path: str | Path, system: str) -> Path:
    """Export one area system to ``path``."""
    areas = repo.load_areas(engine, system)
    if areas.empty:
        raise ValueError(f"no areas in system '{system}'")
    return write_frame(areas.drop(columns=["indicators"]), path, system)
