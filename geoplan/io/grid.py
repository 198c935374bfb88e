"""Import of SSB grid statistics as an area system of 250 m or 1 km cells."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from geoplan import ssb_grid as grid
from geoplan.io import values
from geoplan.io.areas import AREA_FIELDS, duplicate_codes, negative_counts
from geoplan.io.columns import AREA_COLUMNS
from geoplan.io.errors import ImportRefused
from geoplan.io.files import read_table
from geoplan.io.problems import BadValue, detail_text
from geoplan.io.rows import parse_table
from geoplan.storage import repo

MAX_ID = 10 ** 15  # SSB ids are (x + 2,000,000) · 10,000,000 + y: 14 digits in Norway


def _whole(value: object) -> int | None:
    """A grid id's digits as an int (an Excel number or text such as "23132506754500"), else
    None.  Not :func:`geoplan.io.values.integer`: an id is wider than a count column."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    try:
        text = values.text(value)
    except ValueError:
        return None
    m = re.fullmatch(r"([0-9]{1,16})(?:[.,]0*)?", text)
    return int(m.group(1)) if m else None


def _check_id(size: int):
    def parse(value: object) -> str:
        code = _whole(value)
        if code is None or not 0 < code < MAX_ID:
            raise BadValue("grid_id_invalid", value=detail_text(value), size=size)
        x, y = grid.corner(np.array([code]))
        if x[0] % size or y[0] % size or not (0 < y[0] < 10_000_000):
            raise BadValue("grid_id_invalid", value=detail_text(value), size=size)
        return str(code)
    return parse


def import_grid(
    engine: Engine, path: str | Path, size: int, system: str | None = None,
    filename: str | None = None, all_cells: bool = False, sheet: str | None = None,
) -> int:
    """Import grid statistics (id, population, dwellings) and store their cells as areas.

    Cells holding a unit of the register but absent from the statistics are added with zero
    population and dwellings, as SSB publishes inhabited cells only.  With ``all_cells``, every
    cell that touches the municipal boundary is generated too (:class:`ImportRefused`
    ``no_boundary`` without one).  A grid id that is not an SSB id of ``size`` (``grid_id_invalid``)
    or that an earlier row has (``duplicate_id``) refuses the file.  ``ValueError`` for a size
    that is not one of :data:`geoplan.ssb_grid.SIZES` (a caller's mistake: the service checks).
    """
    if size not in grid.SIZES:
        raise ValueError(f"grid size must be one of {sorted(grid.SIZES)} m")
    raw = read_table(path, filename, sheet)
    fields = [f if f.name != "code" else type(f)("code", _check_id(size), True, "SSB grid id")
              for f in AREA_FIELDS if f.name != "name"]
    mapping, _, records, problems = parse_table(raw, AREA_COLUMNS, fields)
    problems += negative_counts(records, mapping) + duplicate_codes(records, mapping["code"])
    if problems:
        raise ImportRefused(raw.filename, problems)
    stats = {r["code"]: r for r in records}
    units = repo.load_units(engine)
    unit_ids = grid.ssb_id(units["x"].to_numpy(), units["y"].to_numpy(), size).astype(str)
    wanted = set(stats) | set(unit_ids)
    boundary = repo.boundary(engine)
    if all_cells:
        if boundary is None:
            raise ImportRefused.one(raw.filename, "no_boundary")
        wanted |= set(grid.covering_ids(boundary, size).astype(str))
    ids = np.array(sorted(wanted), dtype=np.int64)
    gdf = grid.cells(ids, size)
    gdf["name"] = gdf["code"]
    gdf["population"] = [(stats.get(c) or {}).get("population") or 0 for c in gdf["code"]]
    gdf["dwellings"] = [(stats.get(c) or {}).get("dwellings") or 0 for c in gdf["code"]]
    with Session(engine) as s, s.begin():
        return repo.replace_areas(s, system or grid.SIZES[size], gdf, raw.filename)
