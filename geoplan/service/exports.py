"""Exports: the units or an area system to CSV, XLSX, GeoJSON or GeoPackage, and plain tables.

The format follows the file's extension (:data:`EXPORT_FORMATS`).  Every CSV and XLSX is safe to
open (formula injection neutralised, see :mod:`geoplan.io.formula_safe`) and every file is
complete or absent (see :mod:`geoplan.io.export`).  :func:`table_bytes` is the writer of the
pages' downloads.
"""

from __future__ import annotations

from sqlalchemy import Engine

from geoplan.io.export import FORMATS as EXPORT_FORMATS
from geoplan.io.export import export_areas, export_units, table_bytes, write_table
from geoplan.io.files import temporary_file
from geoplan.io.formula_safe import neutralise

__all__ = ["EXPORT_FORMATS", "export_areas", "export_bytes", "export_units", "neutralise",
           "table_bytes", "write_table"]


def export_bytes(engine: Engine, suffix: str, system: str | None = None) -> bytes:
    """Return the export of every unit (``system`` None) or of one area system as bytes.

    ``suffix`` is one of :data:`EXPORT_FORMATS`; ValueError for another or an unknown system.
    """
    with temporary_file(b"", f"export{suffix}") as path:
        if system is None:
            export_units(engine, path)
        else:
            export_areas(engine, path, system)
        return path.read_bytes()
