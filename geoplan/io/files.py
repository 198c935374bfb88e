"""Read any supported file into a table of raw values plus optional geometry and CRS."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geoplan.crs import parse_epsg
from geoplan.io.errors import ImportRefused

TABULAR = {".csv", ".txt", ".xlsx", ".xlsm"}
SPATIAL = {".geojson", ".json", ".gpkg", ".zip", ".shp"}


@dataclass
class RawTable:
    """Cells as read (strings or Excel values), geometry when the file has it, and its CRS."""

    frame: pd.DataFrame
    filename: str
    geometry: gpd.GeoSeries | None = None
    epsg: int | None = None


def decode(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), falling back to Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def _separator(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {sep: first.count(sep) for sep in (";", "\t", ",")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ";"


def drop_trailing_blank_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop the empty rows at the end (Excel writes ';;;;' lines); keep every other row."""
    blank = frame.apply(lambda col: col.map(lambda v: v is None or (isinstance(v, float) and
                                                                     v != v) or
                                             (isinstance(v, str) and not v.strip())))
    filled = ~blank.all(axis=1).to_numpy()
    last = filled.nonzero()[0].max() + 1 if filled.any() else 0
    return frame.iloc[:last].reset_index(drop=True)


def read_csv_text(text: str) -> pd.DataFrame:
    """Parse CSV text with a sniffed separator (';', tab or ','), every cell as a string."""
    frame = pd.read_csv(
        io.StringIO(text), sep=_separator(text), dtype=str, keep_default_na=False,
        skip_blank_lines=True, quoting=csv.QUOTE_MINIMAL,
    )
    frame.columns = [str(c).strip() for c in frame.columns]
    return drop_trailing_blank_rows(frame)


def read_table(path: str | Path, filename: str | None = None) -> RawTable:
    """Read CSV, XLSX, GeoJSON, GeoPackage or zipped Shapefile; refuse unreadable files."""
    path = Path(path)
    name = filename or path.name
    suffix = Path(name).suffix.lower() or path.suffix.lower()
    try:
        if suffix in {".csv", ".txt"}:
            return RawTable(read_csv_text(decode(path.read_bytes())), name)
        if suffix in {".xlsx", ".xlsm"}:
            frame = pd.read_excel(path, sheet_name=0, dtype=object, engine="openpyxl")
            frame.columns = [str(c).strip() for c in frame.columns]
            return RawTable(drop_trailing_blank_rows(frame), name)
        if suffix in SPATIAL:
            gdf = gpd.read_file(f"zip://{path}" if suffix == ".zip" else path)
            epsg = parse_epsg(gdf.crs) if gdf.crs is not None else None
            attrs = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
            return RawTable(attrs, name, gdf.geometry, epsg)
    except ImportRefused:
        raise
    except ValueError as exc:
        if "EPSG" in str(exc):
            raise ImportRefused(name, [str(exc)]) from exc
        raise ImportRefused(name, [f"cannot read the file: {exc}"]) from exc
    except Exception as exc:  # any reader failure is a refusal with its reason
        raise ImportRefused(name, [f"cannot read the file: {exc}"]) from exc
    raise ImportRefused(
        name, [f"unsupported file type '{suffix}' (use CSV, XLSX, GeoJSON, GPKG or zipped SHP)"]
    )


@contextmanager
def temporary_file(data: bytes, filename: str) -> Iterator[Path]:
    """Yield a temporary file holding ``data`` under the base name of ``filename``.

    For uploads (the readers choose the format by the name's extension) and for exports written
    to a file and returned as bytes; the file is deleted afterwards.
    """
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / (Path(filename).name or "upload")
        path.write_bytes(data)
        yield path
