"""Export of units and areas to CSV, XLSX, GeoJSON and GeoPackage, chosen by file extension.

Every export is safe to open and complete or absent:

- CSV and XLSX go through :func:`geoplan.io.formula_safe.neutralise` (OWASP: a text cell that
  begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written with a quote in
  front, and an XLSX cell is never a formula); :func:`table_bytes` is the one writer of both.
- A file is written to a temporary folder next to ``path`` and moved onto ``path`` with
  ``os.replace`` only when it is complete (:func:`replacing`); on any error the temporary file
  is deleted and an earlier file at ``path`` is left as it was.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import geopandas as gpd
import pandas as pd
from sqlalchemy import Engine

from geoplan.crs import DISPLAY_EPSG, WORK_EPSG, to_display
from geoplan.io.formula_safe import neutralise
from geoplan.storage import repo
from geoplan.unit_fields import REGISTER_FIELDS

FORMATS: tuple[str, ...] = (".xlsx", ".csv", ".geojson", ".gpkg")  # the first is the default
TABLE_FORMATS: tuple[str, ...] = (".csv", ".xlsx")
X_COLUMN, Y_COLUMN = f"x (EPSG:{WORK_EPSG})", f"y (EPSG:{WORK_EPSG})"


def _check_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"cannot export to '{suffix}': use " + ", ".join(sorted(FORMATS)))
    return suffix


@contextmanager
def replacing(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path with ``path``'s name; on success move it onto ``path``.

    The temporary file lives in a private folder in ``path``'s directory (same file system, so
    ``os.replace`` is atomic).  On any error the folder and everything in it are deleted and the
    error is raised again: ``path`` then holds what it held before, or nothing.
    """
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix=f".{path.name}.", suffix=".part",
                                     dir=path.parent) as folder:
        tmp = Path(folder) / path.name
        yield tmp
        with open(tmp, "rb+") as handle:  # on disk before it takes the name
            os.fsync(handle.fileno())
        os.replace(tmp, path)


def table_bytes(table: pd.DataFrame, suffix: str, sheet: str = "Sheet1",
                decimal: str = ".") -> bytes:
    """Return ``table`` as CSV or XLSX bytes, with formula injection neutralised.

    CSV: ';'-separated, UTF-8 with BOM (Norwegian Excel), CRLF line ends, ``decimal`` as the
    decimal mark.
    XLSX: one sheet named ``sheet`` (cut to Excel's 31 characters); every text cell is a string
    cell (openpyxl data type ``s``), never a formula.  ValueError for another ``suffix``.
    """
    safe = neutralise(table)
    suffix = suffix.lower()
    if suffix == ".csv":
        # CRLF (RFC 4180, as Excel writes): a cell holding a lone CR or LF is then quoted too
        return safe.to_csv(index=False, sep=";", decimal=decimal,
                           lineterminator="\r\n").encode("utf-8-sig")
    if suffix == ".xlsx":
        buf = io.BytesIO()
        with pd.ExcelWriter(buf, engine="openpyxl") as writer:
            safe.to_excel(writer, index=False, sheet_name=sheet[:31])
            for row in writer.sheets[sheet[:31]].iter_rows():
                for cell in row:
                    if cell.data_type == "f":  # never, once neutralised; kept as a guarantee
                        cell.data_type = "s"
        return buf.getvalue()
    raise ValueError(f"cannot write a table to '{suffix}': use .csv or .xlsx")


def write_table(table: pd.DataFrame, path: str | Path, sheet: str) -> Path:
    """Write a plain table to CSV or XLSX (see :func:`table_bytes`), completely or not at all."""
    path = Path(path)
    data = table_bytes(table, path.suffix, sheet)
    with replacing(path) as tmp:
        tmp.write_bytes(data)
    return path


def write_frame(gdf: gpd.GeoDataFrame, path: str | Path, layer: str) -> Path:
    """Write a GeoDataFrame in EPSG:25833 to CSV/XLSX (no geometry) or GeoJSON/GPKG.

    GeoJSON is written in EPSG:4326, GeoPackage in EPSG:25833 (one layer named ``layer``).
    The file is complete or absent (:func:`replacing`).
    """
    path = Path(path)
    suffix = _check_format(path)
    if suffix in TABLE_FORMATS:
        return write_table(pd.DataFrame(gdf.drop(columns=gdf.geometry.name)), path, layer)
    with replacing(path) as tmp:
        if suffix == ".geojson":
            gdf.to_crs(DISPLAY_EPSG).to_file(tmp, driver="GeoJSON")
        else:
            gdf.to_file(tmp, driver="GPKG", layer=layer)
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


def areas_frame(areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the areas with their indicators as columns, as an area import reads them back.

    Columns: ``system``, ``code``, ``name``, ``population``, ``dwellings``, one column per
    indicator name (blank where an area lacks it; a name equal to another column is left out)
    and ``geometry``.
    """
    indicators = [i if isinstance(i, dict) else {} for i in areas["indicators"]]
    out = areas.drop(columns=["indicators"])
    names = [n for n in dict.fromkeys(k for i in indicators for k in i) if n not in out.columns]
    for name in names:
        out[name] = [i.get(name) for i in indicators]
    return out[[c for c in out.columns if c != out.geometry.name] + [out.geometry.name]]


def export_areas(engine: Engine, path: str | Path, system: str) -> Path:
    """Export one area system to ``path`` (see :func:`areas_frame`)."""
    areas = repo.load_areas(engine, system)
    if areas.empty:
        raise ValueError(f"no areas in system '{system}'")
    return write_frame(areas_frame(areas), path, system)
