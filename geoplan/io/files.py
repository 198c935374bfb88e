"""Read any supported file into a table of raw values plus optional geometry and CRS."""

from __future__ import annotations

import codecs
import csv
import io
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from geoplan.crs import parse_epsg
from geoplan.io.errors import ImportRefused
from geoplan.io.formula_safe import restore_text
from geoplan.io.problems import ROWS_ABOVE_HEADER, Problem, detail_text, excel_row, problem
from geoplan.missing import is_blank

TABULAR = {".csv", ".txt", ".xlsx", ".xlsm"}
SPATIAL = {".geojson", ".json", ".gpkg", ".zip", ".shp"}


@dataclass
class RawTable:
    """Cells as read (strings or Excel values), geometry when the file has it, and its CRS.

    ``others``: the file's other sheets or layers (name -> cells), read so that they can be
    checked for personal data; ``problems``: what reading found wrong (duplicate headers, rows
    with more fields than the header), returned with the row problems.
    """

    frame: pd.DataFrame
    filename: str
    geometry: gpd.GeoSeries | None = None
    epsg: int | None = None
    others: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def decode(data: bytes) -> str:
    """Decode UTF-16 (by its byte-order mark or its zero bytes), UTF-8 (with or without BOM),
    falling back to Windows-1252."""
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return data.decode("utf-16")
    head = data[:4000]
    if len(head) >= 4 and head.count(0) > len(head) // 4:  # UTF-16 without a BOM
        return data.decode("utf-16-le" if head[1] == 0 else "utf-16-be")
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
    last = len(frame)
    while last and all(is_blank(v) for v in frame.iloc[last - 1].tolist()):
        last -= 1  # from the end: only the trailing rows are looked at
    return frame.iloc[:last].reset_index(drop=True) if last < len(frame) else frame


def _header_problems(headers: list[str]) -> list[Problem]:
    seen: set[str] = set()
    out = []
    for h in headers:
        if h and h in seen:
            out.append(problem("duplicate_header", excel_row(-1), h, header=h))
        seen.add(h)
    return out


def _table(headers: list[object], rows: list[list[object]]) -> tuple[pd.DataFrame, list[Problem]]:
    """A frame from a spreadsheet's header and rows; a row longer than the header (with values
    beyond it) is a problem, a shorter one is filled with blanks.  Duplicate headers are a
    problem.  Text an export neutralised against formula injection ("'=1+1") is read back as it
    was (:func:`geoplan.io.formula_safe.restore_text`)."""
    names = [restore_text(str(h).strip()) if not is_blank(h) else "" for h in headers]
    rows = [[restore_text(v) if isinstance(v, str) else v for v in row] for row in rows]
    width = len(names)
    problems = _header_problems(names)
    fixed = []
    for i, row in enumerate(rows):
        if len(row) > width and any(not is_blank(v) for v in row[width:]):
            filled = len(row) - next(k for k, v in enumerate(reversed(row)) if not is_blank(v))
            problems.append(problem("too_many_fields", excel_row(i), None, fields=filled,
                                    expected=width))
        fixed.append(list(row[:width]) + [""] * (width - len(row)))
    unique = [n if names.index(n) == k else f"{n}\u200b{k}" for k, n in enumerate(names)]
    frame = pd.DataFrame(fixed, columns=unique, dtype=object) if fixed else pd.DataFrame(
        columns=unique, dtype=object)
    return drop_trailing_blank_rows(frame), problems


def read_csv_text(text: str) -> pd.DataFrame:
    """Parse CSV text with a sniffed separator (';', tab or ','), every cell as a string."""
    return _read_csv(text)[0]


def _read_csv(text: str) -> tuple[pd.DataFrame, list[Problem]]:
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text)))
    skipped = 0
    while rows and not any(c.strip() for c in rows[0]):
        rows.pop(0)  # blank lines above the header: the rows below keep their numbers
        skipped += 1
    ROWS_ABOVE_HEADER.set(skipped)
    if not rows:
        return pd.DataFrame(), []
    return _table(rows[0], rows[1:])  # blank rows inside stay, so row numbers match Excel


def _read_xlsx(path: Path, name: str, sheet: str | None) -> RawTable:
    """Read the one sheet with data (or ``sheet``); the others are kept for the personal-data
    check.  Excel error cells are kept as their text ("#VALUE!"), so the parsers refuse them."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheets: dict[str, tuple[pd.DataFrame, list[Problem]]] = {}
        above: dict[str, int] = {}
        for ws in book.worksheets:
            rows = [list(r) for r in ws.iter_rows(values_only=True)]
            skipped = 0  # iter_rows starts at row 1, blank rows included
            while rows and all(is_blank(v) for v in rows[0]):
                rows.pop(0)
                skipped += 1
            if rows:
                above[ws.title] = skipped
                ROWS_ABOVE_HEADER.set(skipped)
                sheets[ws.title] = _table(rows[0], rows[1:])
    finally:
        book.close()
    names = ", ".join(sheets)
    if not sheets:
        raise ImportRefused.one(name, "empty_file")
    if sheet is not None and sheet not in sheets:
        raise ImportRefused.one(name, "unknown_sheet", name=sheet, names=names)
    if sheet is None and len(sheets) > 1:
        raise ImportRefused.one(name, "several_sheets", names=names)
    chosen = sheet or next(iter(sheets))
    frame, problems = sheets.pop(chosen)
    ROWS_ABOVE_HEADER.set(above[chosen])
    return RawTable(frame, name, others={k: v[0] for k, v in sheets.items()}, problems=problems)


def _read_spatial(path: Path, name: str, layer: str | None) -> RawTable:
    """Read the one layer (or ``layer``) of a GeoJSON, GeoPackage or (zipped) Shapefile; the
    other layers are kept for the personal-data check.  Z coordinates are dropped."""
    source = f"zip://{path}" if path.suffix.lower() == ".zip" else str(path)
    import pyogrio  # here, not at the top: the app's first page reads no files (about 25 ms)

    layers = [str(row[0]) for row in pyogrio.list_layers(source)]
    names = ", ".join(layers)
    if layer is not None and layer not in layers:
        raise ImportRefused.one(name, "unknown_layer", name=layer, names=names)
    if layer is None and len(layers) > 1:
        raise ImportRefused.one(name, "several_layers", names=names)
    chosen = layer or (layers[0] if layers else None)
    gdf = gpd.read_file(source, layer=chosen) if chosen else gpd.read_file(source)
    epsg = parse_epsg(gdf.crs) if gdf.crs is not None else None
    geometry = gpd.GeoSeries(shapely.force_2d(gdf.geometry.to_numpy()), index=gdf.index,
                             crs=gdf.crs)
    headers = [c for c in gdf.columns if c != gdf.geometry.name]
    attrs = pd.DataFrame(gdf[headers]).astype(object)
    others = {}
    for other in layers:
        if other != chosen:
            table = pyogrio.read_dataframe(source, layer=other, read_geometry=False)
            others[other] = pd.DataFrame(table).astype(object)
    return RawTable(attrs, name, geometry, epsg, others, _header_problems(
        [str(h) for h in headers]))


def read_table(path: str | Path, filename: str | None = None, sheet: str | None = None) -> RawTable:
    """Read CSV, XLSX, GeoJSON, GeoPackage or zipped Shapefile; refuse unreadable files.

    ``sheet``: the sheet of a workbook or the layer of a GeoPackage to read; without it a file
    with several (holding data) is refused (``several_sheets``/``several_layers``).
    """
    path = Path(path)
    name = filename or path.name
    suffix = Path(name).suffix.lower() or path.suffix.lower()
    ROWS_ABOVE_HEADER.set(0)
    try:
        if path.stat().st_size == 0:
            raise ImportRefused.one(name, "empty_file")
        if suffix in {".csv", ".txt"}:
            frame, problems = _read_csv(decode(path.read_bytes()))
            if frame.columns.empty:
                raise ImportRefused.one(name, "empty_file")
            return RawTable(frame, name, problems=problems)
        if suffix in {".xlsx", ".xlsm"}:
            return _read_xlsx(path, name, sheet)
        if suffix in SPATIAL:
            return _read_spatial(path, name, sheet)
    except ImportRefused:
        raise
    except ValueError as exc:
        if "EPSG" in str(exc):
            raise ImportRefused.one(name, "crs_not_accepted", value=_epsg_named(exc)) from exc
        raise ImportRefused.one(name, "unreadable", reason=_reason(exc, path)) from exc
    except Exception as exc:  # any reader failure is a refusal with its reason
        raise ImportRefused.one(name, "unreadable", reason=_reason(exc, path)) from exc
    raise ImportRefused.one(name, "unsupported_type", suffix=suffix)


def _reason(exc: Exception, path: Path) -> str:
    """The reader's reason, without the server's folders (an upload's temporary path)."""
    text = str(exc).replace(str(path.parent) + "/", "").replace(str(path.parent), "")
    return detail_text(text, 120)


def _epsg_named(exc: Exception) -> str:
    m = re.search(r"EPSG:\d+", str(exc))
    return m.group(0) if m else detail_text(exc, 40)


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
